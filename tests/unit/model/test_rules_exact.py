"""The rule interpreter, value by value: each operator at its boundaries, `within` and
`within_after` spans in years, months and days (and their sum), all/any/not nested, the reasons and
facts a verdict carries word for word, quantities and their conversions, and where `rule_problems`
puts each problem. Written so that a changed operator, constant or message fails a test (mutation
testing: benchmarks/mutation.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from checklist.model.rules import (
    FAIL,
    NONE,
    PASS,
    UNDECIDED,
    Quantity,
    Verdict,
    _show,
    _span,
    evaluate,
    parse_quantity,
    rule_problems,
)


@pytest.fixture(autouse=True)
def english_msgids(monkeypatch):
    """These tests pin the messages' English source text (the msgids) word for word; the CLI tests
    check what a reader sees in the default language, and tests/project/test_messages.py that each
    has its Chinese translation."""
    monkeypatch.setenv("CHECKLIST_LANG", "en")


ON = dt.date(2026, 11, 20)
D = dt.date.fromisoformat
DECLARED = {
    "area": {"title": "面积", "type": "number", "unit": "平方米"},
    "staff": {"title": "人数", "type": "integer"},
    "money": {"title": "金额", "type": "number", "unit": "万元"},
    "flag": {"title": "标志", "type": "boolean"},
    "signed": {"title": "签订日期", "type": "date"},
    "issued": {"title": "核发日期", "type": "date"},
    "name": {"title": "名称", "type": "text"},
    "districts": {"title": "区", "type": "set", "values": ["东城", "西城", "朝阳"]},
    "bare": {"type": "number"},
}


def judge(rule: dict, **facts) -> Verdict:
    return evaluate(rule, facts, DECLARED, ON)


def sqm(text: str) -> Quantity:
    return Quantity(Decimal(text), "平方米")


# --- comparisons ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "have", "outcome"),
    [
        (">=", "10", PASS),
        (">=", "9.99", FAIL),
        (">", "10", FAIL),
        (">", "10.01", PASS),
        ("<=", "10", PASS),
        ("<=", "10.01", FAIL),
        ("<", "10", FAIL),
        ("<", "9.99", PASS),
        ("==", "10", PASS),
        ("==", "10.01", FAIL),
        ("!=", "10", FAIL),
        ("!=", "9.99", PASS),
    ],
)
def test_each_operator_at_its_boundary(op, have, outcome):
    v = judge({"fact": "area", "op": op, "value": 10}, area=sqm(have))
    assert v.outcome == outcome
    assert v.facts == {"area": f"{have} 平方米"}


def test_a_comparison_says_what_was_required_word_for_word():
    v = judge({"fact": "area", "op": ">=", "value": 100, "unit": "平方米"}, area=sqm("99.5"))
    assert v.reasons == ["“面积”为 99.5 平方米，要求 ≥ 100 平方米"]
    signs = {
        op: judge({"fact": "area", "op": op, "value": 1}, area=sqm("1")).reasons[0].split("要求 ")[1] for op in (">", "<=", "<", "==", "!=")
    }
    assert signs == {">": "> 1 平方米", "<=": "≤ 1 平方米", "<": "< 1 平方米", "==": "= 1 平方米", "!=": "≠ 1 平方米"}


def test_units_convert_exactly_before_comparing():
    rule = {"fact": "money", "op": ">=", "value": 200, "unit": "万元"}
    assert judge(rule, money=Quantity(Decimal("2000000"), "元")).outcome == PASS
    assert judge(rule, money=Quantity(Decimal("1999999.99"), "元")).outcome == FAIL
    assert judge(rule, money=Quantity(Decimal("0.02"), "亿元")).outcome == PASS
    # no unit on the rule: the fact's declared unit
    assert judge({"fact": "money", "op": "<", "value": 1}, money=Quantity(Decimal("9999"), "元")).outcome == PASS
    mismatch = judge(rule, money=Quantity(Decimal("5"), "人"))
    assert (mismatch.outcome, mismatch.reasons) == (UNDECIDED, ["“金额”为 5 人，单位与要求的 万元 不一致，无法比较"])


def test_a_fact_without_title_or_unit_is_named_by_its_key():
    v = judge({"fact": "bare", "op": ">", "value": 2}, bare=Quantity(Decimal("3"), ""))
    assert (v.outcome, v.reasons) == (PASS, ["“bare”为 3，要求 > 2"])
    undeclared = judge({"fact": "other", "op": "<", "value": 2}, other=Quantity(Decimal("3"), ""))
    assert (undeclared.outcome, undeclared.reasons) == (FAIL, ["“other”为 3，要求 < 2"])


def test_the_rule_s_unit_wins_over_the_fact_s():
    rule = {"fact": "money", "op": ">=", "value": 2000000, "unit": "元"}
    v = judge(rule, money=Quantity(Decimal("200"), "万元"))
    assert (v.outcome, v.reasons) == (PASS, ["“金额”为 200 万元，要求 ≥ 2000000 元"])
    assert judge(rule, money=Quantity(Decimal("199.9999"), "万元")).outcome == FAIL


def test_missing_and_none():
    assert judge({"fact": "area", "op": ">=", "value": 1}).as_dict() == {"outcome": UNDECIDED, "reasons": ["未申报“面积”"], "facts": {}}
    none = judge({"fact": "area", "op": ">=", "value": 1}, area=NONE)
    assert (none.outcome, none.reasons, none.facts) == (UNDECIDED, ["“面积”申报为 无，无法与要求比较"], {"area": "无"})
    assert repr(NONE) == "无"


def test_dates_booleans_and_text():
    assert judge({"fact": "signed", "op": ">=", "value": "2026-01-01"}, signed=D("2026-01-01")).outcome == PASS
    v = judge({"fact": "signed", "op": ">=", "value": "2026-01-01"}, signed=D("2025-12-31"))
    assert (v.outcome, v.reasons) == (FAIL, ["“签订日期”为 2025-12-31，要求 ≥ 2026-01-01"])
    assert judge({"fact": "signed", "op": "<=", "value": "2026-01-01"}, signed=D("2026-01-02")).outcome == FAIL
    b = judge({"fact": "flag", "op": "==", "value": True}, flag=False)
    assert (b.outcome, b.reasons, b.facts) == (FAIL, ["“标志”为 否，要求 = 是"], {"flag": "否"})
    assert judge({"fact": "flag", "op": "!=", "value": False}, flag=True).outcome == PASS
    assert judge({"fact": "name", "op": "==", "value": "甲"}, name="甲").outcome == PASS


@pytest.mark.parametrize(
    ("have", "outcome", "reason"),
    [
        ({"东城", "西城", "朝阳"}, PASS, "已覆盖要求的全部范围"),
        ({"朝阳", "东城"}, FAIL, "缺少 西城"),
        (NONE, FAIL, "缺少 东城、西城"),
    ],
)
def test_covers(have, outcome, reason):
    v = judge({"fact": "districts", "op": "covers", "value": ["东城", "西城"]}, districts=have)
    assert (v.outcome, v.reasons[0].split("，", 1)[1]) == (outcome, reason)


@pytest.mark.parametrize(
    ("have", "outcome"),
    [
        ("东城", PASS),
        ("海淀", FAIL),
        (frozenset({"东城", "西城"}), PASS),
        (frozenset({"东城", "海淀"}), FAIL),
        (NONE, FAIL),
        (frozenset(), FAIL),
    ],
)
def test_in(have, outcome):
    v = judge({"fact": "districts", "op": "in", "value": ["东城", "西城"]}, districts=have)
    assert v.outcome == outcome
    assert v.reasons[0].split("，", 1)[1] == ("属于 东城、西城" if outcome == PASS else "不属于 东城、西城")


# --- spans ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "start"),
    [
        ({"years": 1}, "2025-11-20"),
        ({"months": 6}, "2026-05-20"),
        ({"days": 10}, "2026-11-10"),
        ({"years": 1, "months": 2, "days": 3}, "2025-09-17"),
    ],
)
def test_within_counts_back_years_months_and_days_from_the_audit_date(span, start):
    rule = {"fact": "signed", "op": "within", **span}
    first = D(start)
    on_start = judge(rule, signed=first)
    assert on_start.outcome == PASS
    assert on_start.reasons == [f"“签订日期”为 {first}，在近{_span(rule)}内（{first} 以来）"]
    before = judge(rule, signed=first - dt.timedelta(days=1))
    assert before.outcome == FAIL and before.reasons[0].endswith(f"不在近{_span(rule)}内（{first} 以来）")
    assert judge(rule, signed=ON).outcome == PASS
    none = judge(rule, signed=NONE)
    assert (none.outcome, none.reasons) == (FAIL, [f"“签订日期”为 无，近{_span(rule)}内没有"])


def test_span_words():
    assert _span({"years": 2, "months": 3, "days": 4}) == "2年3个月4天"
    assert _span({"days": 7, "years": 1}) == "1年7天"
    assert _span({}) == ""


@pytest.mark.parametrize(
    ("span", "end"),
    [
        ({"years": 1}, "2027-03-01"),
        ({"months": 2}, "2026-05-01"),
        ({"days": 5}, "2026-03-06"),
        ({"years": 1, "months": 1, "days": 1}, "2027-04-02"),
    ],
)
def test_within_after_spans_from_the_other_date(span, end):
    rule = {"fact": "signed", "op": "within_after", "of": "issued", **span}
    issued = D("2026-03-01")
    last = D(end)
    at_end = judge(rule, signed=last, issued=issued)
    assert at_end.outcome == PASS
    assert at_end.reasons == [f"“签订日期”为 {last}，在“核发日期” {issued} 后{_span(rule)}内（{issued} 至 {last}）"]
    assert at_end.facts == {"signed": str(last), "issued": str(issued)}
    late = judge(rule, signed=last + dt.timedelta(days=1), issued=issued)
    assert late.outcome == FAIL and late.reasons[0].split("，", 1)[1].startswith("不在“核发日期”")
    assert judge(rule, signed=issued, issued=issued).outcome == PASS
    assert judge(rule, signed=issued - dt.timedelta(days=1), issued=issued).outcome == FAIL


def test_within_after_names_an_other_date_without_a_title_by_its_key():
    declared = dict(DECLARED, untitled={"type": "date"})
    rule = {"fact": "signed", "op": "within_after", "of": "untitled", "days": 1}
    v = evaluate(rule, {"signed": D("2026-01-02"), "untitled": D("2026-01-01")}, declared, ON)
    assert v.reasons == ["“签订日期”为 2026-01-02，在“untitled” 2026-01-01 后1天内（2026-01-01 至 2026-01-02）"]
    undeclared = {"fact": "signed", "op": "within_after", "of": "elsewhere", "days": 1}
    w = judge(undeclared, signed=D("2026-01-05"), elsewhere=D("2026-01-01"))
    assert (w.outcome, w.reasons[0]) == (FAIL, "“签订日期”为 2026-01-05，不在“elsewhere” 2026-01-01 后1天内（2026-01-01 至 2026-01-02）")
    assert judge(undeclared, signed=D("2026-01-05")).reasons == ["未申报“elsewhere”"]


def test_spans_inside_all_and_any_count_from_the_audit_date():
    recent = {"fact": "signed", "op": "within", "months": 1}
    assert judge({"all": [recent]}, signed=D("2026-10-20")).outcome == PASS
    assert judge({"any": [recent]}, signed=D("2026-10-19")).outcome == FAIL


def test_within_after_undecided():
    rule = {"fact": "signed", "op": "within_after", "of": "issued", "years": 1}
    missing = judge(rule, signed=D("2026-01-01"))
    assert (missing.outcome, missing.reasons) == (UNDECIDED, ["未申报“核发日期”"])
    for signed, issued in ((NONE, D("2026-01-01")), (D("2026-01-01"), NONE)):
        v = judge(rule, signed=signed, issued=issued)
        assert (v.outcome, v.reasons) == (UNDECIDED, ["“核发日期”或本项申报为 无，无法比较"])


# --- all / any / not, nested ------------------------------------------------------------------------

BIG = {"fact": "area", "op": ">=", "value": 100}
MANY = {"fact": "staff", "op": ">=", "value": 5}
OLD = {"fact": "signed", "op": "<", "value": "2026-01-01"}


def test_all_reports_the_failing_parts_only_and_every_fact():
    v = judge({"all": [BIG, MANY, OLD]}, area=sqm("150"), staff=Quantity(Decimal(3), ""), signed=D("2025-06-01"))
    assert v.outcome == FAIL
    assert v.reasons == ["“人数”为 3，要求 ≥ 5"]
    assert v.facts == {"area": "150 平方米", "staff": "3", "signed": "2025-06-01"}
    ok = judge({"all": [BIG, MANY]}, area=sqm("150"), staff=Quantity(Decimal(5), ""))
    assert ok.outcome == PASS and ok.reasons == ["“面积”为 150 平方米，要求 ≥ 100 平方米", "“人数”为 5，要求 ≥ 5"]
    open_ = judge({"all": [BIG, MANY]}, area=sqm("150"))
    assert (open_.outcome, open_.reasons) == (UNDECIDED, ["未申报“人数”"])


def test_any_reports_the_passing_parts_only():
    v = judge({"any": [BIG, MANY]}, area=sqm("50"), staff=Quantity(Decimal(6), ""))
    assert (v.outcome, v.reasons) == (PASS, ["“人数”为 6，要求 ≥ 5"])
    no = judge({"any": [BIG, MANY]}, area=sqm("50"), staff=Quantity(Decimal(1), ""))
    assert (no.outcome, no.reasons) == (FAIL, ["“面积”为 50 平方米，要求 ≥ 100 平方米", "“人数”为 1，要求 ≥ 5"])
    open_ = judge({"any": [BIG, MANY]}, area=sqm("50"))
    assert (open_.outcome, open_.reasons) == (UNDECIDED, ["未申报“人数”"])


@pytest.mark.parametrize(
    ("area", "staff", "signed", "outcome"),
    [
        ("150", 6, None, PASS),  # all passes
        ("150", 1, "2025-01-01", FAIL),  # all fails (MANY), not(OLD) fails
        ("50", 6, "2026-06-01", PASS),  # all fails, not(OLD) passes
        ("50", 6, "2025-06-01", FAIL),  # all fails, not(OLD) fails
        ("50", 6, None, UNDECIDED),  # all fails, not(OLD) undecided
        (None, 6, "2026-06-01", PASS),  # all undecided, not(OLD) passes
        (None, 6, "2025-06-01", UNDECIDED),  # all undecided, not(OLD) fails
    ],
)
def test_nesting(area, staff, signed, outcome):
    """any(all(BIG, MANY), not OLD): three values through two levels."""
    facts = {"staff": Quantity(Decimal(staff), "")}
    if area:
        facts["area"] = sqm(area)
    if signed:
        facts["signed"] = D(signed)
    rule = {"any": [{"all": [BIG, MANY]}, {"not": OLD}]}
    assert judge(rule, **facts).outcome == outcome


def test_not_keeps_the_reasons_and_facts_of_what_it_negates():
    v = judge({"not": MANY}, staff=Quantity(Decimal(6), ""))
    assert (v.outcome, v.reasons, v.facts) == (FAIL, ["“人数”为 6，要求 ≥ 5"], {"staff": "6"})
    assert judge({"not": {"not": MANY}}, staff=Quantity(Decimal(6), "")).outcome == PASS
    assert judge({"not": MANY}).outcome == UNDECIDED


def test_verdict_as_dict_with_a_computed_value():
    v = Verdict(PASS, ["r"], {"a": "1"})
    assert v.as_dict() == {"outcome": PASS, "reasons": ["r"], "facts": {"a": "1"}}
    v.computed = {"title": "金额"}
    assert v.as_dict()["computed"] == {"title": "金额"}


# --- quantities ---------------------------------------------------------------------------------------


def test_quantity_text_and_measure():
    assert str(Quantity(Decimal("2.50"), "年")) == "2.5 年"
    assert str(Quantity(Decimal("300"), "")) == "300"
    assert str(Quantity(Decimal("1E+2"), "元")) == "100 元"
    measures = {u: Quantity(Decimal(1), u).measure() for u in ("天", "个月", "小时", "学时", "人", "项", "元", "平方米", "英亩", "")}
    assert measures == {
        "天": "duration",
        "个月": "duration",
        "小时": "duration",
        "学时": "duration",
        "人": "count",
        "项": "count",
        "元": None,
        "平方米": None,
        "英亩": None,
        "": None,
    }


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [
        ("1.5", "万元", "元", Quantity(Decimal("15000"), "元")),
        ("15000", "元", "万元", Quantity(Decimal("1.5"), "万元")),
        ("0.02", "亿元", "万元", Quantity(Decimal("200"), "万元")),
        ("2", "年", "个月", Quantity(Decimal("24"), "个月")),
        ("18", "月", "年", Quantity(Decimal("1.5"), "年")),
        ("1", "平方公里", "平方米", Quantity(Decimal("1000000"), "平方米")),
        ("5", "元", "元", Quantity(Decimal("5"), "元")),
        ("5", "元", "", Quantity(Decimal("5"), "元")),
        ("5", "", "元", Quantity(Decimal("5"), "元")),
        ("5", "元", "人", None),
        ("5", "英亩", "平方米", None),
        ("5", "平方米", "英亩", None),
    ],
)
def test_conversions_are_exact(value, unit, to, expected):
    got = Quantity(Decimal(value), unit).to(to)
    assert got == expected and (got is None or got.unit == expected.unit)


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("150平方米", "", Quantity(Decimal("150"), "平方米")),
        (" 1 年 ", "", Quantity(Decimal("1"), "年")),
        ("１２个月", "", Quantity(Decimal("12"), "个月")),
        ("3", "人", Quantity(Decimal("3"), "人")),
        ("-2.5天", "", Quantity(Decimal("-2.5"), "天")),
        ("+7", "", Quantity(Decimal("7"), "")),
        ("500万元以上", "", Quantity(Decimal("500"), "万元")),
        ("50人及以上", "", Quantity(Decimal("50"), "人")),
        ("8 单位", "单位", Quantity(Decimal("8"), "单位")),
    ],
)
def test_parse_quantity(text, default, expected):
    got = parse_quantity(text, default) if default else parse_quantity(text)
    assert (got, got.unit) == (expected, expected.unit)


def test_parse_quantity_refusals():
    with pytest.raises(ValueError, match=r"^'很多' is not a number with a unit$"):
        parse_quantity("很多")
    with pytest.raises(ValueError, match=r"^unknown unit '英亩' in '3英亩'; known: 元, 万元, 亿元, "):
        parse_quantity("3英亩")


def test_show():
    assert [_show(True), _show(False)] == ["是", "否"]
    assert _show(frozenset({"西城", "东城"})) == "东城、西城"
    assert _show(["甲", "乙"]) == "甲、乙"  # a list keeps its order (sorted it would be 乙、甲)
    assert _show(("甲", "乙")) == "甲、乙"
    assert _show(D("2026-01-02")) == "2026-01-02"


# --- rule_problems: where each problem is put ---------------------------------------------------------


def test_problems_are_placed_inside_all_any_and_not():
    bad = {"fact": "nosuch", "op": "==", "value": 1}
    rule = {"not": {"all": [BIG, {"any": [MANY, bad]}]}}
    assert rule_problems(rule, DECLARED) == [(("not", "all", 1, "any", 1, "fact"), "fact 'nosuch' is not declared under facts")]
    assert rule_problems({"any": [bad, bad]}, DECLARED) == [
        (("any", i, "fact"), "fact 'nosuch' is not declared under facts") for i in (0, 1)
    ]


@pytest.mark.parametrize(
    ("rule", "problems"),
    [
        (BIG, []),
        ({"fact": "signed", "op": "within", "months": 3}, []),
        ({"fact": "signed", "op": "within_after", "of": "issued", "days": 3}, []),
        ({"fact": "districts", "op": "covers", "value": ["东城"]}, []),
        ({"fact": "name", "op": "in", "value": ["甲", "乙"]}, []),
        ({"fact": "flag", "op": "==", "value": True}, []),
        ({"fact": "money", "op": ">=", "value": 1, "unit": "元"}, []),
        ({"fact": "staff", "op": "==", "value": 3}, []),
        ({"fact": "signed", "op": "==", "value": "2026-01-01"}, []),
        ("not a rule", []),
        ({"fact": 1, "op": "=="}, []),
        (
            {"fact": "signed", "op": "within_after", "of": "name", "days": 3},
            [(("of",), "within_after compares two declared date facts: 'signed' and 'name'")],
        ),
        (
            {"fact": "name", "op": "within_after", "of": "issued", "days": 3},
            [(("of",), "within_after compares two declared date facts: 'name' and 'issued'")],
        ),
        ({"fact": "signed", "op": "within_after", "of": "issued"}, [((), "within needs years, months or days")]),
        ({"fact": "districts", "op": "in", "value": ["东城", "海淀"]}, [(("value",), "海淀 not among the values of fact 'districts'")]),
        (
            {"fact": "districts", "op": "covers", "value": ["南城", "北城"]},
            [(("value",), "南城、北城 not among the values of fact 'districts'")],
        ),
        (
            {"fact": "signed", "op": "==", "value": "今天"},
            [(("value",), "fact 'signed' is a date: compare it with a date written YYYY-MM-DD")],
        ),
        ({"fact": "flag", "op": "!=", "value": 1}, [(("value",), "fact 'flag' is a boolean: compare it with true or false")]),
        ({"fact": "staff", "op": ">=", "value": True}, [(("value",), "fact 'staff' is a number: compare it with a number")]),
        ({"fact": "money", "op": "<", "value": 1, "unit": "平方米"}, [(("unit",), "平方米 cannot be compared with fact 'money' in 万元")]),
        ({"fact": "bare", "op": "<", "value": 1, "unit": "元"}, []),
    ],
)
def test_rule_problems(rule, problems):
    assert rule_problems(rule, DECLARED) == problems
