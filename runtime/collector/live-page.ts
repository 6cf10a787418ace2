/**
 * The collector's live page: plain HTML and one small script, no framework. The script polls
 * `GET /api/status` every second and renders a legend, hop health, records per client sink over the
 * last minute (a chart), the recent traces and one of them as a tree (`GET /api/traces/<id>`: spans
 * nested by parent across services, bars to scale, their logs under them), contract violations and
 * the most recent records and spans per service. Record text is untrusted: it is only ever set
 * through `textContent`, never as HTML.
 *
 * Stable hooks for tests (attributes set with `setAttribute`/`dataset`, never markup):
 * `data-testid="summary"`; `data-testid="violation-count"` (text and `data-count` are the total);
 * one `tr[data-testid="hop"]` per input with `data-hop`, `data-records` and `data-errors`;
 * `tr[data-testid="violation"]` per recent violation; one `div[data-testid="service"]` per service
 * with `data-service`, holding `tr[data-testid="record"]` rows with `data-signal`;
 * `[data-testid="legend"]`; one `tr[data-testid="sink"]` per client sink with `data-sink`,
 * `data-total` and `data-last-minute`, and the chart `svg[data-testid="deliveries"]` with one
 * `polyline` per sink; one `tr[data-testid="trace"]` per recent trace with `data-trace-id` and
 * `data-job`; `[data-testid="trace-view"]` with `data-trace-id`, holding one `div[data-testid="span"]`
 * per span, in tree order, with `data-depth`, `data-service`, `data-name`, `data-duration-ms` and
 * `data-orphan`, and `div[data-testid="span-log"]` lines under it. `<body>`'s `data-renders`
 * counts the renders, so a test can tell a live refresh from a reload. `[data-testid="collisions"]` holds one
 * `div[data-testid="collision"]` per service name that several service types or machines send under, with
 * `data-service` and `data-sources` (how many distinct (type, machine) pairs).
 */
export const livePageHtml =
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>emp-telemetry dev collector</title>
<style>
  body { font: 13px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
  h1 { font-size: 1.3em; margin: 0 0 .2em; } h2 { font-size: 1.05em; margin: 1.4em 0 .4em; }
  table { border-collapse: collapse; margin-bottom: .5em; } td, th { border: 1px solid #ddd; padding: 2px 8px; text-align: left; vertical-align: top; }
  th { background: #f4f4f4; } .bad { color: #b00020; } .ok { color: #1b5e20; } .muted { color: #777; }
  code { font-family: ui-monospace, monospace; font-size: 12px; } #services > div { margin-bottom: 1em; }
  #legend { background: #fafafa; border: 1px solid #e4e4e4; padding: .4em .8em; max-width: 1100px; } #legend dt { font-weight: 600; float: left; width: 11em; }
  #legend dd { margin: 0 0 .2em 11.5em; } .swatch { display: inline-block; width: .9em; height: .9em; vertical-align: -1px; margin-right: .3em; }
  #trace-list tr { cursor: pointer; } #trace-list tr.selected { background: #e8f0fe; }
  .span { display: grid; grid-template-columns: 26em 9em 1fr; align-items: center; gap: .5em; font-size: 12px; padding: 1px 0; }
  .span .name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; } .span .track { position: relative; height: 12px; background: #f2f2f2; }
  .span .bar { position: absolute; top: 0; height: 12px; min-width: 2px; border-radius: 2px; }
  .span .dur { position: absolute; left: 0; top: -1px; font-size: 11px; color: #333; }
  .span-log { font-size: 11px; color: #555; margin: 0 0 1px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
</style>
</head>
<body>
<h1>emp-telemetry dev collector</h1>
<div id="summary" class="muted" data-testid="summary">loading…</div>
<div id="collisions" data-testid="collisions"></div>
<h2>Legend</h2>
<dl id="legend" data-testid="legend">
  <dt>Hops</dt><dd>one row per input of this collector: records taken, batches (forward messages, HTTP requests) and errors
  (requests refused: bad body, wrong shared key or token, over a limit), with the last error.</dd>
  <dt>Deliveries</dt><dd>records per second from each client sink over the last minute: <i>fluentd</i> is a service's Fluentd
  sink, <i>otlp traces</i> and <i>otlp logs</i> its OTLP sinks. A sink that stops while its service runs is queueing or has
  its circuit breaker open: see the service's <code>health()</code>.</dd>
  <dt>Traces</dt><dd>the recent traces (click one). Its spans are nested under their parent across services, a bar each, to
  scale from the trace's start, coloured by service (<span id="legend-services"></span>); a <span class="bad">red</span>
  bar is a span whose status is error; ⚠ marks a span whose parent has not arrived; the lines under a span are the logs
  written inside it.</dd>
  <dt>Name collision</dt><dd>a <span class="bad">service.name</span> that several service types or machines send under
  (e.g. <code>SERVICE_NAME=emp-service</code> everywhere): their records stay apart by type and machine, listed in the warning;
  give each service its own name.</dd>
  <dt>Contract</dt><dd><span class="ok">ok</span>: the record passed the live contract check;
  <span class="bad">red</span>: it violates the contract (the rule and the key are listed; <code>emp-telemetry validate</code>
  explains them in words).</dd>
</dl>
<h2>Hops</h2>
<table id="hops"><thead><tr><th>input</th><th>port</th><th>records</th><th>batches</th><th>errors</th><th>last seen</th>` +
  `<th>last error</th></tr></thead><tbody></tbody></table>
<h2>Deliveries per sink (records per second, last minute)</h2>
<svg id="deliveries" data-testid="deliveries" width="600" height="120" viewBox="0 0 600 120" role="img" aria-label="records per second per sink"></svg>
<table id="sinks"><thead><tr><th>sink</th><th>input</th><th>last minute</th><th>total</th></tr></thead><tbody></tbody></table>
<h2>Traces</h2>
<table id="trace-list"><thead><tr><th>job</th><th>root span</th><th>services</th><th>spans</th><th>logs</th><th>duration</th></tr></thead>` +
  `<tbody></tbody></table>
<div id="trace-view" data-testid="trace-view"><span class="muted">no trace yet</span></div>
<h2>Contract violations: <span id="violation-count" data-testid="violation-count">…</span></h2>
<table id="rules"><thead><tr><th>service</th><th>rule</th><th>count</th></tr></thead><tbody></tbody></table>
<table id="violations"><thead><tr><th>when</th><th>service</th><th>source</th><th>path</th><th>key</th><th>rule</th>` +
  `<th>message</th></tr></thead><tbody></tbody></table>
<h2>Services</h2>
<div id="services"></div>
<script>
"use strict";
const portOf = { forward: "forward", http: "http", otlpHttp: "otlpHttp", otlpGrpc: "otlpGrpc", dash0: "dash0" };
function el(tag, text, cls) {
  const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e;
}
function row(cells, cls) { const tr = el("tr", undefined, cls); for (const c of cells) tr.appendChild(c instanceof Node ? c : el("td", c)); return tr; }
function hook(e, testid, data) { e.setAttribute("data-testid", testid); for (const k of Object.keys(data || {})) e.dataset[k] = String(data[k]); return e; }
function fill(id, rows) { const body = document.querySelector("#" + id + " tbody"); body.replaceChildren(...rows); }
function ago(ms) { if (!ms) return "never"; const s = Math.round((Date.now() - ms) / 1000); return s < 1 ? "just now" : s + " s ago"; }
function time(ms) { return new Date(ms).toLocaleTimeString(); }
const palette = ["#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#558b2f", "#283593", "#9e9d24"];
function colourOf(name) { let h = 0; for (const ch of String(name)) h = (h * 31 + ch.codePointAt(0)) >>> 0; return palette[h % palette.length]; }
function ms(x) { return x < 10 ? x.toFixed(2) + " ms" : x < 1000 ? x.toFixed(1) + " ms" : (x / 1000).toFixed(2) + " s"; }
let selectedTrace = location.hash.length === 33 ? location.hash.slice(1) : "";
let chosenByUser = selectedTrace !== "";
function renderDeliveries(t) {
  const svg = document.getElementById("deliveries"); const ns = "http://www.w3.org/2000/svg";
  const max = Math.max(1, ...t.series.flatMap((x) => x.counts)); const w = 600, h = 120;
  const step = w / Math.max(1, (t.series[0] || { counts: [0, 0] }).counts.length - 1);
  const kids = [];
  for (const y of [0, 0.5, 1]) { const l = document.createElementNS(ns, "line"); l.setAttribute("x1", "0"); l.setAttribute("x2", String(w));
    l.setAttribute("y1", String(h - 2 - y * (h - 14))); l.setAttribute("y2", String(h - 2 - y * (h - 14))); l.setAttribute("stroke", "#e0e0e0"); kids.push(l); }
  const top = document.createElementNS(ns, "text"); top.setAttribute("x", "2"); top.setAttribute("y", "10"); top.setAttribute("font-size", "10");
  top.textContent = max + "/s"; kids.push(top);
  for (const x of t.series) {
    const p = document.createElementNS(ns, "polyline"); p.setAttribute("fill", "none"); p.setAttribute("stroke", colourOf(x.sink));
    p.setAttribute("stroke-width", "2");
    p.setAttribute("points", x.counts.map((c, i) => (i * step).toFixed(1) + "," + (h - 2 - (c / max) * (h - 14)).toFixed(1)).join(" "));
    p.dataset.sink = x.sink; kids.push(p);
  }
  svg.replaceChildren(...kids);
  fill("sinks", t.series.length ? t.series.map((x) => {
    const sw = el("span", undefined, "swatch"); sw.style.background = colourOf(x.sink); const name = el("td"); name.append(sw, x.sink);
    const minute = x.counts.reduce((a, b) => a + b, 0);
    return hook(row([name, x.source, minute, x.total]), "sink", { sink: x.sink, total: x.total, lastMinute: minute });
  }) : [row(["—", "nothing received yet", 0, 0], "muted")]);
}
function renderTraceList(traces) {
  if (!chosenByUser || !traces.some((t) => t.traceId === selectedTrace)) {
    const pick = traces.find((t) => t.jobId && t.services.length > 1) || traces.find((t) => t.jobId) || traces[0];
    if (!chosenByUser || !selectedTrace) selectedTrace = pick ? pick.traceId : "";
  }
  fill("trace-list", traces.length ? traces.map((t) => {
    const tr = hook(row([t.jobId || "—", t.root, t.services.join(", "), t.spans, t.logs, ms(t.durationMs)], t.traceId === selectedTrace ? "selected" : ""),
      "trace", { traceId: t.traceId, job: t.jobId || "" });
    tr.addEventListener("click", () => { selectedTrace = t.traceId; chosenByUser = true; location.hash = t.traceId; tick(true); });
    return tr;
  }) : [row(["—", "no trace yet: spans arrive over OTLP", "", 0, 0, ""], "muted")]);
}
function renderTrace(v) {
  const box = document.getElementById("trace-view"); box.dataset.traceId = v.traceId;
  const head = el("h3", "trace " + v.traceId + " — " + v.rows.length + " spans across " + v.services.join(", ") + ", " + ms(v.durationMs) +
    (v.dropped ? " (" + v.dropped + " records not kept)" : ""));
  const lines = [head]; const total = Math.max(v.durationMs, 0.001);
  for (const r of v.rows) {
    const line = hook(el("div", undefined, "span"), "span",
      { depth: r.depth, service: r.span.service, name: r.span.name, durationMs: r.durationMs.toFixed(3), orphan: r.orphan });
    const name = el("div", (r.orphan ? "⚠ " : "") + r.span.name, "name"); name.style.paddingLeft = (r.depth * 1.4) + "em";
    name.title = r.orphan ? "its parent span " + r.span.parentSpanId + " has not arrived" : r.span.spanId;
    const track = el("div", undefined, "track"); const bar = el("div", undefined, "bar");
    bar.style.left = (r.offsetMs / total * 100).toFixed(2) + "%"; bar.style.width = Math.max(0.3, r.durationMs / total * 100).toFixed(2) + "%";
    bar.style.background = r.span.statusCode === 2 ? "#b00020" : colourOf(r.span.service); track.append(bar);
    const dur = el("span", ms(r.durationMs), "dur"); const endPct = (r.offsetMs + r.durationMs) / total * 100;
    if (endPct < 85) dur.style.left = (endPct + 0.5).toFixed(2) + "%";
    else { dur.style.left = "auto"; dur.style.right = (100 - r.offsetMs / total * 100 + 0.5).toFixed(2) + "%"; }
    track.append(dur);
    const svc = el("div", r.span.service); svc.style.color = colourOf(r.span.service);
    line.append(name, svc, track); lines.push(line);
    for (const l of r.logs.slice(0, 5)) {
      const log = hook(el("div", l.level + "  " + l.message, "span-log"), "span-log", { service: l.service });
      log.style.paddingLeft = (r.depth * 1.4 + 1.2) + "em"; lines.push(log);
    }
    if (r.logs.length > 5) {
      const more = el("div", "… " + (r.logs.length - 5) + " more logs", "span-log muted");
      more.style.paddingLeft = (r.depth * 1.4 + 1.2) + "em"; lines.push(more);
    }
  }
  box.replaceChildren(...lines);
  const sw = document.getElementById("legend-services");
  sw.replaceChildren(...v.services.flatMap((n, i) => {
    const s = el("span", undefined, "swatch"); s.style.background = colourOf(n); return [s, el("span", n + (i < v.services.length - 1 ? ", " : ""))];
  }));
}
function summaryOf(r) {
  const x = r.record || {};
  if (r.signal === "spans") {
    const d = (Number(x.endTimeUnixNano) - Number(x.startTimeUnixNano)) / 1e6;
    return (x.name || "(no name)") + "  " + (isFinite(d) ? d.toFixed(1) + " ms" : "") + "  trace " + (x.traceId || "");
  }
  return (x.level || x.severityText || "") + "  " + (x.message !== undefined ? x.message : x.body !== undefined ? x.body : JSON.stringify(x).slice(0, 200));
}
function render(s) {
  document.getElementById("summary").textContent = s.counts.total + " records (" + s.counts.bySignal.logs + " logs, " + s.counts.bySignal.spans + " spans), " +
    s.violations.total + " contract violations, " + s.probes + " probes; up " + Math.round(s.uptimeMs / 1000) + " s" +
    (s.storage.dir ? "; files in " + s.storage.dir : "");
  document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
  document.getElementById("collisions").replaceChildren(...(s.collisions || []).map((c) => hook(el("div",
    "⚠ service.name \u201c" + c.service + "\u201d is shared by " + c.sources.length + " sources: " +
    c.sources.map((x) => x.type + (x.machine ? " on " + x.machine : "")).join(", ") +
    ". Records stay apart by emp.service.type and emp.machine.id; give each service its own SERVICE_NAME.", "bad"),
    "collision", { service: c.service, sources: c.sources.length })));
  const count = document.getElementById("violation-count"); count.textContent = String(s.violations.total); count.dataset.count = String(s.violations.total);
  fill("hops", Object.keys(s.hops).map((k) => {
    const h = s.hops[k];
    return hook(row([k, s.ports[portOf[k]], h.records, h.batches, el("td", h.errors, h.errors ? "bad" : ""), ago(h.lastSeenAtMs), h.lastError || ""]),
      "hop", { hop: k, records: h.records, errors: h.errors });
  }));
  const rules = [];
  for (const svc of Object.keys(s.violations.byServiceAndRule)) {
    for (const rule of Object.keys(s.violations.byServiceAndRule[svc])) rules.push(row([svc, rule, s.violations.byServiceAndRule[svc][rule]], "bad"));
  }
  fill("rules", rules.length ? rules : [row(["—", "no violations", 0], "ok")]);
  fill("violations", s.violations.recent.slice(-20).reverse()
    .map((v) => hook(row([time(v.atMs), v.service, v.source, el("td", v.path), v.key || "", v.rule, v.text || v.message]), "violation")));
  const services = document.getElementById("services");
  services.replaceChildren(...Object.keys(s.counts.byService).sort().map((name) => {
    const c = s.counts.byService[name]; const recent = s.recent[name] || { logs: [], spans: [] };
    const box = hook(el("div"), "service", { service: name });
    box.appendChild(el("h3", name + " — " + c.logs + " logs, " + c.spans + " spans, " + c.invalid + " invalid, last " + ago(c.lastSeenAtMs)));
    const t = el("table");
    t.appendChild(row([el("th", "when"), el("th", "signal"), el("th", "source"), el("th", "tag / path"), el("th", "record"), el("th", "violations")]));
    for (const r of [...recent.logs, ...recent.spans].sort((a, b) => b.seq - a.seq).slice(0, 15)) {
      t.appendChild(hook(row([time(r.receivedAtMs), r.signal, r.source, r.tag || r.path || "", el("td", summaryOf(r)),
        el("td", r.violations.length ? r.violations.map((v) => v.path + " " + v.rule).join(", ") : "ok", r.violations.length ? "bad" : "ok")]),
        "record", { signal: r.signal }));
    }
    box.appendChild(t); return box;
  }));
}
let timer;
async function tick(now) {
  if (now) clearTimeout(timer);
  try {
    const res = await fetch("/api/status", { cache: "no-store" }); const s = await res.json();
    render(s); renderDeliveries(s.timeline); renderTraceList(s.traces);
    if (selectedTrace) { const t = await fetch("/api/traces/" + selectedTrace, { cache: "no-store" }); if (t.ok) renderTrace(await t.json()); }
  }
  catch (e) { document.getElementById("summary").textContent = "collector not reachable: " + e; }
  timer = setTimeout(tick, 1000);
}
tick();
</script>
</body>
</html>
`;
