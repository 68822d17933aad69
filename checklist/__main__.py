"""``python -m checklist``, and the console script's first step: a Ctrl-C while the command line is
still being imported (the first tenth of a second) exits 130 quietly too, like one during a command.
Once the command is over, Ctrl-C is ignored: the interpreter's shutdown restores the default
handler of SIGINT, and a Ctrl-C landing then would kill the process (exit −2) after its work was
done or refused (an ignored signal keeps being ignored through the shutdown)."""

from __future__ import annotations

import signal
import sys


def main() -> None:
    try:
        from checklist.cli import main as run

        run()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.exit(130)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":
    main()
