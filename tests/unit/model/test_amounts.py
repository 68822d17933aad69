"""Eligibility and amounts decided from declared facts: every band, cap and boundary of the skills
subsidy (京人社能发〔2026〕2号), the CDMO support (京科发〔2026〕3号) and who reviews a water
project (京水务发〔2026〕29号), and the 附件 table against its source."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from paths import SOURCES

from checklist.audits import audit as audits
from checklist.audits.results import Award, award
from checklist.model.amounts import Context, evaluate, money
from checklist.model.facts import Declaration, parse
from checklist.model.library import load_catalog
from checklist.model.rules import Quantity

DAY = dt.date(2026, 11, 20)


def decide(catalog_id: str, kind: str, facts: dict) -> Award:
    cat = load_catalog(catalog_id)
    values = {k: parse(cat.facts[k], v) for k, v in facts.items() if v is not None}
    a = audits.new(
        cat,
        unit=None,
        kind=kind,
        tags=[],
        chapters=[],
        target={"name": "申请人"},
        inspectors=["张三"],
        date=DAY,
        declaration=Declaration({"name": "申请人"}, values),
    )
    return award(a.entries)


def total(award: Award) -> str:
    return money(award.total) if award.total else "—"


# --- the skills subsidy --------------------------------------------------------------------------

SKILLS = {
    "group": "离校两年内未就业高校毕业生",
    "certificate_type": "职业技能等级证书",
    "certificate_issuer": "北京市人力资源和社会保障局备案评价机构",
    "certificate_date": "2026-03-01",
    "application_date": "2026-06-01",
    "occupation": "养老护理员",
    "skill_level": "中级工(四级)",
    "received_before": "否",
    "other_subsidy_same_certificate": "否",
}
SPECIAL = dict(SKILLS, certificate_type="专项职业能力证书", certificate_issuer="北京市职业技能鉴定管理中心", skill_level=None)
RURAL = "本市户籍农村转移就业劳动力"


@pytest.mark.parametrize(
    ("change", "eligibility", "amount"),
    [
        # B档 by level (收银员 4-01-02-04 is B), by name or code
        ({"occupation": "收银员", "skill_level": "初级工(五级)"}, "符合", "1,000元"),
        ({"occupation": "4-01-02-04", "skill_level": "中级工(四级)"}, "符合", "1,500元"),
        ({"occupation": "收银员", "skill_level": "高级工(三级)"}, "符合", "2,000元"),
        ({"occupation": "收银员", "skill_level": "技师(二级)"}, "符合", "2,000元"),
        ({"occupation": "收银员", "skill_level": "高级技师(一级)"}, "符合", "2,000元"),
        # A档 = B档 上浮20% (养老护理员 4-10-01-05 is A); the code full-width, folded by NFKC
        ({"skill_level": "初级工(五级)"}, "符合", "1,200元"),
        ({"occupation": "４－１０－０１－０５"}, "符合", "1,800元"),
        ({"skill_level": "高级工(三级)"}, "符合", "2,400元"),
        ({"occupation": "工业机器人系统运维员", "skill_level": "技师(二级)"}, "符合", "2,400元"),  # row 90, the last A
        ({"occupation": "工业机器人系统操作员", "skill_level": "初级工(五级)"}, "符合", "1,000元"),  # row 91
        ({"occupation": "政务服务办事员"}, "符合", "1,500元"),  # row 1
        # an occupation not in the 目录 fails
        ({"occupation": "飞行员"}, "不符合", "—"),
        # the four groups; 农村转移就业劳动力 only while registered as jobless jobseekers
        ({"group": "其他"}, "不符合", "—"),
        ({"group": RURAL, "jobseeker_registered": "否"}, "不符合", "—"),
        ({"group": RURAL, "jobseeker_registered": "是"}, "符合", "1,800元"),
        ({"group": RURAL}, "待核实", "1,800元"),
        ({"group": "本市登记失业人员"}, "符合", "1,800元"),
        ({"group": "就业困难人员"}, "符合", "1,800元"),
        # the issuing body must match the certificate
        ({"certificate_issuer": "北京市职业技能鉴定管理中心"}, "不符合", "—"),
        ({"certificate_issuer": "其他"}, "不符合", "—"),
        # certificates issued 2025-04-01 … 2027-12-31 inclusive
        ({"certificate_date": "2025-04-01", "application_date": "2025-06-01"}, "符合", "1,800元"),
        ({"certificate_date": "2025-03-31", "application_date": "2025-06-01"}, "不符合", "—"),
        ({"certificate_date": "2027-12-31", "application_date": "2028-01-05"}, "符合", "1,800元"),
        ({"certificate_date": "2028-01-01", "application_date": "2028-01-05"}, "不符合", "—"),
        # apply within one year of issue: the last day, one day late, before the issue
        ({"application_date": "2027-03-01"}, "符合", "1,800元"),
        ({"application_date": "2027-03-02"}, "不符合", "—"),
        ({"application_date": "2026-02-28"}, "不符合", "—"),
        # 每人最多享受一次; no double subsidy through the same certificate
        ({"received_before": "是"}, "不符合", "—"),
        ({"other_subsidy_same_certificate": "是"}, "不符合", "—"),
        # facts missing: undecided, never passed by default
        ({"skill_level": None}, "待核实", "—"),
        ({"occupation": None}, "待核实", "—"),
        ({"application_date": None}, "待核实", "1,800元"),
    ],
)
def test_skills_subsidy(change, eligibility, amount):
    award = decide("bj-skills-subsidy", "person", {**SKILLS, **change})
    assert (award.eligibility, total(award) if award.eligibility != "不符合" else "—") == (eligibility, amount)


@pytest.mark.parametrize(
    ("occupation", "amount"),
    [("母婴照护", "1,200元"), ("病人照护", "1,200元"), ("家庭餐制作", "800元"), ("家电清洗", "800元"), ("养老护理员", "—")],
)
def test_skills_subsidy_special_ability_certificates(occupation, amount):
    award = decide("bj-skills-subsidy", "person", dict(SPECIAL, occupation=occupation))
    assert total(award) == amount
    assert award.eligibility == ("符合" if amount != "—" else "不符合")


def test_skills_working_names_the_band_the_level_and_the_article():
    award = decide("bj-skills-subsidy", "person", SKILLS)
    [item] = award.items
    assert item["working"] == (
        "补助金额 = 中级工(四级) B档补助标准 1,500元 × (100% + A档上浮 20%) = 1,800元（附件第47项 养老护理员 4-10-01-05：补助档次 A）"
    )
    assert item["ref"].startswith("二、补助标准；附件") and (item["value"], item["unit"]) == ("1800", "元")
    missing = decide("bj-skills-subsidy", "person", dict(SKILLS, skill_level=None))
    assert missing.pending == ["未申报“证书等级”"]


# --- the 附件 table, verbatim ---------------------------------------------------------------------


def test_the_attachment_table_is_verbatim_and_whole():
    lines = (SOURCES / "001_665f51de318f5560.txt").read_text(encoding="utf-8").splitlines()
    start = lines.index("北京市重点群体就业技能提升补助标准目录")
    end = next(i for i, line in enumerate(lines) if "京水务发〔2026〕29号" in line and i > start)
    rows = [line.split("\t") for line in lines[start:end] if line.split("\t")[0].isdigit()]
    split = next(i for i in range(1, len(rows)) if rows[i][0] == "1")
    source_occupations = [r[:4] for r in rows[:split]]
    source_special = [r[:3] for r in rows[split:]]
    assert (len(source_occupations), len(source_special)) == (91, 7)
    tables = load_catalog("bj-skills-subsidy").tables
    assert [[str(c) for c in r] for r in tables["occupations"]["rows"]] == source_occupations
    assert [[str(c) for c in r] for r in tables["special_abilities"]["rows"]] == source_special
    assert tables["occupations"]["columns"] == ["序号", "职业(工种)名称", "职业(工种)代码", "补助档次"]
    text = "".join(lines[start:end])
    assert all(c in text for c in tables["occupations"]["columns"] + tables["special_abilities"]["columns"])
    # the standards the lookups add up come from 二's text
    rule_text = "".join(lines)
    for level, amount in tables["level_standards"]["rows"]:
        assert f"{level}{amount}元/人" in rule_text
    for band, amount in tables["special_standards"]["rows"]:
        assert f"{band}{amount}元/人" in rule_text


# --- CDMO support -----------------------------------------------------------------------------------

PHARMA = {
    "class1_innovative_drug": "是",
    "direct_investment_relation": "否",
    "contract_date": "2026-03-15",
    "service_stage": "工艺开发",
    "contract_amount": "1000万元",
    "granted_for_project": "0",
    "first_cooperation": "否",
    "international_registration": "否",
}


@pytest.mark.parametrize(
    ("change", "eligibility", "amount"),
    [
        ({}, "符合", "300万元"),  # 1,000万元 × 30%
        ({"granted_for_project": "200万元"}, "符合", "300万元"),  # exactly at the 500万元 cap
        ({"granted_for_project": "2000001元"}, "符合", "299.9999万元"),  # 30% one 元 over what is left
        ({"contract_amount": "10000003.34元", "granted_for_project": "200万元"}, "符合", "300万元"),
        ({"granted_for_project": "500万元"}, "符合", "0万元"),
        ({"granted_for_project": "600万元"}, "符合", "0万元"),  # never below 0
        ({"service_stage": "I期临床试验样品制备", "contract_amount": "5000万元"}, "符合", "500万元"),
        ({"service_stage": "中试放大工艺开发", "contract_amount": "5000万元"}, "符合", "1,000万元"),
        ({"service_stage": "工艺验证", "contract_amount": "3000万元"}, "符合", "900万元"),
        ({"service_stage": "Ⅱ期临床试验样品制备", "contract_amount": "5000万元"}, "符合", "1,000万元"),
        (
            {"service_stage": "Ⅲ期临床试验样品制备", "contract_amount": "5000万元", "granted_for_project": "999.9999万元"},
            "符合",
            "0.0001万元",
        ),
        ({"service_stage": "商业化生产", "contract_amount": "2亿元"}, "符合", "1,000万元"),
        # the extra (up to 300万元) for a first cooperation or an international registration
        ({"first_cooperation": "是"}, "符合", "600万元"),
        ({"international_registration": "是"}, "符合", "600万元"),
        # 支持对象: a class 1 drug, no direct investment between the two
        ({"direct_investment_relation": "是"}, "不符合", "—"),
        ({"class1_innovative_drug": "否"}, "不符合", "—"),
        # contracts signed from 2026-01-01; the measures run to 2028-12-31
        ({"contract_date": "2026-01-01"}, "符合", "300万元"),
        ({"contract_date": "2025-12-31"}, "不符合", "—"),
        ({"contract_date": "2028-12-31"}, "符合", "300万元"),
        ({"contract_date": "2029-01-01"}, "不符合", "—"),
        # facts missing
        ({"contract_amount": None}, "待核实", "—"),
        ({"service_stage": None}, "待核实", "—"),
        ({"granted_for_project": None}, "待核实", "—"),
        ({"first_cooperation": None}, "待核实", "300万元"),
    ],
)
def test_cdmo_support_for_pharma(change, eligibility, amount):
    award = decide("bj-cdmo-support", "pharma", {**PHARMA, **change})
    shown = total(award) if eligibility != "不符合" else "—"
    assert (award.eligibility, shown) == (eligibility, amount)


def test_cdmo_working_is_the_issue_example():
    award = decide("bj-cdmo-support", "pharma", dict(PHARMA, contract_amount="2000万元", granted_for_project="400万元"))
    assert award.items[0]["working"] == "支持金额 = min(合同金额 2,000万元 × 30%, 单个项目累计上限 500万元 − 已获支持 400万元) = 100万元"
    assert award.items[0]["ref"] == "二、1"
    missing = decide("bj-cdmo-support", "pharma", dict(PHARMA, contract_amount=None))
    assert missing.pending == ["未申报“当年度实际交易合同金额”"]


@pytest.mark.parametrize(
    ("kind", "facts", "eligibility", "amount"),
    [
        ("cdmo", {"first_international_inspection": "是", "class1_innovative_drug": "是"}, "符合", "1,500万元"),
        ("cdmo", {"first_international_inspection": "否", "class1_innovative_drug": "是"}, "不符合", "—"),
        ("cdmo", {"class1_innovative_drug": "是"}, "待核实", "—"),
        ("organizer", {"activity_fee": "300万元"}, "符合", "150万元"),
        ("organizer", {"activity_fee": "400万元"}, "符合", "200万元"),  # exactly at the cap
        ("organizer", {"activity_fee": "4000002元"}, "符合", "200万元"),  # 50% one 元 over
        ("organizer", {"activity_fee": "399.9998万元"}, "符合", "199.9999万元"),
        ("organizer", {}, "待核实", "—"),
        ("association", {"activity_fee": "600万元"}, "符合", "300万元"),
        ("association", {"activity_fee": "600.0002万元"}, "符合", "300万元"),
        ("association", {"activity_fee": "100万元"}, "符合", "50万元"),
    ],
)
def test_cdmo_support_for_cdmos_and_exhibitions(kind, facts, eligibility, amount):
    award = decide("bj-cdmo-support", kind, facts)
    assert (award.eligibility, total(award) if eligibility != "不符合" else "—") == (eligibility, amount)


# --- who reviews a water project ---------------------------------------------------------------------

WATER = {
    "materials": "水工程建设规划同意书申请表、与第三者利害关系的协议书或情况说明、(预)可行性研究报告或初步设计报告及审查意见、水工程建设规划同意书论证报告",
    "plan_conformity": "是",
    "standard_conformity": "是",
    "no_impact": "是",
    "cross_district": "否",
}
HAIWEI, CITY, DISTRICT = "水利部海河水利委员会(不适用本细则)", "市级水行政主管部门", "项目所在区水行政主管部门"


@pytest.mark.parametrize(
    ("facts", "reviewer"),
    [
        ({"river": "永定河", "works_type": "其他"}, HAIWEI),
        ({"river": "北运河", "works_type": "堤防"}, HAIWEI),
        ({"river": "北运河", "works_type": "水库", "reservoir_capacity": "500万立方米"}, HAIWEI),  # 大于(含)500
        ({"river": "北运河", "works_type": "水库", "reservoir_capacity": "4999999立方米"}, CITY),
        ({"river": "潮河", "works_type": "引(调、提)水工程", "diversion_flow": "1立方米每秒"}, HAIWEI),
        ({"river": "潮河", "works_type": "引(调、提)水工程", "diversion_flow": "0.99立方米每秒"}, CITY),
        ({"river": "拒马河", "works_type": "拦河闸坝"}, HAIWEI),
        ({"river": "拒马河", "works_type": "堤防"}, CITY),  # (3) lists no 堤防: 第五条(一)
        # 洹河 (verbatim) is the annex's row 9, 泃河 (平谷区, 海子水库—市界): both as (3) and 第五条(一)
        ({"river": "洹河", "works_type": "拦河闸坝"}, HAIWEI),
        ({"river": "泃河", "works_type": "拦河闸坝"}, HAIWEI),
        ({"river": "泃河", "district": "平谷区", "works_type": "水库", "reservoir_capacity": "500万立方米"}, HAIWEI),
        ({"river": "泃河", "works_type": "引(调、提)水工程", "diversion_flow": "1立方米每秒"}, HAIWEI),
        ({"river": "泃河", "works_type": "引(调、提)水工程", "diversion_flow": "0.99立方米每秒"}, CITY),
        ({"river": "泃河", "district": "平谷区", "works_type": "堤防"}, CITY),
        ({"river": "温榆河", "works_type": "堤防"}, CITY),
        ({"river": "斋堂水库", "works_type": "其他"}, CITY),
        ({"river": "雁栖河", "district": "怀柔区", "works_type": "堤防"}, CITY),
        ({"river": "雁栖河", "district": "密云区", "works_type": "堤防"}, DISTRICT),
        ({"river": "沙河", "district": "密云区", "works_type": "堤防"}, CITY),
        ({"river": "凤河", "works_type": "堤防"}, CITY),
        ({"river": "某某沟", "district": "昌平区", "works_type": "水库", "reservoir_capacity": "10万立方米"}, CITY),  # (五)
        ({"river": "某某沟", "district": "昌平区", "works_type": "堤防", "cross_district": "是"}, CITY),  # (六)
        ({"river": "某某沟", "district": "昌平区", "works_type": "堤防"}, DISTRICT),
    ],
)
def test_water_project_reviewer(facts, reviewer):
    award = decide("bj-water-planning-consent", "project", {**WATER, **facts})
    [item] = award.items
    assert (item["value"], award.eligibility) == (reviewer, "符合")
    assert item["working"].startswith(f"审查机关 = {reviewer}（") and item["ref"] == "第三条、第五条、第六条"


def test_water_huan_he_is_kept_verbatim_and_read_as_ju_he_with_a_note():
    """京水务发〔2026〕29号 第三条 (3) and 第五条 (一) list “洹河”, which is no Beijing river; the 附件's
    row 9 in the same place is 平谷区 “海子水库—市界” (the source text prints “沟河”): 泃河. The text
    stays verbatim, the note says so, and 泃河 闸坝 goes to 海委, not to the district."""
    source = (SOURCES / "001_665f51de318f5560.txt").read_text(encoding="utf-8")
    assert "(3)在拒马河、北拒马河、小清河、洹河上建设的拦河闸、坝(含橡胶坝)" in source
    assert "9\t沟河\t平谷区\t海子水库—市界" in source and "泃河" not in source
    cat = load_catalog("bj-water-planning-consent")
    a3, a5 = cat.clause("A3"), cat.clause("A5")
    assert "小清河、洹河上建设的拦河闸、坝(含橡胶坝)" in a3.text and "泃河" not in a3.text + a5.text
    assert "转录说明" in a3.note and "“沟河”，即泃河" in a3.note and "海子水库—市界" in a3.note
    assert "泃河" in a5.note
    award = decide("bj-water-planning-consent", "project", {**WATER, "river": "泃河", "works_type": "拦河闸坝"})
    [item] = award.items
    assert item["value"] == HAIWEI and "按附件第9项读作泃河" in item["working"]


@pytest.mark.parametrize(
    ("facts", "pending"),
    [
        ({"river": "北运河", "works_type": "水库"}, "未申报“水库库容”"),
        ({"river": "某某沟", "works_type": "堤防", "cross_district": None}, "未申报“是否跨区”"),
        ({"works_type": "堤防"}, "未申报“所在河流(湖泊、水库)”"),
    ],
)
def test_water_project_reviewer_undecided(facts, pending):
    award = decide("bj-water-planning-consent", "project", {**WATER, **facts})
    assert award.eligibility == "待核实" and award.items == [] and pending in award.pending


@pytest.mark.parametrize(
    "change",
    [
        {"materials": "水工程建设规划同意书申请表、水工程建设规划同意书论证报告"},
        {"plan_conformity": "否"},
        {"standard_conformity": "否"},
        {"no_impact": "否"},
    ],
)
def test_water_project_materials_and_review_criteria(change):
    award = decide("bj-water-planning-consent", "project", {**WATER, "river": "温榆河", "works_type": "堤防", **change})
    assert award.eligibility == "不符合"


# --- the expression language itself ------------------------------------------------------------------


def test_units_convert_and_money_is_exact():
    ctx = Context({"a": Quantity(Decimal("0.1"), "万元"), "b": Quantity(Decimal("0.2"), "元")}, {}, {}, DAY)
    v = evaluate({"add": [{"fact": "a"}, {"fact": "b"}, {"const": 0.7, "unit": "元"}]}, ctx)
    assert v.value == Quantity(Decimal("0.10009"), "万元") and v.text == "a 0.1万元 + b 0.2元 + 0.7元"
    bad = evaluate({"mul": [{"fact": "a"}, {"fact": "b"}]}, ctx)
    assert bad.value is None and bad.missing == ["不能将 万元 与 元 相乘"]
    assert evaluate({"max": [{"fact": "a"}, {"fact": "missing"}]}, ctx).missing == ["未申报“missing”"]


# --- batch with reports ----------------------------------------------------------------------------

HEADER = [
    "名称",
    "人员类别",
    "证书类别",
    "发证机构",
    "证书核发日期",
    "申请日期",
    "职业(工种)或专项职业能力项目",
    "证书等级",
    "是否已享受过本补助",
    "是否已通过该证书享受其他政策补贴",
]
LEVELS = {"初级工(五级)": 1000, "中级工(四级)": 1500, "高级工(三级)": 2000, "技师(二级)": 2000}


def applicants(n: int, seed: int = 14) -> tuple[list[list[str]], int]:
    """A sheet of applicants with occupations drawn from the 附件, and the total they should get."""
    import random

    rng = random.Random(seed)
    rows = load_catalog("bj-skills-subsidy").tables["occupations"]["rows"]
    out, expected = [], 0
    for i in range(1, n + 1):
        _, name, code, band = rng.choice(rows)
        level = rng.choice(list(LEVELS))
        again = rng.random() < 0.2
        out.append(
            [f"申请人{i:03d}", "本市登记失业人员", "职业技能等级证书", "北京市人力资源和社会保障局备案评价机构"]
            + ["2026-03-01", "2026-06-01", rng.choice([name, code]), level, "是" if again else "否", "否"]
        )
        if not again:
            expected += LEVELS[level] * (Decimal("1.2") if band == "A" else 1)
    return out, int(expected)


@pytest.mark.slow
def test_batch_with_reports_renders_every_pdf_with_its_working(run, tmp_path):
    import csv

    import openpyxl
    from extras import pdfplumber

    rows, expected = applicants(50)
    sheet = tmp_path / "applicants.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    out = tmp_path / "out"
    result = run(
        "audit",
        "batch",
        "--catalog",
        "bj-skills-subsidy",
        "--kind",
        "person",
        "--facts",
        sheet,
        "--date",
        "2026-11-20",
        "-o",
        out,
        "--report",
        "--title",
        "补助资格审核表",
    )
    assert result.exit_code == 0, result.output
    assert f"合计 {expected:,}元" in result.output and "中 50 份 PDF" in result.output
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 50 and [p.stem for p in pdfs] == [p.stem for p in sorted(out.glob("*.yaml"))]
    book = openpyxl.load_workbook(out / "summary.xlsx").active
    table = list(book.iter_rows(values_only=True))
    assert table[0][10:] == ("资格", "金额", "单位", "金额计算及依据")
    assert table[-1][0] == "合计" and table[-1][11] == expected and len(table) == 52
    first = next(r for r in table[1:-1] if r[10] == "符合")
    with pdfplumber.open(out / first[9].replace(".yaml", ".pdf")) as pdf:
        text = "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "")
    assert "补助资格审核表" in text and "资格与金额" in text and f"合计{first[11]:,}元" in text.replace(" ", "")
    assert "补助金额 = " in text and "京人社能发〔2026〕2号" in text
    refused = next(r for r in table[1:-1] if r[10] == "不符合")
    assert refused[11] is None and "二 申请人此前是否未享受过本补助" in refused[8]


def test_status_and_json_print_the_working_and_the_article(run, tmp_path):
    from paths import ROOT

    out = tmp_path / "cdmo"
    sheet = ROOT / "examples" / "applicants" / "cdmo.csv"
    result = run("audit", "batch", "--catalog", "bj-cdmo-support", "--kind", "pharma", "--facts", sheet, "--date", "2026-11-20", "-o", out)
    assert result.exit_code == 0 and "符合资格 2 个；合计 1,400万元" in result.output
    first = out / "001-京药创新科技有限公司.yaml"
    text = run("audit", "status", first).output
    assert "资格 符合" in text and "合计 400万元" in text
    assert (
        "支持金额 = min(合同金额 2,000万元 × 30%, 单个项目累计上限 500万元 − 已获支持 400万元) = 100万元 (京科发〔2026〕3号 二、1)" in text
    )
    pending = run("audit", "status", out / "005-中关村药谷有限公司.yaml").output
    assert "资格 待核实: 未申报“当年度实际交易合同金额”" in pending
    [status] = json.loads(run("audit", "status", "--format", "json", first).output)
    assert status["award"]["total"] == {"value": "400", "unit": "万元"} and status["award"]["items"][0]["ref"] == "二、1"
    assert run("report", first, "--format", "json", "-o", tmp_path / "r.json").exit_code == 0
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["award"]["eligibility"] == "符合"
    checks = {c["id"]: c for c in report["checks"]}
    assert checks["S2-1-amount"]["decided_by"]["computed"]["working"].endswith("= 100万元")
    assert run("validate", out).exit_code == 0


def test_checks_for_a_kind_of_target_are_not_put_to_units():
    cat = load_catalog("bj-water-planning-consent")
    assert [k.id for k in cat.checks_for(cat.clause("A4"), "city-water")] == ["A4-a"]
    project = {k.id for _, k in audits.select(cat, None, kind="project")}
    assert {"A4-who", "A8-m1", "A8-m4", "A11-c1", "A11-c3"} <= project and not {"A4-a", "A8-a", "A11-d"} & project
    city = {k.id for _, k in audits.select(cat, "city-water")}
    assert "A4-a" in city and not {"A4-who", "A11-c1"} & city


def test_batch_sheet_with_a_character_no_report_can_print_is_refused_at_its_cell(run, tmp_path):
    """A name the report font cannot draw used to leave one report unrendered (exit 3); now the
    sheet is refused at the cell, before any audit or report is written."""
    import csv

    rows, _ = applicants(2)
    rows[1][0] = "申请人\U000f0000"  # no font has this glyph
    sheet = tmp_path / "applicants.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    out = tmp_path / "out"
    args = ["audit", "batch", "--catalog", "bj-skills-subsidy", "--kind", "person", "--facts", sheet, "--date", "2026-11-20"]
    result = run(*args, "-o", out, "--report", "--jobs", "1")
    assert result.exit_code == 1, result.output
    assert "applicants.csv:3:1:" in result.output and "U+F0000" in result.output and "无法打印" in result.output
    assert not out.exists() or not any(out.iterdir())
