"""Re-inspection (再抽查): an audit of exactly the open hazards' checks, each entry saying which
hazard it re-checks (``recheck_of``). Importing its answers moves the hazards (see importer)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from checklist import vocabulary
from checklist.audits.audit import Audit, Entry
from checklist.audits.identity import new_id
from checklist.errors import Refusal, UsageError
from checklist.model.catalog import Catalog
from checklist.model.library import load_catalog
from checklist.register.db import reading
from checklist.register.hazards import checked_id
from checklist.register.queries import resolve_unit
from checklist.register.tables import hazard


def open_hazards(engine: Engine, unit: str | None, hazard_ids: list[str]) -> list[dict]:
    """The open hazards to re-check: a unit's, or those named (each must exist and be open)."""
    if bool(unit) == bool(hazard_ids):
        raise Refusal("recheck.selection", "unit")
    with reading(engine) as conn:
        query = sa.select(hazard).order_by(hazard.c.id)
        if unit:
            names = resolve_unit(conn, unit)
            query = query.where(sa.or_(hazard.c.unit.in_(names), hazard.c.target.in_(names)), hazard.c.status.in_(vocabulary.OPEN))
        else:
            query = query.where(hazard.c.id.in_([checked_id(h) for h in hazard_ids]))
        rows = [dict(r) for r in conn.execute(query).mappings()]
    if hazard_ids:
        found = {r["id"]: r for r in rows}
        unknown = [h for h in (checked_id(x) for x in hazard_ids) if h not in found]
        if unknown:
            raise Refusal("hazard.unknown", "hazard", hazard=", ".join(unknown))
        closed = [f"{r['id']} ({r['status']})" for r in rows if r["status"] not in vocabulary.OPEN]
        if closed:
            raise Refusal("hazard.not_open", "hazard", hazards=closed)
    if not rows:
        raise Refusal("hazard.none_open", "unit", unit=unit)
    return rows


def recheck_audit(
    engine: Engine, *, unit: str | None, hazard_ids: list[str], inspectors: list[str], date: dt.date, title: str = ""
) -> tuple[Audit, Catalog]:
    """A new audit re-checking the open hazards chosen; one catalog and one target per audit."""
    rows = open_hazards(engine, unit, hazard_ids)
    for what, key in (("catalogs", "catalog"), ("targets", "target")):
        values = sorted({r[key] for r in rows})
        if len(values) > 1:
            raise Refusal("recheck.several", "hazard", what=what, values=values)
    seen: dict[str, str] = {}
    for r in rows:
        if r["check_id"] in seen:
            raise Refusal("recheck.duplicate", "hazard", first=seen[r["check_id"]], second=r["id"], check=r["check_id"])
        seen[r["check_id"]] = r["id"]
    catalog = load_catalog(rows[0]["catalog"])
    try:
        selection = {"unit": catalog.find_unit(rows[0]["unit"]).id}
    except UsageError:
        selection = {}
    entries = [Entry(r["check_id"], r["clause"], r["ref"], r["ask"], recheck_of=r["id"]) for r in rows]
    audit = Audit(
        catalog={"id": catalog.id, "title": catalog.title, "doc_no": catalog.doc_no, "sha256": catalog.sha256},
        target={"name": rows[0]["target"]},
        inspectors=list(inspectors),
        date=date.isoformat(),
        entries=entries,
        selection=selection,
        title=title or "隐患整改复查记录",
        id=new_id(),
        rechecks=sorted({r["audit_id"] for r in rows}),
    )
    return audit, catalog
