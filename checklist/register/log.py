"""The append-only, hash-chained event log: every move of every hazard, never updated or deleted.

Each event's hash is the SHA-256 of the canonical JSON of its fields, ``prev_hash`` (the hash of
the event before it) included, so changing, removing or inserting one stored event breaks the
chain from there on; ``check_log`` walks it and names the first event that does not verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist.register.db import GENESIS
from checklist.register.tables import chain_head, event

HASHED = ("seq", "hazard_id", "at", "by", "role", "action", "from_status", "to_status", "note", "data", "evidence", "prev_hash")


def canonical(value) -> str:
    """JSON with sorted keys and no spaces: the same bytes on every machine and backend."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_hash(row: dict) -> str:
    return hashlib.sha256(canonical({k: row[k] for k in HASHED}).encode("utf-8")).hexdigest()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass
class NewEvent:
    hazard_id: str
    by: str
    role: str
    action: str
    from_status: str | None
    to_status: str
    note: str = ""
    data: dict | None = None
    evidence: Sequence[dict] = ()


def append(conn: Connection, new: Sequence[NewEvent], at: str | None = None) -> list[dict]:
    """Append events in order, chained after the head; the caller holds the chain-head lock
    (``db.writing``). Returns the stored rows."""
    if not new:
        return []
    head = conn.execute(sa.select(chain_head.c.seq, chain_head.c.hash).where(chain_head.c.id == 1)).one()
    seq, prev = head.seq, head.hash
    at = at or now()
    rows = []
    for e in new:
        seq += 1
        row = {
            "seq": seq,
            "hazard_id": e.hazard_id,
            "at": at,
            "by": e.by,
            "role": e.role,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "note": e.note,
            "data": canonical(e.data or {}),
            "evidence": canonical(list(e.evidence)),
            "prev_hash": prev,
        }
        row["hash"] = prev = event_hash(row)
        rows.append(row)
    conn.execute(event.insert(), rows)
    conn.execute(sa.update(chain_head).where(chain_head.c.id == 1).values(seq=seq, hash=prev))
    return rows


@dataclass
class LogCheck:
    events: int
    head: str
    problem: str | None = None  # the first break, naming the event

    @property
    def intact(self) -> bool:
        return self.problem is None


def check_log(conn: Connection) -> LogCheck:
    """Walk the chain from the first event: every hash recomputes, every prev_hash is the hash
    before it, the sequence has no gap, and the head names the last event."""
    prev, expected_seq, count = GENESIS, 1, 0
    result = conn.execute(sa.select(event).order_by(event.c.seq).execution_options(yield_per=5000))
    try:
        for r in result.mappings():
            row = dict(r)
            problem = None
            if row["seq"] != expected_seq:
                problem = f"event {expected_seq} is missing (the next stored is {row['seq']})"
            elif row["prev_hash"] != prev:
                problem = f"event {row['seq']} ({row['hazard_id']}) does not follow event {row['seq'] - 1}: prev_hash differs"
            elif event_hash(row) != row["hash"]:
                problem = f"event {row['seq']} ({row['hazard_id']}, {row['action']}) was changed after it was written"
            if problem:
                return LogCheck(count, prev, problem)
            prev, expected_seq, count = row["hash"], expected_seq + 1, count + 1
    finally:
        result.close()
    head = conn.execute(sa.select(chain_head.c.seq, chain_head.c.hash).where(chain_head.c.id == 1)).one()
    if (head.seq, head.hash) != (count, prev):
        return LogCheck(count, prev, f"the log ends at event {count} but its head records event {head.seq}: events were removed")
    return LogCheck(count, prev)


def check_state(conn: Connection) -> str | None:
    """Do the hazard rows agree with the log? Each row's status must be where its last event left
    it, and its version the number of its events (every change writes one): a row edited behind
    the register's back is named. None when all agree."""
    from checklist.register.tables import hazard

    logged: dict[str, tuple[int, str]] = {}
    result = conn.execute(sa.select(event.c.hazard_id, event.c.to_status).order_by(event.c.seq).execution_options(yield_per=5000))
    try:
        for hazard_id, to_status in result:
            logged[hazard_id] = (logged.get(hazard_id, (0, ""))[0] + 1, to_status)
    finally:
        result.close()
    for hid, status, version in conn.execute(sa.select(hazard.c.id, hazard.c.status, hazard.c.version).order_by(hazard.c.id)):
        count, last = logged.get(hid, (0, None))
        if status != last or version != count:
            return f"{hid} is {status} at version {version}, but its {count} event(s) leave it {last or 'unregistered'}: the row was changed without a logged move"
    return None


def history(conn: Connection, hazard_id: str) -> list[dict]:
    rows = conn.execute(sa.select(event).where(event.c.hazard_id == hazard_id).order_by(event.c.seq)).mappings()
    return [dict(r, data=json.loads(r["data"]), evidence=json.loads(r["evidence"])) for r in rows]
