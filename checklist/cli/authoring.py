"""For catalog authors: `checklist import` (a policy text → a draft) and `checklist diff`."""

from __future__ import annotations

import json

import click

from checklist.cli.common import EXIT_CODES, command, fail, schemas_option
from checklist.i18n import _


@command("diff", epilog=EXIT_CODES)
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff_command(old, new, fmt):
    """What changed between two versions of a catalog (files, ids, or published versions
    ID@N): clauses added, removed, reworded (with a character-level diff: [-deleted-]
    {+inserted+}), reassigned to other units, questions and deadlines changed; then, for each
    unit, what changed for it. Exits 0 whether or not there are changes."""
    from checklist.lists.diff import diff, report_text, unit_changes
    from checklist.model.library import load_catalog

    a, b = load_catalog(old), load_catalog(new)
    changes = diff(a, b)
    if fmt == "json":
        data = {"old": a.path, "new": b.path, "changes": [c.as_dict() for c in changes], "units": unit_changes(a, b, changes)}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(report_text(a, b, changes))


@command("import", epilog=EXIT_CODES)
@click.argument("text", metavar="FILE", type=click.Path(dir_okay=False))
@click.option(
    "--layout",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "articles", "fields", "duty-units", "table"]),
    help="auto: try every layout, keep the one that explains the most lines; articles: 第X条 and numbered "
    "items; fields: items with 服务对象/服务内容/服务标准/支出责任/牵头负责单位; duty-units: paragraphs ending "
    "in （责任单位：…）; table: a table under a header row (序号 服务项目 服务对象 …), one row per line or "
    "one cell per run of lines; a web page's, Word file's or PDF's own tables are read cell by cell.",
)
@click.option("--id", "catalog_id", default="draft", show_default=True, help="Id of the draft catalog.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The draft catalog (YAML) to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@schemas_option
@click.option(
    "--fix-radical",
    "fix_radicals",
    multiple=True,
    metavar="RADICAL=CHAR",
    help="Read an ambiguous radical as this character (repeatable), e.g. --fix-radical ⼜=口; without it the "
    "radical stays as it is and is reported.",
)
@click.option(
    "--accept-warnings",
    is_flag=True,
    help="Write the draft even with blocking findings — a clause that swallowed item numbers or is far longer than "
    "its siblings, a number repeated or out of order, a heading glued to an item (each such clause gets a note "
    "starting 待核对).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="The report's format (stdout)."
)
def import_command(text, layout, catalog_id, output, force, fix_radicals, accept_warnings, fmt, schemas_dir):
    """Turn a policy document into a draft catalog, with a report.

    FILE is the document as published — a web page (.html, .htm), a Word file (.docx), a PDF
    (.pdf), Markdown (.md) — or text (UTF-8, as extracted from a PDF). Tables are read as
    tables, Word's numbering as printed, and every clause keeps its place in the source
    (source_place). Lines a PDF wrapped are joined, page numbers and running headers dropped,
    safe Kangxi radicals folded (⼗ → 十; ambiguous ones such as ⼜ reported), and a report
    printed: the layout and why, every line accounted for (placed, noise by kind, not placed
    with its place), items found and complete, per field how many items have it, and findings.
    Exits 1 without writing when no layout fits, or when there are blocking findings (unless
    --accept-warnings)."""
    from checklist.authoring.import_report import import_file, report_text
    from checklist.authoring.radicals import parse_fixes
    from checklist.errors import UnfitTextError, UsageError

    try:
        fixes = parse_fixes(fix_radicals)
    except ValueError as e:
        raise UsageError(f"--fix-radical {e}") from None
    draft, report = import_file(
        text, output, layout=layout, catalog_id=catalog_id, fixes=fixes, accept=accept_warnings, force=force, schemas=schemas_dir
    )
    if fmt == "json":
        click.echo(json.dumps({"text": text, "output": output} | report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report_text(report, text, output))
        if draft and report.written:
            click.echo(
                _("{output}: {clauses} clauses, {units} units — a draft: review every clause, then write its questions").format(
                    output=output, clauses=len(draft.catalog["clauses"]), units=len(draft.catalog["units"])
                )
            )
    if not report.written:
        flagged = ", ".join(dict.fromkeys(f"{f.clause} ({_(f.kind)})" for f in report.blocking))
        fail(
            UnfitTextError(
                _(
                    "{output} not written: {count} blocking finding(s) — {flagged}; check the layout, or pass"
                    " --accept-warnings to write those clauses marked 待核对"
                ).format(output=output, count=len(report.blocking), flagged=flagged)
            )
        )
