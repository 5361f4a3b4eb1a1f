"""``--format html``: one self-contained page per run, for the people who decide what a clinic
publishes (a practice manager, a compliance officer, a regulator's case officer).

At a glance: files checked, findings by severity, an inline SVG chart by category, the pages with
the most serious problems first. Then every page with findings, worst first (a page with many
findings collapsed), each finding with its sentence and the claim highlighted, the rule, the
message, the suggestion, and the rule's ``why`` and references in a ``<details>``. Filters (plain
JavaScript) by severity, category, pack and page; without scripts everything is shown.

Every piece of text from a linted page, a path or a rule is escaped with ``html.escape``; the
style sheet and script are constants allowed by hash in a Content-Security-Policy, so no markup
in a page can run or restyle the report. No URL is loaded: it opens from an e-mail attachment.

Streaming: each page's section is written to a spill buffer as its file comes, with a note of
where it starts; the summary (which needs the totals) is written at the end, then the sections
are copied out worst first. Suppressed findings are listed apart, as the JSON format does, and
are not counted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from lint import report
from lint.findings import SEVERITIES, Finding
from lint.report import Totals, html_assets, spill

if TYPE_CHECKING:
    from lint.api import FileResult
    from lint.rules import Rule
    from lint.suppress import Suppressed

MARKUP = (".html", ".htm", ".xhtml", ".shtml")
WINDOW = 180  # characters of context shown on each side of a claim, at most
OPEN_UP_TO = 10  # a page with more findings than this starts collapsed
TOP_PAGES = 10  # pages listed in the "worst pages" table
TAG = re.compile(r"<[^<>]*>|<[^<>]*$")
INLINE_TAG = re.compile(
    r"</?(?:a|b|i|u|em|strong|span|mark|small|sup|sub|abbr|font)\b[^<>]*>", re.I
)
SENTENCE_END = re.compile(r"[.!?۔؟](?:[\"'”’)\]]*)\s+")
LABELS = {"error": "Errors", "warning": "Warnings", "info": "Info"}


def esc(text: object) -> str:
    """``text`` safe in element content and in quoted attribute values."""
    return html.escape(str(text), quote=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --- a finding's sentence -------------------------------------------------------------------


def readable(fragment: str, markup: bool) -> str:
    """``fragment`` of a source line as a reader sees it: tags dropped and entities decoded for
    HTML pages, white space collapsed (one space kept at either edge)."""
    if markup:
        fragment = INLINE_TAG.sub("", fragment)
        fragment = html.unescape(TAG.sub(" ", fragment))
    lead = " " if fragment[:1].isspace() else ""
    trail = " " if fragment[-1:].isspace() and fragment.strip() else ""
    return lead + " ".join(fragment.split()) + trail


def _tail(text: str) -> str:
    """The end of ``text`` back to the start of its last sentence (or WINDOW characters)."""
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    start = ends[-1] if ends else 0
    if len(text) - start <= WINDOW:
        return text[start:]
    cut = text.find(" ", len(text) - WINDOW)
    return "…" + text[cut if cut >= 0 else len(text) - WINDOW :]


def _head(text: str) -> str:
    """The start of ``text`` up to the end of its first sentence (or WINDOW characters)."""
    end = SENTENCE_END.search(text)
    stop = end.end() if end else len(text)
    if stop <= WINDOW:
        return text[:stop].rstrip() if end else text
    cut = text.rfind(" ", 0, WINDOW)
    return text[: cut if cut > 0 else WINDOW] + "…"


def _attribute(before: str, after: str) -> tuple[str, str]:
    """A claim in an attribute (``alt``, ``title``): its sentence is the attribute's value."""
    lt, gt = before.rfind("<"), before.rfind(">")
    quote = max(before.rfind('"'), before.rfind("'"))
    if lt <= gt or quote < lt:
        return before, after
    close = after.find(before[quote])
    return before[quote + 1 :], after[: close if close >= 0 else len(after)]


def sentence(line: str | None, finding: Finding) -> tuple[str, str, str]:
    """The text before the claim in its sentence, the claim, the text after it (plain text)."""
    if line is None:
        return "", finding.match, ""
    line = line.rstrip("\r\n")
    markup = finding.path.lower().endswith(MARKUP)
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    before, claim, after = line[:start], line[start : max(end, start + 1)], line[end:]
    if markup:
        before, after = _attribute(before, after)
    claim = readable(claim, markup).strip() or finding.match
    return _tail(readable(before, markup)), claim, _head(readable(after, markup))


# --- one finding, one page ------------------------------------------------------------------


def _pack(finding: Finding, rules: Mapping[str, Rule]) -> str:
    rule = rules.get(finding.rule)
    return rule.pack if rule is not None else finding.rule.partition("/")[0]


def _why(rule: Rule | None) -> str:
    if rule is None or not (rule.why or rule.references):
        return ""
    refs = "".join(f'<li dir="auto">{_reference(r)}</li>' for r in rule.references)
    return (
        '<details class="why"><summary>Why this matters, and references</summary>'
        f'<p dir="auto">{esc(rule.why)}</p>'
        + (f'<ul aria-label="References">{refs}</ul>' if refs else "")
        + "</details>"
    )


def _reference(text: str) -> str:
    """A reference; one that is a plain web address is a link (followed only when clicked)."""
    if re.fullmatch(r"https?://[^\s\"'<>]+", text):
        return f'<a href="{esc(text)}" rel="noreferrer noopener">{esc(text)}</a>'
    return esc(text)


def _quote(line: str | None, finding: Finding) -> str:
    before, claim, after = sentence(line, finding)
    return (
        # dir="auto" takes the direction of the sentence's first strong character (an inner
        # <bdi> would hide the text from it: an Urdu sentence would be laid out left-to-right)
        f'<blockquote dir="auto">{esc(before)}<mark>{esc(claim)}</mark>{esc(after)}</blockquote>'
    )


def message(finding: Finding) -> str:
    """The message, escaped, the quoted claim in it isolated (an Urdu phrase in an English
    message must not turn the sentence around it right-to-left)."""
    text, claim = esc(finding.message), esc(finding.match)
    if claim and claim in text:
        return text.replace(claim, f"<bdi>{claim}</bdi>", 1)
    return text


def finding_html(finding: Finding, line: str | None, rules: Mapping[str, Rule]) -> str:
    sev = finding.severity.value
    rule = rules.get(finding.rule)
    prob = ""
    if finding.probability is not None:
        prob = f' <span class="prob">· probability {finding.probability:.2f}</span>'
    attrs = (
        f'data-severity="{sev}" data-category="{esc(finding.category)}" '
        f'data-pack="{esc(_pack(finding, rules))}" data-rule="{esc(finding.rule)}" '
        f'data-line="{finding.line}" data-column="{finding.column}"'
        + (f' data-probability="{finding.probability}"' if finding.probability is not None else "")
    )
    suggestion = (
        f'<p class="suggest"><strong>Suggestion:</strong> <span dir="auto">'
        f"{esc(finding.suggestion)}</span></p>"
        if finding.suggestion
        else ""
    )
    return (
        f'<li class="finding sev-{sev}" {attrs}>'
        f'<p class="head"><span class="badge sev-{sev}">{sev}</span> '
        f'<span class="where">line {finding.line}, column {finding.column}</span> · '
        f'<code class="rule">{esc(finding.rule)}</code> '
        f'<span class="cat">· {esc(finding.category)}</span>{prob}</p>'
        f'<p class="msg">{message(finding)}</p>'
        f"{_quote(line, finding)}{suggestion}{_why(rule)}</li>\n"
    )


def _counts(counts: Mapping[str, int]) -> str:
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in SEVERITIES]
    return ", ".join(p for p in parts if not p.startswith("0 ")) or "none"


@dataclass
class Page:
    """What the summary needs of a page with findings; where its section is in the spill."""

    index: int
    path: str
    counts: dict[str, int]
    start: int = 0  # tell() cookie of its section in the spill buffer
    size: int = 0  # characters

    @property
    def rank(self) -> tuple[int, ...]:
        return (*(-self.counts[s] for s in SEVERITIES), self.index)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def page_html(page: Page, result: FileResult, rules: Mapping[str, Rule]) -> str:
    opened = " open" if page.total <= OPEN_UP_TO else ""
    items = "".join(finding_html(f, result.lines.get(f.line), rules) for f in result.findings)
    return (
        f'<details class="page" id="page-{page.index}" data-page="{esc(page.path)}"{opened}>'
        f"<summary><h3><bdi>{esc(page.path)}</bdi></h3>"
        f'<span class="counts">{_counts(page.counts)}</span></summary>\n'
        f'<ol class="findings">\n{items}</ol></details>\n'
    )


def suppressed_html(item: Suppressed) -> str:
    f = item.finding
    kind = "inline directive" if item.kind == "inSource" else "baseline"
    where = f" (line {item.line})" if item.line else ""
    return (
        f'<li class="suppressed" data-rule="{esc(f.rule)}"><p class="head">'
        f"<bdi>{esc(f.path)}</bdi>:{f.line}:{f.column} · "
        f'<code class="rule">{esc(f.rule)}</code> · {f.severity.value}</p>'
        f'<p class="msg">{message(f)}</p>'
        f'<p dir="auto">Cleared by the {kind}{where}: {esc(item.justification) or "no reason given"}'
        "</p></li>\n"
    )


# --- the summary ----------------------------------------------------------------------------


def tiles(totals: Totals) -> str:
    items = [f'<li><span class="n" data-count="files">{totals.files}</span> files checked</li>']
    items.append(
        f'<li><span class="n" data-count="findings">{totals.findings}</span> findings</li>'
    )
    for s in SEVERITIES:
        n = totals.by_severity[s]
        items.append(
            f'<li class="sev-{s}"><span class="n" data-count="{s}">{n}</span> {LABELS[s]}</li>'
        )
    if totals.suppressed:
        items.append(
            f'<li><span class="n" data-count="suppressed">{totals.suppressed}</span>'
            " suppressed</li>"
        )
    return f'<ul class="tiles" aria-label="Totals">{"".join(items)}</ul>'


BAR_ROW = 26
LABEL_W = 200
BAR_W = 320


def chart(categories: Mapping[str, Mapping[str, int]]) -> str:
    """Findings by category as horizontal bars, stacked by severity (inline SVG)."""
    if not categories:
        return "<p>No findings.</p>"
    rows = sorted(categories.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    most = max(sum(c.values()) for _, c in rows)
    height = BAR_ROW * len(rows) + 4
    width = LABEL_W + BAR_W + 50
    bars = "".join(_bar(i, name, counts, most) for i, (name, counts) in enumerate(rows))
    desc = "; ".join(f"{name}: {sum(c.values())}" for name, c in rows)
    legend = "".join(
        f'<li><span class="key sev-{s}" aria-hidden="true"></span>{LABELS[s]}</li>'
        for s in SEVERITIES
    )
    return (
        f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">'
        '<title id="chart-title">Findings by category</title>'
        f'<desc id="chart-desc">{esc(desc)}</desc>{bars}</svg>'
        f'<ul class="legend" aria-hidden="true">{legend}</ul>'
    )


COLOURS = {"error": "#a4001d", "warning": "#b26b00", "info": "#00528a"}


def _bar(i: int, name: str, counts: Mapping[str, int], most: int) -> str:
    y = i * BAR_ROW + 4
    x = float(LABEL_W)
    parts = [
        f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end">{esc(name)}</text>',
    ]
    for s in SEVERITIES:
        w = BAR_W * counts.get(s, 0) / most
        if w:
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_ROW - 8}" '
                f'fill="{COLOURS[s]}"><title>{esc(name)}: {counts[s]} {s}</title></rect>'
            )
            x += w
    total = sum(counts.values())
    parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}" data-category="{esc(name)}">{total}</text>')
    return f'<g class="bar">{"".join(parts)}</g>'


def worst_table(pages: Iterable[Page]) -> str:
    rows = "".join(
        f'<tr><td><a href="#page-{p.index}"><bdi>{esc(p.path)}</bdi></a></td>'
        + "".join(f'<td class="num">{p.counts[s]}</td>' for s in SEVERITIES)
        + f'<td class="num">{p.total}</td></tr>'
        for p in pages
    )
    heads = "".join(f'<th scope="col" class="num">{LABELS[s]}</th>' for s in SEVERITIES)
    return (
        '<table class="worst"><caption class="meta">Most serious first</caption><thead><tr>'
        f'<th scope="col">Page</th>{heads}<th scope="col" class="num">All</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _options(name: str, label: str, values: Iterable[str]) -> str:
    options = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)
    return (
        f'<label for="filter-{name}">{label}<select id="filter-{name}" name="{name}">'
        f'<option value="">All</option>{options}</select></label>'
    )


def filters(categories: Iterable[str], packs: Iterable[str], pages: Iterable[str]) -> str:
    """The filter form: hidden until the script runs (without it, everything is shown)."""
    return (
        '<form id="filters" hidden aria-label="Filter findings">'
        + _options("severity", "Severity", SEVERITIES)
        + _options("category", "Category", sorted(categories))
        + _options("pack", "Rule pack", sorted(packs))
        + _options("page", "Page", pages)
        + '<button type="reset">Show all</button></form>'
        '<p id="shown" role="status" aria-live="polite" hidden></p>'
    )


def head(totals: Totals) -> str:
    summary = f"{_plural(totals.findings, 'finding')} in {_plural(totals.files, 'file')} checked"
    title = f"clinic-lint report: {summary}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html_assets.CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="clinic-lint">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>{html_assets.CSS}</style></head>\n<body>\n"
        '<a class="skip" href="#pages">Skip to the findings</a>\n'
        f'<header><h1>clinic-lint report</h1><p class="meta">{esc(summary)}.</p></header>\n'
    )


def errors_html(errors: list[str]) -> str:
    if not errors:
        return ""
    items = "".join(f'<li dir="auto">{esc(e)}</li>' for e in errors)
    return (
        '<section aria-labelledby="errors-h"><h2 id="errors-h">Files that could not be checked'
        f'</h2><ul class="errors">{items}</ul></section>\n'
    )


# --- the writer -----------------------------------------------------------------------------


class Writer(report.Writer):
    def __init__(self, stream: TextIO, rules: Mapping[str, Rule]) -> None:
        super().__init__(stream, rules)
        self.sections = spill()
        self.cleared = spill()
        self.pages: list[Page] = []
        self.categories: dict[str, dict[str, int]] = {}
        self.packs: set[str] = set()

    def file(self, result: FileResult) -> None:
        for item in result.suppressed:
            self.cleared.write(suppressed_html(item))
        if not result.findings:
            return
        page = Page(len(self.pages) + 1, result.path, dict.fromkeys(SEVERITIES, 0))
        for f in result.findings:
            page.counts[f.severity.value] += 1
            by_sev = self.categories.setdefault(f.category, dict.fromkeys(SEVERITIES, 0))
            by_sev[f.severity.value] += 1
            self.packs.add(_pack(f, self.rules))
        text = page_html(page, result, self.rules)
        page.start, page.size = self.sections.tell(), len(text)
        self.sections.write(text)
        self.pages.append(page)

    def finish(self, totals: Totals) -> None:
        ranked = sorted(self.pages, key=lambda p: p.rank)
        write = self.stream.write
        write(head(totals) + '<main>\n<section aria-labelledby="glance-h">')
        write('<h2 id="glance-h">At a glance</h2>' + tiles(totals))
        write(errors_html(totals.errors))
        if ranked:
            write('<div class="glance"><div><h3>Findings by category</h3>')
            write(
                chart(self.categories) + "</div><div><h3>Pages with the most serious problems</h3>"
            )
            write(worst_table(ranked[:TOP_PAGES]) + "</div></div>")
        write('</section>\n<section id="pages" aria-labelledby="pages-h">')
        write(f'<h2 id="pages-h">Findings by page ({len(ranked)} with findings, ')
        write(f"{totals.files - len(ranked)} without)</h2>\n")
        if ranked:
            write(filters(self.categories, self.packs, (p.path for p in ranked)) + "\n")
        self._copy_pages(ranked)
        write("</section>\n")
        self._suppressed(totals.suppressed)
        write("</main>\n<footer>Written by clinic-lint. Each finding shows the sentence with ")
        write("the claim highlighted; open “Why this matters” for the rule's reasons and ")
        write(f"references.</footer>\n<script>{html_assets.JS}</script>\n</body></html>\n")

    def _copy_pages(self, ranked: list[Page]) -> None:
        for page in ranked:
            self.sections.seek(page.start)
            left = page.size
            while left > 0:
                chunk = self.sections.read(min(left, report.SPILL_BYTES))
                if not chunk:
                    break
                self.stream.write(chunk)
                left -= len(chunk)
        self.sections.close()

    def _suppressed(self, count: int) -> None:
        if count:
            self.stream.write(
                '<section aria-labelledby="supp-h"><h2 id="supp-h">Suppressed findings '
                f"({count})</h2><details><summary>Cleared by an inline directive or the "
                'baseline; not counted above. Show them.</summary><ol class="findings">\n'
            )
            report.copy(self.cleared, self.stream)
            self.stream.write("</ol></details></section>\n")
        self.cleared.close()
