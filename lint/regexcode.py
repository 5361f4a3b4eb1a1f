"""Compiled ``regex`` patterns as data, loaded without importing the ``regex`` package.

``import regex`` costs ~12 ms of a one-page run (its pattern parser, ``regex._regex_core``, is
pure Python and imported with the package), yet a run from the rule cache compiles nothing: a
compiled pattern is its code, which ``regex`` itself pickles as the arguments of
``regex._regex.compile``. Here that code is kept as plain data (``dump``) and turned back into a
pattern by the C extension alone (``load``), loaded from its file without running the package's
``__init__``. The package is imported only when something is really compiled (a cache miss, a
rule file being checked); both give the very same pattern objects.

The linter's own patterns (``WORDS`` and the like, at the end) are ``Constant`` objects: compiled
on first use, or loaded from the code the rule cache keeps for them (``codes``/``prime``).
"""

from __future__ import annotations

import marshal
import os
import sys
from typing import Any

IGNORECASE = 2  # regex.IGNORECASE (tests/test_regexcode.py checks these against the module)
UNICODE = 32  # regex.UNICODE

# What regex pickles a compiled pattern as (_regex.compile's arguments), marshalled: one bytes
# object in the rule cache, not thousands of ints to unpickle for patterns a run never uses.
Code = bytes

_extension: Any = None


def _load_extension() -> Any:
    """The ``regex._regex`` C module, without importing the ``regex`` package if not done yet."""
    global _extension
    if _extension is None:
        known = sys.modules.get("regex._regex")
        _extension = known if known is not None else _extension_from_file()
    return _extension


def _extension_from_file() -> Any:
    import importlib.machinery
    import importlib.util

    path = extension_file()
    try:
        if path is None:
            raise ImportError("regex._regex not found")
        loader = importlib.machinery.ExtensionFileLoader("regex._regex", path)
        found = importlib.util.spec_from_file_location("regex._regex", path, loader=loader)
        if found is None:
            raise ImportError("regex._regex not loadable")
        module = importlib.util.module_from_spec(found)
        loader.exec_module(module)
    except (ImportError, OSError):
        import regex  # an unusual installation: the package's own import finds it

        return regex._regex
    # The package, if imported later, finds this module and uses the same one.
    sys.modules["regex._regex"] = module
    return module


_extension_files: list[str | None] = []  # found once: the cache key and the loader both ask


def extension_file() -> str | None:
    """The path of ``regex``'s C extension, ``_regex``, found without importing anything."""
    if not _extension_files:
        _extension_files.append(_find_extension_file())
    return _extension_files[0]


def _find_extension_file() -> str | None:
    import importlib.machinery
    import importlib.util

    try:
        spec = importlib.util.find_spec("regex")  # a top-level name: nothing is imported
        folders = spec.submodule_search_locations if spec else None
        if not folders:
            return None
        suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
        for name in sorted(os.listdir(folders[0])):
            if name.startswith("_regex.") and name.endswith(suffixes):
                return os.path.join(folders[0], name)
    except (ImportError, ValueError, OSError):
        pass
    return None


def version_key() -> str:
    """What identifies the installed ``regex`` for a cache of its code: its extension file's
    name, size and modification time (no import; a new release is a new file)."""
    path = extension_file()
    if path is None:
        return "regex:unknown"
    stat = os.stat(path)
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def dump(pattern: Any) -> Code:
    """A compiled pattern's code (what ``regex`` pickles it as)."""
    return marshal.dumps(tuple(pattern._pickled_data))


def load(code: Code) -> Any:
    """The compiled pattern from ``dump``'s code."""
    return _load_extension().compile(*marshal.loads(code))


def compile(source: str, flags: int = 0) -> Any:
    """``regex.compile``: imports the package (its parser) on first use."""
    import regex

    return regex.compile(source, flags)


_primed: dict[tuple[str, int], Code] = {}  # constants' code from the rule cache
_constants: dict[tuple[str, int], Constant] = {}


class Constant:
    """A pattern the linter itself uses, compiled (or loaded from cached code) on first use."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self.key = (source, flags)
        self._compiled: Any = None
        _constants.setdefault(self.key, self)

    @property
    def compiled(self) -> Any:
        if self._compiled is None:
            code = _primed.get(self.key)
            self._compiled = load(code) if code is not None else compile(*self.key)
        return self._compiled


def codes() -> dict[tuple[str, int], Code]:
    """The code of every constant (for the rule cache), compiling those not compiled yet."""
    return {key: dump(constant.compiled) for key, constant in _constants.items()}


def prime(known: dict[tuple[str, int], Code]) -> None:
    """Keep the constants' cached code, loaded instead of compiled on first use."""
    _primed.update(known)


# The linter's own patterns (defined here, so the rule cache always keeps their code).
WORDS = Constant(r"\w+")  # the engine's word counts and windows
WORD_CHAR = Constant(r"\w")  # the prefilter's word characters, as ``regex`` reads ``\w``
TOKENS = Constant(r"\w+|\s+|[^\w\s]")  # the prefilter's tokens
# Where a sentence splits into clauses, for concept rules (lint.concepts): ; : — and a
# conjunction that starts a new statement (", and", ", while", "but", "whereas", Urdu لیکن …).
CLAUSE_BREAKS = Constant(
    r"[;:؛—–](?!\d)|\s-\s"
    r"|,(?=\s+(?:and|but|while|whereas|although|though|yet|however|unless)(?!\w))"
    r"|(?<=\s)(?=(?:but|whereas|although|though|however|unless|لیکن|مگر|جبکہ|تاہم|بلکہ)(?!\w))",
    IGNORECASE | UNICODE,
)
