/* The participation page: the index and its dimensions over 24 months, and men reached with the
   users of a method for men (Chart.js), drawn from the JSON the page embeds. Every figure is also
   in the page's tables. Drawn again after an htmx swap of the page's body. */
(function () {
  "use strict";

  var COLOURS = ["#111827", "#017fc0", "#d97706", "#15803d"];

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function line(canvas, months, series, max) {
    if (!canvas || !window.Chart) return;
    if (canvas.chart) canvas.chart.destroy();
    var small = window.matchMedia("(max-width: 600px)").matches;
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    canvas.chart = new window.Chart(canvas, {
      type: "line",
      data: {
        labels: months,
        datasets: series.map(function (s, i) {
          return {
            label: s.label,
            data: s.values,
            borderColor: COLOURS[i % COLOURS.length],
            backgroundColor: COLOURS[i % COLOURS.length],
            borderWidth: i === 0 ? 3 : 2,
            spanGaps: true,
            pointRadius: small ? 0 : 2
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, suggestedMax: max } },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
      }
    });
  }

  function draw() {
    var data = readJson("participation-charts");
    if (!data) return;
    line(document.querySelector("canvas[data-index-trend]"), data.months, data.index, 100);
    line(document.querySelector("canvas[data-men-trend]"), data.months, data.men, undefined);
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
