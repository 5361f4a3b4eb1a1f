#!/usr/bin/env python3
"""Precision and recall of the shipped rule packs against the fixture sidecars.

Every fixture page ``fixtures/**/<page>`` with a sidecar ``<page>.expected`` is linted through the
Python API (``lint.api``) with the packs its sidecar names (``# packs: core us``; default core + pk).
A finding is a true positive when its rule, line and column equal an expected entry; a finding with
no such entry is a false positive; an expected entry with no such finding is a false negative.

Prints one table by category and one by rule (each row: TP, FP, FN, precision, recall), then the
total, and lists every mismatch so a rule author can see what to fix.

    python scripts/precision_recall.py                 # all fixtures
    python scripts/precision_recall.py fixtures/pages  # only these folders or files
    python scripts/precision_recall.py --packs core,pk # only sidecars whose packs are all in this set
    python scripts/precision_recall.py --min 0.95      # exit 1 if total precision or recall is below
    python scripts/precision_recall.py --lines --category fixtures/blind  # line + category
    python scripts/precision_recall.py --lines fixtures/blind  # match on line + rule, ignore column
                                                       # (blind sidecars are written before the tool
                                                       # runs, so a column can differ by span choice)
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lint import rules as rules_mod  # noqa: E402
from lint.api import Linter  # noqa: E402
from lint.selftest import SidecarError, parse_expected  # noqa: E402

DEFAULT_PACKS = ("core", "pk")
Key = tuple[str, int, int, str]  # page, line, column, rule


@dataclass
class Sidecar:
    page: Path
    packs: tuple[str, ...]
    expected: list[tuple[int, int, str]]


def read_sidecar(path: Path) -> Sidecar:
    """Parse ``<page>.expected`` with the parser the test suite and ``rules test`` use."""
    try:
        parsed = parse_expected(path)
    except SidecarError as exc:
        raise SystemExit(str(exc)) from None
    return Sidecar(Path(str(path)[: -len(".expected")]), parsed.packs, list(parsed.findings))


def find_sidecars(targets: list[Path]) -> list[Path]:
    found: list[Path] = []
    for target in targets:
        if target.is_dir():
            found.extend(sorted(target.rglob("*.expected")))
        elif target.suffix == ".expected":
            found.append(target)
        elif Path(str(target) + ".expected").exists():
            found.append(Path(str(target) + ".expected"))
    return found


def ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def table(title: str, rows: dict[str, Counter]) -> str:
    width = max([len(title)] + [len(k) for k in rows]) + 2
    head = f"{title:<{width}}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}"
    lines = [head, "-" * len(head)]
    for name in sorted(rows):
        c = rows[name]
        p = ratio(c["tp"], c["tp"] + c["fp"])
        r = ratio(c["tp"], c["tp"] + c["fn"])
        lines.append(f"{name:<{width}}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}{p:>11.3f}{r:>8.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("targets", nargs="*", type=Path, default=[ROOT / "fixtures"])
    parser.add_argument(
        "--packs", help="only sidecars whose packs are all in this comma-separated set"
    )
    parser.add_argument(
        "--min", type=float, default=None, help="fail (exit 1) below this precision or recall"
    )
    parser.add_argument(
        "--lines",
        action="store_true",
        help="match findings on line and rule only (ignore the column)",
    )
    parser.add_argument(
        "--category",
        action="store_true",
        help="match on category instead of rule id (two rules of one category for the same claim count as one)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not list mismatches")
    args = parser.parse_args(argv)

    sidecars = [read_sidecar(p) for p in find_sidecars(args.targets)]
    if args.packs:
        allowed = set(args.packs.split(","))
        sidecars = [s for s in sidecars if set(s.packs) <= allowed]
    if not sidecars:
        print("no fixture sidecars found", file=sys.stderr)
        return 2

    linters: dict[tuple[str, ...], Linter] = {}
    category: dict[str, str] = {}
    by_category: dict[str, Counter] = {}
    by_rule: dict[str, Counter] = {}
    mismatches: list[str] = []

    for sc in sidecars:
        if sc.packs not in linters:
            ruleset = rules_mod.load(packs=sc.packs)
            linters[sc.packs] = Linter(ruleset)
            category.update({r.id: r.category for r in ruleset})
        result = linters[sc.packs].check_file(sc.page)
        for error in result.errors:
            mismatches.append(f"{sc.page}: ERROR {error}")

        def key(line: int, col: int, rule: str) -> Key:
            return (
                line,
                0 if args.lines else col,
                category.get(rule, rule) if args.category else rule,
            )

        got = Counter(key(f.line, f.column, f.rule) for f in result.findings)
        want = Counter(key(line, col, rule) for line, col, rule in sc.expected)
        tp, fp, fn = got & want, got - want, want - got
        rel = sc.page.relative_to(ROOT) if sc.page.is_absolute() else sc.page
        for kind, bag in (("tp", tp), ("fp", fp), ("fn", fn)):
            for (line, col, rule), n in bag.items():
                cat = rule if args.category else category.get(rule, "(unknown rule)")
                by_category.setdefault(cat, Counter())[kind] += n
                by_rule.setdefault(rule, Counter())[kind] += n
                if kind == "fp":
                    mismatches.append(f"{rel}:{line}:{col} unexpected {rule}")
                elif kind == "fn":
                    mismatches.append(f"{rel}:{line}:{col} missing    {rule}")

    total = Counter()
    for c in by_category.values():
        total.update(c)
    print(f"{len(sidecars)} fixture pages\n")
    print(table("category", by_category))
    print()
    print(table("rule", by_rule))
    print()
    precision = ratio(total["tp"], total["tp"] + total["fp"])
    recall = ratio(total["tp"], total["tp"] + total["fn"])
    print(
        f"TOTAL  TP {total['tp']}  FP {total['fp']}  FN {total['fn']}  "
        f"precision {precision:.3f}  recall {recall:.3f}"
    )
    if mismatches and not args.quiet:
        print("\nmismatches:")
        print("\n".join(sorted(mismatches)))
    if args.min is not None and (precision < args.min or recall < args.min):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
