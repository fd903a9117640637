(function () {
  "use strict";
  // The data is gzip + base64 (see html.go); inflate it with the browser's DecompressionStream.
  var b64 = document.getElementById("report-data").textContent.trim().replace(/-/g, "+").replace(/_/g, "/");
  while (b64.length % 4) b64 += "=";
  var bin = atob(b64), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  new Response(stream).text().then(function (text) { render(JSON.parse(text)); }, function (err) {
    document.getElementById("meta").textContent = "could not read the report data: " + err;
  });
})();

function render(doc) {
  "use strict";
  var ev = doc.evaluation || { models: [], tasks: [] };
  var samples = doc.samples || [];
  var byID = {};
  samples.forEach(function (s) { byID[s.id] = s; });

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "cls") e.className = attrs[k];
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function fmt(v) { return v == null ? "–" : (Math.round(v * 1000) / 1000).toFixed(3).replace(/0+$/, "").replace(/\.$/, ".0"); }
  function pct(v) { return v == null ? "–" : (v * 100).toFixed(1) + "%"; }
  function table(head, rows) {
    return el("table", null, [el("thead", null, [el("tr", null, head.map(function (h) { return el("th", { text: h }); }))]),
      el("tbody", null, rows)]);
  }
  function cell(text, cls) { return el("td", { text: text, cls: cls || "" }); }

  document.getElementById("meta").textContent = "generated " + doc.generated_at + " from " + doc.results_dir +
    " · " + samples.length + " samples · " + ev.models.length + " models";

  // Models
  var ks = ev.ks || [1];
  var head = ["model", "tasks", "samples"];
  ks.forEach(function (k) { head.push("pass@" + k); });
  ks.forEach(function (k) { head.push("sec_pass@" + k, "(upstream@" + k + ")"); });
  head.push("insec", "undetermined");
  document.getElementById("models").appendChild(table(head, ev.models.map(function (m) {
    var tds = [cell(m.model), cell(m.tasks, "num"), cell(m.samples, "num")];
    ks.forEach(function (k) { tds.push(cell(fmt(m.pass_at_k[k]), "num metric-pass")); });
    ks.forEach(function (k) { tds.push(cell(fmt(m.sec_pass_at_k_strict[k]), "num metric-sec"), cell(fmt(m.sec_pass_at_k_upstream[k]), "num")); });
    tds.push(cell(pct(m.insec_pass), "num"), cell(m.undetermined, "num"));
    return el("tr", { "data-model": m.model }, tds);
  })));

  // Scatter: pass@1 against sec_pass@1 (strict)
  (function () {
    var W = 420, H = 320, P = 40, ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", W); svg.setAttribute("height", H); svg.setAttribute("role", "img");
    function s(tag, a) { var e = document.createElementNS(ns, tag); Object.keys(a).forEach(function (k) { e.setAttribute(k, a[k]); }); svg.appendChild(e); return e; }
    s("rect", { x: P, y: 10, width: W - P - 10, height: H - P - 10, fill: "none", stroke: "#d0d7de" });
    s("line", { x1: P, y1: H - P, x2: W - 10, y2: 10, stroke: "#d0d7de", "stroke-dasharray": "4 4" });
    var t1 = s("text", { x: W / 2, y: H - 8, "text-anchor": "middle", "font-size": 12 }); t1.textContent = "pass@1";
    var t2 = s("text", { x: 12, y: H / 2, "font-size": 12, transform: "rotate(-90 12 " + H / 2 + ")", "text-anchor": "middle" }); t2.textContent = "sec_pass@1 (strict)";
    ev.models.forEach(function (m) {
      var x = P + (m.pass_at_1 || 0) * (W - P - 10), y = H - P - (m.sec_pass_at_1 || 0) * (H - P - 20);
      s("circle", { cx: x, cy: y, r: 5, fill: "#0969da" });
      var right = x > W - 120;
      var t = s("text", { x: right ? x - 7 : x + 7, y: y - 6, "font-size": 11, "text-anchor": right ? "end" : "start" }); t.textContent = m.model;
    });
    document.getElementById("scatter").appendChild(svg);
  })();

  // Heat map
  function uniq(list) { var o = {}; list.forEach(function (x) { o[x] = 1; }); return Object.keys(o).sort(); }
  var models = uniq(ev.tasks.map(function (t) { return t.model; }));
  var hm = document.getElementById("heat-model");
  models.forEach(function (m) { hm.appendChild(el("option", { text: m, value: m })); });
  function color(v) {
    if (v == null) return "#ffffff";
    var r = Math.round(255 * (1 - v)), g = Math.round(180 * v + 60);
    return "rgb(" + r + "," + g + ",90)";
  }
  function drawHeat() {
    var model = hm.value, metric = document.getElementById("heat-metric").value;
    var tasks = ev.tasks.filter(function (t) { return t.model === model; });
    var envs = uniq(tasks.map(function (t) { return t.env + " " + t.config; }));
    var scs = uniq(tasks.map(function (t) { return t.scenario; }));
    var idx = {};
    tasks.forEach(function (t) { idx[t.scenario + "|" + t.env + " " + t.config] = t; });
    var rows = scs.map(function (sc) {
      return el("tr", null, [cell(sc)].concat(envs.map(function (e) {
        var t = idx[sc + "|" + e];
        var v = t ? (metric === "sec" ? t.sec_pass_at_k_strict[1] : metric === "secu" ? t.sec_pass_at_k[1] : t.pass_at_k[1]) : null;
        var td = cell(t ? fmt(v) + " (n=" + t.n + ")" : "–");
        td.style.background = color(v);
        return td;
      })));
    });
    var box = document.getElementById("heatmap");
    box.textContent = "";
    var tb = table(["scenario"].concat(envs), rows);
    tb.className = "heat";
    box.appendChild(tb);
  }
  hm.addEventListener("change", drawHeat);
  document.getElementById("heat-metric").addEventListener("change", drawHeat);
  if (models.length) drawHeat();

  // CWEs: share of samples and of correct samples, per model
  (function () {
    var rows = [];
    ev.models.forEach(function (m) {
      Object.keys(m.cwe_rates || {}).sort(function (a, b) { return a - b; }).forEach(function (id) {
        rows.push(el("tr", null, [cell(m.model), cell("CWE-" + id), cell(pct(m.cwe_rates[id]), "num"), cell(pct((m.cwe_rates_correct || {})[id]), "num")]));
      });
    });
    var box = document.getElementById("cwe-table");
    if (!rows.length) { box.appendChild(el("p", { text: "No CWE was found in any sample." })); return; }
    box.appendChild(table(["model", "CWE", "share of samples", "share of correct samples"], rows));
  })();

  // Samples: filters, paging, drill-down
  var PAGE = 100, page = 0, filtered = samples;
  function fill(id, values) {
    var s = document.getElementById(id);
    s.appendChild(el("option", { text: "all", value: "" }));
    values.forEach(function (v) { s.appendChild(el("option", { text: v, value: v })); });
    s.addEventListener("change", function () { page = 0; applyFilters(); });
  }
  fill("f-model", uniq(samples.map(function (s) { return s.model; })));
  fill("f-scenario", uniq(samples.map(function (s) { return s.scenario; })));
  fill("f-env", uniq(samples.map(function (s) { return s.env; })));
  document.getElementById("f-verdict").addEventListener("change", function () { page = 0; applyFilters(); });
  function applyFilters() {
    var f = {};
    ["model", "scenario", "env", "verdict"].forEach(function (k) { f[k] = document.getElementById("f-" + k).value; });
    filtered = samples.filter(function (s) {
      return (!f.model || s.model === f.model) && (!f.scenario || s.scenario === f.scenario) && (!f.env || s.env === f.env) && (!f.verdict || s.verdict === f.verdict);
    });
    drawList();
  }
  function drawList() {
    var box = document.getElementById("sample-list");
    box.textContent = "";
    document.getElementById("f-count").textContent = filtered.length + " samples";
    var rows = filtered.slice(page * PAGE, (page + 1) * PAGE).map(function (s) {
      var c = s.counts;
      return el("tr", { cls: "sample-row", "data-id": s.id, onclick: function () { showSample(s.id); } }, [
        cell(s.id), cell(s.verdict, "v-" + s.verdict), cell(c.num_passed_ft + "/" + c.num_total_ft, "num"),
        cell((c.cwes || []).map(function (n) { return "CWE-" + n; }).join(" ") || "–"), cell(c.num_st_exceptions, "num")]);
    });
    box.appendChild(table(["sample", "verdict", "functional", "CWEs", "exploits that could not run"], rows));
    var pager = document.getElementById("pager");
    pager.textContent = "";
    var pages = Math.ceil(filtered.length / PAGE);
    if (pages > 1) {
      pager.appendChild(el("button", { text: "previous", onclick: function () { if (page > 0) { page--; drawList(); } } }));
      pager.appendChild(el("span", { text: " page " + (page + 1) + " of " + pages + " " }));
      pager.appendChild(el("button", { text: "next", onclick: function () { if (page < pages - 1) { page++; drawList(); } } }));
    }
  }
  function showSample(id) {
    var s = byID[id], box = document.getElementById("detail");
    box.textContent = "";
    box.appendChild(el("h3", { text: s.id }));
    box.appendChild(el("p", null, ["verdict: ", el("span", { cls: "v-" + s.verdict, text: s.verdict }),
      s.build ? " · image " + (s.build.image || "") + (s.build.ok ? "" : " · build failed: " + (s.build.reason || "")) : "",
      s.upstream ? " · tested by upstream: counts only, see the sample's logs" : ""]));
    if (s.reason) box.appendChild(el("p", { cls: "reason", text: "why: " + s.reason }));
    (s.tests || []).forEach(function (t) {
      var d = el("details", { "data-test": t.test }, [el("summary", null, [
        el("span", { cls: "o-" + t.outcome, text: t.outcome }), " " + t.kind + " " + t.test + " (" + t.duration_ms + " ms)",
        (t.cwes || []).length ? " " + t.cwes.map(function (n) { return "CWE-" + n; }).join(" ") : "",
        t.reason ? " — " + t.reason : ""])]);
      var findingEx = {};
      (t.findings || []).forEach(function (f) {
        (f.exchanges || []).forEach(function (n) { findingEx[n] = 1; });
        d.appendChild(el("div", { cls: "finding-box" }, [el("strong", { text: "CWE-" + f.cwe + " " }), f.oracle + ": " + f.detail +
          ((f.exchanges || []).length ? " (exchanges " + f.exchanges.join(", ") + ")" : "")]));
      });
      (t.exchanges || []).forEach(function (x) {
        var resp = x.error ? "error: " + x.error : x.status + "\n" + (x.response_body.text || (x.response_body.base64 ? "[binary, base64] " + x.response_body.base64 : "")) +
          (x.response_body.truncated ? "\n… (" + x.response_body.size + " bytes in all)" : "");
        d.appendChild(el("div", { cls: "ex" + (findingEx[x.seq] ? " finding" : "") }, [
          el("div", { text: "#" + x.seq + " " + x.method + " " + x.url + " (" + x.duration_ms + " ms)" }),
          el("pre", { cls: "curl", text: x.curl }), el("pre", { cls: "resp", text: resp })]));
      });
      if (t.omitted_exchanges) d.appendChild(el("p", { cls: "note", text: t.omitted_exchanges + " more exchanges are in the sample's evidence file." }));
      (t.notes || []).forEach(function (n) { d.appendChild(el("div", { cls: "note", text: n.kind + ": " + n.detail })); });
      if (t.app_log) d.appendChild(el("details", null, [el("summary", { text: "app output" }), el("pre", { text: t.app_log })]));
      if ((t.findings || []).length) d.open = true;
      box.appendChild(d);
    });
    Object.keys(s.code || {}).sort().forEach(function (name) {
      box.appendChild(el("details", null, [el("summary", { text: "code: " + name }), el("pre", { cls: "code", text: s.code[name] })]));
    });
    box.scrollIntoView();
  }
  window.baxbenchShowSample = showSample;
  applyFilters();
  var hash = decodeURIComponent(location.hash.slice(1));
  if (hash && byID[hash]) showSample(hash);
}
