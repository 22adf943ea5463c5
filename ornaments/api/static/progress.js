// A running run's page follows GET /runs/{id}/progress with EventSource (the login cookie goes with it)
// and reloads with the final record when the run ends. Served as a file: the pages run no inline script.
(function () {
  const live = document.getElementById("live");
  if (!live) return;
  const fields = ["records_read", "stored", "dropped", "records_per_second", "eta_seconds"];
  const source = new EventSource("/runs/" + encodeURIComponent(live.dataset.run) + "/progress");
  function show(data) {
    for (const f of fields) {
      const cell = document.getElementById(f.replaceAll("_", "-"));
      if (cell) cell.textContent = data[f] === null || data[f] === undefined ? "—" : data[f];
    }
    const status = document.getElementById("status");
    status.textContent = data.status;
    status.className = "status status-" + data.status;
    const share = data.records_total ? data.records_read / data.records_total
                : data.bytes_total ? data.bytes_read / data.bytes_total : null;
    if (share !== null) document.getElementById("bar").value = share;
  }
  source.addEventListener("progress", e => show(JSON.parse(e.data)));
  source.addEventListener("end", e => { source.close(); show(JSON.parse(e.data)); location.reload(); });
})();
