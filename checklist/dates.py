"""Dates as users type them and as reports print them, and the project's one clock.

The clock is Beijing time (``Asia/Shanghai``, or ``$CHECKLIST_TZ``), whatever the machine's own
zone: every default date (检查日期, 复查日期, "today" for 逾期), working-day count, timestamp shown
and file name made from a time uses it, in the command line and the web app alike.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import unicodedata
from functools import cache

from checklist.errors import UsageError
from checklist.i18n import _

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
ZONE_NAME = "Asia/Shanghai"


@cache
def _zone(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"CHECKLIST_TZ={name!r} is not a time zone (e.g. Asia/Shanghai)") from None


def zone() -> dt.tzinfo:
    """The project's time zone: $CHECKLIST_TZ, else Asia/Shanghai."""
    return _zone(os.environ.get("CHECKLIST_TZ", "").strip() or ZONE_NAME)


def now() -> dt.datetime:
    """The time now in the project's zone (aware)."""
    return dt.datetime.now(zone())


def today() -> dt.date:
    """Today in the project's zone — not the machine's (a server on UTC is eight hours behind)."""
    return now().date()


def iso_date(value: object) -> dt.date | None:
    """A YYYY-MM-DD string as a date, or None for anything else (cross-checks of files whose
    schema errors are reported separately)."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def parse_date(text: str) -> dt.date:
    """A date the user typed: YYYY-MM-DD (full-width digits and dashes accepted)."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError as e:
        raise UsageError(_("{text!r} is not a valid date: write YYYY-MM-DD").format(text=text)) from e


def chinese(day: dt.date) -> str:
    """2026-09-17 → 2026年9月17日."""
    return f"{day.year}年{day.month}月{day.day}日"


def weekday(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]


class DateOutOfRange(UsageError):
    """Date arithmetic ran past 0001-01-01 or 9999-12-31: a bad option or date, not a bug."""


def add_days(d: dt.date, days: int) -> dt.date:
    """``d`` plus ``days`` (negative: earlier), or DateOutOfRange past the calendar's ends."""
    try:
        return d + dt.timedelta(days=days)
    except OverflowError as e:
        raise DateOutOfRange(_out_of_range(_("{date} {sign} {n} days").format(date=d, sign="+" if days >= 0 else "-", n=abs(days)))) from e


def add_months(d: dt.date, months: int) -> dt.date:
    """Same day ``months`` later (or earlier); the 31st becomes the month's last day."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise DateOutOfRange(_out_of_range(_("{date} {sign} {n} months").format(date=d, sign="+" if months >= 0 else "-", n=abs(months))))
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(d.day, last))


def _out_of_range(what: str) -> str:
    return _("{what} is outside the dates that can be counted ({first} to {last})").format(what=what, first=dt.date.min, last=dt.date.max)
