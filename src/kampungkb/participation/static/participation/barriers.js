/* The barrier page's map (Leaflet): each village with coordinates as a point coloured by the
   barrier recorded most there, its counts in the popup. The page's table holds the same. Drawn
   again after an htmx swap of the page's body. */
(function () {
  "use strict";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function draw() {
    var node = document.querySelector("[data-barrier-map]");
    var source = document.getElementById("barrier-map");
    if (!node || !source || !window.L) return;
    var data = JSON.parse(source.textContent);
    if (!data.points.length) return;
    if (node.map) node.map.remove();
    var map = window.L.map(node, { attributionControl: Boolean(data.tiles), zoomSnap: 0.25 });
    node.map = map;
    if (data.tiles) {
      window.L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 18 }).addTo(map);
    }
    var markers = data.points.map(function (p) {
      var marker = window.L.circleMarker([p.lat, p.lng], {
        radius: 6 + Math.min(10, Math.sqrt(p.total) * 2),
        color: "#111827", weight: 1, fillColor: p.colour, fillOpacity: 0.9
      });
      var lines = p.counts.map(function (c) { return escapeHtml(c[0]) + ": " + c[1]; });
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      marker.bindPopup("<strong>" + link.outerHTML + "</strong>" +
        (lines.length ? "<br>" + lines.join("<br>") : ""));
      marker.bindTooltip(escapeHtml(p.name + (p.top ? ": " + p.top : "")));
      return marker.addTo(map);
    });
    var bounds = window.L.featureGroup(markers).getBounds();
    if (markers.length === 1) {
      map.setView(bounds.getCenter(), 13);
    } else {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
    }
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
