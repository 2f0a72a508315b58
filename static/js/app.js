// Behaviour the templates ask for with data attributes (no inline handlers: the
// Content-Security-Policy allows scripts from our own files only).
//   <form data-confirm="...">    asks before submitting
//   <button data-confirm-click="...">         asks before this button submits
//   <button data-confirm-filled="...">        asks only when the form already has typed text
//   <form data-warn-unsaved [data-dirty]>     warns on leaving the page with unsaved changes
//   <input type="checkbox" data-check-all="name">  ticks every checkbox called `name`
//   <form class="filters">       folds behind one 筛选 button on a phone
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

  // Buttons that ask first (a click, so the question names the button that was pressed).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button");
    if (!button) return;
    var question = button.getAttribute("data-confirm-click");
    if (!question && button.form && button.hasAttribute("data-confirm-filled")) {
      var filled = Array.prototype.some.call(
        button.form.querySelectorAll("textarea, input[type=text]"),
        function (field) { return field.value.trim() !== ""; }
      );
      question = filled ? button.getAttribute("data-confirm-filled") : "";
    }
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // Unsaved changes: a form that was typed into (or shown again unsaved) warns on leaving.
  var dirty = document.querySelector("form[data-warn-unsaved][data-dirty]");
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) dirty = form;
  });
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented && event.target === dirty) dirty = null;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Select all: <input type="checkbox" data-check-all="report"> (a click: also Space on it).
  document.addEventListener("click", function (event) {
    var name = event.target.getAttribute && event.target.getAttribute("data-check-all");
    if (!name) return;
    var form = event.target.form || document;
    form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });

  // Filters fold behind one button on a phone; the button says how many are in use.
  function foldFilters() {
    if (!window.matchMedia("(max-width: 600px)").matches) return;
    document.querySelectorAll("form.filters").forEach(function (form) {
      if (form.previousElementSibling && form.previousElementSibling.classList.contains("filtertoggle")) return;
      var used = 0;
      form.querySelectorAll("select, input").forEach(function (field) {
        if (field.type === "hidden" || field.type === "submit") return;
        if (field.type === "checkbox" ? field.checked : field.value) used += 1;
      });
      var button = document.createElement("button");
      button.type = "button";
      button.className = "filtertoggle";
      button.setAttribute("aria-expanded", "false");
      button.textContent = used ? "筛选（已选 " + used + " 项）" : "筛选";
      form.classList.add("folded");
      form.parentNode.insertBefore(button, form);
      button.addEventListener("click", function () {
        var open = form.classList.toggle("folded") === false;
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", foldFilters);
  } else {
    foldFilters();
  }
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
