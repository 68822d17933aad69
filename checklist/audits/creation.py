"""A new audit from what a person asks for — `audit new`'s options or the new-audit form and API —
decided in one place, so both doors make the same audit: the catalog, the unit or kind, the facts
the target declared, the target named (or as the facts name it), every typed field checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from checklist.audits import audit as audits
from checklist.audits.fields import checked_date
from checklist.errors import Refusal
from checklist.model.catalog import Catalog, nfkc
from checklist.model.facts import Declaration
from checklist.model.library import load_catalog


@dataclass
class AuditRequest:
    catalog: str  # id or path
    inspectors: list[str]
    date: dt.date | str  # a form gives text; it is checked here
    unit: str | None = None  # a unit's duties …
    kind: str | None = None  # … or the requirements for a kind of target (at most one of them)
    target: str = ""  # [default: the name the facts file declares]
    address: str = ""  # [default: the address the facts file declares]
    target_kind: str = ""  # [default: the kind's name]
    title: str = ""
    inspecting_body: str = ""
    tags: list[str] = field(default_factory=list)
    chapters: list[str] = field(default_factory=list)
    facts: Path | None = None  # a facts file (YAML, CSV, XLSX): its rules answer the checks they decide


def create(req: AuditRequest) -> tuple[audits.Audit, Catalog, Declaration | None]:
    """The new audit (not yet saved), its catalog and the declaration that answered some of it."""
    if not req.catalog.strip():
        raise Refusal("value.required", "catalog")
    cat = load_catalog(req.catalog.strip())
    unit, kind = (req.unit or "").strip() or None, (req.kind or "").strip() or None
    if unit and kind:
        raise Refusal("audit.unit_or_kind", "unit")
    kind_name = cat.find_kind(kind).name if kind else ""
    if unit:
        cat.find_unit(unit)
    declaration = _declaration(cat, req.facts, req.target) if req.facts else None
    declared = declaration.target if declaration else {}
    day = checked_date("date", req.date)
    new = audits.new(
        cat,
        unit=unit,
        kind=kind,
        tags=list(req.tags),
        chapters=list(req.chapters),
        target={
            "name": req.target.strip() or declared.get("name", ""),
            "address": req.address.strip() or declared.get("address", ""),
            "kind": req.target_kind.strip() or kind_name,
        },
        inspectors=list(req.inspectors),
        date=day,
        title=req.title,
        declaration=declaration,
        inspecting_body=req.inspecting_body,
    )
    return new, cat, declaration


def _declaration(cat: Catalog, facts: Path, target: str) -> Declaration:
    """The row of a facts file for this audit: the only one, or the one named ``target``."""
    from checklist.model.facts import load as load_facts

    if facts.suffix.lower() not in (".yaml", ".yml", ".csv", ".xlsx"):
        raise Refusal("audit.facts_file", "facts", suffix=facts.suffix or facts.name)
    rows = load_facts(facts, cat)
    if len(rows) > 1 and target.strip():
        rows = [d for d in rows if nfkc(d.target.get("name", "")) == nfkc(target)] or rows
    if len(rows) != 1:
        raise Refusal("audit.facts_targets", "target", count=len(rows))
    return rows[0]
