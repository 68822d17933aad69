"""Risk-point files: YAML (``points:``), or a CSV/XLSX sheet with a header row of Chinese titles,
one point per row. One set of checks serves both — the method known, every factor a value its
table allows, every accident type one of GB 6441's, a changed control level given its reason —
and every problem names its place: ``path:line:col`` in YAML, ``file[sheet]:row:col`` in sheets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from checklist.errors import ChecklistError, InputFileError, InvalidFileError, Problem
from checklist.files.kinds import cross_check, detect_kind
from checklist.files.loader import Document, load, text_problem
from checklist.files.schemas import schema_problems
from checklist.files.spreadsheet import read_table
from checklist.i18n import _
from checklist.model.catalog import nfkc
from checklist.risk.methods import Methods, load_methods, number, shown

# Sheet column titles (after NFKC) -> field; factor columns are titled by the factor's symbol (L, E, C, S).
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "风险点编号", "序号", "id"),
    "name": ("风险点", "风险点名称", "名称", "name"),
    "location": ("位置", "所在位置", "区域位置", "location"),
    "unit": ("单位", "部门", "责任部门", "所属单位", "unit"),
    "activity": ("作业活动", "activity"),
    "equipment": ("设备设施", "equipment"),
    "hazards": ("危险因素", "主要危险因素", "危险有害因素", "hazards"),
    "accidents": ("事故类型", "可能导致的事故类型", "accidents"),
    "method": ("评价方法", "方法", "method"),
    "measures": ("管控措施", "现有管控措施", "measures"),
    "control_level": ("管控层级", "control_level"),
    "control_reason": ("调整理由", "层级调整理由", "control_reason"),
    "owner": ("责任人", "owner"),
    "emergency": ("应急处置措施", "应急处置", "emergency"),
    "emergency_numbers": ("应急电话", "emergency_numbers"),
}
REQUIRED = ("id", "name", "location", "unit", "hazards", "accidents", "method", "measures", "owner", "emergency")
_SPLIT = re.compile(r"[、,，;；/\n]+")


@dataclass
class RiskPoint:
    id: str
    name: str
    location: str
    unit: str
    hazards: str
    accidents: list[str]  # canonical GB 6441 names
    method: str  # method id
    factors: dict[str, Decimal]  # symbol -> value, in the method's order
    measures: str
    owner: str
    emergency: str
    activity: str = ""
    equipment: str = ""
    control_level: str | None = None  # an override; None: derived from the level
    control_reason: str = ""
    emergency_numbers: list[str] = field(default_factory=list)
    source: str = ""  # file:line, or file[sheet]:row


@dataclass
class PointFile:
    path: str
    organisation: str
    emergency_numbers: list[str]
    points: list[RiskPoint]
    methods: Methods


Field = tuple  # ("factors", "L"), ("accidents", 1), ("method",) …


def point_problems(raw: dict, methods: Methods) -> tuple[RiskPoint | None, list[tuple[Field, str]]]:
    """A point (from YAML or a sheet row) as a RiskPoint, or every reason it is not one, by field."""
    out: list[tuple[Field, str]] = []
    method = methods.method(str(raw.get("method", "")))
    if method is None:
        out.append(
            (("method",), _("unknown method {method!r}; known: {known}").format(method=raw.get("method"), known="、".join(methods.methods)))
        )
    factors: dict[str, Decimal] = {}
    given = raw.get("factors") or {}
    if method is not None:
        symbols = {f.symbol.upper(): f for f in method.factors}
        for sym, value in given.items():
            factor = symbols.get(nfkc(str(sym)).strip().upper())
            if factor is None:
                out.append(
                    (
                        ("factors", sym),
                        _("{symbol} is not a factor of {method} ({formula})").format(symbol=sym, method=method.id, formula=method.formula),
                    )
                )
                continue
            try:
                v = number(nfkc(str(value)).strip()) if not isinstance(value, bool) else None
            except InvalidOperation:
                v = None
            if v is None or not v.is_finite():
                out.append((("factors", sym), _("{symbol}: {value!r} is not a number").format(symbol=factor.symbol, value=value)))
            elif v not in factor.values:
                allowed = "、".join(shown(x) for x in factor.values)
                out.append(
                    (
                        ("factors", sym),
                        _("{symbol} = {value} is not in the {method} table ({name}: {allowed})").format(
                            symbol=factor.symbol, value=shown(v), method=method.id, name=factor.name, allowed=allowed
                        ),
                    )
                )
            else:
                factors[factor.symbol] = v
        missing = [f.symbol for f in method.factors if f.symbol not in factors and not any(p[0][:1] == ("factors",) for p in out)]
        if missing:
            out.append(
                (
                    ("factors",),
                    _("{method} needs {missing} ({formula})").format(method=method.id, missing="、".join(missing), formula=method.formula),
                )
            )
    accidents = []
    for k, name in enumerate(raw.get("accidents") or []):
        canonical = methods.accident(str(name))
        if canonical is None:
            out.append(
                (
                    ("accidents", k),
                    _("{name!r} is not a GB 6441 accident type ({known})").format(name=name, known="、".join(methods.accident_types)),
                )
            )
        else:
            accidents.append(canonical)
    control = raw.get("control_level")
    if control is not None and nfkc(str(control)).strip() not in methods.control_levels:
        out.append(
            (
                ("control_level",),
                _("管控层级 {level!r} is not one of {known}").format(level=control, known="、".join(methods.control_levels)),
            )
        )
        control = None
    elif control is not None:
        control = nfkc(str(control)).strip()
    if not raw.get("activity") and not raw.get("equipment"):
        out.append(((), _("give the activity (作业活动) or the equipment (设备设施), or both")))
    reason = str(raw.get("control_reason") or "").strip()
    if method is not None and len(factors) == len(method.factors) and control and not reason:
        derived = methods.grade(method.id, factors)[2].control
        if control != derived:
            out.append(
                (
                    ("control_level",),
                    _(
                        "管控层级 {level} differs from {derived}, derived from the risk level: give the reason (control_reason / 调整理由)"
                    ).format(level=control, derived=derived),
                )
            )
    if out or method is None:
        return None, out
    return RiskPoint(
        id=nfkc(str(raw["id"])).strip(),
        name=str(raw["name"]).strip(),
        location=str(raw["location"]).strip(),
        unit=nfkc(str(raw["unit"])).strip(),
        hazards=str(raw["hazards"]).strip(),
        accidents=list(dict.fromkeys(accidents)),
        method=method.id,
        factors={f.symbol: factors[f.symbol] for f in method.factors},
        measures=str(raw["measures"]).strip(),
        owner=str(raw["owner"]).strip(),
        emergency=str(raw["emergency"]).strip(),
        activity=str(raw.get("activity") or "").strip(),
        equipment=str(raw.get("equipment") or "").strip(),
        control_level=control,
        control_reason=reason,
        emergency_numbers=[str(n).strip() for n in raw.get("emergency_numbers") or []],
    ), []


def _duplicate_ids(ids: list[tuple[str, Any]]) -> list[tuple[Any, str]]:
    seen: dict[str, Any] = {}
    out = []
    for pid, where in ids:
        if pid in seen:
            out.append((where, _("duplicate id {id!r}: ids must be unique, hazards refer to them").format(id=pid)))
        seen.setdefault(pid, where)
    return out


# --- YAML ------------------------------------------------------------------------------------


def _checkable(raw: Any) -> bool:
    """A point the schema let through (the cross-check also runs on files the schema refused)."""
    return (
        isinstance(raw, dict)
        and all(isinstance(raw.get(k), (str, int)) and not isinstance(raw.get(k), bool) for k in REQUIRED if k != "accidents")
        and isinstance(raw.get("accidents"), list)
        and isinstance(raw.get("factors"), dict)
    )


def _yaml(doc: Document, methods: Methods) -> tuple[list[RiskPoint], list[Problem]]:
    points, problems = [], []
    data = doc.data.get("points") if isinstance(doc.data, dict) else None
    if not isinstance(data, list):
        return [], []
    for i, raw in enumerate(data):
        if not _checkable(raw):
            continue
        point, found = point_problems(raw, methods)
        problems += [doc.problem(("points", i, *f), msg, "risk-points") for f, msg in found]
        if point:
            point.source = f"{doc.path}:{doc.position(('points', i))[0]}"
            points.append(point)
    ids = [(nfkc(str(raw["id"])).strip(), i) for i, raw in enumerate(data) if isinstance(raw, dict) and "id" in raw]
    problems += [doc.problem(("points", i, "id"), msg, "risk-points") for i, msg in _duplicate_ids(ids)]
    return points, problems


def _methods_for(doc: Document, own: str | Path | None) -> Methods:
    if own is None and isinstance(doc.data, dict) and doc.data.get("methods_file"):
        own = Path(doc.path).parent / doc.data["methods_file"]
    return load_methods(own)


@cross_check("risk-points")
def check(doc: Document) -> list[Problem]:
    """A YAML risk-point file against the methods (bundled, or its ``methods_file``)."""
    try:
        methods = _methods_for(doc, None)
    except ChecklistError as e:
        return [doc.problem(("methods_file",), _("cannot use the methods file: {error}").format(error=e), "risk-points")]
    return _yaml(doc, methods)[1]


def _from_yaml(path: Path, own: str | Path | None) -> PointFile:
    doc = load(path)
    if detect_kind(doc).name != "risk-points":
        raise InvalidFileError(
            [Problem(doc.path, 1, 1, _("expected a risk-points file, found a {kind} file").format(kind=detect_kind(doc).name), "kind")]
        )
    problems = schema_problems(doc, "risk-points.schema.json")
    if problems:
        raise InvalidFileError(problems)
    methods = _methods_for(doc, own)
    points, problems = _yaml(doc, methods)
    if problems:
        raise InvalidFileError(problems)
    d = doc.data
    return PointFile(doc.path, d.get("organisation", ""), list(d.get("emergency_numbers", [])), points, methods)


# --- sheets ----------------------------------------------------------------------------------


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _from_sheet(path: Path, own: str | Path | None) -> PointFile:
    methods = load_methods(own)
    where, rows = read_table(path)
    if not rows:
        raise InvalidFileError(
            [Problem(where, 1, 1, _("empty: the first row must hold the column titles (编号、风险点 …)"), "risk-points")]
        )
    header_line, header = rows[0]
    titles = {nfkc(a).lower(): name for name, aliases in COLUMNS.items() for a in aliases}
    symbols = {f.symbol.upper() for m in methods.methods.values() for f in m.factors}
    columns: dict[int, tuple[str, str]] = {}  # column -> ("field", name) or ("factor", symbol)
    problems = []
    for col, cell in enumerate(header, 1):
        key = nfkc(_text(cell)).lower()
        if not key:
            continue
        if key in titles:
            columns[col] = ("field", titles[key])
        elif key.upper().removesuffix("值") in symbols:
            columns[col] = ("factor", key.upper().removesuffix("值"))
        else:
            known = "、".join(a[0] for a in COLUMNS.values()) + "、" + "、".join(sorted(symbols))
            problems.append(
                Problem(
                    where,
                    header_line,
                    col,
                    _("unknown column {column!r}; the columns are {known}").format(column=_text(cell), known=known),
                    "risk-points",
                )
            )
    present = {name for kind, name in columns.values() if kind == "field"}
    for name in REQUIRED:
        if name not in present:
            problems.append(Problem(where, header_line, 1, _("no {column} column").format(column=COLUMNS[name][0]), "risk-points"))
    if problems:
        raise InvalidFileError(problems)
    points, ids = [], []
    for line, row in rows[1:]:
        if all(_text(c) == "" for c in row):
            continue
        raw: dict[str, Any] = {"factors": {}}
        place: dict[str, int] = {"factors": min((c for c, (k, _) in columns.items() if k == "factor"), default=1)}
        for col, (kind, name) in columns.items():
            text = _text(row[col - 1]) if col - 1 < len(row) else ""
            why = text_problem(text) if text else None  # what a YAML file's loader refuses, a cell may not hold either
            if why:
                problems.append(Problem(where, line, col, f"{COLUMNS[name][0] if kind == 'field' else name}: {why}", "characters"))
            if kind == "factor":
                place[name] = col
                if text:
                    raw["factors"][name] = text
                continue
            place[name] = col
            if text:
                raw[name] = [x.strip() for x in _SPLIT.split(text) if x.strip()] if name in ("accidents", "emergency_numbers") else text
        for name in REQUIRED:
            if name not in raw:
                problems.append(Problem(where, line, place[name], _("{column} is empty").format(column=COLUMNS[name][0]), "risk-points"))
        if any(name not in raw for name in REQUIRED):
            continue
        point, found = point_problems(raw, methods)
        problems += [Problem(where, line, _column(f, place), f"{_title(f)}: {msg}", "risk-points") for f, msg in found]
        if point:
            point.source = f"{where}:{line}"
            points.append(point)
        ids.append((nfkc(raw["id"]).strip(), (line, place["id"])))
    problems += [Problem(where, line, col, msg, "risk-points") for (line, col), msg in _duplicate_ids(ids)]
    if problems:
        raise InvalidFileError(sorted(problems, key=lambda p: (p.line, p.column)))
    if not points:
        raise InvalidFileError([Problem(where, header_line + 1, 1, _("no risk points below the column titles"), "risk-points")])
    return PointFile(where, "", [], points, methods)


def _column(f: Field, place: dict[str, int]) -> int:
    if not f:
        return place.get("activity", place.get("equipment", 1))
    if f[0] == "factors" and len(f) > 1:
        return place.get(nfkc(str(f[1])).upper(), place["factors"])
    return place.get(f[0], 1)


def _title(f: Field) -> str:
    if not f:
        return "作业活动/设备设施"
    if f[0] == "factors":
        return str(f[1]) if len(f) > 1 else "评价因子"
    return COLUMNS[f[0]][0]


def load_points(path: str | Path, methods_file: str | Path | None = None) -> PointFile:
    """Risk points from a YAML file or a CSV/XLSX sheet, every one checked, or every problem raised."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _from_yaml(path, methods_file)
    if suffix in (".csv", ".xlsx"):
        return _from_sheet(path, methods_file)
    raise InputFileError(_("risk points must be a .yaml, .csv or .xlsx file"), path=str(path))
