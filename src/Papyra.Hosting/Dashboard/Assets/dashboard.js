// Papyra dashboard: reads {prefix}/dashboard/stream (Server-Sent Events, one JSON snapshot a second),
// or polls {prefix}/dashboard/data where EventSource is missing, and renders it. No library.
"use strict";
(function () {
  var MAX_POINTS = 300; // five minutes at one point a second
  var $ = function (id) { return document.getElementById(id); };
  var history = { messages: [], deadLetters: [], restarts: [], records: [], writeErrors: [] };
  var last = null, previousCounters = null, paused = false, ended = false, source = null;
  var number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
  var whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

  function fmt(value) { return value === null || value === undefined ? "—" : (Math.abs(value) >= 100 ? whole : number).format(value); }

  function setFigure(id, value, text) {
    var el = $(id);
    el.value = value === null || value === undefined ? "" : String(value);
    el.textContent = text !== undefined ? text : fmt(value);
    el.title = value === null || value === undefined ? "Not available from this source" : "";
  }

  function uptime(seconds) {
    if (seconds === null || seconds === undefined) { return "—"; }
    var s = Math.floor(seconds), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    if (d > 0) { return d + " d " + h + " h"; }
    if (h > 0) { return h + " h " + String(m).padStart(2, "0") + " m"; }
    if (m > 0) { return m + " m " + String(s % 60).padStart(2, "0") + " s"; }
    return (s % 60) + " s";
  }

  function clock(unixSeconds) {
    return unixSeconds ? new Date(unixSeconds * 1000).toLocaleTimeString() : "—";
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "—" : String(text);
    row.appendChild(td);
  }

  function fillTable(id, rows, columns, empty) {
    var body = $(id).tBodies[0];
    var fresh = document.createElement("tbody");
    if (!rows || rows.length === 0) {
      var tr = document.createElement("tr"), td = document.createElement("td");
      td.colSpan = columns;
      td.className = "muted";
      td.textContent = empty;
      tr.appendChild(td);
      fresh.appendChild(tr);
    } else {
      rows.forEach(function (values) {
        var row = document.createElement("tr");
        values.forEach(function (v) { cell(row, v); });
        fresh.appendChild(row);
      });
    }
    body.parentNode.replaceChild(fresh, body);
  }

  function push(series, value) {
    series.push(value === null || value === undefined ? null : value);
    if (series.length > MAX_POINTS) { series.shift(); }
  }

  var SVG = "http://www.w3.org/2000/svg";
  function chart(id, series, unit) {
    var svg = $(id), w = 300, h = 60, peak = 0, latest = null;
    series.forEach(function (v) { if (v !== null && v > peak) { peak = v; } if (v !== null) { latest = v; } });
    // The x axis spans at least a minute, then grows to the five minutes kept; the newest point is at the right.
    var span = Math.min(MAX_POINTS, Math.max(60, series.length));
    var scale = peak > 0 ? (h - 4) / peak : 0, step = w / (span - 1), start = span - series.length;
    var points = [];
    series.forEach(function (v, i) {
      if (v !== null) { points.push(((start + i) * step).toFixed(1) + "," + (h - 2 - v * scale).toFixed(1)); }
    });
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var desc = document.createElementNS(SVG, "desc");
    desc.textContent = latest === null ? "No data yet." : "Latest " + fmt(latest) + " " + unit + ", peak " + fmt(peak) + " over the last " + series.length + " seconds.";
    svg.appendChild(desc);
    var axis = document.createElementNS(SVG, "line");
    axis.setAttribute("class", "axis");
    axis.setAttribute("x1", "0"); axis.setAttribute("x2", String(w));
    axis.setAttribute("y1", String(h - 1)); axis.setAttribute("y2", String(h - 1));
    svg.appendChild(axis);
    if (points.length > 1) {
      var first = points[0].split(",")[0], lastX = points[points.length - 1].split(",")[0];
      var area = document.createElementNS(SVG, "polygon");
      area.setAttribute("class", "area");
      area.setAttribute("points", first + "," + h + " " + points.join(" ") + " " + lastX + "," + h);
      svg.appendChild(area);
      var line = document.createElementNS(SVG, "polyline");
      line.setAttribute("class", "line");
      line.setAttribute("points", points.join(" "));
      svg.appendChild(line);
    }
    svg.setAttribute("data-points", String(series.length));
  }

  function banner(data, disconnected) {
    var el = $("banner"), text = "", level = "bad";
    if (ended && data && data.source === "store") {
      text = "papyra dashboard has stopped: updates have ended.";
    } else if (ended || (data && data.state === "Stopping")) {
      text = "The host is stopping: actors are draining and the store is being flushed." + (ended ? " Updates have ended." : "");
    } else if (disconnected) {
      text = "The connection to the dashboard was lost; retrying every two seconds.";
    } else if (data && data.state === "Offline") {
      text = "No running system publishes live metrics for this store: the page shows what the store holds.";
      level = "warn";
    } else if (data && data.state !== "Running") {
      text = "The actor system is " + data.state + ".";
    }
    if (data && data.persistence && data.persistence.status === "Unhealthy") {
      text = (text ? text + " " : "") + "The store is unhealthy: " + (data.persistence.description || "anomalies found") + ".";
      level = "bad";
    }
    el.hidden = text === "";
    el.textContent = text;
    el.setAttribute("data-level", level);
  }

  function rate(now, before, name, seconds) {
    if (!now || !before || seconds <= 0 || now[name] === undefined || before[name] === undefined || now[name] < before[name]) { return null; }
    return (now[name] - before[name]) / seconds;
  }

  function record(data) {
    var r = data.runtime, p = data.persistence;
    push(history.messages, r.messages_per_second);
    push(history.deadLetters, r.dead_letters_per_second);
    push(history.restarts, r.restarts);
    var seconds = last ? data.timestamp - last.timestamp : 0;
    push(history.records, rate(p.counters, previousCounters, "records_written", seconds));
    push(history.writeErrors, p.counters ? p.counters.write_errors : null);
    previousCounters = p.counters;
  }

  function render(data) {
    var state = $("state");
    state.textContent = data.state;
    state.setAttribute("data-state", data.state);
    $("system-id").textContent = data.system_id;
    $("uptime").textContent = uptime(data.uptime_seconds);
    $("source").textContent = data.source === "store" ? "store (papyra dashboard)" : "running host";
    $("updated").textContent = clock(data.timestamp);
    document.title = "Papyra " + data.system_id + " — " + data.state;

    var a = data.actors || {};
    setFigure("actors-alive", a.alive);
    setFigure("actors-restarting", a.restarting);
    setFigure("actors-stopped", a.stopped);
    var r = data.runtime;
    setFigure("mailbox-depth", r.mailbox_depth);
    setFigure("messages-rate", r.messages_per_second);
    setFigure("messages-total", r.messages_processed);
    setFigure("restarts", r.restarts);
    setFigure("dead-letters-total", r.dead_letters);
    setFigure("dead-letters-rate", r.dead_letters_per_second);
    var store = data.source === "store";
    $("l-stopped").textContent = store ? "Stopped (recorded in the store)" : "Stopped (since the dashboard opened)";
    fillTable("busiest", (a.busiest || []).map(function (x) { return [x.address, x.name, x.actor_type, fmt(x.mailbox_depth)]; }), 4,
      store ? "Mailbox depths are known only to a running host (MapPapyraDashboard)." : "No actor has messages waiting.");
    fillTable("dead-letter-list", data.recent_dead_letters.map(function (d) { return [clock(d.timestamp), d.target, d.message_type, d.reason]; }), 4, "No dead letter.");

    var p = data.persistence;
    setFigure("backend", null, p.backend);
    setFigure("store-health", null, p.status);
    $("store-health").setAttribute("data-status", p.status);
    setFigure("last-scan", p.last_scan, clock(p.last_scan));
    setFigure("anomalies", p.total_anomalies);
    $("store-description").textContent = (p.description || "") + (p.path ? " Store: " + p.path + "." : "");
    var list = $("anomaly-list");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    (p.anomalies || []).forEach(function (x) {
      var li = document.createElement("li");
      li.textContent = x.type + (x.line ? " at line " + x.line : "") + (x.detail ? ": " + x.detail : "");
      list.appendChild(li);
    });
    list.hidden = list.childNodes.length === 0;
    var counters = p.counters ? Object.keys(p.counters).map(function (k) { return [k, fmt(p.counters[k])]; }) : [];
    fillTable("counters", counters, 2, p.live ? "No counters." : "No running system publishes counters for this store.");

    chart("chart-messages", history.messages, "messages per second");
    chart("chart-dead-letters", history.deadLetters, "dead letters per second");
    chart("chart-restarts", history.restarts, "restarts");
    chart("chart-records", history.records, "records per second");
    chart("chart-write-errors", history.writeErrors, "write errors");
    banner(data, false);
  }

  function receive(text) {
    var data;
    try { data = JSON.parse(text); } catch (e) { return; }
    record(data);
    last = data;
    if (!paused) { render(data); }
  }

  function disconnected() {
    if (ended) { return; }
    var state = $("state");
    if (!last || last.state !== "Stopping") {
      state.textContent = "Disconnected";
      state.setAttribute("data-state", "Disconnected");
    }
    banner(last, true);
  }

  function connect() {
    if (window.EventSource) {
      source = new EventSource("stream");
      source.onmessage = function (e) { receive(e.data); };
      source.addEventListener("end", function () { ended = true; source.close(); if (last) { render(last); } banner(last, false); });
      source.onerror = disconnected;
    } else {
      var poll = function () {
        fetch("data", { cache: "no-store" }).then(function (r) { return r.text(); }).then(receive, disconnected)
          .then(function () { if (!ended) { setTimeout(poll, 1000); } });
      };
      poll();
    }
  }

  $("pause").addEventListener("click", function () {
    paused = !paused;
    this.setAttribute("aria-pressed", String(paused));
    this.textContent = paused ? "Resume updates" : "Pause updates";
    if (!paused && last) { render(last); }
  });
  connect();
})();
