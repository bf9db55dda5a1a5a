from kampungkb.cli import main

main()
