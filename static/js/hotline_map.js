/* The hotline operator's place finder: the caller names a place, the operator searches the
 * gazetteer (or taps the map), and the pin's WGS-84 position fills the form's 经度 / 纬度. */
(function () {
  "use strict";
  var el = document.getElementById("hotline-map");
  var lon = document.getElementById("id_lon"), lat = document.getElementById("id_lat");
  if (!el || !lon || !lat || typeof L === "undefined" || !window.YimaMap) { return; }
  var address = document.getElementById("id_address");
  var readout = document.getElementById("hotline-pin");
  var pin = null;
  var base = window.YimaMap.create(el, {
    search: function (place) {
      place_(place.lon, place.lat);
      if (address && !address.value && place.kind === "address") { address.value = place.name; }
    }
  });
  function place_(x, y) {
    lon.value = x.toFixed(6);
    lat.value = y.toFixed(6);
    readout.textContent = lon.value + ", " + lat.value;
    var at = base.toMap(x, y);
    if (pin) { pin.setLatLng(at); return; }
    pin = L.marker(at, { draggable: true }).addTo(base.map);
    pin.on("dragend", function () { var w = base.fromMap(pin.getLatLng()); place_(w[0], w[1]); });
  }
  base.map.on("click", function (e) { var w = base.fromMap(e.latlng); place_(w[0], w[1]); });
  var x = parseFloat(lon.value), y = parseFloat(lat.value);
  if (isFinite(x) && isFinite(y)) { place_(x, y); }
})();
