"""What the register answers: the hazards matching a filter (overdue counted in working days on
the official calendar), and one hazard with everything about it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist.errors import UsageError
from checklist.model.catalog import nfkc
from checklist.register import lifecycle
from checklist.register.events import history
from checklist.register.hazards import get, plan_missing
from checklist.register.tables import hazard, supervision
from checklist.workdays.calendar import Calendar

OVERDUE_STATUSES = (lifecycle.TODO, lifecycle.DOING)  # 待复查: the unit has done its part
LIST_COLUMNS = ("id", "status", "level", "unit", "target", "place", "description", "measure", "owner", "due", "found_on", "version")


@dataclass
class Filter:
    statuses: tuple[str, ...] = ()
    unit: str | None = None
    level: str | None = None
    overdue: bool = False
    due_within: int | None = None  # working days from today


class WorkingDays:
    """Working days counted on the calendar once for a span of dates, so thousands of rows cost a
    dictionary look-up each: ``since(due)`` = working days d with due < d <= today."""

    def __init__(self, calendar: Calendar, today: dt.date):
        self.calendar, self.today = calendar, today
        self._index: dict[dt.date, int] = {}
        self._first = today

    def last_working_on_or_before(self, day: dt.date) -> dt.date:
        while not self.calendar.day(day).working:
            day -= dt.timedelta(days=1)
        return day

    def cover(self, first: dt.date) -> None:
        if first >= self._first and self._index:
            return
        self._first = min(first, self.today)
        n, d = 0, self.today
        index = {}
        while d >= self._first:
            index[d] = n  # working days in (d, today]
            n += self.calendar.day(d).working
            d -= dt.timedelta(days=1)
        self._index = index

    def since(self, due: dt.date) -> int:
        if due >= self.today:
            return 0
        self.cover(due)
        return self._index[due]


def resolve_unit(conn: Connection, name: str) -> list[str]:
    """The unit names stored that ``name`` stands for: the name itself, or a unit of one of the
    register's catalogs by id, name or alias (科技处 → 科技处(公共服务处))."""
    from checklist.model.library import load_catalog

    wanted = {nfkc(name)}
    for cat_id in conn.execute(sa.select(hazard.c.catalog).distinct()).scalars():
        try:
            wanted.add(load_catalog(cat_id).find_unit(name).name)
        except UsageError:
            continue
    return sorted(wanted)


def list_hazards(conn: Connection, flt: Filter, today: dt.date, calendar: Calendar) -> list[dict]:
    """Hazards matching ``flt``, oldest due first, each with ``overdue_days`` (working days past due)."""
    query = sa.select(*(hazard.c[c] for c in LIST_COLUMNS))
    statuses = flt.statuses
    days = WorkingDays(calendar, today)
    if flt.overdue or flt.due_within is not None:
        statuses = tuple(s for s in (statuses or OVERDUE_STATUSES) if s in OVERDUE_STATUSES)
    if statuses:
        query = query.where(hazard.c.status.in_(statuses))
    if flt.unit:
        names = resolve_unit(conn, flt.unit)
        query = query.where(sa.or_(hazard.c.unit.in_(names), hazard.c.target.in_(names)))
    if flt.level:
        query = query.where(hazard.c.level == flt.level)
    if flt.overdue:  # past due once a working day has gone by after the due date
        query = query.where(hazard.c.due < days.last_working_on_or_before(today))
    if flt.due_within is not None:
        query = query.where(hazard.c.due >= today, hazard.c.due <= calendar.shift(today, flt.due_within).due.date)
    rows = [r._asdict() for r in conn.execute(query.order_by(hazard.c.due, hazard.c.id))]
    if rows:
        days.cover(min(r["due"] for r in rows))
    for r in rows:
        r["overdue_days"] = days.since(r["due"]) if r["status"] in OVERDUE_STATUSES else 0
    return rows


def show(conn: Connection, hazard_id: str, today: dt.date, calendar: Calendar) -> dict:
    """One hazard: its fields, 治理方案, 督办, working days overdue, and its history."""
    row = get(conn, hazard_id)
    sup = conn.execute(sa.select(supervision).where(supervision.c.hazard_id == row["id"])).mappings().first()
    row["supervision"] = dict(sup) if sup else None
    row["plan_missing"] = plan_missing(row) if row["level"] == lifecycle.MAJOR else []
    row["overdue_days"] = WorkingDays(calendar, today).since(row["due"]) if row["status"] in OVERDUE_STATUSES else 0
    row["allowed"] = [m.action for m in lifecycle.allowed(row["status"], row["level"]) if m.action != "amend"]
    row["history"] = history(conn, row["id"])
    return row
