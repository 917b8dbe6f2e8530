"""The command line: thin Typer commands, one module each, imported only when run.

`rmcli.cli.app` holds the root `app` and the command table, `rmcli.cli.run` runs it and
chooses exit codes; this package module imports nothing, so that importing one command does
not import the others.
"""
