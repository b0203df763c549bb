/* The offline worklist page (/work/offline/): draws the saved bundle (tickets, photos, tasks,
 * categories) and queues what the worker does through YimaOffline (offline_queue.js). Queued
 * actions show at once on the ticket (a task accepted offline offers its finish form). */
(function () {
  "use strict";
  var Offline = window.YimaOffline;
  if (!Offline) { return; }
  var words = Offline.words;
  var list = document.getElementById("offline-worklist");
  var detail = document.getElementById("offline-ticket");
  var patrol = document.getElementById("patrol");
  var state = { bundle: null, queue: [] };

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function queued(kind, id) {
    return state.queue.filter(function (e) {
      return e.kind === kind && (e.task === id || e.ticket === id) && e.state === "waiting";
    }).length > 0;
  }

  function ticketByNumber(number) {
    return (state.bundle ? state.bundle.tickets : []).filter(function (t) { return t.number === number; })[0];
  }

  function drawList() {
    list.textContent = "";
    var tickets = state.bundle ? state.bundle.tickets : [];
    document.getElementById("offline-empty").hidden = !!state.bundle;
    document.getElementById("offline-new-patrol").hidden = !(state.bundle && state.bundle.is_grid_worker);
    tickets.forEach(function (t) {
      var li = el("li", "card ticket-row" + (t.overdue ? " overdue" : ""));
      li.dataset.number = t.number;
      var head = el("div", "row-head");
      var link = el("a", "number", t.number);
      link.href = "#t-" + t.number;
      head.appendChild(link);
      head.appendChild(el("span", "badge status-" + t.status, t.status_label));
      li.appendChild(head);
      li.appendChild(el("div", "", t.category + " · " + t.grid));
      if (t.address) { li.appendChild(el("div", "muted", t.address)); }
      list.appendChild(li);
    });
  }

  function taskView(ticket, task) {
    var node = document.getElementById("offline-task-template").content.firstElementChild.cloneNode(true);
    node.dataset.task = task.id;
    var accepted = task.status === "accepted" || queued("accept", task.id);
    var finished = queued("finish", task.id);
    node.querySelector(".task-unit").textContent = task.unit;
    node.querySelector(".task-status").textContent = finished ? words.finish_queued
      : (task.status === "pending" && accepted ? words.accept_queued : task.status_label);
    var accept = node.querySelector(".task-accept");
    var finish = node.querySelector(".task-finish");
    accept.hidden = !(task.mine && !accepted);
    finish.hidden = !(task.mine && accepted && !finished);
    var progress = node.querySelector(".task-progress");
    progress.hidden = finish.hidden;
    progress.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = progress.elements.photos.files[0];
      (chosen ? YimaPhotos.downscale(chosen) : Promise.resolve(null)).then(function (small) {
        save({ kind: "progress", label: words.kind_progress + " " + ticket.number, url: task.progress_url,
               ticket: ticket.number, task: task.id, fields: { note: progress.elements.note.value },
               files: small ? { photos: small } : {} });
        progress.reset();
      });
    });
    accept.addEventListener("click", function () {
      save({ kind: "accept", label: words.kind_accept + " " + ticket.number, url: task.accept_url,
             ticket: ticket.number, task: task.id, fields: { note: "" }, files: {} });
    });
    finish.addEventListener("submit", function (event) {
      event.preventDefault();
      var photo = finish.elements.photo.files[0];
      YimaPhotos.downscale(photo).then(function (small) {
        save({ kind: "finish", label: words.kind_finish + " " + ticket.number, url: task.finish_url,
               ticket: ticket.number, task: task.id, fields: { note: finish.elements.note.value },
               files: { photo: small } });
      });
    });
    return node;
  }

  function drawTicket(number) {
    var t = ticketByNumber(number);
    detail.hidden = !t;
    list.hidden = !!t;
    if (!t) { return; }
    document.getElementById("offline-ticket-title").textContent = t.number + " · " + t.status_label;
    document.getElementById("offline-ticket-place").textContent =
      [t.category, t.community, t.grid, t.address].filter(Boolean).join(" · ");
    document.getElementById("offline-ticket-text").textContent = t.description;
    var photos = document.getElementById("offline-ticket-photos");
    photos.textContent = "";
    t.photos.forEach(function (p) {
      var img = el("img");
      img.src = p.url; img.alt = p.kind; img.width = 120; img.height = 90;
      photos.appendChild(img);
    });
    var tasks = document.getElementById("offline-ticket-tasks");
    tasks.textContent = "";
    t.tasks.forEach(function (task) { tasks.appendChild(taskView(t, task)); });
    var close = document.getElementById("offline-close");
    close.hidden = !(t.can_close && !queued("close", t.number));
    close.dataset.number = t.number;
  }

  function route() {
    var hash = decodeURIComponent(location.hash.slice(1));
    patrol.hidden = hash !== "patrol" || !(state.bundle && state.bundle.is_grid_worker);
    if (hash.indexOf("t-") === 0) { drawTicket(hash.slice(2)); }
    else { detail.hidden = true; list.hidden = hash === "patrol"; }
  }

  function draw() {
    return Promise.all([Offline.bundle(), Offline.queue()]).then(function (found) {
      state.bundle = found[0] || null;
      state.queue = found[1];
      var select = document.getElementById("offline-patrol-category");
      if (state.bundle && select.options.length === 0) {
        select.appendChild(el("option", "", "——")).value = "";
        state.bundle.categories.forEach(function (c) {
          var option = el("option", "", c.name);
          option.value = c.code;
          select.appendChild(option);
        });
      }
      drawList();
      route();
    });
  }

  function save(entry) {
    Offline.enqueue(entry).then(function () {
      Offline.showMessage("");
      var note = navigator.onLine ? words.sending : words.saved;
      document.getElementById("offline-net").textContent = note;
      return draw();
    }, function (err) { Offline.showMessage(err.message); });
  }

  document.getElementById("offline-close").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target, t = ticketByNumber(form.dataset.number);
    YimaPhotos.downscale(form.elements.photo.files[0]).then(function (small) {
      save({ kind: "close", label: words.kind_close + " " + t.number, url: t.close_url, ticket: t.number,
             fields: { note: form.elements.note.value }, files: { photo: small } });
    });
  });

  document.getElementById("offline-patrol").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    YimaPhotos.downscale(form.elements.photo.files[0]).then(function (small) {
      var fields = {};
      ["category", "lon", "lat", "address", "description"].forEach(function (name) { fields[name] = form.elements[name].value; });
      save({ kind: "patrol", label: words.kind_patrol, url: state.bundle.patrol_url, fields: fields, files: { photo: small } });
      form.reset();
      location.hash = "";
    });
  });

  var locate = document.getElementById("offline-use-location");
  if (!navigator.geolocation) { locate.hidden = true; }
  locate.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("offline-patrol-lon").value = pos.coords.longitude.toFixed(6);
      document.getElementById("offline-patrol-lat").value = pos.coords.latitude.toFixed(6);
    }, function () { Offline.showMessage(words.no_location); }, { timeout: 10000 });
  });

  document.getElementById("offline-back").addEventListener("click", function (event) {
    event.preventDefault();
    location.hash = "";
  });
  window.addEventListener("hashchange", route);
  Offline.onChange(draw);
  draw();
})();
