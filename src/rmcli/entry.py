"""The console script's entry point: as little as possible before Ctrl-C is handled.

rmcli is a short-lived process that allocates a great deal while it imports and loads, and
frees almost nothing in cycles; the cyclic garbage collector would run many times for
nothing. So it is off for the run (reference counting still frees memory), and the objects
left at the end are frozen so the interpreter's final collection does not walk them. Both are
documented `gc` functions; together they save more time than skipping interpreter teardown.
"""

import gc
import sys


def main() -> None:
    """Run the CLI with Ctrl-C turned into exit 130 from the first import to the last flush
    (rmcli.cli.run reports an interrupt during the command itself)."""
    gc.disable()
    try:
        from rmcli.cli.run import finish, run

        code = finish(run())
    except KeyboardInterrupt:
        sys.stderr.write("rmcli: error: interrupted\n")
        code = 130
    gc.freeze()
    raise SystemExit(code)
