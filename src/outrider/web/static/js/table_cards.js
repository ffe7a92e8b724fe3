// Tables on a phone: each cell carries its column's heading (data-label), so that at 600 px and less the
// rows show as stacked cards (app.css) instead of a table wider than the screen. Rows added later (the
// board's refresh, the alerts' live stream) are labelled as they arrive.
(function () {
  "use strict";
  function label(table) {
    const heads = Array.from(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    if (!heads.length) return;
    table.classList.add("cards");
    for (const row of table.querySelectorAll("tbody tr")) {
      let column = 0;
      for (const cell of row.children) {
        const span = cell.colSpan || 1;
        if (span === 1 && heads[column] && !cell.dataset.label) cell.dataset.label = heads[column];
        column += span;
      }
    }
  }
  function labelAll(root) {
    for (const table of (root || document).querySelectorAll(".table-wrap table")) label(table);
  }
  labelAll(document);
  let pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; labelAll(document); });
  }).observe(document.getElementById("main") || document.body, { childList: true, subtree: true });
})();
