"""Every finding's line and column open on the offending words in the source file.

Two checks: the fixture pages under fixtures/html/ carry a ``.positions`` sidecar with the exact
spans the test rules (tests/rules/positions) must report; and, over every fixture page with the
test rules and with all shipped packs, the source text between a finding's start and end, with
markup removed by a separate, simple renderer (not the readers under test), reads as the match.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from lint import documents, normalize, rules
from lint.api import Linter
from lint.findings import Finding

TEST_RULES = ROOT / "tests" / "rules" / "positions"
SIDECARS = sorted(FIXTURES.rglob("*.positions"))
PAGES = sorted(
    p
    for p in FIXTURES.rglob("*")
    if p.is_file() and p.suffix.lower() in documents.LINTABLE_SUFFIXES
)


@pytest.fixture(scope="module")
def test_linter() -> Linter:
    return Linter(rules.load([TEST_RULES], shipped=False))


@pytest.fixture(scope="module")
def shipped_linter() -> Linter:
    return Linter(rules.load([TEST_RULES], packs=None))


def parse_sidecar(path: Path) -> list[tuple[int, int, int, int, str]]:
    spans = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        place, rule = raw.split(maxsplit=2)[:2]
        start, end = place.split("-")
        line, column = map(int, start.split(":"))
        end_line, end_column = map(int, end.split(":"))
        spans.append((line, column, end_line, end_column, rule))
    return spans


def test_sidecars_cover_every_reader() -> None:
    suffixes = {Path(p.stem).suffix for p in SIDECARS}
    assert {".html", ".md"} <= suffixes, suffixes
    names = {p.name for p in SIDECARS}
    assert {"urdu.html.positions", "crlf.html.positions"} <= names


@pytest.mark.parametrize("sidecar", SIDECARS, ids=[str(p.relative_to(FIXTURES)) for p in SIDECARS])
def test_exact_positions(sidecar: Path, test_linter: Linter) -> None:
    page = sidecar.with_suffix("")
    result = test_linter.check_file(page)
    assert not result.errors
    got = [(f.line, f.column, f.end_line, f.end_column, f.rule) for f in result.findings]
    assert got == parse_sidecar(sidecar)


# -- back to the source --------------------------------------------------------------------------
TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.S)
JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[\"\\/bfnrt])")
MD_MARKS = re.compile(
    r"\*+|(?<!\w)_+|_+(?!\w)|~~|^[ \t]*>[ \t]?|^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.M
)
MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
MD_LINK_END = re.compile(r"\]\([^)]*\)|[\[\]]")


def _json_char(m: re.Match[str]) -> str:
    code = m.group(1)
    if code.startswith("u"):
        return chr(int(code[1:], 16))
    return {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}.get(code, code)


def rendered(excerpt: str, suffix: str) -> str:
    """What a reader sees of a stretch of source: markup, escapes and entities resolved."""
    if suffix in (".md", ".markdown"):
        # an escaped mark (\*) is text, not a mark: set it aside while the marks are stripped
        kept: list[str] = []
        excerpt = MD_ESCAPE.sub(lambda m: kept.append(m.group(1)) or "\ue000", excerpt)
        excerpt = MD_LINK_END.sub("", MD_MARKS.sub("", excerpt))
        excerpt = re.sub("\ue000", lambda _: kept.pop(0), excerpt)
    if suffix in (".md", ".markdown") or suffix in documents.HTML_SUFFIXES:
        excerpt = html.unescape(TAG.sub("", excerpt))
    if suffix in documents.HTML_SUFFIXES:
        excerpt = JSON_ESCAPE.sub(_json_char, excerpt)
    return " ".join(normalize.IGNORABLE.sub("", excerpt).split())


def source_text(path: Path) -> str | None:
    data = path.read_bytes()
    if documents.is_binary(data):
        return None
    try:
        return documents.decode(data, fallback=documents.declared_charset(data))
    except documents.DecodeError:
        return None


def excerpt(source: str, f: Finding) -> str:
    lines = source.split("\n")
    start = sum(len(line) + 1 for line in lines[: f.line - 1]) + f.column - 1
    end = sum(len(line) + 1 for line in lines[: f.end_line - 1]) + f.end_column - 1
    return source[start:end]


def check_back_to_source(linter: Linter, page: Path) -> list[str]:
    source = source_text(page)
    if source is None:
        return []
    wrong = []
    for f in linter.check_file(page).findings:
        seen = rendered(excerpt(source, f), page.suffix.lower())
        if seen != " ".join(f.match.split()):
            wrong.append(
                f"{f.line}:{f.column}-{f.end_line}:{f.end_column} {f.rule}: {seen!r} != {f.match!r}"
            )
    return wrong


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(FIXTURES)) for p in PAGES])
def test_findings_open_on_their_words_test_rules(page: Path, test_linter: Linter) -> None:
    assert check_back_to_source(test_linter, page) == []


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(FIXTURES)) for p in PAGES])
def test_findings_open_on_their_words_shipped_packs(page: Path, shipped_linter: Linter) -> None:
    assert check_back_to_source(shipped_linter, page) == []


def test_back_to_source_check_catches_a_shifted_position(test_linter: Linter) -> None:
    """The check above is not vacuous: a finding moved one column no longer reads as its match."""
    page = FIXTURES / "html" / "clinic-broken.html"
    source = source_text(page)
    assert source is not None
    findings = test_linter.check_file(page).findings
    assert findings
    for f in findings:
        shifted = Finding(**{**f.__dict__, "column": f.column + 1})
        assert rendered(excerpt(source, shifted), ".html") != " ".join(f.match.split())
