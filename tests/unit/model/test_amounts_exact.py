"""The amount interpreter, value by value: each operator (max is not min), the fen rounding (half
up, at the end, in 元 whatever the unit), caps and `remaining` at zero, table lookups, cases and
conditions with the working they print, word for word; and where the catalog checks put each
problem. Written so that a changed operator, constant or message fails a test (mutation testing:
benchmarks/mutation.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from checklist.model.amounts import NA, Context, compute, evaluate, expression_problems, find_row, money, table_problems
from checklist.model.rules import FAIL, NONE, PASS, UNDECIDED, UNITS, Quantity


@pytest.fixture(autouse=True)
def english_msgids(monkeypatch):
    """These tests pin the messages' English source text (the msgids) word for word; the CLI tests
    check what a reader sees in the default language, and tests/project/test_messages.py that each
    has its Chinese translation."""
    monkeypatch.setenv("CHECKLIST_LANG", "en")


DECLARED = {
    "amount": {"title": "合同金额", "type": "number", "unit": "万元"},
    "fee": {"title": "活动费用", "type": "number", "unit": "元"},
    "area": {"title": "面积", "type": "number", "unit": "平方米"},
    "band": {"title": "档次", "type": "text"},
    "first": {"title": "首次合作", "type": "boolean"},
    "signed": {"title": "签订日期", "type": "date"},
    "places": {"title": "地点", "type": "set"},
}
TABLES = {
    "rates": {
        "title": "补助标准表",
        "ref": "附件",
        "columns": ["序号", "名称", "代码", "档次", "标准"],
        "keys": ["名称", "代码"],
        "units": {"标准": "元"},
        "aliases": {"养老护理": "养老护理员"},
        "rows": [[1, "养老护理员", "4-10-01-05", "A", 1800], [2, "育婴员", "4-10-01-02", "B", 1500.5]],
    },
    "plain": {"title": "档次表", "ref": "附件二", "columns": ["名称", "档次"], "keys": ["名称"], "rows": [["甲", "一档"]]},
}


def ctx(**facts) -> Context:
    return Context(facts, DECLARED, TABLES, dt.date(2026, 11, 20))


def wan(text: str) -> Quantity:
    return Quantity(Decimal(text), "万元")


AMOUNT = {"fact": "amount"}


@pytest.mark.parametrize(
    ("q", "shown"),
    [
        (Quantity(Decimal("2000"), "万元"), "2,000万元"),
        (Quantity(Decimal("2000.00"), "万元"), "2,000万元"),
        (Quantity(Decimal("0.50"), "万元"), "0.5万元"),
        (Quantity(Decimal("1234567.891"), "元"), "1,234,567.891元"),
        (Quantity(Decimal("1E+3"), "元"), "1,000元"),
        (Quantity(Decimal("0.000001"), "万元"), "0.000001万元"),
    ],
)
def test_money_text(q, shown):
    assert money(q) == shown


@pytest.mark.parametrize(
    ("op", "value", "text"),
    [
        ("min", "100", "min(合同金额 100万元, 上限 300万元, 下限 200万元)"),
        ("max", "300", "max(合同金额 100万元, 上限 300万元, 下限 200万元)"),
        ("add", "600", "合同金额 100万元 + 上限 300万元 + 下限 200万元"),
        ("sub", "-400", "合同金额 100万元 − 上限 300万元 − 下限 200万元"),
    ],
)
def test_combinations(op, value, text):
    e = {op: [AMOUNT, {"const": 300, "unit": "万元", "title": "上限"}, {"const": 200, "unit": "万元", "title": "下限"}]}
    v = evaluate(e, ctx(amount=wan("100")))
    assert (v.value, v.text, v.facts) == (wan(value), text, {"amount": "100万元"})


def test_units_are_converted_to_the_first_unit_with_one():
    v = evaluate({"add": [{"const": 1}, {"fact": "fee"}, AMOUNT]}, ctx(fee=Quantity(Decimal("5000"), "元"), amount=wan("1")))
    assert v.value == Quantity(Decimal("15001"), "元") and v.value.unit == "元"
    assert v.text == "1 + 活动费用 5,000元 + 合同金额 1万元"
    bad = evaluate({"max": [AMOUNT, {"fact": "area"}]}, ctx(amount=wan("1"), area=Quantity(Decimal(2), "平方米")))
    assert (bad.value, bad.missing) == (None, ["单位 万元、平方米 无法换算"])


def test_products_and_their_brackets():
    v = evaluate({"mul": [{"add": [AMOUNT, {"const": 1, "unit": "万元"}]}, {"percent": 30}]}, ctx(amount=wan("9")))
    assert (v.value, v.text) == (wan("3.0"), "(合同金额 9万元 + 1万元) × 30%")
    capped = evaluate({"mul": [{"min": [AMOUNT, {"const": 5, "unit": "万元"}]}, {"percent": 50, "title": "比例"}]}, ctx(amount=wan("9")))
    assert (capped.value, capped.text) == (wan("2.5"), "min(合同金额 9万元, 5万元) × 比例 50%")
    diff = evaluate({"mul": [{"sub": [AMOUNT, {"const": 1, "unit": "万元"}]}, {"const": 2}]}, ctx(amount=wan("9")))
    assert (diff.value, diff.text) == (wan("16"), "(合同金额 9万元 − 1万元) × 2")
    two_units = evaluate({"mul": [AMOUNT, {"fact": "area"}]}, ctx(amount=wan("1"), area=Quantity(Decimal(2), "平方米")))
    assert (two_units.value, two_units.missing) == (None, ["不能将 万元 与 平方米 相乘"])


def test_a_titled_expression_wraps_its_working():
    v = evaluate({"title": "支持金额", "min": [AMOUNT, {"const": 500, "unit": "万元"}]}, ctx(amount=wan("600")))
    assert (v.value, v.text) == (wan("500"), "支持金额（min(合同金额 600万元, 500万元)）")


def test_missing_and_non_numeric_operands():
    v = evaluate({"add": [AMOUNT, {"fact": "fee"}]}, ctx(amount=wan("1")))
    assert (v.value, v.missing) == (None, ["未申报“活动费用”"])
    t = evaluate({"add": [AMOUNT, {"fact": "band"}]}, ctx(amount=wan("1"), band="A"))
    assert (t.value, t.missing, t.facts) == (None, ["档次 A 不是数值，无法计算"], {"amount": "1万元", "band": "A"})
    assert evaluate({"add": [AMOUNT, {"text": "甲"}]}, ctx(amount=wan("1"))).missing == ["甲 不是数值，无法计算"]


@pytest.mark.parametrize(
    ("facts", "shown"),
    [
        ({"first": True}, "首次合作 是"),
        ({"signed": dt.date(2026, 1, 2)}, "签订日期 2026-01-02"),
        ({"places": frozenset({"甲", "乙"})}, "地点 乙、甲"),  # sorted
        ({"band": NONE}, "档次 无"),
        ({"area": Quantity(Decimal("12.50"), "平方米")}, "面积 12.5 平方米"),
    ],
)
def test_facts_as_shown(facts, shown):
    (name,) = facts
    v = evaluate({"fact": name}, ctx(**facts))
    assert v.text == shown and v.facts == {name: shown.split(" ", 1)[1]}


def test_fact_constant_and_percent_titles():
    assert evaluate({"fact": "amount", "title": "金额"}, ctx(amount=wan("2"))).text == "金额 2万元"
    assert evaluate({"fact": "undeclared"}, ctx(undeclared=Quantity(Decimal(3), ""))).text == "undeclared 3"
    assert evaluate({"fact": "undeclared"}, ctx()).missing == ["未申报“undeclared”"]
    assert evaluate({"const": 2.50}, ctx()).text == "2.5"
    assert evaluate({"const": 3, "title": "倍数"}, ctx()).text == "倍数 3"
    p = evaluate({"percent": 12.5}, ctx())
    assert (p.value, p.text) == (Quantity(Decimal("0.125"), ""), "12.5%")


@pytest.mark.parametrize(
    ("granted", "value", "notes"),
    [("400", "100", []), ("500", "0", []), ("600", "0", ["单个项目累计上限 500万元 − 已获支持 600万元 小于0，按0计"])],
)
def test_remaining_never_goes_below_zero(granted, value, notes):
    e = {"remaining": {"const": 500, "unit": "万元", "title": "单个项目累计上限"}, "less": {"fact": "amount", "title": "已获支持"}}
    v = evaluate(e, ctx(amount=wan(granted)))
    assert (v.value, v.notes) == (wan(value), notes)


def test_lookup_by_either_key_or_an_alias():
    by_name = evaluate({"lookup": "rates", "key": {"fact": "band"}, "column": "标准"}, ctx(band="育婴员"))
    assert (by_name.value, by_name.text) == (Quantity(Decimal("1500.5"), "元"), "育婴员 4-10-01-02 标准 1,500.5元")
    assert by_name.facts == {"band": "育婴员"}
    by_code = evaluate({"lookup": "rates", "key": {"fact": "band"}, "column": "档次"}, ctx(band="4-10-01-05"))
    assert (by_code.value, by_code.notes) == ("A", ["附件第1项 养老护理员 4-10-01-05：档次 A"])
    alias = evaluate({"lookup": "rates", "key": {"fact": "band"}, "column": "档次"}, ctx(band="养老护理"))
    assert alias.value == "A"
    plain = evaluate({"lookup": "plain", "key": {"text": "甲"}, "column": "档次"}, ctx())
    assert (plain.value, plain.notes) == ("一档", ["附件二 甲：档次 一档"])
    number_key = evaluate({"lookup": "plain", "key": {"const": 7}, "column": "档次"}, ctx())
    assert (number_key.value, number_key.failed) == (None, ["7 不在档次表中"])
    missing = evaluate({"lookup": "rates", "key": {"fact": "band"}, "column": "档次"}, ctx())
    assert (missing.value, missing.missing) == (None, ["未申报“档次”"])
    unknown = evaluate({"lookup": "rates", "key": {"fact": "band"}, "column": "档次"}, ctx(band="厨师"))
    assert (unknown.value, unknown.failed) == (None, ["档次 厨师 不在补助标准表中"])
    assert find_row(TABLES["rates"], "育婴员") == TABLES["rates"]["rows"][1]
    assert find_row(TABLES["rates"], "厨师") is None


def test_case_branches():
    e = {"case": {"fact": "band"}, "of": {"A": {"const": 1, "unit": "万元"}, "B": {"const": 2, "unit": "万元"}}}
    assert evaluate(e, ctx(band="B")).value == wan("2")
    assert evaluate(e, ctx(band="Ｂ")).value == wan("2")  # NFKC
    other = evaluate(e, ctx(band="C"))
    assert (other.value, other.failed) == (None, ["档次 C 不属于 A、B"])
    assert evaluate(e, ctx()).missing == ["未申报“档次”"]
    titled = evaluate(dict(e, title="标准"), ctx(band="A"))
    assert titled.text == "标准 1万元"
    nested = {"case": {"lookup": "rates", "key": {"fact": "band"}, "column": "档次"}, "of": {"A": {"text": "甲档"}, "B": {"text": "乙档"}}}
    v = evaluate(nested, ctx(band="育婴员"))
    assert (v.value, v.notes, v.facts) == ("乙档", ["附件第2项 育婴员 4-10-01-02：档次 B"], {"band": "育婴员"})


FIRST = {"fact": "first", "op": "==", "value": True}


def test_cond_branches_and_their_notes():
    e = {
        "cond": [
            {"if": FIRST, "then": {"const": 3, "unit": "万元"}, "title": "首次合作"},
            {"if": {"fact": "amount", "op": ">", "value": 10}, "then": AMOUNT},
        ],
        "else": {"const": 0, "unit": "万元"},
    }
    yes = evaluate(e, ctx(first=True, amount=wan("1")))
    assert (yes.value, yes.notes, yes.facts) == (wan("3"), ["属于首次合作"], {"first": "是"})
    second = evaluate(e, ctx(first=False, amount=wan("11")))
    assert (second.value, second.notes) == (wan("11"), ["不属于首次合作", "“合同金额”为 11 万元，要求 > 10 万元"])
    neither = evaluate(e, ctx(first=False, amount=wan("10")))
    assert (neither.value, neither.notes, neither.facts) == (wan("0"), ["不属于首次合作"], {"first": "否", "amount": "10 万元"})
    open_ = evaluate(e, ctx(amount=wan("10")))
    assert (open_.value, open_.missing) == (None, ["未申报“首次合作”"])
    titled = evaluate(dict(e, title="奖励"), ctx(first=True))
    assert titled.text == "奖励 3万元"


# --- compute: the decided item ----------------------------------------------------------------------


def decide(spec: dict, **facts):
    return compute({"title": "支持金额", **spec}, "二、1", ctx(**facts))


@pytest.mark.parametrize(
    ("value", "unit", "expected", "shown"),
    [
        ("0.125", "元", "0.13", "0.13元"),  # half up, not half even (0.12)
        ("0.135", "元", "0.14", "0.14元"),
        ("0.0000005", "万元", "0.000001", "0.000001万元"),  # 0.005元 → 0.01元
        ("0.0000004", "万元", "0", "0万元"),
        ("370.3703673", "万元", "370.370367", "370.370367万元"),
        ("1.234567", "平方米", "1.234567", "1.234567平方米"),  # not money: not rounded
    ],
)
def test_money_is_rounded_to_the_fen_half_up_at_the_end(value, unit, expected, shown):
    v = decide({"unit": unit, "value": {"const": float(value), "unit": unit}})
    assert v.outcome == PASS
    assert (v.computed["value"], v.computed["unit"]) == (expected, unit)
    assert v.computed["working"] == f"支持金额 = {shown}" or v.computed["working"].endswith(f"= {shown}")


def test_the_item_s_working_title_ref_and_unit():
    v = decide({"unit": "万元", "value": {"mul": [AMOUNT, {"percent": 30}]}}, amount=wan("1234.5678"))
    assert v.computed == {
        "title": "支持金额",
        "working": "支持金额 = 合同金额 1,234.5678万元 × 30% = 370.37034万元",
        "ref": "二、1",
        "value": "370.37034",
        "unit": "万元",
    }
    assert v.reasons == [v.computed["working"]] and v.facts == {"amount": "1,234.5678万元"}
    in_yuan = decide({"unit": "元", "value": {"mul": [AMOUNT, {"percent": 30}]}}, amount=wan("1"))
    assert (in_yuan.computed["value"], in_yuan.computed["working"]) == ("3000", "支持金额 = 合同金额 1万元 × 30% = 3,000元")
    own_ref = compute({"title": "奖励", "ref": "二、3", "value": {"const": 5, "unit": "万元"}}, "二、1", ctx())
    assert (own_ref.computed["ref"], own_ref.computed["working"]) == ("二、3", "奖励 = 5万元")
    text = compute({"title": "审查机关", "value": {"text": "市级"}}, "第五条", ctx())
    assert text.computed == {"title": "审查机关", "working": "审查机关 = 市级", "ref": "第五条", "value": "市级", "unit": ""}
    noted = decide({"value": {"lookup": "rates", "key": {"fact": "band"}, "column": "标准"}}, band="育婴员")
    assert noted.computed["working"] == "支持金额 = 育婴员 4-10-01-02 标准 1,500.5元 = 1,500.5元"
    with_notes = decide(
        {
            "value": {
                "case": {"lookup": "rates", "key": {"fact": "band"}, "column": "档次"},
                "of": {"A": {"const": 1, "unit": "元"}, "B": {"const": 2, "unit": "元"}},
            }
        },
        band="育婴员",
    )
    assert with_notes.computed["working"] == "支持金额 = 2元（附件第2项 育婴员 4-10-01-02：档次 B）"
    assert (
        with_notes.computed["notes"] == ["附件第2项 育婴员 4-10-01-02：档次 B"] and with_notes.reasons[1:] == with_notes.computed["notes"]
    )


def test_when_not_applicable_undecided_failed_and_unconvertible():
    when = {"when": FIRST, "unit": "万元", "value": {"const": 1, "unit": "万元"}}
    na = decide(when, first=False)
    assert (na.outcome, na.reasons, na.computed) == (NA, ["支持金额不适用：“首次合作”为 否，要求 = 是"], None)
    open_ = decide(when)
    assert (open_.outcome, open_.reasons) == (UNDECIDED, ["未申报“首次合作”"])
    assert decide(when, first=True).outcome == PASS
    failed = decide({"value": {"lookup": "rates", "key": {"fact": "band"}, "column": "标准"}}, band="厨师")
    assert (failed.outcome, failed.reasons) == (FAIL, ["档次 厨师 不在补助标准表中"])
    missing = decide({"value": AMOUNT})
    assert (missing.outcome, missing.reasons) == (UNDECIDED, ["未申报“合同金额”"])
    wrong = decide({"unit": "平方米", "value": AMOUNT}, amount=wan("1"))
    assert (wrong.outcome, wrong.reasons) == (UNDECIDED, ["支持金额的单位 万元 无法换算为 平方米"])


# --- the catalog checks -----------------------------------------------------------------------------


def test_expression_problems_name_their_place():
    e = {
        "cond": [{"if": {"fact": "nosuch", "op": "==", "value": 1}, "then": {"fact": "x"}}],
        "else": {"max": [{"const": 1, "unit": "美元"}, {"fact": "y"}]},
    }
    assert expression_problems(e, DECLARED, TABLES) == [
        (("cond", 0, "if", "fact"), "fact 'nosuch' is not declared under facts"),
        (("cond", 0, "then", "fact"), "fact 'x' is not declared under facts"),
        (("else", "max", 0, "unit"), "unknown unit '美元'; known: " + ", ".join(UNITS)),
        (("else", "max", 1, "fact"), "fact 'y' is not declared under facts"),
    ]
    assert expression_problems({"lookup": "rates", "key": {"fact": "band"}, "column": "标准"}, DECLARED, TABLES) == []
    assert expression_problems({"case": {"fact": "z"}, "of": {"甲": {"fact": "w"}}}, DECLARED, TABLES) == [
        (("case", "fact"), "fact 'z' is not declared under facts"),
        (("of", "甲", "fact"), "fact 'w' is not declared under facts"),
    ]
    assert expression_problems("x", DECLARED, TABLES) == []


def test_table_problems_name_their_cell():
    table = {"columns": ["名称", "标准"], "keys": ["名称"], "units": {"标准": "元"}, "rows": [["甲", 1], ["乙", "一千"], ["甲", 2], ["丙"]]}
    assert table_problems("t", table) == [
        (("rows", 1, 1), "标准 is a number in 元"),
        (("rows", 2, 0), "甲 is already the key of row 1"),
        (("rows", 3), "row has 1 cells; the table has 2 columns"),
    ]
    assert table_problems("t", {"columns": ["a"], "rows": [[None], [None]], "keys": ["a"]}) == []
    assert table_problems("t", "no table") == []


# --- what each operator passes on: notes, facts, the date rules are judged on ----------------------

BAND_B = {
    "case": {"lookup": "rates", "key": {"fact": "band"}, "column": "档次"},
    "of": {"A": {"const": 1, "unit": "万元"}, "B": {"const": 2, "unit": "万元"}},
}
NOTE_B = "附件第2项 育婴员 4-10-01-02：档次 B"


@pytest.mark.parametrize("op", ["add", "sub", "min", "max", "mul"])
def test_every_operator_keeps_the_notes_of_its_operands(op):
    second = {"const": 1} if op == "mul" else {"const": 1, "unit": "万元"}
    v = evaluate({op: [BAND_B, second]}, ctx(band="育婴员"))
    assert v.value is not None and v.notes == [NOTE_B] and v.facts == {"band": "育婴员"}


def test_failed_combinations_keep_their_notes_and_facts():
    two_units = evaluate({"mul": [BAND_B, {"fact": "area"}]}, ctx(band="育婴员", area=Quantity(Decimal(2), "平方米")))
    assert (two_units.text, two_units.notes, two_units.facts) == ("", [NOTE_B], {"band": "育婴员", "area": "2 平方米"})
    no_unit = evaluate({"add": [BAND_B, {"fact": "area"}]}, ctx(band="育婴员", area=Quantity(Decimal(2), "平方米")))
    assert (no_unit.text, no_unit.notes, no_unit.facts) == ("", [NOTE_B], {"band": "育婴员", "area": "2 平方米"})
    texts = evaluate({"add": [{"text": "甲"}, {"text": "乙"}, AMOUNT]}, ctx(amount=wan("1")))
    assert (texts.text, texts.missing, texts.failed) == ("", ["甲、乙 不是数值，无法计算"], [])
    failed = evaluate({"add": [{"lookup": "plain", "key": {"text": "丁"}, "column": "档次"}, AMOUNT]}, ctx(amount=wan("1")))
    assert (failed.value, failed.failed, failed.missing) == (None, ["丁 不在档次表中"], [])


def test_a_max_or_min_of_a_sum_is_not_bracketed_again_in_a_product():
    for op in ("min", "max"):
        e = {"mul": [{op: [{"add": [AMOUNT, AMOUNT]}, {"const": 5, "unit": "万元"}]}, {"percent": 10}]}
        assert evaluate(e, ctx(amount=wan("1"))).text == f"{op}(合同金额 1万元 + 合同金额 1万元, 5万元) × 10%"


def test_untitled_and_dimensionless_values():
    assert evaluate({"text": "市级", "title": "机关"}, ctx()).text == "市级"
    assert evaluate({"lookup": "plain", "key": {"text": "甲"}, "column": "档次", "title": "档"}, ctx()).text == "一档"
    v = compute({"title": "倍数", "value": {"const": 1.5}}, "一", ctx())
    assert (v.computed["value"], v.computed["unit"], v.computed["working"]) == ("1.5", "", "倍数 = 1.5")
    looked = compute({"title": "档次", "value": {"lookup": "plain", "key": {"text": "甲"}, "column": "档次"}}, "一", ctx())
    assert looked.computed["working"] == "档次 = 一档（附件二 甲：档次 一档）"


def test_case_on_booleans_dates_and_none():
    yes_no = {"case": {"fact": "first"}, "of": {"是": {"text": "首次"}, "否": {"text": "再次"}}}
    assert evaluate(yes_no, ctx(first=True)).value == "首次" and evaluate(yes_no, ctx(first=False)).value == "再次"
    none = {"case": {"fact": "band"}, "of": {"无": {"text": "未评定"}}}
    assert evaluate(none, ctx(band=NONE)).value == "未评定"
    assert evaluate({"case": {"fact": "signed"}, "of": {"2026-01-02": {"text": "当日"}}}, ctx(signed=dt.date(2026, 1, 2))).value == "当日"


def test_a_table_keyed_by_numbers_is_looked_up_by_the_number_not_its_unit():
    tables = dict(TABLES, years={"title": "年限表", "ref": "附件三", "columns": ["年限", "系数"], "keys": ["年限"], "rows": [[2, "高"]]})
    c = Context({"amount": wan("2")}, DECLARED, tables, dt.date(2026, 11, 20))
    assert evaluate({"lookup": "years", "key": AMOUNT, "column": "系数"}, c).value == "高"


def test_a_key_cell_left_empty_is_not_part_of_the_label():
    tables = dict(TABLES, rates=dict(TABLES["rates"], rows=[[1, "养老护理员", "", "A", 1800]]))
    c = Context({"band": "养老护理员"}, DECLARED, tables, dt.date(2026, 11, 20))
    assert evaluate({"lookup": "rates", "key": {"fact": "band"}, "column": "标准"}, c).text == "养老护理员 标准 1,800元"


def test_a_lookup_by_a_looked_up_key_keeps_the_first_lookup_s_note():
    e = {"lookup": "rates", "key": {"lookup": "plain", "key": {"text": "甲"}, "column": "档次"}, "column": "标准"}
    tables = dict(TABLES, rates=dict(TABLES["rates"], rows=[[1, "一档", "", "A", 1800]]))
    v = evaluate(e, Context({}, DECLARED, tables, dt.date(2026, 11, 20)))
    assert (v.value, v.notes) == (Quantity(Decimal(1800), "元"), ["附件二 甲：档次 一档"])


RECENT = {"fact": "signed", "op": "within", "months": 1}


def test_conditions_are_judged_on_the_audit_date():
    cond = {"cond": [{"if": RECENT, "then": {"text": "近期"}}], "else": {"text": "早前"}}
    assert evaluate(cond, ctx(signed=dt.date(2026, 10, 20))).value == "近期"
    assert evaluate(cond, ctx(signed=dt.date(2026, 10, 19))).value == "早前"
    assert (
        compute({"title": "奖励", "when": RECENT, "value": {"const": 1, "unit": "元"}}, "一", ctx(signed=dt.date(2026, 10, 20))).outcome
        == PASS
    )
    inner = {
        "cond": [{"if": FIRST, "then": {"text": "甲"}}],
        "else": {"cond": [{"if": RECENT, "then": {"text": "近期"}}], "else": {"text": "早前"}},
    }
    assert evaluate(inner, ctx(first=False, signed=dt.date(2026, 10, 20))).value == "近期"


def test_several_notes_and_reasons_are_joined():
    both = {"all": [FIRST, {"fact": "amount", "op": ">", "value": 1}]}
    untitled = evaluate({"cond": [{"if": both, "then": {"text": "是"}}], "else": {"text": "否"}}, ctx(first=True, amount=wan("2")))
    assert untitled.notes == ["“首次合作”为 是，要求 = 是；“合同金额”为 2 万元，要求 > 1 万元"]
    e = {
        "cond": [
            {"if": FIRST, "then": {"text": "甲"}, "title": "首次合作"},
            {"if": {"fact": "amount", "op": ">", "value": 1}, "then": {"text": "乙"}, "title": "大额"},
        ],
        "else": {"text": "丙"},
    }
    v = compute({"title": "类别", "value": e}, "一", ctx(first=False, amount=wan("2")))
    assert v.computed["working"] == "类别 = 乙（不属于首次合作；属于大额）"
    na = compute({"title": "奖励", "when": both, "value": {"const": 1, "unit": "元"}}, "一", ctx(first=False, amount=wan("1")))
    assert (na.outcome, na.reasons, na.facts) == (
        NA,
        ["奖励不适用：“首次合作”为 否，要求 = 是；“合同金额”为 1 万元，要求 > 1 万元"],
        {"first": "否", "amount": "1 万元"},
    )


def test_undecided_items_keep_the_facts_they_looked_at():
    open_ = evaluate({"cond": [{"if": FIRST, "then": {"text": "甲"}}], "else": {"text": "乙"}}, ctx())
    assert (open_.text, open_.notes, open_.facts) == ("", [], {})
    half = evaluate(
        {"cond": [{"if": {"all": [FIRST, {"fact": "amount", "op": ">", "value": 1}]}, "then": {"text": "甲"}}], "else": {"text": "乙"}},
        ctx(first=True),
    )
    assert (half.value, half.facts) == (None, {"first": "是"})
    missing = compute({"title": "金额", "value": {"add": [AMOUNT, {"fact": "fee"}]}}, "一", ctx(amount=wan("1")))
    assert (missing.outcome, missing.facts) == (UNDECIDED, {"amount": "1万元"})
    wrong = compute({"title": "金额", "unit": "平方米", "value": AMOUNT}, "一", ctx(amount=wan("1")))
    assert wrong.facts == {"amount": "1万元"}
    open_when = compute(
        {"title": "金额", "when": {"all": [FIRST, {"fact": "amount", "op": ">", "value": 1}]}, "value": AMOUNT}, "一", ctx(amount=wan("2"))
    )
    assert (open_when.outcome, open_when.facts) == (UNDECIDED, {"amount": "2 万元"})
    assert evaluate({"fact": "fee"}, ctx()).text == "活动费用"


def test_expression_problems_are_all_kept():
    e = {"fact": "nosuch", "case": {"fact": "z"}, "of": {"甲": {"fact": "w"}}}
    assert [p for p, _ in expression_problems(e, DECLARED, TABLES)] == [("fact",), ("case", "fact"), ("of", "甲", "fact")]
    r = {"fact": "nosuch", "remaining": {"lookup": "rates", "key": {"fact": "a"}, "column": "标准"}, "less": {"fact": "b"}}
    assert [p for p, _ in expression_problems(r, DECLARED, TABLES)] == [("fact",), ("remaining", "key", "fact"), ("less", "fact")]
    c = {
        "cond": [
            {"if": {"fact": "n1", "op": "==", "value": 1}, "then": {"lookup": "rates", "key": {"fact": "n2"}, "column": "标准"}},
            {"if": {"fact": "n3", "op": "==", "value": 1}, "then": {"fact": "amount"}},
        ],
        "else": {"mul": [{"fact": "n4"}, {"const": 1}]},
    }
    assert [p for p, _ in expression_problems(c, DECLARED, TABLES)] == [
        ("cond", 0, "if", "fact"),
        ("cond", 0, "then", "key", "fact"),
        ("cond", 1, "if", "fact"),
        ("else", "mul", 0, "fact"),
    ]
    assert expression_problems({"const": 5}, DECLARED, TABLES) == [] and expression_problems({"add": "x"}, DECLARED, TABLES) == []


def test_table_problems_of_odd_shapes():
    assert table_problems("t", {"columns": ["a"], "rows": "x"}) == []
    assert table_problems("t", {"columns": "a", "rows": []}) == []
    assert table_problems("t", {"columns": ["名称"], "keys": "名称", "rows": [["甲"], ["甲"]]}) == []
    assert table_problems("t", {"columns": ["名称", "码"], "rows": ["abc"]}) == [(("rows", 0), "row has 0 cells; the table has 2 columns")]
    assert table_problems("t", {"columns": ["名称"], "keys": ["名称"], "rows": [[""], [""]]}) == []
    assert table_problems("t", {"columns": ["名称"], "keys": ["名称", "码"], "units": {"价": "元"}, "rows": []}) == [
        (("keys",), "key '码' is not a column of table 't'"),
        (("units", "价"), "'价' is not a column of table 't'"),
    ]
