"""Responsibility lists (责任清单): what each document makes a unit responsible for, and the matrix
of units × clauses, as tables every output format (Markdown, CSV, XLSX, HTML, PDF) is built from."""

from __future__ import annotations

from dataclasses import dataclass, field

from checklist.errors import UsageError
from checklist.i18n import _
from checklist.model.catalog import Catalog, Clause, Unit
from checklist.vocabulary import DUTY_ROLE_NAMES, LEAD
from checklist.workdays.deadlines import describe

LIST_HEADER = ["文件", "文号", "章节", "条款", "职责内容", "角色", "频次", "时限", "检查要点"]
LEAD_MARK, SUPPORT_MARK = "●", "○"


@dataclass
class Duty:
    catalog: Catalog
    clause: Clause
    role: str  # LEAD or SUPPORT
    via: Unit | None  # the group through which the unit is bound, if not named itself
    checks: tuple = ()  # the clause's questions put to this unit

    @property
    def text(self) -> str:
        title = f"{self.clause.heading}：" if self.clause.heading and self.clause.fields else ""
        return title + " ".join(self.clause.text.split("\n"))

    @property
    def deadline(self) -> str:
        steps = (self.clause.deadline or {}).get("steps", ())
        return "；".join(f"{s['action']}（{describe(s)}）" for s in steps)

    def row(self) -> list[str]:
        c = self.clause
        section = " ".join(x for x in (c.chapter, c.section) if x)
        role = DUTY_ROLE_NAMES[self.role] + (f"（作为{self.via.name}）" if self.via else "")
        return [
            self.catalog.title.strip("《》"),
            self.catalog.doc_no,
            section,
            c.ref,
            self.text,
            role,
            c.frequency or "",
            self.deadline,
            "\n".join(k.ask for k in self.checks),
        ]


@dataclass
class UnitList:
    """One unit's duties across catalogs; the unit may have a different id in each."""

    name: str
    units: list[tuple[Catalog, Unit]]
    duties: list[Duty] = field(default_factory=list)

    @property
    def rows(self) -> list[list[str]]:
        return [d.row() for d in self.duties]


def unit_list(catalogs: list[Catalog], name: str) -> UnitList:
    """The duties of the unit called ``name`` (id, name or alias; NFKC) in every catalog that has it."""
    found: list[tuple[Catalog, Unit]] = []
    for cat in catalogs:
        try:
            found.append((cat, cat.find_unit(name)))
        except UsageError:
            continue
    if not found:
        raise UsageError(
            _("no unit {name!r} in {catalogs} (matched by id, name or alias)").format(name=name, catalogs=", ".join(c.id for c in catalogs))
        )
    result = UnitList(found[0][1].name, found)
    for cat, unit in found:
        result.duties += duties_in(cat, unit)
    return result


def duties_in(cat: Catalog, unit: Unit) -> list[Duty]:
    """A unit's (or a group's) duties in one catalog, in document order, each clause once."""
    out = []
    for clause in cat.clauses:
        for a in clause.responsible:
            if a.unit == unit.id:
                out.append(Duty(cat, clause, a.role, None, tuple(cat.checks_for(clause, unit.id))))
                break
            if not unit.is_group and unit.id in cat.expand(a.unit):
                out.append(Duty(cat, clause, a.role, cat.units[a.unit], tuple(cat.checks_for(clause, unit.id))))
                break
    return out


@dataclass
class Matrix:
    """Clauses (rows) × units (columns): ● lead, ○ supporting, through groups too."""

    catalog: Catalog
    units: list[Unit]
    clauses: list[Clause]
    cells: dict[tuple[str, str], str]  # (clause id, unit id) -> mark

    @property
    def header(self) -> list[str]:
        return ["条款", "职责内容"] + [short_name(u) for u in self.units]

    @property
    def rows(self) -> list[list[str]]:
        return [[c.ref, (c.heading or c.text)[:40]] + [self.cells.get((c.id, u.id), "") for u in self.units] for c in self.clauses]


def matrix(cat: Catalog) -> Matrix:
    units = [u for u in cat.units.values() if not u.is_group]
    cells: dict[tuple[str, str], str] = {}
    for unit in units:
        for d in duties_in(cat, unit):
            cells[(d.clause.id, unit.id)] = LEAD_MARK if d.role == LEAD else SUPPORT_MARK
    bound = [u for u in units if any(k[1] == u.id for k in cells)]
    clauses = [c for c in cat.clauses if c.responsible]
    return Matrix(cat, bound, clauses, cells)


def edition(cat: Catalog) -> str:
    """The document's 文号 and, for a published catalog, its version: 京示发〔2026〕1号 第2版."""
    version = f"第{cat.version}版" if cat.version else ""
    return " ".join(x for x in (cat.doc_no, version) if x)


def short_name(unit: Unit) -> str:
    """科技处(公共服务处) → 科技处: a column header short enough to print."""
    return unit.name.split("(")[0].split("（")[0]


def markdown(lists: list[UnitList], matrices: list[Matrix]) -> str:
    out = []
    for m in matrices:
        out += [f"# {m.catalog.cited} 职责矩阵", "", f"{LEAD_MARK} 牵头　{SUPPORT_MARK} 配合", ""]
        out += _md_table(m.header, m.rows) + [""]
    for ul in lists:
        out += [f"# {ul.name} 责任清单", ""]
        for cat, _unit in ul.units:
            rows = [d.row()[2:] for d in ul.duties if d.catalog is cat]
            out += [f"## {cat.cited}", "", f"共 {len(rows)} 项", ""]
            out += _md_table(LIST_HEADER[2:], rows) + [""]
    return "\n".join(out)


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def cell(v: str) -> str:
        return str(v).replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return lines
