// Compliance charts: pass rate per rule (bars), and pass rate and violations per month (lines and bars).
(function () {
  "use strict";
  const data = document.getElementById("compliance-data");
  if (!data || !window.Chart) return;
  const d = JSON.parse(data.textContent);
  const rtl = document.documentElement.dir === "rtl";
  const common = { responsive: true, maintainAspectRatio: false, animation: false, locale: document.documentElement.lang };
  new window.Chart(document.getElementById("rules-chart"), {
    type: "bar",
    data: { labels: d.chart.rules.labels, datasets: [{ label: d.labels.pass_rate, data: d.chart.rules.pass_rate, backgroundColor: "#1f5fa8" }] },
    options: Object.assign({}, common, {
      indexAxis: "y",
      plugins: { legend: { display: false } },
      scales: { x: { min: 0, max: 100, reverse: rtl } },
    }),
  });
  new window.Chart(document.getElementById("months-chart"), {
    data: {
      labels: d.chart.months.labels,
      datasets: [
        { type: "line", label: d.labels.pass_rate, data: d.chart.months.pass_rate, borderColor: "#1e7a3a", yAxisID: "rate" },
        { type: "bar", label: d.labels.violations, data: d.chart.months.violations, backgroundColor: "#b3001b", yAxisID: "count" },
      ],
    },
    options: Object.assign({}, common, {
      plugins: { legend: { position: "bottom", rtl: rtl } },
      scales: {
        x: { reverse: rtl },
        rate: { position: rtl ? "right" : "left", min: 0, max: 100 },
        count: { position: rtl ? "left" : "right", beginAtZero: true, ticks: { precision: 0 }, grid: { drawOnChartArea: false } },
      },
    }),
  });
  document.body.dataset.chartReady = "true";
})();
