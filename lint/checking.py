"""The ``check`` command's flow, free of the command-line framework: settings -> rules -> files
-> runner -> suppressions/baseline -> formatters -> exit code.

``lint.cli`` parses options with typer and calls ``run_check``; the pre-commit call (``check``
with paths only) reaches it from ``lint.entry`` without importing typer at all.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import itertools
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

if TYPE_CHECKING:
    from lint import api
    from lint.baseline import Matcher, Recorder
    from lint.config import Settings
    from lint.findings import Severity
    from lint.gitdiff import Changes
    from lint.report import Totals
    from lint.rules import Rule, RuleSet


class ExitCode(enum.IntEnum):
    OK = 0  # nothing at or above the failure threshold
    FINDINGS = 1  # findings at or above it
    ERROR = 2  # usage, configuration, rule or input errors
    INTERRUPTED = 130


class CommandError(Exception):
    """A problem that ends a command: a usage, configuration, rule or input error.

    Raised where the problem is found; the entry point (``lint.entry``) alone prints ``lines``
    to stderr as ``clinic-lint: error: …`` and exits with ``code``, so no deep code prints or
    exits (and a report file being written is discarded as the error unwinds, see
    ``outputs.atomic_file``)."""

    def __init__(self, lines: str | Sequence[str], code: ExitCode = ExitCode.ERROR) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        self.code = code
        super().__init__("\n".join(self.lines))


def settings_from(
    pack: Sequence[str] | None,
    rules_dirs: Sequence[Path] | None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
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

    def building() -> None:  # a person at a terminal should know why the first run is quiet
        if sys.stderr.isatty():
            sys.stderr.write(
                "clinic-lint: note: compiling the rules into the cache (first run after an "
                "install or a rule change: a few seconds; later runs start at once)\n"
            )

    try:
        return api.load_rules(settings, details=False, building=building)  # reads no examples
    except rules.RuleError as exc:
        # a problem with no file (an unknown pack) is the option's or the configuration's
        said = settings.origin.get("packs", "--pack")
        raise CommandError([str(p) if p.path else f"{said}: {p}" for p in exc.problems]) from exc
    except ConfigError as exc:
        raise CommandError(str(exc)) from exc


@dataclass(frozen=True)
class CheckOptions:
    """What ``check`` is asked to do: one value built by both ways in, the typer command
    (``lint.cli.check``) and the pre-commit call (``lint.entry``: paths only, maybe
    ``--force-exclude``). The defaults are the command line's, defined here once (the typer
    options take theirs from here). Empty tuples and None: not given (the configuration's
    value, or the built-in one)."""

    paths: tuple[str, ...]
    output_format: str | None = None  # on stdout; None: text, or github under GitHub Actions
    output_files: tuple[str, ...] = ()  # FORMAT=FILE
    fail_on: str | None = None
    config_file: Path | None = None
    isolated: bool = False
    show_config: bool = False
    baseline_file: Path | None = None
    write_baseline: Path | None = None
    diff_ref: str | None = None
    packs: tuple[str, ...] = ()
    rules_dirs: tuple[Path, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    gitignore: bool = True
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    jobs: int | None = None  # None: one per core
    verbose: bool = False
    timeout: float = 5.0
    max_file_size: float | None = None
    force_exclude: bool = False
    error_on_unmatched_pattern: bool = True
    crawl: bool = False
    max_pages: int = 100
    fetch_timeout: float = 10.0


def run_check(options: CheckOptions) -> int:
    """Lint files, folders and URLs (``crawl``: their sites); the exit code: 0 (clean), 1
    (findings at or above the threshold) or 2 (errors). Usage and configuration errors raise
    ``CommandError`` at once."""

    from lint import api, runner

    urls = [p for p in options.paths if p.startswith(("http://", "https://"))]
    if urls:
        _check_urls_usable(urls)
    paths = [p for p in options.paths if p not in urls]

    named = tuple(f"{p}:" for p in [*paths, *_normalized(urls)])

    def note(text: str) -> None:
        # A file the user named is always accounted for, and so is a page too large to lint;
        # other skips found by walking (binary files) need --verbose.
        if options.verbose or text.startswith(named) or api.OVERSIZE in text:
            sys.stderr.write(f"clinic-lint: note: {text}\n")

    from lint.config import ConfigError, Selection, resolve, show
    from lint.files import MissingPath, discover
    from lint.findings import Severity
    from lint.outputs import OutputError, parse_spec
    from lint.report import FORMATS

    try:
        base = resolve(paths, options.config_file, isolated=options.isolated)
        extra = [parse_spec(spec, FORMATS) for spec in options.output_files]
    except (ConfigError, OutputError) as exc:
        raise CommandError(str(exc)) from exc
    settings = settings_from(
        options.packs, options.rules_dirs, options.select, options.ignore, options.fail_on, base
    )
    if options.max_file_size is not None:
        settings = settings.merged(max_file_size=options.max_file_size)
    if options.show_config:  # the command line's globs after the file's (relative to the cwd)
        both = settings.merged(
            include=settings.include + options.include,
            exclude=settings.exclude + options.exclude,
        )
        sys.stdout.write(show(both))
        return ExitCode.OK
    selection = Selection(settings, options.include, options.exclude)
    try:  # before the rules load: a wrong path or glob is reported at once, not after a compile
        files = list(
            discover(
                paths,
                gitignore=options.gitignore,
                note=note,
                keep=selection.keeps if selection else None,
                skip_named=selection.skip_reason if options.force_exclude and selection else None,
            )
        )
    except MissingPath as exc:
        raise CommandError(str(exc)) from exc
    emptied = selection.emptied()
    if emptied and options.error_on_unmatched_pattern:
        where = ", ".join(p for p in paths if os.path.isdir(p))
        raise CommandError(
            f"{emptied} in {where} (globs on the command line are relative to the current "
            "folder, a configuration's to its folder); --no-error-on-unmatched-pattern accepts it"
        )
    if not files and not urls:
        sys.stderr.write(f"clinic-lint: note: no files to lint in {', '.join(paths)}\n")
    ruleset = load_ruleset(settings)
    try:
        linter = api.Linter(ruleset, settings=settings, timeout=options.timeout)
    except ConfigError as exc:
        raise CommandError(str(exc)) from exc
    gate = _Gate(paths, options.baseline_file, options.write_baseline, options.diff_ref)
    rules = {r.id: r for r in ruleset}
    progress = _wants_progress(options.output_format)
    results: Iterable[api.FileResult] = runner.run(
        linter, files, jobs=options.jobs, note=note, progress=progress
    )
    if urls:
        from lint import crawl as crawler
        from lint.fetch import FetchOptions

        fetching = FetchOptions(
            timeout=options.fetch_timeout, max_bytes=int(settings.max_file_size * api.MB)
        )
        crawling = crawler.CrawlOptions(
            follow=options.crawl, max_pages=options.max_pages, fetch=fetching
        )
        pages = crawler.check_urls(urls, linter, crawling, note=note, progress=progress)
        results = itertools.chain(results, pages)
    screen = _Screen(sys.stdout)
    try:
        totals = _stream(
            results,
            gate,
            extra,
            # --write-baseline says what it recorded, not every finding (unless --format asks)
            None
            if options.write_baseline and options.output_format is None
            else (options.output_format or _default_format(), cast(TextIO, screen)),
            rules,
            Severity(settings.fail_on),
        )
    except OutputError as exc:
        raise CommandError(str(exc)) from exc
    screen.done()
    if options.write_baseline and not totals.errors:
        return ExitCode.OK
    for error in totals.errors:
        sys.stderr.write(f"clinic-lint: error: {error}\n")
    if totals.errors:
        return ExitCode.ERROR
    failing = totals.any_at_or_above(Severity(settings.fail_on))
    return ExitCode.FINDINGS if failing else ExitCode.OK


def _normalized(urls: list[str]) -> list[str]:
    from lint.fetch import normalize

    return [normalize(u) or u for u in urls]


def _check_urls_usable(urls: list[str]) -> None:
    """``CommandError`` when the web extra is missing or an argument is no usable URL."""
    from lint import fetch

    try:
        fetch.require_web()
    except fetch.MissingExtra as exc:
        raise CommandError(str(exc)) from exc
    bad = [u for u in urls if fetch.normalize(u) is None]
    if bad:
        raise CommandError(
            [f"{u}: not a URL clinic-lint can fetch (http:// or https:// and a host)" for u in bad]
        )


def _stream(
    results: Iterable[api.FileResult],
    gate: _Gate,
    extra: list[tuple[str, Path]],
    shown: tuple[str, TextIO] | None,
    rules: Mapping[str, Rule],
    fail_on: Severity,
) -> Totals:
    """Every file's result through the gate into every report as it comes, so nothing is kept
    per file; report files are moved into place only when the whole run is written."""
    from lint.outputs import atomic_file
    from lint.report import Totals, writer

    totals = Totals()
    with contextlib.ExitStack() as stack:
        outputs = [
            writer(name)(stack.enter_context(atomic_file(path)), rules) for name, path in extra
        ]
        if shown is not None:
            outputs.append(writer(shown[0])(shown[1], rules))
        for out in outputs:
            out.fail_on = fail_on
        for result in results:
            result = gate.filter(result)
            totals.add(result)
            for out in outputs:
                out.file(result)
        totals.stale = gate.finish()
        for out in outputs:
            out.finish(totals)
    return totals


class _Screen:
    """Standard output for a report: if the reader goes away (``| head``), later writes are
    dropped so the run still completes its report files, then the broken pipe is raised."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self.broken = True
        return len(text)

    def isatty(self) -> bool:
        return self.stream.isatty()

    def flush(self) -> None:
        if not self.broken:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self.broken = True

    def done(self) -> None:
        self.flush()
        if self.broken:
            raise BrokenPipeError(errno.EPIPE, "standard output was closed")


def _default_format() -> str:
    import os

    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


class _Gate:
    """Between linting and reporting, per file: record the baseline (``--write-baseline``), apply
    it (``--baseline``), keep only changed lines (``--diff``). Everything that can fail is read
    up front, before any report is begun."""

    def __init__(
        self,
        paths: list[str],
        baseline_file: Path | None,
        write_baseline: Path | None,
        diff_ref: str | None,
    ) -> None:
        self.record: Recorder | None = None
        self.known: Matcher | None = None
        self.changes: Changes | None = None
        self.baseline_file = baseline_file
        if write_baseline or baseline_file:
            from lint import baseline

            try:
                if write_baseline:
                    self.record = baseline.Recorder(write_baseline)
                if baseline_file:
                    self.known = baseline.Matcher(baseline_file, baseline.load(baseline_file))
            except baseline.BaselineError as exc:
                raise CommandError(str(exc)) from exc
        if diff_ref:
            from lint import gitdiff
            from lint.config import start_folder

            try:
                self.changes = gitdiff.changed_lines(diff_ref, start_folder(paths))
            except gitdiff.DiffError as exc:
                raise CommandError(str(exc)) from exc

    def filter(self, result: api.FileResult) -> api.FileResult:
        if self.record is not None:
            self.record.add(result)
        if self.known is not None:
            result = self.known.apply(result)
        if self.changes is not None:
            from dataclasses import replace

            from lint import gitdiff

            result = replace(result, findings=gitdiff.only_changed(result.findings, self.changes))
        return result

    def finish(self) -> list[dict[str, object]] | None:
        """Write the baseline file; the stale entries of the one applied (None: no baseline)."""
        if self.record is not None:
            count = self.record.write()
            sys.stderr.write(f"clinic-lint: wrote {count} baseline entries to {self.record.path}\n")
        if self.known is None:
            return None
        stale = self.known.stale()
        if stale:
            one = len(stale) == 1
            sys.stderr.write(
                f"clinic-lint: note: {len(stale)} {'entry' if one else 'entries'} "
                f"in {self.baseline_file} {'matches' if one else 'match'} no finding "
                "any more (fixed or rewritten); --write-baseline drops them\n"
            )
        return list(stale)


def _wants_progress(output_format: str | None) -> bool:
    """A progress bar only for a person: a human format, on a terminal, output not piped."""
    human = output_format is None or output_format in ("text", "concise")
    return human and sys.stdout.isatty() and sys.stderr.isatty()
