"""`checklist calendar`: a unit's recurring duties and event deadlines as dated tasks."""

from __future__ import annotations

import click

from checklist import dates
from checklist.cli.common import EXIT_CODES, command, date_option, format_option
from checklist.i18n import _


@command(epilog=EXIT_CODES)
@click.option("--catalog", "catalog_ids", multiple=True, required=True, help="Catalog id or path (repeatable).")
@click.option("--unit", "units", multiple=True, required=True, help="The unit: id, name or alias (repeatable; one planner page each).")
@click.option("--from", "first", required=True, callback=date_option, metavar="DATE", help="First day of the span, YYYY-MM-DD.")
@click.option("--to", "last", required=True, callback=date_option, metavar="DATE", help="Last day of the span, YYYY-MM-DD.")
@click.option(
    "--events", "events_file", type=click.Path(dir_okay=False), help="An events file: each event's filing deadline for its lead unit."
)
@format_option("checklist.outputs.calendar_report:WRITERS", default="text")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Output file [default: text to the terminal; else reports/calendar-<unit>.<ext>].",
)
@click.option("--remind", default=3, show_default=True, type=click.IntRange(0, 60), help="ICS: a reminder this many working days before.")
@click.option("--status", is_flag=True, help="Mark each task done, due or overdue (in working days) on --today.")
@click.option("--done", "done_file", type=click.Path(dir_okay=False), help="The done-log (YAML) for --status.")
@click.option("--today", callback=date_option, metavar="DATE", help="The day --status is judged on [default: today].")
@click.option("--calendar", "calendars", multiple=True, type=click.Path(dir_okay=False), help="A calendar file for a year (repeatable).")
@click.option(
    "--assume-weekends", is_flag=True, help="For years without an official schedule, count Monday-Friday (flagged in every output)."
)
def calendar(catalog_ids, units, first, last, events_file, fmt, output, remind, status, done_file, today, calendars, assume_weekends):
    """A duty calendar (职责日历): every recurring duty of the unit (also through collective names
    such as 各处室单位) as dated tasks from --from to --to, from the catalogs' recurrence data, plus
    each event's filing deadline from --events. Every task falls on a working day of the
    official calendar. Formats: text, md, ics (calendar apps; stable UIDs, a reminder --remind
    working days before), xlsx (task list), pdf/html (a year planner per unit).

    A frequency with no day in the text is due on the last working day of its period (期内完成).
    A span reaching a year without an official schedule is refused unless a --calendar file
    covers it or --assume-weekends is given (then every output says so).
    """
    from pathlib import Path

    from checklist.outputs.calendar_report import make_calendar

    if done_file and not status:
        raise click.UsageError(_("--done needs --status"))
    run = make_calendar(
        catalog_ids,
        units,
        first,
        last,
        fmt=fmt,
        out=Path(output) if output else None,
        events_file=events_file,
        status=status,
        done_file=done_file,
        today=today or dates.today(),
        remind=remind,
        calendars=calendars,
        assume_weekends=assume_weekends,
    )
    for entry in run.unmatched:
        name = entry.get("uid") or "-".join(str(entry[k]) for k in ("catalog", "clause", "period", "event") if k in entry)
        click.echo(_("{file}: entry {name} matches no task in this calendar").format(file=done_file, name=name), err=True)
    if run.out is None:
        click.echo(run.text)
        return
    if run.status is None:
        click.echo(_("{file}: {count} task(s)").format(file=run.out, count=len(run.result.tasks)))
    else:
        click.echo(_("{file}: {count} task(s), {overdue} overdue").format(file=run.out, count=len(run.result.tasks), overdue=run.overdue))
