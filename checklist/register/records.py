"""Records the seed requires beside the moves, against a unit or one hazard: 通报 and 约谈
(京广发〔2026〕11号 第九条: "组织开展安全生产通报和约谈，针对重大事故隐患整改不到位…及时进行警示提醒和工作
通报，视情况组织对有关部门、有关负责同志实施约谈") and the handing of a lead to the 纪检监察 body
(第十三条: "按程序移交局机关纪委或驻局纪检组"). Each is one event in the log (its id is that
event's seq) and one row that the event proves (register.proof); none moves the hazard.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist.errors import MoveRefused, Refusal
from checklist.files import values
from checklist.register.hazards import get
from checklist.register.log import NewEvent, append, now
from checklist.register.tables import oversight
from checklist.vocabulary import HANDOVER_BODIES, RECORD_KINDS

ROLES = ("admin", "inspector")  # the 领导小组's office and its inspectors record them; a unit does not
LIMITS = {"unit": 200, "organiser": 200, "whom": 200, "matter": 2000, "follow_up": 2000}


def add(
    conn: Connection,
    kind: str,
    *,
    by: str,
    role: str,
    held_on: dt.date,
    organiser: str,
    whom: str,
    matter: str,
    follow_up: str = "",
    unit: str = "",
    hazard_id: str = "",
) -> dict:
    """Record one 通报, 约谈 or 线索移交 inside the caller's write transaction; the row as stored."""
    if kind not in RECORD_KINDS:
        raise Refusal("value.choice", "kind", value=kind, allowed=list(RECORD_KINDS.values()))
    if role not in ROLES:
        raise MoveRefused("record.role", "action", kind=RECORD_KINDS[kind], roles=list(ROLES), role=role)
    by = values.text("by", by, required=True, longest=100)
    texts = {
        "organiser": values.text("organiser", organiser, required=True, longest=LIMITS["organiser"]),
        "whom": values.text("whom", whom, required=True, longest=LIMITS["whom"]),
        "matter": values.text("matter", matter, required=True, longest=LIMITS["matter"]),
        "follow_up": values.text("follow_up", follow_up, longest=LIMITS["follow_up"]),
    }
    if kind == "handover" and texts["whom"] not in HANDOVER_BODIES:
        raise Refusal("value.choice", "whom", value=texts["whom"], allowed=list(HANDOVER_BODIES))
    status = None
    if values.text("hazard", hazard_id, longest=100):
        row = get(conn, hazard_id)
        hazard_id, unit, status = row["id"], row["unit"], row["status"]
    else:
        unit = _unit(conn, values.text("unit", unit, longest=LIMITS["unit"]))
    record = {"kind": kind, "unit": unit, "hazard_id": hazard_id or None, "held_on": held_on.isoformat(), **texts}
    at = now()
    (stored,) = append(conn, [NewEvent(hazard_id or None, by, role, kind, status, status or "", texts["matter"], {"record": record})], at)
    row = dict(record, id=stored["seq"], held_on=held_on, recorded_by=by, recorded_at=at)
    conn.execute(oversight.insert().values(**row))
    return row


def _unit(conn: Connection, name: str) -> str:
    """The unit as the register's hazards name it (科技处 → 科技处(公共服务处)), else as given."""
    if not name:
        raise Refusal("record.subject", "unit")
    from checklist.register.queries import resolve_unit
    from checklist.register.tables import hazard

    names = resolve_unit(conn, name)
    known = set(conn.execute(sa.select(hazard.c.unit).where(hazard.c.unit.in_(names)).distinct()).scalars())
    return sorted(known)[0] if known else name


def of(conn: Connection, units: list[str] | None = None, hazard_id: str | None = None) -> list[dict]:
    """Records against a hazard, or against any of ``units`` (those of the unit itself and of its
    hazards), oldest first; every record when neither is given."""
    query = sa.select(oversight).order_by(oversight.c.held_on, oversight.c.id)
    if hazard_id:
        query = query.where(oversight.c.hazard_id == hazard_id)
    elif units is not None:
        query = query.where(oversight.c.unit.in_(units))
    return [dict(r) for r in conn.execute(query).mappings()]


def for_hazard(conn: Connection, row: dict) -> list[dict]:
    """What a hazard's page shows: the records against it, and those against its unit as a whole."""
    query = (
        sa.select(oversight)
        .where(sa.or_(oversight.c.hazard_id == row["id"], sa.and_(oversight.c.hazard_id.is_(None), oversight.c.unit == row["unit"])))
        .order_by(oversight.c.held_on, oversight.c.id)
    )
    return [dict(r) for r in conn.execute(query).mappings()]
