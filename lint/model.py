"""The learned claim detector's weights file and inference, standard library only.

A model is two linear heads over the hashed features of :mod:`lint.features`: a binary head
(violation or not, a logistic probability) and one one-vs-rest head per category, trained on
violation items only, that says which kind of claim a flagged sentence makes. Training lives in
``lint/training.py`` (scikit-learn); nothing here imports numpy, so the linter scores sentences
without it.

File format (all integers little-endian)::

    b"CLINICLM"                      magic, 8 bytes
    u32 format version               1
    u32 header length H
    H bytes  zlib(JSON header)       features, biases, categories, scales, block table, metadata
    block "binary"      zlib(float32 x buckets)        the binary head, dense
    block "categories"  zlib(int8 x buckets x K)       category heads, row per category,
                                                        quantised: w = q * scale[k]

The block table in the header gives each block's offset (from the end of the header) and
length. Dense arrays keep lookup a plain index; zlib folds the untrained (zero) buckets away.
The category block is only decompressed when a category is first asked for, so loading for the
binary score stays fast. The header JSON is written with sorted keys and no timestamp, so the
same weights give the same bytes.
"""

from __future__ import annotations

import json
import math
import struct
import sys
import zlib
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lint.features import FeatureConfig, grams, vectorize

MAGIC = b"CLINICLM"
FORMAT_VERSION = 1
_LEVEL = 9


class ModelError(Exception):
    """A weights file that is not one, or of a format this version cannot read."""


def sigmoid(z: float) -> float:
    """The logistic function, without overflow for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _le_bytes(values: array[Any]) -> bytes:
    """The array's bytes in little-endian order whatever the machine's order."""
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _from_le(typecode: str, data: bytes) -> array[Any]:
    values: array[Any] = array(typecode)
    values.frombytes(data)
    if sys.byteorder == "big":
        values.byteswap()
    return values


@dataclass(frozen=True)
class Reason:
    """A phrase of the text that pushed the violation score up, for a reviewer to check.

    ``phrase`` is the normalised words (case-folded), ``score`` their summed contribution to the
    log-odds, ``grams`` the strongest n-grams behind it (word n-grams and character n-grams).
    """

    phrase: str
    score: float
    grams: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(repr(g) for g in self.grams)
        return f"'{self.phrase}' (+{self.score:.2f}: {shown})"


@dataclass
class Model:
    """Binary violation head plus per-category heads over one :class:`FeatureConfig`."""

    config: FeatureConfig
    bias: float
    weights: array[float]
    categories: list[str] = field(default_factory=list)
    category_bias: list[float] = field(default_factory=list)
    category_scale: list[float] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    _category_rows: list[array[int]] | None = None
    _category_blob: bytes | None = None

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        config: FeatureConfig,
        bias: float,
        weights: list[float],
        categories: dict[str, tuple[float, list[float]]],
        metadata: dict[str, Any],
    ) -> Model:
        """A model from float weights; category heads are quantised to int8 here.

        int8 (not int16) halves the file: the heads only rank categories for a sentence
        already flagged, and a 1/254-of-the-peak rounding error does not change that ranking
        in practice (the round-trip test bounds it).
        """
        names = sorted(categories)
        rows: list[array[int]] = []
        scales: list[float] = []
        for name in names:
            row = categories[name][1]
            peak = max((abs(w) for w in row), default=0.0)
            scale = peak / 127.0 if peak > 0 else 1.0
            scale = struct.unpack("<f", struct.pack("<f", scale))[0]  # as stored: float32
            rows.append(array("b", (round(w / scale) for w in row)))
            scales.append(scale)
        return cls(
            config=config,
            bias=bias,
            weights=array("f", weights),
            categories=names,
            category_bias=[categories[n][0] for n in names],
            category_scale=scales,
            metadata=metadata,
            _category_rows=rows,
        )

    # -- scoring ----------------------------------------------------------------------------

    def logit(self, text: str) -> float:
        """The violation log-odds of one sentence."""
        return self.logit_of(vectorize(text, self.config))

    def logit_of(self, vec: dict[int, float]) -> float:
        """The violation log-odds of a sentence's feature vector (``features.vectorize``), so a
        caller that also wants categories or reasons computes the features once."""
        w = self.weights
        return self.bias + sum(w[b] * v for b, v in vec.items())

    def probability(self, text: str) -> float:
        """The probability that the sentence is a violation."""
        return sigmoid(self.logit(text))

    def probabilities(self, texts: list[str]) -> list[float]:
        """:meth:`probability` of each text."""
        return [self.probability(t) for t in texts]

    def category_probabilities(self, text: str) -> dict[str, float]:
        """Each category's one-vs-rest probability, given the sentence is a violation."""
        return self.category_probabilities_of(vectorize(text, self.config))

    def category_probabilities_of(self, vec: dict[int, float]) -> dict[str, float]:
        """:meth:`category_probabilities` of a feature vector."""
        rows = self._rows()
        out: dict[str, float] = {}
        for name, row, bias, scale in zip(
            self.categories, rows, self.category_bias, self.category_scale, strict=True
        ):
            out[name] = sigmoid(bias + scale * sum(row[b] * v for b, v in vec.items()))
        return out

    def top_category(
        self, text: str, vec: dict[int, float] | None = None
    ) -> tuple[str, float] | None:
        """The most likely category and its probability (None for a model without categories);
        ``vec``: the text's features, when the caller has them already."""
        probs = self.category_probabilities_of(
            vec if vec is not None else vectorize(text, self.config)
        )
        if not probs:
            return None
        name = max(probs, key=lambda k: (probs[k], k))
        return name, probs[name]

    def _rows(self) -> list[array[int]]:
        """The category heads, decompressed on first use (binary scoring never needs them)."""
        if self._category_rows is None:
            data = zlib.decompress(self._category_blob or b"")
            size = self.config.buckets
            self._category_rows = [
                _from_le("b", data[k * size : (k + 1) * size]) for k in range(len(self.categories))
            ]
            self._category_blob = None
        return self._category_rows

    # -- explanations -----------------------------------------------------------------------

    def explain(self, text: str, n: int = 3, vec: dict[int, float] | None = None) -> list[Reason]:
        """The ``n`` phrases that raised the violation score most, strongest first.

        Every n-gram occurrence gets its share of its bucket's contribution (weight x value,
        split over the occurrences that hit that bucket). A word collects its unigram and its
        character n-grams and half of each bigram it is in; neighbouring words that both push
        up, joined by a bigram that pushes up too, merge into one phrase ("success rate").
        """
        words, occurrences = grams(text, self.config)
        if not words:
            return []
        if vec is None:
            vec = vectorize(text, self.config)
        hits: dict[int, int] = {}
        for g in occurrences:
            hits[g.bucket] = hits.get(g.bucket, 0) + 1
        per_word = [0.0] * len(words)
        bigram_up = [False] * len(words)  # bigram_up[i]: words i and i+1 join upward
        detail: list[list[tuple[float, str]]] = [[] for _ in words]
        for g in occurrences:
            share = self.weights[g.bucket] * vec.get(g.bucket, 0.0) / hits[g.bucket]
            span = g.last - g.first + 1
            for i in range(g.first, g.last + 1):
                per_word[i] += share / span
                detail[i].append((share / span, g.text.strip() if g.kind == "word" else g.text))
            if span == 2 and share > 0:
                bigram_up[g.first] = True
        reasons: list[Reason] = []
        i = 0
        while i < len(words):
            if per_word[i] <= 0:
                i += 1
                continue
            j = i
            while j + 1 < len(words) and bigram_up[j] and per_word[j + 1] > 0:
                j += 1
            reasons.append(self._reason(words, per_word, detail, i, j))
            i = j + 1
        reasons.sort(key=lambda r: -r.score)
        return reasons[:n]

    @staticmethod
    def _reason(
        words: list[str],
        per_word: list[float],
        detail: list[list[tuple[float, str]]],
        first: int,
        last: int,
    ) -> Reason:
        """One phrase, words first..last, with its three strongest distinct n-grams."""
        merged: dict[str, float] = {}
        for i in range(first, last + 1):
            for share, gram in detail[i]:
                merged[gram] = merged.get(gram, 0.0) + share
        top = sorted((g for g in merged if merged[g] > 0), key=lambda g: -merged[g])[:3]
        score = sum(per_word[first : last + 1])
        return Reason(" ".join(words[first : last + 1]), score, tuple(top))

    # -- file format ------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The weights file's bytes (deterministic: same model, same bytes)."""
        binary = zlib.compress(_le_bytes(self.weights), _LEVEL)
        cats = zlib.compress(b"".join(_le_bytes(r) for r in self._rows()), _LEVEL)
        header = {
            "features": self.config.to_json(),
            "bias": self.bias,
            "categories": self.categories,
            "category_bias": self.category_bias,
            "category_scale": self.category_scale,
            "blocks": {"binary": [0, len(binary)], "categories": [len(binary), len(cats)]},
            "metadata": self.metadata,
        }
        head = zlib.compress(json.dumps(header, sort_keys=True).encode("utf-8"), _LEVEL)
        return MAGIC + struct.pack("<II", FORMAT_VERSION, len(head)) + head + binary + cats

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        """A model from a weights file's bytes; :class:`ModelError` if they are not one."""
        if data[:8] != MAGIC:
            raise ModelError("not a clinic-lint model file (bad magic)")
        version, head_len = struct.unpack("<II", data[8:16])
        if version != FORMAT_VERSION:
            raise ModelError(f"model format {version}; this clinic-lint reads {FORMAT_VERSION}")
        try:
            header = json.loads(zlib.decompress(data[16 : 16 + head_len]))
        except (zlib.error, ValueError) as exc:
            raise ModelError(f"corrupt model header: {exc}") from exc
        body = data[16 + head_len :]
        config = FeatureConfig.from_json(header["features"])
        start, length = header["blocks"]["binary"]
        weights = _from_le("f", zlib.decompress(body[start : start + length]))
        if len(weights) != config.buckets:
            raise ModelError("binary head does not match the bucket count")
        start, length = header["blocks"]["categories"]
        return cls(
            config=config,
            bias=float(header["bias"]),
            weights=weights,
            categories=list(header["categories"]),
            category_bias=[float(b) for b in header["category_bias"]],
            category_scale=[float(s) for s in header["category_scale"]],
            metadata=dict(header["metadata"]),
            _category_blob=body[start : start + length],
        )

    def save(self, path: str | Path) -> None:
        """Write the weights file."""
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def load(cls, path: str | Path) -> Model:
        """Read a weights file written by :meth:`save`."""
        return cls.from_bytes(Path(path).read_bytes())
