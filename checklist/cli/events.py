"""`checklist events check`: large events' filings and safety leads."""

from __future__ import annotations

import sys

import click

from checklist import dates
from checklist.cli.common import EXIT_CODES, date_option, echo_report, format_option, group


@group(epilog=EXIT_CODES)
def events() -> None:
    """Large events (大型活动): filing deadlines and safety leads."""


@events.command("check", epilog=EXIT_CODES)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--today", callback=date_option, metavar="DATE", help="The date to check on [default: today].")
@format_option("checklist.outputs.events_report:REPORTERS", "checklist.outputs.pages:FORMATS", default="text")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="For pdf/html [default: reports/<file name>.<format>].")
@click.option("--calendar", "calendars", multiple=True, type=click.Path(dir_okay=False), help="A calendar file for a year (repeatable).")
@click.option("--assume-weekends", is_flag=True, help="For years without an official schedule, count Monday-Friday (flagged).")
def events_check(file, today, fmt, output, calendars, assume_weekends):
    """Check each event's filings against the catalog's rule: on time, late by N working days,
    missing or not yet due, filed with the right unit, and the safety lead the rule requires.

    \b
    The rule is read from the catalog — for bj-rtv-3g3b 第四十九条: the 一案两表 10 working
    days ahead, filed with 局办公室(安监办) (a filing's filed_with is matched against it after
    NFKC, with the unit's aliases). A filing dated after --today is an error. An event that
    cannot be checked (a year without calendar data) is reported and the others still checked.
    The exit code is the worst outcome: 4 late, missing or wrong; 2 an event not checkable;
    1 a filing dated in the future; so a scheduled job can alert.
    """
    from pathlib import Path

    from checklist.files.kinds import load_valid
    from checklist.model.library import load_catalog
    from checklist.outputs.events_report import REPORTERS, write_events_report
    from checklist.workdays import large_events as ev
    from checklist.workdays.calendar import load_calendar

    doc = load_valid(file, "events")
    cal = load_calendar(calendars, assume_weekends)
    result = ev.check_events(doc, load_catalog(doc.data["catalog"]), today or dates.today(), cal)
    if fmt in REPORTERS:
        echo_report(REPORTERS[fmt](result))
    else:
        out = Path(output) if output else Path("reports") / f"{Path(file).stem}.{fmt}"
        write_events_report(result, out, fmt)
        click.echo(str(out))
    sys.exit(result.exit_code)
