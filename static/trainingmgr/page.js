/* What the pages used to do inline, moved here for the Content-Security-Policy (no inline
   script or style attribute; trainingmgr/settings.py):
   - <select data-autosubmit> submits its form when changed (the language switch);
   - <a data-print> prints the page;
   - <span data-flex="N"> takes N as its flex-grow (the health bars of the report list). */
(function () {
  "use strict";
  function ready() {
    document.querySelectorAll("[data-flex]").forEach(function (el) {
      var grow = parseFloat(el.getAttribute("data-flex"));
      if (!isNaN(grow)) { el.style.flexGrow = String(grow); }
    });
  }
  document.addEventListener("change", function (event) {
    var select = event.target.closest && event.target.closest("select[data-autosubmit]");
    if (select && select.form) { select.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-print]");
    if (link) { event.preventDefault(); window.print(); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
