"""Paths on the command line -> the files to lint, in a stable order.

Named files are linted unless ``skip_named`` gives a reason not to (``--force-exclude``: the
include/exclude globs apply to them too), and then the skip is a note. Folders are walked in sorted
order, files before sub-folders; they contribute files with a lintable suffix that ``.gitignore``
does not ignore, outside hidden folders, ``node_modules`` and virtual environments. Symbolic
links are followed, but a folder already walked (a link loop, or two links to one folder) is
walked once. Anything skipped for a reason a user may wonder about becomes a note.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lint.documents import LINTABLE_SUFFIXES

if TYPE_CHECKING:  # pathspec loads only when a folder has an ignore file to read
    from pathspec import GitIgnoreSpec

SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv", "bower_components"})

Note = Callable[[str], None]
Keep = Callable[[str], bool]
SkipReason = Callable[[str], "str | None"]


class MissingPath(Exception):
    """A path given on the command line does not exist."""


def _ignore_note(_: str) -> None:
    pass


def discover(
    paths: Sequence[str],
    *,
    gitignore: bool = True,
    keep: Keep | None = None,
    note: Note = _ignore_note,
    skip_named: SkipReason | None = None,
) -> Iterator[str]:
    """Each file to lint, as a path string relative where the input was relative.

    ``keep`` decides which walked files stay (include/exclude globs); ``skip_named`` may give a
    reason to pass over a named file; ``note`` hears why a file or folder was passed over.
    """
    seen: set[str] = set()
    for given in paths:
        if not os.path.lexists(given):
            raise MissingPath(f"{given}: no such file or directory")
        if os.path.isdir(given):
            walked = _Walk(given, gitignore=gitignore, keep=keep, note=note).files()
        elif not os.path.exists(given):
            note(f"{given}: skipped: a broken symbolic link")
            continue
        elif skip_named is not None and (reason := skip_named(given)) is not None:
            note(f"{given}: skipped: {reason}")
            continue
        else:
            walked = iter([given])
        for path in walked:
            key = os.path.normpath(path)
            if key not in seen:
                seen.add(key)
                yield path


@dataclass
class _Ignore:
    """One ``.gitignore``: its patterns apply to paths relative to its folder."""

    base: str
    spec: GitIgnoreSpec

    def verdict(self, path: str, is_dir: bool) -> bool | None:
        """True: ignored, False: re-included by a ``!`` pattern, None: not mentioned."""
        rel = os.path.relpath(path, self.base).replace(os.sep, "/")
        if rel.startswith("../"):
            return None
        result = self.spec.check_file(rel + "/" if is_dir else rel)
        return result.include


def _read_ignore(folder: str, name: str = ".gitignore") -> _Ignore | None:
    path = os.path.join(folder, name)
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    from pathspec import GitIgnoreSpec

    return _Ignore(folder, GitIgnoreSpec.from_lines(lines))


def _repository_ignores(folder: str) -> list[_Ignore]:
    """Ignore rules from above ``folder``: its repository's ``.git/info/exclude`` and the
    ``.gitignore`` files from the repository root down to the folder's parent.

    Outside a repository nothing above the folder counts, so a stray ignore file in a home
    folder does not hide a site export.
    """
    here = os.path.abspath(folder)
    above: list[str] = []
    root = here
    while not os.path.exists(os.path.join(root, ".git")):
        parent = os.path.dirname(root)
        if parent == root:
            return []
        root = parent
        above.append(root)
    exclude = _read_ignore(os.path.join(root, ".git", "info"), "exclude")
    ignores = [_Ignore(root, exclude.spec)] if exclude else []
    return ignores + [i for d in reversed(above) if (i := _read_ignore(d)) is not None]


class _Walk:
    def __init__(self, folder: str, *, gitignore: bool, keep: Keep | None, note: Note) -> None:
        self.folder = folder
        self.gitignore = gitignore
        self.keep = keep
        self.note = note
        self.ignores: dict[str, list[_Ignore]] = {}

    def files(self) -> Iterator[str]:
        visited: set[tuple[int, int]] = set()
        if self.gitignore:
            self.ignores[self.folder] = _repository_ignores(self.folder)
        for root, dirs, names in os.walk(self.folder, followlinks=True, onerror=self._error):
            st = os.stat(root)
            if (st.st_dev, st.st_ino) in visited:  # a symlink loop, or a second link to it
                self.note(f"{root}: skipped: a folder already walked (symbolic link)")
                dirs[:] = []
                continue
            visited.add((st.st_dev, st.st_ino))
            ignores = self._ignores_for(root)
            dirs[:] = [d for d in sorted(dirs) if self._walks_into(root, d, ignores)]
            for name in sorted(names):
                path = os.path.join(root, name)
                if self._lints(path, name, ignores):
                    yield path

    def _error(self, exc: OSError) -> None:
        self.note(f"{exc.filename}: skipped: {exc.strerror or exc}")

    def _ignores_for(self, root: str) -> list[_Ignore]:
        if not self.gitignore:
            return []
        inherited = self.ignores.get(root)
        if inherited is None:
            inherited = self.ignores.get(os.path.dirname(root), [])
        own = _read_ignore(root)
        ignores = [*inherited, own] if own else inherited
        self.ignores[root] = ignores
        return ignores

    def _walks_into(self, root: str, name: str, ignores: list[_Ignore]) -> bool:
        if name.startswith(".") or name in SKIPPED_FOLDERS:
            return False
        path = os.path.join(root, name)
        if _ignored(ignores, path, is_dir=True):
            return False
        if self.gitignore:
            self.ignores[path] = ignores  # the sub-folder starts from its parent's rules
        return True

    def _lints(self, path: str, name: str, ignores: list[_Ignore]) -> bool:
        if name.startswith(".") or os.path.splitext(name)[1].lower() not in LINTABLE_SUFFIXES:
            return False
        if _ignored(ignores, path, is_dir=False):
            return False
        if self.keep is not None and not self.keep(path):
            return False
        if not os.path.exists(path):
            self.note(f"{path}: skipped: a broken symbolic link")
            return False
        return True


def _ignored(ignores: list[_Ignore], path: str, *, is_dir: bool) -> bool:
    """Git's rule: the deepest ignore file that mentions the path decides, its last match wins."""
    for ignore in reversed(ignores):
        verdict = ignore.verdict(path, is_dir)
        if verdict is not None:
            return verdict
    return False
