"""Every fixture page with a sidecar `<page>.expected` yields exactly the findings listed there."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

PAGES = sorted(p.with_suffix("") for p in FIXTURES.rglob("*.expected"))


def parse_expected(path: Path) -> tuple[tuple[str, ...], list[tuple[int, int, str]]]:
    """(packs, [(line, column, rule)]) from a sidecar file."""
    packs: tuple[str, ...] = ("core", "pk")
    expected = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("# packs:"):
            packs = tuple(line.split(":", 1)[1].split())
        if not line or line.startswith("#"):
            continue
        place, rule = line.split()[:2]
        row, col = place.split(":")
        expected.append((int(row), int(col), rule))
    return packs, sorted(expected)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(FIXTURES)) for p in PAGES])
def test_fixture_page(page: Path, linter_for) -> None:
    packs, expected = parse_expected(Path(str(page) + ".expected"))
    result = linter_for(packs).check_file(page)
    assert not result.errors
    got = sorted((f.line, f.column, f.rule) for f in result.findings)
    missing = [e for e in expected if e not in got]
    unexpected = [g for g in got if g not in expected]
    rel = page.relative_to(ROOT)
    assert not missing and not unexpected, f"{rel}: missing {missing}, unexpected {unexpected}"
