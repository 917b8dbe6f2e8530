"""The console script's entry point: as little as possible before Ctrl-C is handled.

Ctrl-C is one line ("rmcli: error: interrupted") and exit 130 from the moment this module
starts: an interrupt during the command is reported by rmcli.cli.run, one while the command
is imported or the output flushed by `main`, and one in the few statements around `main` (the
console script calling it, `main` returning) by `sys.excepthook`, after which Python ends the
process by SIGINT, which the shell also reports as 130. Once `main` is done, SIGINT is ignored,
so that no interrupt lands in the interpreter's own shutdown. Before this module runs, Python
itself is starting (a few milliseconds); an interrupt then is Python's to report.

rmcli is a short-lived process that allocates a great deal while it imports and loads, and
frees almost nothing in cycles; the cyclic garbage collector would run many times for
nothing. So it is off for the run (reference counting still frees memory), and the objects
left at the end are frozen so the interpreter's final collection does not walk them. Both are
documented `gc` functions; together they save more time than skipping interpreter teardown.
"""

import sys
from types import TracebackType

INTERRUPTED = "rmcli: error: interrupted\n"


def _say_interrupted() -> None:
    try:
        sys.stderr.write(INTERRUPTED)
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):  # stderr closed (None) or gone
        pass


def _report(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook: an interrupt outside `main`'s reach is one line, not a traceback."""
    if issubclass(kind, KeyboardInterrupt):
        _say_interrupted()
    else:
        sys.__excepthook__(kind, error, tb)


sys.excepthook = _report

import gc  # noqa: E402  (after the hook: an interrupt while importing is reported too)


def main() -> None:
    """Run the CLI with Ctrl-C turned into exit 130 from the first import to the last flush
    (rmcli.cli.run reports an interrupt during the command itself)."""
    gc.disable()
    try:
        from rmcli.cli.run import finish, run

        code = finish(run())
    except KeyboardInterrupt:
        _say_interrupted()
        code = 130
    import signal  # already imported by the command's libraries: free here

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # done: shut down without an interrupt
    gc.freeze()
    raise SystemExit(code)
