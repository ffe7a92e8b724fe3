"""`python -m outrider` runs the command line."""

from outrider.cli import main

main()
