/* The report page, enhanced: photo previews (removable, downscaled in the browser), location by
 * geolocation / a movable pin / the first photo's EXIF GPS, the grid shown before sending, category
 * search, open reports nearby ("me too"), and submission through the API with field errors.
 * Without this script the page is a plain multipart form that works the same way. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  document.documentElement.classList.add("js");

  var MAX_PHOTOS = 9, MAX_SIDE = 1600, QUALITY = 0.8;
  var YIMA_LON = 111.905, YIMA_LAT = 34.745;  // the city centre, where the pin starts
  var chosen = [];  // {file, gps, url}
  var previews = document.getElementById("photo-previews");
  var lonInput = document.getElementById("lon"), latInput = document.getElementById("lat");
  var gridPreview = document.getElementById("grid-preview");
  var categorySelect = document.getElementById("category");
  var nearbyBox = document.getElementById("nearby");
  var submitButton = document.getElementById("submit-report");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  // Interface words come from the page, translated by Django (static/js has no language of its own).
  var text = JSON.parse(document.getElementById("report-words").textContent);

  // --- EXIF GPS: a small reader for JPEG APP1 (the canvas copy loses it, so read the original) ---
  function readGps(buffer) {
    var view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xFFD8) { return null; }
    var offset = 2;
    while (offset + 4 < view.byteLength) {
      var marker = view.getUint16(offset), size = view.getUint16(offset + 2);
      if (marker === 0xFFE1 && view.getUint32(offset + 4) === 0x45786966) {  // "Exif"
        return gpsFromTiff(view, offset + 10);
      }
      if ((marker & 0xFF00) !== 0xFF00 || marker === 0xFFDA) { break; }
      offset += 2 + size;
    }
    return null;
  }
  function gpsFromTiff(view, tiff) {
    var little = view.getUint16(tiff) === 0x4949;
    function u16(o) { return view.getUint16(tiff + o, little); }
    function u32(o) { return view.getUint32(tiff + o, little); }
    function entries(ifd) {
      var out = {}, count = u16(ifd);
      for (var i = 0; i < count; i++) {
        var e = ifd + 2 + i * 12;
        out[u16(e)] = { type: u16(e + 2), count: u32(e + 4), at: e + 8 };
      }
      return out;
    }
    function rationals(entry) {
      var base = u32(entry.at), values = [];
      for (var i = 0; i < entry.count; i++) {
        var den = u32(base + i * 8 + 4);
        values.push(den ? u32(base + i * 8) / den : 0);
      }
      return values;
    }
    function ref(entry) { return String.fromCharCode(view.getUint8(tiff + entry.at)); }
    try {
      var ifd0 = entries(u32(4));
      if (!ifd0[0x8825]) { return null; }
      var gps = entries(u32(ifd0[0x8825].at));
      if (!gps[2] || !gps[4]) { return null; }
      var la = rationals(gps[2]), lo = rationals(gps[4]);
      var lat = la[0] + la[1] / 60 + la[2] / 3600, lon = lo[0] + lo[1] / 60 + lo[2] / 3600;
      if (gps[1] && ref(gps[1]) === "S") { lat = -lat; }
      if (gps[3] && ref(gps[3]) === "W") { lon = -lon; }
      return (lat || lon) ? { lon: lon, lat: lat } : null;
    } catch (err) { return null; }
  }

  // --- Downscaling: large photos become ≤1600 px JPEGs (browsers apply EXIF orientation) ---
  function downscale(file) {
    return new Promise(function (resolve) {
      var img = new Image(), url = URL.createObjectURL(file);
      img.onload = function () {
        var w = img.naturalWidth, h = img.naturalHeight, scale = Math.min(1, MAX_SIDE / Math.max(w, h));
        if (scale === 1 && file.size < 1.5 * 1024 * 1024) { URL.revokeObjectURL(url); resolve(file); return; }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], (file.name || "photo").replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", QUALITY);
      };
      img.onerror = function () { URL.revokeObjectURL(url); resolve(file); };  // HEIC etc.: the server decodes it
      img.src = url;
    });
  }

  function renderPreviews() {
    previews.textContent = "";
    chosen.forEach(function (item, index) {
      var li = document.createElement("li"), img = document.createElement("img"), del = document.createElement("button");
      img.src = item.url; img.alt = item.file.name || "";
      del.type = "button"; del.textContent = "\u00d7"; del.setAttribute("aria-label", text.remove);
      del.addEventListener("click", function () { URL.revokeObjectURL(item.url); chosen.splice(index, 1); renderPreviews(); });
      li.appendChild(img); li.appendChild(del); previews.appendChild(li);
    });
  }

  function addFiles(input) {
    Array.prototype.forEach.call(input.files, function (file) {
      if (chosen.length >= MAX_PHOTOS) { showError("photos", text.tooMany); return; }
      var item = { file: file, gps: null, url: URL.createObjectURL(file) };
      chosen.push(item);
      file.slice(0, 256 * 1024).arrayBuffer().then(function (buf) {
        item.gps = readGps(buf);
        if (item.gps && chosen[0] === item && !lonInput.value) { setPoint(item.gps.lon, item.gps.lat, true); }
      });
    });
    input.value = "";
    renderPreviews();
  }
  ["photos-camera", "photos-input"].forEach(function (id) {
    var input = document.getElementById(id);
    input.addEventListener("change", function () { addFiles(input); });
  });

  // --- Location: map pin (over the offline base map), gazetteer search, geolocation, grid preview ---
  var map = null, pin = null, base = null;
  var mapEl = document.getElementById("report-map");
  var readout = document.getElementById("pin-readout");
  var locateStatus = document.getElementById("locate-status");
  if (typeof L !== "undefined" && window.YimaMap && mapEl) {
    // The gazetteer's pick moves the pin (the map has already moved to the place).
    base = window.YimaMap.create(mapEl, { search: function (place) { setPoint(place.lon, place.lat, false); }, fit: true });
    map = base.map;
    pin = L.marker(base.toMap(YIMA_LON, YIMA_LAT), { draggable: true, autoPan: true }).addTo(map);
    pin.on("drag", function () { var w = base.fromMap(pin.getLatLng()); showPin(w[0], w[1]); scheduleLookup(); });
    pin.on("dragend", function () { var w = base.fromMap(pin.getLatLng()); setPoint(w[0], w[1], false); });
    map.on("click", function (e) { var w = base.fromMap(e.latlng); setPoint(w[0], w[1], false); });
  }
  // Positions are WGS-84 everywhere except on the map itself.
  function showPin(lon, lat) {
    lonInput.value = lon.toFixed(6); latInput.value = lat.toFixed(6);
    if (readout) { readout.textContent = text.pin + "：" + lon.toFixed(6) + ", " + lat.toFixed(6); }
  }
  function setPoint(lon, lat, moveMap) {
    showPin(lon, lat);
    if (pin) { pin.setLatLng(base.toMap(lon, lat)); if (moveMap) { map.setView(base.toMap(lon, lat), 16); } }
    lookupGrid(); lookupNearby();
  }
  // While the pin is dragged the grid is asked for at most every 400 ms.
  var lookupTimer = null;
  function scheduleLookup() {
    if (lookupTimer) { return; }
    lookupTimer = setTimeout(function () { lookupTimer = null; lookupGrid(); }, 400);
  }
  function say(message, isError) {
    locateStatus.textContent = message;
    locateStatus.className = isError ? "error" : "muted";
  }
  document.getElementById("locate-me").addEventListener("click", function () {
    if (!navigator.geolocation) { say(text.locateUnsupported, true); return; }
    say(text.locating, false);
    navigator.geolocation.getCurrentPosition(function (pos) {
      say(text.located.replace("{m}", Math.round(pos.coords.accuracy || 0)), false);
      setPoint(pos.coords.longitude, pos.coords.latitude, true);
    }, function (err) {
      // 1 PERMISSION_DENIED, 2 POSITION_UNAVAILABLE, 3 TIMEOUT
      var message = { 1: text.locateDenied, 2: text.locateUnavailable, 3: text.locateTimeout }[err && err.code];
      say(message || text.locateUnavailable, true);
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
  [lonInput, latInput].forEach(function (el) {
    el.addEventListener("change", function () {
      var lon = parseFloat(lonInput.value), lat = parseFloat(latInput.value);
      if (pin && isFinite(lon) && isFinite(lat)) { pin.setLatLng(base.toMap(lon, lat)); showPin(lon, lat); }
      lookupGrid(); lookupNearby();
    });
  });

  function query(params) { return Object.keys(params).map(function (k) { return k + "=" + encodeURIComponent(params[k]); }).join("&"); }
  var gridAsked = 0;
  function lookupGrid() {
    if (!lonInput.value || !latInput.value) { return; }
    var ticket = ++gridAsked;
    fetch(form.getAttribute("data-locate-url") + "?" + query({ lon: lonInput.value, lat: latInput.value }))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (ticket !== gridAsked) { return; }  // an answer for an older pin position
        gridPreview.textContent = data.message || "";
        gridPreview.className = data.inside ? "ok" : "error";
      }).catch(function () {});
  }

  // --- Category: common problems first, then a search (everyday words, codes, pinyin) ---
  var search = document.getElementById("category-search");
  var results = document.getElementById("category-results");
  var chosenLine = document.getElementById("category-chosen");
  var chips = document.querySelectorAll("#common-problems .problem");
  function showChosen() {
    var option = categorySelect.options[categorySelect.selectedIndex];
    chosenLine.textContent = option && option.value ? text.chosen + option.textContent : "";
    Array.prototype.forEach.call(chips, function (chip) {
      chip.setAttribute("aria-pressed", chip.getAttribute("data-code") === categorySelect.value ? "true" : "false");
    });
  }
  function choose(code) {
    categorySelect.value = code;
    showChosen();
    lookupNearby();
  }
  Array.prototype.forEach.call(chips, function (chip) {
    chip.addEventListener("click", function () { choose(chip.getAttribute("data-code")); });
  });
  var searchTimer = null, searchSeq = 0;
  function runSearch() {
    var term = search.value.trim(), seq = ++searchSeq;
    results.innerHTML = "";
    if (!term) { return; }
    fetch(search.getAttribute("data-url") + "?" + query({ q: term }), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (found) {
        if (seq !== searchSeq) { return; }
        results.innerHTML = "";
        if (!found.length) {
          var none = document.createElement("li"); none.className = "muted"; none.textContent = text.noMatch;
          results.appendChild(none); return;
        }
        found.slice(0, 8).forEach(function (item) {
          var li = document.createElement("li"), button = document.createElement("button");
          button.type = "button"; button.className = "problem-result"; button.setAttribute("data-code", item.code);
          var strong = document.createElement("strong"); strong.textContent = item.label;
          var small = document.createElement("small");
          small.textContent = " " + item.code + " " + item.group + (item.label !== item.name ? " · " + item.name : "") + (item.local ? " · " + text.local : "");
          button.appendChild(strong); button.appendChild(small);
          button.addEventListener("click", function () { choose(item.code); results.innerHTML = ""; });
          li.appendChild(button); results.appendChild(li);
        });
      }).catch(function () {});
  }
  search.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 200);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {  // pick the best match rather than submitting the form
      event.preventDefault();
      var first = results.querySelector(".problem-result");
      if (first) { first.click(); }
    }
  });
  categorySelect.addEventListener("change", function () { showChosen(); lookupNearby(); });
  showChosen();

  // --- Open reports nearby: "me too" instead of a duplicate ---
  function lookupNearby() {
    if (!categorySelect.value || !lonInput.value || !latInput.value) { return; }
    fetch(form.getAttribute("data-nearby-url") + "?" + query({ category: categorySelect.value, lon: lonInput.value, lat: latInput.value }))
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(renderNearby).catch(function () {});
  }
  function renderNearby(list) {
    nearbyBox.textContent = "";
    if (!list.length) { return; }
    var h = document.createElement("h2"); h.textContent = text.nearbyTitle; nearbyBox.appendChild(h);
    var p = document.createElement("p"); p.className = "muted"; p.textContent = text.nearbyHint; nearbyBox.appendChild(p);
    var ul = document.createElement("ul"); ul.className = "nearby-list";
    list.forEach(function (r) {
      var li = document.createElement("li"); li.className = "card";
      var strong = document.createElement("strong"); strong.textContent = r.category;
      li.appendChild(strong);
      li.appendChild(document.createTextNode(" · " + r.status_display + " · " + Math.round(r.distance_m) + text.meters));
      if (r.address) { var d = document.createElement("div"); d.className = "muted"; d.textContent = r.address; li.appendChild(d); }
      var btn = document.createElement("button"); btn.type = "button"; btn.className = "btn"; btn.textContent = text.metoo;
      btn.addEventListener("click", function () {
        fetch("/api/v1/reports/" + encodeURIComponent(r.number) + "/support/", {
          method: "POST", headers: { "X-CSRFToken": csrf, "Content-Type": "application/json" }, credentials: "same-origin", body: "{}"
        }).then(function (resp) { return resp.json().then(function (body) { return { ok: resp.ok, body: body }; }); })
          .then(function (res) {
            if (res.ok) { window.location.href = "/public/" + encodeURIComponent(r.number) + "/"; }
            else { btn.replaceWith(document.createTextNode(res.body.detail || text.failed)); }
          });
      });
      li.appendChild(btn); ul.appendChild(li);
    });
    nearbyBox.appendChild(ul);
  }

  // --- Submission through the API, with field errors next to their inputs ---
  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".js-error"), function (el) { el.remove(); });
  }
  function showError(field, message) {
    var anchor = { photos: "photos-field", location: "location-field", lon: "location-field", lat: "location-field", category: "category-field" }[field];
    var box = anchor ? document.getElementById(anchor) : form.querySelector("[name=" + field + "]");
    var p = document.createElement("p");
    p.className = "error js-error"; p.setAttribute("role", "alert"); p.textContent = message;
    if (box && box.parentNode) { box.parentNode.insertBefore(p, box.nextSibling); } else { form.insertBefore(p, form.firstChild); }
    p.scrollIntoView({ block: "center" });
  }

  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.getAttribute("formmethod")) { return; }
    event.preventDefault();
    clearErrors();
    submitButton.disabled = true;
    var original = submitButton.textContent;
    submitButton.textContent = text.sending;
    Promise.all(chosen.map(function (item) { return downscale(item.file); })).then(function (files) {
      var data = new FormData(form);
      data.delete("photos");
      files.forEach(function (f) { data.append("photos", f, f.name || "photo.jpg"); });
      return fetch(form.getAttribute("data-submit-url"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
      });
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (body) { return { status: resp.status, body: body }; });
    }).then(function (res) {
      if ((res.status === 200 || res.status === 201) && res.body.tracking_url) {
        window.location.href = res.body.tracking_url + "?new=1";
        return;
      }
      if (res.status === 200) {
        // A replay of a report filed from another browser: its number, not its tracking link.
        submitButton.disabled = false; submitButton.textContent = original;
        showError("__all__", text.alreadyFiled.replace("{n}", res.body.number));
        return;
      }
      submitButton.disabled = false; submitButton.textContent = original;
      if (res.body && res.body.detail) { showError("__all__", res.body.detail); return; }
      Object.keys(res.body || {}).forEach(function (field) {
        var messages = res.body[field];
        showError(field, Array.isArray(messages) ? messages.join(" ") : String(messages));
      });
    }).catch(function () {
      submitButton.disabled = false; submitButton.textContent = original;
      showError("__all__", text.failed);
    });
  });
})();
