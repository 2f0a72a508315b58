// Behaviour the templates ask for with data attributes (no inline handlers: the
// Content-Security-Policy allows scripts from our own files only).
//   <form data-confirm="...">    asks before submitting
//   #error-summary               a refused form's summary takes the focus (WCAG 3.3.1)
//   .table-container             when it scrolls sideways (a phone), it becomes a labelled,
//                                focusable region so that the keyboard can scroll it (WCAG 2.1.1)
// No select navigates on change (WCAG 3.2.2): pickers have a visible button.
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  function labelOf(box) {
    var caption = box.querySelector("caption");
    if (caption) return caption.textContent.trim();
    for (var node = box; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) return prev.textContent.trim();
      }
    }
    return document.title;
  }
  function markScrollers() {
    var boxes = document.querySelectorAll(".table-container");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", labelOf(box) + "（可左右滚动）");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }
  markScrollers();
  window.addEventListener("resize", markScrollers);
})();
