"""Scoring a rule set against labelled real copy: how much of what clinics really publish the
rules find, and how often they raise an alarm on honest text.

The corpus is JSON Lines, one labelled sentence or short passage per line (``read_corpus``), plus
an optional folder of labelled whole pages for the document-level rules (a missing disclaimer).
The flow: read -> choose a split -> judge every item with a ``Checker`` (text -> findings) ->
tally by category -> print. The checker is any function, so the same table measures the rule
packs, the learned detector, or both together.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lint.rules import CATEGORIES

if TYPE_CHECKING:
    from lint.api import Linter

AMBIGUOUS_MARK = "AMBIGUOUS:"
DOCUMENT_CATEGORY = "missing-disclaimer"  # the page-level category the pages folder is labelled for
LABELS = ("violation", "compliant")
CORPUS_FILE = "corpus.jsonl"
PAGES_INDEX = Path("pages") / "index.jsonl"

# A finding as the scorer sees it: (rule id, category).
Hit = tuple[str, str]
Checker = Callable[[str], Sequence[Hit]]


class CorpusError(Exception):
    """A corpus that cannot be read: one line, ``file:line: what is wrong`` (exit code 2)."""


@dataclass(frozen=True)
class Item:
    """One labelled sentence or passage."""

    id: str
    text: str
    label: str
    categories: tuple[str, ...]
    site: str = ""
    split: str = ""
    ambiguous: bool = False

    @property
    def violation(self) -> bool:
        return self.label == "violation"


@dataclass(frozen=True)
class Page:
    """One labelled page: does it promote a cell or regenerative treatment, does it carry a
    disclaimer. A missing-disclaimer finding is due exactly when it promotes and has none."""

    id: str
    text: str
    promotes: bool
    disclaimer: bool
    split: str = ""

    @property
    def needs_finding(self) -> bool:
        return self.promotes and not self.disclaimer


@dataclass(frozen=True)
class Corpus:
    items: tuple[Item, ...]
    pages: tuple[Page, ...]

    def split(self, name: str) -> Corpus:
        """Only the items and pages of split ``name`` ('all': everything)."""
        if name == "all":
            return self
        return Corpus(
            tuple(i for i in self.items if i.split == name),
            tuple(p for p in self.pages if p.split == name),
        )


# -- reading ------------------------------------------------------------------------------------


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read: {exc}") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{number}: not JSON: {exc.msg}") from None
        if not isinstance(value, dict):
            raise CorpusError(f"{path}:{number}: a line must be a JSON object")
        yield number, value


def _field(value: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in value:
        raise CorpusError(f"{where}: missing field '{key}'")
    if not isinstance(value[key], kind):
        raise CorpusError(f"{where}: '{key}' must be a {kind.__name__}")
    return value[key]


def _item(value: dict[str, Any], where: str) -> Item:
    label = _field(value, "label", str, where)
    if label not in LABELS:
        raise CorpusError(f"{where}: label must be 'violation' or 'compliant', not '{label}'")
    categories = tuple(value.get("categories") or ())
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise CorpusError(f"{where}: unknown category '{unknown[0]}'")
    if label == "violation" and not categories:
        raise CorpusError(f"{where}: a violation needs at least one category")
    note = str(value.get("note") or "")
    return Item(
        id=str(value.get("id") or where),
        text=_field(value, "text", str, where),
        label=label,
        categories=categories,
        site=str(value.get("site") or ""),
        split=str(value.get("split") or ""),
        ambiguous=bool(value.get("ambiguous")) or note.startswith(AMBIGUOUS_MARK),
    )


def read_items(path: Path) -> tuple[Item, ...]:
    return tuple(_item(v, f"{path}:{n}") for n, v in _json_lines(path))


def _page_text(path: Path) -> str:
    """A page's text without its leading ``# key: value`` header lines (its labels)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read: {exc}") from None
    start = 0
    while start < len(lines) and lines[start].startswith("# ") and ":" in lines[start]:
        start += 1
    return "\n".join(lines[start:])


def read_pages(index: Path) -> tuple[Page, ...]:
    """The pages an index names (``file`` relative to the index's folder)."""
    pages = []
    for number, value in _json_lines(index):
        where = f"{index}:{number}"
        name = _field(value, "file", str, where)
        page_path = index.parent / name
        if not page_path.is_file():
            raise CorpusError(f"{where}: page file not found: {page_path}")
        pages.append(
            Page(
                id=name,
                text=_page_text(page_path),
                promotes=_field(value, "promotes_cell_or_regenerative_treatment", bool, where),
                disclaimer=_field(value, "disclaimer", bool, where),
                split=str(value.get("split") or ""),
            )
        )
    return tuple(pages)


def read_corpus(path: Path) -> Corpus:
    """A ``.jsonl`` file of items, or a folder holding ``corpus.jsonl`` and/or
    ``pages/index.jsonl``."""
    if path.is_file():
        return Corpus(read_items(path), ())
    if not path.is_dir():
        raise CorpusError(f"{path}: corpus not found")
    items_file, index = path / CORPUS_FILE, path / PAGES_INDEX
    if not items_file.is_file() and not index.is_file():
        raise CorpusError(f"{path}: holds neither {CORPUS_FILE} nor {PAGES_INDEX}")
    items = read_items(items_file) if items_file.is_file() else ()
    pages = read_pages(index) if index.is_file() else ()
    return Corpus(items, pages)


# -- judging ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Judged:
    """An item and what the checker found in it."""

    item: Item
    hits: tuple[Hit, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.hits)

    @property
    def category_correct(self) -> bool:
        return any(c in self.item.categories for _, c in self.hits)

    def found(self) -> set[str]:
        return {c for _, c in self.hits}


def linter_checker(linter: Linter) -> Checker:
    """The checker for a linter: each text read as plain text, its findings' rules and categories."""

    def check(text: str) -> list[Hit]:
        return [(f.rule, f.category) for f in linter.check_text(text)]

    return check


def judge(items: Iterable[Item], check: Checker) -> list[Judged]:
    """Every item with the sentence-level hits the checker gives (page-level ones left out:
    a sentence cannot carry a page's disclaimer)."""
    judged = []
    for item in items:
        hits = tuple(h for h in check(item.text) if h[1] != DOCUMENT_CATEGORY)
        judged.append(Judged(item, hits))
    return judged


@dataclass
class Tally:
    """Counts for one slice of the corpus (all items, a category, the ambiguous ones)."""

    violations: int = 0
    detected: int = 0
    category_correct: int = 0
    compliant: int = 0
    false_alarms: int = 0
    flagged: int = 0  # items with a hit (of this slice's category, for a category)
    flagged_right: int = 0  # of those, items that are violations (of that category)

    def add(self, judged: Judged, category: str | None = None) -> None:
        item = judged.item
        if item.violation and (category is None or category in item.categories):
            self.violations += 1
            self.detected += judged.flagged
            self.category_correct += (
                judged.category_correct if category is None else category in judged.found()
            )
        if not item.violation:
            self.compliant += 1
            hit = judged.flagged if category is None else category in judged.found()
            self.false_alarms += hit
        flagged = judged.flagged if category is None else category in judged.found()
        if flagged:
            self.flagged += 1
            self.flagged_right += item.violation and (
                category is None or category in item.categories
            )

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return round(part / whole, 3) if whole else None

    def as_json(self) -> dict[str, Any]:
        return {
            "violations": self.violations,
            "detected": self.detected,
            "category_correct": self.category_correct,
            "compliant": self.compliant,
            "false_alarms": self.false_alarms,
            "detection": self.rate(self.detected, self.violations),
            "category_correct_rate": self.rate(self.category_correct, self.violations),
            "false_alarm_rate": self.rate(self.false_alarms, self.compliant),
            "precision": self.rate(self.flagged_right, self.flagged),
        }


@dataclass
class PageTally:
    pages: int = 0
    right: int = 0
    due: int = 0  # pages that need a missing-disclaimer finding
    found: int = 0  # of those, pages that got one
    false_alarms: int = 0  # pages that got one without needing it
    wrong: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "right": self.right,
            "accuracy": Tally.rate(self.right, self.pages),
            "due": self.due,
            "found": self.found,
            "false_alarms": self.false_alarms,
        }


def judge_pages(pages: Iterable[Page], check: Checker) -> PageTally:
    tally = PageTally()
    for page in pages:
        fired = any(c == DOCUMENT_CATEGORY for _, c in check(page.text))
        tally.pages += 1
        tally.due += page.needs_finding
        tally.found += page.needs_finding and fired
        tally.false_alarms += fired and not page.needs_finding
        if fired == page.needs_finding:
            tally.right += 1
        else:
            tally.wrong.append(page.id)
    return tally


# -- the report ---------------------------------------------------------------------------------


@dataclass
class Score:
    """Everything the scorer reports for one corpus and one checker."""

    split: str
    clear: Tally
    ambiguous: Tally
    overall: Tally
    categories: dict[str, Tally]
    pages: PageTally
    judged: list[Judged]
    learned: frozenset[str] = frozenset()  # the learned rules' ids, for ``learned_only``

    def misses(self) -> list[Judged]:
        return [j for j in self.judged if j.item.violation and not j.category_correct]

    def false_alarms(self) -> list[Judged]:
        return [j for j in self.judged if not j.item.violation and j.flagged]

    def learned_only(self) -> list[Judged]:
        """Items only a learned rule flags: what rule authors should read next."""
        return [j for j in self.judged if j.hits and all(r in self.learned for r, _ in j.hits)]

    def as_json(self, *, verbose: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": 1,
            "split": self.split,
            "clear": self.clear.as_json(),
            "ambiguous": self.ambiguous.as_json(),
            "all": self.overall.as_json(),
            "categories": {c: t.as_json() for c, t in self.categories.items()},
            "pages": self.pages.as_json(),
        }
        if verbose:
            data["misses"] = [_judged_json(j) for j in self.misses()]
            data["false_alarms"] = [_judged_json(j) for j in self.false_alarms()]
            data["pages_wrong"] = self.pages.wrong
            if self.learned:
                data["learned_only"] = [_judged_json(j) for j in self.learned_only()]
        return data


def _judged_json(judged: Judged) -> dict[str, Any]:
    return {
        "id": judged.item.id,
        "categories": list(judged.item.categories),
        "found": [{"rule": r, "category": c} for r, c in judged.hits],
        "text": judged.item.text,
    }


def score(
    corpus: Corpus, check: Checker, *, split: str = "all", learned: frozenset[str] = frozenset()
) -> Score:
    """Judge the items and pages of ``split`` with ``check`` and tally them (``learned``: the
    ids of learned rules, whose lone findings ``--verbose`` lists apart)."""
    chosen = corpus.split(split)
    judged = judge(chosen.items, check)
    clear, ambiguous, overall = Tally(), Tally(), Tally()
    categories = {c: Tally() for c in CATEGORIES if c != DOCUMENT_CATEGORY}
    for j in judged:
        overall.add(j)
        (ambiguous if j.item.ambiguous else clear).add(j)
        if not j.item.ambiguous:
            for category, tally in categories.items():
                tally.add(j, category)
    used = {c: t for c, t in categories.items() if t.violations or t.false_alarms}
    pages = judge_pages(chosen.pages, check)
    return Score(split, clear, ambiguous, overall, used, pages, judged, learned)


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.2f}"


def table(result: Score, *, verbose: bool = False) -> str:
    """The report for people: overall rows, a row per category, the pages, and with
    ``verbose`` every miss and false alarm."""
    head = f"{'':24} {'items':>6} {'detect':>7} {'cat-ok':>7} {'compl.':>7} {'f.alarm':>8} {'prec.':>6}"
    out = [f"split: {result.split}", head]

    def row(name: str, t: Tally, *, counts: bool = False) -> str:
        j = t.as_json()
        # A category row gives the false alarms as a count: its share of all compliant items
        # is too small to read.
        alarms = f"{t.false_alarms:8d}" if counts else f"{_pct(j['false_alarm_rate']):>8}"
        compliant = "" if counts else f"{t.compliant:d}"
        return (
            f"{name:24} {t.violations:6d} {_pct(j['detection']):>7} "
            f"{_pct(j['category_correct_rate']):>7} {compliant:>7} {alarms} "
            f"{_pct(j['precision']):>6}"
        )

    out += [
        row("all items", result.overall),
        row("clear items", result.clear),
        row("ambiguous (apart)", result.ambiguous),
    ]
    out.append("")
    out.append("by category (clear items; f.alarm: how many compliant items got that category)")
    ordered = sorted(result.categories.items(), key=lambda x: -x[1].violations)
    out += [row(c, t, counts=True) for c, t in ordered]
    pages = result.pages
    if pages.pages:
        out.append("")
        out.append(
            f"pages (missing disclaimer): {pages.pages} pages, right on {pages.right} "
            f"({_pct(Tally.rate(pages.right, pages.pages)).strip()}); due {pages.due}, "
            f"found {pages.found}; false alarms {pages.false_alarms}"
        )
    out.append("")
    out.append(
        "detect: violations with any finding; cat-ok: with a finding of one of their categories; "
        "f.alarm: compliant items with any finding; prec.: flagged items that are violations"
    )
    if verbose:
        out.append("")
        out.append("misses (violations with no finding of their categories):")
        out += [_verbose_line(j) for j in result.misses()]
        out.append("")
        out.append("false alarms (compliant items with a finding):")
        out += [_verbose_line(j) for j in result.false_alarms()]
        if pages.wrong:
            out.append("")
            out.append("pages judged wrongly: " + ", ".join(pages.wrong))
        if result.learned:
            out.append("")
            out.append("flagged by a learned rule only (the wordings no rule covers yet):")
            out += [_verbose_line(j) for j in result.learned_only()]
    return "\n".join(out) + "\n"


def _verbose_line(judged: Judged) -> str:
    text = " ".join(judged.item.text.split())
    found = ", ".join(sorted({r for r, _ in judged.hits})) or "nothing"
    wanted = ",".join(judged.item.categories) or "compliant"
    return f"  {judged.item.id} [{wanted}] found: {found} | {text[:160]}"
