"""The log proves the rows: every stored field of a hazard, and its 督办, follows from its events.

A ``register`` event carries the whole finding as registered (``data.finding``); every later
event carries the columns it changed (``data.set``; a 督办 its unit, number and deadline), so
``check_rows`` replays each hazard from its events and names the hazard and the field where the
row says something else — a row edited, a 督办 deleted, an event removed with the head patched.

Registers written before schema r0004 have events that do not carry all of that (a 复查's day, a
registration's finding). Upgrading them, or restoring an export made by them, first checks what
those events can prove (the chain, and each row's status and version), then appends one
``baseline`` event per hazard holding its row and 督办 as they stand (``seal``): the log proves
each row from its baseline on, and the events before it stay in the chain as they were.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist.errors import LogTampered
from checklist.i18n import N_, _
from checklist.register.log import NewEvent, append, check_log
from checklist.register.tables import LATER_DATES, LATER_TEXTS, business, event, hazard, issuer, oversight, paper, supervision

COLUMNS = tuple(hazard.c.keys())
SUPERVISION = ("supervisor_unit", "number", "deadline")
REVIEWED = {"closed_on": None, "rectified_measure": "", "reviewer": "", "reviewed_on": None, "review_opinion": ""}
LATER = dict.fromkeys(LATER_TEXTS, "") | dict.fromkeys(LATER_DATES)  # r0006's columns, as events before it leave them
RECORDS = ("notify", "interview", "handover")  # 通报, 约谈, 线索移交: records, not moves (the hazard stays as it is)
NOT_MOVES = (*RECORDS, "issue", "issuer", "business")
SHOWN = 20  # disagreements named at most; the rest are counted


def plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def plain_row(row) -> dict:
    return {k: plain(v) for k, v in dict(row).items()}


def registered(e: dict, data: dict) -> dict:
    """The row a ``register`` event makes."""
    row = dict.fromkeys(COLUMNS, "") | {"risk_point": None} | REVIEWED | LATER | data["finding"]
    return row | {
        "id": e["hazard_id"],
        "audit_path": data["audit"],
        "audit_id": data["audit_id"],
        "audit_sha256": data["audit_sha256"],
        "check_id": data["check"],
        "finding_sha256": data["finding_sha256"],
        "status": e["to_status"],
        "version": 1,
        "created_at": e["at"],
        "updated_at": e["at"],
    }


@dataclass
class Replay:
    """One hazard's row and 督办 as its events leave them (None until an event says the whole row)."""

    row: dict | None = None
    supervision: dict | None = None
    problem: str | None = None

    def apply(self, e: dict) -> None:
        if e["action"] in NOT_MOVES:
            return
        data = json.loads(e["data"])
        if e["action"] == "baseline":
            self.row, self.supervision = LATER | data["row"], data.get("supervision")
            return
        if e["action"] == "register" and "finding" in data:
            self.row = registered(e, data)
            return
        if self.row is None:
            return  # written before r0004; its baseline comes later
        if e["from_status"] != self.row["status"]:
            self.problem = _("event {seq} moves it from {status}, but its events before leave it {before}").format(
                seq=e["seq"], status=e["from_status"], before=self.row["status"]
            )
        self.row |= data.get("set", {})
        self.row |= {"status": e["to_status"], "version": self.row["version"] + 1, "updated_at": e["at"]}
        if e["action"] == "supervise":
            self.supervision = {k: data.get(k) for k in SUPERVISION}


@dataclass
class RowCheck:
    hazards: int = 0
    supervisions: int = 0
    records: int = 0  # 通报, 约谈, 线索移交
    papers: int = 0
    businesses: int = 0
    issuers: int = 0
    problems: list[str] = field(default_factory=list)
    more: int = 0

    def add(self, problem: str) -> None:
        if len(self.problems) < SHOWN:
            self.problems.append(problem)
        else:
            self.more += 1

    @property
    def agree(self) -> bool:
        return not self.problems

    def words(self) -> str:
        return "; ".join(self.problems) + (_("; and {n} more").format(n=self.more) if self.more else "")


def _events_by_hazard(conn: Connection, ids: set[str]) -> Iterator[tuple[str, list[dict]]]:
    result = conn.execute(sa.select(event).order_by(event.c.hazard_id, event.c.seq).execution_options(yield_per=5000))
    try:
        for hid, group in itertools.groupby(result.mappings(), key=lambda e: e["hazard_id"]):
            if hid in ids:
                yield hid, [dict(e) for e in group]
    finally:
        result.close()


def check_rows(conn: Connection) -> RowCheck:
    """Replay every hazard and 督办 from its events and compare them with the stored rows. Rows and
    events are read in the database's order of hazard ids, one hazard at a time."""
    out = RowCheck()
    stored = set(conn.execute(sa.select(hazard.c.id)).scalars())
    logged = set(conn.execute(sa.select(event.c.hazard_id).where(event.c.hazard_id.is_not(None)).distinct()).scalars())
    for hid in sorted(stored - logged):
        out.add(_("{hazard}: no event registers it: the row was added without the log").format(hazard=hid))
    for hid in sorted(logged - stored):
        out.add(_("{hazard}: its events register it, but the register has no row for it: the row was deleted").format(hazard=hid))
    supervised = {r["hazard_id"]: plain_row(r) for r in conn.execute(sa.select(supervision)).mappings()}
    both = stored & logged
    rows = conn.execute(sa.select(hazard).order_by(hazard.c.id).execution_options(yield_per=5000))
    try:
        stored_rows = (r for r in rows.mappings() if r["id"] in both)
        for row, (hid, events) in zip(stored_rows, _events_by_hazard(conn, both), strict=True):
            assert row["id"] == hid, "hazard rows and events read in different orders"
            out.hazards += 1
            _compare(hid, plain_row(row), supervised.pop(hid, None), events, out)
    finally:
        rows.close()
    for hid in sorted(supervised):
        out.add(
            _("{hazard}: the register holds a 督办 ({number}) that no event records").format(hazard=hid, number=supervised[hid]["number"])
        )
    _check_others(conn, out)
    return out


def _check_others(conn: Connection, out: RowCheck) -> None:
    """The records, papers and businesses, each replayed from the events that made it: a record's
    id is its event's seq; a paper is every ``issue`` event of its 文号; a business its last event."""
    expected: dict[str, dict] = {"oversight": {}, "paper": {}, "business": {}, "issuer": {}}
    query = sa.select(event).where(event.c.action.in_(NOT_MOVES)).order_by(event.c.seq).execution_options(yield_per=5000)
    result = conn.execute(query)
    try:
        for e in result.mappings():
            data = json.loads(e["data"])
            if e["action"] in RECORDS:
                expected["oversight"][e["seq"]] = data["record"] | {"id": e["seq"], "recorded_by": e["by"], "recorded_at": e["at"]}
            elif e["action"] == "issue":
                expected["paper"][data["paper"]["number"]] = data["paper"] | {"issued_at": e["at"]}
            elif e["action"] == "issuer":
                expected["issuer"][data["issuer"]["kind"]] = data["issuer"]
            else:
                expected["business"][data["business"]["credit_code"]] = data["business"] | {"updated_at": e["at"]}
    finally:
        result.close()
    checked = (
        (oversight, "id", N_("record"), "records"),
        (paper, "number", N_("paper"), "papers"),
        (business, "credit_code", N_("business"), "businesses"),
        (issuer, "kind", N_("issuer"), "issuers"),
    )
    for table, key, what, count in checked:
        replayed = expected[table.name]
        for row in conn.execute(sa.select(table).order_by(table.c[key])).mappings():
            stored = plain_row(row)
            was = replayed.pop(stored[key], None)
            if was is None:
                out.add(_("{what} {key}: the register holds it, but no event records it").format(what=_(what), key=stored[key]))
                continue
            setattr(out, count, getattr(out, count) + 1)
            for col, value in stored.items():
                if value != was.get(col):
                    out.add(
                        _("{what} {key}: {column} is {value!r} in the register, but its events make it {was!r}").format(
                            what=_(what), key=stored[key], column=col, value=value, was=was.get(col)
                        )
                    )
        for k in replayed:
            out.add(
                _("{what} {key}: its events record it, but the register has no row for it: the row was deleted").format(what=_(what), key=k)
            )


def _compare(hid: str, row: dict, sup: dict | None, events: list[dict], out: RowCheck) -> None:
    replay = Replay()
    for e in events:
        replay.apply(e)
    if replay.row is None:
        out.add(
            _("{hazard}: its events do not record the finding it was registered with (written before r0004, never upgraded)").format(
                hazard=hid
            )
        )
        return
    if replay.problem:
        out.add(f"{hid}: {replay.problem}")
    for col in COLUMNS:
        if row[col] != replay.row.get(col):
            out.add(
                _("{hazard}: {field} is {value!r} in the register, but its events make it {expected!r}").format(
                    hazard=hid, field=col, value=row[col], expected=replay.row.get(col)
                )
            )
    if sup is not None:
        out.supervisions += 1
    if replay.supervision is None and sup is not None:
        out.add(_("{hazard}: the register holds a 督办 ({number}) that no event records").format(hazard=hid, number=sup["number"]))
    elif replay.supervision is not None and sup is None:
        out.add(
            _("{hazard}: its 督办 ({number}) is missing from the register, but its events record it").format(
                hazard=hid, number=replay.supervision["number"]
            )
        )
    elif replay.supervision is not None and sup is not None:
        for key in SUPERVISION:
            if sup[key] != replay.supervision[key]:
                out.add(
                    _("{hazard}: 督办 {field} is {value!r} in the register, but its events make it {expected!r}").format(
                        hazard=hid, field=key, value=sup[key], expected=replay.supervision[key]
                    )
                )


# --- registers written before r0004 ----------------------------------------------------------


def legacy_disagreement(conn: Connection) -> str | None:
    """What events written before r0004 can prove of a row: its status is where its last event
    left it, and its version counts its events. None when every row agrees."""
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
            return _(
                "{hazard} is {status} at version {version}, but its {count} event(s) leave it {last}: the row was changed without a logged move"
            ).format(hazard=hid, status=status, version=version, count=count, last=last or _("unregistered"))
    return None


def seal(conn: Connection, *, by: str, note: str) -> int:
    """Record, for each hazard whose events do not prove its row (written before r0004), its row
    and 督办 as they stand in a ``baseline`` event — after checking what the old events can prove.
    Inside the caller's write transaction; the number of hazards recorded. LogTampered (and
    nothing recorded) when the chain or a row's status or version does not agree."""
    chain = check_log(conn)
    if not chain.intact:
        raise LogTampered(_("the event log does not verify ({problem})").format(problem=chain.problem))
    disagreement = legacy_disagreement(conn)
    if disagreement:
        raise LogTampered(disagreement)
    ids = set(conn.execute(sa.select(hazard.c.id)).scalars())
    unproven = []
    for hid, events in _events_by_hazard(conn, ids):
        replay = Replay()
        for e in events:
            replay.apply(e)
        if replay.row is None:
            unproven.append(hid)
    supervised = {r["hazard_id"]: plain_row(r) for r in conn.execute(sa.select(supervision)).mappings()}
    new = []
    for hid in unproven:
        row = plain_row(conn.execute(sa.select(hazard).where(hazard.c.id == hid)).mappings().one())
        sup = supervised.get(hid)
        data = {"row": row, "supervision": {k: sup[k] for k in SUPERVISION} if sup else None}
        new.append(NewEvent(hid, by, "admin", "baseline", row["status"], row["status"], note, data))
    append(conn, new)
    return len(new)
