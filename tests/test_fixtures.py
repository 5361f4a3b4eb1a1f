"""Every fixture page with a sidecar `<page>.expected` yields exactly the findings listed there."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from lint import selftest

PAGES = selftest.find_pages([FIXTURES])


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(FIXTURES)) for p in PAGES])
def test_fixture_page(page: Path, linter_for) -> None:
    """The same comparison as ``clinic-lint rules test --fixtures fixtures`` (lint/selftest.py)."""
    expected = selftest.parse_expected(Path(str(page) + selftest.EXPECTED_SUFFIX))
    result = selftest.check_page(page, expected, linter_for(expected.packs).ruleset)
    assert result.passed, "\n".join(result.lines())
