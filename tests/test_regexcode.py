"""Compiled patterns kept as code and loaded without the regex package (lint/regexcode.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import regex

from lint import patterns, regexcode

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    r"\w+",
    patterns.bounded(r"stem\s+cells?|(?-i:ASD)"),
    patterns.bounded(r"(?:no|zero)\s+side[- ]effects?(?![^.]{0,40}\bin\s+rare)"),
    r"سٹیم\s+سیل|\p{Lu}{2,}",
]
TEXTS = [
    "Stem  cells and ASD, asd.",
    "NO side-effects at all. no side effects in rare cases",
    "سٹیم سیل ABC x",
]


def test_flag_numbers_are_regex_own() -> None:
    assert regexcode.IGNORECASE == regex.IGNORECASE
    assert regexcode.UNICODE == regex.UNICODE


def test_loaded_code_is_the_compiled_pattern() -> None:
    for source in SOURCES:
        compiled = regex.compile(source, patterns.FLAGS)
        loaded = regexcode.load(regexcode.dump(compiled))
        assert (loaded.pattern, loaded.flags) == (compiled.pattern, compiled.flags)
        for text in TEXTS:
            assert [m.span() for m in loaded.finditer(text)] == [
                m.span() for m in compiled.finditer(text)
            ]


def test_loading_code_imports_no_regex_parser(tmp_path: Path) -> None:
    code = tmp_path / "code.marshal"
    code.write_bytes(regexcode.dump(regex.compile(SOURCES[1], patterns.FLAGS)))
    script = (
        "import sys\n"
        "from lint import regexcode\n"
        f"p = regexcode.load(open({str(code)!r}, 'rb').read())\n"
        "assert p.search('our stem cells').span() == (4, 14)\n"
        "assert p.match('x stem cell', 2, timeout=1.0) is not None\n"
        "print(sorted(m for m in sys.modules if m.startswith('regex')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['regex._regex']"


def test_a_check_from_the_rule_cache_imports_no_regex_parser(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Our stem cell therapy cures autism with no side effects. "
        "DRAP approved. Results within 3 weeks.\n",
        encoding="utf-8",
    )
    script = (
        "import sys\n"
        "from lint.entry import main\n"
        f"sys.argv = ['clinic-lint', 'check', {str(page)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print('REGEX', 'regex._regex_core' in sys.modules, code)\n"
    )
    env = {**os.environ, "CLINIC_LINT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CLINIC_LINT_NO_CACHE", None)
    env.pop("CLINIC_LINT_PLAIN", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path
        )
        for _ in range(2)
    ]
    first, second = (run.stdout.splitlines() for run in runs)
    assert first[-1] == "REGEX True 1"  # the first run compiles the rules, and caches them
    assert second[-1] == "REGEX False 1"  # the second loads their code
    assert first[:-1] == second[:-1]  # the same findings
    assert any("core/" in line for line in second)


def test_every_constant_has_code_for_the_cache() -> None:
    codes = regexcode.codes()
    assert {(r"\w+", 0), (r"\w", 0)} <= set(codes)
    regexcode.prime(codes)
    word = regexcode.Constant(r"\w+")  # a new one, loaded from the primed code
    assert word.compiled.findall("a b—c") == ["a", "b", "c"]


def test_version_key_names_the_extension_file() -> None:
    key = regexcode.version_key()
    assert regex._regex.__file__ in key  # type: ignore[attr-defined]
    assert regexcode.extension_file() == regex._regex.__file__  # type: ignore[attr-defined]
