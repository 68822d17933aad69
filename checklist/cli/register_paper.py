"""`checklist register notice | opinion | ledger | dashboard`: the register's paper (PDF in the
report family, HTML, XLSX). Added to the `register` group in checklist.cli (COMMANDS)."""

from __future__ import annotations

import click

from checklist import dates
from checklist.cli.common import EXIT_CODES, command, date_option, fail, format_option
from checklist.cli.register import actor_options, business_options, db_option, load_grading, open_db, risk_options, warn_unknown, who
from checklist.i18n import _

PAGES = "checklist.outputs.pages:FORMATS"


PAPERS_FORMATS = "checklist.outputs.papers:FORMATS"


def issuing_options(f):
    f = click.option("--draft", is_flag=True, help="Print it without issuing it: no 文号 is assigned (one already issued keeps its own).")(
        f
    )
    f = click.option("--date", "on", callback=date_option, help="The day it is issued, YYYY-MM-DD [default: today].")(f)
    return actor_options(f)


def issuing(by, role, on, draft):
    """Who issues (None for a draft): the 文号 is assigned in the same transaction as the log's event."""
    from checklist.register.papers import Issuing

    return None if draft else Issuing(who(by), role, on or dates.today())


def _session(db, draft):
    """A register that exists (a paper is of hazards it holds): read for a draft, else written."""
    from checklist.register.db import reading, writing

    engine = open_db(db, create=False)
    return reading(engine) if draft else writing(engine)


@command("notice", epilog=EXIT_CODES)
@click.argument("audit", type=click.Path(dir_okay=False))
@db_option
@format_option(PAPERS_FORMATS, default="pdf")
@click.option("-o", "--output", type=click.Path(file_okay=False), default="reports", show_default=True, help="Folder for the notices.")
@issuing_options
def notice_command(audit, db, fmt, output, by, role, on, draft):
    """《隐患整改通知书》 for an imported AUDIT (its file, or its id): one per inspected unit, issued
    under the next 文号 of its issuer (`register issuer set notice`) — or the 文号 it already has —
    listing the hazards with measures, owners and the due dates as issued (a 延期 printed as such),
    each 重大 hazard's grading basis, interim measures, 督办 and full 治理方案, and the signature and
    seal area. Files: OUTPUT/隐患整改通知书-<文号>-<unit>.<format>."""
    from pathlib import Path

    from checklist.outputs.papers import file_name, notice_context, write_paper
    from checklist.register.papers import notices

    with _session(db, draft) as conn:
        papers = notices(conn, audit, issuing(by, role, on, draft))
    for paper, rows in papers:
        out = Path(output) / file_name("notice", paper, rows[0]["unit"], fmt)
        write_paper("notice", notice_context(paper, rows), fmt, out)
        click.echo(f"{out}" + (f"  {paper['number']}" if paper else ""))


@command("opinion", epilog=EXIT_CODES)
@click.argument("hazard_ids", nargs=-1)
@click.option("--audit", type=click.Path(dir_okay=False), help="A re-check audit: every hazard it re-checked.")
@db_option
@format_option(PAPERS_FORMATS, default="pdf")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write [default: reports/整改复查意见书-<文号>-<first id>.<format>]."
)
@issuing_options
def opinion_command(hazard_ids, audit, db, fmt, output, by, role, on, draft):
    """《整改复查意见书》: the latest 复查 of each hazard named (HAZARD_ID…), or every hazard a
    re-check audit re-checked (--audit), under its 文号: conclusion, opinion, 复查人 and date, the
    due dates as issued and extended, and for 重大 hazards the 督办, 治理评估 and 督办销号."""
    from pathlib import Path

    from checklist.errors import UsageError
    from checklist.outputs.papers import file_name, opinion_context, write_paper
    from checklist.register.papers import opinion

    if not hazard_ids and not audit:
        fail(UsageError(_("name hazards (YH-…) or give --audit RECHECK.yaml")))
    with _session(db, draft) as conn:
        paper, rows = opinion(conn, audit, list(hazard_ids), issuing(by, role, on, draft))
    out = Path(output or Path("reports") / file_name("opinion", paper, rows[0]["id"], fmt))
    write_paper("opinion", opinion_context(paper, rows), fmt, out)
    click.echo(f"{out}" + (f"  {paper['number']}" if paper else ""))


def hazard_paper(kind: str, name: str, doc: str):
    @command(name, help=doc, epilog=EXIT_CODES)
    @click.argument("hazard_id")
    @db_option
    @format_option(PAPERS_FORMATS, default="pdf")
    @click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write [default: reports/<paper>-<文号>-<id>.<format>].")
    @issuing_options
    def make(hazard_id, db, fmt, output, by, role, on, draft):
        from pathlib import Path

        from checklist.outputs import papers as views
        from checklist.register import papers

        gather = papers.supervision_notice if kind == "supervision" else papers.signoff_notice
        context = views.supervision_context if kind == "supervision" else views.signoff_context
        with _session(db, draft) as conn:
            paper, row = gather(conn, hazard_id, issuing(by, role, on, draft))
        out = Path(output or Path("reports") / views.file_name(kind, paper, row["id"], fmt))
        views.write_paper(kind, context(paper, row), fmt, out)
        click.echo(f"{out}" + (f"  {paper['number']}" if paper else ""))

    return make


supervision_command = hazard_paper(
    "supervision",
    "supervision-notice",
    "《重大事故隐患督办通知书》 of a hazard's 挂牌督办, under its 文号 (`register issuer set supervision`): the "
    "hazard, its grading basis, due dates, 督办 (unit, number, 督办期限) and full 治理方案, with the receipt and seal area.",
)
signoff_command = hazard_paper(
    "signoff",
    "signoff-notice",
    "《重大事故隐患督办销号通知书》 of a hazard's 督办销号, under its 文号 (`register issuer set signoff`): the "
    "督办, the 治理评估 (who, when, conclusion, report) and the supervising unit's opinion, with the seal area.",
)


@command("ledger", epilog=EXIT_CODES)
@db_option
@click.option("--unit", help="Only this unit's hazards.")
@click.option("--year", type=int, help="Only hazards found in this year.")
@format_option("checklist.outputs.register_paper:LEDGER_FORMATS", default="pdf")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write [default: reports/隐患台账.<format>].")
def ledger_command(db, unit, year, fmt, output):
    """The 隐患台账 (A4 landscape PDF, HTML or XLSX): 编号, 单位, 排查时间, 部位, 排查人, 隐患描述, 依据,
    等级, 整改措施, 责任人, 整改期限 (as issued), 延期, 督办, 临时措施, 完成情况, 评估, 复查人, 复查日期,
    复查结论, 销号日期."""
    from pathlib import Path

    from checklist.outputs.register_paper import ledger
    from checklist.register.db import reading
    from checklist.register.log import head
    from checklist.register.papers import ledger_facts
    from checklist.register.queries import ledger as ledger_rows

    engine = open_db(db, create=False)
    title = f"{unit + ' ' if unit else ''}{str(year) + '年' if year else ''}隐患台账"
    out = Path(output or f"reports/隐患台账.{fmt}")
    with reading(engine) as conn:
        rows = ledger_facts(conn, ledger_rows(conn, unit, year))
        events, last = head(conn)
    ledger(rows, fmt, out, title, {"events": events, "head": last})
    click.echo(_("{file}: {count} hazard(s)").format(file=out, count=len(rows)))


@command("dashboard", epilog=EXIT_CODES)
@db_option
@click.option("--today", callback=date_option, help="As of this day [default: today].")
@format_option(PAGES, default="html")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write [default: reports/dashboard.<format>].")
@risk_options
@business_options
def dashboard_command(db, today, fmt, output, risk_points, methods, business, business_grade):
    """A dashboard with SVG charts: open hazards by unit and level, overdue ones by working days
    late, hazards found and closed per month over the last twelve months; with --risk-points, open
    hazards by their risk point's level."""
    from pathlib import Path

    from checklist.outputs.register_paper import dashboard
    from checklist.register.db import reading
    from checklist.register.queries import Filter
    from checklist.register.queries import dashboard as dashboard_data
    from checklist.workdays.calendar import load_calendar

    grading = load_grading(risk_points, methods)
    engine = open_db(db, create=False)
    out = Path(output or f"reports/dashboard.{fmt}")
    with reading(engine) as conn:
        flt = Filter(business=business, business_grade=business_grade)
        data = dashboard_data(conn, today or dates.today(), load_calendar(), flt=flt)
        if grading is not None:
            from checklist.register.risks import open_by_level

            data["by_risk"], unknown = open_by_level(conn, grading)
            warn_unknown(unknown, risk_points)
    dashboard(data, fmt, out)
    click.echo(str(out))


COMMANDS = (notice_command, opinion_command, supervision_command, signoff_command, ledger_command, dashboard_command)
