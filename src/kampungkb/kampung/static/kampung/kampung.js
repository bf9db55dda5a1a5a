/* Kampung KB pages: the map by class (Leaflet) and the class history chart (Chart.js), drawn
   from the JSON the page embeds. Every figure is also in the page's tables. */
(function () {
  "use strict";

  var COLOURS = ["#017fc0", "#d97706", "#15803d"];

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function drawMap() {
    var node = document.querySelector("[data-kampung-map]");
    var data = readJson("kampung-map");
    if (!node || !data || !window.L) return;
    var points = data.points.filter(function (p) { return p.lat !== null && p.lng !== null; });
    if (!points.length) return;
    var map = window.L.map(node, { attributionControl: Boolean(data.tiles), zoomSnap: 0.25 });
    if (data.tiles) {
      window.L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 18 }).addTo(map);
    }
    var markers = points.map(function (p) {
      var marker = window.L.circleMarker([p.lat, p.lng], {
        radius: 9, color: "#111827", weight: 2, fillColor: p.colour, fillOpacity: 0.95
      });
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      marker.bindPopup("<strong>" + link.outerHTML + "</strong><br>" + escapeHtml(p.village) +
        (p["class"] ? "<br>" + escapeHtml(p["class"]) : ""));
      marker.bindTooltip(escapeHtml(p.name));
      return marker.addTo(map);
    });
    var bounds = window.L.featureGroup(markers).getBounds();
    if (markers.length === 1) {
      map.setView(bounds.getCenter(), 13);
    } else {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
    }
  }

  function drawHistory() {
    var canvas = document.querySelector("canvas[data-history]");
    var data = readJson("kampung-history");
    if (!canvas || !data || !window.Chart) return;
    var small = window.matchMedia("(max-width: 600px)").matches;
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.months,
        datasets: data.series.map(function (s, i) {
          return {
            label: s.label, data: s.values, borderColor: COLOURS[i], backgroundColor: COLOURS[i],
            borderWidth: 2, pointRadius: 3, stepped: false
          };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: { callbacks: { footer: function (items) { return items.length ? data.classes[items[0].dataIndex] : ""; } } }
        },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: small ? 4 : 8 } },
          y: { min: 1, max: 4, ticks: { stepSize: 0.5 } }
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawMap();
    drawHistory();
  });
})();
