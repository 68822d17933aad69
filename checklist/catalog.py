"""Catalogs: the duties of one source document, as model objects, and the checks a schema can't make."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator

from .errors import Problem, UsageError
from .loader import Document
from .refs import is_article_ref, parse_ref
from .rules import rule_problems

LEAD, SUPPORT = "lead", "support"
ROLE_NAMES = {LEAD: "牵头", SUPPORT: "配合"}


_TWO_NAMES = re.compile(r"^([^()]+)\(([^()]+)\)$")


def nfkc(text: str) -> str:
    """The form names are compared in: NFKC (full-width and Kangxi radicals folded), no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    type: str | None = None
    members: tuple[str, ...] = ()  # for a unit group: the units it stands for

    @property
    def is_group(self) -> bool:
        return bool(self.members)


@dataclass(frozen=True, slots=True)
class Assignment:
    unit: str  # unit or group id
    role: str  # LEAD or SUPPORT


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    ask: str
    evidence: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = ()  # unit/group ids the question is put to; empty: every responsible unit
    rule: dict | None = None  # decides the check from declared facts (rules.py)


@dataclass(frozen=True, slots=True)
class Clause:
    id: str
    ref: str
    text: str  # verbatim; for items printed as labelled fields, the fields joined as printed
    chapter: str = ""
    section: str = ""
    heading: str = ""
    fields: tuple[tuple[str, str], ...] = ()  # (label, text) of labelled items, in order
    kinds: tuple[str, ...] = ()  # target kinds the clause sets requirements for
    responsible: tuple[Assignment, ...] = ()
    kind: str | None = None
    frequency: str | None = None
    tags: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    deadline: dict | None = None
    safety_lead: tuple[dict, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Kind:
    id: str
    name: str
    includes: tuple[str, ...] = ()


@dataclass
class Catalog:
    id: str
    title: str
    source: dict
    units: dict[str, Unit]  # units and groups, by id
    clauses: list[Clause]
    path: str = ""
    sha256: str = ""
    kinds: dict[str, Kind] = field(default_factory=dict)
    facts: dict[str, dict] = field(default_factory=dict)  # name -> {title, type, unit, values, description}
    _by_name: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for unit in self.units.values():
            for name in (unit.id, unit.name, *unit.aliases):
                self._by_name[nfkc(name)] = unit.id
        # 一个机构两块牌子: 科技处(公共服务处) also answers to 科技处 and to 公共服务处
        for unit in self.units.values():
            m = _TWO_NAMES.match(nfkc(unit.name))
            if m:
                for name in m.groups():
                    self._by_name.setdefault(name, unit.id)

    def find_unit(self, name_or_id: str) -> Unit:
        """A unit or group by id, name or alias (compared after NFKC)."""
        uid = self._by_name.get(nfkc(name_or_id))
        if uid is None:
            known = ", ".join(f"{u.id} ({u.name})" for u in self.units.values())
            raise UsageError(f"catalog {self.id} has no unit {name_or_id!r}; known: {known}")
        return self.units[uid]

    def expand(self, uid: str) -> tuple[str, ...]:
        """The units an id stands for: itself, or a group's members."""
        unit = self.units[uid]
        return unit.members or (uid,)

    def checks_for(self, clause: Clause, uid: str) -> list[Check]:
        """The questions of ``clause`` put to unit ``uid``."""
        return [k for k in clause.checks
                if not k.applies_to or any(uid == a or uid in self.expand(a) for a in k.applies_to)]

    def duties_of(self, uid: str) -> Iterator[tuple[Clause, str]]:
        """Clauses binding a unit, directly or as a member of a group, with its role there."""
        for clause in self.clauses:
            for a in clause.responsible:
                if uid == a.unit or uid in self.expand(a.unit):
                    yield clause, a.role
                    break

    def find_kind(self, name_or_id: str) -> Kind:
        for k in self.kinds.values():
            if nfkc(name_or_id) in (nfkc(k.id), nfkc(k.name)):
                return k
        known = ", ".join(f"{k.id} ({k.name})" for k in self.kinds.values()) or "none"
        raise UsageError(f"catalog {self.id} has no target kind {name_or_id!r}; known: {known}")

    def kind_closure(self, kid: str) -> tuple[str, ...]:
        """A kind and every kind it includes, directly or not (区域养老服务中心 → 养老机构)."""
        out, todo = [], [kid]
        while todo:
            k = todo.pop(0)
            if k not in out:
                out.append(k)
                todo += self.kinds[k].includes
        return tuple(out)

    def clauses_for_kind(self, kid: str) -> list[Clause]:
        kinds = set(self.kind_closure(kid))
        return [c for c in self.clauses if kinds & set(c.kinds)]

    def clause(self, cid: str) -> Clause:
        for c in self.clauses:
            if c.id == cid:
                return c
        raise UsageError(f"catalog {self.id} has no clause {cid!r}")

    @property
    def doc_no(self) -> str:
        return self.source.get("doc_no", "")

    @property
    def cited(self) -> str:
        """《title》（文号）, with book-title marks added only when the title lacks them."""
        title = self.title if self.title.startswith("《") else f"《{self.title}》"
        return f"{title}（{self.doc_no}）" if self.doc_no else title


def from_document(doc: Document) -> Catalog:
    """Model objects for a catalog document that has passed validation."""
    d = doc.data
    units: dict[str, Unit] = {}
    for u in d["units"]:
        units[u["id"]] = Unit(u["id"], u["name"], tuple(u.get("aliases", ())), u.get("type"))
    for g in d.get("unit_groups", ()):
        units[g["id"]] = Unit(g["id"], g["name"], tuple(g.get("aliases", ())), None, tuple(g["members"]))
    clauses = [
        Clause(
            id=c["id"],
            ref=c["ref"],
            text=c.get("text") or "\n".join(f"{label}：{value}" for label, value in c.get("fields", {}).items()),
            chapter=c.get("chapter", ""),
            section=c.get("section", ""),
            heading=c.get("heading", ""),
            fields=tuple(c.get("fields", {}).items()),
            kinds=tuple(c.get("kinds", ())),
            responsible=tuple(_assignment(r) for r in c.get("responsible", ())),
            kind=c.get("kind"),
            frequency=c.get("frequency"),
            tags=tuple(c.get("tags", ())),
            checks=tuple(Check(k["id"], k["ask"], tuple(k.get("evidence", ())), tuple(k.get("applies_to", ())), k.get("rule"))
                         for k in c.get("checks", ())),
            deadline=c.get("deadline"),
            safety_lead=tuple(c.get("safety_lead", ())),
            note=c.get("note", ""),
        )
        for c in d["clauses"]
    ]
    kinds = {k["id"]: Kind(k["id"], k["name"], tuple(k.get("includes", ()))) for k in d.get("kinds", ())}
    return Catalog(d["id"], d["title"], d["source"], units, clauses, doc.path, doc.sha256, kinds, d.get("facts", {}))


def _assignment(entry: str | dict) -> Assignment:
    if isinstance(entry, str):
        return Assignment(entry, LEAD)
    return Assignment(entry["unit"], entry["role"])


# --- checks beyond the schema -------------------------------------------------------------


def check(doc: Document) -> list[Problem]:
    """Cross-reference rules of a catalog. Tolerates schema-invalid data: every rule looks only
    at the parts that have the right shape, so one run reports everything it can."""
    d = doc.data if isinstance(doc.data, dict) else {}
    problems: list[Problem] = []
    seen: dict[str, tuple] = {}

    def declare(path: tuple, ident: Any) -> None:
        if not isinstance(ident, str):
            return
        if ident in seen:
            line = doc.position(seen[ident])[0]
            problems.append(doc.problem(path, f"duplicate id {ident!r} (first declared at line {line})", "unique-ids"))
        else:
            seen[ident] = path

    units, groups = _dicts(d, "units"), _dicts(d, "unit_groups")
    for i, u in units:
        declare(("units", i, "id"), u.get("id"))
    for i, g in groups:
        declare(("unit_groups", i, "id"), g.get("id"))
    unit_ids = {u.get("id") for _, u in units}
    group_ids = {g.get("id") for _, g in groups}
    assignable = unit_ids | group_ids

    for i, g in groups:
        for j, m in enumerate(g.get("members") or ()):
            if m not in unit_ids:
                what = "a group; groups list units, not other groups" if m in group_ids else "not a declared unit"
                problems.append(doc.problem(("unit_groups", i, "members", j), f"member {m!r} is {what}", "known-units"))

    kinds = _dicts(d, "kinds")
    kind_ids = {k.get("id") for _, k in kinds}
    for i, k in kinds:
        declare(("kinds", i, "id"), k.get("id"))
        for j, inc in enumerate(k.get("includes") or () if isinstance(k.get("includes"), list) else ()):
            if inc not in kind_ids:
                problems.append(doc.problem(("kinds", i, "includes", j), f"unknown kind {inc!r}", "known-kinds"))
            elif _includes_itself(inc, k.get("id"), kinds):
                problems.append(doc.problem(("kinds", i, "includes", j), f"kind {k.get('id')!r} includes itself through {inc!r}", "known-kinds"))
    declared_facts = d.get("facts") if isinstance(d.get("facts"), dict) else {}

    for i, c in _dicts(d, "clauses"):
        base = ("clauses", i)
        declare(base + ("id",), c.get("id"))
        for j, kid in enumerate(c.get("kinds") or () if isinstance(c.get("kinds"), list) else ()):
            if kid not in kind_ids:
                problems.append(doc.problem(base + ("kinds", j), f"unknown kind {kid!r}: declare it under kinds", "known-kinds"))
        ref = c.get("ref")
        if isinstance(ref, str) and is_article_ref(ref):
            try:
                parse_ref(ref)
            except ValueError as e:
                problems.append(doc.problem(base + ("ref",), str(e), "article-ref"))
        problems += _check_responsible(doc, base, c.get("responsible"), assignable)
        checks = c.get("checks")
        responsible = _responsible_ids(c.get("responsible"))
        for j, k in enumerate(checks if isinstance(checks, list) else ()):
            if isinstance(k, dict):
                declare(base + ("checks", j, "id"), k.get("id"))
                for where, message in rule_problems(k.get("rule"), declared_facts):
                    problems.append(doc.problem(base + ("checks", j, "rule") + where, message, "rules"))
                for m, target in enumerate(k.get("applies_to") or () if isinstance(k.get("applies_to"), list) else ()):
                    if not _within(target, responsible, groups):
                        problems.append(doc.problem(base + ("checks", j, "applies_to", m),
                                                    f"{target!r} is not among the clause's responsible units", "applies-to"))
        if isinstance(c.get("responsible"), list) and c["responsible"] and not checks:
            problems.append(
                doc.problem(base, "clause assigns a duty (responsible) but has no inspection question (checks)", "duty-checks")
            )
        problems += _check_deadline(doc, base, c.get("deadline"), assignable, declare)
        for j, case in enumerate(c.get("safety_lead") or ()):
            if isinstance(case, dict) and "designated_by" in case and case["designated_by"] not in assignable:
                problems.append(
                    doc.problem(base + ("safety_lead", j, "designated_by"), f"unknown unit {case['designated_by']!r}", "known-units")
                )
    return problems


def _includes_itself(start: Any, origin: Any, kinds: list[tuple[int, dict]]) -> bool:
    by_id = {k.get("id"): k for _, k in kinds}
    todo, seen = [start], set()
    while todo:
        kid = todo.pop()
        if kid == origin:
            return True
        if kid in seen or kid not in by_id:
            continue
        seen.add(kid)
        includes = by_id[kid].get("includes")
        todo += includes if isinstance(includes, list) else []
    return False


def _responsible_ids(entries: Any) -> set[str]:
    ids = set()
    for e in entries if isinstance(entries, list) else ():
        if isinstance(e, str):
            ids.add(e)
        elif isinstance(e, dict) and isinstance(e.get("unit"), str):
            ids.add(e["unit"])
    return ids


def _within(target: Any, responsible: set[str], groups: list[tuple[int, dict]]) -> bool:
    """``target`` is a responsible id, or a member of a responsible group."""
    if target in responsible:
        return True
    return any(g.get("id") in responsible and target in (g.get("members") or ()) for _, g in groups)


def _dicts(d: dict, key: str) -> list[tuple[int, dict]]:
    items = d.get(key)
    return [(i, x) for i, x in enumerate(items) if isinstance(x, dict)] if isinstance(items, list) else []


def _check_responsible(doc: Document, base: tuple, entries: Any, assignable: set) -> list[Problem]:
    problems = []
    if not isinstance(entries, list):
        return problems
    support_seen_at = None
    for j, entry in enumerate(entries):
        path = base + ("responsible", j)
        if isinstance(entry, str):
            a = Assignment(entry, LEAD)
        elif isinstance(entry, dict) and isinstance(entry.get("unit"), str):
            a, path = Assignment(entry["unit"], entry.get("role")), path + ("unit",)
        else:
            continue
        if a.unit not in assignable:
            problems.append(doc.problem(path, f"unknown unit {a.unit!r}: declare it under units or unit_groups", "known-units"))
        if a.role == SUPPORT:
            support_seen_at = support_seen_at if support_seen_at is not None else j
        elif a.role == LEAD and support_seen_at is not None:
            problems.append(
                doc.problem(path, f"lead unit {a.unit!r} is listed after supporting unit #{support_seen_at + 1}: list lead units first", "lead-first")
            )
    return problems


def _check_deadline(doc: Document, base: tuple, deadline: Any, assignable: set, declare) -> list[Problem]:
    problems = []
    steps = deadline.get("steps") if isinstance(deadline, dict) else None
    earlier = {"anchor"}
    for j, step in enumerate(steps if isinstance(steps, list) else ()):
        if not isinstance(step, dict):
            continue
        path = base + ("deadline", "steps", j)
        declare(path + ("id",), step.get("id"))
        origin = step.get("from", "anchor")
        if isinstance(origin, str) and origin not in earlier:
            problems.append(doc.problem(path + ("from",), f"counts from {origin!r}, which is neither 'anchor' nor an earlier step", "step-order"))
        if "file_with" in step and step["file_with"] not in assignable:
            problems.append(doc.problem(path + ("file_with",), f"unknown unit {step['file_with']!r}", "known-units"))
        earlier.add(step.get("id"))
    return problems
