"""The console-script entry point. The pre-commit call (``check`` with paths only) runs without
importing typer, which with its validators is the largest cost of a one-page run; every other
call goes to the typer app in ``lint.cli``."""

from __future__ import annotations

import errno
import os
import sys

from lint import checking

FORCE_EXCLUDE = "--force-exclude"


def _hook_options(argv: list[str]) -> checking.CheckOptions | None:
    """The options of ``check [--force-exclude] PATH...`` with no other option (the pre-commit
    hook's call), every other option at its default; None for any other command line."""
    if len(argv) < 2 or argv[0] != "check":
        return None
    paths = [a for a in argv[1:] if a != FORCE_EXCLUDE]
    if not paths or any(a.startswith("-") for a in paths):
        return None
    return checking.CheckOptions(tuple(paths), force_exclude=FORCE_EXCLUDE in argv[1:])


def _interrupted(signum: int, frame: object) -> None:
    # Say it at once (typer turns KeyboardInterrupt into a silent exit 130), then unwind so
    # that output files being written are left as they were.
    sys.stderr.write("clinic-lint: interrupted\n")
    raise KeyboardInterrupt


def _run_app() -> int:
    """The typer app's exit code; its usage errors become a ``CommandError`` (one
    ``clinic-lint: error: …`` line, exit 2) instead of click's Usage/hint/Error block."""
    import typer

    from lint.cli import app

    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        return checking.ExitCode.INTERRUPTED
    except checking.CommandError:
        raise  # a command's own error: ``_run`` reports it
    except Exception as exc:
        if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
            raise  # not click's (typer's) usage exception: a bug, keep its traceback
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare ``clinic-lint``: the help
            exc.show()  # type: ignore[attr-defined]
            return int(exc.exit_code)
        message = " ".join(exc.format_message().replace("Value error, ", "").split())
        raise checking.CommandError(message, checking.ExitCode(exc.exit_code)) from exc
    return code if isinstance(code, int) else 0


def _run(argv: list[str]) -> int:
    """Run the command ``argv`` names; the one place its errors become stderr lines and an
    exit code."""
    try:
        options = _hook_options(argv)
        return _run_app() if options is None else checking.run_check(options)
    except checking.CommandError as exc:
        for line in exc.lines:
            sys.stderr.write(f"clinic-lint: error: {line}\n")
        return exc.code
    except KeyboardInterrupt:
        return checking.ExitCode.INTERRUPTED
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        # The reader went away (``| head``): exit quietly, as click does, and keep Python's
        # final flush from complaining about the closed pipe.
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
        return 1


def main() -> None:
    """Console-script entry point."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted)
    sys.exit(_run(sys.argv[1:]))
