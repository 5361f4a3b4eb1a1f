"""Rule files (YAML) -> validated, compiled Rule objects, with located errors.

Every problem in every file is collected and reported at once, each as one line
``path:LINE: rule 'pack/name': what is wrong`` (yamllint's and Vale's way), then the caller exits 2.
"""

from __future__ import annotations

import os
import re as _re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lint import patterns, phrases
from lint.examples import Example, ExampleError
from lint.examples import parse as parse_example
from lint.findings import SEVERITIES, Severity
from lint.hints import close_matches
from lint.phrases import PhraseIndex

if TYPE_CHECKING:
    import yaml

CATEGORIES = (
    "absolute-safety",
    "cure-claim",
    "guarantee",
    "efficacy-claim",
    "unsupported-evidence",
    "unsupported-statistic",
    "regulatory-claim",
    "unproven-indication",
    "many-diseases",
    "testimonial",
    "before-after",
    "credentials",
    "endorsement",
    "superlative",
    "hype",
    "discourages-care",
    "fear-appeal",
    "urgency-inducement",
    "trial-marketing",
    "missing-disclaimer",
)
SCOPES = ("sentence", "paragraph")
COUNT_SCOPES = ("document", "section", "paragraph", "claim")  # claim: concept rules only
DEFAULT_PACKS = ("core", "pk")
VOCAB_FOLDER = "vocab"
META_KEYS = ("category", "severity", "message", "why", "references", "suggest", "examples")
CONCEPT_KEYS = ("concepts", "scope", "in-order", "report", "confirm")
BODY_KEYS = (
    "match",
    "unless",
    "near",
    "except",
    "count",
    "when",
    "require",
    "model",
    *CONCEPT_KEYS,
)
KEYS = META_KEYS + BODY_KEYS
# ``category`` too, except in a learned rule, whose findings take the category the model names.
REQUIRED = ("severity", "message", "why", "references", "suggest", "examples")


# -- the values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """``unless``: a pattern whose presence near the hit cancels it."""

    pattern: patterns.Pattern
    scope: str = "sentence"
    before: int | None = None
    after: int | None = None


NEAR_SCOPES = ("paragraph", "section", "document")


@dataclass(frozen=True)
class Near:
    """``near``: the hit counts only with one of ``pattern`` close by.

    ``paragraph``: within ``within`` words inside the paragraph; ``section``: anywhere from the
    previous heading to the next (a list item and the lead-in it belongs to); ``document``: anywhere.
    """

    pattern: patterns.Pattern
    within: int = 15
    scope: str = "paragraph"


@dataclass(frozen=True)
class Learned:
    """``model``: a learned claim detector that judges every sentence (``lint.learned``)."""

    path: str  # the weights file, resolved against the rule file's folder
    threshold: float = 0.5
    min_words: int = 4
    # Only sentences where one of these occurs are judged (None: every sentence). The model
    # learned from claim-like copy; a sentence about parking or opening hours is outside
    # what it has seen, and it must not guess there.
    topics: patterns.Pattern | None = None


CONCEPT_SCOPES = (
    "sentence",
    "clause",
    "paragraph",
    "section",
)  # or a window: ``{window: N}`` (words)
CONCEPT_UNLESS_SCOPES = ("clause", "sentence", "paragraph")  # or ``{window: N}`` around it
CONCEPT_NAME = _re.compile(r"[A-Za-z0-9_-]+")
SHAPE_KEYS = ("scope", "in-order", "report")  # a rule's defaults for its shapes, or a shape's own


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass(frozen=True)
class Concept:
    """One concept of a concept rule: a vocabulary by name (``therapies``), or a pattern."""

    name: str  # the vocabulary name, or the pattern as written
    pattern: patterns.Pattern


@dataclass(frozen=True)
class Shape:
    """One claim shape: the concepts that must all occur in one scope (lint.concepts).

    ``scope`` is ``sentence``, ``clause`` or ``window`` (``window`` words from the first hit to
    the last, inside a sentence); ``report`` indexes the concepts whose hits form the span (empty:
    the first hit to the last). One concept alone is a shape too: a phrase that is a claim by
    itself, with the rule's qualifiers scoped around it.
    """

    concepts: tuple[Concept, ...]
    scope: str = "sentence"
    window: int | None = None
    in_order: bool = False
    report: tuple[int, ...] = ()


@dataclass(frozen=True)
class Concepts:
    """``concepts``: a concept rule's shapes (any one makes a claim) and its qualifiers.

    ``unless`` qualifiers cancel a claim in ``unless_scope`` around it; ``reported`` (cues of
    reported speech) cancel it anywhere in its sentence, and a claim quoted inside a sentence is
    cancelled by a qualifier or cue outside the quotation.
    """

    shapes: tuple[Shape, ...]
    unless: patterns.Pattern | None = None
    unless_scope: str = "clause"
    # with unless_scope "window": (words before the claim, words after it)
    unless_window: tuple[int, int] | None = None
    confirm: patterns.Pattern | None = None
    reported: patterns.Pattern | None = None

    @property
    def concepts(self) -> tuple[Concept, ...]:
        """Every concept of every shape, once."""
        return tuple(dict.fromkeys(c for shape in self.shapes for c in shape.concepts))


@dataclass(frozen=True)
class Count:
    distinct: int
    scope: str = "document"


@dataclass(frozen=True)
class Examples:
    """Texts (``[[…]]`` markers removed) and their lines; ``cases`` has the full example forms."""

    bad: tuple[str, ...]
    good: tuple[str, ...]
    bad_lines: tuple[int, ...] = ()
    good_lines: tuple[int, ...] = ()
    cases: tuple[Example, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A loaded rule. ``match`` is set for sentence rules; ``when``/``require`` for document rules."""

    id: str
    pack: str
    category: str
    severity: Severity
    message: str
    why: str
    references: tuple[str, ...]
    suggest: str
    examples: Examples
    source: str
    line: int = 1
    match: patterns.Pattern | None = None
    unless: Condition | None = None
    near: Near | None = None
    exclude: patterns.Pattern | None = None
    count: Count | None = None
    when: patterns.Pattern | None = None
    require: patterns.Pattern | None = None
    model: Learned | None = None
    concepts: Concepts | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # line of every key and list item, e.g. ("match", 2) -> 14, for located notes about the file
    lines: Mapping[tuple[Any, ...], int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def trigger(self) -> patterns.Pattern:
        """The pattern whose hits this rule reports (``match``, or ``when`` for document rules)."""
        return self.match if self.match is not None else self.when

    @property
    def scanned(self) -> list[patterns.Pattern]:
        """The patterns the engine runs over the whole text."""
        found = [p for p in (self.match, self.exclude, self.when, self.require) if p is not None]
        if self.concepts is not None:
            found += [c.pattern for c in self.concepts.concepts]
        return found

    @property
    def local(self) -> list[patterns.Pattern]:
        """The patterns the engine searches only near a hit or in a candidate sentence."""
        found = [c.pattern for c in (self.unless, self.near) if c is not None]
        if self.model is not None and self.model.topics is not None:
            found.append(self.model.topics)
        if self.concepts is not None:
            found += [p for p in (self.concepts.unless, self.concepts.confirm) if p is not None]
        return found

    def with_severity(self, severity: Severity) -> Rule:
        return replace(self, severity=severity)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    vocabularies: Mapping[str, str]  # name -> expanded alternation (engine form)
    packs: tuple[str, ...]
    # The phrase patterns of every rule in one automaton (lint.phrases); None: regexes only.
    phrases: PhraseIndex | None = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    @property
    def learned(self) -> frozenset[str]:
        """The ids of the learned rules (``model:``)."""
        return frozenset(r.id for r in self.rules if r.model is not None)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    rule: str | None
    message: str

    def __str__(self) -> str:
        if not self.path:
            return self.message
        who = f" rule '{self.rule}':" if self.rule else ""
        return f"{relative(self.path)}:{self.line}:{who} {self.message}"


class RuleError(Exception):
    """One or more rule files are malformed; ``problems`` lists them all."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


# -- where rules live ------------------------------------------------------------------------


def shipped_rules_dir() -> Path:
    """The packs inside the installed package, or the repository's ``rules/`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleError([Problem(str(here), 1, None, "the shipped rule packs are missing")])


def available_packs(root: Path | None = None) -> list[str]:
    root = root or shipped_rules_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.name != VOCAB_FOLDER)


def _yaml_files(folder: Path) -> list[Path]:
    """The rule (or vocabulary) files of a folder; hidden files (a `.clinic-lint.yaml` or
    `.pre-commit-config.yaml` beside the rules) are not rules."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file()
    )


def _pack_folders(root: Path, packs: Iterable[str] | None) -> list[tuple[str, Path]]:
    """(pack name, folder) pairs: selected sub-folders, and the root itself if it holds rules."""
    found: list[tuple[str, Path]] = []
    if _yaml_files(root) and root.name != VOCAB_FOLDER:  # `rules test rules/*` names vocab/ too
        found.append((root.name, root))
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        if sub.name == VOCAB_FOLDER or sub.name.startswith((".", "_")):
            continue
        if packs is None or sub.name in packs:
            found.append((sub.name, sub))
    return found


# -- YAML with line numbers ------------------------------------------------------------------


def _parse(path: Path, text: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Safe-load YAML and record the line of every mapping key and list item."""
    import yaml  # here, not at the top: a run served from the rule cache never needs it

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    data = yaml.load(text, Loader=yaml.SafeLoader)
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return data, lines


def _record_lines(
    node: yaml.Node, prefix: tuple[Any, ...], lines: dict[tuple[Any, ...], int]
) -> None:
    import yaml

    lines[prefix] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*prefix, key.value)
            _record_lines(value, path, lines)
            lines[path] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _record_lines(item, (*prefix, i), lines)


def _read_yaml(path: Path, problems: list[Problem], rule: str | None) -> tuple[Any, dict[Any, int]]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        return _parse(path, text)
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), 1, rule, f"not UTF-8 text (byte {exc.start})"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context and exc.context_mark:  # say where the broken part began
            what += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        problems.append(Problem(str(path), line, rule, f"invalid YAML: {what}"))
    except (yaml.YAMLError, RecursionError) as exc:
        problems.append(Problem(str(path), 1, rule, f"invalid YAML: {exc}"))
    except OSError as exc:
        problems.append(Problem(str(path), 1, rule, f"cannot read: {exc.strerror or exc}"))
    return None, {}


# -- vocabularies ----------------------------------------------------------------------------


def _load_vocab_terms(
    folders: Iterable[Path], problems: list[Problem]
) -> dict[str, tuple[Path, int, list[str]]]:
    terms: dict[str, tuple[Path, int, list[str]]] = {}
    for folder in folders:
        for path in _yaml_files(folder):
            data, lines = _read_yaml(path, problems, None)
            if data is None and not lines:
                continue
            name = path.stem
            if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
                problems.append(
                    Problem(str(path), 1, None, f"vocabulary '{name}' needs a 'terms:' list")
                )
                continue
            unknown = set(data) - {"description", "terms"}
            for key in sorted(unknown):
                problems.append(
                    Problem(
                        str(path),
                        lines.get((key,), 1),
                        None,
                        f"unknown key '{key}' in vocabulary '{name}'",
                    )
                )
            good = []
            for i, term in enumerate(data["terms"]):
                if not isinstance(term, str) or not term.strip():
                    problems.append(
                        Problem(
                            str(path),
                            lines.get(("terms", i), 1),
                            None,
                            f"vocabulary '{name}': term {i + 1} must be a non-empty string",
                        )
                    )
                else:
                    good.append(term)
            if name in terms:  # a user vocabulary extends a shipped one of the same name
                _, _, earlier = terms[name]
                good = earlier + good
            terms[name] = (path, lines.get(("terms",), 1), good)
    return terms


def _expand_vocabularies(
    raw: Mapping[str, tuple[Path, int, list[str]]], problems: list[Problem]
) -> dict[str, str]:
    expanded: dict[str, str] = {}

    def visit(name: str, trail: tuple[str, ...]) -> str | None:
        if name in expanded:
            return expanded[name]
        path, line, terms = raw[name]
        if name in trail:
            cycle = " -> ".join((*trail[trail.index(name) :], name))
            problems.append(
                Problem(str(path), line, None, f"vocabulary '{name}' refers to itself: {cycle}")
            )
            return None
        bodies = []
        for term in terms:
            body = patterns.prepare(term)
            for ref in patterns.vocab_names(body):
                if ref not in raw:
                    problems.append(
                        Problem(
                            str(path),
                            line,
                            None,
                            f"vocabulary '{name}': unknown vocabulary '{{{{{ref}}}}}'{_did_you_mean(ref, raw)}",
                        )
                    )
                    return None
                if visit(ref, (*trail, name)) is None:
                    return None
            body = patterns.expand(body, expanded)
            try:
                if phrases.spellings(body) is None:
                    patterns.check(body)
            except patterns.PatternError as exc:
                problems.append(
                    Problem(
                        str(path), line, None, f"vocabulary '{name}': bad pattern {term!r}: {exc}"
                    )
                )
                return None
            bodies.append(body)
        expanded[name] = patterns.alternation(bodies)
        return expanded[name]

    for name in sorted(raw):
        visit(name, ())
    return expanded


# -- rules -----------------------------------------------------------------------------------


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else ""


def _author_position(pattern: str) -> str:
    """Where the author's own pattern breaks; offsets into the expanded engine form would mislead."""
    try:
        patterns.check(pattern)
    except patterns.PatternError as exc:
        return f" at position {exc.position}" if exc.position is not None else ""
    return ""


class _RuleReader:
    """Validates one rule file; every problem is appended, nothing raises."""

    def __init__(
        self,
        path: Path,
        pack: str,
        vocab: Mapping[str, str],
        problems: list[Problem],
        shared: dict[str, patterns.Pattern] | None = None,
    ) -> None:
        self.path = path
        # concept name -> its pattern, one object for every rule of the set: the engine finds
        # a concept's hits once per document, whichever rules name it
        self.shared = shared if shared is not None else {}
        self.pack = pack
        self.id = f"{pack}/{path.stem}"
        self.vocab = vocab
        self.problems = problems
        self.lines: dict[Any, int] = {}
        self.ok = True

    def fail(self, key: tuple[Any, ...], message: str) -> None:
        line = self.lines.get(key) or self.lines.get(key[:1]) or 1
        self.problems.append(Problem(str(self.path), line, self.id, message))
        self.ok = False

    def read(self) -> Rule | None:
        before = len(self.problems)
        data, self.lines = _read_yaml(self.path, self.problems, self.id)
        if len(self.problems) > before:
            return None
        if not isinstance(data, dict):
            kind = "empty" if data is None else f"a {type(data).__name__}, not a mapping"
            self.fail((), f"a rule file must be a mapping of keys; this one is {kind}")
            return None
        for key in data:
            if key not in KEYS:
                self.fail((key,), f"unknown key '{key}'{_did_you_mean(str(key), KEYS)}")
        required = REQUIRED if "model" in data else ("category", *REQUIRED)
        for key in required:
            if key not in data:
                self.fail((), f"missing key '{key}'")
        return self._build(data)

    # scalar fields
    def text(self, data: Mapping[str, Any], key: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str) or (key in data and not value.strip()):
            self.fail((key,), f"'{key}' must be a non-empty string")
            return ""
        return value.strip()

    def choice(
        self,
        data: Mapping[str, Any],
        key: str,
        allowed: Sequence[str],
        *,
        within: tuple[str, ...] = (),
    ) -> str:
        """``data[key]`` if it is one of ``allowed`` (default: the first); ``within`` names the
        section ``data`` sits in, for the message and the line."""
        value = data.get(key)
        if value is None:
            return allowed[0]
        if value not in allowed:
            name = ".".join((*within, key))
            self.fail(
                (*within, key),
                f"'{name}' is {value!r}; expected one of {', '.join(allowed)}{_did_you_mean(str(value), allowed)}",
            )
            return allowed[0]
        return str(value)

    def known_keys(
        self,
        section: str,
        value: Mapping[str, Any],
        allowed: Sequence[str],
        at: tuple[Any, ...] | None = None,
    ) -> None:
        """Report every key of the ``section`` mapping (found at ``at``, default the top-level
        key ``section``) that is not ``allowed``."""
        for key in value:
            if key not in allowed:
                self.fail(
                    (*(at or (section,)), key),
                    f"unknown key '{section}.{key}'{_did_you_mean(str(key), allowed)}",
                )

    def strings(self, value: Any, key: tuple[Any, ...], *, allow_empty: bool = False) -> list[str]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not (items or allow_empty):
            self.fail(
                key, f"'{'.'.join(map(str, key))}' must be a string or a non-empty list of strings"
            )
            return []
        good = []
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                self.fail(
                    (*key, i),
                    f"'{'.'.join(map(str, key))}' item {i + 1} must be a non-empty string",
                )
            else:
                good.append(item)
        return good

    def integer(self, value: Any, key: tuple[Any, ...], minimum: int = 0) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(key, f"'{'.'.join(map(str, key))}' must be a whole number ≥ {minimum}")
            return None
        return value

    def compiled(self, value: Any, key: tuple[Any, ...]) -> patterns.Pattern | None:
        bodies = []
        checked: patterns.Pattern | None = None  # a regex body's compiled form
        for i, pattern in enumerate(self.strings(value, key)):
            item_key = (*key, i) if isinstance(value, list) else key
            body = patterns.prepare(pattern)
            missing = [n for n in patterns.vocab_names(body) if n not in self.vocab]
            for name in missing:
                self.fail(
                    item_key,
                    f"unknown vocabulary '{{{{{name}}}}}'{_did_you_mean(name, self.vocab)}",
                )
            if missing:
                continue
            if "\\b" in pattern.replace("\\\\", ""):
                self.fail(
                    item_key, f"pattern {pattern!r} contains \\b; patterns are word-bounded for you"
                )
                continue
            body = patterns.expand(body, self.vocab)
            spelled = phrases.spellings(body)  # a phrase needs no regex compiled to be checked
            if spelled is None:
                try:
                    checked = patterns.validated(body)
                except patterns.MatchesEmpty:
                    self.fail(item_key, f"pattern {pattern!r} matches the empty string")
                    continue
                except patterns.PatternError as exc:
                    where = _author_position(pattern)
                    self.fail(item_key, f"bad pattern {pattern!r}: {exc}{where}")
                    continue
            elif "" in spelled:
                self.fail(item_key, f"pattern {pattern!r} matches the empty string")
                continue
            bodies.append(body)
        if not bodies or not self.ok:
            return None
        # One body checked by compiling it: that compiled pattern is the rule's (no second parse).
        return patterns.compile_bounded(bodies, checked if len(bodies) == 1 else None)

    # structured fields
    def condition(self, value: Any) -> Condition | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            value = {"patterns": value}
        self.known_keys("unless", value, ("patterns", "scope", "before", "after"))
        if "patterns" not in value:
            self.fail(("unless",), "'unless' needs 'patterns'")
            return None
        pattern = self.compiled(value["patterns"], ("unless", "patterns"))
        scope = self.choice(value, "scope", SCOPES, within=("unless",))
        before = self.integer(value.get("before"), ("unless", "before"))
        after = self.integer(value.get("after"), ("unless", "after"))
        return Condition(pattern, scope, before, after) if pattern is not None else None

    def near(self, value: Any) -> Near | None:
        if value is None:
            return None
        if not isinstance(value, dict) or "patterns" not in value:
            self.fail(("near",), "'near' must be a mapping with 'patterns' (and optional 'within')")
            return None
        self.known_keys("near", value, ("patterns", "within", "scope"))
        pattern = self.compiled(value["patterns"], ("near", "patterns"))
        within = self.integer(value.get("within"), ("near", "within"), 1)
        scope = self.choice(value, "scope", NEAR_SCOPES, within=("near",))
        if within is not None and scope != "paragraph":
            self.fail(
                ("near", "within"),
                "'near.within' counts words inside a paragraph; it goes with scope: paragraph",
            )
        return Near(pattern, within or 15, scope) if pattern is not None else None

    def learned(self, value: Any) -> Learned | None:
        """``model: FILE`` or ``model: {file: FILE, threshold: P, min-words: N}``; the file is
        read here once, so a missing or corrupt one is a located rule error, not a crash."""
        if isinstance(value, str):
            value = {"file": value}
        if not isinstance(value, dict) or not isinstance(value.get("file"), str):
            self.fail(("model",), "'model' must be a file name or a mapping with 'file'")
            return None
        self.known_keys("model", value, ("file", "threshold", "min-words", "topics"))
        threshold = value.get("threshold", 0.5)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            threshold = -1
        if not 0 < threshold < 1:
            self.fail(("model", "threshold"), "'model.threshold' must be a number between 0 and 1")
        min_words = self.integer(value.get("min-words"), ("model", "min-words"), 1)
        path = (self.path.parent / value["file"]).resolve()
        from lint import learned
        from lint.model import ModelError

        try:
            learned.load(str(path))
        except (OSError, ModelError) as exc:
            self.fail(("model", "file"), f"cannot read model file {path}: {exc}")
            return None
        topics = self.compiled(value["topics"], ("model", "topics")) if "topics" in value else None
        return Learned(str(path), float(threshold), min_words or learned.DEFAULT_MIN_WORDS, topics)

    def concept_list(self, value: Any, key: tuple[Any, ...]) -> list[Concept]:
        """A list of concepts: vocabulary names (``therapies``) or patterns (any other text)."""
        found = []
        names = self.strings(value, key)
        for i, item in enumerate(names):
            item_key = (*key, i) if isinstance(value, list) else key
            name = item.strip()
            if CONCEPT_NAME.fullmatch(name):
                if name not in self.vocab:
                    self.fail(
                        item_key,
                        f"unknown concept '{name}': no vocabulary of that name"
                        f"{_did_you_mean(name, self.vocab)} (to match the word itself, write "
                        f"'(?:{name})')",
                    )
                    continue
                if name not in self.shared:
                    self.shared[name] = patterns.compile_bounded([self.vocab[name]])
                found.append(Concept(name, self.shared[name]))
                continue
            pattern = self.compiled(item, item_key)
            if pattern is not None:
                found.append(Concept(name, pattern))
        return found

    def scope(
        self, value: Any, key: tuple[Any, ...], allowed: Sequence[str]
    ) -> tuple[str, int | None]:
        """``sentence``, ``clause`` … or ``{window: N}``: (scope, N or None)."""
        if value is None:
            return allowed[0], None
        if isinstance(value, dict):
            self.known_keys(".".join(map(str, key)), value, ("window",))
            words = self.integer(value.get("window"), (*key, "window"), 1)
            if words is None:
                self.fail(key, f"'{'.'.join(map(str, key))}.window' needs a number of words")
                return allowed[0], None
            return "window", words
        if value not in allowed:
            name = ".".join(map(str, key))
            self.fail(
                key,
                f"'{name}' is {value!r}; expected one of {', '.join(allowed)} or "
                f"{{window: N}}{_did_you_mean(str(value), allowed)}",
            )
            return allowed[0], None
        return str(value), None

    def concepts(self, data: Mapping[str, Any]) -> Concepts | None:
        """The concept body: ``concepts`` (one shape, or a list of shapes), ``scope``,
        ``in-order``, ``report`` (defaults for every shape), ``unless``, ``confirm``
        (docs/rule-format.md)."""
        value = data["concepts"]
        several = isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value)
        items = value if several else [value]
        defaults = {k: data[k] for k in SHAPE_KEYS if k in data}
        shapes = []
        for i, item in enumerate(items):
            key = ("concepts", i) if several else ("concepts",)
            if isinstance(item, dict):
                self.known_keys(".".join(map(str, key)), item, ("concepts", *SHAPE_KEYS), key)
                if "concepts" not in item:
                    self.fail(key, "a shape needs 'concepts'")
                    continue
                shape = self.shape(item["concepts"], (*key, "concepts"), {**defaults, **item})
                if shape is not None and "report" in item:  # its own report: of its concepts
                    own = {c.name for c in shape.concepts}
                    self.report_names(item["report"], own, (*key, "report"), "shape's")
            else:
                shape = self.shape(item, key, defaults)
            if shape is not None:
                shapes.append(shape)
        self.report_names(
            data.get("report"), {c.name for s in shapes for c in s.concepts}, ("report",)
        )
        unless, u_scope, u_window = self.concept_unless(data.get("unless"))
        reported = self.concept_reported(data.get("unless"))
        confirm = self.compiled(data["confirm"], ("confirm",)) if "confirm" in data else None
        if not self.ok or not shapes:
            return None
        return Concepts(tuple(shapes), unless, u_scope, u_window, confirm, reported)

    def report_names(
        self, value: Any, named: set[str], where: tuple[Any, ...], whose: str = "rule's"
    ) -> None:
        """Report every name in ``report`` (``value``) that is not one of ``named``."""
        for name in sorted({str(n).strip() for n in _as_list(value)} - named):
            self.fail(
                where,
                f"'report' names '{name}', which is not one of the {whose} concepts "
                f"({', '.join(sorted(named))}){_did_you_mean(name, named)}",
            )

    def shape(self, value: Any, key: tuple[Any, ...], options: Mapping[str, Any]) -> Shape | None:
        """One shape: its concepts and its ``scope``, ``in-order`` and ``report``."""
        found = self.concept_list(value, key)
        scope, window = self.scope(options.get("scope"), ("scope",), CONCEPT_SCOPES)
        in_order = options.get("in-order", False)
        if not isinstance(in_order, bool):
            self.fail(("in-order",), "'in-order' must be true or false")
            in_order = False
        wanted = {str(n).strip() for n in _as_list(options.get("report"))}
        report = tuple(i for i, c in enumerate(found) if c.name in wanted)
        return Shape(tuple(found), scope, window, in_order, report) if found else None

    def concept_unless(
        self, value: Any
    ) -> tuple[patterns.Pattern | None, str, tuple[int, int] | None]:
        """``unless`` of a concept rule: concepts (or patterns) and the scope they govern."""
        if value is None:
            return None, "clause", None
        if not isinstance(value, dict):
            value = {"concepts": value}
        self.known_keys("unless", value, ("concepts", "scope", "reported"))
        if "concepts" not in value:
            self.fail(("unless",), "'unless' of a concept rule needs 'concepts'")
            return None, "clause", None
        qualifiers = self.concept_list(value["concepts"], ("unless", "concepts"))
        scope, window = self.unless_scope(value.get("scope"))
        if not qualifiers:
            return None, scope, window
        key = "unless:" + "\x1f".join(q.name for q in qualifiers)
        if key not in self.shared:
            bodies = [b for q in qualifiers for b in q.pattern.bodies]
            self.shared[key] = patterns.compile_bounded(bodies)
        return self.shared[key], scope, window

    def unless_scope(self, value: Any) -> tuple[str, tuple[int, int] | None]:
        """The scope of a concept rule's qualifiers: ``clause`` … or a window of words around
        the claim, ``{window: N}`` (either side) or ``{before: N, after: M}`` (one side, or
        each its own)."""
        key = ("unless", "scope")
        if not (isinstance(value, dict) and ("before" in value or "after" in value)):
            scope, words = self.scope(value, key, CONCEPT_UNLESS_SCOPES)
            return scope, (words, words) if words is not None else None
        self.known_keys("unless.scope", value, ("before", "after"))
        sides = [self.integer(value.get(side), (*key, side), 0) for side in ("before", "after")]
        return "window", (sides[0] or 0, sides[1] or 0)

    def concept_reported(self, value: Any) -> patterns.Pattern | None:
        """``unless.reported`` of a concept rule: cues of reported speech, which govern the
        claim's whole sentence (and the words around a quoted claim)."""
        if not isinstance(value, dict) or "reported" not in value:
            return None
        cues = self.concept_list(value["reported"], ("unless", "reported"))
        if not cues:
            return None
        key = "reported:" + "\x1f".join(q.name for q in cues)
        if key not in self.shared:
            self.shared[key] = patterns.compile_bounded([b for q in cues for b in q.pattern.bodies])
        return self.shared[key]

    def count(self, value: Any) -> Count | None:
        if value is None:
            return None
        if not isinstance(value, dict) or "distinct" not in value:
            self.fail(
                ("count",), "'count' must be a mapping with 'distinct' (and optional 'scope')"
            )
            return None
        self.known_keys("count", value, ("distinct", "scope"))
        distinct = self.integer(value.get("distinct"), ("count", "distinct"), 2)
        scope = self.choice(value, "scope", COUNT_SCOPES, within=("count",))
        return Count(distinct, scope) if distinct else None

    def examples(self, value: Any) -> Examples:
        if not isinstance(value, dict):
            self.fail(("examples",), "'examples' must be a mapping with 'bad' and 'good' lists")
            return Examples((), ())
        self.known_keys("examples", value, ("bad", "good"))
        cases: list[Example] = []
        for kind in ("bad", "good"):
            if kind not in value:
                self.fail(
                    ("examples",),
                    f"missing 'examples.{kind}': every rule needs examples that must {'fire' if kind == 'bad' else 'stay silent'}",
                )
                continue
            found = self.example_list(value[kind], kind)
            if found and all(c.todo is not None for c in found):
                self.fail(
                    ("examples", kind),
                    f"every 'examples.{kind}' item is a known gap ('todo'); at least one must pass",
                )
            cases.extend(found)
        bad = [c for c in cases if c.kind == "bad"]
        good = [c for c in cases if c.kind == "good"]
        return Examples(
            tuple(c.text for c in bad),
            tuple(c.text for c in good),
            tuple(c.line for c in bad),
            tuple(c.line for c in good),
            tuple(cases),
        )

    def example_list(self, value: Any, kind: str) -> list[Example]:
        """``examples.bad``/``good``: one example or a non-empty list (strings or mappings)."""
        key: tuple[Any, ...] = ("examples", kind)
        items = value if isinstance(value, list) else [value]
        if not items or value is None:
            self.fail(key, f"'examples.{kind}' must be a non-empty list of examples")
            return []
        found = []
        for i, item in enumerate(items):
            item_key = (*key, i) if isinstance(value, list) else key
            line = self.lines.get(item_key) or self.lines.get(key) or 1
            try:
                found.append(parse_example(item, kind, line))
            except ExampleError as exc:
                self.fail(item_key, f"'examples.{kind}' item {i + 1}: {exc}")
        return found

    def _build(self, data: Mapping[str, Any]) -> Rule | None:
        has_match, has_when = "match" in data, "when" in data or "require" in data
        has_model, has_concepts = "model" in data, "concepts" in data
        if has_match + has_when + has_model + has_concepts != 1:
            self.fail(
                (),
                "a rule needs exactly one body: 'match' (sentence rule), 'when' + 'require' "
                "(document rule), 'model' (learned rule) or 'concepts' (concept rule)",
            )
        if has_concepts:
            if "near" in data:
                self.fail(("near",), "'near' does not go with 'concepts' (a concept rule)")
        else:
            for key in CONCEPT_KEYS[1:]:
                if key in data:
                    self.fail((key,), f"'{key}' goes with 'concepts' (a concept rule)")
        if has_model:
            for key in ("near", "except", "count"):
                if key in data:
                    self.fail((key,), f"'{key}' does not go with 'model' (a learned rule)")
        if has_when and not ("when" in data and "require" in data):
            self.fail(
                ("when" if "when" in data else "require",),
                "a document rule needs both 'when' and 'require'",
            )
        if "count" in data and not (has_match or has_concepts):
            self.fail(("count",), "'count' goes with 'match' or 'concepts'")
        count = data.get("count")
        if has_match and isinstance(count, dict) and count.get("scope") == "claim":
            self.fail(("count", "scope"), "'count.scope: claim' goes with 'concepts'")
        category = self.choice(data, "category", CATEGORIES) if "category" in data else ""
        severity = self.choice(data, "severity", SEVERITIES) if "severity" in data else "warning"
        references = (
            self.strings(data.get("references", []), ("references",))
            if "references" in data
            else []
        )
        rule = Rule(
            id=self.id,
            pack=self.pack,
            category=category,
            severity=Severity(severity),
            message=self.text(data, "message"),
            why=self.text(data, "why"),
            references=tuple(references),
            suggest=self.text(data, "suggest"),
            examples=self.examples(data.get("examples")),
            source=str(self.path),
            line=1,
            match=self.compiled(data["match"], ("match",)) if has_match else None,
            unless=None if has_concepts else self.condition(data.get("unless")),
            near=self.near(data.get("near")),
            exclude=self.compiled(data["except"], ("except",)) if "except" in data else None,
            count=self.count(data.get("count")),
            when=self.compiled(data["when"], ("when",)) if "when" in data else None,
            require=self.compiled(data["require"], ("require",)) if "require" in data else None,
            model=self.learned(data["model"]) if has_model else None,
            concepts=self.concepts(data) if has_concepts else None,
            raw=dict(data),
            lines=dict(self.lines),
        )
        return rule if self.ok else None


def load(
    extra: Sequence[Path] = (),
    packs: Sequence[str] | None = DEFAULT_PACKS,
    *,
    shipped: bool = True,
    details: bool = True,
    building: Callable[[], None] | None = None,
) -> RuleSet:
    """Load the selected shipped packs plus every pack in the ``extra`` folders.

    ``building`` is called when the set is not in the cache and must be compiled (seconds for the
    shipped packs), so a command line can say why it is quiet.

    ``packs=None`` loads every shipped pack. Raises RuleError listing every problem found.
    A loaded set is cached on disk (lint.cache) and served from there while its inputs hold.
    ``details=False``: served from the cache, rules may lack what only the rule catalog and the
    self-test read (``raw``, ``lines``, ``examples``), as a check does not need them.
    """
    from lint import cache

    folders = ([shipped_rules_dir()] if shipped else []) + [f for f in extra if f.is_dir()]
    cache_key = cache.key(folders, packs, [str(f) for f in extra], shipped)
    cached = cache.load(cache_key)
    if cached is not None and isinstance(cached[0], RuleSet):
        light, kept = cached
        return _with_details(light, kept) if details else light
    if building is not None:
        building()
    problems: list[Problem] = []
    roots: list[tuple[Path, Iterable[str] | None]] = []
    if shipped:
        root = shipped_rules_dir()
        if packs is not None:
            known = available_packs(root)
            # a pack of a --rules folder may be named too ("--pack mine"): those folders load
            # whole as ever, the shipped packs load as named
            theirs = [name for f in extra if f.is_dir() for name, _ in _pack_folders(f, None)]
            for name in packs:
                if name not in known and name not in theirs:
                    choices = [*known, *theirs]
                    problems.append(
                        Problem(  # a usage problem, not the shipped folder's: no file to blame
                            "",
                            0,
                            None,
                            f"unknown rule pack '{name}' (available: {', '.join(choices)}){_did_you_mean(name, choices)}",
                        )
                    )
            packs = [name for name in packs if name in known]
        roots.append((root, packs))
    for folder in extra:
        if not folder.is_dir():
            problems.append(Problem(str(folder), 1, None, "rule folder not found"))
            continue
        roots.append((folder, None))
    vocab_folders = [r / VOCAB_FOLDER for r, _ in roots if (r / VOCAB_FOLDER).is_dir()]
    vocab_folders += [r for r, _ in roots if r.name == VOCAB_FOLDER and r not in vocab_folders]
    vocab = _expand_vocabularies(_load_vocab_terms(vocab_folders, problems), problems)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    shared: dict[str, patterns.Pattern] = {}
    for root, selection in roots:
        for pack, folder in _pack_folders(root, selection):
            for path in _yaml_files(folder):
                rule = _RuleReader(path, pack, vocab, problems, shared).read()
                if rule is None:
                    continue
                if rule.id in seen:
                    problems.append(
                        Problem(str(path), 1, rule.id, f"duplicate rule id (also {seen[rule.id]})")
                    )
                    continue
                seen[rule.id] = str(path)
                rules.append(rule)
    if problems:
        raise RuleError(problems)
    names = tuple(dict.fromkeys(r.pack for r in rules))
    index = PhraseIndex(p for r in rules for p in r.scanned)
    ruleset = RuleSet(tuple(rules), vocab, names, index)
    if cache.directory() is None:
        return ruleset
    for pattern in _phrases_only(ruleset):  # found by the phrase automaton: no regex needed
        pattern.keep_compiled = False
    light = RuleSet(tuple(_without_details(r) for r in rules), vocab, names, index)
    cache.store(cache_key, light, [(r.raw, r.lines, r.examples) for r in rules])
    return ruleset


def _phrases_only(ruleset: RuleSet) -> list[patterns.Pattern]:
    """The patterns a run finds only through the phrase automaton, never by their regex."""
    index = ruleset.phrases
    if index is None:
        return []
    local = {id(p) for rule in ruleset for p in rule.local}
    return [p for rule in ruleset for p in rule.scanned if index.covers(p) and id(p) not in local]


# A rule's details: what only the rule catalog and the self-test read. The rule cache keeps them
# as a pickle of their own, so a check does not rebuild them (~2 ms of a start with every pack).
_NO_EXAMPLES = Examples((), ())


def _without_details(rule: Rule) -> Rule:
    return replace(rule, raw={}, lines={}, examples=_NO_EXAMPLES)


def _with_details(light: RuleSet, kept: bytes) -> RuleSet:
    import pickle

    details = pickle.loads(kept)
    rules = tuple(
        replace(rule, raw=raw, lines=lines, examples=examples)
        for rule, (raw, lines, examples) in zip(light.rules, details, strict=True)
    )
    return replace(light, rules=rules)


def relative(path: str) -> str:
    """A rule file path as users like to read it: relative to the working directory if inside."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel
