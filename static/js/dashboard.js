/* The officials' dashboard: one call to /api/v1/stats/dashboard with the page's filters, then
 * ECharts for the trend, categories and channels, tables for the ranking and the overdue list, and
 * a Leaflet map of the grids shaded by the next level down (街道 → 社区 → 网格), which drills down
 * on click. Every asset is served by the app (no CDN); text comes from the page's labels. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root) { return; }
  var labels = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var status = document.getElementById("dashboard-status");
  var charts = [];

  function pct(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }
  function text(tag, value) { var el = document.createElement(tag); el.textContent = value; return el; }
  function row(tbody, cells) {
    // Each cell carries its column's name, shown before it when a phone stacks the cells.
    var heads = tbody.parentNode.querySelectorAll("thead th");
    var tr = document.createElement("tr");
    cells.forEach(function (c, i) {
      var td = text("td", c);
      if (heads[i]) { td.setAttribute("data-label", heads[i].textContent); }
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  }
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") { return; }
    var c = echarts.init(el);
    c.setOption(option);
    charts.push(c);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });

  // Changing a filter submits the form, except the custom dates which wait for the button.
  var form = document.getElementById("dashboard-filters");
  ["f-period", "f-street", "f-community", "f-grid", "f-channel", "f-by"].forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) { return; }
    el.addEventListener("change", function () {
      if (id === "f-street") {
        var c = document.getElementById("f-community"); if (c) { c.value = ""; }
        var g = document.getElementById("f-grid"); if (g) { g.value = ""; }
      }
      if (id === "f-community") { var g2 = document.getElementById("f-grid"); if (g2) { g2.value = ""; } }
      if (id === "f-period" && el.value === "custom") { return; }
      form.submit();
    });
  });

  function drill(level, code) {
    var params = new URLSearchParams(window.location.search);
    ["street", "community", "grid"].forEach(function (k) { params.delete(k); });
    params.set(level, code);
    window.location.search = params.toString();
  }

  function renderTrend(trend) {
    chart("chart-trend", {
      tooltip: { trigger: "axis" },
      legend: { data: [labels.received, labels.closed, labels.onTime] },
      grid: { left: 40, right: 40, bottom: 30, top: 40 },
      xAxis: { type: "category", data: trend.map(function (t) { return t.date.slice(5); }) },
      yAxis: [{ type: "value" }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
      series: [
        { name: labels.received, type: "bar", data: trend.map(function (t) { return t.received; }) },
        { name: labels.closed, type: "bar", data: trend.map(function (t) { return t.closed; }) },
        { name: labels.onTime, type: "line", yAxisIndex: 1,
          data: trend.map(function (t) { return t.on_time_rate === null ? null : +(t.on_time_rate * 100).toFixed(1); }) }
      ]
    });
  }

  function renderBreakdown(items, chartId, tableId, nameOf) {
    var top = items.slice(0, 12);
    chart(chartId, {
      tooltip: { trigger: "axis" },
      grid: { left: 100, right: 20, bottom: 20, top: 10 },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: top.map(nameOf) },
      series: [{ name: labels.received, type: "bar", data: top.map(function (i) { return i.received; }) }]
    });
    var tbody = document.querySelector("#" + tableId + " tbody");
    tbody.textContent = "";
    items.forEach(function (i) {
      row(tbody, [nameOf(i), String(i.received), pct(i.closure_rate), pct(i.on_time_rate), pct(i.satisfaction_rate)]);
    });
  }

  function renderRanking(ranking) {
    [["ranking-red", ranking.red], ["ranking-black", ranking.black]].forEach(function (pair) {
      var ol = document.getElementById(pair[0]);
      ol.textContent = "";
      pair[1].forEach(function (r) {
        ol.appendChild(text("li", r.unit + "  " + pct(r.on_time_rate) + "（" + r.on_time + "/" + r.due + "）"));
      });
      if (!pair[1].length) { ol.appendChild(text("li", labels.noData)); }
    });
  }

  function renderOverdue(list) {
    var tbody = document.querySelector("#table-overdue tbody");
    tbody.textContent = "";
    list.forEach(function (o) {
      row(tbody, [o.number, o.category, o.grid, o.holders.join("、") || "—", String(o.overdue_hours),
        o.held_hours === null ? "—" : String(o.held_hours)]);
    });
    if (!list.length) { row(tbody, [labels.noData, "", "", "", "", ""]); }
  }

  var COLORS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  var GOOD = ["#a50f15", "#de2d26", "#fb6a4a", "#9ecae1", "#3182bd"];

  function renderMap(mapData) {
    var el = document.getElementById("dashboard-map");
    if (!el || typeof L === "undefined" || !window.YimaMap) { return; }
    var base = window.YimaMap.create(el, { fit: false });
    var map = base.map;
    var byCode = {};
    mapData.areas.forEach(function (a) { byCode[a.code] = a; });
    var metric = document.getElementById("map-metric");
    var layer = null;

    function colour(area) {
      if (!area) { return "#eeeeee"; }
      if (metric.value === "on_time_rate") {
        if (area.on_time_rate === null) { return "#eeeeee"; }
        return GOOD[Math.min(4, Math.floor(area.on_time_rate * 5))];
      }
      var max = Math.max.apply(null, mapData.areas.map(function (a) { return a.received; }).concat([1]));
      return COLORS[Math.min(4, Math.floor(area.received / max * 4.999))];
    }
    function style(feature) {
      var area = byCode[mapData.grids[feature.properties.code]];
      return { color: "#555", weight: 1, fillOpacity: 0.75, fillColor: colour(area) };
    }

    fetch(el.dataset.geojsonUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        data.features = data.features.filter(function (f) { return mapData.grids[f.properties.code]; });
        layer = L.geoJSON(data, base.geoJsonOptions({
          style: style,
          onEachFeature: function (feature, lyr) {
            var area = byCode[mapData.grids[feature.properties.code]];
            if (!area) { return; }
            lyr.bindTooltip(area.name + " " + labels.volume + " " + area.received + " · " + labels.onTime + " " + pct(area.on_time_rate));
            lyr.on("click", function () { drill(mapData.level, area.code); });
            if (lyr.getElement) {
              lyr.on("add", function () {
                var path = lyr.getElement();
                if (path) { path.setAttribute("data-area", area.code); path.setAttribute("data-level", mapData.level); }
              });
            }
          }
        })).addTo(map);
        if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); }
        var legend = document.getElementById("map-legend");
        legend.textContent = "";
        mapData.areas.forEach(function (a) {
          var li = document.createElement("li");
          var sw = document.createElement("i");
          sw.style.background = colour(a);
          li.appendChild(sw);
          var link = document.createElement("a");
          link.href = "#";
          link.className = "drill";
          link.dataset.level = mapData.level;
          link.dataset.code = a.code;
          link.textContent = a.name + " " + a.received;
          link.addEventListener("click", function (e) { e.preventDefault(); drill(mapData.level, a.code); });
          li.appendChild(link);
          legend.appendChild(li);
        });
      })
      .catch(function () { status.textContent = labels.failed; });
    metric.addEventListener("change", function () { if (layer) { layer.setStyle(style); } });
  }

  fetch(root.dataset.api, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (data) {
      status.textContent = "";
      renderTrend(data.trend);
      renderBreakdown(data.by_category, "chart-category", "table-category", function (i) { return i.name; });
      renderBreakdown(data.by_channel, "chart-channel", "table-channel", function (i) { return i.name; });
      renderRanking(data.ranking);
      renderOverdue(data.overdue);
      renderMap(data.map);
      root.dataset.loaded = "true";
    })
    .catch(function () { status.textContent = labels.failed; });
})();
