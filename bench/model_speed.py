#!/usr/bin/env python3
"""Speed of the learned claim detector: load time, features+score time per KB of English text.

Text: the English fixture pages split into sentences (the linter scores sentences), repeated to
about 1 MB. "cold" clears the per-word character-gram memo before the run; "warm" runs again
with it filled, as on the second page of a site. Medians of 5 rounds.

    python bench/model_speed.py [--model FILE]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lint import features  # noqa: E402
from lint.model import Model  # noqa: E402

SENTENCE = re.compile(r"(?<=[.!?])\s+")


def sentences() -> list[str]:
    """Sentences of the English .txt/.md fixture pages, about 1 MB in total."""
    out: list[str] = []
    for path in sorted((ROOT / "fixtures").rglob("*")):
        if path.suffix in (".txt", ".md") and path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            if re.search("[\u0600-\u06ff]", text):
                continue  # English only
            out.extend(s for s in SENTENCE.split(text) if s.strip())
    size = sum(len(s.encode()) for s in out)
    return out * max(1, 1_000_000 // max(size, 1))


def median_time(fn: object, rounds: int = 5, before: object = None) -> float:
    """Median wall time of ``fn()`` over ``rounds`` runs (``before()`` untimed each round)."""
    times = []
    for _ in range(rounds):
        if callable(before):
            before()
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "rules" / "learned" / "claims.model"))
    args = parser.parse_args()
    load = median_time(lambda: Model.load(args.model), rounds=9)
    model = Model.load(args.model)
    cats = median_time(lambda: Model.load(args.model)._rows(), rounds=5)
    texts = sentences()
    kb = sum(len(t.encode()) for t in texts) / 1000
    cold = median_time(lambda: model.probabilities(texts), before=features._CACHES.clear)
    warm = median_time(lambda: model.probabilities(texts))
    few = texts[:200]
    few_kb = sum(len(t.encode()) for t in few) / 1000
    cat = median_time(lambda: [model.category_probabilities(t) for t in few])
    print(f"model file {Path(args.model).stat().st_size / 1e6:.2f} MB")
    print(
        f"load (binary head): {load * 1000:.1f} ms; + category heads on first use: {cats * 1000:.0f} ms"
    )
    print(f"text: {kb:.0f} KB, {len(texts)} sentences")
    print(f"features+score, cold memo: {cold / kb * 1e6:.0f} us/KB ({kb / 1000 / cold:.2f} MB/s)")
    print(f"features+score, warm memo: {warm / kb * 1e6:.0f} us/KB ({kb / 1000 / warm:.2f} MB/s)")
    print(f"category probabilities: {cat / few_kb * 1e6:.0f} us/KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
