"""What every command shares: the exit-code epilog, turning a ChecklistError into its message
and exit code, and the date option."""

from __future__ import annotations

from typing import Any, NoReturn

import click

from checklist.errors import ChecklistError

EXIT_CODES = """\b
Exit codes:
  0  success; every file valid
  1  an input file is invalid (each error printed as path:line:col: message);
     import: no layout fits the text, or a clause swallowed others
  2  usage error: bad option, missing or unreadable file, unknown id
  3  a report could not be rendered correctly (no CJK font, missing glyphs, refused resource)
  4  deadlines: a filing is late or missing
 70  internal error (a bug: please report it with CHECKLIST_DEBUG=1 output)
"""


class Failure(click.ClickException):
    """A ChecklistError on its way out: printed as is (it already names its place)."""

    def __init__(self, error: ChecklistError):
        super().__init__(str(error))
        self.exit_code = int(error.exit_code)  # type: ignore[misc]  # click reads it per instance
        self.has_place = error.path is not None or "\n" in self.message

    def show(self, file=None) -> None:
        prefix = "" if self.has_place else "checklist: error: "
        click.echo(prefix + self.message, err=True)


def fail(error: ChecklistError) -> NoReturn:
    raise Failure(error) from error


def date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """Click callback: YYYY-MM-DD (full-width digits accepted), or None."""
    from checklist.dates import parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except ChecklistError as e:
        raise click.BadParameter(e.message) from e
