/* The dispatcher console's place finder: the gazetteer search over the offline base map, to see
 * where a caller's or a report's place is and which grid it falls in. */
(function () {
  "use strict";
  var el = document.getElementById("console-map");
  if (!el || typeof L === "undefined" || !window.YimaMap) { return; }
  window.YimaMap.create(el, { search: true });
})();
