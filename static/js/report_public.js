/* The public map: one marker per listed report (public categories only; no personal data). */
(function () {
  "use strict";
  var el = document.getElementById("public-map");
  if (!el || typeof L === "undefined") { return; }
  document.documentElement.classList.add("js");
  var points = JSON.parse(document.getElementById("public-points").textContent);
  var coords = window.YimaCoords.forTiles(el.getAttribute("data-tile-crs"));
  var map = L.map(el).setView(coords.toMap(111.905, 34.745), 13);
  var tileUrl = el.getAttribute("data-tile-url");
  if (tileUrl) { L.tileLayer(tileUrl, { attribution: el.getAttribute("data-tile-attribution"), maxZoom: 19 }).addTo(map); }
  var bounds = [];
  points.forEach(function (p) {
    var box = document.createElement("div"), link = document.createElement("a");
    link.href = "/public/" + encodeURIComponent(p.number) + "/";
    link.textContent = p.category;
    box.appendChild(link);
    box.appendChild(document.createTextNode(" · " + p.status));
    var at = coords.toMap(p.lon, p.lat);
    L.circleMarker(at, { radius: 7, color: "#c8102e" }).bindPopup(box).addTo(map);
    bounds.push(at);
  });
  if (bounds.length) { map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] }); }
})();
