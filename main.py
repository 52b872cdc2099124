"""python main.py [options] — the same as the `commandcenter` command."""

import sys

from commandcenter.cli import main

if __name__ == "__main__":
    sys.exit(main())
