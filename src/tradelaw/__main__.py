"""``python -m tradelaw``: the same as the ``tradelaw`` command."""

import sys

from tradelaw.cli import main

if __name__ == "__main__":
    sys.exit(main())
