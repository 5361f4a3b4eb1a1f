"""Writing reports to files: every file is written whole or not at all (temp file + os.replace),
so an interrupted CI run never leaves a truncated SARIF or baseline behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO


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
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; reports are ordinary files
        os.replace(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)
