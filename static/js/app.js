// Behaviour the templates ask for with data attributes (no inline handlers: the
// Content-Security-Policy allows scripts from our own files only).
//   <select data-autosubmit>     submits its form when the choice changes
//   <form data-confirm="...">    asks before submitting
//   <input data-check-all>       (in a table header) ticks or clears every box of its table
(function () {
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
    if (target.matches && target.matches("input[data-check-all]")) {
      var table = target.closest("table");
      table.querySelectorAll("tbody input[type=checkbox]").forEach(function (box) {
        box.checked = target.checked;
      });
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
