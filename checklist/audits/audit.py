"""Audit files: which checks of a catalog apply to a target, and what the inspector found."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checklist.audits.fields import SCHEMA, check_fields, check_head
from checklist.audits.identity import derived_id, new_id
from checklist.audits.yaml_blocks import block
from checklist.errors import Refusal
from checklist.files import atomic, locks
from checklist.files.kinds import resolvable_modeline
from checklist.files.loader import Document
from checklist.files.schemas import modeline
from checklist.model.amounts import Context, compute
from checklist.model.catalog import Catalog, Check, Clause, nfkc
from checklist.model.facts import Declaration
from checklist.model.rules import Verdict
from checklist.model.rules import evaluate as evaluate_rule
from checklist.vocabulary import FAIL, NA, PASS, RESULT_NAMES, UNCHECKED


@dataclass
class Finding:
    hazard: str
    measure: str
    owner: str
    due: str
    rectified: str | None = None
    place: str = ""  # 部位
    interim_measures: str = ""  # 临时安全措施
    plan: dict | None = None  # the 治理方案 of a 重大事故隐患: goal, method, funds, team, schedule, safety
    risk_point: str = ""  # the id of its risk point (风险点) in the unit's risk-point file
    description: str = ""  # 隐患描述: what is wrong, as the inspector saw it
    basis: str = ""  # 定级依据 of a 重大事故隐患: the item of the 重大事故隐患 criteria (第四条), or 其他 …
    basis_reason: str = ""  # … with the reason

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
    recheck_of: str = ""  # the register hazard (YH-…) this entry re-checks

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
            for key in ("description", "place", "interim_measures", "plan", "risk_point", "basis", "basis_reason"):
                if getattr(f, key):
                    d["finding"][key] = getattr(f, key)
        if self.decided_by:
            d["decided_by"] = self.decided_by
        if self.recheck_of:
            d["recheck_of"] = self.recheck_of
        return d


@dataclass
class Audit:
    catalog: dict  # id, title, doc_no, sha256, and the version of a published catalog
    target: dict  # name, address, kind
    inspectors: list[str]
    date: str
    entries: list[Entry]
    selection: dict = field(default_factory=dict)
    title: str = ""
    inspecting_body: str = ""  # who inspects (检查单位), printed on the report's cover
    signatures: list[dict] = field(default_factory=list)  # role, name, title, at, image, sha256: signed on the device
    path: Path | None = None
    sha256: str = ""  # of the file as loaded
    modeline: str = ""  # the schema line to write; '' = one an editor resolves from where the file is written
    id: str = ""  # written at `audit new`; the register knows the audit by it (audits.identity)
    rechecks: list[str] = field(default_factory=list)  # a re-check audit: the ids of the audits whose hazards it re-checks

    @property
    def name(self) -> str:
        return self.path.stem if self.path else "audit"

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    @property
    def identity(self) -> str:
        """Its id, or for an audit made before ids the one its content as made gives (audits.identity)."""
        sel, entries = self.selection, [e.id for e in self.entries]
        return self.id or derived_id(self.catalog["id"], sel, self.target["name"], self.date, list(self.inspectors), entries)

    def head(self) -> dict[str, Any]:
        """Everything but the checks, in the order the file shows it."""
        head: dict[str, Any] = {"id": self.id} if self.id else {}
        if self.title:
            head["title"] = self.title
        if self.inspecting_body:
            head["inspecting_body"] = self.inspecting_body
        head["catalog"] = self.catalog
        if self.selection:
            head["selection"] = self.selection
        if self.rechecks:
            head["rechecks"] = list(self.rechecks)
        head["target"] = self.target
        head["inspectors"] = self.inspectors
        head["date"] = self.date
        if self.signatures:
            head["signatures"] = [dict(s) for s in self.signatures]
        return head

    @property
    def signed(self) -> bool:
        """A signed record is evidence: its answers no longer change (a re-check is a new audit)."""
        return bool(self.signatures)

    def check_open(self) -> None:
        """Refuse a change to a signed audit's answers."""
        if self.signed:
            raise Refusal("audit.signed", "audit", signers=[s["name"] for s in self.signatures])

    def as_data(self) -> dict[str, Any]:
        """The data ``to_yaml`` writes, as loading that file would give it (validated without
        writing and parsing the YAML, which the web app does at every answer)."""
        return self.head() | {"checks": [e.as_dict() for e in self.entries]}

    def to_yaml(self, catalog: Catalog | None = None, path: Path | None = None) -> str:
        """The audit as a YAML file a person can read and fill in (at ``path``, which its schema
        line is relative to): each clause's text is shown in a comment above its first check
        (taken from ``catalog`` when given)."""
        out = [
            self.modeline or modeline(SCHEMA, path or self.path or Path("audit.yaml")),
            "# 检查记录: 逐项填写检查结果 (可用文本编辑器直接填写)。",
            "# result: pass=符合 fail=不符合 na=不适用 unchecked=未检查",
            "# na 须填 reason; fail 须填 finding: {hazard: 一般隐患|重大事故隐患, description: 隐患描述, measure: 整改措施, owner: 责任人, due: YYYY-MM-DD}",
            "# 重大事故隐患 另填 basis: 定级依据 (重大事故隐患特征清单条目, 或 其他 并填 basis_reason 定级理由)",
            "# evidence: 证据文件, 相对本文件所在目录的路径 (JPEG/PNG 照片打印在报告中)",
            block(self.head(), item=False),
            "checks:" if self.entries else "checks: []",
        ]
        texts = {c.id: c.text for c in catalog.clauses} if catalog else {}
        last_clause = None
        for e in self.entries:
            if e.clause != last_clause:
                text = " ".join(texts.get(e.clause, "").split())
                out.append(f"  # {e.ref}" + (f" {text}" if text else ""))
                last_clause = e.clause
            out.append(block(e.as_dict()))
        return "\n".join(out) + "\n"

    def save(self, catalog: Catalog | None = None, *, overwrite: bool = False) -> None:
        """Save to ``path`` atomically under the audit's lock (files.locks), for every caller.

        An audit read from a file is saved through a symbolic link to the real file, and only if
        that file is as it was read or last saved: otherwise its answers are kept in a conflict
        copy beside it and BusyError names both. A new audit is written only where no file is,
        unless ``overwrite``.
        """
        if self.path is None:
            raise ValueError("audit has no path")
        target, expect = self.path, None if overwrite else atomic.ABSENT
        if self.sha256:
            target, expect = Path(os.path.realpath(self.path)), self.sha256
        else:
            atomic.refuse_special(target)  # before its lock file is made beside a device or a link's target
            atomic.make_folder(target.parent)
        with locks.hold(target):
            atomic.remove_leftovers(target)
            self.sha256 = atomic.write_text(target, self.to_yaml(catalog, target), expect=expect, verify=_readable(str(self.path)))


def _readable(shown: str) -> Any:
    """The check a saved audit passes before it replaces the old file: what was written loads as
    the loader loads it and meets the audit schema — else nothing is replaced."""

    def verify(text: str) -> None:
        from checklist.errors import InvalidFileError
        from checklist.files.loader import loads
        from checklist.files.schemas import schema_problems

        problems = schema_problems(loads(text, shown), SCHEMA)
        if problems:
            raise InvalidFileError(problems)

    return verify


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
                finding=Finding(
                    f["hazard"],
                    f["measure"],
                    f["owner"],
                    f["due"],
                    f.get("rectified"),
                    f.get("place", ""),
                    f.get("interim_measures", ""),
                    f.get("plan"),
                    f.get("risk_point", ""),
                    f.get("description", ""),
                    f.get("basis", ""),
                    f.get("basis_reason", ""),
                )
                if f
                else None,
                decided_by=c.get("decided_by"),
                recheck_of=c.get("recheck_of", ""),
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
        inspecting_body=d.get("inspecting_body", ""),
        signatures=[dict(s) for s in d.get("signatures", ())],
        path=Path(doc.path),
        sha256=doc.sha256,
        modeline=resolvable_modeline(doc),
        id=d.get("id", ""),
        rechecks=list(d.get("rechecks", ())),
    )


# --- making a new audit -------------------------------------------------------------------


def select(
    catalog: Catalog, unit: str | None, tags: Iterable[str] = (), chapters: Iterable[str] = (), kind: str | None = None
) -> list[tuple[Clause, Check]]:
    """The checks that apply: clauses binding ``unit`` (directly or through a group), or setting
    requirements for target ``kind`` (and the kinds it includes); with one of ``tags`` if any are
    given, in one of ``chapters`` (full heading or its 第X章 prefix)."""
    if unit is not None and kind is not None:
        raise Refusal("audit.unit_or_kind", "unit")
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
        raise Refusal("audit.unknown_tag", "tags", tags=sorted(tags - known_tags), catalog=catalog.id, known=sorted(known_tags))
    if tags:
        clauses = [c for c in clauses if tags & {nfkc(t) for t in c.tags}]
    if chapters:
        known = {nfkc(c.chapter) for c in catalog.clauses}
        for ch in chapters:
            if not any(k.startswith(ch) for k in known):
                raise Refusal("audit.unknown_chapter", "chapters", chapter=ch, catalog=catalog.id, known=sorted(known))
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
    inspecting_body: str = "",
) -> Audit:
    """A new audit with every check unanswered — except those a rule decides from ``declaration``."""
    pairs = select(catalog, unit, tags, chapters, kind)
    if not pairs:
        raise Refusal("audit.no_checks", "unit" if unit is not None else "kind" if kind is not None else None)
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
    head: dict[str, Any] = {"target": dict(target), "inspectors": list(inspectors), "title": title, "inspecting_body": inspecting_body}
    check_head(head)  # each typed field by its rules, stripped
    audit = Audit(
        catalog={"id": catalog.id, "title": catalog.title, "doc_no": catalog.doc_no, "sha256": catalog.sha256}
        | ({"version": catalog.version} if catalog.version else {}),
        target={k: v for k, v in head["target"].items() if v or k == "name"},
        inspectors=head["inspectors"],
        date=date.isoformat(),
        entries=entries,
        selection=selection,
        title=head["title"],
        inspecting_body=head["inspecting_body"],
        id=new_id(),
    )
    check_fields(audit.head(), [e.as_dict() for e in audit.entries])
    return audit


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
