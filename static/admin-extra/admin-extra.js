/* Admin pages: long texts in list cells (course titles, agency and rank names) are cut to two
   lines (the .clamp class of admin-extra.css) and keep their full text as a tooltip, so that a
   list of a hundred courses stays readable on a 1366 px screen. */
"use strict";
(function () {
  var LONG = 40; // characters
  function clamp(cell) {
    var text = cell.textContent.replace(/\s+/g, " ").trim();
    if (text.length <= LONG || cell.querySelector(".clamp, input, select, textarea")) {
      return;
    }
    var target = cell.querySelector("a") || cell;
    var span = document.createElement("span");
    span.className = "clamp";
    while (target.firstChild) {
      span.appendChild(target.firstChild);
    }
    target.appendChild(span);
    target.setAttribute("title", text);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#result_list tbody td, #result_list tbody th").forEach(clamp);
    document
      .querySelectorAll(".inline-group .tabular td.field-rank p, .inline-group .tabular td.field-agency p, .inline-group .tabular td.field-locality p")
      .forEach(function (p) {
        p.setAttribute("title", p.textContent.replace(/\s+/g, " ").trim());
      });
  });
})();
