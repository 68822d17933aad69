"""Risks meet hazards (双重预防): the register's hazards seen through a graded risk-point file —
each hazard's risk level, hazards ordered by it, and the points with open hazards that the unit's
主要负责人 reads first (a 重大风险 point with open hazards on top)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist import vocabulary
from checklist.register.queries import OVERDUE_STATUSES, WorkingDays
from checklist.register.tables import hazard
from checklist.risk.grading import Grading
from checklist.workdays.calendar import Calendar

LAST = 1_000  # the rank of a hazard with no (known) risk point: after every level


def with_risk(rows: list[dict], grading: Grading) -> list[str]:
    """Give each hazard row its risk level (``risk``: "point id level name", ``risk_rank``); the
    point ids that name no point of the file are returned, to be reported, and shown as such."""
    unknown: list[str] = []
    for r in rows:
        pid = r.get("risk_point")
        level = grading.level_of(pid) if pid else None
        if pid and level is None and pid not in unknown:
            unknown.append(pid)
        r["risk"] = f"{pid} {level.name}" if level else (f"{pid} (不在风险点清单)" if pid else "")
        r["risk_rank"] = level.rank if level else LAST
    return unknown


def by_risk(rows: list[dict]) -> list[dict]:
    """Highest risk level first, then the earliest due (rows given oldest due first stay so)."""
    return sorted(rows, key=lambda r: (r["risk_rank"], r["due"], r["id"]))


@dataclass
class Attention:
    today: dt.date  # as of this day
    unit: str | None  # the unit asked for (None: every unit)
    points: list[dict] = field(default_factory=list)  # point, level, colour, open count, hazards [{id, due, level, status}]
    unknown: list[str] = field(default_factory=list)  # risk points named by open hazards that the file lacks

    def as_dict(self) -> dict:
        return {"points": self.points, "unknown": self.unknown}


def attention(conn: Connection, grading: Grading, unit: str | None, today: dt.date, calendar: Calendar) -> Attention:
    """The risk points (of ``unit``) that have open hazards, in the order the 主要负责人 reads them
    (Grading.attention: 重大 with open hazards first), each with its open hazards' ids, due dates
    and working days overdue."""
    days = WorkingDays(calendar, today)
    query = (
        sa.select(hazard.c.risk_point, hazard.c.id, hazard.c.due, hazard.c.level, hazard.c.status)
        .where(hazard.c.status.in_(vocabulary.OPEN), hazard.c.risk_point.is_not(None))
        .order_by(hazard.c.due, hazard.c.id)
    )
    open_by_point: dict[str, list[dict]] = {}
    out = Attention(today, unit)
    for pid, hid, due, level, status in conn.execute(query):
        a = grading.get(pid)
        if a is None:
            if pid not in out.unknown:
                out.unknown.append(pid)
            continue
        open_by_point.setdefault(a.point.id, []).append(
            {
                "id": hid,
                "due": due.isoformat(),
                "level": level,
                "status": status,
                "overdue_days": days.since(due) if status in OVERDUE_STATUSES else 0,
            }
        )
    counts = {pid: len(hs) for pid, hs in open_by_point.items()}
    for a, n in grading.attention(counts, unit):
        if n:
            p = a.point
            out.points.append(
                {
                    "point": p.id,
                    "name": p.name,
                    "unit": p.unit,
                    "level": a.level.id,
                    "level_name": a.level.name,
                    "colour": a.level.colour,
                    "owner": p.owner,
                    "open": n,
                    "hazards": open_by_point[p.id],
                }
            )
    return out


def open_by_level(conn: Connection, grading: Grading) -> tuple[list[dict], list[str]]:
    """Open hazards counted by their risk point's level (every level, zeros too, highest first),
    then those with no risk point and those naming a point the file lacks; and those unknown ids."""
    rows = {
        lv.id: {"name": lv.name, "colour": lv.colour, "rgb": lv.rgb, "text_rgb": lv.text_rgb, "count": 0}
        for lv in grading.methods.levels.values()
    }
    rows |= {key: {"name": key, "colour": "", "rgb": "", "text_rgb": "", "count": 0} for key in ("未关联风险点", "风险点不在清单")}
    unknown: list[str] = []
    query = sa.select(hazard.c.risk_point, sa.func.count()).where(hazard.c.status.in_(vocabulary.OPEN)).group_by(hazard.c.risk_point)
    for pid, n in conn.execute(query):
        level = grading.level_of(pid) if pid else None
        if pid and level is None:
            unknown.append(pid)
        rows[level.id if level else ("风险点不在清单" if pid else "未关联风险点")]["count"] += n
    return list(rows.values()), sorted(unknown)
