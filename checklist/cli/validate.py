"""`checklist validate` and `checklist catalogs`: is every file right, and what catalogs are there."""

from __future__ import annotations

import sys

import click

from checklist.cli.common import EXIT_CODES, command, echo_report, format_option
from checklist.errors import ExitCode


@command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@format_option(
    "checklist.outputs.validation:REPORTERS", default="text", help="text: one line per error; json: every file's result for machines."
)
def validate(paths: tuple[str, ...], fmt: str) -> None:
    """Validate catalogs and other checklist files (files or folders of *.yaml).

    The kind of each file is taken from its '# yaml-language-server: $schema=…' line or,
    failing that, from its keys. Every error is listed as path:line:col: message [schema path].
    """
    from checklist.outputs.validation import REPORTERS, validate_paths

    results = validate_paths(list(paths))
    echo_report(REPORTERS[fmt](results))
    sys.exit(max((r.exit_code for r in results), default=ExitCode.OK))


@command("catalogs", epilog=EXIT_CODES)
@format_option("checklist.outputs.catalog_views:REPORTERS", default="text")
def list_catalogs(fmt: str) -> None:
    """List the catalogs found (bundled ones and $CHECKLIST_CATALOGS) with their size."""
    from checklist.model.library import catalog_summaries
    from checklist.outputs.catalog_views import REPORTERS

    echo_report(REPORTERS[fmt](catalog_summaries()))
