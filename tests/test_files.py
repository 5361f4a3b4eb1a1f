"""Walking folders: stable order, .gitignore, hidden and vendored folders, symlink loops, globs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lint.files import MissingPath, discover


def make(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def rel(root: Path, paths: list[str]) -> list[str]:
    return [Path(p).relative_to(root).as_posix() for p in paths]


def test_stable_sorted_order_files_before_subfolders(tmp_path: Path) -> None:
    make(tmp_path, {"b.md": "", "a.html": "", "z/y.txt": "", "c/x.htm": "", "c/a.md": ""})
    found = rel(tmp_path, list(discover([str(tmp_path)])))
    assert found == ["a.html", "b.md", "c/a.md", "c/x.htm", "z/y.txt"]


def test_only_lintable_suffixes_and_no_hidden_or_vendored(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "page.html": "",
            "logo.png": "",
            "app.js": "",
            ".hidden.md": "",
            ".cache/page.html": "",
            "node_modules/pkg/README.md": "",
            "docs/guide.MD": "",
        },
    )
    assert rel(tmp_path, list(discover([str(tmp_path)]))) == ["page.html", "docs/guide.MD"]


def test_gitignore_honoured_nested_and_negated(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    make(
        tmp_path,
        {
            ".gitignore": "*.txt\nbuild/\n!keep.txt\n",
            "keep.txt": "",
            "notes.txt": "",
            "build/page.html": "",
            "site/.gitignore": "drafts/\n/local.md\n",
            "site/local.md": "",
            "site/drafts/old.html": "",
            "site/index.html": "",
            "site/sub/local.md": "",
        },
    )
    found = rel(tmp_path, list(discover([str(tmp_path)])))
    assert found == ["keep.txt", "site/index.html", "site/sub/local.md"]
    everything = rel(tmp_path, list(discover([str(tmp_path)], gitignore=False)))
    assert "notes.txt" in everything and "build/page.html" in everything
    assert "site/drafts/old.html" in everything


def test_gitignore_of_repository_applies_when_walking_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("secret.md\n")
    make(tmp_path, {".gitignore": "out/\n", "site/out/a.html": "", "site/b.html": ""})
    make(tmp_path, {"site/secret.md": ""})
    assert rel(tmp_path, list(discover([str(tmp_path / "site")]))) == ["site/b.html"]


def test_gitignore_above_a_folder_outside_any_repository_is_not_used(tmp_path: Path) -> None:
    make(tmp_path, {".gitignore": "*.html\n", "export/a.html": ""})
    assert rel(tmp_path, list(discover([str(tmp_path / "export")]))) == ["export/a.html"]


def test_named_files_are_always_linted(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    make(tmp_path, {".gitignore": "*.html\n", "a.html": "", "b.php": ""})
    named = [str(tmp_path / "a.html"), str(tmp_path / "b.php")]
    assert list(discover(named)) == named


def test_duplicates_are_listed_once(tmp_path: Path) -> None:
    make(tmp_path, {"a.html": ""})
    assert len(list(discover([str(tmp_path), str(tmp_path / "a.html"), str(tmp_path) + "/"]))) == 1


def test_keep_predicate_filters_walked_files(tmp_path: Path) -> None:
    make(tmp_path, {"a.html": "", "amp/a.html": "", "b.md": ""})
    found = discover([str(tmp_path)], keep=lambda p: "/amp/" not in p.replace(os.sep, "/"))
    assert rel(tmp_path, list(found)) == ["a.html", "b.md"]


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(MissingPath, match="no such file"):
        list(discover([str(tmp_path / "nope")]))


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlink_loop_terminates_and_broken_link_is_a_note(tmp_path: Path) -> None:
    make(tmp_path, {"site/a.html": "", "site/inner/b.html": ""})
    (tmp_path / "site" / "inner" / "loop").symlink_to(tmp_path / "site")
    (tmp_path / "site" / "gone.html").symlink_to(tmp_path / "missing.html")
    notes: list[str] = []
    found = rel(tmp_path, list(discover([str(tmp_path / "site")], note=notes.append)))
    assert found == ["site/a.html", "site/inner/b.html"]
    assert any("gone.html: skipped: a broken symbolic link" in n for n in notes)
    assert any("loop: skipped: a folder already walked" in n for n in notes)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_cli_on_symlink_loop_finishes(tmp_path: Path) -> None:
    make(tmp_path, {"site/a.html": "<p>Fine copy.</p>"})
    (tmp_path / "site" / "self").symlink_to(tmp_path / "site")
    run = subprocess.run(
        [sys.executable, "-m", "lint", "check", "--format", "json", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert '"files": 1' in run.stdout


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    rules_dir = Path(__file__).resolve().parent / "rules" / "positions"
    return subprocess.run(
        [
            *(sys.executable, "-m", "lint", "check", "-f", "json"),
            *("--rules", str(rules_dir), "--select", "positions", *args),
        ],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def linted_paths(run: subprocess.CompletedProcess[str]) -> list[str]:
    import json

    return sorted({f["path"] for f in json.loads(run.stdout)["findings"]})


def test_cli_gitignore_include_exclude(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    claim = "<p>No side effects.</p>"
    make(
        tmp_path,
        {
            ".gitignore": "build/\n",
            "site/a.html": claim,
            "site/amp/a.html": claim,
            "site/b.md": "No side effects.",
            "build/out.html": claim,
        },
    )
    assert linted_paths(cli(".", cwd=tmp_path)) == [
        "./site/a.html",
        "./site/amp/a.html",
        "./site/b.md",
    ]
    assert "./build/out.html" in linted_paths(cli("--no-gitignore", ".", cwd=tmp_path))
    assert linted_paths(cli("--exclude", "amp/", "--exclude", "*.md", ".", cwd=tmp_path)) == [
        "./site/a.html"
    ]
    assert linted_paths(cli("--include", "*.md", ".", cwd=tmp_path)) == ["./site/b.md"]


def test_cli_verbose_notes_binary_files(tmp_path: Path) -> None:
    make(tmp_path, {"a.html": "<p>No side effects.</p>"})
    (tmp_path / "b.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    quiet = cli(".", cwd=tmp_path)
    assert quiet.returncode == 1 and quiet.stderr == ""
    loud = cli("--verbose", ".", cwd=tmp_path)
    assert loud.returncode == 1
    assert loud.stderr == "clinic-lint: note: ./b.html: skipped: a binary file\n"
