"""`checklist schemas export DIR`: the shipped JSON Schemas, for editors and other tools."""

from __future__ import annotations

import click

from checklist.cli.common import EXIT_CODES, group


@group(epilog=EXIT_CODES)
def schemas() -> None:
    """The JSON Schemas (draft 2020-12) of every file checklist reads and writes."""


@schemas.command("export", epilog=EXIT_CODES)
@click.argument("folder", type=click.Path(file_okay=False))
def schemas_export(folder):
    """Copy the shipped schemas into FOLDER (made if missing; older copies replaced).

    Files that `audit new`, `audit batch` and `import` write afterwards below FOLDER's parent — or
    anywhere, with --schemas FOLDER — name their schema by a relative path into it, so an editor
    (yaml-language-server) validates them as they are typed.
    """
    from pathlib import Path

    from checklist.files.schemas import export

    written = export(Path(folder))
    for path in written:
        click.echo(str(path))
