"""The papers a bureau sends, each under its 文号: who issues each kind (the issuing body and its
文号 prefix, set once), and the issuing itself — a number assigned when a paper is first issued
(``prefix〔year〕seq号``, counted per prefix and year) and never given to another; the same paper
asked for again (its kind and subject: the audit and unit, the 复查, the 督办) comes back under
the number it got. Issuing is logged: one ``issue`` event per hazard on the paper, and a change of
issuer one ``issuer`` event, so the log proves the paper and issuer rows (register.proof).

What goes on each paper is gathered here too (``facts``): the due date as issued and every 延期
since, the 督办, the records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist.errors import MoveRefused, Refusal
from checklist.files import values
from checklist.register.hazards import get
from checklist.register.log import NewEvent, append, history, now
from checklist.register.tables import event, issuer, paper, supervision
from checklist.vocabulary import PAPERS

ISSUERS = ("admin", "inspector")  # who issues papers (a unit receives them)
EXTENSIONS = ("extend", "approve-extension")


def _kind(kind: str) -> str:
    if kind not in PAPERS:
        raise Refusal("paper.kind", "paper", value=kind, allowed=list(PAPERS))
    return kind


def set_issuer(conn: Connection, kind: str, *, body: str, prefix: str, by: str, role: str) -> dict:
    """Who issues ``kind`` and the 文号 prefix it numbers under (admin only); logged."""
    _kind(kind)
    if role != "admin":
        raise MoveRefused("paper.role", "action", paper=PAPERS[kind], roles=["admin"], role=role)
    row = {
        "kind": kind,
        "body": values.text("body", body, required=True, longest=100),
        "prefix": values.text("prefix", prefix, required=True, longest=40),
    }
    conn.execute(sa.delete(issuer).where(issuer.c.kind == kind))
    conn.execute(issuer.insert().values(**row))
    note = f"{PAPERS[kind]}: {row['body']} {row['prefix']}"
    append(conn, [NewEvent(None, values.text("by", by, required=True, longest=100), role, "issuer", None, "", note, {"issuer": row})])
    return row


def issuers(conn: Connection) -> dict[str, dict]:
    return {r["kind"]: dict(r) for r in conn.execute(sa.select(issuer)).mappings()}


def last_numbers(conn: Connection) -> dict[str, str]:
    """The last 文号 issued of each kind of paper."""
    return {k: n for k, n in conn.execute(sa.select(paper.c.kind, paper.c.number).order_by(paper.c.year, paper.c.seq, paper.c.issued_at))}


def issued(conn: Connection, kind: str, subject: str) -> dict | None:
    row = conn.execute(sa.select(paper).where(paper.c.kind == kind, paper.c.subject == subject)).mappings().first()
    return dict(row) if row else None


def issue(conn: Connection, kind: str, subject: str, hazard_ids: list[str], *, by: str, role: str, on: dt.date) -> dict:
    """The paper ``kind`` about ``subject``: the one issued before, or a new one under the next
    文号 of its issuer's prefix in the year of ``on`` — inside the caller's write transaction."""
    before = issued(conn, _kind(kind), subject)
    if before is not None:
        return before
    if role not in ISSUERS:
        raise MoveRefused("paper.role", "action", paper=PAPERS[kind], roles=list(ISSUERS), role=role)
    who = conn.execute(sa.select(issuer).where(issuer.c.kind == kind)).mappings().first()
    if who is None:
        raise Refusal("paper.no_issuer", "paper", paper=PAPERS[kind])
    last = conn.execute(sa.select(sa.func.max(paper.c.seq)).where(paper.c.prefix == who["prefix"], paper.c.year == on.year)).scalar()
    seq = (last or 0) + 1
    row = {
        "number": f"{who['prefix']}〔{on.year}〕{seq}号",
        "kind": kind,
        "subject": subject,
        "prefix": who["prefix"],
        "year": on.year,
        "seq": seq,
        "body": who["body"],
        "hazards": "、".join(hazard_ids),
        "issued_on": on.isoformat(),
        "issued_by": values.text("by", by, required=True, longest=100),
    }
    at = now()
    statuses = {h: get(conn, h)["status"] for h in hazard_ids}
    note = f"{PAPERS[kind]} {row['number']}"
    append(conn, [NewEvent(h, row["issued_by"], role, "issue", s, s, note, {"paper": row}) for h, s in statuses.items()], at)
    stored = dict(row, issued_on=on, issued_at=at)
    conn.execute(paper.insert().values(**stored))
    return stored


def of_hazard(conn: Connection, hazard_id: str) -> list[dict]:
    """The papers issued with this hazard on them, in the order they were issued."""
    query = sa.select(paper).where(sa.or_(paper.c.hazards == hazard_id, paper.c.hazards.contains(hazard_id))).order_by(paper.c.issued_at)
    return [dict(r) for r in conn.execute(query).mappings() if hazard_id in r["hazards"].split("、")]


# --- what a paper is about ---------------------------------------------------------------------


def notice_subject(audit_id: str, unit: str) -> str:
    return f"notice:{audit_id}:{unit}"


def opinion_subject(reviewed: list[dict]) -> str:
    return "opinion:" + ",".join(str(h["review"]["seq"]) for h in sorted(reviewed, key=lambda h: h["review"]["seq"]))


def latest(conn: Connection, hazard_id: str, action: str, what: str, kind: str) -> dict:
    """The hazard's latest ``action`` event (the 督办, the 督办销号 a paper is about)."""
    row = (
        conn.execute(sa.select(event).where(event.c.hazard_id == hazard_id, event.c.action == action).order_by(event.c.seq.desc()).limit(1))
        .mappings()
        .first()
    )
    if row is None:
        raise Refusal("paper.nothing", "hazard", hazard=hazard_id, what=what, paper=PAPERS[kind])
    return dict(row)


DUE_EVENTS = ("register", "baseline", "amend", "fail", "recheck-fail", *EXTENSIONS)  # the events that set a due date


def dues(events: list[dict]) -> tuple[dt.date | None, list[dict]]:
    """From a hazard's events (data parsed, in order): the due date as issued (the finding's, as
    registered or amended) and each 延期 since: before → after, who granted it, when, why."""
    due, issued_due, extensions = None, None, []
    for e in events:
        data = e["data"]
        changed = data.get("set", {})
        if e["action"] == "register" and "finding" in data:
            due = issued_due = dt.date.fromisoformat(data["finding"]["due"])
        elif e["action"] == "baseline":
            due = issued_due = dt.date.fromisoformat(data["row"]["due"])
        elif "due" in changed and e["action"] in EXTENSIONS:
            new = dt.date.fromisoformat(changed["due"])
            on = data.get("on") or e["at"][:10]
            extensions.append({"before": due, "after": new, "by": data.get("approver") or e["by"], "on": on, "reason": e["note"]})
            due = new
        elif "due" in changed and e["action"] == "amend":  # the finding itself changed: the due date as issued
            due = issued_due = dt.date.fromisoformat(changed["due"])
        elif "due" in changed:  # a new period after a 复查不通过 (the 复查意见书 gives it)
            due = dt.date.fromisoformat(changed["due"])
    return issued_due, extensions


def facts(conn: Connection, row: dict) -> dict:
    """The hazard ``row`` with what its papers print: the due date as issued and each 延期 since
    (``dues``), its 督办, and the papers already issued with it on them."""
    sup = conn.execute(sa.select(supervision).where(supervision.c.hazard_id == row["id"])).mappings().first()
    issued_due, extensions = dues(history(conn, row["id"]))
    return dict(
        row,
        supervision=dict(sup) if sup else None,
        due_issued=issued_due or row["due"],
        extensions=extensions,
        papers=of_hazard(conn, row["id"]),
    )


def ledger_facts(conn: Connection, rows: list[dict]) -> list[dict]:
    """``facts`` for many hazards at once (the 台账): every 督办 in one query, the events that set
    due dates in another, read in order."""
    import itertools
    import json

    sups = {r["hazard_id"]: dict(r) for r in conn.execute(sa.select(supervision)).mappings()}
    wanted = {r["id"] for r in rows}
    query = sa.select(event).where(event.c.action.in_(DUE_EVENTS)).order_by(event.c.hazard_id, event.c.seq)
    found: dict[str, tuple[dt.date | None, list[dict]]] = {}
    result = conn.execute(query.execution_options(yield_per=5000))
    try:
        for hid, group in itertools.groupby(result.mappings(), key=lambda e: e["hazard_id"]):
            if hid in wanted:
                found[hid] = dues([dict(e, data=json.loads(e["data"])) for e in group])
    finally:
        result.close()
    out = []
    for r in rows:
        issued_due, extensions = found.get(r["id"], (None, []))
        out.append(dict(r, supervision=sups.get(r["id"]), due_issued=issued_due or r["due"], extensions=extensions))
    return out


# --- each paper: what it is about, issued (``issuing``) or only read (a draft until issued) ----


@dataclass
class Issuing:
    """Who issues, as whom, and the day: the paper gets its 文号 (if it has none yet)."""

    by: str
    role: str
    on: dt.date


def _paper(conn: Connection, kind: str, subject: str, ids: list[str], issuing: Issuing | None) -> dict | None:
    if issuing is None:
        return issued(conn, kind, subject)
    return issue(conn, kind, subject, ids, by=issuing.by, role=issuing.role, on=issuing.on)


def notices(conn: Connection, audit: str, issuing: Issuing | None, unit: str | None = None) -> list[tuple[dict | None, list[dict]]]:
    """The 整改通知书 of an imported audit, one per inspected unit (or only ``unit``'s): each its
    paper (None: not issued) and its hazards with their facts."""
    from checklist.register.queries import audit_hazards

    by_unit: dict[str, list[dict]] = {}
    for h in audit_hazards(conn, audit):
        if unit is None or h["unit"] == unit:
            by_unit.setdefault(h["unit"], []).append(h)
    out = []
    for name, rows in by_unit.items():
        subject = notice_subject(rows[0]["audit_id"], name)
        out.append((_paper(conn, "notice", subject, [h["id"] for h in rows], issuing), [facts(conn, h) for h in rows]))
    return out


def opinion(conn: Connection, audit: str | None, hazard_ids: list[str], issuing: Issuing | None) -> tuple[dict | None, list[dict]]:
    """The 整改复查意见书 of the 复查 a re-check audit made, or of the latest 复查 of each hazard named."""
    from checklist.register.queries import reviews

    rows = reviews(conn, audit, hazard_ids)
    paper_row = _paper(conn, "opinion", opinion_subject(rows), [h["id"] for h in rows], issuing)
    return paper_row, [facts(conn, h) | {"review": h["review"]} for h in rows]


def supervision_notice(conn: Connection, hazard_id: str, issuing: Issuing | None) -> tuple[dict | None, dict]:
    """The 督办通知书 of the hazard's latest 挂牌督办."""
    row = get(conn, hazard_id)
    supervise = latest(conn, row["id"], "supervise", "挂牌督办", "supervision")
    return _paper(conn, "supervision", f"supervision:{supervise['seq']}", [row["id"]], issuing), facts(conn, row)


def signoff_notice(conn: Connection, hazard_id: str, issuing: Issuing | None) -> tuple[dict | None, dict]:
    """The 督办销号通知书 of the hazard's latest 督办销号."""
    row = get(conn, hazard_id)
    signoff = latest(conn, row["id"], "signoff", "督办销号", "signoff")
    return _paper(conn, "signoff", f"signoff:{signoff['seq']}", [row["id"]], issuing), facts(conn, row)
