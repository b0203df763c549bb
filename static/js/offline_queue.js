/* The offline worklist's store and queue (IndexedDB through idb-keyval), on every staff page.
 *
 * - Registers the service worker (/sw.js) and, when online, saves the person's bundle
 *   (GET /api/v1/work/bundle/), the offline shell page and the photos' thumbnails.
 * - Actions (a task's accept / finish, a ticket's close, a patrol report) are queued here first,
 *   with their photos as Blobs and an Idempotency-Key each, then sent in order when the network
 *   is there: on page load, on the "online" event, on a Background Sync wake-up and every 30 s.
 * - A sent action leaves the queue; a refused one (409 state moved on, 400, 403, 404) stays with
 *   the server's message until the worker retries or discards it. Nothing is dropped silently.
 * - Caps: 30 waiting actions and 25 MB of photos, with a clear message.
 * - The store belongs to one person: another person's page wipes it (and logout does too).
 */
(function () {
  "use strict";
  var script = document.getElementById("offline-queue-script");
  if (!script || !window.idbKeyval || !window.indexedDB) { return; }
  var kv = window.idbKeyval;
  var store = kv.createStore("yima-offline", "kv");
  var USER_CACHE = "yima-user";
  var MAX_ACTIONS = 30, MAX_BYTES = 25 * 1024 * 1024, RETRY_MS = 30000;
  var words = JSON.parse(document.getElementById("offline-words").textContent);
  var me = script.dataset.user ? String(script.dataset.user) : "";
  var listeners = [];
  var replaying = null;

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function changed() { listeners.forEach(function (fn) { try { fn(); } catch (err) { /* a view's error */ } }); render(); }

  function queue() { return kv.get("queue", store).then(function (q) { return q || []; }); }

  function clearAll() {
    return kv.clear(store).then(function () {
      return window.caches ? caches.delete(USER_CACHE) : null;
    });
  }

  // --- the bundle --------------------------------------------------------------------------------

  function cacheForOffline(bundle) {
    if (!window.caches) { return Promise.resolve(); }
    return caches.open(USER_CACHE).then(function (cache) {
      var urls = [script.dataset.offline];
      bundle.tickets.forEach(function (t) { t.photos.forEach(function (p) { urls.push(p.url); }); });
      var wanted = urls.map(function (url) { return new URL(url, location.href).href; });
      // Thumbnails of tickets that left the worklist are dropped: the cache holds this list only.
      cache.keys().then(function (requests) {
        requests.forEach(function (request) {
          if (wanted.indexOf(request.url) === -1) { cache.delete(request); }
        });
      });
      return Promise.all(urls.map(function (url) {
        return cache.match(url).then(function (hit) {
          if (hit && url !== script.dataset.offline) { return null; }
          return fetch(url, { credentials: "same-origin" }).then(function (response) {
            if (response.ok && !response.redirected) { return cache.put(url, response); }
            return null;
          }).catch(function () { return null; });
        });
      }));
    });
  }

  function syncBundle() {
    if (!navigator.onLine || !me) { return Promise.resolve(); }
    return fetch(script.dataset.bundle, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (bundle) {
        if (!bundle || String(bundle.user.id) !== me) { return null; }
        return kv.setMany([["bundle", bundle], ["owner", me]], store)
          .then(function () { return cacheForOffline(bundle); })
          .then(changed);
      })
      .catch(function () { /* offline after all: the saved bundle stays */ });
  }

  // --- the queue ---------------------------------------------------------------------------------

  function sizeOf(files) {
    return Object.keys(files || {}).reduce(function (sum, name) { return sum + (files[name] ? files[name].size : 0); }, 0);
  }

  /* entry: {kind, label, url, ticket, task, fields: {name: value}, files: {name: Blob}} */
  function enqueue(entry) {
    var refused = null;
    entry.id = uuid();
    entry.key = uuid();
    entry.state = "waiting";
    entry.message = "";
    entry.created_at = new Date().toISOString();
    entry.size = sizeOf(entry.files);
    return kv.update("queue", function (q) {
      q = q || [];
      var bytes = q.reduce(function (sum, e) { return sum + (e.size || 0); }, 0);
      if (q.length >= MAX_ACTIONS) { refused = fill(words.too_many, { max: MAX_ACTIONS }); return q; }
      if (bytes + entry.size > MAX_BYTES) { refused = fill(words.too_big, { max: 25 }); return q; }
      return q.concat([entry]);
    }, store).then(function () {
      if (refused) { throw new Error(refused); }
      if (navigator.serviceWorker && window.SyncManager) {
        navigator.serviceWorker.ready.then(function (reg) { return reg.sync.register("yima-replay"); })
          .catch(function () { /* Background Sync refused: the page's timer sends it */ });
      }
      changed();
      replay();
      return entry;
    });
  }

  function setEntry(id, patch) {
    return kv.update("queue", function (q) {
      return (q || []).map(function (e) { return e.id === id ? Object.assign({}, e, patch) : e; });
    }, store);
  }

  function remove(id) {
    return kv.update("queue", function (q) { return (q || []).filter(function (e) { return e.id !== id; }); }, store);
  }

  function messageOf(status, body) {
    if (body && typeof body.detail === "string") { return body.detail; }
    if (body && typeof body === "object") {
      var parts = [];
      Object.keys(body).forEach(function (field) {
        var value = body[field];
        parts.push(Array.isArray(value) ? value.join(" ") : String(value));
      });
      if (parts.length) { return parts.join(" "); }
    }
    return fill(words.refused, { status: status });
  }

  function send(entry) {
    var data = new FormData();
    Object.keys(entry.fields || {}).forEach(function (name) { data.append(name, entry.fields[name]); });
    Object.keys(entry.files || {}).forEach(function (name) {
      var blob = entry.files[name];
      if (blob) { data.append(name, blob, blob.name || name + ".jpg"); }
    });
    return fetch(entry.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Idempotency-Key": entry.key, "X-CSRFToken": csrf(), Accept: "application/json" }
    });
  }

  /* Send the waiting actions in order; resolves with how many were applied. */
  function replay() {
    if (replaying) { return replaying; }
    if (!navigator.onLine) { return Promise.resolve(0); }
    var applied = 0;
    replaying = queue().then(function (q) {
      var waiting = q.filter(function (e) { return e.state === "waiting"; });
      var chain = Promise.resolve(true);
      waiting.forEach(function (entry) {
        chain = chain.then(function (goOn) {
          if (!goOn) { return false; }
          return send(entry).then(function (response) {
            if (response.ok) {
              applied += 1;
              return remove(entry.id).then(function () { changed(); return true; });
            }
            if (response.status >= 500) {
              showMessage(words.server_down);
              return false;  // the server may take it later: keep it waiting, in order
            }
            return response.json().catch(function () { return null; }).then(function (body) {
              return setEntry(entry.id, { state: "conflict", message: messageOf(response.status, body) })
                .then(function () { changed(); return true; });
            });
          }, function () { return false; });  // no network after all: try again later
        });
      });
      return chain;
    }).then(function () {
      replaying = null;
      if (applied) { return syncBundle().then(function () { return applied; }); }
      return applied;
    }, function () { replaying = null; return applied; });
    return replaying;
  }

  function retry(id) {
    // A refused request left no receipt, but a fresh key keeps the two attempts apart.
    return setEntry(id, { state: "waiting", message: "", key: uuid() }).then(function () { changed(); return replay(); });
  }

  function discard(id) { return remove(id).then(changed); }

  function waitingCount() {
    return queue().then(function (q) { return q.length; }).catch(function () { return 0; });
  }

  // --- the status strip --------------------------------------------------------------------------

  function showMessage(text) {
    var box = document.getElementById("offline-message");
    if (!box) { return; }
    box.textContent = text;
    box.hidden = !text;
  }

  function render() {
    var strip = document.getElementById("offline-status");
    if (!strip) { return; }
    Promise.all([kv.get("bundle", store), queue()]).then(function (found) {
      var bundle = found[0], q = found[1];
      var waiting = q.filter(function (e) { return e.state === "waiting"; });
      var conflicts = q.filter(function (e) { return e.state === "conflict"; });
      strip.hidden = false;
      document.getElementById("offline-net").textContent = navigator.onLine ? words.online : words.offline;
      document.getElementById("offline-synced").textContent = bundle
        ? fill(words.synced, { time: new Date(bundle.synced_at).toLocaleString() }) : words.never;
      document.getElementById("offline-waiting").textContent = waiting.length
        ? fill(words.waiting, { count: waiting.length }) : words.none_waiting;
      document.getElementById("offline-waiting").dataset.count = waiting.length;
      var list = document.getElementById("offline-conflicts");
      list.textContent = "";
      conflicts.forEach(function (entry) {
        var li = document.createElement("li");
        li.className = "offline-conflict";
        li.dataset.kind = entry.kind;
        var text = document.createElement("p");
        text.textContent = fill(words.conflict, { action: entry.label, message: entry.message });
        li.appendChild(text);
        [["retry", words.retry, retry], ["discard", words.discard, discard]].forEach(function (b) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "btn " + b[0];
          button.textContent = b[1];
          button.addEventListener("click", function () { b[2](entry.id); });
          li.appendChild(button);
        });
        list.appendChild(li);
      });
    });
  }

  window.YimaOffline = {
    store: store,
    words: words,
    bundle: function () { return kv.get("bundle", store); },
    queue: queue,
    enqueue: enqueue,
    replay: replay,
    retry: retry,
    discard: discard,
    clearAll: clearAll,
    waitingCount: waitingCount,
    syncBundle: syncBundle,
    onChange: function (fn) { listeners.push(fn); },
    showMessage: showMessage
  };

  // --- start -------------------------------------------------------------------------------------

  if (navigator.serviceWorker) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* not installable here */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "yima-replay") { replay(); }
    });
  }
  window.addEventListener("online", function () { changed(); replay(); });
  window.addEventListener("offline", changed);
  window.setInterval(function () { if (navigator.onLine) { replay(); } }, RETRY_MS);

  // Another person's store on this phone (logout missed, a shared phone): wipe it before use.
  kv.get("owner", store).then(function (owner) {
    if (me && owner && owner !== me) { return clearAll(); }
    return null;
  }).then(function () {
    window.YimaOffline.ready = true;
    changed();
    return replay();
  }).then(function (applied) {
    if (!applied) { return syncBundle(); }
    return null;
  });
})();
