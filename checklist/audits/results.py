"""What an audit's answers add up to: the status (answered, counts, open findings, score) and,
for catalogs that compute amounts, the eligibility and the amounts with their working."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from checklist.audits.audit import Audit, Entry
from checklist.model.rules import UNITS, Quantity
from checklist.vocabulary import FAIL, MAJOR, PASS, RESULT_NAMES, UNCHECKED


def amount(entry: Entry) -> dict | None:
    """The computed value an entry records, when a rule decided it and an inspector has not overridden it."""
    computed = entry.decided_by.get("computed") if entry.decided_by else None
    return computed if computed and entry.result == PASS else None


ELIGIBLE, NOT_ELIGIBLE, TO_VERIFY = "符合", "不符合", "待核实"


@dataclass
class Award:
    """What the declared facts give a target: eligible or not, and the amounts with their working."""

    eligibility: str  # ELIGIBLE, NOT_ELIGIBLE (a requirement fails) or TO_VERIFY (facts missing)
    items: list[dict]  # computed values of passed entries: title, value, unit, working, ref
    total: Quantity | None  # the money items added up, in the first one's unit; None when there are none
    pending: list[str] = field(default_factory=list)  # why it is still to verify: the facts missing

    def as_dict(self) -> dict:
        total = {"value": f"{self.total.value.normalize():f}", "unit": self.total.unit} if self.total else None
        return {"eligibility": self.eligibility, "items": self.items, "total": total, "pending": self.pending}


def as_quantity(computed: dict) -> Quantity | None:
    """A recorded amount as a Quantity; None for a text value (or a hand-edited one that is no number)."""
    if UNITS.get(computed["unit"], ("",))[0] != "money":
        return None
    try:
        return Quantity(Decimal(computed["value"]), computed["unit"])
    except (InvalidOperation, TypeError):
        return None


def award(entries: Iterable[Entry]) -> Award:
    entries = list(entries)
    if any(e.result == FAIL for e in entries):
        eligibility = NOT_ELIGIBLE
    elif any(e.decided_by and e.result == UNCHECKED for e in entries):
        eligibility = TO_VERIFY
    else:
        eligibility = ELIGIBLE
    items = [c for c in map(amount, entries) if c]
    money = [q for q in map(as_quantity, items) if q is not None]
    total = None
    if money:
        unit = money[0].unit
        total = Quantity(sum(((q.to(unit) or q).value for q in money), Decimal(0)), unit)
    pending = [r for e in entries if e.decided_by and e.result == UNCHECKED for r in e.decided_by["reasons"]]
    return Award(eligibility, items, total, pending)


# --- status -------------------------------------------------------------------------------


@dataclass
class Status:
    total: int
    counts: dict[str, int]  # result -> number of checks
    open_findings: int
    major_open: int

    @property
    def answered(self) -> int:
        return self.total - self.counts[UNCHECKED]

    @property
    def score(self) -> float | None:
        """pass / (pass + fail); na and unchecked count neither way. None when nothing was judged."""
        judged = self.counts[PASS] + self.counts[FAIL]
        return self.counts[PASS] / judged if judged else None

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "answered": self.answered,
            "counts": self.counts,
            "open_findings": self.open_findings,
            "major_open_findings": self.major_open,
            "score": self.score,
        }


def status(entries: Iterable[Entry]) -> Status:
    entries = list(entries)
    counts = {r: 0 for r in RESULT_NAMES}
    for e in entries:
        counts[e.result] += 1
    open_ = [e.finding for e in entries if e.result == FAIL and e.finding and e.finding.open]
    return Status(len(entries), counts, len(open_), sum(1 for f in open_ if f.hazard == MAJOR))


@dataclass
class Summary:
    """One audit file as `audit status` shows it: its status and, when checks were decided from
    declared facts, its eligibility and amounts (``award``)."""

    file: str  # as the user named it
    audit: Audit
    status: Status
    award: Award | None

    def as_dict(self) -> dict:
        out = dict(self.status.as_dict(), file=self.file, target=self.audit.target["name"], date=self.audit.date)
        if self.award is not None:
            out["award"] = self.award.as_dict()
        return out


def summarise(file: str, audit: Audit) -> Summary:
    decided = any(e.decided_by for e in audit.entries)
    return Summary(file, audit, status(audit.entries), award(audit.entries) if decided else None)
