// Polls a plan import and moves the progress bar; reloads the page for the result.
(function () {
  var box = document.getElementById("import-job");
  if (!box || !document.getElementById("job-progress")) return;
  var url = box.getAttribute("data-url");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        document.getElementById("job-state").textContent = data.state_label;
        document.getElementById("job-progress").value = data.progress;
        document.getElementById("job-percent").textContent = data.progress + "%";
        if (data.done) { if (!document.getElementById("import-result") && data.state === "done") window.location.reload(); else if (data.error) { var e = document.getElementById("job-error"); e.textContent = data.error; e.hidden = false; } return; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (box.querySelector("#import-result")) return;
  poll();
})();
