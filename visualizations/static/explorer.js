/*
 * luocdo explorer: draws one view with vis-network and wires the sidebar.
 *
 * Safety rule of this file: data never becomes markup. Every string from the graph
 * (titles, quotes, labels) reaches the DOM through textContent or as a DOM node;
 * nothing here assigns markup to an element. vis-network gets node and edge tooltips as DOM
 * elements built the same way.
 */
(function () {
  "use strict";

  function readJson(id) {
    var value = JSON.parse(document.getElementById(id).textContent);
    return typeof value === "string" ? JSON.parse(value) : value;
  }

  var nodeList = readJson("explorer-nodes");
  var edgeList = readJson("explorer-edges");
  var options = readJson("explorer-options");
  var page = readJson("explorer-page");
  var W = page.words;
  var readyResolve;
  var ready = new Promise(function (resolve) { readyResolve = resolve; });
  var started = performance.now();

  /* Same match key as ingest.clean.fold: Đ→D, marks dropped, case folded. */
  function fold(text) {
    return String(text || "").replace(/Đ/g, "D").replace(/đ/g, "d")
      .normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC").toLowerCase();
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k === "className") { node.className = attrs[k]; }
      else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  /* A tooltip as a DOM element: one line per "label: value" row, all text. */
  function tooltip(text) {
    var box = el("div", { className: "tip" });
    String(text || "").split("\n").forEach(function (line, i) {
      box.appendChild(el("div", { className: i === 0 ? "tip-head" : "tip-row", text: line }));
    });
    return box;
  }

  performance.mark("explorer:data");
  nodeList.forEach(function (n) { n.title = tooltip(n.meta.tooltip); });
  edgeList.forEach(function (e) { e.title = tooltip(e.meta.tooltip); });

  performance.mark("explorer:tooltips");
  var nodes = new vis.DataSet(nodeList);
  var edges = new vis.DataSet(edgeList);
  performance.mark("explorer:datasets");
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  performance.mark("explorer:network");
  window.explorer = {
    network: network, nodes: nodes, edges: edges, page: page, fold: fold, ready: ready,
    readyMs: null
  };
  var loading = document.getElementById("loading");
  var pct = document.getElementById("loading-pct");
  var physicsOn = !!(options.physics && options.physics.enabled !== false);

  function markReady(how) {
    if (document.body.dataset.ready) { return; }
    loading.hidden = true;
    document.body.dataset.ready = how;
    window.explorer.readyMs = performance.now() - started;
    readyResolve(window.explorer.readyMs);
  }

  network.on("stabilizationProgress", function (p) {
    var value = Math.round(100 * p.iterations / Math.max(1, p.total));
    pct.textContent = value + "%";
    loading.setAttribute("aria-valuenow", String(value));
  });
  network.once("stabilizationIterationsDone", function () {
    /* Freeze the layout: a large graph left under physics keeps the CPU busy. */
    performance.mark("explorer:stabilised");
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    markReady("stabilised");
  });
  network.once("afterDrawing", function () {
    if (!physicsOn || nodeList.length === 0) { markReady("drawn"); }
  });
  if (nodeList.length === 0) { markReady("empty"); }

  /* --- details panel --------------------------------------------------------------- */

  var details = document.getElementById("details");

  function row(dl, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    dl.appendChild(el("dt", { text: label }));
    dl.appendChild(el("dd", { text: String(value) }));
  }

  function quoteList(quotes) {
    if (!quotes || !quotes.length) { return null; }
    var list = el("ol", { className: "quotes" });
    quotes.forEach(function (q) {
      var where = [q.source, q.start !== null && q.start !== undefined
        ? q.start + "–" + q.end : null].filter(Boolean).join(" : ");
      list.appendChild(el("li", {}, [
        q.note ? el("p", { className: "note", text: q.note }) : null,
        el("blockquote", { text: q.text }),
        where ? el("p", { className: "where", text: where }) : null
      ]));
    });
    return el("div", {}, [el("h3", { text: W.evidence }), list]);
  }

  function linkFor(template, id, depth) {
    var url = template.replace("{id}", encodeURIComponent(id));
    return depth ? url + (url.indexOf("?") < 0 ? "?" : "&") + "depth=" + depth : url;
  }

  function docLinks(meta, id) {
    var target = meta.key || id;
    var items = [];
    if (page.links.neighbourhood) {
      items.push(el("li", {}, [el("a", {
        href: linkFor(page.links.neighbourhood, target, page.links.depth),
        className: "open-neighbourhood", text: W.open_neighbourhood })]));
    }
    if (page.links.record) {
      items.push(el("li", {}, [el("a", {
        href: linkFor(page.links.record, target), className: "api-record",
        text: W.api_record })]));
    }
    return items.length ? el("div", {}, [el("h3", { text: W.links }),
      el("ul", { className: "links" }, items)]) : null;
  }

  var MAX_MENTIONS = 60;  /* a hub's list stays readable; the graph shows the rest */

  function mentions(id) {
    var list = el("ul", { className: "mentions" });
    var incident = edges.get({ filter: function (e) { return e.from === id || e.to === id; } });
    incident.slice(0, MAX_MENTIONS).forEach(function (e) {
      var other = nodes.get(e.from === id ? e.to : e.from);
      if (!other) { return; }
      var arrow = e.from === id ? "→ " : "← ";
      var button = el("button", { type: "button", className: "linklike",
        text: arrow + e.meta.relations.join(", ") + " · " + other.label });
      button.addEventListener("click", function () { showEdge(e.id); });
      list.appendChild(el("li", {}, [button]));
    });
    if (incident.length > MAX_MENTIONS) {
      list.appendChild(el("li", { className: "more",
        text: "+ " + (incident.length - MAX_MENTIONS) }));
    }
    return list.childNodes.length ? el("div", {}, [el("h3", { text: W.mentions }), list])
      : null;
  }

  function showNode(id) {
    var n = nodes.get(id);
    if (!n) { return; }
    var m = n.meta;
    var dl = el("dl");
    row(dl, W.symbol, m.symbol);
    row(dl, W.type, m.typeLabel);
    row(dl, W.date, m.date);
    row(dl, W.issuer, m.issuer);
    row(dl, W.title, m.title);
    (m.details || []).forEach(function (r) { row(dl, r[0], r[1]); });
    clear(details);
    details.appendChild(el("h3", { className: "node-label", text: n.label }));
    details.appendChild(dl);
    [quoteList(m.quotes), m.kind === "document" ? docLinks(m, id) : null, mentions(id)]
      .forEach(function (part) { if (part) { details.appendChild(part); } });
    details.dataset.node = id;
  }

  function showEdge(id) {
    var e = edges.get(id);
    if (!e) { return; }
    var from = nodes.get(e.from), to = nodes.get(e.to);
    clear(details);
    details.appendChild(el("h3", { className: "node-label",
      text: (from ? from.label : e.from) + " → " + (to ? to.label : e.to) }));
    var dl = el("dl");
    row(dl, W.relation, e.meta.relations.join(", "));
    details.appendChild(dl);
    var quotes = quoteList(e.meta.quotes);
    if (quotes) { details.appendChild(quotes); }
    details.dataset.node = "";
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    showNode(id);
  }

  /* --- search ---------------------------------------------------------------------- */

  var search = document.getElementById("search");
  var results = document.getElementById("search-results");

  function matches(query, pool) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    if (!terms.length) { return []; }
    var found = pool.filter(function (item) {
      return terms.every(function (t) { return item.search.indexOf(t) >= 0; });
    });
    var first = terms[0];
    found.sort(function (a, b) {
      var ra = fold(a.label).indexOf(first) === 0 ? 0 : 1;
      var rb = fold(b.label).indexOf(first) === 0 ? 0 : 1;
      return ra - rb || a.label.localeCompare(b.label);
    });
    return found.slice(0, 30);
  }

  function searchPool() {
    if (page.view.clustered) { return page.catalogue; }
    return nodes.get({ filter: function (n) { return !n.hidden; } }).map(function (n) {
      return { id: n.id, label: n.label, title: n.meta.title, key: n.meta.key,
        search: n.meta.search };
    });
  }

  function showResults() {
    clear(results);
    if (!search.value.trim()) { return; }
    var found = matches(search.value, searchPool());
    if (!found.length) { results.appendChild(el("li", { className: "hint", text: W.no_match })); }
    found.forEach(function (item) {
      var label = el("span", { className: "result-label", text: item.label });
      var title = item.title ? el("span", { className: "result-title", text: item.title }) : null;
      var target;
      if (page.view.clustered) {
        target = page.links.neighbourhood
          ? el("a", { href: linkFor(page.links.neighbourhood, item.key || item.id,
            page.links.depth), className: "result" }, [label, title])
          : el("span", { className: "result" }, [label, title]);
      } else {
        target = el("button", { type: "button", className: "result" }, [label, title]);
        target.addEventListener("click", function () { focusNode(item.id); });
      }
      target.dataset.id = item.id;
      results.appendChild(el("li", {}, [target]));
    });
  }

  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") { return; }
    var first = results.querySelector(".result");
    if (first) { first.click(); }
  });

  /* --- filters --------------------------------------------------------------------- */

  var fType = document.getElementById("filter-type");
  var fIssuer = document.getElementById("filter-issuer");
  var fYear = document.getElementById("filter-year");
  var shown = document.getElementById("shown-count");

  function fillSelect(select, pairs) {
    pairs.forEach(function (p) { select.appendChild(el("option", { value: p[0], text: p[1] })); });
    select.disabled = pairs.length < 2;
  }

  function distinct(getter) {
    var seen = {};
    nodeList.forEach(function (n) {
      if (n.meta.kind !== "document") { return; }
      var v = getter(n.meta);
      if (v !== null && v !== undefined && v !== "") { seen[v[0]] = v[1]; }
    });
    return Object.keys(seen).map(function (k) { return [k, seen[k]]; })
      .sort(function (a, b) { return String(a[1]).localeCompare(String(b[1])); });
  }

  fillSelect(fType, distinct(function (m) { return m.type ? [m.type, m.typeLabel] : null; }));
  fillSelect(fIssuer, distinct(function (m) { return m.issuer ? [m.issuer, m.issuer] : null; }));
  fillSelect(fYear, distinct(function (m) {
    return m.year ? [String(m.year), String(m.year)] : null;
  }).reverse());

  function applyFilters() {
    var t = fType.value, i = fIssuer.value, y = fYear.value;
    var changes = [];
    var visible = 0;
    nodeList.forEach(function (n) {
      var m = n.meta;
      var keep = m.kind !== "document" || ((!t || m.type === t) && (!i || m.issuer === i)
        && (!y || String(m.year) === y));
      if (keep) { visible += 1; }
      var current = nodes.get(n.id);
      if (!!current.hidden !== !keep) { changes.push({ id: n.id, hidden: !keep }); }
    });
    if (changes.length) { nodes.update(changes); }
    shown.textContent = W.shown.replace("{shown}", visible).replace("{total}", nodeList.length);
    showResults();
  }

  [fType, fIssuer, fYear].forEach(function (s) { s.addEventListener("change", applyFilters); });
  document.getElementById("fit").addEventListener("click", function () {
    network.fit({ animation: false });
  });
  document.getElementById("reset").addEventListener("click", function () {
    fType.value = ""; fIssuer.value = ""; fYear.value = ""; search.value = "";
    applyFilters();
    network.unselectAll();
    network.fit({ animation: false });
  });
  applyFilters();

  /* --- legend and path ------------------------------------------------------------- */

  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  }

  var SHAPES = {
    dot: function (c) { return svg("circle", { cx: 9, cy: 9, r: 6, fill: c }); },
    square: function (c) { return svg("rect", { x: 3, y: 3, width: 12, height: 12, fill: c }); },
    box: function (c) { return svg("rect", { x: 1, y: 4, width: 16, height: 10, rx: 2, fill: c }); },
    diamond: function (c) { return svg("polygon", { points: "9,1 17,9 9,17 1,9", fill: c }); },
    triangle: function (c) { return svg("polygon", { points: "9,2 16,16 2,16", fill: c }); },
    triangleDown: function (c) { return svg("polygon", { points: "2,2 16,2 9,16", fill: c }); },
    star: function (c) {
      return svg("polygon", { points: "9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7",
        fill: c });
    },
    hexagon: function (c) { return svg("polygon", { points: "5,2 13,2 17,9 13,16 5,16 1,9",
      fill: c }); }
  };

  function swatch(entry) {
    var box = svg("svg", { width: 18, height: 18, viewBox: "0 0 18 18", "aria-hidden": "true" });
    if (entry.kind === "edge") {
      var line = svg("line", { x1: 1, y1: 9, x2: 17, y2: 9, stroke: entry.colour,
        "stroke-width": Math.min(entry.width, 5) });
      if (entry.dashes.length) { line.setAttribute("stroke-dasharray", entry.dashes.join(" ")); }
      box.appendChild(line);
    } else {
      var shape = (SHAPES[entry.shape] || SHAPES.dot)(entry.colour);
      shape.setAttribute("stroke", entry.dashes.length ? "#7f8c8d" : "#2c3e50");
      if (entry.dashes.length) { shape.setAttribute("stroke-dasharray", "3 2"); }
      box.appendChild(shape);
    }
    return box;
  }

  var legend = document.getElementById("legend");
  page.legend.forEach(function (entry) {
    var item = el("li", { className: "legend-" + entry.kind }, [
      el("span", { className: "swatch" }), el("span", { text: entry.label })]);
    item.firstChild.appendChild(swatch(entry));
    item.dataset.key = entry.key;
    legend.appendChild(item);
  });

  if (page.view.path.length) {
    var pathList = document.getElementById("path-list");
    document.getElementById("path-panel").hidden = false;
    page.view.path.forEach(function (id) {
      var n = nodes.get(id);
      if (!n) { return; }
      var button = el("button", { type: "button", className: "linklike", text: n.label });
      button.dataset.id = id;
      button.addEventListener("click", function () { focusNode(id); });
      pathList.appendChild(el("li", {}, [button]));
    });
  }

  window.explorer.showNode = showNode;
  window.explorer.showEdge = showEdge;
  window.explorer.focusNode = focusNode;
}());
