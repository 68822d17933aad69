"""`checklist register stats | export | restore | units | check-log`: the register's statistics, its
data moved between databases, and the proof that its log and rows agree. Added to the `register`
group in checklist.cli (COMMANDS)."""

from __future__ import annotations

import click

from checklist import dates
from checklist.cli.common import EXIT_CODES, command, date_option, echo_report, format_option
from checklist.cli.register import db_option, open_db
from checklist.i18n import N_, _


@command("stats", epilog=EXIT_CODES)
@db_option
@click.option("--quarter", metavar="YYYYQn", help="A quarter, e.g. 2026Q4 (report due by the 15th of the next quarter's first month).")
@click.option("--year", type=int, help="A year, e.g. 2026 (report due by 31 January).")
@click.option("--today", callback=date_option, help="State of the hazards as of this day [default: today].")
@format_option("checklist.outputs.register_views:STATS_REPORTERS", default="text")
def stats_command(db, quarter, year, today, fmt):
    """Quarterly or yearly statistics: 排查次数, hazards found (一般/重大), rectified, 整改率,
    重大隐患整改率, overdue — in total and by unit. Hazards counted are those found in the period;
    撤销 ones are left out of the rates."""

    from checklist.outputs.register_views import STATS_REPORTERS
    from checklist.register.db import reading
    from checklist.register.stats import Period, statistics
    from checklist.workdays.calendar import load_calendar

    period = Period.parse(quarter, year)
    engine = open_db(db, create=False)
    with reading(engine) as conn:
        result = statistics(conn, period, today or dates.today(), load_calendar())
    echo_report(STATS_REPORTERS[fmt](result))


@command("export", epilog=EXIT_CODES)
@db_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write [default: standard output].")
def export_command(db, output):
    """Everything in the register, the event log included, as JSON Lines (one record a line)."""
    from pathlib import Path

    from checklist.register.exchange import export

    engine = open_db(db, create=False)
    lines, text = export(engine, Path(output) if output else None)
    if output:
        click.echo(_("{file}: {lines} lines").format(file=output, lines=lines))
    else:
        click.echo(text, nl=False)


@command("restore", epilog=EXIT_CODES)
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
def restore_command(file, db):
    """Load an export into an empty register (SQLite or PostgreSQL), its users included. Before
    anything is committed, the event chain is checked and every hazard row and 督办 against its
    events: an export that disagrees is refused (exit 8), and nothing is restored."""
    from pathlib import Path

    from checklist.register.exchange import restore

    engine = open_db(db)
    done = restore(engine, Path(file))
    click.echo(_("restored {file}: {events} events, chain intact; {users} users").format(file=file, events=done.events, users=done.users))
    if done.sealed:
        click.echo(
            "  "
            + _("an export of schema {revision}: {n} hazard(s) recorded as they stood, so the log proves them from here on").format(
                revision=done.revision, n=done.sealed
            )
        )


@command("units", epilog=EXIT_CODES)
@db_option
@click.option("--today", callback=date_option, help="Count overdue hazards as of this day [default: today].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="CSV file to write [default: standard output].")
def units_command(db, today, output):
    """Units with open hazards, as a CSV population for `checklist sample` (the next 再抽查
    round): 单位, 未销号, 重大, 逾期, 最早整改期限, 有重大隐患 (是/否, a column to stratify by)."""
    from checklist.outputs.register_views import units_csv
    from checklist.register.db import reading
    from checklist.register.queries import open_units
    from checklist.workdays.calendar import load_calendar

    engine = open_db(db, create=False)
    with reading(engine) as conn:
        rows = open_units(conn, today or dates.today(), load_calendar())
    echo_report(units_csv(rows), output)
    if output:
        click.echo(_("{file}: {count} unit(s) with open hazards").format(file=output, count=len(rows)))


@command("check-log", epilog=EXIT_CODES)
@db_option
@click.option(
    "--anchor",
    metavar="HASH",
    help="A head printed on an earlier ledger or dashboard (at least its first 16 hex digits): fail unless it is in the chain.",
)
def check_log_command(db, anchor):
    """Prove the event log intact — every event's hash recomputes and links to the one before — and
    every hazard row and 督办, every 通报/约谈/线索移交 record, paper and its 文号, issuer and business
    exactly what its events make it (exit 8 naming the hazard or record and the field if not). A rewrite of the whole log stays consistent inside: --anchor checks that a head printed
    on paper earlier is still in the chain."""
    from checklist.errors import LogTampered
    from checklist.register.db import reading
    from checklist.register.log import anchor_value, check_log
    from checklist.register.proof import check_rows

    wanted = anchor_value(anchor) if anchor is not None else None
    engine = open_db(db, create=False)
    with reading(engine, snapshot=True) as conn:
        result = check_log(conn, wanted)
        if not result.intact:
            raise LogTampered(_("event log broken: {problem}").format(problem=result.problem))
        rows = check_rows(conn)
    if not rows.agree:
        raise LogTampered(_("event log intact, but the register disagrees with it: {problems}").format(problems=rows.words()))
    if wanted is not None and result.anchored_at is None:
        raise LogTampered(
            _(
                "anchor {anchor}… is not in the chain of {events} events: the log was rewritten after that head was printed,"
                " or the anchor is another register's"
            ).format(anchor=wanted[:16], events=result.events)
        )
    counts = [
        (rows.hazards, N_("{count} hazard(s)")),
        (rows.supervisions, N_("{count} 督办")),
        (rows.records, N_("{count} record(s)")),
        (rows.papers, N_("{count} paper(s)")),
        (rows.issuers, N_("{count} issuer(s)")),
        (rows.businesses, N_("{count} business(es)")),
    ]
    agree = _(", ").join(_(what).format(count=n) for i, (n, what) in enumerate(counts) if n or i < 2)  # hazards and 督办 always
    click.echo(
        _("event log intact: {events} events, head {head}; {counts} agree with their events").format(
            events=result.events, head=result.head, counts=agree
        )
    )
    if wanted is not None:
        click.echo(_("anchor {anchor}… is event {at} of {events}").format(anchor=wanted[:16], at=result.anchored_at, events=result.events))


COMMANDS = (stats_command, export_command, restore_command, units_command, check_log_command)
