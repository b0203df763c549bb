/* Staff pages' category finder: an input[data-category-finder] searches the catalogue
 * (/api/v1/categories/search/: codes, the standard's names, everyday words) and a click on a
 * result selects that code in the <select> named by data-target. The select works without it. */
(function () {
  "use strict";
  if (!window.fetch) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-category-finder]"), function (input) {
    var select = document.getElementById(input.getAttribute("data-target"));
    var list = document.getElementById(input.id + "-results");
    if (!select || !list) { return; }
    var timer = null, seq = 0;
    function pick(code) {
      select.value = code;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      list.innerHTML = "";
    }
    function run() {
      var term = input.value.trim(), mine = ++seq;
      list.innerHTML = "";
      if (!term) { return; }
      fetch(input.getAttribute("data-url") + "?q=" + encodeURIComponent(term), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) {
          if (mine !== seq) { return; }
          found.slice(0, 8).forEach(function (item) {
            var li = document.createElement("li"), button = document.createElement("button");
            button.type = "button"; button.className = "finder-result"; button.setAttribute("data-code", item.code);
            button.textContent = item.code + " " + item.group + " · " + item.name;
            button.addEventListener("click", function () { pick(item.code); });
            li.appendChild(button); list.appendChild(li);
          });
        }).catch(function () {});
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 200); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var first = list.querySelector(".finder-result");
        if (first) { first.click(); }
      }
    });
  });
})();
