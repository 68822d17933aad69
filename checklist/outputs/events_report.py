"""The events check as HTML or PDF, in the report template family."""

from __future__ import annotations

from pathlib import Path

from checklist.outputs.pages import write_page
from checklist.outputs.templating import render_html
from checklist.workdays.calendar import Calendar
from checklist.workdays.deadlines import calendar_lines, describe
from checklist.workdays.large_events import LATE, PENDING, STATUS_NAMES, EventsCheck


def write_events_report(result: EventsCheck, cal: Calendar, out: Path, fmt: str) -> None:
    html = render_html(
        "events.html.j2",
        for_pdf=fmt == "pdf",
        r=result,
        rule=describe(result.step),
        status_names=STATUS_NAMES,
        LATE=LATE,
        PENDING=PENDING,
        calendar=calendar_lines(cal),
    )
    write_page(html, fmt, out)
