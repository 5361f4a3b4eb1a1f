"""The pre-commit hook, through the real ``pre-commit try-repo`` against this checkout.

try-repo clones the checkout (committed HEAD plus uncommitted changes) and pip-installs it into a
hook environment, so this needs the package registry; PRE_COMMIT_HOME lives in tmp_path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

pytestmark = pytest.mark.skipif(
    not PRE_COMMIT.exists() or shutil.which("git") is None, reason="needs pre-commit and git"
)

CLAIM = """<html><body>
<h1>Stem cell therapy</h1>
<p>Our stem cell therapy cures diabetes.</p>
</body></html>
"""
CLEAN = """# About us

Our clinic is open from nine to five. Call us to book an appointment.
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository try-repo installs the hook from: this checkout, or, when the tests run
    from an unpacked source archive (no .git), a fresh repository made from a copy of it."""
    inside = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=ROOT, capture_output=True, text=True
    )
    if inside.returncode == 0 and Path(inside.stdout.strip()).resolve() == ROOT:
        return ROOT
    copy = tmp_path_factory.mktemp("hook-repo") / "clinic-lint"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".ci-venv", "*.egg-info", "__pycache__")
    )
    _git(copy, "init", "-q")
    _git(copy, "add", "-A")
    _git(copy, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "copy")
    return copy


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PRE_COMMIT_HOME for the module, so the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(repo: Path, home: Path, hook_repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [
            str(PRE_COMMIT),
            "try-repo",
            str(hook_repo),
            "clinic-lint",
            "--all-files",
            "--color",
            "never",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def _repo(tmp_path: Path, name: str, text: str) -> Path:
    """A site repository with one page and a configuration the hook must find."""
    repo = tmp_path / "site"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / name).write_text(text, encoding="utf-8")
    (repo / ".clinic-lint.yaml").write_text("packs: [core]\n", encoding="utf-8")
    _git(repo, "add", name, ".clinic-lint.yaml")
    return repo


def test_hook_fails_on_a_claim_and_shows_where(tmp_path: Path, home: Path, hook_repo: Path) -> None:
    repo = _repo(tmp_path, "treatment.html", CLAIM)
    done = _try_repo(repo, home, hook_repo)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "clinic-lint" in output and "Failed" in output
    assert "treatment.html:3:" in output  # the finding, with its line and column
    assert "cures diabetes" in output


def test_hook_passes_on_a_clean_page(tmp_path: Path, home: Path, hook_repo: Path) -> None:
    repo = _repo(tmp_path, "about.md", CLEAN)
    done = _try_repo(repo, home, hook_repo)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Passed" in output


def test_hook_skips_files_the_configuration_excludes(
    tmp_path: Path, home: Path, hook_repo: Path
) -> None:
    # the hook passes --force-exclude: a commit touching only excluded copy passes quietly
    repo = _repo(tmp_path, "treatment.html", CLAIM)
    (repo / "drafts").mkdir()
    (repo / "drafts" / "offer.html").write_text(CLAIM, encoding="utf-8")
    (repo / ".clinic-lint.yaml").write_text("packs: [core]\nexclude: [drafts]\n", "utf-8")
    _git(repo, "rm", "-q", "--cached", "treatment.html")
    _git(repo, "add", "drafts/offer.html", ".clinic-lint.yaml")
    done = _try_repo(repo, home, hook_repo)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Passed" in output
