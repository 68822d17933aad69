"""The quarterly and yearly statistics (due dates from 原国家安全生产监督管理总局令第16号 第十四条, which
is not among the sources: quarterly by the 15th of the next quarter's first month, yearly by 31
January): inspections, hazards found by level, rectified, 整改率, 重大隐患整改率, overdue, and the
same by unit."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist import vocabulary
from checklist.errors import Refusal
from checklist.register.queries import OVERDUE_STATUSES, WorkingDays, checked_year
from checklist.register.tables import audit_import, hazard
from checklist.workdays.calendar import Calendar


@dataclass(frozen=True)
class Period:
    label: str
    first: dt.date
    last: dt.date
    report_by: dt.date  # when the statistics are due

    @staticmethod
    def parse(quarter: str | None, year: int | None) -> Period:
        if (quarter is None) == (year is None):
            raise Refusal("stats.period", "quarter")
        if year is not None:
            year = checked_year("year", year)
            return Period(f"{year}年", dt.date(year, 1, 1), dt.date(year, 12, 31), dt.date(year + 1, 1, 31))
        m = re.fullmatch(r"(\d{4})[Qq]([1-4])", (quarter or "").strip())
        if not m:
            raise Refusal("stats.quarter", "quarter", value=quarter)
        y, q = checked_year("quarter", int(m.group(1))), int(m.group(2))
        first = dt.date(y, 3 * q - 2, 1)
        nxt = dt.date(y + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
        return Period(f"{y}年第{'一二三四'[q - 1]}季度", first, nxt - dt.timedelta(days=1), nxt.replace(day=15))


@dataclass
class Line:
    """One row of the statistics: the whole register, or one unit."""

    name: str
    found: dict[str, int] = field(default_factory=lambda: {vocabulary.GENERAL: 0, vocabulary.MAJOR: 0})
    rectified: dict[str, int] = field(default_factory=lambda: {vocabulary.GENERAL: 0, vocabulary.MAJOR: 0})
    revoked: int = 0
    open: int = 0
    overdue: int = 0
    inspections: int = 0

    @staticmethod
    def rate(done: int, total: int) -> float | None:
        return done / total if total else None

    def as_dict(self) -> dict:
        found, done = sum(self.found.values()), sum(self.rectified.values())
        return {
            "name": self.name,
            "inspections": self.inspections,
            "found": found,
            "found_general": self.found[vocabulary.GENERAL],
            "found_major": self.found[vocabulary.MAJOR],
            "rectified": done,
            "rectified_major": self.rectified[vocabulary.MAJOR],
            "revoked": self.revoked,
            "open": self.open,
            "overdue": self.overdue,
            "rectification_rate": self.rate(done, found),
            "major_rectification_rate": self.rate(self.rectified[vocabulary.MAJOR], self.found[vocabulary.MAJOR]),
        }


def statistics(conn: Connection, period: Period, today: dt.date, calendar: Calendar) -> dict:
    """Hazards found in the period (revoked ones left out of the rates) and their state as of
    ``today``; 已销号 counts as rectified, overdue is in working days."""
    total = Line("合计")
    units: dict[str, Line] = {}
    in_period = hazard.c.found_on.between(period.first, period.last)
    query = (
        sa.select(hazard.c.unit, hazard.c.level, hazard.c.status, sa.func.count())
        .where(in_period)
        .group_by(hazard.c.unit, hazard.c.level, hazard.c.status)
    )
    for unit, level, status, n in conn.execute(query):
        for line in (total, units.setdefault(unit, Line(unit))):
            if status == vocabulary.REVOKED:
                line.revoked += n
                continue
            line.found[level] += n
            if status == vocabulary.CLOSED:
                line.rectified[level] += n
            else:
                line.open += n
    cutoff = WorkingDays(calendar, today).last_working_on_or_before(today)
    late = (
        sa.select(hazard.c.unit, sa.func.count())
        .where(in_period, hazard.c.status.in_(OVERDUE_STATUSES), hazard.c.due < cutoff)
        .group_by(hazard.c.unit)
    )
    for unit, n in conn.execute(late):
        total.overdue += n
        units[unit].overdue += n
    visits = (
        sa.select(audit_import.c.unit, sa.func.count())
        .where(audit_import.c.date.between(period.first, period.last))
        .group_by(audit_import.c.unit)
    )
    for unit, n in conn.execute(visits):
        total.inspections += n
        units.setdefault(unit, Line(unit)).inspections += n
    return {
        "period": period.label,
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "report_by": period.report_by.isoformat(),
        "today": today.isoformat(),
        "total": total.as_dict(),
        "units": [units[u].as_dict() for u in sorted(units)],
    }
