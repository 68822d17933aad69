"""The ``checklist`` command line. Click lives here only: each command parses its options,
calls one core function and turns a ChecklistError into its message and exit code."""

from __future__ import annotations

import json
import os
import sys
from typing import NoReturn

import click

from . import __version__
from .errors import ChecklistError, ExitCode

EXIT_CODES = """\b
Exit codes:
  0  success; every file valid
  1  an input file is invalid (each error printed as path:line:col: message)
  2  usage error: bad option, missing or unreadable file, unknown id
  3  a report could not be rendered correctly (no CJK font, missing glyphs, refused resource)
  4  deadlines: a filing is late or missing
 70  internal error (a bug: please report it with CHECKLIST_DEBUG=1 output)
"""


class Failure(click.ClickException):
    """A ChecklistError on its way out: printed as is (it already names its place)."""

    def __init__(self, error: ChecklistError):
        super().__init__(str(error))
        self.exit_code = int(error.exit_code)
        self.has_place = error.path is not None or "\n" in self.message

    def show(self, file=None) -> None:
        prefix = "" if self.has_place else "checklist: error: "
        click.echo(prefix + self.message, err=True)


def fail(error: ChecklistError) -> NoReturn:
    raise Failure(error) from error


@click.group(epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="checklist")
def cli() -> None:
    """Duties from policy documents, kept as data: validate catalogs, run audits,
    compute working-day deadlines, produce responsibility lists and PDF reports."""


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per error; json: every file's result for machines.")
def validate(paths: tuple[str, ...], fmt: str) -> None:
    """Validate catalogs and other checklist files (files or folders of *.yaml).

    The kind of each file is taken from its '# yaml-language-server: $schema=…' line or,
    failing that, from its keys. Every error is listed as path:line:col: message [schema path].
    """
    from .validate import validate_paths
    from .reporting import validation_report

    results = validate_paths(list(paths))
    click.echo(validation_report(results, fmt))
    sys.exit(max((r.exit_code for r in results), default=ExitCode.OK))


@cli.command("catalogs")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_catalogs(fmt: str) -> None:
    """List the catalogs found (bundled ones and $CHECKLIST_CATALOGS) with their size."""
    from .library import catalog_summaries

    try:
        rows = catalog_summaries()
    except ChecklistError as e:
        fail(e)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['id']:<32} {r['doc_no']:<20} {r['clauses']:>4} clauses {r['checks']:>4} checks {r['units']:>3} units  {r['title']}")


def main() -> None:
    """Console entry point: never a traceback for the user (set CHECKLIST_DEBUG=1 to see one)."""
    try:
        cli.main(prog_name="checklist")
    except Exception as e:  # a bug, not a user error: say so briefly
        if os.environ.get("CHECKLIST_DEBUG"):
            raise
        click.echo(f"checklist: internal error: {type(e).__name__}: {e} (set CHECKLIST_DEBUG=1 for details)", err=True)
        sys.exit(70)
