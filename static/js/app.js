// Behaviour the templates ask for with data attributes (no inline handlers: the
// Content-Security-Policy allows scripts from our own files only).
//   <select data-autosubmit>     submits its form when the choice changes
//   <form data-confirm="...">    asks before submitting
(function () {
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
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
