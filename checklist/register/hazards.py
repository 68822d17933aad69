"""Moving a hazard through its lifecycle: the table decides, the row's version guards.

Every move is one write transaction: read the row, ask ``lifecycle.check``, then
``UPDATE … WHERE id = :id AND version = :v`` and append the event. When the row changed since
the caller read it (0 rows updated, or a version other than the one expected), the caller gets a
ConcurrentChangeError naming who changed it — never a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from checklist.errors import ConcurrentChangeError, InputFileError, IOFailure, Refusal, os_reason
from checklist.files import values
from checklist.i18n import _
from checklist.register import lifecycle
from checklist.register.db import reading, writing
from checklist.register.log import NewEvent, append, now
from checklist.register.tables import event, hazard, supervision
from checklist.vocabulary import PLAN_PARTS


def checked_id(hazard_id: object) -> str:
    """A hazard id as asked for (YH-2026-0001, any case), refused at entry if no database could hold it."""
    return values.text("hazard", hazard_id, required=True, longest=100).upper()


def get(conn: Connection, hazard_id: str) -> dict:
    row = conn.execute(sa.select(hazard).where(hazard.c.id == checked_id(hazard_id))).mappings().first()
    if row is None:
        raise Refusal("hazard.unknown", "hazard", hazard=hazard_id)
    return dict(row)


def plan_missing(row: dict) -> list[str]:
    """The parts of the 治理方案 still empty (for 重大事故隐患)."""
    return [title for key, title in PLAN_PARTS.items() if not row.get(f"plan_{key}")]


@dataclass
class Evidence:
    name: str
    sha256: str
    stored: Path
    new: bool = False  # stored by this call (the same bytes may be kept already, for another move)

    def as_dict(self) -> dict:
        return {"name": self.name, "sha256": self.sha256}


def store_evidence(paths: list[Path], files_dir: Path) -> list[Evidence]:
    """Copy each file into ``files_dir`` under its SHA-256 (a copy of the same bytes is stored
    once), through the one atomic write gate; only regular files are taken, never devices, FIFOs or
    folders. A file that cannot be read or stored is an InputFileError naming it (nothing stored
    by this call is kept then)."""
    from checklist.files import atomic

    out: list[Evidence] = []
    try:
        for p in paths:
            try:
                st = p.stat()
            except OSError as e:
                raise InputFileError(_("evidence file cannot be read: {reason}").format(reason=os_reason(e)), path=str(p)) from e
            if not stat.S_ISREG(st.st_mode):
                raise InputFileError(_("evidence must be a regular file (not a folder, device or pipe)"), path=str(p))
            try:
                data = p.read_bytes()
            except OSError as e:
                raise InputFileError(_("evidence file cannot be read: {reason}").format(reason=os_reason(e)), path=str(p)) from e
            sha = hashlib.sha256(data).hexdigest()
            target = files_dir / sha[:2] / (sha + p.suffix.lower())
            new = not target.exists()
            if new:
                try:
                    atomic.write_bytes(target, data)
                except IOFailure as e:
                    raise InputFileError(
                        _("evidence file could not be stored in {folder}: {reason}").format(folder=files_dir, reason=e.reason), path=str(p)
                    ) from e
            out.append(Evidence(p.name, sha, target, new))
    except BaseException:
        discard(out)
        raise
    return out


def discard(evidence: list[Evidence]) -> None:
    """Remove the files a refused move stored (those already kept for other moves stay)."""
    for e in evidence:
        if e.new:
            e.stored.unlink(missing_ok=True)


def move_with_evidence(
    engine: Engine, hazard_id: str, req: Request, paths: list[Path], files_dir: Path, expected_version: int | None = None
) -> tuple[dict, list[Evidence]]:
    """One move carrying evidence files: asked of the lifecycle table and the row's version first,
    then the files stored, then the move made — and the files it stored removed if it is refused
    after all (someone moved the hazard meanwhile), so a refused move leaves no file behind."""
    with reading(engine) as conn:
        row = get(conn, hazard_id)
        if expected_version is not None and row["version"] != expected_version:
            raise conflict(conn, row, expected_version)
    lifecycle.check_fields(req.fields() | {"by": req.by})
    lifecycle.check(row["id"], row["status"], row["level"], req.action, req.role, req.fields(), plan_missing(row))
    req.evidence = store_evidence(paths, files_dir) if paths else []
    try:
        return move(engine, hazard_id, req, row["version"] if expected_version is None else expected_version), req.evidence
    except BaseException:
        discard(req.evidence)
        raise


@dataclass
class Request:
    """One move asked for: the action and the fields it carries."""

    action: str
    by: str
    role: str = "admin"
    on: dt.date = field(default_factory=dt.date.today)  # the day it happened (复查日期, 销号日期)
    measure: str = ""
    reason: str = ""
    due: dt.date | None = None
    approver: str = ""
    supervisor_unit: str = ""
    deadline: dt.date | None = None
    number: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    source: str = ""  # the id of the audit a re-check came from …
    source_path: str = ""  # … and where its file was

    def fields(self) -> dict:
        return {
            "measure": self.measure,
            "reason": self.reason,
            "due": self.due,
            "approver": self.approver,
            "supervisor_unit": self.supervisor_unit,
            "deadline": self.deadline,
            "number": self.number,
        }


def _changes(row: dict, req: Request) -> dict:
    """The columns a move sets besides status and version."""
    a = req.action
    if a == "rectify":
        return {"rectified_measure": req.measure}
    if a in ("pass", "recheck-pass"):
        return {"reviewer": req.by, "reviewed_on": req.on, "review_opinion": req.reason or "复查合格，同意销号", "closed_on": req.on}
    if a in ("fail", "recheck-fail"):
        out = {"reviewer": req.by, "reviewed_on": req.on, "review_opinion": req.reason}
        if req.due:
            out["due"] = req.due
        if req.measure:
            out["measure"] = req.measure
        return out
    if a == "extend":
        assert req.due is not None
        if req.due <= row["due"]:
            raise Refusal("move.due_not_later", "due", hazard=row["id"], due=req.due.isoformat(), current=str(row["due"]))
        return {"due": req.due}
    return {}


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _event_data(req: Request, changes: dict) -> dict:
    """The move's fields for the log (the reason is the event's note), and the columns it set, so
    the log proves the row (register.proof)."""
    data = {k: _plain(v) for k, v in req.fields().items() if v and k != "reason"}
    data["set"] = {k: _plain(v) for k, v in changes.items()}
    return data | ({"audit_id": req.source, "audit": req.source_path} if req.source else {})


def apply(conn: Connection, hazard_id: str, req: Request, expected_version: int | None = None) -> dict:
    """Make one move inside the caller's write transaction; return the row as it is now."""
    row = get(conn, hazard_id)
    if expected_version is not None and row["version"] != expected_version:
        raise conflict(conn, row, expected_version)
    lifecycle.check_fields(req.fields() | {"by": req.by})  # the author too: printed on the papers, kept in the log
    move = lifecycle.check(row["id"], row["status"], row["level"], req.action, req.role, req.fields(), plan_missing(row))
    at, changes = now(), _changes(row, req)
    new = dict(changes, status=move.to, version=row["version"] + 1, updated_at=at)
    done = conn.execute(sa.update(hazard).where(hazard.c.id == row["id"], hazard.c.version == row["version"]).values(**new))
    if done.rowcount != 1:
        raise conflict(conn, row, row["version"])
    if req.action == "supervise":
        conn.execute(sa.delete(supervision).where(supervision.c.hazard_id == row["id"]))
        conn.execute(
            supervision.insert().values(hazard_id=row["id"], supervisor_unit=req.supervisor_unit, number=req.number, deadline=req.deadline)
        )
    note = req.reason or req.measure
    evidence = [e.as_dict() for e in req.evidence]
    append(conn, [NewEvent(row["id"], req.by, req.role, req.action, row["status"], move.to, note, _event_data(req, changes), evidence)], at)
    return dict(row, **new)


def move(engine: Engine, hazard_id: str, req: Request, expected_version: int | None = None) -> dict:
    """One move in its own transaction. Without ``expected_version`` the version is the one read
    just before writing, as a person at a screen would have seen it."""
    if expected_version is None:
        with reading(engine) as conn:
            expected_version = get(conn, hazard_id)["version"]
    with writing(engine) as conn:
        return apply(conn, hazard_id, req, expected_version)


def conflict(conn: Connection, row: dict, had: int) -> ConcurrentChangeError:
    """The refusal for a writer who had version ``had`` of ``row``: who changed it since, and how."""
    current = get(conn, row["id"])
    last = conn.execute(
        sa.select(event.c.by, event.c.action, event.c.at).where(event.c.hazard_id == row["id"]).order_by(event.c.seq.desc()).limit(1)
    ).first()
    return ConcurrentChangeError(
        "move.changed",
        "version",
        hazard=row["id"],
        by=last.by if last else "?",
        action=last.action if last else "?",
        at=str(last.at) if last else "?",
        status=current["status"],
        version=current["version"],
        had=had,
    )
