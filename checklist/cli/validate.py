"""`checklist validate` and `checklist catalogs`: is every file right, and what catalogs are there."""

from __future__ import annotations

import sys

import click

from checklist.cli.common import EXIT_CODES, command, echo_report, format_option, group, schemas_option
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


@group("catalogs", epilog=EXIT_CODES, invoke_without_command=True)
@format_option("checklist.outputs.catalog_views:REPORTERS", default="text")
@click.pass_context
def list_catalogs(ctx: click.Context, fmt: str) -> None:
    """List the catalogs found, with their size: the bundled ones and those in the folders of
    $CHECKLIST_CATALOGS — among them DATA/catalogs, where `checklist serve --data DATA` writes the
    versions editors publish; a published catalog with its latest version and every version
    there is (ID@N names one)."""
    if ctx.invoked_subcommand is not None:
        return
    from checklist.model.library import catalog_summaries
    from checklist.outputs.catalog_views import REPORTERS

    echo_report(REPORTERS[fmt](catalog_summaries()))


@list_catalogs.command("export", epilog=EXIT_CODES)
@click.argument("catalog", metavar="ID[@VERSION]")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The YAML file to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@schemas_option
def export_catalog(catalog: str, output: str, force: bool, schemas_dir: str | None) -> None:
    """Write a catalog to a YAML file, as the bundled catalogs are kept.

    The catalog's latest version, or the one ID@VERSION names, with a schema line for editors:
    for `validate`, $CHECKLIST_CATALOGS or another checklist."""
    from pathlib import Path

    from checklist.i18n import _
    from checklist.model.library import export

    cat = export(catalog, Path(output), schemas=Path(schemas_dir) if schemas_dir else None, force=force)
    if cat.version:
        line = _("{output}: {id} version {version}, {clauses} clauses").format(
            output=output, id=cat.id, version=cat.version, clauses=len(cat.clauses)
        )
    else:
        line = _("{output}: {id}, {clauses} clauses").format(output=output, id=cat.id, clauses=len(cat.clauses))
    click.echo(line)
