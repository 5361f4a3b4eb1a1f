"""The check flow as its signatures say (issue 18, item 5): errors are values raised where they
are found and reported by the entry point alone; one options value from either way in."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import write_rule

from lint import entry
from lint.checking import CheckOptions, CommandError, ExitCode, run_check


def test_an_input_error_is_raised_not_printed_or_exited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError) as raised:
        run_check(CheckOptions(("nope.md",), isolated=True))
    assert raised.value.lines == ["nope.md: no such file or directory"]
    assert raised.value.code is ExitCode.ERROR
    assert capsys.readouterr() == ("", "")  # deep code neither prints nor exits


def test_every_problem_of_a_rule_folder_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_rule(tmp_path / "mine" / "t", "open", "match: ['a'")
    write_rule(tmp_path / "mine" / "t", "empty", "match: []")
    (tmp_path / "page.md").write_text("A page.\n", encoding="utf-8")
    (tmp_path / ".clinic-lint.yaml").write_text("packs: []\nrules: [mine]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError) as raised:
        run_check(CheckOptions(("page.md",)))
    assert len(raised.value.lines) == 2
    assert all(line.startswith("mine/t/") for line in raised.value.lines)
    # the console script prints exactly those lines, and exits 2
    done = subprocess.run(
        [sys.executable, "-m", "lint", "check", "page.md"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=os.environ,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert sorted(done.stderr.splitlines()) == sorted(
        f"clinic-lint: error: {line}" for line in raised.value.lines
    )


def _typer_options(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> CheckOptions:
    """The CheckOptions the typer command builds from ``argv`` (parsed by typer itself)."""
    from lint import cli

    built: list[CheckOptions] = []

    def record(options: CheckOptions) -> int:
        built.append(options)
        return ExitCode.OK

    monkeypatch.setattr(cli, "run_check", record)
    assert cli.app(argv, standalone_mode=False) == ExitCode.OK
    (options,) = built
    return options


@pytest.mark.parametrize(
    "argv", [["check", "a.md"], ["check", "--force-exclude", "a.md", "b/"], ["check", "x", "y"]]
)
def test_the_hook_path_and_the_typer_command_build_the_same_options(
    monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    hook = entry._hook_options(argv)
    assert hook is not None
    assert hook == _typer_options(monkeypatch, argv)


def test_any_other_option_goes_through_typer() -> None:
    assert entry._hook_options(["check", "--jobs", "1", "a.md"]) is None
    assert entry._hook_options(["check", "--", "a.md"]) is None
    assert entry._hook_options(["rules"]) is None


def test_the_typer_command_takes_its_defaults_from_check_options() -> None:
    import dataclasses

    import typer

    from lint.cli import app

    command = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    defaults = CheckOptions(paths=())
    fields = {f.name for f in dataclasses.fields(CheckOptions)}
    assert {p.name for p in command.params} == fields  # every option reaches run_check
    for param in command.params:
        if param.name == "paths":
            continue
        default = getattr(defaults, param.name)
        # typer's "not given" for a list or an enum is None: CheckOptions' () or None
        assert param.default == default or (param.default is None and default in ((), None)), (
            param.name
        )


def test_the_console_script_leaves_the_garbage_collector_alone(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Our therapy cures autism.\n", encoding="utf-8")
    script = (
        "import gc, sys\n"
        "from lint.entry import main\n"
        f"sys.argv = ['clinic-lint', 'check', {str(page)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print('GC', gc.isenabled(), gc.get_freeze_count(), code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    # enabled throughout, nothing frozen: no collector rule for the code to keep
    assert done.stdout.splitlines()[-1] == "GC True 0 1"


def _pack(root: Path, word: str) -> Path:
    write_rule(root / "t", word, f"match: ['{word}']")
    return root


def test_a_rule_set_from_the_cache_brings_its_phrase_automaton(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lint import rules
    from lint.api import Linter
    from lint.config import Settings, select_rules

    monkeypatch.setenv("CLINIC_LINT_CACHE_DIR", str(tmp_path / "cache"))
    one, two = _pack(tmp_path / "one", "marvel"), _pack(tmp_path / "two", "wonder")
    for folder in (one, two):
        rules.load([folder], shipped=False)  # builds and stores
    first = rules.load([one], shipped=False, details=False)  # from the cache
    second = rules.load([two], shipped=False, details=False)  # loading it changes nothing of first
    assert first.phrases is not None and second.phrases is not None
    assert first.phrases.covers(first.rules[0].match)
    assert not first.phrases.covers(second.rules[0].match)
    # a selection of the rules keeps the automaton that finds them all
    chosen = select_rules(first, Settings(select=("t/marvel",)))
    assert chosen.phrases is first.phrases
    assert [f.rule for f in Linter(first).check_text("a marvel, a wonder")] == ["t/marvel"]
    monkeypatch.setenv("CLINIC_LINT_NO_CACHE", "1")
    uncached = rules.load([one], shipped=False)
    assert uncached.phrases is not None and uncached.phrases.covers(uncached.rules[0].match)
    assert [f.rule for f in Linter(uncached).check_text("a marvel")] == ["t/marvel"]


def test_editing_any_module_of_the_package_misses_the_rule_cache(tmp_path: Path) -> None:
    """A copy of the package, loading a small rule folder: served from the cache until a module
    the loader uses is edited (one no hand-kept list named: concepts, a subpackage's)."""
    import shutil

    from conftest import ROOT

    package = tmp_path / "pkg" / "lint"
    shutil.copytree(ROOT / "lint", package, ignore=shutil.ignore_patterns("__pycache__"))
    folder = _pack(tmp_path / "mine", "marvel")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "import lint\n"
        "from lint import rules\n"
        "built = []\n"
        "rules.load([Path(sys.argv[1])], shipped=False, building=lambda: built.append(1))\n"
        "print(lint.__file__, 'built' if built else 'cached')\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(package.parent),
        "CLINIC_LINT_CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("CLINIC_LINT_NO_CACHE", None)

    def load() -> str:
        done = subprocess.run(
            [sys.executable, "-c", script, str(folder)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,  # not the checkout, whose lint/ would come first
            check=True,
        )
        where, how = done.stdout.split()
        assert where == str(package / "__init__.py")  # the copy, not the installed package
        return how

    assert [load(), load()] == ["built", "cached"]
    for module in ("concepts.py", "documents/segment.py"):
        with (package / module).open("a", encoding="utf-8") as stream:
            stream.write("\n# edited\n")
        assert [load(), load()] == ["built", "cached"], module


def test_the_session_has_a_rule_cache_folder_of_its_own() -> None:
    from lint import cache

    if os.environ.get("CLINIC_LINT_NO_CACHE"):
        pytest.skip("the cache is turned off for this session")
    folder = cache.directory()
    assert folder is not None and folder.name.startswith("clinic-lint-test-cache-")
    # not a developer's or another session's: made by this session's conftest, under tmp
    assert folder.parent == Path(tempfile.gettempdir())
