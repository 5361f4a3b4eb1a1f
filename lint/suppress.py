"""Findings -> what the run reports: per-file ignores, allowed terms, and inline suppressions.

Inline suppressions are directives in the copy itself, each naming the rule(s) it clears and why
(ESLint's ``-- reason`` convention; ruff-style checks keep them honest):

    <!-- clinic-lint: disable-next-line core/no-side-effects -- quoted from the regulator -->
    <!-- clinic-lint: disable-line core/x -- reason -->        (trailing: its own line)
    <!-- clinic-lint: disable core/x, hype -- reason -->  …  <!-- clinic-lint: enable core/x, hype -->
    <!-- clinic-lint: disable-file core/x -- reason -->

Plain-text files use the same words on a line of their own, optionally after ``#`` or ``//``.
A rule is named by id, prefix (``core/``), pack or category. A directive without a rule or a
reason suppresses nothing and is itself a finding (``clinic-lint/bad-suppression``); a rule named
in a directive that clears nothing is reported (``clinic-lint/unused-suppression``). Suppressed
findings are not dropped: they are returned with their justification for JSON and SARIF.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from lint.documents import Document
from lint.findings import Finding, Severity
from lint.hints import close_matches

BAD = "clinic-lint/bad-suppression"
UNUSED = "clinic-lint/unused-suppression"
META_RULES = {BAD: Severity.ERROR, UNUSED: Severity.WARNING}
META_CATEGORY = "suppression"
MARKUP_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".html", ".htm", ".xhtml"})

KINDS = ("disable-next-line", "disable-line", "disable-file", "disable", "enable")
DIRECTIVE = re.compile(r"clinic-lint\s*:\s*(?P<kind>[\w-]*)(?P<rest>.*)", re.IGNORECASE | re.DOTALL)
TEXT_LINE = re.compile(r"[ \t]*(?:#+|//)?[ \t]*(?P<body>clinic-lint[ \t]*:.*?)[ \t]*$")
REASON_SEPARATOR = re.compile(r"\s[\u2013\u2014]\s")
TOKEN = re.compile(r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]*)?")

Position = tuple[int, int]  # (line, column), 1-based
SCOPE_RANK = {"disable-file": 0, "disable": 1, "disable-next-line": 2, "disable-line": 2}


@dataclass(frozen=True)
class Suppressed:
    """A finding a directive (``inSource``) or the baseline (``external``) cleared, and why."""

    finding: Finding
    kind: str  # SARIF's suppression kind: "inSource" or "external"
    justification: str
    line: int = 0  # where the directive stands (0 for the baseline)

    def to_json(self) -> dict[str, Any]:
        data = self.finding.to_json()
        data["suppression"] = {
            "kind": "inline" if self.kind == "inSource" else "baseline",
            "justification": self.justification,
            **({"line": self.line} if self.line else {}),
        }
        return data


@dataclass
class Directive:
    kind: str
    tokens: tuple[str, ...]
    reason: str
    start: Position
    end: Position  # exclusive
    text: str
    # disable ranges: where each token stops applying (closed by an ``enable``)
    until: dict[str, Position] = field(default_factory=dict)
    target: int = 0  # the line disable-next-line / disable-line covers
    used: set[str] = field(default_factory=set)


@dataclass
class Outcome:
    findings: list[Finding]
    suppressed: list[Suppressed]


def token_matches(token: str, rule: str, category: str) -> bool:
    """The selection semantics of config.py: id, id prefix, pack or category."""
    return token in (rule, category, rule.split("/", 1)[0]) or rule.startswith(token)


# -- finding the directives ------------------------------------------------------------------


def _is_markup(doc: Document) -> bool:
    return bool(doc.comments) or PurePath(doc.path).suffix.lower() in MARKUP_SUFFIXES


def _raw_directives(doc: Document) -> list[tuple[str, int, int]]:
    """(body, source start, source end) of every ``clinic-lint:`` comment or text line."""
    if _is_markup(doc):
        return [
            (c.body, c.offset, c.end)
            for c in doc.comments
            if DIRECTIVE.match(c.body.lstrip())  # "clinic-lint:"; other comments are just comments
        ]
    found = []
    offset = 0
    for line in doc.source.splitlines(keepends=True):
        match = TEXT_LINE.fullmatch(line.rstrip("\r\n"))
        if match:
            found.append((match.group("body"), offset, offset + len(line.rstrip("\r\n"))))
        offset += len(line)
    return found


def _parse(body: str) -> tuple[str, tuple[str, ...], str] | str:
    """(kind, tokens, reason), or what is wrong with the directive."""
    match = DIRECTIVE.match(body.strip())
    if not match or match.group("kind").lower() not in KINDS:
        got = match.group("kind") if match else body
        close = close_matches(got.lower(), KINDS, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        return f"unknown directive '{got}'{hint} (use {', '.join(KINDS)})"
    kind = match.group("kind").lower()
    # the reason follows "--" (ESLint's convention); an em or en dash typed by an editor counts too
    names, _, reason = REASON_SEPARATOR.sub("--", match.group("rest"), count=1).partition("--")
    tokens = tuple(t for t in re.split(r"[\s,]+", names.strip()) if t)
    bad = [t for t in tokens if not TOKEN.fullmatch(t)]
    if bad:
        return f"'{bad[0]}' is not a rule id, prefix, pack or category"
    if not tokens:
        return f"'{kind}' names no rule (blanket suppressions are not allowed)"
    if kind != "enable" and not reason.strip():
        return f"'{kind} {' '.join(tokens)}' gives no reason (add ' -- why this is acceptable')"
    return kind, tokens, " ".join(reason.split())


def _standalone_lines(doc: Document, spans: Iterable[tuple[int, int]]) -> set[int]:
    """Lines that hold nothing but a directive (skipped when finding the 'next line')."""
    lines: set[int] = set()
    for start, end in spans:
        first, _ = doc.position(start)
        last, _ = doc.position(max(end - 1, start))
        line_start = doc.source.rfind("\n", 0, start) + 1
        line_end = doc.source.find("\n", end)
        line_end = len(doc.source) if line_end == -1 else line_end
        if not doc.source[line_start:start].strip() and not doc.source[end:line_end].strip():
            lines.update(range(first, last + 1))
    return lines


def _next_line(source_lines: list[str], after: int, skip: set[int]) -> int:
    line = after + 1
    while line <= len(source_lines) and (line in skip or not source_lines[line - 1].strip()):
        line += 1
    return line


def directives(doc: Document) -> tuple[list[Directive], list[Finding]]:
    """The well-formed directives in ``doc``, and a bad-suppression finding for each other one."""
    raw = _raw_directives(doc)
    skip = _standalone_lines(doc, ((s, e) for _, s, e in raw))
    good: list[Directive] = []
    bad: list[Finding] = []
    open_ranges: list[Directive] = []
    source_lines = doc.source.splitlines()
    end_of_file = doc.position(len(doc.source))
    end_of_file = (end_of_file[0], end_of_file[1] + 1)
    for body, start, end in raw:
        start_pos, end_pos = doc.position(start), doc.position(end)
        parsed = _parse(body)
        if isinstance(parsed, str):
            bad.append(_meta(doc.path, BAD, start_pos, end_pos, body, parsed))
            continue
        kind, tokens, reason = parsed
        d = Directive(kind, tokens, reason, start_pos, end_pos, body)
        if kind == "enable":
            for token in tokens:
                opener = next(
                    (o for o in reversed(open_ranges) if o.until.get(token) == end_of_file), None
                )
                if opener is None:
                    message = f"'enable {token}' has no matching 'disable {token}' before it"
                    bad.append(_meta(doc.path, BAD, start_pos, end_pos, body, message))
                else:
                    opener.until[token] = start_pos
            continue
        if kind == "disable":
            d.until = dict.fromkeys(tokens, end_of_file)  # an unclosed range runs to the end
            open_ranges.append(d)
        elif kind == "disable-next-line":
            d.target = _next_line(source_lines, doc.position(max(end - 1, start))[0], skip)
        elif kind == "disable-line":
            d.target = start_pos[0]
        good.append(d)
    return good, bad


# -- applying them ---------------------------------------------------------------------------


def _covers(d: Directive, token: str, f: Finding) -> bool:
    if not token_matches(token, f.rule, f.category):
        return False
    if d.kind == "disable-file":
        return True
    if d.kind == "disable":
        return d.end <= (f.line, f.column) < d.until[token]
    return f.line == d.target


def _meta(path: str, rule: str, start: Position, end: Position, text: str, message: str) -> Finding:
    return Finding(
        path=path,
        line=start[0],
        column=start[1],
        end_line=end[0],
        end_column=end[1],
        rule=rule,
        category=META_CATEGORY,
        severity=META_RULES[rule],
        message=message,
        match=" ".join(text.split()),
        suggestion=(
            "Name the rule and say why: <!-- clinic-lint: disable-next-line core/x -- reason -->"
            if rule == BAD
            else "Remove the rule from the directive (or the whole directive)."
        ),
    )


def _unused(
    doc: Document, directives_: list[Directive], active: Sequence[tuple[str, str]]
) -> list[Finding]:
    """An unused-suppression finding per named rule that cleared nothing and runs in this run;
    a bad-suppression for a name that is a near miss of an active rule id (a typo)."""
    out: list[Finding] = []
    ids = [rule for rule, _ in active]
    for d in directives_:
        for token in d.tokens:
            if token in d.used:
                continue
            if any(token_matches(token, rule, category) for rule, category in active):
                message = f"'{d.kind} {token}' suppresses nothing here"
                out.append(_meta(doc.path, UNUSED, d.start, d.end, d.text, message))
                continue
            close = close_matches(token, ids, n=1, cutoff=0.85)
            if close:
                message = f"unknown rule '{token}' — did you mean '{close[0]}'?"
                out.append(_meta(doc.path, BAD, d.start, d.end, d.text, message))
            # else: a rule this run does not load (another pack); nothing to say about it
    return out


def _on_directive_line(f: Finding, directives_: list[Directive]) -> bool:
    return any(d.start[0] <= f.line <= d.end[0] for d in directives_)


def apply_directives(
    doc: Document,
    findings: Sequence[Finding],
    active: Sequence[tuple[str, str]],
    *,
    ignore: Sequence[str] = (),
) -> Outcome:
    """Split ``findings`` into reported and suppressed; add the directives' own findings.

    ``active`` is (rule id, category) for every rule this run applies, so that a directive for a
    rule of another pack is not called unused. ``ignore`` can turn the two meta rules off.
    """
    good, bad = directives(doc)
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    plain = not _is_markup(doc)
    for f in findings:
        if plain and _on_directive_line(f, good):
            continue  # the reason text of a plain-text directive is not copy
        hits = [(d, t) for d in good for t in d.tokens if _covers(d, t, f)]
        if not hits:
            kept.append(f)
            continue
        # the narrowest directive clears it (a line beats a range beats the file; inner ranges win)
        d, token = max(hits, key=lambda hit: (SCOPE_RANK[hit[0].kind], hit[0].start))
        d.used.add(token)
        suppressed.append(Suppressed(f, "inSource", d.reason, d.start[0]))
    meta = [m for m in bad + _unused(doc, good, active) if not _ignored(m.rule, ignore)]
    return Outcome(sorted(kept + meta), suppressed)


def _ignored(rule: str, ignore: Sequence[str]) -> bool:
    return any(token_matches(t, rule, META_CATEGORY) for t in ignore)


# -- configuration filters -------------------------------------------------------------------


def drop_ignored(findings: Sequence[Finding], tokens: Sequence[str]) -> list[Finding]:
    """``per-file-ignores``: the findings no token names."""
    return [f for f in findings if not any(token_matches(t, f.rule, f.category) for t in tokens)]


def drop_allowed(doc: Document, findings: Sequence[Finding], allowed: Any) -> list[Finding]:
    """The findings that do not overlap an allowed term (a clinic or product name)."""
    if allowed is None or not findings:
        return list(findings)
    spans = []
    for m in allowed.finditer(doc.text):
        span = doc.span(m.start(), m.end())
        spans.append(((span.line, span.column), (span.end_line, span.end_column)))

    def overlaps(f: Finding) -> bool:
        start, end = (f.line, f.column), (f.end_line, f.end_column)
        return any(start < a_end and a_start < end for a_start, a_end in spans)

    return [f for f in findings if not overlaps(f)]
