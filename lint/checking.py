"""The ``check`` command's flow, free of the command-line framework: settings -> rules -> files
-> runner -> suppressions/baseline -> formatters -> exit code.

``lint.cli`` parses options with typer and calls ``run_check``; the pre-commit call (``check``
with paths only) reaches it from ``lint.entry`` without importing typer at all.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from lint import api
    from lint.config import Settings
    from lint.report import Report
    from lint.rules import RuleSet


class ExitCode(enum.IntEnum):
    OK = 0  # nothing at or above the failure threshold
    FINDINGS = 1  # findings at or above it
    ERROR = 2  # usage, configuration, rule or input errors
    INTERRUPTED = 130


def fail(lines: str | list[str], code: ExitCode = ExitCode.ERROR) -> NoReturn:
    """Print each line to stderr as ``clinic-lint: error: …`` and exit."""
    for line in [lines] if isinstance(lines, str) else lines:
        sys.stderr.write(f"clinic-lint: error: {line}\n")
    raise SystemExit(int(code))


def settings_from(
    pack: list[str] | None,
    rules_dirs: list[Path] | None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    fail_on: str | None = None,
    base: Settings | None = None,
) -> Settings:
    from lint.config import Settings, split_tokens
    from lint.findings import Severity

    return (base or Settings()).merged(
        packs=split_tokens(pack) if pack else None,
        extra_rules=tuple(rules_dirs) if rules_dirs else None,
        select=split_tokens(select) if select else None,
        ignore=split_tokens(ignore) if ignore else None,
        fail_on=Severity(fail_on) if fail_on else None,
    )


def load_ruleset(settings: Settings) -> RuleSet:
    from lint import api, rules
    from lint.config import ConfigError

    try:
        return api.load_rules(settings)
    except rules.RuleError as exc:
        fail([str(p) for p in exc.problems])
    except ConfigError as exc:
        fail(str(exc))


def run_check(
    paths: list[str],
    *,
    output_format: str | None = None,
    output_files: list[str] | None = None,
    fail_on: str | None = None,
    config_file: Path | None = None,
    isolated: bool = False,
    show_config: bool = False,
    baseline_file: Path | None = None,
    write_baseline: Path | None = None,
    diff_ref: str | None = None,
    pack: list[str] | None = None,
    rules_dirs: list[Path] | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    gitignore: bool = True,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    jobs: int | None = None,
    verbose: bool = False,
    timeout: float = 5.0,
) -> int:
    """Lint files and folders; the exit code: 0 (clean), 1 (findings at or above the
    threshold) or 2 (errors). Usage and configuration errors exit 2 at once (``fail``)."""

    named = tuple(f"{p}:" for p in paths)

    def note(text: str) -> None:
        # A file the user named is always accounted for; skips found by walking need --verbose.
        if verbose or text.startswith(named):
            sys.stderr.write(f"clinic-lint: note: {text}\n")

    from lint import api, runner
    from lint.config import ConfigError, resolve, show
    from lint.files import MissingPath, discover
    from lint.findings import Severity, at_or_above
    from lint.outputs import OutputError, parse_spec
    from lint.report import FORMATS, Report, formatter

    try:
        base = resolve(paths, config_file, isolated=isolated)
        extra = [parse_spec(spec, FORMATS) for spec in output_files or ()]
    except (ConfigError, OutputError) as exc:
        fail(str(exc))
    settings = settings_from(pack, rules_dirs, select, ignore, fail_on, base)
    if include or exclude:
        settings = settings.merged(
            include=settings.include + tuple(include or ()),
            exclude=settings.exclude + tuple(exclude or ()),
        )
    if show_config:
        sys.stdout.write(show(settings))
        return ExitCode.OK
    ruleset = load_ruleset(settings)
    try:
        linter = api.Linter(ruleset, settings=settings, timeout=timeout)
        files = [
            f for f in discover(paths, gitignore=gitignore, note=note) if settings.selects_file(f)
        ]
    except MissingPath as exc:
        fail(str(exc))
    except ConfigError as exc:
        fail(str(exc))
    if not files:
        sys.stderr.write(f"clinic-lint: note: no files to lint in {', '.join(paths)}\n")
    progress = _wants_progress(output_format)
    results = list(runner.run(linter, files, jobs=jobs, note=note, progress=progress))
    errors = [e for r in results for e in r.errors]
    results, stale = _gate(results, paths, baseline_file, write_baseline, diff_ref)
    report = Report(results, rules={r.id: r for r in ruleset}, stale=stale)
    _write_reports(extra, report)  # first: a closed stdout pipe must not cost the CI artefacts
    name = output_format or _default_format()
    formatter(name)(report, sys.stdout)
    sys.stdout.flush()
    if write_baseline and not errors:
        return ExitCode.OK
    for error in errors:
        sys.stderr.write(f"clinic-lint: error: {error}\n")
    if errors:
        return ExitCode.ERROR
    failing = at_or_above([f for r in results for f in r.findings], Severity(settings.fail_on))
    return ExitCode.FINDINGS if failing else ExitCode.OK


def _default_format() -> str:
    import os

    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _gate(
    results: list[api.FileResult],
    paths: list[str],
    baseline_file: Path | None,
    write_baseline: Path | None,
    diff_ref: str | None,
) -> tuple[list[api.FileResult], list[dict[str, object]] | None]:
    """After linting: record or apply the baseline, then keep only changed lines (``--diff``)."""
    from dataclasses import replace

    from lint import baseline, gitdiff
    from lint.config import start_folder
    from lint.outputs import OutputError

    stale = None
    try:
        if write_baseline:
            count = baseline.write(write_baseline, results)
            sys.stderr.write(f"clinic-lint: wrote {count} baseline entries to {write_baseline}\n")
        if baseline_file:
            results, stale = baseline.apply(results, baseline_file, baseline.load(baseline_file))
            if stale:
                sys.stderr.write(
                    f"clinic-lint: note: {len(stale)} {'entry' if len(stale) == 1 else 'entries'} "
                    f"in {baseline_file} {'matches' if len(stale) == 1 else 'match'} no finding "
                    "any more (fixed or rewritten); --write-baseline drops them\n"
                )
        if diff_ref:
            changes = gitdiff.changed_lines(diff_ref, start_folder(paths))
            results = [
                replace(r, findings=gitdiff.only_changed(r.findings, changes)) for r in results
            ]
    except (baseline.BaselineError, OutputError, gitdiff.DiffError) as exc:
        fail(str(exc))
    return results, stale


def _write_reports(extra: list[tuple[str, Path]], report: Report) -> None:
    """``--output-format F=FILE``: each report written whole, or not at all."""
    from functools import partial

    from lint.outputs import OutputError, atomic_write
    from lint.report import formatter

    for name, path in extra:
        try:
            atomic_write(path, partial(formatter(name), report))
        except OutputError as exc:
            fail(str(exc))


def _wants_progress(output_format: str | None) -> bool:
    """A progress bar only for a person: a human format, on a terminal, output not piped."""
    human = output_format is None or output_format in ("text", "concise")
    return human and sys.stdout.isatty() and sys.stderr.isatty()
