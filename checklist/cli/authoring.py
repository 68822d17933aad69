"""For catalog authors: `checklist import` (a policy text → a draft) and `checklist diff`."""

from __future__ import annotations

import json

import click

from checklist.cli.common import EXIT_CODES, fail
from checklist.errors import ChecklistError


@click.command("diff", epilog=EXIT_CODES)
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff_command(old, new, fmt):
    """What changed between two versions of a catalog (files or ids): clauses added, removed,
    reworded (with a character-level diff: [-deleted-] {+inserted+}) and reassigned to other
    units. Exits 0 whether or not there are changes."""
    from checklist.lists.diff import diff, report_text
    from checklist.model.library import load_catalog

    try:
        a, b = load_catalog(old), load_catalog(new)
    except ChecklistError as e:
        fail(e)
    changes = diff(a, b)
    if fmt == "json":
        click.echo(json.dumps({"old": a.path, "new": b.path, "changes": [c.as_dict() for c in changes]}, ensure_ascii=False, indent=2))
    else:
        click.echo(report_text(a, b, changes))


@click.command("import", epilog=EXIT_CODES)
@click.argument("text", type=click.Path(dir_okay=False))
@click.option(
    "--layout",
    required=True,
    type=click.Choice(["articles", "fields", "duty-units"]),
    help="articles: 第X条 and numbered items; fields: items with 服务对象/服务内容/服务标准/支出责任/牵头负责单位; "
    "duty-units: paragraphs ending in （责任单位：…）.",
)
@click.option("--id", "catalog_id", default="draft", show_default=True, help="Id of the draft catalog.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The draft catalog (YAML) to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option(
    "--schemas",
    "schemas_dir",
    type=click.Path(file_okay=False, exists=True),
    help="Folder of exported schemas (checklist schemas export) for the file's modeline [default: a schemas/ folder up the tree, else the installed schema].",
)
def import_command(text, layout, catalog_id, output, force, schemas_dir):
    """Turn a policy text (UTF-8, as extracted from a PDF) into a draft catalog: lines the PDF
    wrapped are joined, page numbers and running headers dropped, Kangxi radicals folded (⼗ → 十),
    and every line it could not place is listed with its number, in the draft and here."""
    from pathlib import Path

    from checklist.errors import UsageError
    from checklist.files import atomic
    from checklist.files.loader import read_text
    from checklist.lists.draft_yaml import draft_yaml
    from checklist.lists.importer import import_text

    try:
        if atomic.exists(output) and not force:
            raise UsageError(f"{output} exists: use --force to overwrite it")
        source, _ = read_text(text)
        draft = import_text(source, layout, catalog_id=catalog_id)
        atomic.write_text(output, draft_yaml(draft, Path(output), Path(schemas_dir) if schemas_dir else None))
    except ChecklistError as e:
        fail(e)
    click.echo(
        f"{output}: {len(draft.catalog['clauses'])} clauses, {len(draft.catalog['units'])} units"
        f" — a draft: review every clause, then write its questions"
    )
    for number, line in draft.unplaced:
        click.echo(f"{text}:{number}:1: not placed: {line}", err=True)
