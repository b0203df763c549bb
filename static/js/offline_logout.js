/* Logging out clears this phone's offline worklist: the bundle and queue in IndexedDB and the
   cached shell and thumbnails, so the next person to sign in never sees the previous one's
   tickets. Unsent actions are announced first (they cannot be sent once signed out). */
(function () {
  "use strict";
  var form = document.getElementById("logout-form");
  if (!form) { return; }
  var DB = "yima-offline", USER_CACHE = "yima-user";

  function wipe() {
    var jobs = [];
    if (window.YimaOffline) {
      jobs.push(window.YimaOffline.clearAll());
    } else if (window.indexedDB) {
      jobs.push(new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DB);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      }));
    }
    if (window.caches) { jobs.push(caches.delete(USER_CACHE)); }
    return Promise.all(jobs).catch(function () { /* logging out must never be blocked */ });
  }

  form.addEventListener("submit", function (event) {
    if (form.dataset.cleared === "1") { return; }
    event.preventDefault();
    var waiting = window.YimaOffline ? window.YimaOffline.waitingCount() : Promise.resolve(0);
    waiting.then(function (count) {
      if (count > 0 && !window.confirm(form.dataset.unsent.replace("%(count)s", count))) { return; }
      wipe().then(function () { form.dataset.cleared = "1"; form.submit(); });
    });
  });
})();
