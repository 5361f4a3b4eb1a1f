"""The console-script entry point. The pre-commit call (``check`` with paths only) runs without
importing typer, which with its validators is the largest cost of a one-page run; every other
call goes to the typer app in ``lint.cli``."""

from __future__ import annotations

import errno
import os
import sys
from typing import NoReturn

from lint import checking


def _paths_only(argv: list[str]) -> list[str] | None:
    """The paths of ``check PATH...`` with no option at all (the pre-commit hook's call)."""
    if len(argv) < 2 or argv[0] != "check" or any(a.startswith("-") for a in argv[1:]):
        return None
    return argv[1:]


def _check_paths(paths: list[str]) -> NoReturn:
    """Run ``check`` with every option at its default, exiting as typer's standalone mode does."""
    try:
        code = checking.run_check(paths)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - as click: quiet exit
        code = 1
    sys.exit(code)


def _interrupted(signum: int, frame: object) -> None:
    # Say it at once (typer turns KeyboardInterrupt into a silent exit 130), then unwind so
    # that output files being written are left as they were.
    sys.stderr.write("clinic-lint: interrupted\n")
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:2] == ["check"]:
        checking.pause_gc()
    import signal

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted)
    try:
        paths = _paths_only(sys.argv[1:])
        if paths is not None:
            _check_paths(paths)
        from lint.cli import app

        app()
    except KeyboardInterrupt:
        sys.exit(checking.ExitCode.INTERRUPTED)
