"""`checklist register businesses import | list`: the 生产经营单位信息台账 with their 分级分类
(京广发〔2026〕11号 第三十二条). Added to the `register` group in checklist.cli (COMMANDS)."""

from __future__ import annotations

import click

from checklist.cli.common import EXIT_CODES, echo_report, format_option, group
from checklist.cli.register import actor_options, db_option, open_db, who
from checklist.i18n import _


@group("businesses", epilog=EXIT_CODES)
def businesses() -> None:
    """The businesses under the department's watch (名称, 统一社会信用代码, 行业, 分级分类, 联系人): the
    population `checklist sample --businesses` draws from, and a filter (--business, --business-grade)
    on `register list` and `register dashboard`."""


@businesses.command("import", epilog=EXIT_CODES)
@click.argument("sheet", type=click.Path(dir_okay=False))
@db_option
@actor_options
def import_command(sheet, db, by, role):
    """Add or update businesses from SHEET (CSV or XLSX; columns 名称, 统一社会信用代码, 行业, 分级分类,
    联系人). Every code is checked by its GB 32100-2015 check character; every bad cell is named at
    file:row:col and nothing is stored while one remains."""
    from pathlib import Path

    from checklist.register import businesses as core
    from checklist.register.db import writing

    name = who(by)
    rows = core.read(Path(sheet))
    engine = open_db(db)
    with writing(engine) as conn:
        done = core.import_rows(conn, rows, by=name, role=role)
    click.echo(
        _("{file}: {read} business(es): {added} added, {changed} changed, {unchanged} unchanged").format(
            file=sheet, read=done.read, added=len(done.added), changed=len(done.changed), unchanged=done.unchanged
        )
    )


@businesses.command("list", epilog=EXIT_CODES)
@db_option
@click.option("--grade", help="Only the businesses of this 分级分类 level.")
@format_option("checklist.outputs.register_views:BUSINESS_REPORTERS", default="text")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
def list_command(db, grade, fmt, output):
    """The businesses, by 分级分类 level and name (CSV: a population for `checklist sample`)."""
    from checklist.outputs.register_views import BUSINESS_REPORTERS
    from checklist.register import businesses as core
    from checklist.register.db import reading

    engine = open_db(db, create=False)
    with reading(engine) as conn:
        rows = core.listed(conn, grade)
    echo_report(BUSINESS_REPORTERS[fmt](rows), output)


COMMANDS = (businesses,)
