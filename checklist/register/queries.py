"""What the register answers: the hazards matching a filter (overdue counted in working days on
the official calendar), and one hazard with everything about it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist import vocabulary
from checklist.errors import Refusal, UsageError
from checklist.model.catalog import nfkc
from checklist.register import lifecycle
from checklist.register.hazards import get, plan_missing
from checklist.register.log import history
from checklist.register.tables import hazard, supervision
from checklist.workdays.calendar import Calendar

OVERDUE_STATUSES = (vocabulary.TODO, vocabulary.DOING)  # 待复查: the unit has done its part
LIST_COLUMNS = (
    "id",
    "status",
    "level",
    "unit",
    "target",
    "place",
    "description",
    "measure",
    "owner",
    "due",
    "found_on",
    "version",
    "risk_point",
)


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


def owned_hazards(conn: Connection, unit: str) -> set[str]:
    """The ids of the hazards of ``unit`` (a unit's id, name or alias), decided by unit ids alone:
    a hazard is the unit's when the unit it was registered for — the catalog unit its audit was
    made for, stored by that unit's full name — is, in the hazard's own catalog, the unit ``unit``
    names there (or a member of that group). Never by a target's name or any other free text: an
    audit of 科技处 whose target is called “办公室” is 科技处's; a hazard of an audit made for a kind
    of target (no catalog unit) is no unit user's."""
    from checklist.model.library import load_catalog

    owned_pairs = []
    for catalog_id, name in conn.execute(sa.select(hazard.c.catalog, hazard.c.unit).distinct()).all():
        try:
            cat = load_catalog(catalog_id)
            mine = cat.expand(cat.find_unit(unit).id)
        except UsageError:
            continue
        if any(cat.units[uid].name == name for uid in mine):  # the full name as registered, not an alias
            owned_pairs.append((catalog_id, name))
    if not owned_pairs:
        return set()
    pairs = sa.or_(*(sa.and_(hazard.c.catalog == c, hazard.c.unit == n) for c, n in owned_pairs))
    return set(conn.execute(sa.select(hazard.c.id).where(pairs)).scalars())


def same_unit(first: str, second: str) -> bool:
    """Whether two names (id, name or alias) stand for one unit in a known catalog, or are equal."""
    from checklist.model.library import known_ids, load_catalog

    if nfkc(first).strip() == nfkc(second).strip():
        return True
    for catalog_id in known_ids():
        try:
            cat = load_catalog(catalog_id)
            if cat.find_unit(first).id == cat.find_unit(second).id:
                return True
        except UsageError:
            continue
    return False


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
    found = conn.execute(query.order_by(hazard.c.due, hazard.c.id)).all()
    if found:
        days.cover(found[0][LIST_COLUMNS.index("due")])
    late = {s: s in OVERDUE_STATUSES for s in vocabulary.STATUSES}
    rows = [dict(zip(LIST_COLUMNS, r, strict=True)) for r in found]  # plain tuples → dicts: thousands of rows cost milliseconds
    for r in rows:
        r["overdue_days"] = days.since(r["due"]) if late[r["status"]] else 0
    return rows


def show(conn: Connection, hazard_id: str, today: dt.date, calendar: Calendar) -> dict:
    """One hazard: its fields, 治理方案, 督办, working days overdue, and its history."""
    row = get(conn, hazard_id)
    sup = conn.execute(sa.select(supervision).where(supervision.c.hazard_id == row["id"])).mappings().first()
    row["supervision"] = dict(sup) if sup else None
    row["plan_missing"] = plan_missing(row) if row["level"] == vocabulary.MAJOR else []
    row["overdue_days"] = WorkingDays(calendar, today).since(row["due"]) if row["status"] in OVERDUE_STATUSES else 0
    row["allowed"] = [m.action for m in lifecycle.allowed(row["status"], row["level"]) if m.action != "amend"]
    row["history"] = history(conn, row["id"])
    return row


# --- what the paper needs -------------------------------------------------------------------


def audit_hazards(conn: Connection, audit: str) -> list[dict]:
    """The hazards an imported audit registered, in check order of their ids."""
    from pathlib import Path

    key = Path(audit).resolve().as_posix()
    rows = [dict(r) for r in conn.execute(sa.select(hazard).where(hazard.c.audit_path == key).order_by(hazard.c.id)).mappings()]
    if not rows:
        raise Refusal("audit.not_imported", "audit", audit=str(audit))
    return rows


def reviews(conn: Connection, audit: str | None, hazard_ids: list[str]) -> list[dict]:
    """The re-inspections to put on a 整改复查意见书: those a re-check audit made, or the latest
    复查 of each hazard named; each a hazard row with its review event."""
    import json
    from pathlib import Path

    from checklist.register.tables import event

    kinds = ("pass", "fail", "recheck-pass", "recheck-fail")
    query = sa.select(event).where(event.c.action.in_(kinds)).order_by(event.c.seq)
    if hazard_ids:
        query = query.where(event.c.hazard_id.in_([h.strip().upper() for h in hazard_ids]))
    latest: dict[str, dict] = {}
    key = Path(audit).resolve().as_posix() if audit else None
    for e in conn.execute(query).mappings():
        if key is None or json.loads(e["data"]).get("audit") == key:
            latest[e["hazard_id"]] = dict(e)
    wanted = [h.strip().upper() for h in hazard_ids] or sorted(latest)
    missing = [h for h in wanted if h not in latest]
    if missing or not wanted:
        raise UsageError(
            f"no 复查 recorded for {', '.join(missing) or (audit or 'these hazards')} (verify it, or import the re-check audit, first)"
        )
    return [dict(get(conn, h), review=latest[h]) for h in wanted]


def ledger(conn: Connection, unit: str | None, year: int | None) -> list[dict]:
    """The 隐患台账: every hazard (of a unit, found in a year), in id order."""
    query = sa.select(hazard).order_by(hazard.c.found_on, hazard.c.id)
    if unit:
        names = resolve_unit(conn, unit)
        query = query.where(sa.or_(hazard.c.unit.in_(names), hazard.c.target.in_(names)))
    if year:
        query = query.where(hazard.c.found_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return [dict(r) for r in conn.execute(query).mappings()]


def dashboard(conn: Connection, today: dt.date, calendar: Calendar, months: int = 12) -> dict:
    """Open hazards by unit and level, overdue ones by working days late, and hazards found and
    closed per month over the last ``months`` months."""
    open_by_unit: dict[str, dict[str, int]] = {}
    q = (
        sa.select(hazard.c.unit, hazard.c.level, sa.func.count())
        .where(hazard.c.status.in_(vocabulary.OPEN))
        .group_by(hazard.c.unit, hazard.c.level)
    )
    for unit, level, n in conn.execute(q):
        open_by_unit.setdefault(unit, {vocabulary.GENERAL: 0, vocabulary.MAJOR: 0})[level] += n
    days = WorkingDays(calendar, today)
    late = sa.select(hazard.c.due).where(hazard.c.status.in_(OVERDUE_STATUSES), hazard.c.due < days.last_working_on_or_before(today))
    buckets = {"1–5": 0, "6–10": 0, "11–20": 0, "21–60": 0, ">60": 0}
    for (due,) in conn.execute(late):
        n = days.since(due)
        key = "1–5" if n <= 5 else "6–10" if n <= 10 else "11–20" if n <= 20 else "21–60" if n <= 60 else ">60"
        buckets[key] += 1
    labels = []
    y, m = today.year, today.month
    for _ in range(months):
        labels.append(f"{y}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    labels.reverse()
    first = dt.date(int(labels[0][:4]), int(labels[0][5:]), 1)
    monthly = {label: {"found": 0, "closed": 0} for label in labels}
    for (found,) in conn.execute(sa.select(hazard.c.found_on).where(hazard.c.found_on.between(first, today))):
        monthly[f"{found.year}-{found.month:02d}"]["found"] += 1
    for (closed,) in conn.execute(sa.select(hazard.c.closed_on).where(hazard.c.closed_on.between(first, today))):
        monthly[f"{closed.year}-{closed.month:02d}"]["closed"] += 1
    return {"today": today, "open_by_unit": dict(sorted(open_by_unit.items())), "overdue_by_age": buckets, "monthly": monthly}


def open_units(conn: Connection, today: dt.date, calendar: Calendar) -> list[dict]:
    """Units with open hazards — the population of the next 再抽查 round (`checklist sample`)."""
    cutoff = WorkingDays(calendar, today).last_working_on_or_before(today)
    late = sa.case((sa.and_(hazard.c.status.in_(OVERDUE_STATUSES), hazard.c.due < cutoff), 1), else_=0)
    major = sa.case((hazard.c.level == vocabulary.MAJOR, 1), else_=0)
    query = (
        sa.select(hazard.c.unit, sa.func.count(), sa.func.sum(major), sa.func.sum(late), sa.func.min(hazard.c.due))
        .where(hazard.c.status.in_(vocabulary.OPEN))
        .group_by(hazard.c.unit)
        .order_by(hazard.c.unit)
    )
    return [
        {"unit": unit, "open": n, "major": int(m or 0), "overdue": int(o or 0), "earliest_due": due, "has_major": "是" if m else "否"}
        for unit, n, m, o, due in conn.execute(query)
    ]
