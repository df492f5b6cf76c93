from roadmap_tui.cli import main

main()
