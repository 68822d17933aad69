"""`checklist validate` and `checklist catalogs`: is every file right, and what catalogs are there."""

from __future__ import annotations

import json
import sys

import click

from checklist.cli.common import EXIT_CODES, command
from checklist.errors import ExitCode


@command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per error; json: every file's result for machines.",
)
def validate(paths: tuple[str, ...], fmt: str) -> None:
    """Validate catalogs and other checklist files (files or folders of *.yaml).

    The kind of each file is taken from its '# yaml-language-server: $schema=…' line or,
    failing that, from its keys. Every error is listed as path:line:col: message [schema path].
    """
    from checklist.outputs.validation import validate_paths, validation_report

    results = validate_paths(list(paths))
    click.echo(validation_report(results, fmt))
    sys.exit(max((r.exit_code for r in results), default=ExitCode.OK))


@command("catalogs", epilog=EXIT_CODES)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_catalogs(fmt: str) -> None:
    """List the catalogs found (bundled ones and $CHECKLIST_CATALOGS) with their size."""
    from checklist.model.library import catalog_summaries

    rows = catalog_summaries()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['id']:<32} {r['doc_no']:<20} {r['clauses']:>4} clauses {r['checks']:>4} checks {r['units']:>3} units  {r['title']}")
