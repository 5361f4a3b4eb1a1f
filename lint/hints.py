"""Did-you-mean hints for errors, with difflib imported only when an error needs one (it is
not on the path of a clean run)."""

from __future__ import annotations

from collections.abc import Iterable


def close_matches(word: str, choices: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)
