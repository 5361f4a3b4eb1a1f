"""Writing reports to files: every file is written whole or not at all (temp file + os.replace),
so an interrupted CI run never leaves a truncated SARIF or baseline behind."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO, cast


class OutputError(Exception):
    """A report file cannot be written (exit 2)."""


def parse_spec(spec: str, formats: Any) -> tuple[str, Path]:
    """``--output-format sarif=report.sarif`` -> ('sarif', Path('report.sarif'))."""
    name, sep, file = spec.partition("=")
    name = name.strip()
    if not sep or not file.strip():
        raise OutputError(
            f"--output-format '{spec}': expected FORMAT=FILE, e.g. sarif=results.sarif"
        )
    if name not in formats:
        raise OutputError(
            f"--output-format '{spec}': unknown format '{name}' (choose from {', '.join(formats)})"
        )
    path = Path(file.strip())
    if not path.parent.is_dir():
        raise OutputError(f"{path}: cannot write: folder {path.parent} does not exist")
    return name, path


def atomic_write(path: Path, write: Callable[[TextIO], Any]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then move it into place."""
    with atomic_file(path) as stream:
        write(stream)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[TextIO]:
    """A temporary file beside ``path``, moved into place when the block ends normally and
    removed if it raises (Ctrl-C, an error): a report streamed over a whole run is never left
    half-written, and the old file stays until the new one is complete. Failing writes to it
    raise OutputError naming ``path``; any other error in the block passes through unchanged."""
    import tempfile  # not on the pre-commit path, which writes no file

    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as raw:
            yield cast(TextIO, _Guarded(raw, path))
            _guard(path, raw.flush)
            _guard(path, os.fsync, raw.fileno())
        umask = os.umask(0)
        os.umask(umask)
        _guard(path, os.chmod, tmp, 0o666 & ~umask)  # mkstemp makes 0600; reports are ordinary
        _guard(path, os.replace, tmp, path)
    except BaseException:
        _discard(tmp)
        raise


def _guard(path: Path, call: Callable[..., Any], *args: Any) -> Any:
    try:
        return call(*args)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None


class _Guarded:
    """A text stream whose write errors name the report file (a full disk, a lost mount)."""

    def __init__(self, stream: TextIO, path: Path) -> None:
        self._stream = stream
        self._path = path

    def write(self, text: str) -> int:
        return int(_guard(self._path, self._stream.write, text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
