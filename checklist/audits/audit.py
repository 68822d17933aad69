"""Audit files: which checks of a catalog apply to a target, and what the inspector found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from checklist.errors import UsageError
from checklist.files import atomic
from checklist.files.loader import Document
from checklist.model.amounts import Context, compute
from checklist.model.catalog import Catalog, Check, Clause, nfkc
from checklist.model.facts import Declaration
from checklist.model.rules import UNITS, Quantity, Verdict
from checklist.model.rules import evaluate as evaluate_rule

PASS, FAIL, NA, UNCHECKED = "pass", "fail", "na", "unchecked"
RESULT_NAMES = {PASS: "符合", FAIL: "不符合", NA: "不适用", UNCHECKED: "未检查"}
GENERAL, MAJOR = "一般隐患", "重大事故隐患"
MODELINE = "# yaml-language-server: $schema=https://checklist.local/schemas/audit.schema.json"


@dataclass
class Finding:
    hazard: str
    measure: str
    owner: str
    due: str
    rectified: str | None = None

    @property
    def open(self) -> bool:
        return self.rectified is None


@dataclass
class Entry:
    """One check of the audit and its answer."""

    id: str
    clause: str
    ref: str
    ask: str
    result: str = UNCHECKED
    note: str = ""
    reason: str = ""
    evidence: list[str] = field(default_factory=list)
    finding: Finding | None = None
    decided_by: dict | None = None  # a rule's verdict from declared facts: outcome, reasons, facts, source

    @property
    def result_name(self) -> str:
        return RESULT_NAMES[self.result]

    def answer(self, result: str, *, note: str = "", reason: str = "", finding: Finding | None = None) -> None:
        """Record an inspector's result; fields that belong to other results are dropped so the file
        stays valid, and a rule's verdict gives way to the inspector's judgement."""
        self.result = result
        self.decided_by = None
        self.note = note or self.note
        self.reason = reason if result == NA else ""
        self.finding = finding if result == FAIL else None

    def as_dict(self) -> dict:
        d: dict[str, Any] = {"id": self.id, "clause": self.clause, "ref": self.ref, "ask": self.ask, "result": self.result}
        if self.note:
            d["note"] = self.note
        if self.reason:
            d["reason"] = self.reason
        if self.evidence:
            d["evidence"] = list(self.evidence)
        if self.finding:
            f = self.finding
            d["finding"] = {"hazard": f.hazard, "measure": f.measure, "owner": f.owner, "due": f.due}
            if f.rectified:
                d["finding"]["rectified"] = f.rectified
        if self.decided_by:
            d["decided_by"] = self.decided_by
        return d


@dataclass
class Audit:
    catalog: dict  # id, title, doc_no, sha256
    target: dict  # name, address, kind
    inspectors: list[str]
    date: str
    entries: list[Entry]
    selection: dict = field(default_factory=dict)
    title: str = ""
    path: Path | None = None
    sha256: str = ""  # of the file as loaded

    @property
    def name(self) -> str:
        return self.path.stem if self.path else "audit"

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def to_yaml(self, catalog: Catalog | None = None) -> str:
        """The audit as a YAML file a person can read and fill in: each clause's text is shown
        in a comment above its first check (taken from ``catalog`` when given)."""
        head: dict[str, Any] = {}
        if self.title:
            head["title"] = self.title
        head["catalog"] = self.catalog
        if self.selection:
            head["selection"] = self.selection
        head["target"] = self.target
        head["inspectors"] = self.inspectors
        head["date"] = self.date
        out = [
            MODELINE,
            "# 检查记录: checklist audit run 逐项填写, 或直接用文本编辑器填写。",
            "# result: pass=符合 fail=不符合 na=不适用 unchecked=未检查",
            "# na 须填 reason; fail 须填 finding: {hazard: 一般隐患|重大事故隐患, measure: 整改措施, owner: 责任人, due: YYYY-MM-DD}",
            "# evidence: 证据文件, 相对本文件所在目录的路径 (JPEG/PNG 照片打印在报告中)",
            _dump(head).rstrip("\n"),
            "checks:" if self.entries else "checks: []",
        ]
        texts = {c.id: c.text for c in catalog.clauses} if catalog else {}
        last_clause = None
        for e in self.entries:
            if e.clause != last_clause:
                text = " ".join(texts.get(e.clause, "").split())
                out.append(f"  # {e.ref}" + (f" {text}" if text else ""))
                last_clause = e.clause
            out.append(_indent(_dump([e.as_dict()])).rstrip("\n"))
        return "\n".join(out) + "\n"

    def save(self, catalog: Catalog | None = None, path: Path | None = None) -> None:
        target = path or self.path
        if target is None:
            raise ValueError("audit has no path")
        atomic.write_text(target, self.to_yaml(catalog))


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def _indent(text: str) -> str:
    return "".join("  " + line if line.strip() else line for line in text.splitlines(keepends=True))


def from_document(doc: Document) -> Audit:
    d = doc.data
    entries = []
    for c in d["checks"]:
        f = c.get("finding")
        entries.append(
            Entry(
                id=c["id"],
                clause=c["clause"],
                ref=c["ref"],
                ask=c["ask"],
                result=c["result"],
                note=c.get("note", ""),
                reason=c.get("reason", ""),
                evidence=list(c.get("evidence", ())),
                finding=Finding(f["hazard"], f["measure"], f["owner"], f["due"], f.get("rectified")) if f else None,
                decided_by=c.get("decided_by"),
            )
        )
    return Audit(
        catalog=d["catalog"],
        target=d["target"],
        inspectors=list(d["inspectors"]),
        date=d["date"],
        entries=entries,
        selection=d.get("selection", {}),
        title=d.get("title", ""),
        path=Path(doc.path),
        sha256=doc.sha256,
    )


# --- making a new audit -------------------------------------------------------------------


def select(
    catalog: Catalog, unit: str | None, tags: Iterable[str] = (), chapters: Iterable[str] = (), kind: str | None = None
) -> list[tuple[Clause, Check]]:
    """The checks that apply: clauses binding ``unit`` (directly or through a group), or setting
    requirements for target ``kind`` (and the kinds it includes); with one of ``tags`` if any are
    given, in one of ``chapters`` (full heading or its 第X章 prefix)."""
    if unit is not None and kind is not None:
        raise UsageError("give --unit (a unit's duties) or --kind (requirements for a kind of target), not both")
    tags = {nfkc(t) for t in tags}
    chapters = [nfkc(c) for c in chapters]
    uid = catalog.find_unit(unit).id if unit is not None else None
    if uid is not None:
        clauses = [c for c, _ in catalog.duties_of(uid)]
    elif kind is not None:
        clauses = catalog.clauses_for_kind(catalog.find_kind(kind).id)
    else:
        clauses = [c for c in catalog.clauses if c.checks]
    known_tags = {nfkc(t) for c in catalog.clauses for t in c.tags}
    if tags - known_tags:
        raise UsageError(f"catalog {catalog.id} has no tag {', '.join(sorted(tags - known_tags))}; known: {', '.join(sorted(known_tags))}")
    if tags:
        clauses = [c for c in clauses if tags & {nfkc(t) for t in c.tags}]
    if chapters:
        known = {nfkc(c.chapter) for c in catalog.clauses}
        for ch in chapters:
            if not any(k.startswith(ch) for k in known):
                raise UsageError(f"catalog {catalog.id} has no chapter {ch!r}; known: {', '.join(sorted(known))}")
        clauses = [c for c in clauses if any(nfkc(c.chapter).startswith(ch) for ch in chapters)]
    if uid is not None:  # a unit's duties: not the checks that set requirements for a kind of target
        return [(c, k) for c in clauses for k in catalog.checks_for(c, uid)]
    # a clause that binds units and sets requirements marks the checks for targets with their kinds
    closure = set(catalog.kind_closure(catalog.find_kind(kind).id)) if kind is not None else set()
    return [(c, k) for c in clauses for k in c.checks if _for_kind(c, k, closure)]


def _for_kind(clause: Clause, check: Check, kinds: set[str]) -> bool:
    if not kinds:
        return True
    if any(k.kinds for k in clause.checks):
        return bool(kinds & set(check.kinds))
    return True


def new(
    catalog: Catalog,
    *,
    unit: str | None,
    tags: list[str],
    chapters: list[str],
    target: dict,
    inspectors: list[str],
    date: dt.date,
    title: str = "",
    kind: str | None = None,
    declaration: Declaration | None = None,
) -> Audit:
    """A new audit with every check unanswered — except those a rule decides from ``declaration``."""
    pairs = select(catalog, unit, tags, chapters, kind)
    if not pairs:
        raise UsageError("no checks match this selection: nothing to audit")
    selection: dict[str, Any] = {}
    if unit is not None:
        selection["unit"] = catalog.find_unit(unit).id
    if kind is not None:
        selection["kind"] = catalog.find_kind(kind).id
    if tags:
        selection["tags"] = list(tags)
    if chapters:
        selection["chapters"] = list(chapters)
    entries = [Entry(k.id, c.id, c.ref, k.ask) for c, k in pairs]
    if declaration is not None:
        checks = {k.id: k for _, k in pairs if k.rule or k.compute}
        for e in entries:
            if e.id in checks:
                decide(e, checks[e.id], declaration, catalog, date)
    return Audit(
        catalog={"id": catalog.id, "title": catalog.title, "doc_no": catalog.doc_no, "sha256": catalog.sha256},
        target={k: v for k, v in target.items() if v},
        inspectors=list(inspectors),
        date=date.isoformat(),
        entries=entries,
        selection=selection,
        title=title,
    )


def decide(entry: Entry, check: Check, declaration: Declaration, catalog: Catalog, date: dt.date) -> None:
    """Answer a rule-checked entry from declared facts, and work out its computed value when its rule
    passes (or it has none); an undecided rule or value leaves it to the inspector, with the reason
    recorded, and an item whose condition does not hold is 不适用."""
    verdict = evaluate_rule(check.rule, declaration.values, catalog.facts, date) if check.rule else Verdict(PASS)
    if check.compute and verdict.outcome == PASS:
        value = compute(check.compute, entry.ref, Context(declaration.values, catalog.facts, catalog.tables, date))
        value.reasons, value.facts = verdict.reasons + value.reasons, {**verdict.facts, **value.facts}
        verdict = value
    entry.decided_by = dict(verdict.as_dict(), source=declaration.source)
    if verdict.outcome in (PASS, FAIL, NA):
        entry.result = verdict.outcome
    if verdict.outcome == NA:
        entry.reason = "；".join(verdict.reasons)


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
