"""Hazards in from audits, idempotently: every 不符合 with its finding becomes a hazard with a
stable id per year (YH-2026-0001). The same audit imported twice changes nothing; a changed audit
updates hazards still 待整改 and untouched, and reports the ones already acted on as conflicts.
Entries that re-check a hazard (``recheck_of``) move it instead: 符合 → 已销号, 不符合 → 复查不通过.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from checklist import vocabulary
from checklist.audits.audit import Audit, Entry
from checklist.audits.audit_file import load_audit
from checklist.errors import ChecklistError, InvalidFileError, Problem
from checklist.files.kinds import detect_kind, expand_paths
from checklist.files.loader import load
from checklist.i18n import _
from checklist.model.catalog import Catalog
from checklist.register import lifecycle
from checklist.register.db import writing
from checklist.register.hazards import Request, apply, store_evidence
from checklist.register.log import NewEvent, append, canonical, now
from checklist.register.tables import audit_import, counter, event, hazard
from checklist.vocabulary import FAIL, PASS, PLAN_PARTS

# the finding's fields as the register keeps them; a change in any of them is a changed finding
FIELDS: tuple[str, ...] = (
    "catalog",
    "catalog_sha256",
    "clause",
    "ref",
    "ask",
    "unit",
    "target",
    "place",
    "description",
    "level",
    "measure",
    "owner",
    "due",
)
FIELDS += ("found_on", "inspectors", *(f"plan_{k}" for k in PLAN_PARTS), "interim_measures", "photos")


@dataclass
class ImportReport:
    audits: int = 0
    unchanged_audits: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    moved: list[str] = field(default_factory=list)  # re-checks applied
    conflicts: list[str] = field(default_factory=list)
    unidentified: list[tuple[str, str]] = field(default_factory=list)  # (audit file, the id its content gives) of audits without an id
    refused: list[tuple[str, ChecklistError]] = field(default_factory=list)  # where (audit: check), and why, as data

    def as_dict(self) -> dict:
        """The counts and ids (the refusals are worded by whoever shows them)."""
        return {k: getattr(self, k) for k in ("audits", "unchanged_audits", "added", "updated", "unchanged", "moved", "conflicts")}


def audit_files(paths: list[str]) -> list[Path]:
    """Files as given (each must be an audit); folders give the audits found under them."""
    out = []
    for p in paths:
        if Path(p).is_dir():
            out += [f for f in expand_paths([p]) if _is_audit(f)]
        else:
            out.append(Path(p))
    return out


def _is_audit(path: Path) -> bool:
    """Is this file in a folder an audit? Its modeline says so cheaply; without one, its keys do."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as f:
            head = "".join(f.readline() for _ in range(5))
    except OSError:
        return True  # let loading it report the problem
    if "$schema=" in head:
        return "/audit.schema.json" in head
    try:
        return detect_kind(load(path)).name == "audit"
    except ChecklistError:
        return True


def load_audits(paths: list[str]) -> list[tuple[Audit, Catalog | None]]:
    """Every audit validated before anything is imported; all problems of all files at once."""
    problems: list[Problem] = []
    loaded = []
    for f in audit_files(paths):
        try:
            a, cat, _notice = load_audit(f)
            loaded.append((a, cat))
        except InvalidFileError as e:
            problems += e.problems
    if problems:
        raise InvalidFileError(problems)
    return loaded


def import_audits(engine: Engine, paths: list[str], *, by: str, role: str, files_dir: Path) -> ImportReport:
    report = ImportReport()
    for a, cat in load_audits(paths):
        report.audits += 1
        with writing(engine) as conn:
            import_audit(conn, a, cat, by=by, role=role, files_dir=files_dir, report=report)
    return report


def audit_path(a: Audit) -> str:
    assert a.path is not None
    return a.path.resolve().as_posix()


def legacy_id(path: str) -> str:
    """The id schema r0004 gave the audits imported before it, by the path they were imported
    from (the same as migrations/versions/r0004_audit_id.py: a test holds them together)."""
    return "path-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:32]


def audit_key(conn: Connection, a: Audit) -> str:
    """What the register knows the audit by: its id (or the one its content gives); an audit
    without an id that was imported before ids from this very path keeps the id it got then."""
    key = a.identity
    if a.id or imported(conn, key):
        return key
    legacy = legacy_id(audit_path(a))
    return legacy if imported(conn, legacy) else key


def imported(conn: Connection, key: str) -> bool:
    return conn.execute(sa.select(audit_import.c.audit_id).where(audit_import.c.audit_id == key)).first() is not None


def finding_values(a: Audit, cat: Catalog | None, e: Entry) -> dict:
    f = e.finding
    assert f is not None
    plan = f.plan or {}
    return {
        "catalog": a.catalog["id"],
        "catalog_sha256": a.catalog["sha256"],
        "clause": e.clause,
        "ref": e.ref,
        "ask": e.ask,
        "unit": unit_name(a, cat),
        "target": a.target["name"],
        "place": f.place or a.target.get("address", ""),
        "description": f.description or e.note or e.ask,  # 隐患描述 as written; older audits: the note, else the question
        "level": f.hazard,
        "measure": f.measure,
        "owner": f.owner,
        "due": dt.date.fromisoformat(f.due),
        "found_on": dt.date.fromisoformat(a.date),
        "inspectors": "、".join(a.inspectors),
        **{f"plan_{k}": plan.get(k, "") for k in PLAN_PARTS},
        "interim_measures": f.interim_measures,
        "photos": "\n".join(e.evidence),
        "risk_point": f.risk_point or None,
        "basis": f.basis,
        "basis_reason": f.basis_reason,
    }


def unit_name(a: Audit, cat: Catalog | None) -> str:
    """The inspected unit as the catalog names it (selection.unit), else the target's name."""
    unit = a.selection.get("unit")
    return cat.units[unit].name if cat is not None and unit in cat.units else a.target["name"]


LATER_FIELDS = ("risk_point", "basis", "basis_reason")  # fields a finding gained later: part of it only when given


def compared(values: dict) -> tuple[str, ...]:
    """The fields that make up a finding: the risk point and the grading's basis only when given,
    so the hazards registered before findings could name them keep their fingerprints."""
    return (*FIELDS, *(k for k in LATER_FIELDS if values.get(k)))


def fingerprint(values: dict) -> str:
    return hashlib.sha256(canonical({k: str(values[k]) for k in compared(values)}).encode("utf-8")).hexdigest()


def import_audit(conn: Connection, a: Audit, cat: Catalog | None, *, by: str, role: str, files_dir: Path, report: ImportReport) -> None:
    """One audit, inside the caller's write transaction."""
    key, path = audit_key(conn, a), audit_path(a)
    if not a.id:
        report.unidentified.append((str(a.path), key))
    before = conn.execute(sa.select(audit_import.c.sha256).where(audit_import.c.audit_id == key)).scalar()
    if before == a.sha256:
        report.unchanged_audits += 1
        return
    existing = {r.check_id: r for r in conn.execute(sa.select(hazard).where(hazard.c.audit_id == key))}
    at = now()
    ids = _Ids(conn)
    new_rows: list[dict] = []
    new_events: list[NewEvent] = []
    failing = set()
    for e in a.entries:
        if e.recheck_of:
            _recheck(conn, a, e, key, report)
            continue
        if e.result != FAIL or e.finding is None:
            continue
        failing.add(e.id)
        values = finding_values(a, cat, e)
        sha = fingerprint(values)
        old = existing.get(e.id)
        if old is None:
            photos = store_evidence([a.folder / p for p in e.evidence], files_dir)
            hid = ids.next(values["found_on"].year)
            new_rows.append(
                dict(values, id=hid, audit_path=path, audit_id=key, audit_sha256=a.sha256, check_id=e.id, finding_sha256=sha)
                | {"status": vocabulary.TODO, "version": 1, "created_at": at, "updated_at": at}
                | {"rectified_measure": "", "reviewer": "", "review_opinion": ""}
            )
            data: dict = {"audit": path, "audit_id": key, "audit_sha256": a.sha256, "check": e.id, "finding_sha256": sha}
            data["finding"] = {k: _plain(v) for k, v in values.items()}  # the whole finding as registered: the log proves the row
            new_events.append(
                NewEvent(hid, by, role, "register", None, vocabulary.TODO, values["description"], data, [p.as_dict() for p in photos])
            )
            report.added.append(hid)
        elif old.finding_sha256 == sha:
            report.unchanged += 1
        elif old.status == vocabulary.TODO and not _acted_on(conn, old.id):
            lifecycle.check(lifecycle.State(old.id, old.status, old.level), "amend", role, {})
            changed = sorted(k for k in (*FIELDS, *LATER_FIELDS) if str(getattr(old, k) or "") != str(values[k] or ""))
            moved = {"audit_path": path, "audit_sha256": a.sha256, "finding_sha256": sha}
            conn.execute(
                sa.update(hazard)
                .where(hazard.c.id == old.id, hazard.c.version == old.version)
                .values(**values, **moved, version=old.version + 1, updated_at=at)
            )
            data = {"audit": path, "audit_id": key, "audit_sha256": a.sha256, "changed": changed, "finding_sha256": sha}
            data["set"] = {k: _plain(values[k]) for k in changed} | moved
            new_events.append(NewEvent(old.id, by, role, "amend", old.status, old.status, "检查记录变更: " + "、".join(changed), data))
            report.updated.append(old.id)
        else:
            report.conflicts.append(
                _(
                    "{hazard}: the audit's finding for {check} changed, but the hazard is already {status} (acted on): not overwritten;"
                    " record the change with a register command"
                ).format(hazard=old.id, check=e.id, status=old.status)
            )
    for check_id, old in existing.items():
        if check_id not in failing and old.status in vocabulary.OPEN:
            report.conflicts.append(
                _(
                    "{hazard}: the audit no longer records a finding for {check}; the hazard stays {status} (撤销 it if it is not a hazard)"
                ).format(hazard=old.id, check=check_id, status=old.status)
            )
    ids.save()
    if new_rows:
        conn.execute(hazard.insert(), new_rows)
    append(conn, new_events, at)
    record = {
        "sha256": a.sha256,
        "target": a.target["name"],
        "unit": unit_name(a, cat),
        "date": dt.date.fromisoformat(a.date),
    }
    if before is None:
        conn.execute(audit_import.insert().values(audit_id=key, path=path, imported_at=at, **record))
    else:
        conn.execute(sa.update(audit_import).where(audit_import.c.audit_id == key).values(path=path, imported_at=at, **record))


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


class _Ids:
    """YH-YEAR-NNNN handed out in order: each year's counter is read once and written back once;
    the caller holds the chain-head lock, so no two writers hand out the same id."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.last: dict[int, int] = {}
        self.stored: dict[int, int | None] = {}

    def next(self, year: int) -> str:
        if year not in self.last:
            self.stored[year] = self.conn.execute(sa.select(counter.c.last).where(counter.c.year == year)).scalar()
            self.last[year] = self.stored[year] or 0
        self.last[year] += 1
        return f"YH-{year}-{self.last[year]:04d}"

    def save(self) -> None:
        for year, last in self.last.items():
            if self.stored[year] is None:
                self.conn.execute(counter.insert().values(year=year, last=last))
            elif last != self.stored[year]:
                self.conn.execute(sa.update(counter).where(counter.c.year == year).values(last=last))


def _acted_on(conn: Connection, hazard_id: str) -> bool:
    """Has anyone acted on the hazard's fields (beyond registering, amending and 督办, which leave them alone)?"""
    left_alone = ("register", "amend", "supervise", "baseline", "issue", "notify", "interview", "handover")
    query = sa.select(sa.func.count()).where(event.c.hazard_id == hazard_id, event.c.action.not_in(left_alone))
    return bool(conn.execute(query).scalar())


def _recheck(conn: Connection, a: Audit, e: Entry, key: str, report: ImportReport) -> None:
    """A re-check entry moves its hazard (once per audit: importing it again does nothing)."""
    if e.result not in (PASS, FAIL):
        return
    done = conn.execute(
        sa.select(event.c.data).where(event.c.hazard_id == e.recheck_of, event.c.action.in_(("recheck-pass", "recheck-fail")))
    )
    if any(from_audit(json.loads(d), key, audit_path(a)) for (d,) in done):
        return
    f = e.finding
    req = Request(
        action="recheck-pass" if e.result == PASS else "recheck-fail",
        by="、".join(a.inspectors),
        role="inspector",
        on=dt.date.fromisoformat(a.date),
        reason=e.note or (f"再抽查不符合: {f.measure}" if f else ""),
        due=dt.date.fromisoformat(f.due) if f else None,
        measure=f.measure if f else "",
        source=key,
        source_path=audit_path(a),
    )
    try:
        with conn.begin_nested():
            row = apply(conn, e.recheck_of, req)
        report.moved.append(f"{row['id']}: {row['status']}")
    except ChecklistError as err:
        report.refused.append((f"{a.path}: {e.id}", err))


def from_audit(data: dict, key: str | None, path: str) -> bool:
    """Did this event come from the audit known as ``key`` (before r0004, or with no key: the
    audit at ``path``)?"""
    return data["audit_id"] == key if key and "audit_id" in data else data.get("audit") == path
