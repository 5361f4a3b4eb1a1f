"""Inline suppressions: every directive form, the reason they must give, and the findings that
keep them honest (bad-suppression, unused-suppression)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gate_support import column_of, demo_linter, make_site, run
from hypothesis import given, settings
from hypothesis import strategies as st

from lint.api import FileResult, Linter
from lint.documents import from_text
from lint.suppress import BAD, UNUSED


@pytest.fixture(scope="module")
def linter() -> Linter:
    return demo_linter()


def check(linter: Linter, text: str, path: str) -> FileResult:
    return linter.check_document(from_text(path, text))


def rules_at(result: FileResult) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in result.findings]


def line_of(text: str, phrase: str, occurrence: int = 0) -> int:
    return column_of(text, phrase, occurrence)[0]


# Each form clears the claim under it (the second claim, outside its reach, stays reported).
FORMS = {
    "markdown next line": (
        "page.md",
        "<!-- clinic-lint: disable-next-line demo/cure -- quoting the court ruling -->\n"
        "It cures diabetes.\n\nIt cures asthma.\n",
    ),
    "next line skips blank lines and other directives": (
        "page.md",
        "<!-- clinic-lint: disable-next-line demo/cure -- quoting the court ruling -->\n"
        "<!-- clinic-lint: disable-next-line demo/miracle -- quoting the patient -->\n\n"
        "It cures diabetes, a miracle.\n\nIt cures asthma.\n",
    ),
    "html next line": (
        "page.html",
        "<html><body>\n<!-- clinic-lint: disable-next-line cure-claim -- quoting the court ruling -->\n"
        "<p>It cures diabetes.</p>\n<p>It cures asthma.</p>\n</body></html>\n",
    ),
    "trailing disable-line": (
        "page.md",
        "It cures diabetes. <!-- clinic-lint: disable-line demo/cure -- quoting the court ruling -->\n\n"
        "It cures asthma.\n",
    ),
    "range": (
        "page.md",
        "<!-- clinic-lint: disable demo/cure, demo/miracle -- quoting the court ruling -->\n\n"
        "It cures diabetes.\n\nA miracle.\n\n<!-- clinic-lint: enable demo/cure, demo/miracle -->\n\n"
        "It cures asthma.\n",
    ),
    "whole file, by category": (
        "page.md",
        "A miracle.\n\n<!-- clinic-lint: disable-file cure-claim -- a page of quoted court rulings -->\n\n"
        "It cures diabetes.\n\nIt cures asthma.\n",
    ),
    "plain text, bare": (
        "page.txt",
        "clinic-lint: disable-next-line demo/cure -- quoting the court ruling\n"
        "It cures diabetes.\n\nIt cures asthma.\n",
    ),
    "plain text after #": (
        "page.txt",
        "# clinic-lint: disable-next-line demo/cure -- quoting the ruling\n"
        "It cures diabetes.\n\nIt cures asthma.\n",
    ),
    "reason after an em dash": (
        "page.md",
        "<!-- clinic-lint: disable-next-line demo/cure \u2014 quoting the court ruling -->\n"
        "It cures diabetes.\n\nIt cures asthma.\n",
    ),
    "plain text after //": (
        "page.txt",
        "// clinic-lint: disable-next-line demo/ -- quoting the court ruling\n"
        "It cures diabetes.\n\nIt cures asthma.\n",
    ),
}


@pytest.mark.parametrize("form", FORMS)
def test_each_form_suppresses_with_its_reason(linter: Linter, form: str) -> None:
    path, text = FORMS[form]
    result = check(linter, text, path)
    cleared = [(s.finding.rule, s.finding.line) for s in result.suppressed]
    assert ("demo/cure", line_of(text, "cures diabetes")) in cleared
    if form.startswith("whole file"):  # everything of that category, before and after it
        assert ("demo/cure", line_of(text, "cures asthma")) in cleared
        assert rules_at(result) == [("demo/miracle", 1)]
    else:
        assert rules_at(result) == [("demo/cure", line_of(text, "cures asthma"))]
    assert all(s.kind == "inSource" and s.justification for s in result.suppressed)
    assert (
        "quoting" in result.suppressed[0].justification
        or "ruling" in result.suppressed[0].justification
    )


def test_without_the_directive_both_claims_are_reported(linter: Linter) -> None:
    text = "It cures diabetes.\n\nIt cures asthma.\n"
    assert [r for r, _ in rules_at(check(linter, text, "page.md"))] == ["demo/cure", "demo/cure"]


def test_enable_ends_the_range(linter: Linter) -> None:
    text = (
        "<!-- clinic-lint: disable demo/cure -- quoting -->\n\nIt cures diabetes.\n\n"
        "<!-- clinic-lint: enable demo/cure -->\n\nIt cures asthma.\n"
    )
    result = check(linter, text, "page.md")
    assert rules_at(result) == [("demo/cure", line_of(text, "cures asthma"))]


def test_an_unclosed_range_runs_to_the_end_of_the_file(linter: Linter) -> None:
    text = "It cures autism.\n\n<!-- clinic-lint: disable demo/cure -- quoting -->\n\nIt cures asthma.\n"
    result = check(linter, text, "page.md")
    assert rules_at(result) == [("demo/cure", 1)]
    assert len(result.suppressed) == 1


BAD_DIRECTIVES = {
    "no reason": ("<!-- clinic-lint: disable-next-line demo/cure -->", "gives no reason"),
    "empty reason": ("<!-- clinic-lint: disable-next-line demo/cure --   -->", "gives no reason"),
    "no rule": ("<!-- clinic-lint: disable-next-line -- because -->", "names no rule"),
    "unknown directive": (
        "<!-- clinic-lint: disabel-next-line demo/cure -- x -->",
        "did you mean 'disable-next-line'",
    ),
    "typo in the rule": (
        "<!-- clinic-lint: disable-next-line demo/curre -- x -->",
        "did you mean 'demo/cure'",
    ),
}


@pytest.mark.parametrize("case", BAD_DIRECTIVES)
def test_a_bad_directive_is_a_finding_and_suppresses_nothing(linter: Linter, case: str) -> None:
    directive, message = BAD_DIRECTIVES[case]
    text = f"{directive}\nIt cures diabetes.\n"
    result = check(linter, text, "page.md")
    assert rules_at(result) == [(BAD, 1), ("demo/cure", 2)]
    assert message in result.findings[0].message
    assert result.findings[0].severity.value == "error"
    assert result.suppressed == []


def test_enable_without_disable_is_reported(linter: Linter) -> None:
    result = check(
        linter, "It cures diabetes.\n\n<!-- clinic-lint: enable demo/cure -->\n", "page.md"
    )
    assert rules_at(result) == [("demo/cure", 1), (BAD, 3)]
    assert "no matching 'disable demo/cure'" in result.findings[1].message


def test_a_suppression_that_clears_nothing_is_reported(linter: Linter) -> None:
    text = (
        "<!-- clinic-lint: disable-next-line demo/cure, demo/miracle -- quoting -->\n"
        "It cures diabetes.\n"
    )
    result = check(linter, text, "page.md")
    assert rules_at(result) == [(UNUSED, 1)]  # the cure was cleared, the miracle was not there
    assert "demo/miracle" in result.findings[0].message
    assert result.findings[0].severity.value == "warning"


def test_a_rule_this_run_does_not_load_is_not_called_unused(linter: Linter) -> None:
    text = "<!-- clinic-lint: disable-next-line uk/asa-cure-headline -- quoting -->\nHello.\n"
    assert check(linter, text, "page.md").findings == []


def test_the_meta_rules_can_be_ignored() -> None:
    quiet = demo_linter(ignore=("clinic-lint/unused-suppression",))
    text = "<!-- clinic-lint: disable-next-line demo/cure -- quoting -->\nHello.\n"
    assert check(quiet, text, "page.md").findings == []


def test_plain_text_reason_is_not_linted(linter: Linter) -> None:
    text = "clinic-lint: disable-next-line demo/cure -- it cures asthma, the ruling says\nIt cures diabetes.\n"
    result = check(linter, text, "page.txt")
    assert result.findings == []
    assert len(result.suppressed) == 1


def test_json_keeps_suppressed_findings_and_text_hides_them(tmp_path: Path) -> None:
    page = (
        "It cures asthma.\n\n"
        "<!-- clinic-lint: disable-next-line demo/cure -- quoting the court ruling -->\n"
        "It cures diabetes.\n"
    )
    site = make_site(tmp_path, {"page.md": page})
    data = json.loads(run(site, "check", "page.md", "--format", "json").stdout)
    assert [f["match"] for f in data["findings"]] == ["cures asthma"]
    (cleared,) = data["suppressed"]
    assert cleared["match"] == "cures diabetes" and cleared["line"] == 4
    assert cleared["suppression"] == {
        "kind": "inline",
        "justification": "quoting the court ruling",
        "line": 3,
    }
    assert data["summary"]["findings"] == 1 and data["summary"]["suppressed"] == 1
    text = run(site, "check", "page.md").stdout
    assert "cures asthma" in text and "cures diabetes" not in text
    assert text.splitlines()[-1].startswith("1 suppressed finding not shown")


def test_a_comment_that_only_mentions_the_tool_is_no_directive(linter: Linter) -> None:
    text = "<!-- clinic-lint was run on this page in May -->\nIt cures diabetes.\n"
    assert rules_at(check(linter, text, "page.md")) == [("demo/cure", 2)]


PIECES = [
    "It cures diabetes.",
    "A miracle.",
    "Hello.",
    "\n",
    "\n\n",
    " ",
    "<!-- clinic-lint: disable-next-line demo/cure -- r -->",
    "<!-- clinic-lint: disable-line demo/miracle -- r -->",
    "<!-- clinic-lint: disable demo/cure, hype -- r -->",
    "<!-- clinic-lint: enable demo/cure -->",
    "<!-- clinic-lint: enable hype -->",
    "<!-- clinic-lint: disable-file demo/miracle -- r -->",
    "<!-- clinic-lint: disable-next-line -->",
    "<!-- clinic-lint: bogus x -- y -->",
    "<!-- clinic-lint:",
    "-->",
    "<!-- just a comment -->",
]


@given(st.lists(st.sampled_from(PIECES), max_size=14), st.sampled_from(["page.md", "page.html"]))
@settings(max_examples=150, deadline=None)
def test_every_finding_is_either_reported_or_suppressed(pieces: list[str], path: str) -> None:
    """Whatever the directives, no finding is lost or duplicated, and nothing crashes."""
    from lint import engine

    text = "".join(pieces)
    doc = from_text(path, text)
    linter = PROPERTY_LINTER
    found, _ = engine.check(doc, linter.ruleset)
    outcome = linter.filter(doc, found)
    reported = [f for f in outcome.findings if not f.rule.startswith("clinic-lint/")]
    assert sorted(reported + [s.finding for s in outcome.suppressed]) == sorted(found)
    assert all(s.justification == "r" for s in outcome.suppressed)


PROPERTY_LINTER = demo_linter()


def test_nested_ranges_close_the_latest_open_one(linter: Linter) -> None:
    text = (
        "<!-- clinic-lint: disable demo/cure -- outer -->\n\n"
        "<!-- clinic-lint: disable demo/cure -- inner -->\n\nIt cures diabetes.\n\n"
        "<!-- clinic-lint: enable demo/cure -->\n\nIt cures asthma.\n\n"
        "<!-- clinic-lint: enable demo/cure -->\n\nIt cures autism.\n"
    )
    result = check(linter, text, "page.md")
    assert [(s.finding.line, s.justification) for s in result.suppressed] == [
        (5, "inner"),
        (9, "outer"),
    ]
    assert rules_at(result) == [("demo/cure", 13)]
