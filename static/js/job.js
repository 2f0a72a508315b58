// Polls a report job and moves the progress bar until the workbook is ready.
(function () {
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.getAttribute("data-url");
  function update(data) {
    document.getElementById("job-state").textContent = data.state_label;
    document.getElementById("job-progress").value = data.progress;
    document.getElementById("job-percent").textContent = data.progress + "%";
    var error = document.getElementById("job-error");
    error.textContent = data.error || "";
    error.hidden = !data.error;
    if (data.download) {
      var block = document.getElementById("job-download");
      block.querySelector("a").href = data.download;
      block.hidden = false;
    }
    var retry = document.getElementById("job-retry");
    if (retry) retry.hidden = data.state !== "failed";
    return data.state === "queued" || data.state === "running";
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (update(data)) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
