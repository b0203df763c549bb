/* Every map of the app starts here: YimaMap.create(element, options).
 *
 * The offline base map is drawn from the app's own data (/api/v1/grids/basemap): the city's
 * outline, the neighbouring counties faintly, 街道 / 社区 / grid boundaries with labels that change
 * with the zoom (街道 below 13, 社区 from 13, grids from 15), extra GeoJSON layers other apps
 * register (grids.basemap.register_layer), a scale bar and a credit line without a flag.
 * Online tiles (MAP_TILES) go on top of the base map's land fill and under its lines; when they
 * fail to load they are removed and the offline map is what remains.
 *
 * Our data is WGS-84. When the tiles are GCJ-02 (AutoNavi), positions are shifted at this edge
 * with gcoord; handle.toMap(lon, lat) and handle.fromMap(latLng) convert both ways.
 *
 * The configuration comes from <script id="map-config" type="application/json"> (json_script).
 *
 * options:
 *   search: false | true | function (place) — a gazetteer search box above the map; when a
 *           function, it is called with the chosen place ({name, lon, lat, zoom, kind}).
 *   fit:    true (default) — fit the view to the city once the base map is loaded.
 * returns { map, toMap, fromMap, ready: Promise, geoJsonOptions(opts) }
 */
(function () {
  "use strict";
  var config = null;
  function readConfig() {
    if (!config) {
      var node = document.getElementById("map-config");
      config = node ? JSON.parse(node.textContent) : { tiles: null, words: {}, extra_layers: [] };
    }
    return config;
  }

  var CENTRE = [111.875, 34.747];  // [lon, lat] of the city, before the outline has loaded
  var LABEL_KINDS = { neighbours: "neighbour", streets: "street", communities: "community", grids: "grid" };
  var LABEL_ZOOMS = {
    neighbours: [0, 12],
    streets: [0, 13],
    communities: [13, 15],
    grids: [15, 30]
  };

  function converter(crs) {
    if (crs === "gcj02" && window.gcoord) {
      return {
        toMap: function (lon, lat) {
          var p = window.gcoord.transform([lon, lat], window.gcoord.WGS84, window.gcoord.GCJ02);
          return L.latLng(p[1], p[0]);
        },
        fromMap: function (latlng) {
          var p = window.gcoord.transform([latlng.lng, latlng.lat], window.gcoord.GCJ02, window.gcoord.WGS84);
          return [p[0], p[1]];
        }
      };
    }
    return {
      toMap: function (lon, lat) { return L.latLng(lat, lon); },
      fromMap: function (latlng) { return [latlng.lng, latlng.lat]; }
    };
  }

  function pane(map, name, zIndex, passive) {
    var p = map.createPane(name);
    p.style.zIndex = String(zIndex);
    if (passive) { p.style.pointerEvents = "none"; }
    return name;
  }

  function labelLayer(features, kind, toMap, paneName) {
    var group = L.layerGroup();
    features.forEach(function (feature) {
      var props = feature.properties || {};
      var at = props.label || null;
      if (!at || !props.name) { return; }
      var span = document.createElement("span");
      span.textContent = props.name;  // names come from imported files: never HTML
      span.setAttribute("data-code", props.code || "");
      L.marker(toMap(at[0], at[1]), {
        pane: paneName,
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "basemap-label basemap-label-" + kind, html: span, iconSize: null })
      }).addTo(group);
    });
    return group;
  }

  function labelPoint(feature) {
    // Extra layers may carry no label point: use the middle of the feature's bounds.
    var bounds = L.geoJSON(feature).getBounds();
    var c = bounds.getCenter();
    return [c.lng, c.lat];
  }

  function create(el, options) {
    options = options || {};
    var cfg = readConfig();
    var words = cfg.words || {};
    var conv = converter(cfg.tiles ? cfg.tiles.crs : "wgs84");
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
    // Leaflet 1.9's default credit carries a national flag; a government site credits it plainly.
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (cfg.credit) { map.attributionControl.addAttribution(cfg.credit); }
    L.control.scale({ imperial: false, maxWidth: 120 }).addTo(map);
    map.setView(conv.toMap(CENTRE[0], CENTRE[1]), 12);

    var fillPane = pane(map, "basemap-fill", 150, true);    // under the tiles: the fallback
    var linePane = pane(map, "basemap-lines", 350, true);   // over the tiles, under page layers
    var labelPane = pane(map, "basemap-labels", 450, true);  // over page fills, under markers
    var coordsToLatLng = function (c) { return conv.toMap(c[0], c[1]); };

    function geoJsonOptions(opts) {
      var out = { coordsToLatLng: coordsToLatLng };
      Object.keys(opts || {}).forEach(function (k) { out[k] = opts[k]; });
      return out;
    }

    // --- Online tiles, removed again if they do not load ---
    if (cfg.tiles && cfg.tiles.layers && cfg.tiles.layers.length) {
      var loaded = 0, failed = 0, tileLayers = [];
      cfg.tiles.layers.forEach(function (url, i) {
        var layer = L.tileLayer(url, {
          subdomains: cfg.tiles.subdomains || "abc",
          maxZoom: cfg.tiles.max_zoom || 18,
          attribution: i === 0 ? cfg.tiles.attribution : ""
        });
        layer.on("tileload", function () { loaded += 1; });
        layer.on("tileerror", function () {
          failed += 1;
          if (loaded === 0 && failed >= 4 && tileLayers.length) {
            tileLayers.forEach(function (l) { map.removeLayer(l); });
            tileLayers = [];
            el.classList.remove("has-tiles");
            notice(words.tilesFailed);
          }
        });
        layer.addTo(map);
        tileLayers.push(layer);
      });
      el.classList.add("has-tiles");
    }

    function notice(message) {
      if (!message) { return; }
      var box = L.control({ position: "bottomleft" });
      box.onAdd = function () {
        var div = L.DomUtil.create("div", "basemap-notice");
        div.setAttribute("role", "status");
        div.textContent = message;
        return div;
      };
      box.addTo(map);
    }

    // --- The offline base map ---
    var labelGroups = {};
    function showLabels() {
      var z = map.getZoom();
      Object.keys(labelGroups).forEach(function (name) {
        var range = labelGroups[name].range, group = labelGroups[name].group;
        var on = z >= range[0] && z < range[1];
        if (on && !map.hasLayer(group)) { group.addTo(map); }
        if (!on && map.hasLayer(group)) { map.removeLayer(group); }
      });
    }
    map.on("zoomend", showLabels);

    var ready = fetch(cfg.basemap_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        L.geoJSON(data.neighbours, geoJsonOptions({ pane: fillPane, interactive: false, style: { className: "basemap-neighbour-fill", stroke: false, fillColor: "#e4e4e0", fillOpacity: 1 } })).addTo(map);
        L.geoJSON(data.city, geoJsonOptions({ pane: fillPane, interactive: false, style: { className: "basemap-city-fill", stroke: false, fillColor: "#fbf8ef", fillOpacity: 1 } })).addTo(map);
        L.geoJSON(data.neighbours, geoJsonOptions({ pane: linePane, interactive: false, style: { className: "basemap-neighbour", color: "#8a8a8a", weight: 1, opacity: 0.6, dashArray: "4 3", fill: false } })).addTo(map);
        L.geoJSON(data.grids, geoJsonOptions({ pane: linePane, interactive: false, style: { className: "basemap-grid", color: "#9a8f7a", weight: 0.6, opacity: 0.8, fill: false } })).addTo(map);
        L.geoJSON(data.communities, geoJsonOptions({ pane: linePane, interactive: false, style: { className: "basemap-community", color: "#6b6354", weight: 1.2, opacity: 0.9, fill: false } })).addTo(map);
        L.geoJSON(data.streets, geoJsonOptions({ pane: linePane, interactive: false, style: { className: "basemap-street", color: "#4a4336", weight: 2, opacity: 0.9, fill: false } })).addTo(map);
        var outline = L.geoJSON(data.city, geoJsonOptions({ pane: linePane, interactive: false, style: { className: "basemap-outline", color: "#a3162b", weight: 2.5, opacity: 1, fill: false } })).addTo(map);
        ["neighbours", "streets", "communities", "grids"].forEach(function (name) {
          labelGroups[name] = {
            range: LABEL_ZOOMS[name],
            group: labelLayer(data[name].features, LABEL_KINDS[name], conv.toMap, labelPane)
          };
        });
        if (options.fit !== false) { map.fitBounds(outline.getBounds(), { padding: [6, 6] }); }
        showLabels();
        loadExtraLayers(cfg.extra_layers || []);
        el.setAttribute("data-basemap", "ready");
        return data;
      })
      .catch(function () { el.setAttribute("data-basemap", "failed"); return null; });

    function loadExtraLayers(layers) {
      layers.forEach(function (spec) {
        fetch(spec.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
          .then(function (data) {
            L.geoJSON(data, geoJsonOptions({ pane: linePane, interactive: false, style: { className: "basemap-extra basemap-extra-" + spec.name, color: "#2f6f4f", weight: 1, fillOpacity: 0.08 } })).addTo(map);
            data.features.forEach(function (f) {
              f.properties = f.properties || {};
              if (!f.properties.label) { f.properties.label = labelPoint(f); }
            });
            labelGroups["extra-" + spec.name] = {
              range: [spec.min_zoom || 15, 30],
              group: labelLayer(data.features, "extra", conv.toMap, labelPane)
            };
            showLabels();
          }).catch(function () {});
      });
    }

    var handle = { map: map, toMap: conv.toMap, fromMap: conv.fromMap, ready: ready, geoJsonOptions: geoJsonOptions };
    if (options.search) { addSearch(el, handle, cfg, options.search); }
    return handle;
  }

  // --- The gazetteer search box, above the map ---
  function addSearch(el, handle, cfg, onPick) {
    var words = cfg.words || {};
    var box = document.createElement("div");
    box.className = "map-search";
    var input = document.createElement("input");
    input.type = "search";
    input.id = el.id + "-search";
    input.placeholder = words.search || "";
    input.setAttribute("aria-label", words.search || "");
    input.setAttribute("autocomplete", "off");
    var list = document.createElement("ul");
    list.className = "map-search-results";
    list.id = el.id + "-search-results";
    list.setAttribute("role", "listbox");
    box.appendChild(input);
    box.appendChild(list);
    el.parentNode.insertBefore(box, el);
    var marker = null, timer = null, latest = 0, results = [];

    function pick(place) {
      list.textContent = "";
      input.value = place.name;
      handle.map.setView(handle.toMap(place.lon, place.lat), place.zoom || 16);
      if (typeof onPick === "function") { onPick(place); return; }
      if (marker) { handle.map.removeLayer(marker); }
      marker = L.circleMarker(handle.toMap(place.lon, place.lat), { radius: 8, color: "#0b5cad", className: "map-search-hit" }).addTo(handle.map);
    }
    function render(found) {
      results = found;
      list.textContent = "";
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = words.noMatch || "";
        list.appendChild(none);
        return;
      }
      found.forEach(function (place) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "map-search-result";
        var strong = document.createElement("strong");
        strong.textContent = place.name;
        var small = document.createElement("small");
        small.textContent = place.detail || "";
        button.appendChild(strong);
        button.appendChild(small);
        button.addEventListener("click", function () { pick(place); });
        li.appendChild(button);
        list.appendChild(li);
      });
    }
    function query() {
      var term = input.value.trim();
      var ticket = ++latest;
      if (!term) { list.textContent = ""; return; }
      fetch(cfg.gazetteer_url + "?q=" + encodeURIComponent(term), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (body) { if (ticket === latest) { render(body.results || []); } })
        .catch(function () {});
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(query, 250); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();  // never submit the surrounding form
        if (results.length) { pick(results[0]); }
      }
    });
  }

  window.YimaMap = { create: create, config: readConfig };
})();
