"""Which files a gate checks: include/exclude globs that leave a walked folder empty are an error
(not a green run over nothing), and files named on the command line are linted unless
--force-exclude (the pre-commit hook's) applies the globs to them, with a note for each skip."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from gate_support import DEMO_CONFIG, make_site, run

CLAIM = "It cures diabetes.\n"


@pytest.fixture
def parent(tmp_path: Path) -> Path:
    """A folder holding site/ (Urdu and English sections), no configuration file."""
    make_site(
        tmp_path / "site", {"ur/a.md": CLAIM, "en/b.md": CLAIM, "drafts/c.md": CLAIM}, config=None
    )
    return tmp_path


def demo(*args: str) -> list[str]:
    """Options for the demo rule pack alone (no configuration file involved)."""
    rules = Path(__file__).resolve().parent / "data" / "rules"
    return ["check", "--isolated", "--pack", "", "--rules", str(rules), "-f", "json", *args]


def paths(done: subprocess.CompletedProcess[str]) -> list[str]:
    return sorted({f["path"] for f in json.loads(done.stdout)["findings"]})


def one_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("clinic-lint: error: ") and done.stderr.count("\n") == 1
    return done.stderr


def test_an_include_that_matches_nothing_is_an_error(parent: Path) -> None:
    # the README's old example: globs on the command line are relative to the current folder
    err = one_error(run(parent, *demo("site/", "--include", "ur/**")))
    assert "--include 'ur/**' matched no file in site/" in err
    assert "relative to the current folder" in err
    done = run(parent, *demo("site/", "--include", "site/ur/**"))
    assert done.returncode == 1 and paths(done) == ["site/ur/a.md"]
    inside = run(parent / "site", *demo(".", "--include", "ur/**"))
    assert paths(inside) == ["./ur/a.md"]


def test_excludes_that_leave_nothing_are_an_error(parent: Path) -> None:
    err = one_error(run(parent, *demo("site/", "--exclude", "*.md")))
    assert "--exclude '*.md' excluded every file in site/" in err
    # excluding some files is fine
    done = run(parent, *demo("site/", "--exclude", "drafts/"))
    assert paths(done) == ["site/en/b.md", "site/ur/a.md"]


def test_the_opt_out_for_scripts(parent: Path) -> None:
    done = run(parent, *demo("site/", "--include", "ur/**", "--no-error-on-unmatched-pattern"))
    assert done.returncode == 0
    assert "no files to lint" in done.stderr


def test_configuration_globs_are_relative_to_its_folder(parent: Path) -> None:
    site = parent / "site"
    (site / ".clinic-lint.yaml").write_text(DEMO_CONFIG + "include: ['ur/**']\n", "utf-8")
    done = run(parent, "check", "site/", "-f", "json")
    assert paths(done) == ["site/ur/a.md"]
    (site / ".clinic-lint.yaml").write_text(DEMO_CONFIG + "include: ['urdu/**']\n", "utf-8")
    err = one_error(run(parent, "check", "site/"))
    assert "include 'urdu/**' matched no file" in err and ".clinic-lint.yaml" in err


@pytest.fixture
def excluded(tmp_path: Path) -> Path:
    """A site whose configuration excludes drafts/."""
    return make_site(
        tmp_path / "site",
        {"drafts/x.md": CLAIM, "a.md": CLAIM},
        config=DEMO_CONFIG + "exclude: [drafts]\n",
    )


def test_a_named_file_is_linted_even_when_excluded(excluded: Path) -> None:
    done = run(excluded, "check", "drafts/x.md", "-f", "concise")
    assert done.returncode == 1
    assert done.stdout.startswith("drafts/x.md:1:4: error demo/cure")
    walked = run(excluded, "check", ".", "-f", "json")
    assert paths(walked) == ["./a.md"]  # a folder walk honours the exclude


@pytest.mark.parametrize("extra", [[], ["-f", "concise"]])  # the fast path, and the full CLI
def test_force_exclude_skips_a_named_file_with_a_note(excluded: Path, extra: list[str]) -> None:
    done = run(excluded, "check", "--force-exclude", *extra, "drafts/x.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "clinic-lint: note: drafts/x.md: skipped: excluded by .clinic-lint.yaml exclude 'drafts'"
        in done.stderr
    )
    both = run(excluded, "check", "--force-exclude", *extra, "drafts/x.md", "a.md")
    assert both.returncode == 1 and "a.md:1:4" in both.stdout and "drafts/x.md:1" not in both.stdout


def test_a_glob_error_comes_before_the_rules_are_compiled(parent: Path) -> None:
    # files are chosen before the rules load, so a wrong glob is said at once (a rule-cache
    # miss takes seconds): a broken rule folder is not even read
    broken = parent / "broken-rules" / "x"
    broken.mkdir(parents=True)
    (broken / "y.yaml").write_text("match: [\n", encoding="utf-8")
    args = ["check", "--isolated", "--rules", str(parent / "broken-rules"), "site/"]
    err = one_error(run(parent, *args, "--include", "ur/**"))
    assert "--include 'ur/**' matched no file" in err


def test_pack_names_a_pack_of_a_rules_folder(tmp_path: Path) -> None:
    """``--pack mine --rules DIR`` runs that pack alone (no shipped pack named); the shipped
    packs still load as named beside it; a hidden config file there is no rule."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "one.yaml").write_text(
        "category: hype\nseverity: warning\nmessage: m\nwhy: w\nreferences: [r]\nsuggest: s\n"
        "concepts: ['(?:marvel)']\nexamples:\n  bad: ['a marvel']\n  good: ['a cure']\n",
        encoding="utf-8",
    )
    (tmp_path / ".clinic-lint.yaml").write_text("packs: [mine]\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("A marvel and a miracle cure.\n", encoding="utf-8")
    rules_of = {}
    for packs in ("mine", "core,mine"):
        done = run(tmp_path, "check", "--rules", ".", "--pack", packs, "--format", "json", "t.txt")
        assert done.returncode == 0, done.stderr  # warnings only
        rules_of[packs] = sorted({f["rule"] for f in json.loads(done.stdout)["findings"]})
    assert rules_of == {"mine": ["mine/one"], "core,mine": ["core/miracle", "mine/one"]}
    wrong = run(tmp_path, "check", "--rules", ".", "--pack", "mne", "t.txt")
    assert wrong.returncode == 2 and "did you mean 'mine'?" in wrong.stderr
