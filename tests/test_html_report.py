"""The HTML report without a browser: escaping, counts against the JSON output of the same run,
self-containment, the Content-Security-Policy, the sentence shown, output files.
(tests/test_html_browser.py opens it in headless Chromium.)"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from gate_support import make_site, run
from html_support import (
    HOSTILE_NAME,
    HOSTILE_SCRIPT,
    HOSTILE_TEXTAREA,
    html_site,
    json_and_html,
    parse,
)

from lint.findings import Finding, Severity
from lint.report import Report, formatter, html_assets
from lint.report.html import esc, sentence


@pytest.fixture(scope="module")
def done(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    site = html_site(tmp_path_factory.mktemp("html") / "site")
    data, page, _ = json_and_html(site)
    return data, page


def test_hostile_page_text_and_names_are_escaped(done: tuple[dict, str]) -> None:
    _, page = done
    for hostile in (HOSTILE_SCRIPT, HOSTILE_TEXTAREA, HOSTILE_NAME):
        assert hostile not in page
        assert esc(hostile) in page
    tags = parse(page)
    assert len(tags.inline["script"]) == 1  # the report's own
    assert not [t for t, _ in tags.tags if t in ("img", "textarea", "iframe", "object")]
    assert not [a for _, a in tags.tags if any(k.startswith("on") for k in a)]
    assert "</textarea" not in page.lower()


def test_counts_and_findings_match_the_json_of_the_same_run(done: tuple[dict, str]) -> None:
    data, page = done
    summary = data["summary"]
    shown = dict(re.findall(r'data-count="(\w+)">(\d+)<', page))
    assert int(shown["files"]) == summary["files"] == 6
    assert int(shown["findings"]) == summary["findings"]
    for severity, n in summary["by_severity"].items():
        assert int(shown[severity]) == n
    found = parse(page).findings()
    assert len(found) == len(data["findings"])
    key = ("rule", "line", "column", "severity", "category")
    assert Counter(tuple(str(f[k]) for k in key) for f in data["findings"]) == Counter(
        tuple(str(a[f"data-{k}"]) for k in key) for a in found
    )
    pages = {f["path"] for f in data["findings"]}
    assert {
        a["data-page"] for t, a in parse(page).tags if t == "details" and "data-page" in a
    } == pages


def test_worst_pages_come_first(done: tuple[dict, str]) -> None:
    data, page = done
    order = [a["data-page"] for t, a in parse(page).tags if t == "details" and "data-page" in a]
    errors = Counter(f["path"] for f in data["findings"] if f["severity"] == "error")
    assert [errors[p] for p in order] == sorted((errors[p] for p in order), reverse=True)
    assert order[-1] == "pages/many.md"  # warnings only


def test_long_pages_start_collapsed(done: tuple[dict, str]) -> None:
    _, page = done
    pages = {a["data-page"]: a for t, a in parse(page).tags if t == "details" and "data-page" in a}
    assert "open" not in pages["pages/many.md"]
    assert "open" in pages["pages/hostile.txt"]


def test_the_report_is_self_contained(done: tuple[dict, str]) -> None:
    _, page = done
    tags = parse(page)
    for tag, attrs in tags.tags:
        if tag in ("script", "link", "img", "iframe", "source", "video", "audio", "embed"):
            for name in ("src", "href", "srcset", "data"):
                assert not re.match(r"\s*(https?:)?//", attrs.get(name) or ""), (tag, attrs)
    assert not [t for t, _ in tags.tags if t == "link"]
    assert all("src" not in a for t, a in tags.tags if t == "script")
    for css in tags.inline["style"]:
        assert "url(" not in css and "@import" not in css


def test_the_inline_style_and_script_are_allowed_by_hash_and_nothing_else(
    done: tuple[dict, str],
) -> None:
    _, page = done
    tags = parse(page)
    (csp,) = [
        a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp == html_assets.CSP
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    (script,) = tags.inline["script"]
    (style,) = tags.inline["style"]
    assert f"script-src {html_assets.digest(script)};" in csp
    assert f"style-src {html_assets.digest(style)};" in csp
    assert not [a for _, a in tags.tags if "style" in a]  # style attributes would be blocked


def test_filters_are_hidden_until_the_script_shows_them(done: tuple[dict, str]) -> None:
    _, page = done
    (form,) = [a for t, a in parse(page).tags if t == "form"]
    assert "hidden" in form
    options = re.findall(r'<select id="filter-(\w+)"', page)
    assert options == ["severity", "category", "pack", "page"]


def test_urdu_is_isolated_and_right_to_left_where_it_stands(done: tuple[dict, str]) -> None:
    _, page = done
    assert '<blockquote dir="auto">ہمارا علاج <mark>cures diabetes</mark> ہمیشہ' in page


def test_html_pages_are_shown_as_text_with_the_claim_marked(done: tuple[dict, str]) -> None:
    _, page = done
    assert "Our therapy <mark>cures diabetes</mark> &amp;amp; more." not in page
    assert "Our therapy <mark>cures diabetes</mark> &amp; more." in page


def _finding(line: str, phrase: str, path: str = "a.txt") -> Finding:
    column = line.index(phrase) + 1
    return Finding(
        path=path,
        line=1,
        column=column,
        end_line=1,
        end_column=column + len(phrase),
        rule="demo/cure",
        category="cure-claim",
        severity=Severity.ERROR,
        message=f"'{phrase}' promises a cure.",
        match=phrase,
    )


def test_the_sentence_is_cut_at_sentence_ends() -> None:
    line = "Call us today. Our therapy cures diabetes in weeks! Book now."
    assert sentence(line, _finding(line, "cures diabetes")) == (
        "Our therapy ",
        "cures diabetes",
        " in weeks!",
    )


def test_the_sentence_of_an_html_line_drops_markup_and_decodes_entities() -> None:
    line = '<li><img alt="a miracle cure"> We <em>really</em> cure it &amp; more</li>'
    assert sentence(line, _finding(line, "miracle", "p.html")) == ("a ", "miracle", " cure")
    assert sentence(line, _finding(line, "cure it", "p.html"))[0] == " We really "
    assert sentence(line, _finding(line, "cure it", "p.html"))[2] == " & more "


def test_a_long_line_is_windowed() -> None:
    line = "word " * 200 + "cures diabetes" + " word" * 200
    before, claim, after = sentence(line, _finding(line, "cures diabetes"))
    assert before.startswith("…") and after.endswith("…") and claim == "cures diabetes"
    assert len(before) < 200 and len(after) < 200


def test_probability_is_shown_when_present() -> None:
    from dataclasses import replace

    from lint.api import FileResult

    line = "It cures diabetes."
    learned = replace(_finding(line, "cures diabetes"), rule="learned/claim", probability=0.873)
    plain = _finding(line, "cures diabetes")
    stream = io.StringIO()
    formatter("html")(Report([FileResult("a.txt", [learned, plain], [], {1: line})]), stream)
    page = stream.getvalue()
    assert page.count("probability 0.87") == 1
    assert page.count("data-probability=") == 1


def test_suppressed_findings_are_listed_apart_and_not_counted(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {
            "pages/a.md": (
                "<!-- clinic-lint: disable-next-line demo/miracle -- a patient's words -->\n"
                "She called it a miracle. It cures diabetes.\n"
            )
        },
    )
    data, page, _ = json_and_html(site)
    assert len(data["suppressed"]) == 1 and len(data["findings"]) == 1
    assert len(parse(page).findings()) == 1
    assert 'data-count="suppressed">1<' in page
    assert "Cleared by the inline directive (line 1): a patient&#x27;s words" in page


def test_an_empty_run_is_a_complete_page() -> None:
    stream = io.StringIO()
    formatter("html")(Report([]), stream)
    page = stream.getvalue()
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")
    assert 'data-count="findings">0<' in page and "<form" not in page


def test_html_goes_to_stdout_with_format_html(tmp_path: Path) -> None:
    site = html_site(tmp_path / "site")
    done = run(site, "check", "pages/hostile.txt", "--format", "html")
    assert done.returncode == 1
    assert done.stdout.startswith("<!DOCTYPE html>") and done.stderr == ""


def test_a_bad_output_path_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    site = html_site(tmp_path / "site")
    done = run(site, "check", "pages", "-o", "html=missing/report.html")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("clinic-lint: error: ")
    assert not (site / "missing").exists()
    (site / "report.html").mkdir()  # a folder where the report should go
    done = run(site, "check", "pages", "-o", "html=report.html", "-f", "concise")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "report.html: cannot write" in done.stderr
    assert [p.name for p in site.iterdir() if p.name.startswith(".report.html")] == []
