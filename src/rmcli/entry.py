"""The console script's entry point: as little as possible before Ctrl-C is handled."""

import os
import sys


def main() -> None:
    """Import the CLI (most of start-up time) with Ctrl-C already turned into exit 130."""
    try:
        from rmcli.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("rmcli: error: interrupted\n")
        os._exit(130)
    cli_main()
