#!/usr/bin/env python3
"""Test-split figures of the learned claim detector (trained on dev; nothing is tuned here).

Prints, for all test items and for test items whose note does not start with "AMBIGUOUS:":
detection rate on violations and false-alarm rate on compliant items at several thresholds, and
the category-correct rate on violations (top category among the item's categories; any category
at or above 0.5 among them).

    python scripts/model_eval.py                                   # ../shared/corpus, shipped model
    python scripts/model_eval.py CORPUS --model FILE               # another weights file
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lint.model import Model  # noqa: E402
from lint.training import read_corpus, select  # noqa: E402

THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75)


def table(model: Model, items: list[dict[str, Any]], title: str) -> None:
    """Print one block of figures for ``items``."""
    probs = model.probabilities([str(i["text"]) for i in items])
    viol = [p for p, i in zip(probs, items, strict=True) if i["label"] == "violation"]
    comp = [p for p, i in zip(probs, items, strict=True) if i["label"] != "violation"]
    print(f"\n{title}: {len(viol)} violations, {len(comp)} compliant")
    print("threshold  detected  false-alarms")
    for t in THRESHOLDS:
        det = sum(p >= t for p in viol) / len(viol)
        fa = sum(p >= t for p in comp) / len(comp)
        print(f"  {t:.2f}     {det:6.1%}    {fa:6.1%}")
    top_ok = any_ok = 0
    cat_items = [i for i in items if i["label"] == "violation" and i["categories"]]
    for item in cat_items:
        cats = model.category_probabilities(str(item["text"]))
        top = max(cats, key=lambda k: cats[k])
        top_ok += top in item["categories"]
        any_ok += any(p >= 0.5 and c in item["categories"] for c, p in cats.items())
    n = len(cat_items)
    print(f"category: top correct {top_ok / n:.1%}, any >= 0.5 correct {any_ok / n:.1%} (n={n})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--model", default=str(ROOT / "rules" / "core" / "learned-claims.model"))
    args = parser.parse_args()
    model = Model.load(args.model)
    test = select(read_corpus(args.corpus), "test")
    table(model, test, "test, all")
    clear = [i for i in test if not str(i.get("note", "")).startswith("AMBIGUOUS:")]
    table(model, clear, "test, without AMBIGUOUS")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
