"""Entry point for python -m relational.coach."""

import sys

from relational.coach.cli import main

if __name__ == "__main__":
    sys.exit(main())
