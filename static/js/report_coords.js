/* WGS-84 ⇄ GCJ-02 for the resident maps. We store WGS-84; a GCJ-02 tile provider (most Chinese
 * ones) draws everything ~300-600 m off unless positions are shifted at the edge. Exposes
 * window.YimaCoords = { forTiles(crs) → {toMap(lon, lat) → [lat, lon], fromMap(lat, lon) → [lon, lat]} }. */
(function () {
  "use strict";
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
    var rad = lat / 180 * Math.PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * Math.PI);
    dLon = (dLon * 180) / (A / sq * Math.cos(rad) * Math.PI);
    return [lon + dLon, lat + dLat];
  }
  // The inverse by fixed-point iteration: a few rounds are well below a metre.
  function fromGcj(lon, lat) {
    var wLon = lon, wLat = lat;
    for (var i = 0; i < 4; i++) {
      var g = toGcj(wLon, wLat);
      wLon -= g[0] - lon; wLat -= g[1] - lat;
    }
    return [wLon, wLat];
  }
  window.YimaCoords = {
    forTiles: function (crs) {
      if (crs === "gcj02") {
        return {
          toMap: function (lon, lat) { var g = toGcj(lon, lat); return [g[1], g[0]]; },
          fromMap: function (lat, lon) { return fromGcj(lon, lat); }
        };
      }
      return {
        toMap: function (lon, lat) { return [lat, lon]; },
        fromMap: function (lat, lon) { return [lon, lat]; }
      };
    }
  };
})();
