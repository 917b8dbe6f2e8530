from rmcli.cli import main

main()
