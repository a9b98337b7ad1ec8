// Report pages: the print button (no inline script, so a strict Content-Security-Policy holds).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-report");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
});
