"""Overdue in working days on the official 2026 calendar: 中秋 (09-25..27), 国庆 (10-01..07) and
its make-up days (Sunday 09-20, Saturday 10-10), checked against the calendar data and through
`register list`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from checklist.register.queries import WorkingDays
from checklist.register.tables import hazard
from checklist.workdays.calendar import load_calendar

D = dt.date


def test_the_calendar_data_this_test_relies_on():
    cal = load_calendar()
    assert [cal.day(D(2026, 10, d)).working for d in range(1, 11)] == [False] * 7 + [True, True, True]
    assert cal.day(D(2026, 10, 10)).makeup and not cal.day(D(2026, 10, 11)).working
    assert [cal.day(D(2026, 9, d)).working for d in (24, 25, 26, 27, 28)] == [True, False, False, False, True]
    assert cal.day(D(2026, 9, 20)).makeup


@pytest.mark.parametrize(
    "due,today,days",
    [
        (D(2026, 9, 30), D(2026, 9, 30), 0),  # due today: not late
        (D(2026, 9, 30), D(2026, 10, 7), 0),  # the whole 国庆 holiday: no working day has passed
        (D(2026, 9, 30), D(2026, 10, 8), 1),
        (D(2026, 9, 30), D(2026, 10, 10), 3),  # Saturday 10-10 is a make-up working day
        (D(2026, 9, 30), D(2026, 10, 11), 3),
        (D(2026, 9, 30), D(2026, 10, 12), 4),
        (D(2026, 9, 24), D(2026, 9, 28), 1),  # 中秋 09-25..27
        (D(2026, 10, 1), D(2026, 10, 8), 1),  # due on a holiday
        (D(2026, 9, 19), D(2026, 9, 20), 1),  # Sunday 09-20 is a 国庆 make-up working day
        (D(2026, 9, 1), D(2026, 10, 12), 25),  # 21 weekdays in September − 09-25 + 09-20, then 10-08, 09, 10, 12
    ],
)
def test_working_days_past_due(due, today, days):
    assert WorkingDays(load_calendar(), today).since(due) == days


def test_the_index_agrees_with_the_calendar_walk():
    cal = load_calendar()
    today = D(2026, 10, 12)
    days = WorkingDays(cal, today)
    for n in range(120):
        due = today - dt.timedelta(days=n)
        assert days.since(due) == cal.working_days_between(due, today)


@pytest.mark.parametrize(
    "today,expected",
    [
        ("2026-10-07", {}),
        ("2026-10-08", {"YH-2026-0001": 1}),
        ("2026-10-10", {"YH-2026-0001": 3, "YH-2026-0002": 1}),  # 10-09 due, 10-10 works
        ("2026-10-11", {"YH-2026-0001": 3, "YH-2026-0002": 1}),
    ],
)
def test_list_overdue_around_national_day(reg, imported, today, expected):
    with reg.engine().begin() as conn:  # the example's findings, due around the holiday
        conn.execute(sa.update(hazard).where(hazard.c.id == "YH-2026-0001").values(due=D(2026, 9, 30)))
        conn.execute(sa.update(hazard).where(hazard.c.id == "YH-2026-0002").values(due=D(2026, 10, 9)))
    result = reg("list", "--overdue", "--today", today, "--format", "json")
    assert result.exit_code == 0, result.output
    assert {h["id"]: h["overdue_days"] for h in json.loads(result.output)["hazards"]} == expected
