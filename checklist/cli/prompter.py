"""The terminal side of `audit run`: single keys from a terminal, lines from a pipe."""

from __future__ import annotations

import sys

import click


class TerminalPrompter:
    """Single keys from a terminal; whole lines from piped standard input (for scripts and tests).
    End of input (Ctrl-D, or the end of the pipe) gives None; Ctrl-C raises KeyboardInterrupt, so
    the session can say which answer it cut short."""

    def __init__(self) -> None:
        self.tty = sys.stdin.isatty()

    def show(self, text: str) -> None:
        click.echo(text)

    def key(self, prompt: str, choices: str) -> str | None:
        while True:
            click.echo(prompt, nl=False)
            if self.tty:
                try:
                    ch = click.getchar()
                except EOFError:
                    ch = "\x04"
                except KeyboardInterrupt:
                    click.echo()
                    raise
                click.echo(ch if ch.isprintable() else "")
            else:
                line = sys.stdin.readline()
                if not line:
                    click.echo()
                    return None
                ch = line.strip()[:1]
                click.echo(ch)  # what a terminal would have echoed, so logs read like a session
            if ch == "\x04":
                return None
            if ch == "\x03":
                raise KeyboardInterrupt
            if ch.lower() in choices:
                return ch.lower()
            click.echo(f"  请输入 {'/'.join(choices)} 之一")

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
