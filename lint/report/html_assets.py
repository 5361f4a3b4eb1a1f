"""The HTML report's style sheet and script, inlined into every report (no network, no CDN).

Both are constants, so the report's Content-Security-Policy allows exactly them by their
SHA-256 hash: nothing else can style or run in the page, whatever a linted page contains."""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root { color-scheme: light; --error: #a4001d; --warning: #7a4a00; --info: #00528a;
  --ink: #1b1b1f; --muted: #4a4a55; --line: #d0d0d8; --soft: #f4f4f7; --mark: #ffe08a; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
  "Noto Nastaliq Urdu", sans-serif; color: var(--ink); background: #fff; }
a { color: #0b4f9c; }
a:focus-visible, summary:focus-visible, select:focus-visible, button:focus-visible {
  outline: 3px solid #0b4f9c; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5em; }
.skip:focus { left: .5em; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1.25rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 1.75rem 0 .5rem; }
h3 { font-size: 1.1rem; margin: 0; display: inline; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.tiles { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; margin: 0; list-style: none; }
.tiles li { border: 1px solid var(--line); border-radius: 8px; padding: .6rem 1rem;
  min-width: 9rem; background: var(--soft); }
.tiles .n { display: block; font-size: 1.8rem; font-weight: 700; line-height: 1.1; }
.tiles .sev-error .n, .badge.sev-error { color: var(--error); }
.tiles .sev-warning .n, .badge.sev-warning { color: var(--warning); }
.tiles .sev-info .n, .badge.sev-info { color: var(--info); }
.glance { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1.5rem; }
.glance > div { min-width: 0; overflow-x: auto; }
table.worst td:first-child { overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: start; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
caption { text-align: start; }
td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; }
svg text { font: 13px system-ui, sans-serif; fill: var(--ink); }
.legend { display: flex; gap: 1rem; list-style: none; padding: 0; margin: .25rem 0; }
.key { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em; margin-inline-end: .3em; }
.key.sev-error { background: var(--error); } .key.sev-warning { background: #b26b00; }
.key.sev-info { background: var(--info); }
#filters { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: end;
  background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
#filters[hidden] { display: none; }
#filters label { display: flex; flex-direction: column; font-size: .9rem; color: var(--muted); }
#filters select, #filters button { font: inherit; padding: .25rem .4rem; max-width: 22rem; }
#shown { margin: .5rem 0; color: var(--muted); }
details.page { border: 1px solid var(--line); border-radius: 8px; margin: 1rem 0; }
details.page > summary { padding: .6rem 1rem; cursor: pointer; background: var(--soft);
  border-radius: 8px; }
details.page[open] > summary { border-bottom: 1px solid var(--line); border-radius: 8px 8px 0 0; }
.counts { color: var(--muted); margin-inline-start: .5rem; }
ol.findings { list-style: none; margin: 0; padding: 0 1rem; }
li.finding { padding: .8rem 0; border-bottom: 1px solid var(--line); }
li.finding:last-child { border-bottom: 0; }
.head { margin: 0; }
.badge { font-weight: 700; text-transform: uppercase; font-size: .8rem; letter-spacing: .04em; }
.rule { font-size: .9rem; background: var(--soft); padding: 0 .3em; border-radius: 4px; }
.where, .cat, .prob { color: var(--muted); font-size: .9rem; }
.msg { margin: .25rem 0; font-weight: 600; }
blockquote { margin: .4rem 0; padding: .4rem .8rem; border-inline-start: 4px solid var(--line);
  background: #fafafc; overflow-wrap: anywhere; }
li.sev-error blockquote { border-inline-start-color: var(--error); }
li.sev-warning blockquote { border-inline-start-color: var(--warning); }
li.sev-info blockquote { border-inline-start-color: var(--info); }
mark { background: var(--mark); color: inherit; padding: 0 .1em; border-radius: 2px;
  text-decoration: underline 2px; }
.suggest { margin: .25rem 0; }
details.why > summary { cursor: pointer; color: #0b4f9c; font-size: .9rem; }
details.why p, details.why ul { margin: .3rem 0; }
.errors li, .note { color: var(--error); }
footer { color: var(--muted); font-size: .85rem; padding: 2rem 1.25rem; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 10.5pt; }
  #filters, #shown, .skip, details.why > summary::marker { display: none !important; }
  details.page { break-before: page; border: 0; }
  details.page > summary { background: none; }
  li.finding { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

JS = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var fields = ["severity", "category", "pack", "page"];
  var shown = document.getElementById("shown");
  var pages = Array.prototype.slice.call(document.querySelectorAll("details.page"));
  function wanted() {
    var w = {};
    fields.forEach(function (f) { w[f] = form.elements[f].value; });
    return w;
  }
  function keeps(li, w) {
    return ["severity", "category", "pack"].every(function (f) {
      return !w[f] || li.getAttribute("data-" + f) === w[f];
    });
  }
  function apply() {
    var w = wanted(), total = 0, visible = 0;
    pages.forEach(function (page) {
      var here = 0, onPage = !w.page || page.getAttribute("data-page") === w.page;
      page.querySelectorAll("li.finding").forEach(function (li) {
        var keep = onPage && keeps(li, w);
        li.hidden = !keep;
        total += 1;
        if (keep) { here += 1; }
      });
      page.hidden = here === 0;
      if (w.page && onPage) { page.open = true; }
      visible += here;
    });
    shown.textContent = (visible === total) ? "Showing all " + total + " findings." :
      "Showing " + visible + " of " + total + " findings.";
  }
  form.hidden = false;
  shown.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = pages.filter(function (p) { return !p.open; });
    closed.forEach(function (p) { p.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (p) { p.open = false; });
  });
  apply();
}());
"""


def digest(source: str) -> str:
    """The CSP source expression allowing an inline element whose text is exactly ``source``."""
    raw = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(raw).decode("ascii") + "'"


CSP = (
    "default-src 'none'; "
    f"style-src {digest(CSS)}; "
    f"script-src {digest(JS)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
