"""Script-aware normalisation shared by documents and patterns.

Urdu copy mixes Arabic and Urdu code points for the same letter, adds optional diacritics and
tatweel, and writes digits in two Arabic-script digit sets. Both the text and the rule patterns
are folded the same way so authors write one plain form. Folding is 1:1 (same length); the
ignorable marks are dropped by the document builder, which keeps the offset map exact.
"""

from __future__ import annotations

import re

# One code point to one code point, so offsets survive the fold unchanged.
_FOLD = {
    0x064A: 0x06CC,  # Arabic yeh -> Urdu (Farsi) yeh
    0x0649: 0x06CC,  # alef maqsura -> Urdu yeh
    0x0643: 0x06A9,  # Arabic kaf -> keheh
    0x0647: 0x06C1,  # heh -> heh goal
    0x06BE: 0x06C1,  # heh do-chashmi -> heh goal
    0x066A: ord("%"),  # Arabic percent sign
    0x00A0: ord(" "),  # no-break space
}
_FOLD.update({0x06F0 + d: ord("0") + d for d in range(10)})  # Extended Arabic-Indic digits
_FOLD.update({0x0660 + d: ord("0") + d for d in range(10)})  # Arabic-Indic digits

# Harakat, superscript alef, tatweel, zero-width (non-)joiners, soft hyphen, BOM.
IGNORABLE = re.compile("[\u064b-\u0652\u0670\u0640\u200b-\u200d\u00ad\ufeff]")

_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")


def fold(text: str) -> str:
    """Fold letter variants and digits; the result has the same length as ``text``."""
    if not _FOLDABLE.search(text):
        return text
    return text.translate(_FOLD)


def normalize_pattern(pattern: str) -> str:
    """Fold a rule pattern the way document text is folded, and drop ignorable marks."""
    return fold(IGNORABLE.sub("", pattern))
