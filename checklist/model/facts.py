"""Facts targets declare about themselves — one YAML file, or one row each in a CSV or XLSX
sheet — parsed by the types the catalog declares, with every error at its line and column (or
sheet, row and column)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from checklist.errors import InputFileError, InvalidFileError, Problem, UsageError
from checklist.files.kinds import cross_check, load_valid
from checklist.files.loader import Document, read_text, text_problem
from checklist.files.schemas import data_problems
from checklist.files.spreadsheet import Unreadable, csv_rows, read_table
from checklist.i18n import _
from checklist.model.catalog import Catalog, nfkc
from checklist.model.library import load_catalog
from checklist.model.rules import NONE, Quantity, parse_quantity

# columns that describe the target rather than declare a fact
TARGET_COLUMNS = {
    "name": ("name", "名称", "单位名称", "机构名称", "企业名称"),
    "kind": ("kind", "类别", "类型"),
    "address": ("address", "地址"),
}
_TRUE = {"true", "yes", "y", "1", "是", "有", "具备", "已", "√", "✓"}
_FALSE = {"false", "no", "n", "0", "否", "无", "没有", "不具备", "未", "×", "✗"}
_NONE = {"无", "none", "没有", "—", "-"}
_SPLIT = re.compile(r"[、,，;；/\s]+")


@dataclass
class Declaration:
    """One target's declared facts."""

    target: dict  # name, and kind and address when given
    values: dict[str, Any]  # fact name -> parsed value (absent: not declared)
    shown: dict[str, str] = field(default_factory=dict)  # fact name -> value as declared
    source: str = ""  # where: file, or file and row


def parse(decl: dict, raw: Any) -> Any:
    """A declared value as the fact's type; ValueError with the reason when it cannot be."""
    kind = decl["type"]
    text = nfkc(str(raw)) if isinstance(raw, str) else raw
    if raw is None or (isinstance(text, str) and text.lower() in _NONE and kind in ("date", "set")):
        if kind in ("date", "set"):
            return NONE
        raise ValueError(_("无 (none) is only meaningful for dates and sets"))
    if kind == "number":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return _not_negative(_finite(raw, decl), decl)
        return _not_negative(parse_quantity(str(raw), decl.get("unit", "")), decl)
    if kind == "integer":
        if isinstance(raw, int) and not isinstance(raw, bool):
            _not_negative(Quantity(Decimal(raw), decl.get("unit", "")), decl)
            return raw
        if isinstance(raw, bool):
            raise ValueError(_("{value!r} is not a whole number").format(value=raw))
        q = _finite(raw, decl) if isinstance(raw, float) else parse_quantity(str(raw), decl.get("unit", ""))
        if q.value != q.value.to_integral_value():
            raise ValueError(_("{value!r} is not a whole number").format(value=raw))
        return int(_not_negative(q, decl).value)
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        if isinstance(text, str) and text.lower() in _TRUE:
            return True
        if isinstance(text, str) and text.lower() in _FALSE:
            return False
        raise ValueError(_("{value!r} is not yes/no (是/否)").format(value=raw))
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(text).strip())
        except ValueError as e:
            raise ValueError(_("{value!r} is not a date: write YYYY-MM-DD, or 无 for none").format(value=raw)) from e
    if kind == "set":
        items = raw if isinstance(raw, list) else [x for x in _SPLIT.split(str(text)) if x]
        items = [nfkc(str(x)) for x in items]
        if decl.get("values"):
            unknown = [x for x in items if x not in decl["values"]]
            if unknown:
                raise ValueError(_("{values} not among {allowed}").format(values="、".join(unknown), allowed="、".join(decl["values"])))
        return frozenset(items)
    value = str(raw).strip()
    if decl.get("values") and nfkc(value) not in decl["values"]:
        raise ValueError(_("{value!r} is not one of {allowed}").format(value=value, allowed="、".join(decl["values"])))
    return nfkc(value)


def _finite(raw: float, decl: dict) -> Quantity:
    """A number cell as a quantity; NaN and infinity (YAML .nan/.inf, a spreadsheet's overflow) are refused."""
    if not math.isfinite(raw):
        raise ValueError(_("{value!r} is not a finite number").format(value=raw))
    return Quantity(Decimal(str(raw)), decl.get("unit", ""))


def _not_negative(q: Quantity, decl: dict) -> Quantity:
    measure = Quantity(q.value, decl.get("unit", "")).measure() or q.measure()
    if q.value < 0 and measure:
        words = (
            _("{value} is negative, but a duration cannot be") if measure == "duration" else _("{value} is negative, but a count cannot be")
        )
        raise ValueError(words.format(value=q))
    return q


def fact_names(catalog: Catalog) -> dict[str, str]:
    """Column headers and keys a fact answers to (its name and its title, NFKC) -> its name."""
    names = {}
    for name, decl in catalog.facts.items():
        names[nfkc(name)] = name
        names[nfkc(decl.get("title", name))] = name
    return names


def load(path: str | Path, catalog: Catalog) -> list[Declaration]:
    """Declarations from a YAML facts file (one target) or a CSV/XLSX sheet (one per row)."""
    path = Path(path)
    if not catalog.facts:
        raise InputFileError(
            _("catalog {catalog} declares no facts: nothing could be decided from a facts file").format(catalog=catalog.id), path=str(path)
        )
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return [_from_yaml(path, catalog)]
    if suffix == ".csv":
        text, _encoding = read_text(path)
        return _from_rows(str(path), csv_rows(text, str(path)), catalog)
    if suffix == ".xlsx":
        return _from_xlsx(path, catalog)
    raise InputFileError(_("facts must be a .yaml, .csv or .xlsx file"), path=str(path))


def _from_yaml(path: Path, catalog: Catalog) -> Declaration:

    doc = load_valid(path, "facts")  # the schema, and check() below against the catalog it names
    if doc.data["catalog"] != catalog.id:
        raise InvalidFileError(
            [
                doc.problem(
                    ("catalog",),
                    _("facts for catalog {given!r}, but the audit is of {catalog!r}").format(given=doc.data["catalog"], catalog=catalog.id),
                    "facts",
                )
            ]
        )
    names = fact_names(catalog)
    values, shown = {}, {}
    for key, raw in doc.data["facts"].items():
        name = names[nfkc(key)]
        values[name], shown[name] = parse(catalog.facts[name], raw), _shown(raw)
    return Declaration(dict(doc.data["target"]), values, shown, str(path))


@cross_check("facts")
def check(doc: Document) -> list[Problem]:
    """A YAML facts file against its catalog: every key a declared fact, every value of its type."""

    d = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(d.get("catalog"), str) or not isinstance(d.get("facts"), dict):
        return []
    try:
        catalog = load_catalog(d["catalog"])
    except UsageError as e:
        return [doc.problem(("catalog",), e.message, "known-catalog")]
    names, problems = fact_names(catalog), []
    for key, raw in d["facts"].items():
        name = names.get(nfkc(key))
        if name is None:
            problems.append(
                doc.problem(
                    ("facts",),
                    _("unknown fact {fact!r}; catalog {catalog} declares: {known}").format(
                        fact=key, catalog=catalog.id, known=", ".join(catalog.facts) or _("none")
                    ),
                    "facts",
                    key=key,
                )
            )
            continue
        try:
            parse(catalog.facts[name], raw)
        except ValueError as e:
            problems.append(doc.problem(("facts", key), f"{key}: {e}", "facts"))
    return problems


def _from_xlsx(path: Path, catalog: Catalog) -> list[Declaration]:
    """The first sheet's rows, read by the one bounded reader (the XML inside parsed by defusedxml,
    so a workbook that declares XML entities, as an entity-expansion bomb does, is refused);
    formulas are read as formulas, to be refused: a cached result may be stale or absent."""
    where, rows = read_table(path, refuse_formulas=True)
    return _from_rows(where, rows, catalog)


def _cell_problem(cell: Any) -> str | None:
    """Why a cell cannot be read at all: a formula or error cell, or a hidden character in its text."""
    if isinstance(cell, Unreadable):
        return cell.why
    return text_problem(cell) if isinstance(cell, str) else None


def _from_rows(where: str, rows: Iterable[tuple[int, list[Any]]], catalog: Catalog) -> list[Declaration]:
    """Header row, then one target per row; every bad cell is reported, none stops the others."""
    names, problems = fact_names(catalog), []
    rows = iter(rows)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise InvalidFileError([Problem(where, 1, 1, _("empty: the first row must name the facts"), "facts")]) from None
    columns: list[tuple[str, str] | None] = []  # (role, name): role "target" or "fact"
    first: dict[tuple[str, str], int] = {}  # column given once only: by name or by title, not both
    for col, cell in enumerate(header, 1):
        why = _cell_problem(cell)
        if why:
            problems.append(Problem(where, header_line, col, _("column {column}: {why}").format(column=_letter(col), why=why), "facts"))
            columns.append(None)
            continue
        key = nfkc(str(cell)) if cell is not None else ""
        role = next((t for t, aliases in TARGET_COLUMNS.items() if key in map(nfkc, aliases)), None)
        column = ("target", role) if role else ("fact", names[key]) if key in names else None
        if column in first:
            was = first[column]
            problems.append(
                Problem(
                    where,
                    header_line,
                    col,
                    _("column {column} ({title}) repeats column {was} ({was_title}): both give {name}; keep one of them").format(
                        column=_letter(col), title=cell, was=_letter(was), was_title=header[was - 1], name=column[1]
                    ),
                    "facts",
                )
            )
            columns.append(None)
        elif column:
            first[column] = col
            columns.append(column)
        elif key:
            problems.append(
                Problem(
                    where,
                    header_line,
                    col,
                    _("column {column}: unknown fact {fact!r}; catalog {catalog} declares: {known}").format(
                        column=_letter(col), fact=cell, catalog=catalog.id, known=", ".join(catalog.facts)
                    ),
                    "facts",
                )
            )
            columns.append(None)
        else:
            columns.append(None)
    if not any(c == ("target", "name") for c in columns):
        problems.append(Problem(where, header_line, 1, _("no name column (name / 名称): each row must say whose facts they are"), "facts"))
    out = []
    for line, row in rows:
        if all(c is None or str(c).strip() == "" for c in row):
            continue
        target: dict[str, str] = {}
        values: dict[str, Any] = {}
        shown: dict[str, str] = {}
        for col, (cell, column) in enumerate(zip(row, columns, strict=False), 1):  # a short row leaves its last cells empty
            why = _cell_problem(cell)
            if why:
                problems.append(Problem(where, line, col, _("column {column}: {why}").format(column=_letter(col), why=why), "facts"))
                continue
            if column is None or cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            role, name = column
            if role == "target":
                target[name] = str(cell).strip()
                continue
            try:
                values[name] = parse(catalog.facts[name], cell)
                shown[name] = _shown(cell)
            except ValueError as e:
                message = _("column {column} ({title}): {why}").format(column=_letter(col), title=header[col - 1], why=e)
                problems.append(Problem(where, line, col, message, "facts"))
        if "name" not in target and any(c == ("target", "name") for c in columns):
            problems.append(Problem(where, line, 1, _("this row has no name"), "facts"))
        else:  # the rules a YAML facts file's target meets (length limits)
            for path, why in data_problems({"catalog": catalog.id, "target": target, "facts": {}}, "facts.schema.json"):
                col = first.get(("target", str(path[-1])), 1)
                message = _("column {column} ({title}): {why}").format(column=_letter(col), title=header[col - 1], why=why)
                problems.append(Problem(where, line, col, message, "facts"))
        out.append(Declaration(target, values, shown, f"{where}:{line}"))
    if problems:
        raise InvalidFileError(problems)
    return out


def _letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _shown(raw: Any) -> str:
    if isinstance(raw, list):
        return "、".join(map(str, raw))
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.isoformat()[:10]
    if isinstance(raw, bool):
        return "是" if raw else "否"
    return "无" if raw is None else str(raw)
