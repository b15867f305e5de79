/* THB: layout helpers for every page (loaded by base.html; no inline script, CSP-safe).
 *
 * Tables scroll inside their own container, never the page (WCAG 1.4.10 Reflow):
 * each table is wrapped in <div class="table-scroll" role="region">, named after the
 * table's caption or the heading before it, and made keyboard-focusable (tabindex=0)
 * while it is wider than the screen, so that keyboard users can scroll it too.
 * Cells holding one short token (a case code, a date, an amount) are marked
 * `.token` and never break inside it; longer text wraps. Runs on load and on every
 * piece of page that htmx swaps in. */
(function () {
  "use strict";
  var TOKEN = /^\S{1,40}$/;
  var counter = 0;

  function nameOf(table) {
    if (table.caption && table.caption.textContent.trim()) {
      return table.caption.textContent.trim();
    }
    var node = table.parentElement;
    var before = table;
    while (node) {
      for (var el = before.previousElementSibling; el; el = el.previousElementSibling) {
        if (/^H[1-6]$/.test(el.tagName) && el.textContent.trim()) {
          return el.textContent.trim();
        }
        var inner = el.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner.length && inner[inner.length - 1].textContent.trim()) {
          return inner[inner.length - 1].textContent.trim();
        }
      }
      before = node;
      node = node.parentElement;
    }
    return document.title.split(" · ")[0];
  }

  function markTokens(table) {
    var cells = table.querySelectorAll("td, th");
    for (var i = 0; i < cells.length; i++) {
      var text = cells[i].textContent.trim();
      if (text && TOKEN.test(text)) {
        cells[i].classList.add("token");
      }
    }
  }

  function focusable(wrapper) {
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      wrapper.setAttribute("tabindex", "0");
    } else {
      wrapper.removeAttribute("tabindex");
    }
  }

  function wrap(root) {
    var tables = (root || document).querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      markTokens(table);
      var parent = table.parentElement;
      if (parent && parent.classList.contains("table-scroll")) {
        focusable(parent);
        continue;
      }
      var wrapper = document.createElement("div");
      wrapper.className = "table-scroll";
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", nameOf(table));
      wrapper.id = "table-scroll-" + ++counter;
      parent.insertBefore(wrapper, table);
      wrapper.appendChild(table);
      focusable(wrapper);
    }
  }

  function refocus() {
    var wrappers = document.querySelectorAll(".table-scroll");
    for (var i = 0; i < wrappers.length; i++) {
      focusable(wrappers[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { wrap(document); });
  } else {
    wrap(document);
  }
  document.addEventListener("htmx:load", function () { wrap(document); });
  window.addEventListener("resize", refocus);
})();
