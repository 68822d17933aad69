"""Rules over declared facts: a check decided without an inspector, and the facts that decided it.

Rules are data (``{fact: record_retention, op: ">=", value: 2, unit: 年}``, ``all``/``any``/``not``),
evaluated here by a small interpreter — never ``eval``. The logic is three-valued: a fact that was
not declared, or a number in a unit that cannot be converted, leaves the rule *undecided*, and an
undecided check is left for the inspector: nothing passes by default.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from checklist.dates import add_days, add_months, iso_date
from checklist.i18n import _

PASS, FAIL, UNDECIDED = "pass", "fail", "undecided"


class _None:
    """A fact declared as "none" (无): no such date, an empty set. Different from not declared."""

    def __repr__(self) -> str:
        return "无"


NONE = _None()

# unit -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, Decimal]] = {
    "元": ("money", Decimal(1)),
    "万元": ("money", Decimal(10_000)),
    "亿元": ("money", Decimal(100_000_000)),
    "平方米": ("area", Decimal(1)),
    "㎡": ("area", Decimal(1)),
    "m2": ("area", Decimal(1)),
    "平方公里": ("area", Decimal(1_000_000)),
    "人": ("people", Decimal(1)),
    "名": ("people", Decimal(1)),
    "年": ("months", Decimal(12)),
    "个月": ("months", Decimal(1)),
    "月": ("months", Decimal(1)),
    "天": ("days", Decimal(1)),
    "日": ("days", Decimal(1)),
    "学时": ("study-hours", Decimal(1)),
    "小时": ("hours", Decimal(1)),
    "个": ("count", Decimal(1)),
    "项": ("count", Decimal(1)),
    "家": ("count", Decimal(1)),
    "次": ("count", Decimal(1)),
    "件": ("count", Decimal(1)),
    "张": ("count", Decimal(1)),
    "台": ("count", Decimal(1)),
    "套": ("count", Decimal(1)),
    "立方米": ("volume", Decimal(1)),
    "万立方米": ("volume", Decimal(10_000)),
    "立方米每秒": ("flow", Decimal(1)),
}
# durations and counts: a negative value is a typing error, never a fact
NON_NEGATIVE = {
    "months": "duration",
    "days": "duration",
    "hours": "duration",
    "study-hours": "duration",
    "people": "count",
    "count": "count",
}
_QUANTITY = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(\S*?)\s*(?:以上|及以上)?\s*$")
NUMERIC_OPS = (">=", ">", "<=", "<")
OP_TEXT = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str  # "" when the fact declares none and the catalog's fact has none either

    def __str__(self) -> str:
        return f"{self.value.normalize():f}{' ' + self.unit if self.unit else ''}"

    def measure(self) -> str | None:
        """What the quantity measures when it cannot be negative ("duration" or "count"), else None."""
        dimension = UNITS.get(self.unit, ("", Decimal(1)))[0]
        return NON_NEGATIVE.get(dimension)

    def to(self, unit: str) -> Quantity | None:
        """This quantity in ``unit``; None when the two units measure different things."""
        if unit == self.unit or not unit or not self.unit:
            return Quantity(self.value, unit or self.unit)
        a, b = UNITS.get(self.unit), UNITS.get(unit)
        if a is None or b is None or a[0] != b[0]:
            return None
        return Quantity(self.value * a[1] / b[1], unit)


def parse_quantity(text: str, default_unit: str = "") -> Quantity:
    """ "150平方米", "1 年", "１２个月" (full-width digits too), or a bare number in ``default_unit``."""
    m = _QUANTITY.match(unicodedata.normalize("NFKC", text))
    if not m:
        raise ValueError(_("{text!r} is not a number with a unit").format(text=text))
    unit = m.group(2) or default_unit
    if unit and unit not in UNITS and unit != default_unit:
        raise ValueError(_("unknown unit {unit!r} in {text!r}; known: {known}").format(unit=unit, text=text, known=", ".join(UNITS)))
    return Quantity(Decimal(m.group(1)), unit)


@dataclass
class Verdict:
    outcome: str  # PASS, FAIL or UNDECIDED
    reasons: list[str] = field(default_factory=list)  # why, in Chinese, with the facts named
    facts: dict[str, Any] = field(default_factory=dict)  # the facts looked at: name -> value as shown
    computed: dict | None = None  # a computed value (amounts.py): title, value, unit, working, ref

    def as_dict(self) -> dict:
        d = {"outcome": self.outcome, "reasons": self.reasons, "facts": self.facts}
        if self.computed is not None:
            d["computed"] = self.computed
        return d


def evaluate(rule: dict, facts: dict[str, Any], declared: dict[str, dict], on: dt.date) -> Verdict:
    """Decide ``rule`` from ``facts`` (parsed values by name; absent = not declared) as of ``on``."""
    if "all" in rule or "any" in rule:
        parts = [evaluate(r, facts, declared, on) for r in rule.get("all") or rule["any"]]
        outcomes = {p.outcome for p in parts}
        if "all" in rule:
            outcome = FAIL if FAIL in outcomes else PASS if outcomes == {PASS} else UNDECIDED
        else:
            outcome = PASS if PASS in outcomes else FAIL if outcomes == {FAIL} else UNDECIDED
        relevant = [p for p in parts if p.outcome == outcome] or parts
        return Verdict(outcome, [r for p in relevant for r in p.reasons], {k: v for p in parts for k, v in p.facts.items()})
    if "not" in rule:
        inner = evaluate(rule["not"], facts, declared, on)
        flipped = {PASS: FAIL, FAIL: PASS}.get(inner.outcome, UNDECIDED)
        return Verdict(flipped, inner.reasons, inner.facts)
    return _compare(rule, facts, declared, on)


def _compare(rule: dict, facts: dict[str, Any], declared: dict[str, dict], on: dt.date) -> Verdict:
    name, op = rule["fact"], rule["op"]
    decl = declared.get(name, {})
    title = decl.get("title", name)
    if name not in facts:
        return Verdict(UNDECIDED, [f"未申报“{title}”"])
    value = facts[name]
    shown = _show(value)
    v = Verdict(UNDECIDED, facts={name: shown})

    def decide(ok: bool, text: str) -> Verdict:
        v.outcome = PASS if ok else FAIL
        v.reasons.append(f"“{title}”为 {shown}，{text}")
        return v

    if op == "within_after":
        return _within_after(rule, value, facts, declared, decide, v)
    if op == "within":
        span = _span(rule)
        if value is NONE:
            return decide(False, f"近{span}内没有")
        start = add_days(add_months(on, -rule.get("months", 0) - 12 * rule.get("years", 0)), -rule.get("days", 0))
        return decide(value >= start, f"{'在' if value >= start else '不在'}近{span}内（{start} 以来）")
    if op == "covers":
        covered = set() if value is NONE else set(value)
        missing = [x for x in rule["value"] if x not in covered]
        return decide(not missing, "已覆盖要求的全部范围" if not missing else f"缺少 {'、'.join(missing)}")
    if op == "in":
        items = set() if value is NONE else ({value} if isinstance(value, str) else set(value))
        ok = bool(items) and items <= set(rule["value"])
        return decide(ok, f"{'属于' if ok else '不属于'} {'、'.join(rule['value'])}")
    if value is NONE:
        v.reasons.append(f"“{title}”申报为 无，无法与要求比较")
        return v
    wanted = rule["value"]
    if isinstance(value, Quantity):
        unit = rule.get("unit") or decl.get("unit", "")
        have = value.to(unit)
        if have is None:
            v.reasons.append(f"“{title}”为 {shown}，单位与要求的 {unit} 不一致，无法比较")
            return v
        required = Quantity(Decimal(str(wanted)), unit)
        return decide(_holds(have.value, op, required.value), f"要求 {OP_TEXT[op]} {required}")
    if isinstance(value, dt.date):
        wanted = dt.date.fromisoformat(wanted)
    return decide(_holds(value, op, wanted), f"要求 {OP_TEXT[op]} {_show(wanted)}")


def _within_after(rule: dict, value: Any, facts: dict[str, Any], declared: dict[str, dict], decide: Any, v: Verdict) -> Verdict:
    """A date no earlier than another fact's date and within a span after it (申请日 within 一年 of 核发日)."""
    other = rule["of"]
    title = declared.get(other, {}).get("title", other)
    if other not in facts:
        v.reasons.append(f"未申报“{title}”")
        return v
    start = facts[other]
    v.facts[other] = _show(start)
    if value is NONE or start is NONE:
        v.reasons.append(f"“{title}”或本项申报为 无，无法比较")
        return v
    end = add_months(start, rule.get("months", 0) + 12 * rule.get("years", 0)) + dt.timedelta(days=rule.get("days", 0))
    ok = start <= value <= end
    return decide(ok, f"{'在' if ok else '不在'}“{title}” {start} 后{_span(rule)}内（{start} 至 {end}）")


def _holds(a: Any, op: str, b: Any) -> bool:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == ">=":
        return a >= b
    if op == ">":
        return a > b
    if op == "<=":
        return a <= b
    return a < b


def _span(rule: dict) -> str:
    return "".join(f"{rule[k]}{u}" for k, u in (("years", "年"), ("months", "个月"), ("days", "天")) if k in rule)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (set, frozenset, list, tuple)):
        return "、".join(sorted(value)) if isinstance(value, (set, frozenset)) else "、".join(value)
    return str(value)


# --- checking rules when a catalog is validated -------------------------------------------------


def rule_problems(rule: Any, declared: dict[str, Any]) -> list[tuple[tuple, str]]:
    """What is wrong with a rule given the catalog's fact declarations: (path within the rule, message)."""
    if not isinstance(rule, dict):
        return []
    for key in ("all", "any"):
        if isinstance(rule.get(key), list):
            return [((key, i) + p, m) for i, r in enumerate(rule[key]) for p, m in rule_problems(r, declared)]
    if "not" in rule:
        return [(("not",) + p, m) for p, m in rule_problems(rule["not"], declared)]
    name, op, value = rule.get("fact"), rule.get("op"), rule.get("value")
    if not isinstance(name, str) or not isinstance(op, str):
        return []
    decl = declared.get(name)
    if not isinstance(decl, dict):
        return [(("fact",), _("fact {name!r} is not declared under facts").format(name=name))]
    kind = decl.get("type")
    out: list[tuple[tuple, str]] = []
    if op in NUMERIC_OPS and kind not in ("number", "integer", "date"):
        out.append((("op",), _("{op} compares numbers or dates, but fact {name!r} is a {kind}").format(op=op, name=name, kind=kind)))
    if op == "covers" and kind != "set":
        out.append((("op",), _("covers needs a set fact, but {name!r} is a {kind}").format(name=name, kind=kind)))
    if op == "in" and kind not in ("text", "set"):
        out.append((("op",), _("in needs a text or set fact, but {name!r} is a {kind}").format(name=name, kind=kind)))
    other = declared.get(rule["of"]) if isinstance(rule.get("of"), str) else None
    if op == "within_after" and (kind != "date" or not isinstance(other, dict) or other.get("type") != "date"):
        out.append(
            (("of",), _("within_after compares two declared date facts: {name!r} and {other!r}").format(name=name, other=rule.get("of")))
        )
    if op in ("within", "within_after"):
        if kind != "date" and op == "within":
            out.append((("op",), _("within needs a date fact, but {name!r} is a {kind}").format(name=name, kind=kind)))
        if not any(k in rule for k in ("years", "months", "days")):
            out.append(((), _("within needs years, months or days")))
    elif "value" not in rule:
        out.append(((), _("{op} needs a value").format(op=op)))
    if op in ("covers", "in") and not isinstance(value, list):
        out.append((("value",), _("{op} needs a list of values").format(op=op)))
    if op in ("covers", "in") and isinstance(value, list) and decl.get("values"):
        unknown = [x for x in value if x not in decl["values"]]
        if unknown:
            out.append(
                (("value",), _("{values} not among the values of fact {name!r}").format(values="、".join(map(str, unknown)), name=name))
            )
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind in ("number", "integer") and op in NUMERIC_OPS + ("==", "!=") and not number:
        out.append((("value",), _("fact {name!r} is a number: compare it with a number").format(name=name)))
    if kind == "date" and op in NUMERIC_OPS + ("==", "!=") and iso_date(value) is None:
        out.append((("value",), _("fact {name!r} is a date: compare it with a date written YYYY-MM-DD").format(name=name)))
    if kind == "boolean" and op in ("==", "!=") and not isinstance(value, bool):
        out.append((("value",), _("fact {name!r} is a boolean: compare it with true or false").format(name=name)))
    unit = rule.get("unit")
    if unit is not None:
        if kind != "number":
            out.append((("unit",), _("a unit only applies to number facts, and {name!r} is a {kind}").format(name=name, kind=kind)))
        elif unit not in UNITS:
            out.append((("unit",), _("unknown unit {unit!r}; known: {known}").format(unit=unit, known=", ".join(UNITS))))
        elif decl.get("unit") and Quantity(Decimal(1), decl["unit"]).to(unit) is None:
            out.append(
                (
                    ("unit",),
                    _("{unit} cannot be compared with fact {name!r} in {fact_unit}").format(unit=unit, name=name, fact_unit=decl["unit"]),
                )
            )
    return out
