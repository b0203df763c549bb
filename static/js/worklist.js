/* Patrol form: fill longitude and latitude from the phone's position (the form works without it). */
(function () {
  "use strict";
  var button = document.getElementById("use-location");
  if (!button || !navigator.geolocation) { if (button) { button.hidden = true; } return; }
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_lon").value = pos.coords.longitude.toFixed(6);
      document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
    });
  });
})();
