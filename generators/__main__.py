"""``python -m generators``: the same command line as make_reports.py and ``gongwen``."""

import sys

from generators.cli import main

sys.exit(main("python -m generators"))
