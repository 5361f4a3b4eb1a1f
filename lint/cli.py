"""The ``clinic-lint`` command: parses arguments, calls the API, picks a formatter, sets the exit
code. Heavy modules (rich, the readers) load only when a command needs them."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lint import __version__
from lint.checking import CheckOptions, CommandError, ExitCode, run_check

if TYPE_CHECKING:
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
        metavar="PACK",
        help="Rule pack to use (repeat or comma-separate; default: core,pk). Packs: core, pk, us, uk, au, ads, shapes, learned, or one of your --rules folders.",
        show_default=False,
    ),
]
RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        metavar="DIR",
        help="A folder of your own rules, used beside the shipped packs (repeatable).",
        show_default=False,
    ),
]

SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        metavar="RULES",
        help="Only these rules: ids, id prefixes (core/), packs or categories (repeat or comma-separate).",
        show_default=False,
    ),
]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore",
        metavar="RULES",
        help="Skip these rules: ids, id prefixes, packs or categories.",
        show_default=False,
    ),
]
IsolatedOption = Annotated[
    bool,
    typer.Option("--isolated", help="Ignore every configuration file; use defaults and options."),
]


# The check command's defaults, defined once (in CheckOptions). A list or an enum option takes
# None instead, typer's "not given", which the command turns into CheckOptions' () or None.
DEFAULTS = CheckOptions(paths=())


class Format(str, enum.Enum):
    text = "text"
    concise = "concise"
    json = "json"
    sarif = "sarif"
    github = "github"
    gitlab = "gitlab"
    junit = "junit"
    html = "html"


class FailOn(str, enum.Enum):
    error = "error"
    warning = "warning"
    info = "info"


@app.command()
def check(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Files, folders and http(s) URLs to lint (a URL: that page, or its site with --crawl). Folders are searched for .txt, .md, .markdown, .html, .htm, .xhtml, .shtml files that .gitignore does not ignore, outside hidden folders and node_modules.",
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
            metavar="FILE",
            help="Use this configuration file (.clinic-lint.yaml or pyproject.toml) instead of searching for one.",
            show_default=False,
        ),
    ] = DEFAULTS.config_file,
    isolated: IsolatedOption = DEFAULTS.isolated,
    show_config: Annotated[
        bool,
        typer.Option("--show-config", help="Print the resolved configuration and exit."),
    ] = DEFAULTS.show_config,
    baseline_file: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="Report only findings not recorded in this baseline file; note stale entries.",
            show_default=False,
        ),
    ] = DEFAULTS.baseline_file,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            metavar="FILE",
            help="Record today's findings in this file (then exit 0 unless there were errors).",
            show_default=False,
        ),
    ] = DEFAULTS.write_baseline,
    diff_ref: Annotated[
        str | None,
        typer.Option(
            "--diff",
            metavar="REF",
            help="Report only findings on lines changed since this git ref (e.g. origin/main).",
            show_default=False,
        ),
    ] = DEFAULTS.diff_ref,
    packs: PacksOption = None,
    rules_dirs: RulesOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    gitignore: Annotated[
        bool,
        typer.Option(
            "--gitignore/--no-gitignore",
            help="Skip files that .gitignore ignores when searching folders.",
        ),
    ] = DEFAULTS.gitignore,
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
    force_exclude: Annotated[
        bool,
        typer.Option(
            "--force-exclude",
            help="Apply include/exclude to files named on the command line too, skipping them with a note (the pre-commit hook passes it).",
        ),
    ] = DEFAULTS.force_exclude,
    error_on_unmatched_pattern: Annotated[
        bool,
        typer.Option(
            "--error-on-unmatched-pattern/--no-error-on-unmatched-pattern",
            help="Exit 2 when include/exclude globs leave no file of a walked folder to check.",
        ),
    ] = DEFAULTS.error_on_unmatched_pattern,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            help="Files linted in parallel (default: one per core; small runs stay in one process).",
            min=1,
            show_default=False,
        ),
    ] = DEFAULTS.jobs,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Also print notes on skipped files to stderr."),
    ] = DEFAULTS.verbose,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Seconds one rule may spend on one file before it is stopped (exit 2).",
            min=0.01,
        ),
    ] = DEFAULTS.timeout,
    max_file_size: Annotated[
        float | None,
        typer.Option(
            "--max-file-size",
            metavar="MB",
            help="Skip, with a note, files larger than this many megabytes (default: 20, or max-file-size from the configuration; 0: no limit).",
            min=0,
            show_default=False,
        ),
    ] = DEFAULTS.max_file_size,
    crawl: Annotated[
        bool,
        typer.Option(
            "--crawl",
            help="For a URL: also follow its same-site links and its sitemap, obeying robots.txt (up to --max-pages).",
        ),
    ] = DEFAULTS.crawl,
    max_pages: Annotated[
        int,
        typer.Option(
            "--max-pages", metavar="N", help="Pages fetched per URL with --crawl, at most.", min=1
        ),
    ] = DEFAULTS.max_pages,
    fetch_timeout: Annotated[
        float,
        typer.Option(
            "--fetch-timeout",
            metavar="SECONDS",
            help="Seconds to wait for a server to connect or send more of a page (a whole page: 3x).",
            min=0.01,
        ),
    ] = DEFAULTS.fetch_timeout,
) -> None:
    """Lint files, folders and URLs; exit 0 (clean), 1 (findings at or above --fail-on) or 2
    (errors: a file unreadable, a page that could not be fetched)."""
    options = CheckOptions(
        paths=tuple(paths),
        output_format=output_format.value if output_format else None,
        output_files=tuple(output_files or ()),
        fail_on=fail_on.value if fail_on else None,
        config_file=config_file,
        isolated=isolated,
        show_config=show_config,
        baseline_file=baseline_file,
        write_baseline=write_baseline,
        diff_ref=diff_ref,
        packs=tuple(packs or ()),
        rules_dirs=tuple(rules_dirs or ()),
        select=tuple(select or ()),
        ignore=tuple(ignore or ()),
        gitignore=gitignore,
        include=tuple(include or ()),
        exclude=tuple(exclude or ()),
        jobs=jobs,
        verbose=verbose,
        timeout=timeout,
        max_file_size=max_file_size,
        force_exclude=force_exclude,
        error_on_unmatched_pattern=error_on_unmatched_pattern,
        crawl=crawl,
        max_pages=max_pages,
        fetch_timeout=fetch_timeout,
    )
    raise typer.Exit(run_check(options))


@app.command()
def scan(
    sites_file: Annotated[
        Path,
        typer.Argument(
            metavar="SITES",
            help="A file of site URLs, one a line (blank lines and # comments ignored).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="JSON Lines results: a line per finding and a summary line per site, appended as each site finishes.",
            show_default=False,
        ),
    ],
    restart: Annotated[
        bool,
        typer.Option(
            "--restart",
            help="Start FILE afresh instead of skipping the sites it already summarises.",
        ),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Run on this Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a process per core here).",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            help="Sites scanned at once without --scheduler (default: one per core).",
            min=1,
            show_default=False,
        ),
    ] = None,
    max_pages: Annotated[
        int,
        typer.Option("--max-pages", metavar="N", help="Pages fetched per site, at most.", min=1),
    ] = 50,
    fetch_timeout: Annotated[
        float,
        typer.Option(
            "--fetch-timeout",
            metavar="SECONDS",
            help="Seconds to wait for a server to connect or send more of a page.",
            min=0.01,
        ),
    ] = 10.0,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a finding has at least this severity (default: error).",
            show_default=False,
        ),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config", metavar="FILE", help="Use this configuration file.", show_default=False
        ),
    ] = None,
    isolated: Annotated[
        bool, typer.Option("--isolated", help="Ignore every configuration file.")
    ] = False,
    pack: PacksOption = None,
    rules_dirs: RulesOption = None,
) -> None:
    """Crawl and lint many sites into a JSON Lines file, resumably, on every core or a Dask
    cluster; exit 0 (clean), 1 (findings at or above --fail-on) or 2 (errors)."""
    from lint import api
    from lint.checking import settings_from
    from lint.config import ConfigError, resolve
    from lint.crawl import CrawlOptions
    from lint.fetch import FetchOptions
    from lint.scan import run_scan

    try:
        base = resolve([], config_file, isolated=isolated)
    except ConfigError as exc:
        raise CommandError(str(exc)) from exc
    settings = settings_from(
        pack, rules_dirs, fail_on=fail_on.value if fail_on else None, base=base
    )
    fetching = FetchOptions(timeout=fetch_timeout, max_bytes=int(settings.max_file_size * api.MB))
    code = run_scan(
        sites_file,
        output,
        restart=restart,
        scheduler=scheduler,
        jobs=jobs,
        settings=settings,
        crawl=CrawlOptions(follow=True, max_pages=max_pages, fetch=fetching),
        progress=sys.stderr.isatty(),
    )
    raise typer.Exit(code)


@app.command()
def init(
    path: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="Where to write the configuration.", show_default=True),
    ] = Path(".clinic-lint.yaml"),
) -> None:
    """Write a commented starter configuration (.clinic-lint.yaml); never overwrites a file."""
    from lint.config import ConfigError, write_starter

    try:
        write_starter(path)
    except ConfigError as exc:
        raise CommandError(str(exc)) from exc
    print(f"Wrote {path}. Edit it, then run: clinic-lint check --show-config .")


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
        raise CommandError([str(p) for p in exc.problems]) from exc


def _with_configured(rules_dirs: list[Path] | None) -> list[Path]:
    """``--rules`` folders plus those the nearest configuration file names (``rules:``), once each,
    so ``rules`` and ``explain`` show a team's own rules without flags."""
    from lint.config import ConfigError, resolve

    try:
        configured = resolve([]).extra_rules
    except ConfigError as exc:
        raise CommandError(str(exc)) from exc
    unique = {p.resolve(): p for p in [*configured, *(rules_dirs or [])]}
    return list(unique.values())


def _print_json(data: object) -> None:
    import json

    print(json.dumps(data, ensure_ascii=False, indent=2))


rules_app = typer.Typer(
    help=(
        "List the rules (id, category, severity, message), or test, document and validate rule "
        "files: 'rules test', 'rules score', 'rules schema', 'rules docs'."
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
        raise CommandError(str(exc)) from exc
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
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="Seconds one rule may spend on one example.",
            min=0.01,
        ),
    ] = 5.0,
    coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="Also note each shape of a concept rule (and each match/when pattern) that no"
            " bad example exercises (never fails).",
        ),
    ] = False,
) -> None:
    """Run every rule's examples: each bad example must fire the rule (exactly on its [[…]] words;
    with its 'fix' in place it must not), each good example must not. Examples with 'todo' are
    known gaps and never fail. Exit 0 (all pass), 1 (an example fails) or 2 (a rule is malformed)."""
    from lint import rules, selftest

    for folder in [*(folders or []), *(fixtures or [])]:
        if not folder.is_dir():
            raise CommandError(f"{folder}: folder not found")
    ruleset = _load_packs(folders, only_extra=True)
    if folders and not len(ruleset):  # a wrong folder must not pass silently
        raise CommandError(f"{', '.join(map(str, folders))}: no rule files (*.yaml) found")
    results = selftest.run_examples(ruleset, timeout=timeout)
    try:
        pages = selftest.run_pages(fixtures or [], folders or [], timeout=timeout)
    except rules.RuleError as exc:
        raise CommandError([str(p) for p in exc.problems]) from exc
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
        summary += f"; {len(untested)} of {total} shapes or patterns not exercised by a bad example"
    print(summary)
    failed = any(r.status is selftest.Status.FAILED for r in results)
    failed = failed or any(not p.passed for p in pages)
    raise typer.Exit(ExitCode.FINDINGS if failed else ExitCode.OK)


class SplitChoice(str, enum.Enum):
    all = "all"
    dev = "dev"
    test = "test"


@rules_app.command("score")
def rules_score(
    corpus: Annotated[
        Path,
        typer.Argument(
            metavar="CORPUS",
            help="A labelled corpus: a .jsonl file of items, or a folder holding corpus.jsonl and/or pages/index.jsonl (see the README's 'Accuracy').",
            show_default=False,
        ),
    ],
    split: Annotated[
        SplitChoice,
        typer.Option("--split", help="Score only the items of this split (the item's 'split')."),
    ] = SplitChoice.all,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ListFormat.text,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Also list every miss and false alarm, with the rules found."
        ),
    ] = False,
    pack: PacksOption = None,
    rules_dirs: RulesOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Score the rules on labelled copy: per category and overall, how many violations get a
    finding (detection), a finding of their own category (category-correct), how many compliant
    items get one (false alarms), and precision; pages labelled for a disclaimer are scored on
    the missing-disclaimer rule. Uses the same packs and configuration as 'check'."""
    from lint import scoring
    from lint.checking import load_ruleset, settings_from
    from lint.config import ConfigError, resolve

    try:
        base = resolve([], isolated=isolated)
        data = scoring.read_corpus(corpus)
    except (ConfigError, scoring.CorpusError) as exc:
        raise CommandError(str(exc)) from exc
    settings = settings_from(pack, rules_dirs, select, ignore, None, base)
    from lint.api import Linter

    ruleset = load_ruleset(settings)
    linter = Linter(ruleset, settings=settings)
    check = scoring.linter_checker(linter)
    result = scoring.score(data, check, split=split.value, learned=ruleset.learned)
    if not result.judged and not result.pages.pages:
        raise CommandError(f"{corpus}: no items in split '{split.value}'")
    if output_format is ListFormat.json:
        _print_json(result.as_json(verbose=verbose))
    else:
        sys.stdout.write(scoring.table(result, verbose=verbose))


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
    rule: Annotated[
        str, typer.Argument(metavar="RULE", help="A rule id, e.g. core/cure.", show_default=False)
    ],
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
        raise CommandError(str(exc)) from exc
    if output_format is ListFormat.json:
        _print_json(catalog.explain_json(found))
    else:
        sys.stdout.write(catalog.explain_text(found))


# -- the learned detector: model train ----------------------------------------------------------

model_app = typer.Typer(
    help=(
        "Train the learned claim detector on labelled copy (needs scikit-learn: "
        "pip install 'clinic-lint[train]'); linting with a trained model never does."
    ),
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(model_app, name="model")


@model_app.command("train")
def model_train(
    corpora: Annotated[
        list[Path],
        typer.Argument(
            metavar="CORPUS...",
            help="Labelled copy in the scorer's format: .jsonl files or folders holding corpus.jsonl; all are trained on together (e.g. your corpus plus background text).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the weights file.",
            show_default=False,
        ),
    ],
    holdout: Annotated[
        str,
        typer.Option(
            "--holdout",
            metavar="SPLIT",
            help="Train without the items of this split, then score the model on it ('none': train on everything).",
        ),
    ] = "test",
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            min=0.01,
            max=0.99,
            help="The probability from which the held-out table counts a sentence as flagged.",
        ),
    ] = 0.5,
) -> None:
    """Train a model (deterministic: the same corpus gives the same file), write it, and score it
    on the held-out split with the scorer's table. Point a rule at it with 'model: FILE'."""
    from lint import learned, scoring

    try:
        data = scoring.Corpus(
            tuple(i for corpus in corpora for i in scoring.read_corpus(corpus).items), ()
        )
    except scoring.CorpusError as exc:
        raise CommandError(str(exc)) from exc
    named = ", ".join(map(str, corpora))
    held = None if holdout == "none" else holdout
    items = [i for i in data.items if i.split != held]
    if held is not None and len(items) == len(data.items):
        raise CommandError(
            f"{named}: no item is in split '{held}' (use --holdout none to train on everything)"
        )
    labels = {i.label for i in items}
    if labels != {"violation", "compliant"}:
        raise CommandError(f"{named}: training needs both violation and compliant items")
    try:
        from lint import training
    except ImportError as exc:
        raise CommandError(
            f"training needs scikit-learn ({exc.name} is missing): pip install 'clinic-lint[train]'"
        ) from exc
    model = training.train(items, holdout=held)
    try:
        model.save(output)
    except OSError as exc:
        raise CommandError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    print(f"Wrote {output}: trained on {len(items)} items, holding out {held or 'nothing'}.")
    if held is None:
        return
    for point in sorted({0.5, 0.6, 0.65, 0.7, threshold}):
        result = scoring.score(data, learned.checker(model, point), split=held)
        figures = result.overall.as_json()
        print(
            f"threshold {point:.2f}: detection {figures['detection']}, category-correct "
            f"{figures['category_correct_rate']}, false alarms {figures['false_alarm_rate']}"
        )
    print()
    sys.stdout.write(
        scoring.table(scoring.score(data, learned.checker(model, threshold), split=held))
    )
