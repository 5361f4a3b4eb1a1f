"""The baseline (adopting the gate on a site with old findings) and --diff (pull-request gates),
on real files and, for --diff, a real git repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from gate_support import DEMO_CONFIG, make_site, run
from helpers import write_rule

PAGE = (
    "# Our clinic\n\n"
    "Our therapy cures diabetes.\n\n"
    "Many patients call it a miracle.\n\n"
    "Our therapy cures diabetes.\n"  # the same sentence twice: two entries, told apart by index
)


def findings(done: subprocess.CompletedProcess[str]) -> list[tuple[str, int]]:
    return [(f["rule"], f["line"]) for f in json.loads(done.stdout)["findings"]]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {"pages/home.md": PAGE, "pages/about.md": "Hello.\n"})


def test_write_then_check_reports_nothing(site: Path) -> None:
    wrote = run(site, "check", "pages", "--write-baseline", "baseline.json")
    assert wrote.returncode == 0, wrote.stderr
    assert "wrote 3 baseline entries to baseline.json" in wrote.stderr
    data = json.loads((site / "baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 2 and len(data["entries"]) == 3
    assert {e["path"] for e in data["entries"]} == {"pages/home.md"}
    assert "line" not in data["entries"][0]
    done = run(site, "check", "pages", "--baseline", "baseline.json", "-f", "json")
    assert done.returncode == 0
    assert findings(done) == []
    assert len(json.loads(done.stdout)["suppressed"]) == 3
    assert json.loads(done.stdout)["baseline"] == {"stale": []}


def test_the_baseline_survives_an_edit_elsewhere_and_catches_new_claims(site: Path) -> None:
    run(site, "check", "pages", "--write-baseline", "baseline.json")
    edited = (
        "# Our clinic\n\nNew intro paragraph.\nAnother line.\n\n" + PAGE + "\nIt cures asthma.\n"
    )
    (site / "pages" / "home.md").write_text(edited, encoding="utf-8")
    done = run(site, "check", "pages", "--baseline", "baseline.json", "-f", "json")
    assert findings(done) == [("demo/cure", edited.count("\n"))]  # only the new claim
    assert done.returncode == 1


def test_a_third_copy_of_a_baselined_sentence_is_new(site: Path) -> None:
    run(site, "check", "pages", "--write-baseline", "baseline.json")
    page = site / "pages" / "home.md"
    page.write_text(PAGE + "\nOur therapy cures diabetes.\n", encoding="utf-8")
    done = run(site, "check", "pages", "--baseline", "baseline.json", "-f", "json")
    assert len(findings(done)) == 1


def test_stale_entries_are_reported(site: Path) -> None:
    run(site, "check", "pages", "--write-baseline", "baseline.json")
    (site / "pages" / "home.md").write_text(
        PAGE.replace("a miracle", "a success"), encoding="utf-8"
    )
    done = run(site, "check", "pages", "--baseline", "baseline.json", "-f", "json")
    assert done.returncode == 0
    stale = json.loads(done.stdout)["baseline"]["stale"]
    assert [(e["rule"], e["match"]) for e in stale] == [("demo/miracle", "miracle")]
    assert "1 entry in baseline.json matches no finding any more" in done.stderr
    # a run over other files does not call the home page's entries stale
    other = run(site, "check", "pages/about.md", "--baseline", "baseline.json", "-f", "json")
    assert json.loads(other.stdout)["baseline"] == {"stale": []}


SENTENCE = "Our therapy cures diabetes and is a miracle for every patient we see.\n"


def _baselined(site: Path, text: str) -> Path:
    page = site / "pages" / "home.md"
    page.write_text(text, encoding="utf-8")
    wrote = run(site, "check", "pages", "--write-baseline", "baseline.json")
    assert wrote.returncode == 0, wrote.stderr
    return page


def _new(site: Path) -> list[str]:
    done = run(site, "check", "pages", "--baseline", "baseline.json", "-f", "json")
    return [f["match"] for f in json.loads(done.stdout)["findings"]]


@pytest.mark.parametrize(
    "edited",
    [
        SENTENCE.replace("every patient", "each patient"),  # a word elsewhere in the sentence
        SENTENCE.replace("Our therapy", "This clinic's therapy"),
        "Welcome to the clinic. " + SENTENCE,  # a sentence inserted before, on the same line
        "# Home\n\nWelcome.\n\n" + SENTENCE,  # lines inserted before
    ],
)
def test_the_baseline_survives_edits_that_do_not_touch_the_claims(site: Path, edited: str) -> None:
    page = _baselined(site, SENTENCE)
    page.write_text(edited, encoding="utf-8")
    assert _new(site) == []


@pytest.mark.parametrize(
    ("edited", "back"),
    [
        (SENTENCE.replace("diabetes", "asthma"), ["cures asthma"]),  # the claim's own words
        (SENTENCE.replace("therapy cures", "therapy, it says, cures"), ["cures diabetes"]),
        (SENTENCE.replace("miracle for", "miracle to"), ["miracle"]),  # the word next to it
    ],
)
def test_an_edited_claim_comes_back(site: Path, edited: str, back: list[str]) -> None:
    page = _baselined(site, SENTENCE)
    page.write_text(edited, encoding="utf-8")
    assert _new(site) == back


def _with_disclaimer_rule(site: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra-rules"
    write_rule(
        extra / "doc",
        "missing-disclaimer",
        "when: ['stem cell therapy']\nrequire: ['results vary']\n",
        category="missing-disclaimer",
    )
    config = DEMO_CONFIG.replace("rules: [", f"rules: ['{extra.as_posix()}', ")
    (site / ".clinic-lint.yaml").write_text(config, encoding="utf-8")


def test_a_page_level_finding_survives_an_edit_of_its_trigger_sentence(
    site: Path, tmp_path: Path
) -> None:
    _with_disclaimer_rule(site, tmp_path)
    text = "We offer stem cell therapy for every patient.\n\nBook a visit.\n"
    page = _baselined(site, text)
    page.write_text(text.replace("every", "each").replace("Book", "Plan"), encoding="utf-8")
    assert _new(site) == []


def test_an_older_baseline_is_an_error_not_a_flood_of_new_findings(site: Path) -> None:
    (site / "baseline.json").write_text('{"version": 1, "entries": []}', encoding="utf-8")
    done = run(site, "check", "pages", "--baseline", "baseline.json")
    assert done.returncode == 2
    assert done.stderr.startswith("clinic-lint: error: baseline.json:1: baseline written by an")
    assert "--write-baseline" in done.stderr and done.stderr.count("\n") == 1


def test_the_baseline_works_from_another_folder(site: Path) -> None:
    run(site, "check", "pages", "--write-baseline", "baseline.json")
    done = run(site / "pages", "check", ".", "--baseline", "../baseline.json", "-f", "json")
    assert findings(done) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read baseline"),
        ("{", "invalid JSON"),
        ('{"entries": 3}', "no 'entries' list"),
    ],
)
def test_bad_baseline_files(site: Path, content: str | None, message: str) -> None:
    if content is not None:
        (site / "baseline.json").write_text(content, encoding="utf-8")
    done = run(site, "check", "pages", "--baseline", "baseline.json")
    assert done.returncode == 2
    assert done.stderr.startswith("clinic-lint: error: baseline.json") and message in done.stderr
    assert done.stderr.count("\n") == 1


def test_atomic_write_leaves_the_old_file_when_interrupted(tmp_path: Path) -> None:
    from lint.outputs import atomic_write

    target = tmp_path / "results.sarif"
    target.write_text("old", encoding="utf-8")

    def broken(stream: object) -> None:
        stream.write("partial")  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, broken)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.sarif"]  # no temp file left


# -- --diff ----------------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


@needs_git
def test_diff_reports_only_changed_lines(site: Path) -> None:
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "old copy")
    lines = PAGE.splitlines()
    lines[4] = "Many patients call it a miracle, truly a miracle."  # edit the miracle line
    (site / "pages" / "home.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (site / "pages" / "new.md").write_text("It cures asthma.\n", encoding="utf-8")  # untracked
    git(site, "add", "pages/home.md")
    git(site, "commit", "-q", "-m", "edit")
    (site / "pages" / "about.md").write_text(
        "Hello.\n\nIt cures autism.\n", encoding="utf-8"
    )  # uncommitted
    done = run(site, "check", "pages", "--diff", "HEAD~1", "-f", "json")
    got = sorted(
        (Path(f["path"]).name, f["rule"], f["line"]) for f in json.loads(done.stdout)["findings"]
    )
    assert got == [
        ("about.md", "demo/cure", 3),
        ("home.md", "demo/miracle", 5),
        ("home.md", "demo/miracle", 5),
        ("new.md", "demo/cure", 1),
    ]
    full = run(site, "check", "pages", "-f", "json")
    assert len(findings(full)) == 6


@needs_git
def test_diff_errors(site: Path, tmp_path: Path) -> None:
    outside = run(site, "check", "pages", "--diff", "HEAD")
    assert outside.returncode == 2 and "--diff:" in outside.stderr
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "c")
    unknown = run(site, "check", "pages", "--diff", "no-such-branch")
    assert unknown.returncode == 2
    assert (
        unknown.stderr
        == "clinic-lint: error: --diff: unknown git ref 'no-such-branch' (fetch it first in a shallow CI clone)\n"
    )


@needs_git
def test_diff_with_names_git_quotes(tmp_path: Path) -> None:
    names = ["my page.md", 'q"uote.md', "café.md", "same.md"]
    site = make_site(
        tmp_path, {name: "Hello.\n" for name in names[:3]} | {"same.md": "It cures autism.\n"}
    )
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "c")
    for name in names[:3]:
        (site / name).write_text("Hello.\nIt cures asthma.\n", encoding="utf-8")
    done = run(site, "check", ".", "--diff", "HEAD", "-f", "json")
    got = sorted((Path(f["path"]).name, f["line"]) for f in json.loads(done.stdout)["findings"])
    assert got == sorted((name, 2) for name in names[:3])


@needs_git
def test_diff_keeps_a_page_level_finding_when_its_page_changed(site: Path, tmp_path: Path) -> None:
    _with_disclaimer_rule(site, tmp_path)
    pages = site / "pages"
    with_disclaimer = "We offer stem cell therapy.\n\nBook a visit.\n\nResults vary.\n"
    (pages / "offer.md").write_text(with_disclaimer, encoding="utf-8")
    (pages / "old.md").write_text("Stem cell therapy, since 2010.\n", encoding="utf-8")
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "copy")

    def doc_findings(*args: str) -> tuple[int, list[str]]:
        done = run(site, "check", "pages", "--select", "doc/", *args, "-f", "json")
        got = [Path(f["path"]).name for f in json.loads(done.stdout)["findings"]]
        return done.returncode, got

    # nothing changed: old.md's missing disclaimer is not this change's
    assert doc_findings("--diff", "HEAD") == (0, [])
    # the disclaimer deleted: the finding stands on the (unchanged) first mention, still reported
    (pages / "offer.md").write_text(with_disclaimer.replace("\nResults vary.\n", ""), "utf-8")
    assert doc_findings("--diff", "HEAD") == (1, ["offer.md"])
    assert doc_findings() == (1, ["offer.md", "old.md"])
    # an unrelated edit to a page that already lacked one counts too: the page changed
    (pages / "offer.md").write_text(with_disclaimer, encoding="utf-8")
    (pages / "old.md").write_text("Stem cell therapy, since 2010.\nCall us.\n", "utf-8")
    assert doc_findings("--diff", "HEAD") == (1, ["old.md"])
