// A register import in progress: poll its JSON every second, move the bar, and reload the
// page (which then shows the report) once the import has finished.
(function () {
  var box = document.querySelector("section.job[data-running]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var status = box.querySelector(".job-status");
  var rows = box.querySelector(".job-rows");
  var template = rows ? rows.textContent.replace(/\d+\/\d+/, "{checked}/{total}") : "";
  function poll() {
    fetch(box.dataset.progressUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) {
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        status.textContent = job.statusLabel;
        if (rows) {
          rows.textContent = template.replace("{checked}", job.rowsChecked)
            .replace("{total}", job.rowsTotal);
        }
        if (job.finished) window.location.reload();
        else window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
