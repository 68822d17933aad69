"""The terminal side of `audit run`: single keys from a terminal, lines from a pipe."""

from __future__ import annotations

import sys
import unicodedata

import click

from checklist.errors import Refusal
from checklist.i18n import _


class TerminalPrompter:
    """Single keys from a terminal; whole lines from piped standard input (for scripts and tests)."""

    def __init__(self) -> None:
        self.tty = sys.stdin.isatty()

    def show(self, text: str) -> None:
        click.echo(text)

    def refused(self, error: Refusal) -> None:
        from checklist.cli.words import word

        click.echo(f"  {word(error)}")

    def key(self, prompt: str, choices: dict[str, str]) -> str | None:
        """A single key from a terminal; a whole line from a pipe, compared after NFKC (so ｙ and
        重大事故隐患 work) — a line is never cut to its first character. Anything else is echoed
        in full and asked again."""
        while True:
            click.echo(prompt, nl=False)
            if self.tty:
                try:
                    given = click.getchar()
                except EOFError:
                    given = "\x04"
                except KeyboardInterrupt:
                    click.echo()
                    raise
                click.echo(given if given.isprintable() else "")
            else:
                line = sys.stdin.readline()
                if not line:
                    click.echo()
                    return None
                given = line.rstrip("\r\n")
                click.echo(given)  # what a terminal would have echoed, so logs read like a session
            if given == "\x04":
                return None
            if given == "\x03":
                raise KeyboardInterrupt
            word = "".join(unicodedata.normalize("NFKC", given).split()).lower()
            if word in choices:
                return choices[word]
            shown = [c for c in choices if len(c) == 1] if self.tty else list(choices)
            click.echo("  " + _("{given!r} is not a valid answer: type one of {choices}").format(given=given, choices=" / ".join(shown)))

    def line(self, prompt: str) -> str | None:
        click.echo(prompt, nl=False)
        try:
            line = input() if self.tty else sys.stdin.readline()
        except EOFError:
            click.echo()
            return None
        except KeyboardInterrupt:
            click.echo()
            raise
        if not self.tty:
            if not line:
                click.echo()
                return None
            click.echo(line.rstrip("\n"))
        return line.rstrip("\n")
