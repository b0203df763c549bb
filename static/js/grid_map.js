/* The grid map: every grid drawn from /api/v1/grids/geojson, each clickable to a popup.
 * No tiles unless the server configured MAP_TILE_URL (government intranets are often offline).
 * Coordinates are WGS-84; when the tile provider uses GCJ-02 they are shifted here, at the edge. */
(function () {
  "use strict";
  var el = document.getElementById("grid-map");
  if (!el || typeof L === "undefined") { return; }
  var labels = JSON.parse(document.getElementById("grid-map-labels").textContent);
  var tiles = JSON.parse(document.getElementById("grid-map-tiles").textContent);
  var status = document.getElementById("grid-map-status");

  // WGS-84 → GCJ-02 (the published "Mars coordinates" transform), for GCJ-02 tile providers.
  var A = 6378245.0, EE = 0.00669342162296594323;
  function tLat(x, y) {
    var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    return r;
  }
  function tLon(x, y) {
    var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    return r;
  }
  function toGcj(lon, lat) {
    var dLat = tLat(lon - 105, lat - 35), dLon = tLon(lon - 105, lat - 35);
    var rad = lat / 180 * Math.PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad);
    var sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * Math.PI);
    dLon = (dLon * 180) / (A / sq * Math.cos(rad) * Math.PI);
    return L.latLng(lat + dLat, lon + dLon);
  }
  var coordsToLatLng = tiles && tiles.crs === "gcj02"
    ? function (c) { return toGcj(c[0], c[1]); }
    : function (c) { return L.latLng(c[1], c[0]); };

  var map = L.map(el, { zoomSnap: 0.25, tap: true });
  if (tiles) {
    L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
  }

  function row(dl, term, value) {
    var dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = term;
    dd.textContent = value;
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  function popup(props) {
    // Built from DOM nodes, never from HTML strings: names come from imported files.
    var box = document.createElement("div");
    box.className = "grid-popup";
    var title = document.createElement("strong");
    title.textContent = props.name;
    box.appendChild(title);
    var dl = document.createElement("dl");
    row(dl, labels.code, props.code);
    row(dl, labels.community, props.community);
    row(dl, labels.street, props.street);
    if (props.workers) {
      row(dl, labels.workers, props.workers.length ? props.workers.join("、") : labels.none);
    } else {
      row(dl, labels.workerCount, String(props.worker_count));
    }
    box.appendChild(dl);
    return box;
  }

  fetch(el.dataset.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        coordsToLatLng: coordsToLatLng,
        style: { color: "#c8102e", weight: 1, fillColor: "#f5b7c0", fillOpacity: 0.25 },
        onEachFeature: function (feature, shape) {
          shape.bindPopup(function () { return popup(feature.properties); });
          shape.on("popupopen", function () { shape.setStyle({ fillOpacity: 0.55 }); });
          shape.on("popupclose", function () { shape.setStyle({ fillOpacity: 0.25 }); });
        }
      }).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [8, 8] }); }
      else { map.setView([34.745, 111.905], 12); }
      status.textContent = labels.loaded.replace("{n}", data.features.length);
    })
    .catch(function () {
      map.setView([34.745, 111.905], 12);
      status.textContent = labels.failed;
      status.classList.add("error");
    });
})();
