// One alert's page: after an act on its row (acknowledge, escalate, resolve) succeeds, the page is read
// again so its log, who has it and its forms say what the act changed.
(function () {
  "use strict";
  const table = document.getElementById("alert-row-table");
  if (!table) return;
  table.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail && event.detail.successful) window.location.reload();
  });
})();
