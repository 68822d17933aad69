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

from checklist.errors import Refusal
from checklist.i18n import _
from checklist.register.tables import chain_head, event

GENESIS = "0" * 64  # prev_hash of the first event, and the head of an empty log
SHORTEST_ANCHOR = 16  # hex digits of a head that make it an anchor (64 bits: no rewrite finds another)
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
    hazard_id: str | None  # None: an event that concerns no one hazard (a unit's 通报, a business, an issuer)
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


def head(conn: Connection) -> tuple[int, str]:
    """(events, hash of the last) as the chain head records them: what the paper prints."""
    row = conn.execute(sa.select(chain_head.c.seq, chain_head.c.hash).where(chain_head.c.id == 1)).one()
    return row.seq, row.hash


def anchor_value(value: str) -> str:
    """A head printed on paper, whole or its first SHORTEST_ANCHOR hex digits or more."""
    text = (value or "").strip().lower()
    if not (SHORTEST_ANCHOR <= len(text) <= 64) or any(ch not in "0123456789abcdef" for ch in text):
        raise Refusal("log.anchor", "anchor", value=value, shortest=SHORTEST_ANCHOR)
    return text


@dataclass
class LogCheck:
    events: int
    head: str
    problem: str | None = None  # the first break, naming the event
    anchored_at: int | None = None  # the event whose hash the anchor is (0: the empty log's head)

    @property
    def intact(self) -> bool:
        return self.problem is None


def check_log(conn: Connection, anchor: str | None = None) -> LogCheck:
    """Walk the chain from the first event: every hash recomputes, every prev_hash is the hash
    before it, the sequence has no gap, and the head names the last event. With ``anchor`` (a
    head printed earlier, see ``anchor_value``), note where in the chain that hash is."""
    prev, expected_seq, count = GENESIS, 1, 0
    anchored = 0 if anchor is not None and GENESIS.startswith(anchor) else None
    result = conn.execute(sa.select(event).order_by(event.c.seq).execution_options(yield_per=5000))
    try:
        for r in result.mappings():
            row = dict(r)
            problem = None
            if row["seq"] != expected_seq:
                problem = _("event {seq} is missing (the next stored is {next})").format(seq=expected_seq, next=row["seq"])
            elif row["prev_hash"] != prev:
                problem = _("event {seq} ({hazard}) does not follow event {before}: prev_hash differs").format(
                    seq=row["seq"], hazard=row["hazard_id"], before=row["seq"] - 1
                )
            elif event_hash(row) != row["hash"]:
                problem = _("event {seq} ({hazard}, {action}) was changed after it was written").format(
                    seq=row["seq"], hazard=row["hazard_id"], action=row["action"]
                )
            if problem:
                return LogCheck(count, prev, problem)
            prev, expected_seq, count = row["hash"], expected_seq + 1, count + 1
            if anchor is not None and anchored is None and prev.startswith(anchor):
                anchored = count
    finally:
        result.close()
    seq, last = head(conn)
    if (seq, last) != (count, prev):
        return LogCheck(
            count,
            prev,
            _("the log ends at event {count} but its head records event {seq}: events were removed").format(count=count, seq=seq),
        )
    return LogCheck(count, prev, anchored_at=anchored)


def history(conn: Connection, hazard_id: str) -> list[dict]:
    rows = conn.execute(sa.select(event).where(event.c.hazard_id == hazard_id).order_by(event.c.seq)).mappings()
    return [dict(r, data=json.loads(r["data"]), evidence=json.loads(r["evidence"])) for r in rows]
