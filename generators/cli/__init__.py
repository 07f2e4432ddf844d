"""The command line: ``make_reports.py`` (checkout), ``gongwen`` (installed), ``python -m generators``.

In: the user's arguments.  Out: calls into the library and Chinese messages; exit code 0
(done), 1 (some documents failed, or an unexpected error, logged), 2 (bad input or
arguments), 130 (interrupted).
"""

from __future__ import annotations


def main(prog_name: str | None = None) -> int:
    """Run the command line (fontconfig is pointed at the project's fonts first)."""
    from generators.cli.app import main as run

    return run(prog_name)
