/* kampungkb dashboard: draws the charts and the map from the JSON the page embeds
   (#dashboard-data). Every figure is also in the page's tables, so without this script, or
   without Chart.js or Leaflet, the page still says everything. */
(function () {
  "use strict";

  var COLOURS = ["#017fc0", "#d97706", "#15803d", "#7c3aed", "#be123c"];
  var charts = [];
  var map = null;

  function readData() {
    var node = document.getElementById("dashboard-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function narrow() {
    return window.matchMedia("(max-width: 600px)").matches;
  }

  function fontSize() {
    return narrow() ? 12 : 13;
  }

  function baseOptions(percent) {
    var size = fontSize();
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12, font: { size: size } } }
      },
      scales: {
        x: { ticks: { font: { size: size }, maxRotation: 0, autoSkip: true, maxTicksLimit: narrow() ? 4 : 6 } },
        y: {
          beginAtZero: true,
          suggestedMax: percent ? 100 : undefined,
          ticks: { font: { size: size }, precision: 0 }
        }
      }
    };
  }

  function drawTrends(root, data) {
    root.querySelectorAll("canvas[data-trend]").forEach(function (canvas) {
      var trend = data.trends[Number(canvas.dataset.trend)];
      if (!trend) return;
      charts.push(new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.months,
          datasets: trend.series.map(function (s, i) {
            return {
              label: s.label,
              data: s.values,
              borderColor: COLOURS[i % COLOURS.length],
              backgroundColor: COLOURS[i % COLOURS.length],
              borderWidth: 2,
              pointRadius: 2,
              spanGaps: false
            };
          })
        },
        options: baseOptions(trend.percent)
      }));
    });
  }

  function drawMethods(root, data) {
    var canvas = root.querySelector("canvas[data-methods]");
    if (!canvas || !data.methods.values.length) return;
    var options = baseOptions(false);
    options.indexAxis = "y";
    options.plugins.legend = { display: false };
    options.scales = {
      x: { beginAtZero: true, ticks: { font: { size: fontSize() }, precision: 0 } },
      y: { ticks: { font: { size: fontSize() } } }
    };
    charts.push(new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.methods.labels,
        datasets: [{ data: data.methods.values, backgroundColor: COLOURS[0] }]
      },
      options: options
    }));
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function drawMap(root, data) {
    var node = root.querySelector("[data-map]");
    if (!node || !window.L || !data.map.points.length) return;
    map = window.L.map(node, { attributionControl: Boolean(data.map.tiles), zoomSnap: 0.25 });
    if (data.map.tiles) {
      window.L.tileLayer(data.map.tiles, { attribution: data.map.attribution, maxZoom: 18 }).addTo(map);
    }
    var markers = data.map.points.map(function (p) {
      var marker = window.L.circleMarker([p.lat, p.lng], {
        radius: 8, color: "#334155", weight: 1, fillColor: p.colour, fillOpacity: 0.9
      });
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      marker.bindPopup(
        "<strong>" + link.outerHTML + "</strong><br>" +
        escapeHtml(data.map.indicator) + ": " + escapeHtml(p.value)
      );
      marker.bindTooltip(escapeHtml(p.name));
      return marker.addTo(map);
    });
    // Kampung KB: a diamond coloured by class, drawn over its village's circle.
    var kampung = document.getElementById("dashboard-kampung");
    (kampung ? JSON.parse(kampung.textContent) : []).forEach(function (k) {
      var icon = window.L.divIcon({
        className: "kampung-marker",
        iconSize: [16, 16],
        html: '<span style="display:block;width:12px;height:12px;margin:2px;transform:rotate(45deg);' +
          'border:2px solid #111827;background:' + k.colour + '"></span>'
      });
      var link = document.createElement("a");
      link.href = k.url;
      link.textContent = k.name;
      window.L.marker([k.lat, k.lng], { icon: icon, title: k.name + " (" + k["class"] + ")" })
        .bindPopup("<strong>" + link.outerHTML + "</strong><br>" + escapeHtml(k.village) +
          "<br>" + escapeHtml(k["class"]))
        .addTo(map);
    });
    var bounds = window.L.featureGroup(markers).getBounds();
    if (markers.length === 1) {
      map.setView(bounds.getCenter(), 13);
    } else {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
    }
  }

  function clear() {
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
    if (map) { map.remove(); map = null; }
  }

  function draw() {
    var root = document.getElementById("dashboard");
    var data = readData();
    clear();
    if (!root || !data) return;
    if (window.Chart) {
      window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      drawTrends(root, data);
      drawMethods(root, data);
    }
    drawMap(root, data);
  }

  document.addEventListener("DOMContentLoaded", draw);
  // htmx swaps the dashboard's content (another area, month or indicator): draw it again.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "dashboard") draw();
  });
  document.addEventListener("htmx:historyRestore", draw);
})();
