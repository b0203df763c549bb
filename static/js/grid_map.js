/* The grid map: every grid drawn from /api/v1/grids/geojson over the offline base map
 * (static/js/base_map.js: outline, neighbours, labels, tiles when configured, coordinate shift for
 * GCJ-02 tiles), each grid clickable to a popup, with the gazetteer search above the map. */
(function () {
  "use strict";
  var el = document.getElementById("grid-map");
  if (!el || typeof L === "undefined" || !window.YimaMap) { return; }
  var labels = JSON.parse(document.getElementById("grid-map-labels").textContent);
  var status = document.getElementById("grid-map-status");
  var base = window.YimaMap.create(el, { search: true });
  var map = base.map;

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
      var layer = L.geoJSON(data, base.geoJsonOptions({
        style: { color: "#c8102e", weight: 1, fillColor: "#f5b7c0", fillOpacity: 0.15 },
        onEachFeature: function (feature, shape) {
          shape.bindPopup(function () { return popup(feature.properties); });
          shape.on("popupopen", function () { shape.setStyle({ fillOpacity: 0.55 }); });
          shape.on("popupclose", function () { shape.setStyle({ fillOpacity: 0.15 }); });
        }
      })).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [8, 8] }); }
      status.textContent = labels.loaded.replace("{n}", data.features.length);
    })
    .catch(function () {
      status.textContent = labels.failed;
      status.classList.add("error");
    });
})();
