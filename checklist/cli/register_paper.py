"""`checklist register notice | opinion | ledger | dashboard`: the register's paper (PDF in the
report family, HTML, XLSX). Added to the `register` group in checklist.cli (COMMANDS)."""

from __future__ import annotations

import click

from checklist import dates
from checklist.cli.common import EXIT_CODES, command, date_option, fail, format_option
from checklist.cli.register import db_option, load_grading, open_db, risk_options, warn_unknown
from checklist.i18n import _

PAGES = "checklist.outputs.pages:FORMATS"


@command("notice", epilog=EXIT_CODES)
@click.argument("audit", type=click.Path(dir_okay=False))
@db_option
@format_option(PAGES, default="pdf")
@click.option("-o", "--output", type=click.Path(file_okay=False), default="reports", show_default=True, help="Folder for the notices.")
def notice_command(audit, db, fmt, output):
    """《隐患整改通知书》 for an imported AUDIT (its file, or its id): one per inspected unit, listing its hazards with
    measures, owners and due dates, the 重大 hazards' interim measures and plan, and signature and
    receipt lines. Files: OUTPUT/整改通知书-<audit>-<unit>.<format>."""
    from pathlib import Path

    from checklist.outputs.register_paper import notices
    from checklist.register.db import reading
    from checklist.register.queries import audit_hazards

    engine = open_db(db, create=False)
    with reading(engine) as conn:
        rows = audit_hazards(conn, audit)
    written = notices(rows, fmt, Path(output))
    for path in written:
        click.echo(str(path))


@command("opinion", epilog=EXIT_CODES)
@click.argument("hazard_ids", nargs=-1)
@click.option("--audit", type=click.Path(dir_okay=False), help="A re-check audit: every hazard it re-checked.")
@db_option
@format_option(PAGES, default="pdf")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write [default: reports/整改复查意见书-<first id>.<format>]."
)
def opinion_command(hazard_ids, audit, db, fmt, output):
    """《整改复查意见书》: the latest 复查 of each hazard named (HAZARD_ID…), or every hazard a
    re-check audit re-checked (--audit): conclusion, opinion, 复查人 and date, with signature lines."""
    from pathlib import Path

    from checklist.errors import UsageError
    from checklist.outputs.register_paper import opinion
    from checklist.register.db import reading
    from checklist.register.queries import reviews

    if not hazard_ids and not audit:
        fail(UsageError(_("name hazards (YH-…) or give --audit RECHECK.yaml")))
    engine = open_db(db, create=False)
    with reading(engine) as conn:
        rows = reviews(conn, audit, list(hazard_ids))
    out = Path(output or f"reports/整改复查意见书-{rows[0]['id']}.{fmt}")
    opinion(rows, fmt, out)
    click.echo(str(out))


@command("ledger", epilog=EXIT_CODES)
@db_option
@click.option("--unit", help="Only this unit's hazards.")
@click.option("--year", type=int, help="Only hazards found in this year.")
@format_option("checklist.outputs.register_paper:LEDGER_FORMATS", default="pdf")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write [default: reports/隐患台账.<format>].")
def ledger_command(db, unit, year, fmt, output):
    """The 隐患台账 (A4 landscape PDF, HTML or XLSX): 编号, 排查时间, 部位, 排查人, 隐患描述, 等级,
    整改措施, 责任人, 整改期限, 临时措施, 完成情况, 复查人, 复查日期, 复查结论, 销号日期."""
    from pathlib import Path

    from checklist.outputs.register_paper import ledger
    from checklist.register.db import reading
    from checklist.register.log import head
    from checklist.register.queries import ledger as ledger_rows

    engine = open_db(db, create=False)
    title = f"{unit + ' ' if unit else ''}{str(year) + '年' if year else ''}隐患台账"
    out = Path(output or f"reports/隐患台账.{fmt}")
    with reading(engine) as conn:
        rows = ledger_rows(conn, unit, year)
        events, last = head(conn)
    ledger(rows, fmt, out, title, {"events": events, "head": last})
    click.echo(_("{file}: {count} hazard(s)").format(file=out, count=len(rows)))


@command("dashboard", epilog=EXIT_CODES)
@db_option
@click.option("--today", callback=date_option, help="As of this day [default: today].")
@format_option(PAGES, default="html")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write [default: reports/dashboard.<format>].")
@risk_options
def dashboard_command(db, today, fmt, output, risk_points, methods):
    """A dashboard with SVG charts: open hazards by unit and level, overdue ones by working days
    late, hazards found and closed per month over the last twelve months; with --risk-points, open
    hazards by their risk point's level."""
    from pathlib import Path

    from checklist.outputs.register_paper import dashboard
    from checklist.register.db import reading
    from checklist.register.queries import dashboard as dashboard_data
    from checklist.workdays.calendar import load_calendar

    grading = load_grading(risk_points, methods)
    engine = open_db(db, create=False)
    out = Path(output or f"reports/dashboard.{fmt}")
    with reading(engine) as conn:
        data = dashboard_data(conn, today or dates.today(), load_calendar())
        if grading is not None:
            from checklist.register.risks import open_by_level

            data["by_risk"], unknown = open_by_level(conn, grading)
            warn_unknown(unknown, risk_points)
    dashboard(data, fmt, out)
    click.echo(str(out))


COMMANDS = (notice_command, opinion_command, ledger_command, dashboard_command)
