/* The public map: one marker per listed report (public categories only; no personal data), over
 * the offline base map (static/js/base_map.js). */
(function () {
  "use strict";
  var el = document.getElementById("public-map");
  if (!el || typeof L === "undefined" || !window.YimaMap) { return; }
  document.documentElement.classList.add("js");
  var points = JSON.parse(document.getElementById("public-points").textContent);
  var base = window.YimaMap.create(el, { fit: points.length === 0 });
  var map = base.map;
  var bounds = [];
  points.forEach(function (p) {
    var box = document.createElement("div"), link = document.createElement("a");
    link.href = "/public/" + encodeURIComponent(p.number) + "/";
    link.textContent = p.category;
    box.appendChild(link);
    box.appendChild(document.createTextNode(" · " + p.status));
    var at = base.toMap(p.lon, p.lat);
    L.circleMarker(at, { radius: 7, color: "#c8102e" }).bindPopup(box).addTo(map);
    bounds.push(at);
  });
  if (bounds.length) { map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] }); }
})();
