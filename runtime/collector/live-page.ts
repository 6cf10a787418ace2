/**
 * The collector's live page: plain HTML and one small script, no framework. The script polls
 * `GET /api/status` every second and renders hop health, per-service counts, contract violations
 * and the most recent records and spans per service. Record text is untrusted: it is only ever
 * set through `textContent`, never as HTML.
 *
 * Stable hooks for tests (attributes set with `setAttribute`/`dataset`, never markup):
 * `data-testid="summary"`; `data-testid="violation-count"` (text and `data-count` are the total);
 * one `tr[data-testid="hop"]` per input with `data-hop`, `data-records` and `data-errors`;
 * `tr[data-testid="violation"]` per recent violation; one `div[data-testid="service"]` per service
 * with `data-service`, holding `tr[data-testid="record"]` rows with `data-signal`. `<body>`'s
 * `data-renders` counts the renders, so a test can tell a live refresh from a reload.
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
</style>
</head>
<body>
<h1>emp-telemetry dev collector</h1>
<div id="summary" class="muted" data-testid="summary">loading…</div>
<h2>Hops</h2>
<table id="hops"><thead><tr><th>input</th><th>port</th><th>records</th><th>batches</th><th>errors</th><th>last seen</th>` +
  `<th>last error</th></tr></thead><tbody></tbody></table>
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
    .map((v) => hook(row([time(v.atMs), v.service, v.source, el("td", v.path), v.key || "", v.rule, v.message]), "violation")));
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
async function tick() {
  try { const res = await fetch("/api/status", { cache: "no-store" }); render(await res.json()); }
  catch (e) { document.getElementById("summary").textContent = "collector not reachable: " + e; }
  setTimeout(tick, 1000);
}
tick();
</script>
</body>
</html>
`;
