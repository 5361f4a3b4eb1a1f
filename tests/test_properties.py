"""Property-based tests (hypothesis): readers and the engine never raise on any input, every
position lies in the file and points at the matched text, and linting is deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load_only, write_rule, write_vocab
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint.api import Linter
from lint.documents import from_text

# Fragments that make rules fire, mixed with markup, entities, scripts and line endings.
FRAGMENTS = [
    "no side effects", "No <b>side</b> effects", "100% safe", "100&nbsp;% safe", "cure", "cures",
    "شرطیہ علاج", "شرطیــہ علاج", "۱۰۰٪ علاج", "not", "we do not guarantee", "guarantee",
    "\n", "\r\n", "\n\n", "\t", " ", ". ", "Dr. ", "- ", "# ", "> ", "| a | b |\n", "```\n",
    "<!-- x -->", "<p>", "</p>", "<br>", "&amp;", "&#8217;", "[link](http://x)", "![alt](y)",
    "*", "_", "`", "<script>cure</script>", "<", ">", "&", "\\", "\u200c", "\u064e", "ـ",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map(
    "".join
)
KINDS = ("txt", "md", "html")


@pytest.fixture(scope="module")
def linter(tmp_path_factory: pytest.TempPathFactory) -> Linter:
    root = tmp_path_factory.mktemp("rules")
    write_vocab(root, "cures", ["cures?", "علاج"])
    write_rule(
        root / "p",
        "safety",
        "match: ['no side effects', '100% safe']\nunless: {patterns: ['not'], before: 2}",
    )
    write_rule(
        root / "p",
        "cure",
        "match: ['{{cures}}', 'شرطیہ {{cures}}']\nnear: {patterns: ['guarantee|100%'], within: 5}",
    )
    write_rule(root / "p", "doc", "when: ['cures?']\nrequire: ['guarantee']")
    write_rule(
        root / "p",
        "many",
        "match: ['cure', 'safe', 'effects']\ncount: {distinct: 2, scope: paragraph}",
    )
    return Linter(load_only(root))


def source_slice(source: str, line: int, column: int, end_line: int, end_column: int) -> str:
    lines = source.split("\n")
    start = sum(len(x) + 1 for x in lines[: line - 1]) + column - 1
    end = sum(len(x) + 1 for x in lines[: end_line - 1]) + end_column - 1
    return source[start:end]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, kind=st.sampled_from(KINDS))
def test_any_input_gives_findings_inside_the_file(linter: Linter, text: str, kind: str) -> None:
    result = linter.check_document(from_text(f"x.{kind}", text))
    assert not result.errors
    n_lines = text.count("\n") + 1
    for f in result.findings:
        assert 1 <= f.line <= f.end_line <= n_lines
        assert (f.line, f.column) <= (f.end_line, f.end_column)
        piece = source_slice(text, f.line, f.column, f.end_line, f.end_column)
        assert piece, f
        if kind == "txt" and f.rule != "p/many":
            # plain text maps 1:1 (but for dropped marks such as tatweel and harakat)
            assert (
                " ".join(piece.split()).replace("ـ", "").replace("\u064e", "").replace("\u200c", "")
                == f.match.replace("\u200c", "")
                or f.match in piece
            )


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, kind=st.sampled_from(KINDS))
def test_linting_is_deterministic(linter: Linter, text: str, kind: str) -> None:
    first = linter.check_document(from_text(f"x.{kind}", text)).findings
    second = linter.check_document(from_text(f"x.{kind}", text)).findings
    assert first == second


@given(text=st.text(max_size=200), kind=st.sampled_from(KINDS))
def test_readers_never_raise_on_any_text(text: str, kind: str) -> None:
    doc = from_text(f"x.{kind}", text)
    assert len(doc.text) == len(doc.prose)
    for start, end in doc.sentences:
        span = doc.span(start, end)
        assert (span.line, span.column) <= (span.end_line, span.end_column)


def test_shipped_rules_on_a_claim_page(tmp_path: Path) -> None:
    """Sanity: the shipped packs find a blatant claim (keeps the property tests honest)."""
    linter = Linter()
    found = linter.check_text("Our stem cell therapy has no side effects and is 100% safe.")
    assert any(f.category == "absolute-safety" for f in found)


def test_shipped_rules_stay_well_inside_the_time_bound() -> None:
    """Every shipped rule on a large page (every fixture page, repeated) under a tight bound:
    a pattern that backtracks badly on real copy would time out here, long before users see it."""
    from conftest import FIXTURES

    from lint import rules

    pages = sorted(FIXTURES.rglob("*.md")) + sorted(FIXTURES.rglob("*.txt"))
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in pages)
    text = (text + "\n\n") * max(1, 400_000 // max(len(text), 1))
    linter = Linter(rules.load(packs=None), timeout=2.0)
    result = linter.check_document(from_text("large.md", text))
    assert result.errors == []
