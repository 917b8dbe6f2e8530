from rmcli.entry import main

main()
