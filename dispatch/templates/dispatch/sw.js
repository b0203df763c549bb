/* 义马 全域网格: the offline worklist's service worker (rendered by dispatch.offline.service_worker).
 *
 * - Static shell assets are precached in "yima-static-<version>" (no personal data).
 * - A staff page that cannot load (no signal) is answered with the offline worklist shell, which
 *   the page saved in "yima-user" the last time it was online (offline_queue.js).
 * - Other GET requests (thumbnails) go to the network first and fall back to "yima-user".
 * - Residents' pages are left alone: when the network fails they fail as before.
 * - "yima-user" holds a person's shell and thumbnails: offline_logout.js deletes it at logout.
 * - Background Sync: a "yima-replay" sync wakes the open pages, which replay the queue.
 */
"use strict";
var VERSION = "{{ version }}";
var STATIC_CACHE = "yima-static-" + VERSION;
var USER_CACHE = "yima-user";
var ASSETS = [{% for url in assets %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
var OFFLINE_URL = "{{ offline_url|escapejs }}";
var STATIC_URL = "{{ static_url|escapejs }}";
// Pages whose navigation falls back to the offline worklist.
var STAFF_PATHS = [/^\/work\//, /^\/unit\//, /^\/tickets\//, /^\/tasks\//, /^\/patrol\//];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(ASSETS); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("yima-static-") === 0 && name !== STATIC_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isStaffPage(url) {
  return STAFF_PATHS.some(function (re) { return re.test(url.pathname); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    if (!isStaffPage(url)) { return; }
    event.respondWith(fetch(request).catch(function () {
      return caches.open(USER_CACHE).then(function (cache) { return cache.match(OFFLINE_URL); })
        .then(function (page) { return page || Response.error(); });
    }));
    return;
  }
  if (url.pathname.indexOf(STATIC_URL) === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (url.pathname.indexOf("/api/") === 0) { return; }
  event.respondWith(fetch(request).catch(function () {
    return caches.open(USER_CACHE).then(function (cache) { return cache.match(request); })
      .then(function (hit) { return hit || Response.error(); });
  }));
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "yima-replay") { return; }
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage({ type: "yima-replay" }); });
  }));
});
