// Events by month and severity as a stacked bar chart (Chart.js); the page has the same numbers as a table.
(function () {
  "use strict";
  const data = document.getElementById("chart-data");
  const canvas = document.getElementById("events-chart");
  if (!data || !canvas || !window.Chart) return;
  const d = JSON.parse(data.textContent);
  const colours = { critical: "#b3001b", high: "#e25b00", medium: "#d9a400", low: "#5b7f2a" };
  const rtl = document.documentElement.dir === "rtl";
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: d.months,
      datasets: ["critical", "high", "medium", "low"].map(function (s) {
        return { label: d.labels[s], data: d.series[s], backgroundColor: colours[s], stack: "events" };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: document.documentElement.lang,
      plugins: { legend: { position: "bottom", rtl: rtl } },
      scales: { x: { stacked: true, reverse: rtl }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  document.body.dataset.chartReady = "true";
})();
