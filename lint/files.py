"""Paths on the command line -> the files to lint, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from lint.documents import LINTABLE_SUFFIXES

SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv"})


class MissingPath(Exception):
    """A path given on the command line does not exist."""


def discover(paths: Sequence[str]) -> Iterator[str]:
    """Each file to lint, as a path string relative where the input was relative.

    Named files are always linted; folders are walked (sorted, hidden folders and
    ``node_modules`` skipped) for files with a lintable suffix.
    """
    seen: set[str] = set()
    for given in paths:
        if not os.path.lexists(given):
            raise MissingPath(f"{given}: no such file or directory")
        if os.path.isdir(given):
            for path in _walk(given):
                if path not in seen:
                    seen.add(path)
                    yield path
        elif given not in seen:
            seen.add(given)
            yield given


def _walk(folder: str) -> Iterator[str]:
    visited: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in visited:  # a symlink loop
            dirs[:] = []
            continue
        visited.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        for name in sorted(files):
            if Path(name).suffix.lower() in LINTABLE_SUFFIXES and not name.startswith("."):
                yield os.path.join(root, name)
