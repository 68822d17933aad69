"""What the register answers: the hazards matching a filter (overdue counted in working days on
the official calendar), and one hazard with everything about it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist import vocabulary
from checklist.errors import Refusal, UsageError
from checklist.files import values
from checklist.model.catalog import nfkc
from checklist.register import lifecycle
from checklist.register.hazards import checked_id, get, plan_missing
from checklist.register.log import head, history
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


TEXT_COLUMNS = ("id", "description", "unit", "target", "place", "measure", "owner")


@dataclass(kw_only=True)
class Filter:
    statuses: tuple[str, ...] = ()
    unit: str | None = None
    level: str | None = None
    overdue: bool = False
    due_within: int | None = None  # working days from today
    text: str = ""  # words to find in the hazard's id, description, unit, place, measure or owner
    owner: str | None = None  # a unit user's unit: only the hazards it owns, by unit id (``owned``)
    business: str | None = None  # one business of the register (code or name) …
    business_grade: str | None = None  # … or the businesses of one 分级分类 level


def business_names(conn: Connection, flt: Filter) -> list[str] | None:
    """The names a business filter stands for (None: no business filter)."""
    if not flt.business and not flt.business_grade:
        return None
    from checklist.register.businesses import names

    return names(conn, flt.business, flt.business_grade)


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


FIRST_YEAR, LAST_YEAR = 1, dt.MAXYEAR - 1  # a year's report is due in the next one, which must be a year too


def checked_year(field: str, year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Refusal("stats.year", field, value=year, first=FIRST_YEAR, last=LAST_YEAR)
    return year


def resolve_unit(conn: Connection, name: str) -> list[str]:
    """The unit names stored that ``name`` stands for: the name itself, or a unit of one of the
    register's catalogs by id, name or alias (科技处 → 科技处(公共服务处))."""
    from checklist.model.library import load_catalog

    name = values.text("unit", name, required=True, longest=200)
    wanted = {nfkc(name)}
    for cat_id in conn.execute(sa.select(hazard.c.catalog).distinct()).scalars():
        try:
            wanted.add(load_catalog(cat_id).find_unit(name).name)
        except UsageError:
            continue
    return sorted(wanted)


def owned(conn: Connection, unit: str) -> Any:
    """The condition that holds for the hazards of ``unit`` (a unit's id, name or alias), decided by unit ids alone:
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
        return sa.false()
    return sa.or_(*(sa.and_(hazard.c.catalog == c, hazard.c.unit == n) for c, n in owned_pairs))


def owned_hazards(conn: Connection, unit: str) -> set[str]:
    """The ids of the hazards of ``unit`` (see ``owned``)."""
    return set(conn.execute(sa.select(hazard.c.id).where(owned(conn, unit))).scalars())


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


def _where(conn: Connection, flt: Filter, today: dt.date, calendar: Calendar, days: WorkingDays) -> list:
    """The filter's conditions, for the database to apply."""
    where: list = []
    statuses = flt.statuses
    if flt.overdue or flt.due_within is not None:
        statuses = tuple(s for s in (statuses or OVERDUE_STATUSES) if s in OVERDUE_STATUSES)
    if statuses:
        where.append(hazard.c.status.in_(statuses))
    if flt.unit:
        names = resolve_unit(conn, flt.unit)
        where.append(sa.or_(hazard.c.unit.in_(names), hazard.c.target.in_(names)))
    if flt.owner:
        where.append(owned(conn, flt.owner))
    if flt.level:
        where.append(hazard.c.level == flt.level)
    of_business = business_names(conn, flt)
    if of_business is not None:
        where.append(sa.or_(hazard.c.target.in_(of_business), hazard.c.unit.in_(of_business)))
    if flt.overdue:  # past due once a working day has gone by after the due date
        where.append(hazard.c.due < days.last_working_on_or_before(today))
    if flt.due_within is not None:
        where.append(hazard.c.due >= today)
        where.append(hazard.c.due <= calendar.shift(today, flt.due_within).due.date)
    if flt.text:
        words = flt.text.split()
        for w in words:  # every word somewhere in the hazard's id, description, unit, place, measure or owner
            where.append(sa.or_(*(hazard.c[c].contains(w, autoescape=True) for c in TEXT_COLUMNS)))
    return where


def _rows(found: Sequence[Any], days: WorkingDays) -> list[dict]:
    late = {s: s in OVERDUE_STATUSES for s in vocabulary.STATUSES}
    rows = [dict(zip(LIST_COLUMNS, r, strict=True)) for r in found]  # plain tuples → dicts: thousands of rows cost milliseconds
    if rows:
        days.cover(min(r["due"] for r in rows))
    for r in rows:
        r["overdue_days"] = days.since(r["due"]) if late[r["status"]] else 0
    return rows


def list_hazards(conn: Connection, flt: Filter, today: dt.date, calendar: Calendar) -> list[dict]:
    """Hazards matching ``flt``, oldest due first, each with ``overdue_days`` (working days past due)."""
    days = WorkingDays(calendar, today)
    query = sa.select(*(hazard.c[c] for c in LIST_COLUMNS)).where(*_where(conn, flt, today, calendar, days))
    return _rows(conn.execute(query.order_by(hazard.c.due, hazard.c.id)).all(), days)


@dataclass
class Page:
    rows: list[dict]
    total: int  # hazards matching the filter
    counts: dict[str, int]  # per status, among those the filter's other conditions match
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None


def page_hazards(conn: Connection, flt: Filter, today: dt.date, calendar: Calendar, limit: int = 50, offset: int = 0) -> Page:
    """One page of the hazards matching ``flt`` (oldest due first), with the total and the counts
    per status: sorted, filtered, counted and cut in the database, so a page costs the same with
    100 hazards or 100,000."""
    from dataclasses import replace

    days = WorkingDays(calendar, today)
    where = _where(conn, flt, today, calendar, days)
    total = conn.execute(sa.select(sa.func.count()).select_from(hazard).where(*where)).scalar_one()
    others = _where(conn, replace(flt, statuses=()), today, calendar, days)
    counts: dict[str, int] = dict(conn.execute(sa.select(hazard.c.status, sa.func.count()).where(*others).group_by(hazard.c.status)).all())
    query = sa.select(*(hazard.c[c] for c in LIST_COLUMNS)).where(*where).order_by(hazard.c.due, hazard.c.id).limit(limit).offset(offset)
    return Page(_rows(conn.execute(query).all(), days), total, counts, limit, offset)


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


def audit_of(conn: Connection, audit: str) -> tuple[str | None, str]:
    """(what the register knows the audit ``audit`` by, its resolved path): ``audit`` is an audit
    id the register holds, or an audit file; no key when the file cannot be read as an audit (the
    path then stands for the audit imported from it)."""
    from pathlib import Path

    from checklist.audits.audit_file import load_audit
    from checklist.errors import ChecklistError
    from checklist.register.importer import audit_key, imported

    text = values.text("audit", audit, required=True, longest=4096)
    path = Path(text).resolve().as_posix()
    if len(text) <= 64 and imported(conn, text):
        return text, path
    try:
        a, _cat, _notice = load_audit(Path(text))
    except ChecklistError:
        return None, path
    return audit_key(conn, a), path


def audit_hazards(conn: Connection, audit: str) -> list[dict]:
    """The hazards an imported audit registered, in check order of their ids."""
    key, path = audit_of(conn, audit)
    where = hazard.c.audit_id == key if key else hazard.c.audit_path == path
    rows = [dict(r) for r in conn.execute(sa.select(hazard).where(where).order_by(hazard.c.id)).mappings()]
    if not rows:
        raise Refusal("audit.not_imported", "audit", audit=str(audit))
    return rows


def reviews(conn: Connection, audit: str | None, hazard_ids: list[str]) -> list[dict]:
    """The re-inspections to put on a 整改复查意见书: those a re-check audit made, or the latest
    复查 of each hazard named; each a hazard row with its review event."""
    import json

    from checklist.register.importer import from_audit
    from checklist.register.tables import event

    kinds = ("pass", "fail", "recheck-pass", "recheck-fail")
    query = sa.select(event).where(event.c.action.in_(kinds)).order_by(event.c.seq)
    ids = [checked_id(h) for h in hazard_ids]
    if ids:
        query = query.where(event.c.hazard_id.in_(ids))
    latest: dict[str, dict] = {}
    key, path = audit_of(conn, audit) if audit else (None, "")
    for e in conn.execute(query).mappings():
        if not audit or from_audit(json.loads(e["data"]), key, path):
            latest[e["hazard_id"]] = dict(e)
    wanted = ids or sorted(latest)
    missing = [h for h in wanted if h not in latest]
    if missing or not wanted:
        raise Refusal("review.none", "hazard", hazards=missing or [audit or ""])
    return [dict(get(conn, h), review=latest[h]) for h in wanted]


def ledger(conn: Connection, unit: str | None, year: int | None) -> list[dict]:
    """The 隐患台账: every hazard (of a unit, found in a year), in id order."""
    query = sa.select(hazard).order_by(hazard.c.found_on, hazard.c.id)
    if unit:
        names = resolve_unit(conn, unit)
        query = query.where(sa.or_(hazard.c.unit.in_(names), hazard.c.target.in_(names)))
    if year is not None:
        year = checked_year("year", year)
        query = query.where(hazard.c.found_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return [dict(r) for r in conn.execute(query).mappings()]


def dashboard(conn: Connection, today: dt.date, calendar: Calendar, months: int = 12, flt: Filter | None = None) -> dict:
    """Open hazards by unit and level, overdue ones by working days late, and hazards found and
    closed per month over the last ``months`` months; with a business filter, of those businesses only."""
    of_business = business_names(conn, flt) if flt else None
    mine = sa.or_(hazard.c.target.in_(of_business), hazard.c.unit.in_(of_business)) if of_business is not None else sa.true()
    open_by_unit: dict[str, dict[str, int]] = {}
    q = (
        sa.select(hazard.c.unit, hazard.c.level, sa.func.count())
        .where(hazard.c.status.in_(vocabulary.OPEN), mine)
        .group_by(hazard.c.unit, hazard.c.level)
    )
    for unit, level, n in conn.execute(q):
        open_by_unit.setdefault(unit, {vocabulary.GENERAL: 0, vocabulary.MAJOR: 0})[level] += n
    days = WorkingDays(calendar, today)
    late = sa.select(hazard.c.due).where(hazard.c.status.in_(OVERDUE_STATUSES), hazard.c.due < days.last_working_on_or_before(today), mine)
    buckets = {"1–5": 0, "6–10": 0, "11–20": 0, "21–60": 0, ">60": 0}
    for (due,) in conn.execute(late):
        n = days.since(due)
        key = "1–5" if n <= 5 else "6–10" if n <= 10 else "11–20" if n <= 20 else "21–60" if n <= 60 else ">60"
        buckets[key] += 1
    labels = []
    y, m = today.year, today.month
    for _month in range(months):
        labels.append(f"{y}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    labels.reverse()
    first = dt.date(int(labels[0][:4]), int(labels[0][5:]), 1)
    monthly = {label: {"found": 0, "closed": 0} for label in labels}
    for (found,) in conn.execute(sa.select(hazard.c.found_on).where(hazard.c.found_on.between(first, today), mine)):
        monthly[f"{found.year}-{found.month:02d}"]["found"] += 1
    for (closed,) in conn.execute(sa.select(hazard.c.closed_on).where(hazard.c.closed_on.between(first, today), mine)):
        monthly[f"{closed.year}-{closed.month:02d}"]["closed"] += 1
    events, last = head(conn)
    return {
        "today": today,
        "open_by_unit": dict(sorted(open_by_unit.items())),
        "overdue_by_age": buckets,
        "monthly": monthly,
        "anchor": {"events": events, "head": last},  # printed: the paper proves later that the log was not rewritten before it
        "businesses": ("、".join(of_business) or "—") if of_business is not None else None,
    }


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
