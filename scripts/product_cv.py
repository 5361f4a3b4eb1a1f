#!/usr/bin/env python3
"""Choose how the learned rule joins the packs, by site-grouped cross-validation on DEV only.

For each of 5 folds of the dev split (grouped by site, so a site's wording never leaks), a model
is trained on the other folds, and the product (the default packs plus the learned rule) is
scored on the held-out fold, at several thresholds and with the rule's qualifiers on and off.
The pooled out-of-fold figures are what the shipped threshold is chosen from; the test split is
never read.

    python scripts/product_cv.py                          # ../shared/corpus
    python scripts/product_cv.py CORPUS --background FILE # with extra training-only items
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zlib
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lint import rules, scoring, training  # noqa: E402
from lint.api import Linter  # noqa: E402

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9)
FOLDS = 5


def fold_of(site: str) -> int:
    return zlib.crc32(site.encode("utf-8")) % FOLDS


def variants(ruleset: rules.RuleSet, model_path: str) -> dict[str, rules.RuleSet]:
    """The rule sets to compare: packs alone, and packs + the learned rule per setting."""
    packs = tuple(r for r in ruleset if r.model is None)
    learned = next(r for r in ruleset if r.model is not None)
    assert learned.model is not None
    # the loaded set's phrase automaton finds every variant's patterns (the same objects)
    out = {
        "packs alone": rules.RuleSet(packs, ruleset.vocabularies, ruleset.packs, ruleset.phrases)
    }
    for t in THRESHOLDS:
        model = replace(learned.model, path=model_path, threshold=t)
        settings = {
            "": replace(learned, model=model),
            " no-unless": replace(learned, model=model, unless=None),
            " no-topics": replace(learned, model=replace(model, topics=None)),
        }
        for name, rule in settings.items():
            out[f"+model {t:.2f}{name}"] = rules.RuleSet(
                (*packs, rule), ruleset.vocabularies, ruleset.packs, ruleset.phrases
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--background", type=Path, help="training-only items (a .jsonl file)")
    args = parser.parse_args()
    dev = scoring.read_corpus(Path(args.corpus)).split("dev").items
    extra = scoring.read_items(args.background) if args.background else ()
    full = rules.load(packs=("core", "pk", "learned"))
    totals: dict[str, list[scoring.Tally]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(FOLDS):
            train = [i for i in dev if fold_of(i.site) != fold]
            held = [i for i in dev if fold_of(i.site) == fold]
            path = str(Path(tmp) / f"fold{fold}.model")
            training.train([*train, *extra]).save(path)
            for name, ruleset in variants(full, path).items():
                check = scoring.linter_checker(Linter(ruleset))
                result = scoring.score(scoring.Corpus(tuple(held), ()), check)
                totals.setdefault(name, []).append(result.overall)
            print(f"fold {fold}: {len(held)} held-out items", file=sys.stderr)
    print(f"{'dev, out of fold':32} detect  cat-ok  f.alarm")
    for name, tallies in totals.items():
        v = sum(t.violations for t in tallies)
        d = sum(t.detected for t in tallies)
        c = sum(t.category_correct for t in tallies)
        n = sum(t.compliant for t in tallies)
        f = sum(t.false_alarms for t in tallies)
        print(f"{name:32} {d / v:6.3f}  {c / v:6.3f}  {f / n:7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
