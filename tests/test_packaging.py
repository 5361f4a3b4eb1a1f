"""The wheel carries the rule packs: a check from the installed package, run from another
folder, uses them (not the checkout's rules/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_wheel_ships_rule_packs_and_works_from_any_folder(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("clinic_lint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "lint/_rules/core/" in {
        n.rsplit("/", 1)[0] + "/" for n in names if n.startswith("lint/_rules/core/")
    }
    assert any(n.startswith("lint/_rules/vocab/") for n in names)
    site = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site)
    page = tmp_path / "elsewhere" / "page.md"
    page.parent.mkdir()
    page.write_text("Our clinic offers stem cell therapy with no side effects.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site)}
    proc = subprocess.run(
        [sys.executable, "-c", "import lint.rules as r; print(r.shipped_rules_dir())"],
        cwd=page.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    assert Path(proc.stdout.strip()) == site / "lint" / "_rules"
    proc = subprocess.run(
        [sys.executable, "-m", "lint", "check", "page.md", "--format", "json"],
        cwd=page.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stderr
    categories = {f["category"] for f in json.loads(proc.stdout)["findings"]}
    assert "absolute-safety" in categories
