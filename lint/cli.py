"""The ``clinic-lint`` command: parses arguments, calls the API, picks a formatter, sets the exit
code. Heavy modules (rich, the readers) load only when a command needs them."""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from lint import __version__

if TYPE_CHECKING:
    from lint import api
    from lint.config import Settings
    from lint.report import Report
    from lint.rules import RuleSet

app = typer.Typer(
    name="clinic-lint",
    help=(
        "Lint health-care marketing copy (HTML, Markdown, text) for unsafe claims: cures, "
        "'no side effects', guarantees, unsourced success rates, approval badges, missing "
        "disclaimers. Each finding says where it stands, why it is a problem and how to say it "
        "instead."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ExitCode(enum.IntEnum):
    OK = 0  # nothing at or above the failure threshold
    FINDINGS = 1  # findings at or above it
    ERROR = 2  # usage, configuration, rule or input errors
    INTERRUPTED = 130


def fail(lines: str | list[str], code: ExitCode = ExitCode.ERROR) -> NoReturn:
    """Print each line to stderr as ``clinic-lint: error: …`` and exit."""
    for line in [lines] if isinstance(lines, str) else lines:
        sys.stderr.write(f"clinic-lint: error: {line}\n")
    raise typer.Exit(int(code))


def _version(value: bool) -> None:
    if value:
        print(f"clinic-lint {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """clinic-lint: find unsafe claims in clinic marketing copy."""


PacksOption = Annotated[
    list[str] | None,
    typer.Option(
        "--pack",
        "-p",
        help="Rule pack to use (repeat or comma-separate; default: core,pk). Packs: core, pk, us, uk, au, ads.",
        show_default=False,
    ),
]
RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        help="A folder of your own rules, used beside the shipped packs (repeatable).",
        show_default=False,
    ),
]


def _settings(
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


def _load(settings: Settings) -> RuleSet:
    from lint import api, rules
    from lint.config import ConfigError

    try:
        return api.load_rules(settings)
    except rules.RuleError as exc:
        fail([str(p) for p in exc.problems])
    except ConfigError as exc:
        fail(str(exc))


class Format(str, enum.Enum):
    text = "text"
    concise = "concise"
    json = "json"
    sarif = "sarif"
    github = "github"
    gitlab = "gitlab"
    junit = "junit"


class FailOn(str, enum.Enum):
    error = "error"
    warning = "warning"
    info = "info"


@app.command()
def check(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files and folders to lint. Folders are searched for .txt, .md, .markdown, .html, .htm, .xhtml, .shtml files that .gitignore does not ignore, outside hidden folders and node_modules.",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format on stdout (default: text; github when GITHUB_ACTIONS=true).",
            show_default=False,
        ),
    ] = None,
    output_files: Annotated[
        list[str] | None,
        typer.Option(
            "--output-format",
            "-o",
            metavar="FORMAT=FILE",
            help="Also write FORMAT to FILE, e.g. sarif=results.sarif (repeatable; written atomically).",
            show_default=False,
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding has at least this severity (default: error, or fail-on from the configuration).",
            show_default=False,
        ),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Use this configuration file (.clinic-lint.yaml or pyproject.toml) instead of searching for one.",
            show_default=False,
        ),
    ] = None,
    isolated: Annotated[
        bool,
        typer.Option(
            "--isolated", help="Ignore every configuration file; use defaults and options."
        ),
    ] = False,
    show_config: Annotated[
        bool,
        typer.Option("--show-config", help="Print the resolved configuration and exit."),
    ] = False,
    baseline_file: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="Report only findings not recorded in this baseline file; note stale entries.",
            show_default=False,
        ),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            help="Record today's findings in this file (then exit 0 unless there were errors).",
            show_default=False,
        ),
    ] = None,
    diff_ref: Annotated[
        str | None,
        typer.Option(
            "--diff",
            metavar="REF",
            help="Report only findings on lines changed since this git ref (e.g. origin/main).",
            show_default=False,
        ),
    ] = None,
    pack: PacksOption = None,
    rules_dirs: RulesOption = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Only these rules: ids, id prefixes (core/), packs or categories (repeat or comma-separate).",
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            help="Skip these rules: ids, id prefixes, packs or categories.",
            show_default=False,
        ),
    ] = None,
    gitignore: Annotated[
        bool,
        typer.Option(
            "--gitignore/--no-gitignore",
            help="Skip files that .gitignore ignores when searching folders.",
        ),
    ] = True,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include",
            metavar="GLOB",
            help="Only lint files matching this gitignore-style glob, e.g. 'site/**/*.html' (repeatable; added to the configuration's).",
            show_default=False,
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="GLOB",
            help="Skip files matching this gitignore-style glob, e.g. 'drafts/' or '*.min.html' (repeatable; added to the configuration's).",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help="Files linted in parallel (default: one per core; small runs stay in one process).",
            min=1,
            show_default=False,
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Also print notes on skipped files to stderr."),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="Seconds one rule may spend on one file before it is stopped (exit 2).",
            min=0.01,
        ),
    ] = 5.0,
) -> None:
    """Lint files and folders; exit 0 (clean), 1 (findings at or above --fail-on) or 2 (errors)."""

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
    settings = _settings(pack, rules_dirs, select, ignore, fail_on.value if fail_on else None, base)
    if include or exclude:
        settings = settings.merged(
            include=settings.include + tuple(include or ()),
            exclude=settings.exclude + tuple(exclude or ()),
        )
    if show_config:
        sys.stdout.write(show(settings))
        raise typer.Exit(ExitCode.OK)
    ruleset = _load(settings)
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
    name = output_format.value if output_format else _default_format()
    formatter(name)(report, sys.stdout)
    sys.stdout.flush()
    if write_baseline and not errors:
        raise typer.Exit(ExitCode.OK)
    for error in errors:
        sys.stderr.write(f"clinic-lint: error: {error}\n")
    if errors:
        raise typer.Exit(ExitCode.ERROR)
    failing = at_or_above([f for r in results for f in r.findings], Severity(settings.fail_on))
    raise typer.Exit(ExitCode.FINDINGS if failing else ExitCode.OK)


@app.command()
def init(
    path: Annotated[
        Path,
        typer.Argument(help="Where to write the configuration.", show_default=True),
    ] = Path(".clinic-lint.yaml"),
) -> None:
    """Write a commented starter configuration (.clinic-lint.yaml); never overwrites a file."""
    from lint.config import ConfigError, write_starter

    try:
        write_starter(path)
    except ConfigError as exc:
        fail(str(exc))
    print(f"Wrote {path}. Edit it, then run: clinic-lint check --show-config .")


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


# -- rule authoring: rules (list), rules test, rules schema, rules docs, explain ------------------


class ListFormat(str, enum.Enum):
    text = "text"
    json = "json"


def _load_packs(extra: list[Path] | None, *, only_extra: bool = False) -> RuleSet:
    """Every shipped pack plus ``extra`` folders; with ``only_extra``, just the folders' rules
    (shipped vocabularies stay available, as with ``--rules``)."""
    from lint import rules

    try:
        if only_extra and extra:
            return rules.load(extra, packs=())
        return rules.load(extra or (), packs=None)
    except rules.RuleError as exc:
        fail([str(p) for p in exc.problems])


def _with_configured(rules_dirs: list[Path] | None) -> list[Path]:
    """``--rules`` folders plus those the nearest configuration file names (``rules:``), once each,
    so ``rules`` and ``explain`` show a team's own rules without flags."""
    from lint.config import ConfigError, resolve

    try:
        configured = resolve([]).extra_rules
    except ConfigError as exc:
        fail(str(exc))
    unique = {p.resolve(): p for p in [*configured, *(rules_dirs or [])]}
    return list(unique.values())


def _print_json(data: object) -> None:
    import json

    print(json.dumps(data, ensure_ascii=False, indent=2))


rules_app = typer.Typer(
    help=(
        "List the rules (id, category, severity, message), or test, document and validate rule "
        "files: 'rules test', 'rules schema', 'rules docs'."
    ),
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(rules_app, name="rules")


@rules_app.callback(invoke_without_command=True)
def rules_list(
    ctx: typer.Context,
    pack: Annotated[
        str | None,
        typer.Option("--pack", "-p", metavar="PACK", help="Only this pack (core, pk, us, …)."),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            "-c",
            metavar="CATEGORY",
            help="Only this category (cure-claim, guarantee, …).",
        ),
    ] = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ListFormat.text,
    rules_dirs: RulesOption = None,
) -> None:
    """List every rule pack and rule: id, category, severity and message (shipped packs, --rules
    folders and the rule folders your configuration file names)."""
    if ctx.invoked_subcommand is not None:
        return
    from lint import catalog

    ruleset = _load_packs(_with_configured(rules_dirs))
    try:
        chosen = catalog.select(ruleset, pack, category)
    except catalog.CatalogError as exc:
        fail(str(exc))
    if output_format is ListFormat.json:
        _print_json(catalog.listing_json(chosen))
    else:
        sys.stdout.write(catalog.listing_text(chosen))


@rules_app.command("test")
def rules_test(
    folders: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="DIR",
            help="Your rule folders (default: the shipped packs). Shipped vocabularies stay available.",
            show_default=False,
        ),
    ] = None,
    fixtures: Annotated[
        list[Path] | None,
        typer.Option(
            "--fixtures",
            metavar="DIR",
            help="Also check the pages under this folder that have a PAGE.expected file (repeatable).",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", help="Seconds one rule may spend on one example.", min=0.01),
    ] = 5.0,
    coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="Also note each match/when pattern that no bad example exercises (never fails).",
        ),
    ] = False,
) -> None:
    """Run every rule's examples: each bad example must fire the rule (exactly on its [[…]] words;
    with its 'fix' in place it must not), each good example must not. Examples with 'todo' are
    known gaps and never fail. Exit 0 (all pass), 1 (an example fails) or 2 (a rule is malformed)."""
    from lint import rules, selftest

    for folder in [*(folders or []), *(fixtures or [])]:
        if not folder.is_dir():
            fail(f"{folder}: folder not found")
    ruleset = _load_packs(folders, only_extra=True)
    if folders and not len(ruleset):  # a wrong folder must not pass silently
        fail(f"{', '.join(map(str, folders))}: no rule files (*.yaml) found")
    results = selftest.run_examples(ruleset, timeout=timeout)
    try:
        pages = selftest.run_pages(fixtures or [], folders or [], timeout=timeout)
    except rules.RuleError as exc:
        fail([str(p) for p in exc.problems])
    for result in results:
        if result.status is not selftest.Status.PASSED:
            print(result)
    for page in pages:
        for line in page.lines():
            print(line)
    summary = selftest.summary(results, pages)
    if coverage:
        untested, total = selftest.coverage(ruleset)
        for note in untested:
            print(note)
        summary += f"; {len(untested)} of {total} patterns not exercised by a bad example"
    print(summary)
    failed = any(r.status is selftest.Status.FAILED for r in results)
    failed = failed or any(not p.passed for p in pages)
    raise typer.Exit(ExitCode.FINDINGS if failed else ExitCode.OK)


@rules_app.command("schema")
def rules_schema(
    vocab: Annotated[
        bool, typer.Option("--vocab", help="The schema for vocabulary files instead.")
    ] = False,
) -> None:
    """Print the JSON Schema for rule files, for editors with the YAML language server
    (save it, then start a rule file with: # yaml-language-server: $schema=rule.schema.json)."""
    from lint import schema

    sys.stdout.write(schema.text("vocab" if vocab else "rule"))


@rules_app.command("docs")
def rules_docs(
    folders: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="DIR",
            help="Your rule folders (default: the shipped packs).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the rule reference page (Markdown) made from the rule files:
    clinic-lint rules docs > docs/rules.md"""
    from lint import catalog

    ruleset = _load_packs(folders, only_extra=True)
    command = " ".join(["clinic-lint rules docs", *map(str, folders or [])])
    sys.stdout.write(
        catalog.reference_markdown(ruleset, command if folders else catalog.DOCS_COMMAND)
    )


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="A rule id, e.g. core/cure.", show_default=False)],
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ListFormat.text,
    rules_dirs: RulesOption = None,
) -> None:
    """Explain one rule: what it flags, why, references, what to say instead, its examples,
    pack, category, severity and patterns."""
    from lint import catalog

    ruleset = _load_packs(_with_configured(rules_dirs))
    try:
        found = catalog.find(ruleset, rule)
    except catalog.CatalogError as exc:
        fail(str(exc))
    if output_format is ListFormat.json:
        _print_json(catalog.explain_json(found))
    else:
        sys.stdout.write(catalog.explain_text(found))


def _wants_progress(output_format: Format | None) -> bool:
    """A progress bar only for a person: a human format, on a terminal, output not piped."""
    human = output_format is None or output_format.value in ("text", "concise")
    return human and sys.stdout.isatty() and sys.stderr.isatty()


def _paths_only(argv: list[str]) -> list[str] | None:
    """The paths of ``check PATH...`` with no option at all (the pre-commit hook's call)."""
    if len(argv) < 2 or argv[0] != "check" or any(a.startswith("-") for a in argv[1:]):
        return None
    return argv[1:]


def _check_paths(paths: list[str]) -> NoReturn:
    """Run ``check`` with every option at its default, as typer would, without parsing.

    typer builds a pydantic validator for each of check's options on every call (importing
    pydantic): a tenth of a second or more, the largest part of a pre-commit run on one page.
    Exits the way typer's standalone mode does.
    """
    import errno

    try:
        check(paths)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(ExitCode.INTERRUPTED)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - as click: quiet exit
        sys.exit(1)
    sys.exit(ExitCode.OK)


def _interrupted(signum: int, frame: object) -> None:
    # Say it at once (typer turns KeyboardInterrupt into a silent exit 130), then unwind so
    # that output files being written are left as they were.
    sys.stderr.write("clinic-lint: interrupted\n")
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted)
    try:
        paths = _paths_only(sys.argv[1:])
        if paths is not None:
            _check_paths(paths)
        app()
    except KeyboardInterrupt:
        sys.exit(ExitCode.INTERRUPTED)
