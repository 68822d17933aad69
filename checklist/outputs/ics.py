"""The duty calendar as iCalendar (RFC 5545), written with the ``icalendar`` library, for Outlook,
Apple Calendar and Thunderbird: one all-day event per task on its working day, a UID that stays
the same from run to run (catalog-clause-unit-period), and a reminder N working days before.

Re-importing a newer file updates events instead of duplicating them: the UID is the same, and
SEQUENCE (minutes since 2026-01-01 UTC at export) and DTSTAMP only grow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Alarm, Event, vText
from icalendar import Calendar as ICalendar

from checklist.files import atomic
from checklist.workdays.calendar import Calendar
from checklist.workdays.done_log import Status
from checklist.workdays.duty_calendar import DutyCalendar, Task

PRODID = "-//checklist//duty calendar//ZH"
SEQUENCE_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
REMIND_AT = dt.timedelta(hours=9)  # reminders ring at 09:00 on the reminder day


def ics_bytes(result: DutyCalendar, remind: int, now: dt.datetime, status: dict[str, Status] | None = None) -> bytes:
    """The calendar file: every task of every unit, with the calendar's notes in X-WR-CALDESC and
    in each event's description (so a year with assumed weekends is flagged wherever it is read)."""
    book = ICalendar()
    book.add("prodid", PRODID)
    book.add("version", "2.0")
    book.add("calscale", "GREGORIAN")
    book.add("method", "PUBLISH")
    names = "、".join(u.name for u in result.units)
    book.add("x-wr-calname", f"{names} 职责日历")
    book.add("x-wr-caldesc", vText("\n".join([f"{names} 职责日历 {result.first} 至 {result.last}", *result.notes])))
    sequence = max(0, int((now - SEQUENCE_EPOCH).total_seconds() // 60))
    for task in result.tasks:
        book.add_component(_event(task, result, remind, now, sequence, (status or {}).get(task.uid)))
    return book.to_ical()


def _event(task: Task, result: DutyCalendar, remind: int, now: dt.datetime, sequence: int, status: Status | None) -> Event:
    ev = Event()
    ev.add("uid", task.uid)
    ev.add("dtstamp", now)
    ev.add("last-modified", now)
    ev.add("sequence", sequence)
    ev.add("dtstart", task.day.date)
    ev.add("dtend", task.day.date + dt.timedelta(days=1))
    ev.add("summary", (f"[{status.text}] " if status else "") + task.title)
    notes = [*result.notes] + ([f"状态（{status.text}）"] if status else [])
    ev.add("description", task.description(notes))
    ev.add("categories", [task.catalog.doc_no or task.catalog.id, task.clause.ref])
    ev.add("transp", "TRANSPARENT")
    ev.add("class", "PUBLIC")
    ev.add_component(_alarm(task, result.cal, remind))
    return ev


def _alarm(task: Task, cal: Calendar, remind: int) -> Alarm:
    """A display alarm at 09:00 on the N-th working day before the task (the task's day when N is 0),
    written as a duration before the all-day event's start."""
    day = cal.shift(task.day.date, remind, "before").due.date
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"{remind}个工作日后（{task.day.date}）到期：{task.title}" if remind else f"今日到期：{task.title}")
    alarm.add("trigger", REMIND_AT - dt.timedelta(days=(task.day.date - day).days))
    return alarm


def write_ics(result: DutyCalendar, out: Path, remind: int, now: dt.datetime, status: dict[str, Status] | None = None) -> None:
    atomic.write_bytes(out, ics_bytes(result, remind, now, status))
