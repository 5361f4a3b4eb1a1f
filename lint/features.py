"""Hashed n-gram features for the learned claim detector, shared by training and inference.

Training (``lint/training.py``) and inference (``lint/model.py``) both call :func:`vectorize`, so
the two cannot drift apart: a weight learnt for a bucket is looked up with the bucket the same
text produces at lint time. Buckets come from ``zlib.crc32`` (stable across processes and
platforms), never from Python's salted ``hash()``, so a weights file trained on one machine means
the same thing on another.

Standard library only: the linter must not need numpy or scikit-learn to score a sentence.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import asdict, dataclass, field
from typing import Any

from lint.normalize import IGNORABLE, fold

# A word: letters/digits with the Arabic-script marks that sit inside Urdu words, an optional
# inner apostrophe ("don't"), a trailing percent sign kept on its number ("96%").
_TOKEN = re.compile(
    r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed])+"
    r"(?:['’](?:[^\W_])+)*%?"
)
_DIGIT = re.compile(r"\d")

# crc32 start values keep word and character n-grams in separate hash streams, so the word
# "stem" and the character trigram " st" never share a bucket by construction of the key.
_WORD_SEED = 0x5744
_CHAR_SEED = 0x4348


@dataclass(frozen=True)
class FeatureConfig:
    """Every setting that changes the feature space; stored in the weights file.

    ``buckets`` must be a power of two only for compactness; any positive number works.
    ``char_weight`` scales the character block against the word block (each is L2-normalised
    on its own, as a union of two tf vectorisers would be).
    """

    buckets: int = 1 << 18
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 5)
    sublinear_tf: bool = True
    char_weight: float = 1.0
    fold_digits: bool = False

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists)."""
        data = asdict(self)
        data["word_ngrams"] = list(self.word_ngrams)
        data["char_ngrams"] = list(self.char_ngrams)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeatureConfig:
        """The config written by :meth:`to_json`; unknown keys are an error (a newer file)."""
        values = dict(data)
        values["word_ngrams"] = tuple(values["word_ngrams"])
        values["char_ngrams"] = tuple(values["char_ngrams"])
        return cls(**values)


@dataclass
class _Cache:
    """Per-config memo of a word's character buckets and unigram bucket.

    Copy is Zipfian: most words of a page were seen a moment ago, so hashing each word's 3–5
    character n-grams once instead of at every occurrence is most of the speed.
    """

    chars: dict[str, list[int]] = field(default_factory=dict)
    limit: int = 200_000


_CACHES: dict[FeatureConfig, _Cache] = {}


def normalize(text: str, config: FeatureConfig) -> str:
    """Case-folded text with the Urdu letter variants and digits folded as the rules fold them."""
    text = fold(IGNORABLE.sub("", text)).casefold()
    if config.fold_digits:
        text = _DIGIT.sub("0", text)
    return text


def tokens(text: str, config: FeatureConfig) -> list[str]:
    """The normalised words of ``text``, in order."""
    return _TOKEN.findall(normalize(text, config))


def word_bucket(ngram: str, config: FeatureConfig) -> int:
    """The bucket of a word n-gram (words joined by one space)."""
    return zlib.crc32(ngram.encode("utf-8"), _WORD_SEED) % config.buckets


def char_grams(word: str, config: FeatureConfig) -> list[str]:
    """Character n-grams of one word padded with a space each side (sklearn's ``char_wb``).

    A word shorter than n gives its padded self once, as in scikit-learn.
    """
    padded = f" {word} "
    lo, hi = config.char_ngrams
    grams: list[str] = []
    for n in range(lo, hi + 1):
        if len(padded) <= n:
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def _char_buckets(word: str, config: FeatureConfig, cache: _Cache) -> list[int]:
    found = cache.chars.get(word)
    if found is None:
        if len(cache.chars) >= cache.limit:
            cache.chars.clear()  # a bound, not an LRU: simple and rarely hit
        buckets = config.buckets
        found = [
            zlib.crc32(g.encode("utf-8"), _CHAR_SEED) % buckets for g in char_grams(word, config)
        ]
        cache.chars[word] = found
    return found


def _cache(config: FeatureConfig) -> _Cache:
    cache = _CACHES.get(config)
    if cache is None:
        cache = _CACHES[config] = _Cache()
    return cache


def _word_ngrams(words: list[str], config: FeatureConfig) -> list[str]:
    lo, hi = config.word_ngrams
    grams: list[str] = []
    for n in range(lo, hi + 1):
        grams.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return grams


def _counts(buckets: list[int]) -> dict[int, float]:
    counts: dict[int, float] = {}
    for b in buckets:
        counts[b] = counts.get(b, 0.0) + 1.0
    return counts


def _weigh(counts: dict[int, float], config: FeatureConfig, scale: float) -> dict[int, float]:
    """Sublinear tf (1 + log tf) if configured, then L2-normalised and scaled."""
    if config.sublinear_tf:
        counts = {b: 1.0 + math.log(c) for b, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in counts.values()))
    if norm == 0.0:
        return {}
    factor = scale / norm
    return {b: v * factor for b, v in counts.items()}


def vectorize(text: str, config: FeatureConfig) -> dict[int, float]:
    """The sparse feature vector of ``text``: bucket -> value.

    Word and character blocks are weighted and normalised apart, then summed (a bucket both
    blocks hit adds up, exactly as the same column would in a hashed matrix).
    """
    words = tokens(text, config)
    cache = _cache(config)
    word_block = _weigh(
        _counts([word_bucket(g, config) for g in _word_ngrams(words, config)]), config, 1.0
    )
    char_ids: list[int] = []
    for w in words:
        char_ids.extend(_char_buckets(w, config, cache))
    char_block = _weigh(_counts(char_ids), config, config.char_weight)
    for b, v in char_block.items():
        word_block[b] = word_block.get(b, 0.0) + v
    return word_block


@dataclass(frozen=True)
class Gram:
    """One n-gram occurrence of a text, for explanations: which words it covers and its bucket.

    ``first``/``last`` index the words from :func:`tokens`; a character n-gram covers one word.
    """

    kind: str  # "word" or "char"
    text: str
    first: int
    last: int
    bucket: int


def grams(text: str, config: FeatureConfig) -> tuple[list[str], list[Gram]]:
    """The words of ``text`` and every n-gram occurrence with its bucket.

    The slow, explicit twin of :func:`vectorize` (same n-grams, same buckets): it answers
    "which n-grams fell in bucket b for this text" without slowing down scoring.
    """
    words = tokens(text, config)
    out: list[Gram] = []
    lo, hi = config.word_ngrams
    for n in range(lo, hi + 1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i : i + n])
            out.append(Gram("word", phrase, i, i + n - 1, word_bucket(phrase, config)))
    for i, w in enumerate(words):
        for g in char_grams(w, config):
            bucket = zlib.crc32(g.encode("utf-8"), _CHAR_SEED) % config.buckets
            out.append(Gram("char", g, i, i, bucket))
    return words, out


def ngrams_in_bucket(text: str, bucket: int, config: FeatureConfig) -> list[str]:
    """The n-grams of ``text`` that hash to ``bucket`` (several when they collide)."""
    return [g.text for g in grams(text, config)[1] if g.bucket == bucket]
