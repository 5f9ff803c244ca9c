from kzdata.cli import main

main()
