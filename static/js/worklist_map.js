/* The ticket page's place: the ticket's point over the offline base map (static/js/base_map.js)
 * and, for the dispatcher, the nearby reports it may be merged into; the gazetteer search above
 * the map; and the "copy address" button next to the navigation links. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var copy = document.getElementById("copy-address");
  if (copy) {
    var status = document.getElementById("copy-status");
    copy.addEventListener("click", function () {
      var text = copy.getAttribute("data-copy");
      function done(ok) { status.textContent = copy.getAttribute(ok ? "data-done" : "data-failed") + (ok ? "：" + text : ""); }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
        return;
      }
      // Plain-HTTP intranets have no Clipboard API: the old way, through a selected text field.
      var field = document.createElement("textarea");
      field.value = text;
      field.setAttribute("readonly", "");
      field.style.position = "fixed";
      field.style.opacity = "0";
      document.body.appendChild(field);
      field.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      document.body.removeChild(field);
      done(ok);
    });
  }

  var el = document.getElementById("ticket-map");
  if (!el || typeof L === "undefined" || !window.YimaMap) { return; }
  var point = JSON.parse(document.getElementById("ticket-point").textContent);
  var nearby = JSON.parse(document.getElementById("nearby-points").textContent);
  var words = JSON.parse(document.getElementById("map-words").textContent);
  var base = window.YimaMap.create(el, { fit: false, search: true });
  var map = base.map;
  var here = base.toMap(point.lon, point.lat);
  var bounds = L.latLngBounds([here]);
  L.circleMarker(here, { radius: 9, color: "#c8102e", fillOpacity: 0.8, className: "ticket-point" })
    .bindPopup(words.here + " " + point.number).addTo(map);
  nearby.forEach(function (p) {
    var at = base.toMap(p.lon, p.lat);
    bounds.extend(at);
    var marker = L.circleMarker(at, { radius: 7, color: "#0b5cad", fillOpacity: 0.6 });
    marker.bindPopup(words.nearby + " " + p.label);
    marker.on("click", function () {
      var input = document.getElementById("id_merge-into");
      if (input) { input.value = p.number; }
    });
    marker.addTo(map);
  });
  if (nearby.length === 0) { map.setView(here, 16); }
  else { map.fitBounds(bounds.pad(0.5), { maxZoom: 17 }); }
})();
