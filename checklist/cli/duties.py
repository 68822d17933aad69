"""`checklist duties`: responsibility lists (责任清单) and the units × clauses matrix."""

from __future__ import annotations

import click

from checklist.cli.common import EXIT_CODES, command, format_option
from checklist.i18n import _


@command(epilog=EXIT_CODES)
@click.option("--catalog", "catalog_ids", multiple=True, required=True, help="Catalog id or path (repeatable).")
@click.option("--unit", help="The unit (id, name or alias, matched after NFKC in every catalog) [default: all units].")
@format_option("checklist.outputs.duties_report:WRITERS", default="pdf")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file [default: reports/duties-<unit or catalog>.<format>].")
def duties(catalog_ids, unit, fmt, output):
    """A responsibility list (责任清单): per document and chapter, each duty's article, text, role
    (牵头 / 配合, also through collective names such as 各处室单位), frequency, deadline rule and
    inspection questions. Without --unit: the matrix of units × clauses (● lead, ○ supporting),
    then the list of every unit."""
    from pathlib import Path

    from checklist.lists.duties import matrix, unit_list
    from checklist.model.library import load_catalog
    from checklist.outputs.duties_report import WRITERS

    # the same catalog named twice (by id, by path) counts once
    catalogs = list({Path(c.path).resolve(): c for c in map(load_catalog, catalog_ids)}.values())
    if unit is not None:
        lists, matrices = [unit_list(catalogs, unit)], []
        stem = lists[0].name
    else:
        matrices = [matrix(c) for c in catalogs]
        names = list(dict.fromkeys(u.name for m in matrices for u in m.units))
        lists = [unit_list(catalogs, n) for n in names]
        stem = "-".join(c.id for c in catalogs)
    out = Path(output) if output else Path("reports") / f"duties-{stem}.{fmt}"
    WRITERS[fmt](lists, matrices, out)
    total = sum(len(ul.duties) for ul in lists)
    click.echo(_("{file}: {units} unit(s), {duties} duties").format(file=out, units=len(lists), duties=total))
