"""`checklist deadline`: a working-day deadline with its reasoning."""

from __future__ import annotations

import click

from checklist.cli.common import EXIT_CODES, command, date_option, echo_report, fail, format_option
from checklist.i18n import _

DEADLINE_CONVENTION = """\b
Conventions:
  提前N个工作日 (--before): the deadline is the N-th working day strictly before
    DATE; DATE (the event day) is not counted, the deadline day is. Filing on or
    before it is on time. E.g. event 2026-10-08 → file by 2026-09-17.
  N个工作日内 (--after): the N-th working day after DATE, DATE not counted.
  Working days follow the State Council's holiday schedule: holidays are skipped,
  weekend make-up days (调休上班) count. Years 2004-2026 are built in; other years
  need a calendar file (catalogs/calendars/cn-YYYY.yaml, --calendar FILE) or
  --assume-weekends (Monday-Friday only, flagged in the output).
"""


@command(epilog=DEADLINE_CONVENTION + "\n" + EXIT_CODES)
@click.option("--before", "before", callback=date_option, metavar="DATE", help="Count back from DATE (e.g. an event's start).")
@click.option("--after", "after", callback=date_option, metavar="DATE", help="Count forward from DATE (e.g. receipt of an application).")
@click.option("-n", "--working-days", type=click.IntRange(0), help="How many working days.")
@click.option("--rule", metavar="CATALOG:CLAUSE", help="Apply a catalog clause's deadline rule, e.g. bj-rtv-3g3b:A49.")
@click.option("--from", "anchor", callback=date_option, metavar="DATE", help="With --rule: the date the rule counts from.")
@click.option("--calendar", "calendars", multiple=True, type=click.Path(dir_okay=False), help="A calendar file for a year (repeatable).")
@click.option("--assume-weekends", is_flag=True, help="For years without an official schedule, count Monday-Friday (flagged).")
@format_option("checklist.outputs.deadline_report:REPORTERS", default="text")
def deadline(before, after, working_days, rule, anchor, calendars, assume_weekends, fmt):
    """Compute a working-day deadline, with the days counted and skipped named."""
    from checklist.dates import DateOutOfRange
    from checklist.errors import UsageError
    from checklist.model.library import load_catalog
    from checklist.outputs.deadline_report import REPORTERS
    from checklist.workdays import deadlines
    from checklist.workdays.calendar import load_calendar

    simple = before is not None or after is not None
    if simple == (rule is not None) or (before is not None and after is not None):
        raise click.UsageError(_("give either --before/--after DATE with --working-days N, or --rule CATALOG:CLAUSE with --from DATE"))
    if simple and working_days is None:
        raise click.UsageError(_("--before/--after need --working-days N"))
    if rule is not None and (anchor is None or ":" not in rule):
        raise click.UsageError(_("--rule needs the form CATALOG:CLAUSE and --from DATE"))
    try:
        cal = load_calendar(calendars, assume_weekends)
        if simple:
            direction = "before" if before is not None else "after"
            reckoning = deadlines.count_working_days(before or after, working_days, direction, cal)
        else:
            assert rule is not None and anchor is not None  # checked with the options above
            catalog_id, clause_id = rule.split(":", 1)
            catalog = load_catalog(catalog_id)
            reckoning = deadlines.apply_rule(catalog, catalog.clause(clause_id), anchor, cal)
    except DateOutOfRange as e:  # name the options that led there
        given = (
            f"--{'before' if before is not None else 'after'} {before or after} -n {working_days}"
            if simple
            else f"--rule {rule} --from {anchor}"
        )
        fail(UsageError(f"{given}: {e.message}"))
    echo_report(REPORTERS[fmt](reckoning))
