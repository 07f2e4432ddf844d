#!/usr/bin/env python3
"""gongwen-reports 命令行（公文、责任书、工作计划、督导通报、统计表、归档包）。

The design card's entry point in a checkout; the app itself is generators/cli (also
installed as the ``gongwen`` command).
"""

import sys

from generators.cli import main

if __name__ == "__main__":
    sys.exit(main("make_reports.py"))
