/* The ticket page's map: the ticket's point and, for the dispatcher, the nearby reports it may be
 * merged into. Leaflet is served by the app (static/vendor); no tiles unless MAP_TILE_URL is set,
 * so the points are drawn on a blank canvas on offline intranets. */
(function () {
  "use strict";
  var el = document.getElementById("ticket-map");
  if (!el || typeof L === "undefined") { return; }
  var point = JSON.parse(document.getElementById("ticket-point").textContent);
  var nearby = JSON.parse(document.getElementById("nearby-points").textContent);
  var words = JSON.parse(document.getElementById("map-words").textContent);
  var map = L.map(el, { zoomControl: true, attributionControl: false });
  var here = L.latLng(point.lat, point.lon);
  var bounds = L.latLngBounds([here]);
  L.circleMarker(here, { radius: 9, color: "#c8102e", fillOpacity: 0.8 })
    .bindPopup(words.here + " " + point.number).addTo(map);
  nearby.forEach(function (p) {
    var at = L.latLng(p.lat, p.lon);
    bounds.extend(at);
    var marker = L.circleMarker(at, { radius: 7, color: "#0b5cad", fillOpacity: 0.6 });
    marker.bindPopup(words.nearby + " " + p.label);
    marker.on("click", function () {
      var input = document.getElementById("id_merge-into");
      if (input) { input.value = p.number; }
    });
    marker.addTo(map);
  });
  map.fitBounds(bounds.pad(0.5), { maxZoom: 17 });
  if (nearby.length === 0) { map.setView(here, 16); }
})();
