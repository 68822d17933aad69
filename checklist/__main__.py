from checklist.cli import main

main()
