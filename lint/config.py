"""Settings for a run, and rule selection (``--select`` / ``--ignore``: ids, prefixes, packs,
categories). Configuration files are found and read here too: the nearest ``.clinic-lint.yaml``
or ``[tool.clinic-lint]`` table (``resolve``), validated key by key with located errors; options
on the command line then replace its values (``Settings.merged``)."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn

from lint.findings import SEVERITIES, Severity
from lint.hints import close_matches
from lint.rules import CATEGORIES, DEFAULT_PACKS, Rule, RuleSet

DEFAULT_MAX_FILE_MB = 20.0  # MB = 10**6 bytes; the largest real pages are a few MB of HTML


class ConfigError(Exception):
    """A usage or configuration problem: reported as one line, exit code 2."""


@dataclass(frozen=True)
class Settings:
    """Everything that decides what a run checks and how strictly."""

    packs: tuple[str, ...] = DEFAULT_PACKS
    extra_rules: tuple[Path, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    # From a configuration file (see ``resolve``/``load_file``); globs are relative to ``root``.
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    vocabulary: Path | None = None
    # Files larger than this are skipped with a note (0: no limit): a data dump or an export
    # with inline images is not copy, and would hold a run for minutes.
    max_file_size: float = DEFAULT_MAX_FILE_MB
    root: Path | None = None  # the configuration file's folder (None: the working directory)
    source: Path | None = None  # the configuration file these settings came from
    # key -> "file:line", so a bad token from a file is reported where it stands
    origin: dict[str, str] = field(default_factory=dict, compare=False)

    def merged(self, **overrides: Any) -> Settings:
        """These settings with every override that is not None (command-line wins)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        origin = {k: v for k, v in self.origin.items() if k not in given}
        return replace(self, **given, origin=origin)

    def relative(self, path: str) -> str:
        """``path`` relative to the configuration's folder, with ``/`` separators, for globs."""
        return _relative_to(Path(path), self.root or Path.cwd())

    def selects_file(self, path: str) -> bool:
        """Whether ``include``/``exclude`` keep ``path`` (include empty: every lintable file)."""
        return Selection(self).skip_reason(path) is None

    def ignored_for(self, path: str) -> tuple[str, ...]:
        """The rule tokens ``per-file-ignores`` drops for ``path``."""
        rel = self.relative(path)
        return tuple(
            t for glob, tokens in self.per_file_ignores if glob_matches(glob, rel) for t in tokens
        )


@dataclass(frozen=True)
class Glob:
    """One include or exclude glob, the folder it is relative to and where it was written."""

    pattern: str
    base: Path
    origin: str  # "--include", or "FILE: include" for a configuration's

    def matches(self, path: str) -> bool:
        return glob_matches(self.pattern, _relative_to(Path(path), self.base))

    def __str__(self) -> str:
        return f"{self.origin} '{self.pattern}'"


class Selection:
    """Which files ``include``/``exclude`` keep: the configuration's globs (relative to its
    folder) and the command line's (relative to the current folder). It remembers which globs
    matched a file, so a walk they leave empty can say which one matched nothing."""

    def __init__(
        self, settings: Settings, include: Sequence[str] = (), exclude: Sequence[str] = ()
    ) -> None:
        where = f"{_where(settings.source)} " if settings.source else ""
        root = settings.root or Path.cwd()
        self.include = [Glob(g, root, f"{where}include") for g in settings.include]
        self.include += [Glob(g, Path.cwd(), "--include") for g in include]
        self.exclude = [Glob(g, root, f"{where}exclude") for g in settings.exclude]
        self.exclude += [Glob(g, Path.cwd(), "--exclude") for g in exclude]
        self.seen = 0  # files offered to ``keeps``
        self.kept = 0
        self.matched: set[Glob] = set()

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude)

    def skip_reason(self, path: str) -> str | None:
        """Why ``path`` is not selected ("not in …" / "excluded by …"), or None: it is."""
        hits = [g for g in self.include if g.matches(path)]
        self.matched.update(hits)
        if self.include and not hits:
            return "not matched by " + " or ".join(map(str, self.include))
        excluded = next((g for g in self.exclude if g.matches(path)), None)
        if excluded is not None:
            self.matched.add(excluded)
            return f"excluded by {excluded}"
        return None

    def keeps(self, path: str) -> bool:
        """Whether a walked file is selected (counted, for ``emptied``)."""
        self.seen += 1
        kept = self.skip_reason(path) is None
        self.kept += kept
        return kept

    def emptied(self) -> str | None:
        """When the globs left none of the walked files: which of them matched nothing."""
        if not self.seen or self.kept:
            return None
        unmatched = [g for g in self.include if g not in self.matched]
        if self.include and len(unmatched) == len(self.include):
            return " or ".join(map(str, unmatched)) + " matched no file"
        used = [g for g in self.exclude if g in self.matched]
        return f"{', '.join(map(str, used))} excluded every file"


def split_tokens(values: Sequence[str]) -> tuple[str, ...]:
    """``--select a,b --select c`` -> ('a', 'b', 'c')."""
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def _token_matches(token: str, rule: Rule) -> bool:
    if token in (rule.id, rule.category, rule.pack):
        return True
    if rule.model is not None and token in CATEGORIES:
        return True  # a learned rule may name any category: its findings are sorted later
    return rule.id.startswith(token)  # "core/", "core/no-"


def _names_rule(token: str, rule: Rule) -> bool:
    """Whether ``token`` names the rule itself (id, prefix or pack), not one of its categories."""
    return token in (rule.id, rule.pack) or rule.id.startswith(token)


def learned_keeps(settings: Settings, rule: Rule, category: str) -> bool:
    """Whether a learned rule's finding of ``category`` survives ``--select``/``--ignore``:
    a category token applies to each finding, since the rule as a whole has no one category."""
    if category in settings.ignore and not any(_names_rule(t, rule) for t in settings.select):
        return False
    if not settings.select or any(_names_rule(t, rule) for t in settings.select):
        return True
    return category in settings.select


def _check_tokens(
    tokens: Sequence[str], ruleset: RuleSet, option: str, settings: Settings | None = None
) -> None:
    from lint.suppress import META_RULES  # the built-in suppression checks can be ignored too

    for token in tokens:
        if token in CATEGORIES or any(_token_matches(token, r) for r in ruleset):
            continue
        if any(m.startswith(token) for m in META_RULES):
            continue
        choices = [r.id for r in ruleset] + list(CATEGORIES) + list(ruleset.packs)
        close = close_matches(token, choices, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        key = option.lstrip("-")
        where = settings.origin.get(key) if settings else None
        what = f"{where}: {key}" if where else option
        raise ConfigError(f"{what} '{token}' matches no rule id, pack or category{hint}")


def _severity_override(rule: Rule, overrides: dict[str, Severity]) -> Severity | None:
    """The override for ``rule``: its exact id wins over a prefix or pack, which wins over a category."""
    if rule.id in overrides:
        return overrides[rule.id]
    prefixes = [t for t in overrides if t != rule.category and _token_matches(t, rule)]
    if prefixes:
        return overrides[max(prefixes, key=len)]
    return overrides.get(rule.category)


def select_rules(ruleset: RuleSet, settings: Settings) -> RuleSet:
    """The rules ``select`` keeps (all when empty) minus those ``ignore`` drops, with overrides."""
    _check_tokens(settings.select, ruleset, "--select", settings)
    _check_tokens(settings.ignore, ruleset, "--ignore", settings)
    _check_tokens(tuple(settings.severity), ruleset, "severity", settings)
    per_file = tuple(t for _, tokens in settings.per_file_ignores for t in tokens)
    _check_tokens(per_file, ruleset, "per-file-ignores", settings)
    kept = []
    for rule in ruleset:
        if settings.select and not any(_token_matches(t, rule) for t in settings.select):
            continue
        if any(
            _names_rule(t, rule) if rule.model else _token_matches(t, rule) for t in settings.ignore
        ):
            continue
        override = _severity_override(rule, settings.severity)
        kept.append(rule.with_severity(override) if override else rule)
    return RuleSet(tuple(kept), ruleset.vocabularies, ruleset.packs, ruleset.phrases)


# -- configuration files ---------------------------------------------------------------------

CONFIG_FILES = (".clinic-lint.yaml", ".clinic-lint.yml", "pyproject.toml")  # in this order
TOML_TABLE = "tool.clinic-lint"
KEYS = (
    "packs",
    "rules",
    "select",
    "ignore",
    "severity",
    "include",
    "exclude",
    "per-file-ignores",
    "fail-on",
    "vocabulary",
    "max-file-size",
)


def glob_matches(glob: str, rel: str) -> bool:
    """gitignore-like: ``*`` stays within a folder, ``**`` crosses folders, a glob without ``/``
    matches at any depth, a match on a folder covers everything under it."""
    return _glob_regex(glob).match(rel) is not None


@functools.lru_cache(maxsize=256)
def _glob_regex(glob: str) -> re.Pattern[str]:
    text = glob.strip()
    anchored = "/" in text.rstrip("/")
    text = text.strip("/")
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            i += 2
        elif text[i] == "*":
            out.append("[^/]*")
            i += 1
        elif text[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(text[i]))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"^{prefix}{''.join(out)}(?:/.*)?$")


def _relative_to(path: Path, root: Path) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    except ValueError:  # another drive on Windows
        rel = str(path)
    return rel.replace(os.sep, "/")


def _mentions_table(path: Path) -> bool:
    try:
        return f"[{TOML_TABLE}" in path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def find_config(start: Path) -> Path | None:
    """The nearest configuration file in ``start`` or a folder above it (None: there is none).

    A ``pyproject.toml`` counts only if it has a ``[tool.clinic-lint]`` table, as with ruff.
    """
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _mentions_table(candidate)):
                return candidate
    return None


def start_folder(paths: Sequence[str]) -> Path:
    """Where discovery starts: the deepest folder holding every linted path (else the cwd)."""
    folders = []
    for given in paths:
        full = os.path.abspath(given)
        folders.append(full if os.path.isdir(full) else os.path.dirname(full))
    if not folders:
        return Path.cwd()
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # paths on different drives
        return Path.cwd()


def resolve(
    paths: Sequence[str], config: Path | None = None, *, isolated: bool = False
) -> Settings:
    """The settings for a run: ``--isolated`` -> defaults; ``--config FILE``; else the nearest file."""
    if isolated:
        return Settings()
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"{config}: configuration file not found")
        return load_file(config)
    found = find_config(start_folder(paths))
    return load_file(found) if found else Settings()


def _where(path: Path) -> str:
    from lint.rules import relative

    return relative(str(path))


def load_file(path: Path) -> Settings:
    """Read one configuration file (``.clinic-lint.yaml`` or ``pyproject.toml``) into Settings."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from a Windows editor is fine
    except OSError as exc:
        raise ConfigError(f"{_where(path)}:1: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{_where(path)}:1: not UTF-8 text (byte {exc.start})") from None
    if path.suffix == ".toml":
        data, lines = _read_toml(path, text)
    else:
        data, lines = _read_yaml(path, text)
    return _ConfigReader(path, lines).settings(data)


def _read_yaml(path: Path, text: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    from lint import cache

    cached = cache.load_config(text)
    if isinstance(cached, dict) and "data" in cached:
        return cached["data"], {tuple(row[:-1]): row[-1] for row in cached["lines"]}
    data, lines = _parse_yaml(path, text)
    cache.store_config(text, {"data": data, "lines": [[*k, v] for k, v in lines.items()]})
    return data, lines


def _parse_yaml(path: Path, text: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    import yaml  # lazily: a run without a configuration file (or with a cached one) never needs it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()  # parsed once: the nodes give lines, then the data
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ConfigError(f"{_where(path)}:{line}: invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{_where(path)}:1: invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(str(key.value),)] = key.start_mark.line + 1
            if isinstance(value, yaml.MappingNode):
                for sub, _ in value.value:
                    lines[(str(key.value), str(sub.value))] = sub.start_mark.line + 1
    return ({} if data is None else data), lines


TOML_HEADER = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
TOML_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def _read_toml(path: Path, text: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _toml_error_line(str(exc))
        raise ConfigError(f"{_where(path)}:{line}: invalid TOML: {exc}") from None
    tool = data.get("tool", {})
    table = tool.get("clinic-lint", {}) if isinstance(tool, dict) else {}
    # tomllib keeps no positions: find each key's line by scanning the table's own lines.
    lines: dict[tuple[str, ...], int] = {}
    section: tuple[str, ...] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        header = TOML_HEADER.match(line)
        if header:
            name = header.group(1).replace('"', "")
            if name == TOML_TABLE:
                section = ()
                lines.setdefault(("[table]",), number)
            elif name.startswith(TOML_TABLE + "."):
                section = (name[len(TOML_TABLE) + 1 :],)
                lines.setdefault(section, number)
            else:
                section = None
            continue
        key = TOML_KEY.match(line)
        if section is not None and key:
            lines.setdefault((*section, key.group(1).strip("\"'")), number)
    return table, lines


def _toml_error_line(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 1


class _ConfigReader:
    """Validates a configuration table key by key; every error names the file and line."""

    def __init__(self, path: Path, lines: dict[tuple[str, ...], int]) -> None:
        self.path = path
        self.lines = lines
        self.root = Path(os.path.abspath(path)).parent

    def line(self, *key: str) -> int:
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get(("[table]",), 1)

    def fail(self, key: tuple[str, ...], message: str) -> NoReturn:
        raise ConfigError(f"{_where(self.path)}:{self.line(*key)}: {message}")

    def strings(self, key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            return split_tokens([value])
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return split_tokens(value)
        self.fail((key,), f"'{key}' must be a string or a list of strings")

    def severity(self, key: tuple[str, ...], value: Any) -> Severity:
        if value not in SEVERITIES:
            self.fail(key, f"'{key[-1]}' must be one of {', '.join(SEVERITIES)}, not {value!r}")
        return Severity(value)

    def mapping(self, key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail((key,), f"'{key}' must be a mapping")
        return value

    def file(self, key: str, value: Any) -> Path:
        if not isinstance(value, str) or not value:
            self.fail((key,), f"'{key}' must be a path")
        full = self.root / value
        if not full.exists():
            self.fail((key,), f"'{key}': {value} not found (paths are relative to this file)")
        return full

    def settings(self, data: Any) -> Settings:
        if not isinstance(data, dict):
            self.fail((), "the configuration must be a mapping of keys to values")
        for key in data:
            if key not in KEYS:
                close = close_matches(str(key), KEYS, n=1)
                hint = f" — did you mean '{close[0]}'?" if close else ""
                self.fail((str(key),), f"unknown key '{key}'{hint}")
        values: dict[str, Any] = {}
        origin: dict[str, str] = {}
        for key, value in data.items():
            origin[key] = f"{_where(self.path)}:{self.line(key)}"
            values.update(self.value(key, value))
        return Settings(**values, root=self.root, source=self.path, origin=origin)

    def value(self, key: str, value: Any) -> dict[str, Any]:
        if key in ("packs", "select", "ignore", "include", "exclude"):
            return {key: self.strings(key, value)}
        if key == "rules":
            return {"extra_rules": tuple(self.file(key, v) for v in self.strings(key, value))}
        if key == "fail-on":
            return {"fail_on": self.severity((key,), value)}
        if key == "vocabulary":
            return {"vocabulary": self.file(key, value)}
        if key == "max-file-size":
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                self.fail((key,), f"'{key}' must be a number of megabytes (0: no limit)")
            return {"max_file_size": float(value)}
        if key == "severity":
            table = self.mapping(key, value)
            return {"severity": {str(k): self.severity((key, str(k)), v) for k, v in table.items()}}
        table = self.mapping(key, value)  # per-file-ignores
        return {
            "per_file_ignores": tuple(
                (str(glob), self.strings(key, tokens)) for glob, tokens in table.items()
            )
        }


def show(settings: Settings) -> str:
    """The resolved configuration, as YAML a user could paste into ``.clinic-lint.yaml``."""
    import yaml

    where = _where(settings.source) if settings.source else "none (defaults)"
    data = {
        "packs": list(settings.packs),
        "rules": [str(p) for p in settings.extra_rules],
        "select": list(settings.select),
        "ignore": list(settings.ignore),
        "severity": {k: v.value for k, v in settings.severity.items()},
        "include": list(settings.include),
        "exclude": list(settings.exclude),
        "per-file-ignores": {g: list(t) for g, t in settings.per_file_ignores},
        "fail-on": settings.fail_on.value,
        "vocabulary": str(settings.vocabulary) if settings.vocabulary else None,
        "max-file-size": settings.max_file_size,
    }
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None)
    return f"# configuration file: {where}\n{body}"


def allowed_terms(settings: Settings) -> Any:
    """The ``vocabulary`` file as one compiled pattern (None without one).

    One term per line, ``#`` starts a comment; terms are literal text (case-insensitive, any run
    of white space matches a space), so a clinic or product name needs no regex escaping.
    """
    if settings.vocabulary is None:
        return None
    from lint import patterns

    try:
        text = settings.vocabulary.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"{_where(settings.vocabulary)}:1: cannot read: {exc.strerror or exc}"
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{_where(settings.vocabulary)}:1: not UTF-8 text (byte {exc.start})"
        ) from None
    bodies = []
    for raw in text.splitlines():
        term = raw.split(" #", 1)[0].strip()
        if term and not term.startswith("#"):
            bodies.append(patterns.prepare(" ".join(re.escape(w) for w in term.split())))
    return patterns.compile_bounded(bodies) if bodies else None


STARTER = """\
# clinic-lint configuration (README, "Configuration"). Paths and globs are relative to
# this file. `clinic-lint check --show-config .` prints what a run resolves.

# Rule packs: core (everywhere) plus one per jurisdiction: pk, us, uk, au, ads.
packs: [core, pk]

# Folders of your own rules, used beside the packs.
# rules: [lint-rules]

# Only these rules / never these rules: ids, prefixes (core/), packs or categories.
# select: [core, pk]
# ignore: [hype]

# Severity per rule id, prefix, pack or category.
# severity:
#   superlative: warning

# Which files to lint (gitignore-like globs).
# include: ["site/**"]
exclude: ["node_modules", "vendor/**"]

# Rules to skip in some files.
# per-file-ignores:
#   "blog/archive/**": [testimonial]

# Exit 1 when a finding has at least this severity: error, warning or info.
fail-on: error

# A file of allowed terms (clinic and product names), one per line, never reported.
# vocabulary: allowed-terms.txt

# Skip (with a note) files larger than this many megabytes; 0 lints every file.
# max-file-size: 20
"""


def write_starter(path: Path) -> None:
    """``clinic-lint init``: write the commented starter file; never overwrite one."""
    try:
        with path.open("x", encoding="utf-8") as stream:
            stream.write(STARTER)
    except FileExistsError:
        raise ConfigError(f"{path}: already exists; not overwritten") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write: {exc.strerror or exc}") from None
