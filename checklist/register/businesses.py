"""The 生产经营单位信息台账 with their 分级分类 (京广发〔2026〕11号 第三十二条: "组织建立健全管辖业务领域
生产经营单位信息台账，制定完善分级分类标准，并通过生产安全事故隐患排查治理信息系统进行记录").

A CSV or XLSX sheet of businesses (name, 统一社会信用代码 checked by its GB 32100-2015 check
character, industry, 分级分类 level, contact) is read whole and every bad cell named at
``file:row:col`` before anything is stored; each business added or changed is one ``business``
event (register.proof replays the table from them). The businesses are the population a
sampling plan draws from (``population``) and a filter on the hazard list and the dashboard (a
hazard belongs to a business when its 被检查对象 or unit is the business's name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from checklist.errors import InvalidFileError, Problem, Refusal
from checklist.files import values
from checklist.files.spreadsheet import read_table
from checklist.i18n import _
from checklist.model.catalog import nfkc
from checklist.register.log import NewEvent, append, now
from checklist.register.tables import business

# the columns, by field, and the titles a sheet may give them (compared after NFKC, any case)
COLUMNS = {
    "name": ("名称", "单位名称", "企业名称", "name"),
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "industry": ("行业", "所属行业", "industry"),
    "grade": ("分级分类", "分级", "等级", "grade"),
    "contact": ("联系人", "联系方式", "联系人及电话", "contact"),
}
REQUIRED = ("name", "credit_code")
LIMITS = {"name": 200, "industry": 100, "grade": 50, "contact": 200}
SHEET = "businesses"
HEADER = ("统一社会信用代码", "名称", "行业", "分级分类", "联系人")  # as a population for sampling


@dataclass
class Imported:
    read: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else value


def read(path: Path) -> list[dict]:
    """Every business of the sheet, or InvalidFileError naming every bad cell (``file:row:col``)."""
    where, rows = read_table(path)
    if not rows:
        raise InvalidFileError(
            [Problem(where, 1, 1, _("empty: the first row must hold the column titles (名称、统一社会信用代码 …)"), SHEET)]
        )
    header_line, header = rows[0]
    titles = {nfkc(t).lower(): name for name, aliases in COLUMNS.items() for t in aliases}
    place: dict[str, int] = {}
    problems = []
    for col, cell in enumerate(header, 1):
        key = nfkc(str(_cell(cell))).strip().lower()
        if not key:
            continue
        name = titles.get(key)
        if name is None:
            known = "、".join(a[0] for a in COLUMNS.values())
            problems.append(
                Problem(
                    where,
                    header_line,
                    col,
                    _("unknown column {title!r}; the columns are {known}").format(title=str(cell), known=known),
                    SHEET,
                )
            )
        elif name in place:
            problems.append(Problem(where, header_line, col, _("column {title!r} given twice").format(title=str(cell)), SHEET))
        else:
            place[name] = col
    problems += [
        Problem(where, header_line, 1, _("no {title} column").format(title=COLUMNS[n][0]), SHEET) for n in REQUIRED if n not in place
    ]
    if problems:
        raise InvalidFileError(problems)
    out: list[dict] = []
    seen: dict[str, int] = {}
    for line, row in rows[1:]:
        if all(str(_cell(c)).strip() == "" for c in row):
            continue
        item: dict[str, str] = {}
        for name, col in place.items():
            raw = _cell(row[col - 1]) if col - 1 < len(row) else ""
            try:
                if name == "credit_code":
                    item[name] = values.credit_code(name, raw)
                else:
                    text = raw if isinstance(raw, str) else str(raw)
                    item[name] = values.text(f"business.{name}", text, required=name in REQUIRED, longest=LIMITS[name])
            except Refusal as e:
                problems.append(Problem(where, line, col, e.message, SHEET))
        code = item.get("credit_code")
        if code and code in seen:
            problems.append(
                Problem(where, line, place["credit_code"], _("{code} is also on row {row}").format(code=code, row=seen[code]), SHEET)
            )
        elif code:
            seen[code] = line
        out.append({k: item.get(k, "") for k in COLUMNS})
    if problems:
        raise InvalidFileError(sorted(problems, key=lambda p: (p.line, p.column)))
    return out


def import_rows(conn: Connection, rows: list[dict], *, by: str, role: str) -> Imported:
    """Add or update each business (by its code) inside the caller's write transaction; one event
    for each added or changed."""
    report = Imported(read=len(rows))
    by = values.text("by", by, required=True, longest=100)
    stored = {r["credit_code"]: dict(r) for r in conn.execute(sa.select(business)).mappings()}
    at, new = now(), []
    for r in rows:
        old = stored.get(r["credit_code"])
        if old is not None and all(old[k] == r[k] for k in COLUMNS):
            report.unchanged += 1
            continue
        new.append(NewEvent(None, by, role, "business", None, "", r["name"], {"business": r}))
        if old is None:
            conn.execute(business.insert().values(**r, updated_at=at))
            report.added.append(r["credit_code"])
        else:
            conn.execute(sa.update(business).where(business.c.credit_code == r["credit_code"]).values(**r, updated_at=at))
            report.changed.append(r["credit_code"])
    append(conn, new, at)
    return report


def listed(conn: Connection, grade: str | None = None) -> list[dict]:
    query = sa.select(business).order_by(business.c.grade, business.c.name, business.c.credit_code)
    if grade:
        query = query.where(business.c.grade == values.text("grade", grade, longest=LIMITS["grade"]))
    return [dict(r) for r in conn.execute(query).mappings()]


def names(conn: Connection, which: str | None = None, grade: str | None = None) -> list[str]:
    """The names of the businesses a hazard filter means: one business (by its code or name), or
    those of one 分级分类 level; Refusal when the business is not in the register."""
    query = sa.select(business.c.name)
    if which:
        text = values.text("business", which, required=True, longest=200)
        key = nfkc(text).upper()
        query = query.where(sa.or_(business.c.credit_code == key, business.c.name == text))
    if grade:
        query = query.where(business.c.grade == values.text("grade", grade, longest=LIMITS["grade"]))
    found = sorted(set(conn.execute(query).scalars()))
    if which and not found:
        raise Refusal("business.unknown", "business", business=which)
    return found


def population(conn: Connection) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The businesses as a sampling population: a header and (number, cells) rows, in code order."""
    rows = conn.execute(sa.select(business).order_by(business.c.credit_code)).mappings()
    return list(HEADER), [(i, [r["credit_code"], r["name"], r["industry"], r["grade"], r["contact"]]) for i, r in enumerate(rows, 2)]
