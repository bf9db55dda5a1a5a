/* kampungkb child growth: draws the child's length/height-for-age and weight-for-age against the
   WHO curves from the JSON the page embeds (#growth-data). The same figures are in the page's
   tables, so without this script or Chart.js the page still says everything. */
(function () {
  "use strict";

  var CURVES = [
    { key: "SD3neg", colour: "#be123c", dash: [4, 3] },
    { key: "SD2neg", colour: "#d97706", dash: [6, 3] },
    { key: "SD0", colour: "#15803d", dash: [] }
  ];

  function readData() {
    var node = document.getElementById("growth-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function draw() {
    var data = readData();
    if (!data || !window.Chart) return;
    var small = window.matchMedia("(max-width: 600px)").matches;
    var size = small ? 11 : 13;
    document.querySelectorAll("canvas[data-growth-chart]").forEach(function (canvas) {
      var chart = data.charts[Number(canvas.dataset.growthChart)];
      if (!chart) return;
      var datasets = CURVES.map(function (c) {
        return {
          label: data.labels[c.key],
          data: chart.months.map(function (m, i) { return { x: m, y: chart.curves[c.key][i] }; }),
          borderColor: c.colour,
          borderDash: c.dash,
          borderWidth: 1.5,
          pointRadius: 0,
          fill: false
        };
      });
      datasets.push({
        label: data.labels.child,
        data: chart.points,
        borderColor: "#017fc0",
        backgroundColor: "#017fc0",
        borderWidth: 2,
        pointRadius: 4
      });
      var last = chart.points.length ? chart.points[chart.points.length - 1].x : 0;
      new window.Chart(canvas, {
        type: "line",
        data: { datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          parsing: false,
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12, font: { size: size } } } },
          scales: {
            x: {
              type: "linear",
              min: 0,
              max: Math.min(60, Math.max(12, Math.ceil((last + 6) / 6) * 6)),
              title: { display: true, text: data.labels.age, font: { size: size } },
              ticks: { stepSize: 6, font: { size: size } }
            },
            y: { ticks: { font: { size: size } } }
          }
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
