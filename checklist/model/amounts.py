"""Computed values: amounts (and other values, such as who reviews) worked out from declared facts.

An expression is data, evaluated here — never ``eval``:

    {fact: contract_amount}                    a declared number, text or date
    {const: 500, unit: 万元, title: 单个项目累计上限}
    {percent: 30}                              30%, dimensionless
    {text: 市级水行政主管部门}                  a text (a computed value need not be money)
    {mul: [e, …]}  {add: [e, …]}  {sub: [a, b]}  {min: [e, …]}  {max: [e, …]}
    {remaining: cap, less: granted}            a cumulative limit less what was already granted (never below 0)
    {lookup: table, key: e, column: name}      a cell of a catalog table, the row found by its key after NFKC
    {case: e, of: {label: e, …}}               the branch named by a text value (a band, a certificate type)
    {cond: [{if: rule, then: e}, …], else: e}  the first branch whose rule (rules.py) passes

Money is Decimal throughout. The logic is three-valued like the rules': a missing fact leaves the
value undecided and names the fact; a key not in its table fails the item (not in the 目录). Every
node keeps its working in Chinese, so a decision prints as
"支持金额 = min(合同金额 2,000万元 × 30%, 单个项目累计上限 500万元 − 已获支持 400万元) = 100万元".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from checklist.i18n import _
from checklist.model.catalog import nfkc
from checklist.model.rules import FAIL, NONE, PASS, UNDECIDED, UNITS, Quantity, Verdict, _show, rule_problems
from checklist.model.rules import evaluate as evaluate_rule

NA = "na"  # the item's condition (when) does not hold: the amount does not apply
CENT = Decimal("0.01")
OPS = ("fact", "const", "text", "percent", "mul", "add", "sub", "min", "max", "remaining", "lookup", "case", "cond")


@dataclass
class Value:
    """One node's result: a Quantity (a bare number has unit ""), a text, or None when undecided."""

    value: Quantity | str | None
    text: str  # the working, e.g. "合同金额 2,000万元 × 30%"
    notes: list[str] = field(default_factory=list)  # how branches and table rows were chosen
    missing: list[str] = field(default_factory=list)  # why it is undecided
    failed: list[str] = field(default_factory=list)  # why the item fails (a key not in its table)
    facts: dict[str, str] = field(default_factory=dict)


@dataclass
class Context:
    facts: dict[str, Any]
    declared: dict[str, dict]
    tables: dict[str, dict]
    on: dt.date


def money(q: Quantity) -> str:
    """2,000万元, 1,800元, 0.5万元: thousands separated, no trailing zeros."""
    d = q.value.normalize()
    text = f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,f}"
    return f"{text}{q.unit}"


def compute(spec: dict, ref: str, ctx: Context) -> Verdict:
    """Decide one computed item: its condition (``when``, a rule), then its value, with the working."""
    title, unit = spec["title"], spec.get("unit", "")
    where = spec.get("ref") or ref
    if "when" in spec:
        cond = evaluate_rule(spec["when"], ctx.facts, ctx.declared, ctx.on)
        if cond.outcome != PASS:
            outcome = NA if cond.outcome == FAIL else UNDECIDED
            verdict = Verdict(outcome, [f"{title}不适用：" + "；".join(cond.reasons)] if outcome == NA else cond.reasons, cond.facts)
            return verdict
    v = evaluate(spec["value"], ctx)
    if v.failed or v.value is None:
        return Verdict(FAIL if v.failed else UNDECIDED, v.failed or v.missing, v.facts)
    result: Quantity | str = v.value
    if isinstance(result, Quantity):
        converted = result.to(unit) if unit else result
        if converted is None:
            return Verdict(UNDECIDED, [f"{title}的单位 {result.unit} 无法换算为 {unit}"], v.facts)
        base = converted.to("元") if UNITS.get(converted.unit, ("",))[0] == "money" else None
        if base is not None:  # money: exact to the fen
            converted = Quantity(base.value.quantize(CENT, ROUND_HALF_UP), "元").to(converted.unit) or converted
        result = converted
    shown = money(result) if isinstance(result, Quantity) else result
    working = f"{title} = {v.text} = {shown}" if v.text != shown else f"{title} = {shown}"
    if v.notes:  # how the table rows and branches were chosen
        working += f"（{'；'.join(v.notes)}）"
    computed: dict[str, Any] = {"title": title, "working": working, "ref": where}
    if isinstance(result, Quantity):
        computed.update(value=f"{result.value.normalize():f}", unit=result.unit)
    else:
        computed.update(value=result, unit="")
    if v.notes:
        computed["notes"] = v.notes
    verdict = Verdict(PASS, [working, *v.notes], v.facts)
    verdict.computed = computed
    return verdict


def evaluate(e: dict, ctx: Context) -> Value:
    op = next(k for k in OPS if k in e)
    v = _HANDLERS[op](e, ctx)
    if e.get("title") and op not in ("fact", "const", "text", "percent", "lookup") and v.value is not None:
        v.text = f"{e['title']} {v.text}" if op in ("case", "cond") else f"{e['title']}（{v.text}）"
    return v


def _fact(e: dict, ctx: Context) -> Value:
    name = e["fact"]
    decl = ctx.declared.get(name, {})
    title = e.get("title") or decl.get("title", name)
    if name not in ctx.facts:
        return Value(None, title, missing=[f"未申报“{decl.get('title', name)}”"])
    value = ctx.facts[name]
    shown = _show(value)
    if isinstance(value, Quantity):
        shown = money(value) if UNITS.get(value.unit, ("",))[0] == "money" else str(value)
    elif value is NONE or isinstance(value, (bool, dt.date, set, frozenset)):
        value = shown
    return Value(value, f"{title} {shown}", facts={name: shown})


def _const(e: dict, ctx: Context) -> Value:
    q = Quantity(Decimal(str(e["const"])), e.get("unit", ""))
    shown = money(q) if q.unit else f"{q.value.normalize():f}"
    return Value(q, f"{e['title']} {shown}" if e.get("title") else shown)


def _text(e: dict, ctx: Context) -> Value:
    return Value(e["text"], e["text"])


def _percent(e: dict, ctx: Context) -> Value:
    p = Decimal(str(e["percent"]))
    shown = f"{p.normalize():f}%"
    return Value(Quantity(p / 100, ""), f"{e['title']} {shown}" if e.get("title") else shown)


def _parts(e: dict, op: str, ctx: Context) -> tuple[list[Value], Value | None]:
    """The operands, or a Value carrying why they cannot be combined."""
    parts = [evaluate(x, ctx) for x in e[op]]
    merged = Value(
        None, "", [n for p in parts for n in p.notes], [m for p in parts for m in p.missing], [f for p in parts for f in p.failed]
    )
    merged.facts = {k: v for p in parts for k, v in p.facts.items()}
    if merged.failed or merged.missing:
        return parts, merged
    if any(not isinstance(p.value, Quantity) for p in parts):
        merged.missing.append(f"{'、'.join(p.text for p in parts if not isinstance(p.value, Quantity))} 不是数值，无法计算")
        return parts, merged
    return parts, None


def _combine(e: dict, op: str, ctx: Context) -> Value:
    parts, bad = _parts(e, op, ctx)
    if bad:
        return bad
    qs = [p.value for p in parts if isinstance(p.value, Quantity)]
    notes, facts = [n for p in parts for n in p.notes], {k: v for p in parts for k, v in p.facts.items()}
    if op == "mul":
        units = [q.unit for q in qs if q.unit]
        if len(units) > 1:
            return Value(None, "", notes, [f"不能将 {' 与 '.join(units)} 相乘"], facts=facts)
        product = Decimal(1)
        for q in qs:
            product *= q.value
        return Value(Quantity(product, units[0] if units else ""), " × ".join(_wrap(p) for p in parts), notes, facts=facts)
    unit = next((q.unit for q in qs if q.unit), "")
    same = [q.to(unit) if q.unit else Quantity(q.value, unit) for q in qs]
    if any(s is None for s in same):
        return Value(None, "", notes, [f"单位 {'、'.join(q.unit for q in qs)} 无法换算"], facts=facts)
    values = [s.value for s in same if s is not None]
    if op == "add":
        return Value(Quantity(sum(values, Decimal(0)), unit), " + ".join(p.text for p in parts), notes, facts=facts)
    if op == "sub":
        return Value(Quantity(values[0] - sum(values[1:], Decimal(0)), unit), " − ".join(_wrap(p) for p in parts), notes, facts=facts)
    pick = min(values) if op == "min" else max(values)
    return Value(Quantity(pick, unit), f"{op}({', '.join(p.text for p in parts)})", notes, facts=facts)


def _wrap(v: Value) -> str:
    """Operands that are sums or differences are bracketed inside a product."""
    return f"({v.text})" if (" + " in v.text or " − " in v.text) and not v.text.startswith(("min(", "max(")) else v.text


def _remaining(e: dict, ctx: Context) -> Value:
    v = _combine({"sub": [e["remaining"], e["less"]]}, "sub", ctx)
    if isinstance(v.value, Quantity) and v.value.value < 0:
        v.notes.append(f"{v.text} 小于0，按0计")
        v.value = Quantity(Decimal(0), v.value.unit)
    return v


def _lookup(e: dict, ctx: Context) -> Value:
    table = ctx.tables[e["lookup"]]
    key = evaluate(e["key"], ctx)
    if key.value is None or key.failed:
        return key
    wanted = nfkc(str(key.value.value if isinstance(key.value, Quantity) else key.value))
    row = find_row(table, wanted)
    if row is None:
        key.value = None
        key.failed.append(f"{key.text} 不在{table['title']}中")
        return key
    column = e["column"]
    cell = row[table["columns"].index(column)]
    unit = table.get("units", {}).get(column)
    label = " ".join(str(row[table["columns"].index(k)]) for k in table["keys"] if row[table["columns"].index(k)] not in (None, ""))
    where = f"{table['ref']}第{row[0]}项" if table["columns"][0] == "序号" else table["ref"]
    if unit:
        q = Quantity(Decimal(str(cell)), unit)
        return Value(q, f"{label} {column} {money(q)}", key.notes, facts=key.facts)
    key.notes.append(f"{where} {label}：{column} {cell}")
    return Value(str(cell), str(cell), key.notes, facts=key.facts)


def find_row(table: dict, wanted: str) -> list | None:
    """The row whose key cell (any of ``keys``) or an alias of it equals ``wanted`` after NFKC."""
    aliases = {nfkc(k): nfkc(v) for k, v in table.get("aliases", {}).items()}
    wanted = aliases.get(wanted, wanted)
    idx = [table["columns"].index(k) for k in table["keys"]]
    return next((r for r in table["rows"] if any(nfkc(str(r[i])) == wanted for i in idx)), None)


def _case(e: dict, ctx: Context) -> Value:
    on = evaluate(e["case"], ctx)
    if on.value is None or on.failed:
        return on
    label = nfkc(str(on.value))
    branches = {nfkc(k): k for k in e["of"]}
    if label not in branches:
        on.value = None
        on.failed.append(f"{on.text} 不属于 {'、'.join(e['of'])}")
        return on
    v = evaluate(e["of"][branches[label]], ctx)
    v.notes = on.notes + v.notes
    v.facts = {**on.facts, **v.facts}
    return v


def _cond(e: dict, ctx: Context) -> Value:
    notes: list[str] = []
    facts: dict[str, str] = {}
    for branch in e["cond"]:
        verdict = evaluate_rule(branch["if"], ctx.facts, ctx.declared, ctx.on)
        facts.update(verdict.facts)
        if verdict.outcome == UNDECIDED:
            return Value(None, "", notes, verdict.reasons, facts=facts)
        if verdict.outcome == PASS:
            v = evaluate(branch["then"], ctx)
            v.notes = notes + [f"属于{branch['title']}" if branch.get("title") else "；".join(verdict.reasons)] + v.notes
            v.facts = {**facts, **v.facts}
            return v
        if branch.get("title"):
            notes.append(f"不属于{branch['title']}")
    v = evaluate(e["else"], ctx)
    v.notes = notes + v.notes
    v.facts = {**facts, **v.facts}
    return v


_HANDLERS = {
    "fact": _fact,
    "const": _const,
    "text": _text,
    "percent": _percent,
    "mul": lambda e, ctx: _combine(e, "mul", ctx),
    "add": lambda e, ctx: _combine(e, "add", ctx),
    "sub": lambda e, ctx: _combine(e, "sub", ctx),
    "min": lambda e, ctx: _combine(e, "min", ctx),
    "max": lambda e, ctx: _combine(e, "max", ctx),
    "remaining": _remaining,
    "lookup": _lookup,
    "case": _case,
    "cond": _cond,
}


# --- checking expressions when a catalog is validated ------------------------------------------


def compute_problems(spec: Any, declared: dict[str, Any], tables: dict[str, Any]) -> list[tuple[tuple, str]]:
    """What is wrong with a computed item given the catalog's facts and tables: (path, message)."""
    if not isinstance(spec, dict):
        return []
    out = [(("when",) + p, m) for p, m in rule_problems(spec.get("when"), declared)]
    unit = spec.get("unit")
    if isinstance(unit, str) and unit and unit not in UNITS:
        out.append((("unit",), _("unknown unit {unit!r}; known: {known}").format(unit=unit, known=", ".join(UNITS))))
    return out + [(("value",) + p, m) for p, m in expression_problems(spec.get("value"), declared, tables)]


def expression_problems(e: Any, declared: dict[str, Any], tables: dict[str, Any]) -> list[tuple[tuple, str]]:
    if not isinstance(e, dict):
        return []
    sub = lambda key, x: [((key,) + p, m) for p, m in expression_problems(x, declared, tables)]  # noqa: E731
    out: list[tuple[tuple, str]] = []
    if isinstance(e.get("fact"), str) and e["fact"] not in declared:
        out.append((("fact",), _("fact {name!r} is not declared under facts").format(name=e["fact"])))
    if isinstance(e.get("const"), (int, float)) and e.get("unit") and e["unit"] not in UNITS:
        out.append((("unit",), _("unknown unit {unit!r}; known: {known}").format(unit=e["unit"], known=", ".join(UNITS))))
    for op in ("mul", "add", "sub", "min", "max"):
        for i, x in enumerate(e.get(op) or () if isinstance(e.get(op), list) else ()):
            out += [((op, i) + p, m) for p, m in expression_problems(x, declared, tables)]
    if "remaining" in e:
        out += sub("remaining", e["remaining"]) + sub("less", e.get("less"))
    if "lookup" in e:
        table = tables.get(e["lookup"])
        if not isinstance(table, dict):
            out.append((("lookup",), _("unknown table {table!r}: declare it under tables").format(table=e["lookup"])))
        elif e.get("column") not in (table.get("columns") or ()):
            out.append((("column",), _("table {table!r} has no column {column!r}").format(table=e["lookup"], column=e.get("column"))))
        out += sub("key", e.get("key"))
    if "case" in e:
        out += sub("case", e["case"])
        for label, x in (e.get("of") or {}).items() if isinstance(e.get("of"), dict) else ():
            out += [(("of", label) + p, m) for p, m in expression_problems(x, declared, tables)]
    if isinstance(e.get("cond"), list):
        for i, branch in enumerate(e["cond"]):
            if isinstance(branch, dict):
                out += [(("cond", i, "if") + p, m) for p, m in rule_problems(branch.get("if"), declared)]
                out += [(("cond", i, "then") + p, m) for p, m in expression_problems(branch.get("then"), declared, tables)]
        out += sub("else", e.get("else"))
    return out


def table_problems(name: str, table: Any) -> list[tuple[tuple, str]]:
    """Every row as wide as the header, keys among the columns, key cells unique, number cells numbers."""
    if not isinstance(table, dict) or not isinstance(table.get("columns"), list) or not isinstance(table.get("rows"), list):
        return []
    cols: list = table["columns"]
    out: list[tuple[tuple, str]] = []
    seen: dict[str, int] = {}
    keys: list = table["keys"] if isinstance(table.get("keys"), list) else []
    out += [(("keys",), _("key {key!r} is not a column of table {table!r}").format(key=k, table=name)) for k in keys if k not in cols]
    units: dict = table["units"] if isinstance(table.get("units"), dict) else {}
    out += [(("units", c), _("{column!r} is not a column of table {table!r}").format(column=c, table=name)) for c in units if c not in cols]
    for i, row in enumerate(table["rows"]):
        if not isinstance(row, list) or len(row) != len(cols):
            out.append(
                (
                    ("rows", i),
                    _("row has {cells} cells; the table has {columns} columns").format(
                        cells=len(row) if isinstance(row, list) else 0, columns=len(cols)
                    ),
                )
            )
            continue
        for c, u in units.items():
            if c in cols and not isinstance(row[cols.index(c)], (int, float)):
                out.append((("rows", i, cols.index(c)), _("{column} is a number in {unit}").format(column=c, unit=u)))
        for k in keys:
            if k in cols and row[cols.index(k)] not in (None, ""):
                cell = nfkc(str(row[cols.index(k)]))
                if cell in seen:
                    out.append(
                        (("rows", i, cols.index(k)), _("{cell} is already the key of row {row}").format(cell=cell, row=seen[cell] + 1))
                    )
                seen.setdefault(cell, i)
    return out
