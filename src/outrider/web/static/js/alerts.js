// Alerts, live: a server-sent event stream inserts new alerts and updates changed ones in the table.
(function () {
  "use strict";
  const table = document.getElementById("alerts-table");
  if (!table || !window.EventSource) return;
  const body = document.getElementById("alerts-body");
  const state = document.getElementById("live-state");
  const announce = document.getElementById("alert-announce");
  let source = null;

  function setState(live) {
    state.textContent = live ? state.dataset.live : state.dataset.offline;
    state.className = "badge " + (live ? "sev-info" : "muted");
    document.body.dataset.alertsLive = live ? "true" : "false";
  }

  function place(html, id) {
    const holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    const row = holder.firstElementChild;
    if (!row) return null;
    const existing = document.getElementById("alert-" + id);
    if (existing) existing.replaceWith(row); else body.insertBefore(row, body.firstChild);
    row.classList.add("fresh");
    if (window.htmx) window.htmx.process(row);
    const empty = document.getElementById("no-alerts");
    if (empty) empty.remove();
    return row;
  }

  function connect() {
    source = new EventSource(table.dataset.stream, { withCredentials: true });
    source.onopen = function () { setState(true); };
    source.onerror = function () { setState(false); };
    source.addEventListener("alert", function (event) {
      const data = JSON.parse(event.data);
      const isNew = !document.getElementById("alert-" + data.id);
      place(data.html, data.id);
      if (isNew) announce.textContent = table.dataset.newLabel + ": " + data.title;
      document.dispatchEvent(new CustomEvent("outrider:alert", { detail: data })); // the header's bell
    });
    source.addEventListener("signed-out", function () {
      source.close();
      window.location.assign("/login?next=" + encodeURIComponent("/alerts"));
    });
  }
  connect();
})();
