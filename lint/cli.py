"""The ``clinic-lint`` command: parses arguments, calls the API, picks a formatter, sets the exit
code. Heavy modules (rich, the readers) load only when a command needs them."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from lint import __version__

if TYPE_CHECKING:
    from lint.config import Settings
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
) -> Settings:
    from lint.config import Settings, split_tokens
    from lint.findings import Severity

    return Settings().merged(
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


class FailOn(str, enum.Enum):
    error = "error"
    warning = "warning"
    info = "info"


@app.command()
def check(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files and folders to lint. Folders are searched for .txt, .md, .markdown, .html, .htm.",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = Format.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a finding has at least this severity.")
    ] = FailOn.error,
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
    from lint import api
    from lint.files import MissingPath, discover
    from lint.findings import Severity, at_or_above
    from lint.report import Report, formatter

    settings = _settings(pack, rules_dirs, select, ignore, fail_on.value)
    ruleset = _load(settings)
    linter = api.Linter(ruleset, timeout=timeout)
    try:
        files = list(discover(paths))
    except MissingPath as exc:
        fail(str(exc))
    results = list(linter.check_files(files))
    errors = [e for r in results for e in r.errors]
    formatter(output_format.value)(Report(results), sys.stdout)
    sys.stdout.flush()
    for error in errors:
        sys.stderr.write(f"clinic-lint: error: {error}\n")
    if errors:
        raise typer.Exit(ExitCode.ERROR)
    failing = at_or_above([f for r in results for f in r.findings], Severity(settings.fail_on))
    raise typer.Exit(ExitCode.FINDINGS if failing else ExitCode.OK)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("clinic-lint: interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)
