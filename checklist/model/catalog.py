"""Catalogs: the duties of one source document, as model objects, and the checks a schema can't make."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from checklist.errors import Refusal, UsageError
from checklist.files.loader import Document
from checklist.i18n import _
from checklist.vocabulary import LEAD

_TWO_NAMES = re.compile(r"^([^()]+)\(([^()]+)\)$")


def nfkc(text: str) -> str:
    """The form names are compared in: NFKC (full-width and Kangxi radicals folded), no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def close_names(given: str, names: dict[str, str]) -> list[str]:
    """The names (NFKC keys → shown names) closest to ``given``, best first, at most five."""
    import difflib

    return list(dict.fromkeys(names[n] for n in difflib.get_close_matches(nfkc(given), list(names), n=5, cutoff=0.5)))


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
    compute: dict | None = None  # a value worked out from declared facts, e.g. the amount (amounts.py)
    kinds: tuple[str, ...] = ()  # only for these target kinds (and never a unit's duty); empty: as the clause


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
    recurrence: dict | None = None  # as dated tasks: {every, due, …}, {on: dates, roll}, or {none: reason}
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
    tables: dict[str, dict] = field(default_factory=dict)  # name -> {title, ref, columns, keys, units, rows}
    version: int | None = None  # the published version (catalogs published in the web app); None for those kept by hand
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
            close = close_names(name_or_id, {n: self.units[u].name for n, u in self._by_name.items()})
            known = [f"{u.id} ({u.name})" for u in self.units.values()]
            raise Refusal("audit.unknown_unit", "unit", name=name_or_id, catalog=self.id, close=close, known=known)
        return self.units[uid]

    def expand(self, uid: str) -> tuple[str, ...]:
        """The units an id stands for: itself, or a group's members."""
        unit = self.units[uid]
        return unit.members or (uid,)

    def checks_for(self, clause: Clause, uid: str) -> list[Check]:
        """The questions of ``clause`` put to unit ``uid`` (not those for a kind of target)."""
        return [
            k for k in clause.checks if not k.kinds and (not k.applies_to or any(uid == a or uid in self.expand(a) for a in k.applies_to))
        ]

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
        close = close_names(name_or_id, {nfkc(n): k.name for k in self.kinds.values() for n in (k.id, k.name)})
        known = [f"{k.id} ({k.name})" for k in self.kinds.values()]
        raise Refusal("audit.unknown_kind", "kind", name=name_or_id, catalog=self.id, close=close, known=known)

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
        raise UsageError(_("catalog {catalog} has no clause {clause!r}").format(catalog=self.id, clause=cid))

    @property
    def doc_no(self) -> str:
        return self.source.get("doc_no", "")

    @property
    def ref(self) -> str:
        """The id an audit names it by: ``id@version`` for a published version, else the id."""
        return f"{self.id}@{self.version}" if self.version else self.id

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
            recurrence=c.get("recurrence"),
            tags=tuple(c.get("tags", ())),
            checks=tuple(
                Check(
                    k["id"],
                    k["ask"],
                    tuple(k.get("evidence", ())),
                    tuple(k.get("applies_to", ())),
                    k.get("rule"),
                    k.get("compute"),
                    tuple(k.get("kinds", ())),
                )
                for k in c.get("checks", ())
            ),
            deadline=c.get("deadline"),
            safety_lead=tuple(c.get("safety_lead", ())),
            note=c.get("note", ""),
        )
        for c in d["clauses"]
    ]
    kinds = {k["id"]: Kind(k["id"], k["name"], tuple(k.get("includes", ()))) for k in d.get("kinds", ())}
    return Catalog(
        d["id"],
        d["title"],
        d["source"],
        units,
        clauses,
        doc.path,
        doc.sha256,
        kinds,
        d.get("facts", {}),
        d.get("tables", {}),
        d.get("version"),
    )


def _assignment(entry: str | dict) -> Assignment:
    if isinstance(entry, str):
        return Assignment(entry, LEAD)
    return Assignment(entry["unit"], entry["role"])


# --- checks beyond the schema -------------------------------------------------------------
