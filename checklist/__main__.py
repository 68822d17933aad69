"""``python -m checklist``, and the console script's first step: a Ctrl-C while the command line is
still being imported (the first tenth of a second) exits 130 quietly too, like one during a command."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from checklist.cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
