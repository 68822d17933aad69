"""The rule engine: every operator's truth table, missing facts, unit conversion and mismatch,
three-valued all/any/not, and kinds that inherit requirements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from paths import EXAMPLES

from checklist.model.library import load_catalog
from checklist.model.rules import FAIL, NONE, PASS, UNDECIDED, Quantity, evaluate, parse_quantity

ON = dt.date(2026, 11, 20)
CAT = str(EXAMPLES / "catalog" / "valid" / "rules.yaml")


@pytest.fixture(scope="module")
def cat():
    return load_catalog(CAT)


def q(text):
    return parse_quantity(text)


def run(cat, rule, **facts):
    return evaluate(rule, facts, cat.facts, ON)


AREA = {"fact": "floor_area", "op": ">=", "value": 100, "unit": "平方米"}
NUMERIC = [
    (">=", "100平方米", PASS),
    (">=", "99.5平方米", FAIL),
    (">", "100平方米", FAIL),
    (">", "101平方米", PASS),
    ("<=", "100平方米", PASS),
    ("<=", "100.1平方米", FAIL),
    ("<", "99平方米", PASS),
    ("<", "100平方米", FAIL),
    ("==", "100平方米", PASS),
    ("==", "101平方米", FAIL),
    ("!=", "101平方米", PASS),
    ("!=", "100平方米", FAIL),
    (">=", "0.0001平方公里", PASS),  # converted: 100 平方米
    (">=", "0.00009平方公里", FAIL),
]


@pytest.mark.parametrize("op, value, outcome", NUMERIC)
def test_numeric_operators(cat, op, value, outcome):
    assert run(cat, dict(AREA, op=op), floor_area=q(value)).outcome == outcome


@pytest.mark.parametrize("value, outcome", [("2年", PASS), ("1 年", FAIL), ("24个月", PASS), ("23个月", FAIL), ("3", PASS)])
def test_years_and_months_convert(cat, value, outcome):
    rule = {"fact": "record_retention", "op": ">=", "value": 2, "unit": "年"}
    fact = parse_quantity(value, "年")
    assert run(cat, rule, record_retention=fact).outcome == outcome


@pytest.mark.parametrize("value, outcome", [("200万元", PASS), ("2000000元", PASS), ("1999999元", FAIL), ("0.02亿元", PASS)])
def test_money_converts(cat, value, outcome):
    rule = {"fact": "investment_3y", "op": ">=", "value": 200, "unit": "万元"}
    assert run(cat, rule, investment_3y=q(value)).outcome == outcome


def test_unit_mismatch_is_undecided_never_a_pass(cat):
    v = run(cat, AREA, floor_area=q("120人"))
    assert v.outcome == UNDECIDED
    assert "单位与要求的 平方米 不一致" in v.reasons[0]
    assert run(cat, {"not": AREA}, floor_area=q("120人")).outcome == UNDECIDED


def test_missing_fact_is_undecided(cat):
    v = run(cat, AREA)
    assert v.outcome == UNDECIDED and v.reasons == ["未申报“建筑面积”"]
    assert run(cat, {"not": AREA}).outcome == UNDECIDED


def test_integer_and_boolean(cat):
    staff = {"fact": "staff", "op": ">=", "value": 3}
    assert run(cat, staff, staff=3).outcome == PASS and run(cat, staff, staff=2).outcome == FAIL
    lic = {"fact": "licensed", "op": "==", "value": True}
    assert run(cat, lic, licensed=True).outcome == PASS and run(cat, lic, licensed=False).outcome == FAIL
    assert run(cat, dict(lic, op="!="), licensed=False).outcome == PASS


COVERS = {"fact": "districts", "op": "covers", "value": ["东城", "西城", "朝阳", "海淀", "丰台", "石景山"]}


@pytest.mark.parametrize(
    "have, outcome",
    [
        ({"东城", "西城", "朝阳", "海淀", "丰台", "石景山"}, PASS),
        ({"东城", "西城", "朝阳", "海淀", "丰台", "石景山", "通州"}, PASS),  # 城六区及以上
        ({"东城", "西城"}, FAIL),
        (NONE, FAIL),
    ],
)
def test_covers(cat, have, outcome):
    v = run(cat, COVERS, districts=frozenset(have) if have is not NONE else NONE)
    assert v.outcome == outcome
    if have == {"东城", "西城"}:
        assert "缺少 朝阳、海淀、丰台、石景山" in v.reasons[0]


@pytest.mark.parametrize("have, outcome", [("执业医师", PASS), ("注册护士", PASS), ("其他", FAIL)])
def test_in(cat, have, outcome):
    rule = {"fact": "qualification", "op": "in", "value": ["执业医师", "注册护士"]}
    assert run(cat, rule, qualification=have).outcome == outcome


@pytest.mark.parametrize(
    "last, outcome",
    [
        (NONE, PASS),  # never had one
        (dt.date(2025, 11, 19), PASS),  # just over a year before the audit date
        (dt.date(2025, 11, 20), FAIL),  # exactly a year: within
        (dt.date(2026, 6, 1), FAIL),
    ],
)
def test_within_relative_to_the_audit_date(cat, last, outcome):
    rule = {"not": {"fact": "last_accident", "op": "within", "years": 1}}
    assert run(cat, rule, last_accident=last).outcome == outcome


THREE = [PASS, FAIL, UNDECIDED]
FACT_FOR = {PASS: q("200平方米"), FAIL: q("50平方米"), UNDECIDED: None}


def _with(outcome):
    return {} if FACT_FOR[outcome] is None else {"floor_area": FACT_FOR[outcome]}


@pytest.mark.parametrize("a", THREE)
@pytest.mark.parametrize("b", THREE)
def test_all_any_three_valued(cat, a, b):
    staff = {PASS: 5, FAIL: 1, UNDECIDED: None}[b]
    facts = dict(_with(a), **({} if staff is None else {"staff": staff}))
    r_a, r_b = AREA, {"fact": "staff", "op": ">=", "value": 3}
    both = run(cat, {"all": [r_a, r_b]}, **facts).outcome
    either = run(cat, {"any": [r_a, r_b]}, **facts).outcome
    assert both == (FAIL if FAIL in (a, b) else PASS if a == b == PASS else UNDECIDED)
    assert either == (PASS if PASS in (a, b) else FAIL if a == b == FAIL else UNDECIDED)


@pytest.mark.parametrize("a, expected", [(PASS, FAIL), (FAIL, PASS), (UNDECIDED, UNDECIDED)])
def test_not(cat, a, expected):
    assert run(cat, {"not": AREA}, **_with(a)).outcome == expected


def test_reasons_name_the_facts(cat):
    v = run(cat, AREA, floor_area=q("80平方米"))
    assert v.reasons == ["“建筑面积”为 80 平方米，要求 ≥ 100 平方米"]
    assert v.facts == {"floor_area": "80 平方米"}


def test_quantities():
    assert parse_quantity("１５０平方米") == Quantity(Decimal(150), "平方米")  # full-width digits
    assert parse_quantity("3", "人") == Quantity(Decimal(3), "人")
    assert parse_quantity("2年以上") == Quantity(Decimal(2), "年")
    with pytest.raises(ValueError, match="中的单位"):
        parse_quantity("3 furlongs")
    with pytest.raises(ValueError, match="不是带单位的数字"):
        parse_quantity("很多")


def test_kind_inherits_requirements_written_once(cat):
    center = {c.id for c in cat.clauses_for_kind("center")}
    assert center == {"B1", "B2", "C1"}
    assert {c.id for c in cat.clauses_for_kind("base")} == {"B1", "B2"}


def test_district_center_inherits_the_institution_requirements():
    cat = load_catalog("bj-elderly-care-providers")
    institution = {c.id for c in cat.clauses_for_kind("institution")}
    center = {c.id for c in cat.clauses_for_kind("district-center")}
    assert institution and institution < center
    assert all("institution" in c.kinds for c in cat.clauses if c.id in institution)
    assert not any("district-center" in c.kinds for c in cat.clauses if c.id in institution)  # not copied
