#!/usr/bin/env python3
"""Choose the learned detector's settings by site-grouped cross-validation on the DEV split only.

Each setting is scored by 5-fold GroupKFold over dev, grouped by site (a site's sentences share
wording, so a random split would leak it). The test split is never read. Prints, per setting,
the pooled out-of-fold ROC AUC and the detection / false-alarm rates at p = 0.5 and 0.65, then
the setting with the best AUC.

    python scripts/model_cv.py                      # ../shared/corpus, the default grid
    python scripts/model_cv.py CORPUS --quick       # a smaller grid
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from lint.features import FeatureConfig  # noqa: E402
from lint.scoring import read_corpus  # noqa: E402
from lint.training import fit, matrix  # noqa: E402


def rates(y: np.ndarray, p: np.ndarray, t: float) -> tuple[float, float]:
    """Detection rate on violations and false-alarm rate on compliant items at threshold t."""
    return float((p[y == 1] >= t).mean()), float((p[y == 0] >= t).mean())


def out_of_fold(
    x: object, y: np.ndarray, groups: list[str], c: float, cw: str | None
) -> np.ndarray:
    """Pooled out-of-fold probabilities over 5 site-grouped folds."""
    p = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(np.zeros(len(y)), y, groups):
        bias, coef = fit(x[tr], y[tr].tolist(), c, cw, tol=1e-4)  # type: ignore[index]
        p[te] = 1.0 / (1.0 + np.exp(-(x[te] @ coef + bias)))  # type: ignore[index]
    return p


def grid(quick: bool) -> list[tuple[FeatureConfig, float, str | None]]:
    """(features, C, class_weight) settings to compare."""
    base = FeatureConfig()
    configs = [base, replace(base, buckets=1 << 20), replace(base, char_weight=0.7)]
    configs += [replace(base, sublinear_tf=False), replace(base, fold_digits=True)]
    configs += [replace(base, char_ngrams=(2, 5)), replace(base, word_ngrams=(1, 3))]
    cs = [3.0, 10.0, 30.0, 100.0]
    if quick:
        configs, cs = configs[:2], [10.0]
    return [(f, c, "balanced") for f, c in itertools.product(configs, cs)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    dev = sorted(read_corpus(Path(args.corpus)).split("dev").items, key=lambda i: i.id)
    y = np.array([int(i.violation) for i in dev])
    groups = [i.site for i in dev]
    texts = [i.text for i in dev]
    best: tuple[float, str] = (0.0, "")
    cached: dict[FeatureConfig, object] = {}
    print(f"dev: {len(dev)} items, {int(y.sum())} violations, {len(set(groups))} sites")
    for config, c, cw in grid(args.quick):
        x = cached.get(config)
        if x is None:
            x = cached[config] = matrix(texts, config)
        p = out_of_fold(x, y, groups, c, cw)
        auc = float(roc_auc_score(y, p))
        d5, f5 = rates(y, p, 0.5)
        d65, f65 = rates(y, p, 0.65)
        label = f"{config} C={c} cw={cw}"
        print(
            f"AUC {auc:.4f}  p.5 {d5:.3f}/{f5:.3f}  p.65 {d65:.3f}/{f65:.3f}  {label}", flush=True
        )
        best = max(best, (auc, label))
    print(f"best: AUC {best[0]:.4f} {best[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
