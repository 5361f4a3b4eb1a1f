"""The console-script entry point. The pre-commit call (``check`` with paths only) runs without
importing typer, which with its validators is the largest cost of a one-page run; every other
call goes to the typer app in ``lint.cli``."""

from __future__ import annotations

import errno
import os
import sys
from typing import NoReturn

from lint import checking

FORCE_EXCLUDE = "--force-exclude"


def _paths_only(argv: list[str]) -> list[str] | None:
    """The paths of ``check [--force-exclude] PATH...`` with no other option (the pre-commit
    hook's call)."""
    if len(argv) < 2 or argv[0] != "check":
        return None
    paths = [a for a in argv[1:] if a != FORCE_EXCLUDE]
    if not paths or any(a.startswith("-") for a in paths):
        return None
    return paths


def _check_paths(paths: list[str], force_exclude: bool) -> NoReturn:
    """Run ``check`` with every other option at its default, exiting as typer's standalone mode
    does."""
    try:
        code = checking.run_check(paths, force_exclude=force_exclude)
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


def _run_app() -> NoReturn:
    """The typer app, its usage errors printed as one ``clinic-lint: error: …`` line (exit 2)
    instead of click's Usage/hint/Error block."""
    import typer

    from lint.cli import app

    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        code = checking.ExitCode.INTERRUPTED
    except Exception as exc:
        if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
            raise  # not click's (typer's) usage exception: a bug, keep its traceback
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare ``clinic-lint``: the help
            exc.show()  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)
        message = " ".join(exc.format_message().replace("Value error, ", "").split())
        checking.fail(message, checking.ExitCode(exc.exit_code))
    sys.exit(code if isinstance(code, int) else 0)


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
            _check_paths(paths, FORCE_EXCLUDE in sys.argv[2:])
        _run_app()
    except KeyboardInterrupt:
        sys.exit(checking.ExitCode.INTERRUPTED)
