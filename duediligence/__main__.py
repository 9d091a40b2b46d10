"""`python -m duediligence` runs the same entry point as the `duediligence` script."""

from duediligence.cli import main

if __name__ == "__main__":
    main()
