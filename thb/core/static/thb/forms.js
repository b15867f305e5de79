// The form pattern (GOV.UK Design System): focus the error summary when a page shows
// errors, and let each of its links move focus to its field with the label in view.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.querySelectorAll("a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) {
        return;
      }
      event.preventDefault();
      var holder = input.closest("fieldset") || input.closest(".field") || input;
      holder.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  });
});
