"""The validated rule set, kept on disk between runs so a run parses no YAML and compiles nothing.

Loading ~100 rule files means parsing YAML and compiling hundreds of ``regex`` patterns whose
parser is pure Python: seconds, on every pre-commit run. The first run stores the result (rules,
vocabularies, the phrase automaton, and every pattern a run searches by regex compiled —
``regex`` pickles a compiled pattern as its code, so loading parses nothing) in the user's cache
directory; later runs load it in milliseconds. What only some commands read (the rules' examples and source maps)
is a pickle of its own inside it.

The key covers everything the result depends on: the content of every rule and vocabulary file
under the rule folders, the pack selection, the folders as given, the package and Python
versions, the ``regex`` version and every module of the ``lint`` package. A cache
that cannot be read is ignored and rebuilt; writes are atomic (a temporary file renamed into
place), so concurrent runs never see half a file. ``CLINIC_LINT_CACHE_DIR`` moves the cache;
``CLINIC_LINT_NO_CACHE=1`` turns it off. The cache is a pickle: it lives in the user's own cache
directory, never in a repository, and is read only from there.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Iterable, Sequence
from hashlib import blake2b
from pathlib import Path
from typing import Any

KEEP = 16  # cache files kept (one per rule-set variant: packs, extra folders, versions)
_PREFIX = "rules-"
_SUFFIX = ".pickle"


def directory() -> Path | None:
    """Where cached rule sets live, or None when caching is off."""
    if os.environ.get("CLINIC_LINT_NO_CACHE"):
        return None
    explicit = os.environ.get("CLINIC_LINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / "clinic-lint"


def _modules(folder: str, prefix: str = "") -> list[tuple[str, str]]:
    """(relative path, path) of every module of the package in ``folder`` and its subpackages,
    sorted: what shapes a stored rule set is the loader and everything it calls (patterns, the
    phrase automaton, concepts, the learned model's reader…), and a hand-kept list of those goes
    stale. Found by path, not imported; only package folders (with an ``__init__.py``) are
    entered, so neither ``__pycache__`` nor the shipped rules are walked."""
    found: list[tuple[str, str]] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        relative = f"{prefix}{entry.name}"
        if entry.name.endswith(".py") and entry.is_file():
            found.append((relative, entry.path))
        elif entry.is_dir() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
            found += _modules(entry.path, f"{relative}/")
    return found


def key(roots: Iterable[Path], selection: Sequence[str] | None, *parts: object) -> str:
    """A digest of every input a loaded rule set depends on."""
    import regex

    from lint import __version__

    digest = blake2b(digest_size=20)
    meta = (__version__, sys.version, regex.__version__, repr(selection), repr(parts))
    digest.update(repr(meta).encode())
    for relative, path in _modules(os.path.dirname(__file__)):  # cheap: size and mtime
        stat = os.stat(path)
        digest.update(f"\0code:{relative}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for root in roots:
        digest.update(f"\0root:{root}".encode())
        for relative, full in _yaml_files(str(root)):
            digest.update(f"\0{relative}\0".encode())
            with open(full, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def _yaml_files(root: str, prefix: str = "") -> list[tuple[str, str]]:
    """(relative path, path) of every YAML file under ``root``, sorted; with os.scandir, as
    pathlib's rglob costs milliseconds of every start on a hundred rule files."""
    found: list[tuple[str, str]] = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return found
    for entry in entries:
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            found += _yaml_files(entry.path, f"{relative}/")
        elif entry.name.endswith((".yaml", ".yml")) and entry.is_file():
            found.append((relative, entry.path))
    return found


def _path(folder: Path, name: str) -> Path:
    return folder / f"{_PREFIX}{name}{_SUFFIX}"


def load(name: str) -> tuple[Any, bytes] | None:
    """The rule set stored under ``name`` and its details, pickled (what ``store`` was given),
    or None (missing, unreadable or corrupt)."""
    folder = directory()
    if folder is None:
        return None
    try:
        data = _path(folder, name).read_bytes()
        ruleset, details = pickle.loads(data)
    except Exception:  # a half-written, truncated or stale file: rebuild it
        return None
    return ruleset, details


def store(name: str, ruleset: Any, details: Any) -> None:
    """Keep ``ruleset`` under ``name`` as it is (compiled: a pattern several rules share is
    one object, pickled once), with ``details`` (what only some
    commands read) as a pickle of its own, unpickled on request; failures are silent (a cache)."""
    folder = directory()
    if folder is None:
        return
    try:
        kept = pickle.dumps(details, protocol=pickle.HIGHEST_PROTOCOL)
        data = pickle.dumps((ruleset, kept), protocol=pickle.HIGHEST_PROTOCOL)
        _write(folder, _path(folder, name), data)
        _prune(folder)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return


def _write(folder: Path, target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (concurrent runs never read half a file)."""
    import tempfile  # only when the cache is written

    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


# -- parsed configuration files ----------------------------------------------------------------
# A configuration file parsed once is kept, marshalled, under a digest of its text, so a run with
# one neither imports nor runs PyYAML (~15 ms of a pre-commit call's start). marshal, not json:
# built in, it costs no import (json's is ~2 ms) and keeps YAML's plain data as it is.
_CONFIG_PREFIX = "config-"
_CONFIG_SUFFIX = ".marshal"
_CONFIG_FORMAT = "2"  # bump when what is stored changes


def _config_path(folder: Path, text: str) -> Path:
    from lint import __version__

    # marshal's format belongs to the Python version
    meta = f"{_CONFIG_FORMAT}\0{__version__}\0{sys.version}\0"
    digest = blake2b(f"{meta}{text}".encode(), digest_size=20)
    return folder / f"{_CONFIG_PREFIX}{digest.hexdigest()}{_CONFIG_SUFFIX}"


def load_config(text: str) -> Any:
    """What ``store_config`` kept for a configuration file's ``text``, or None."""
    folder = directory()
    if folder is None:
        return None
    import marshal

    try:
        return marshal.loads(_config_path(folder, text).read_bytes())
    except Exception:  # missing, unreadable, truncated or corrupt: parse the file again
        return None


def store_config(text: str, value: Any) -> None:
    """Keep the parsed form of a configuration file (plain data); failures are silent."""
    folder = directory()
    if folder is None:
        return
    import marshal

    try:
        data = marshal.dumps(value)
        _write(folder, _config_path(folder, text), data)
        _prune(folder, _CONFIG_PREFIX, _CONFIG_SUFFIX)
    except (OSError, ValueError):  # not plain data (a YAML date): parse it each time
        return


def _prune(folder: Path, prefix: str = _PREFIX, suffix: str = _SUFFIX) -> None:
    """Drop all but the ``KEEP`` most recently written entries of one kind."""
    files = sorted(folder.glob(f"{prefix}*{suffix}"), key=lambda p: p.stat().st_mtime)
    for old in files[:-KEEP]:
        with contextlib.suppress(OSError):
            old.unlink()
