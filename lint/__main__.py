from lint.entry import main

main()
