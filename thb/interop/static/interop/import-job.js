// The import job page: asks the job's status endpoint every 1.5 s, moves the progress
// bar, and reloads the page when the job has ended (to show its result). Without
// JavaScript the page refreshes itself (a <noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var template = box.getAttribute("data-rows-template") || "";

  function show(job) {
    if (job.total > 0) {
      bar.max = job.total;
      bar.value = job.done;
      bar.textContent = job.done + " / " + job.total;
      text.textContent = template.replace("%(done)s", job.done).replace("%(total)s", job.total);
    }
  }

  function poll() {
    fetch(box.getAttribute("data-status-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (job) {
        if (job && !job.active) {
          window.location.reload();
          return;
        }
        if (job) {
          show(job);
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 1000);
})();
