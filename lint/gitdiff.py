"""``--diff REF``: keep only findings on lines changed since a git ref (pull-request gates).

Lines come from ``git diff -U0 REF`` (the working tree against REF, so uncommitted edits count);
files git does not track yet count as changed throughout. A document-level finding (a missing
disclaimer) depends on the whole page — its trigger, the text it requires, anything between — so
it is kept whenever its page changed at all, a deletion included.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from lint.findings import Finding

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")

# path (real, absolute) -> changed line numbers (empty: only lines deleted), or None for a file
# changed throughout; a file not in it did not change
Changes = dict[str, set[int] | None]


class DiffError(Exception):
    """git is missing, the folder is not a repository, or the ref is unknown (exit 2)."""


def _git(args: Sequence[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except OSError as exc:
        raise DiffError(f"--diff: cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["git failed"])[0]
        raise DiffError(f"--diff: {first}")
    return done.stdout


def changed_lines(ref: str, cwd: Path) -> Changes:
    """The lines changed since ``ref`` in the repository that holds ``cwd``."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    except DiffError:
        raise DiffError(
            f"--diff: unknown git ref '{ref}' (fetch it first in a shallow CI clone)"
        ) from None
    diff = _git(
        [
            "diff",
            "-U0",
            "--no-color",
            "--no-ext-diff",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            ref,
            "--",
        ],
        top,
    )
    changes: Changes = {}
    current: set[int] | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = _unquote(line[4:].rstrip("\t"))  # git ends a name holding a space with a tab
            current = None
            if name.startswith("b/"):
                current = changes.setdefault(_key(top / name[2:]), set())
            continue
        hunk = HUNK.match(line)
        if hunk and current is not None:
            start, count = int(hunk.group(1)), int(hunk.group(2) or "1")
            current.update(range(start, start + count))  # count 0: a deletion, no new lines
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    for name in filter(None, untracked.split("\0")):
        changes[_key(top / name)] = None
    return changes


ESCAPES = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, '"': 34, "\\": 92}


def _unquote(name: str) -> str:
    """A path as git prints it: C-quoted (octal bytes, \\", \\\\) when it holds odd characters."""
    if not (len(name) >= 2 and name.startswith('"') and name.endswith('"')):
        return name
    raw = name[1:-1]
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw):
            if raw[i + 1] in "01234567":
                out.append(int(raw[i + 1 : i + 4], 8))
                i += 4
            else:
                out.append(ESCAPES.get(raw[i + 1], ord(raw[i + 1])))
                i += 2
        else:
            out += raw[i].encode("utf-8", "surrogateescape")
            i += 1
    return out.decode("utf-8", "surrogateescape")


def _key(path: Path | str) -> str:
    return os.path.realpath(path)


def only_changed(findings: Sequence[Finding], changes: Changes) -> list[Finding]:
    """The findings that touch a changed line, and the document-level findings of a changed
    page."""
    kept = []
    for f in findings:
        key = _key(f.path)
        if key not in changes:
            continue
        lines = changes[key]
        if lines is None or f.document or any(n in lines for n in range(f.line, f.end_line + 1)):
            kept.append(f)
    return kept
