"""Facts files (YAML, CSV, XLSX), audits answered from them, batch screening and sampling plans."""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re

import openpyxl
import pytest
from paths import EXAMPLES, ROOT
from pypdf import PdfReader

from checklist.audits.audit_file import load_audit
from checklist.model.library import load_catalog

NEW = ["audit", "new", "--inspector", "张三", "--date", "2026-11-20"]


@pytest.fixture
def rules_catalog(monkeypatch):
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(EXAMPLES / "catalog" / "valid"))
    return load_catalog("rules")


# --- the example: a 居家社区养老服务企业 ------------------------------------------------


def test_home_care_company_fails_the_two_rule_checked_items(run, tmp_path):
    out = tmp_path / "a.yaml"
    result = run(
        *NEW,
        "--catalog",
        "bj-elderly-care-providers",
        "--kind",
        "home-care",
        "--facts",
        ROOT / "examples" / "providers" / "home-care.yaml",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    a, _, _ = load_audit(out)
    decided = {e.ref: e for e in a.entries if e.decided_by and e.decided_by["outcome"] != "undecided"}
    assert {e.result for e in decided.values()} == {"fail"}
    assert len(decided) == 2
    reasons = " ".join(r for e in decided.values() for r in e.decided_by["reasons"])
    assert "缺少 朝阳、海淀、丰台、石景山" in reasons and "为 1 年，要求 ≥ 2 年" in reasons
    judged = [e for e in a.entries if not e.decided_by]
    assert judged and all(e.result == "unchecked" for e in judged)  # judgement calls left to the inspector
    undecided = [e for e in a.entries if e.decided_by and e.decided_by["outcome"] == "undecided"]
    assert all(e.result == "unchecked" and e.decided_by["reasons"][0].startswith("未申报") for e in undecided)
    report = run("report", out, "-o", tmp_path / "a.pdf")
    assert report.exit_code == 0, report.output
    from extras import pypdf

    text = "".join("".join(p.extract_text().split()) for p in pypdf.PdfReader(tmp_path / "a.pdf").pages)
    assert "依申报信息判定" in text and "缺少朝阳、海淀、丰台、石景山" in text


def test_inspector_overrides_a_rule_decision(run, tmp_path):
    out = tmp_path / "a.yaml"
    run(
        *NEW,
        "--catalog",
        "bj-elderly-care-providers",
        "--kind",
        "home-care",
        "--facts",
        ROOT / "examples" / "providers" / "home-care.yaml",
        "-o",
        out,
    )
    a, _, _ = load_audit(out)
    failed = next(i for i, e in enumerate(a.entries) if e.result == "fail")
    unchecked = [i for i, e in enumerate(a.entries) if e.result == "unchecked"]
    after = next(i for i in unchecked if i > failed)
    # skip the unanswered checks before it, then step back from the next one to the rule-failed check
    keys = "s\n" * sum(1 for i in unchecked if i < failed) + "b\n" * (after - failed) + "y\nq\n"
    result = run("audit", "run", out, input=keys)
    assert result.exit_code == 0
    a, _, _ = load_audit(out)
    assert a.entries[failed].result == "pass" and a.entries[failed].decided_by is None


# --- facts files ----------------------------------------------------------------------------


def test_yaml_facts_answer_rules(run, rules_catalog, tmp_path):
    out = tmp_path / "a.yaml"
    result = run(*NEW, "--catalog", "rules", "--kind", "company", "--facts", EXAMPLES / "facts" / "valid" / "company.yaml", "-o", out)
    assert result.exit_code == 0, result.output
    by_id = {e.id: e for e in load_audit(out)[0].entries}
    assert by_id["S1-a"].result == "fail" and by_id["S1-b"].result == "fail"
    assert by_id["S1-c"].result == "pass"  # 250万元 and 注册护士
    assert by_id["S1-a"].decided_by["facts"] == {"districts": "东城、西城"}


def test_facts_of_another_catalog_are_refused(run, rules_catalog, tmp_path):
    result = run(
        *NEW,
        "--catalog",
        "bj-elderly-care-providers",
        "--kind",
        "home-care",
        "--facts",
        EXAMPLES / "facts" / "valid" / "company.yaml",
        "-o",
        tmp_path / "a.yaml",
    )
    assert result.exit_code == 1 and "这是检查目录 'rules' 的事实" in result.output


CSV_OK = (
    "名称,类别,建筑面积,从业人数,依法办理营业执照,最近一次责任事故日期\n甲机构,base,120平方米,5,是,无\n乙机构,base,80,2,否,2026-03-01\n"
)


def test_csv_rows_are_targets(run, rules_catalog, tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(CSV_OK, encoding="utf-8-sig")
    out = tmp_path / "a.yaml"
    assert run(*NEW, "--catalog", "rules", "--kind", "center", "--facts", f, "-o", out).exit_code == 2  # two rows: which?
    result = run(*NEW, "--catalog", "rules", "--kind", "center", "--facts", f, "--target", "乙机构", "-o", out)
    assert result.exit_code == 0, result.output
    by_id = {e.id: e.result for e in load_audit(out)[0].entries}
    assert by_id == {"B1-a": "fail", "B2-a": "fail", "B2-b": "fail", "B2-c": "unchecked", "C1-a": "fail"}


def test_csv_bad_cells_name_row_and_column(run, rules_catalog, tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("名称,建筑面积,从业人数,颜色\n甲,很大,3,红\n乙,100,3.5,蓝\n", encoding="utf-8")
    result = run(*NEW, "--catalog", "rules", "--kind", "base", "--facts", f, "--target", "甲", "-o", tmp_path / "a.yaml")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{f}:1:4: 第 D 列：未知事实 '颜色'" in lines[0]
    assert f"{f}:2:2: 第 B 列（建筑面积）：'很大' 不是带单位的数字" in result.output
    assert f"{f}:3:3: 第 C 列（从业人数）：'3.5' 不是整数" in result.output


def test_xlsx_bad_cells_name_sheet_row_and_column(run, rules_catalog, tmp_path):
    f = tmp_path / "p.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "机构"
    ws.append(["名称", "建筑面积", "依法办理营业执照"])
    ws.append(["甲", 150, "是"])
    ws.append(["乙", "一百", "也许"])
    book.save(f)
    result = run(*NEW, "--catalog", "rules", "--kind", "center", "--facts", f, "--target", "甲", "-o", tmp_path / "a.yaml")
    assert result.exit_code == 1
    assert f"{f}[机构]:3:2: 第 B 列（建筑面积）：'一百' 不是带单位的数字" in result.output
    assert f"{f}[机构]:3:3: 第 C 列（依法办理营业执照）：'也许' 不是 是/否" in result.output


def test_not_an_xlsx(run, rules_catalog, tmp_path):
    f = tmp_path / "p.xlsx"
    f.write_text("not a zip", encoding="utf-8")
    result = run(*NEW, "--catalog", "rules", "--kind", "base", "--facts", f, "-o", tmp_path / "a.yaml")
    assert result.exit_code == 2 and "不是可读取的 XLSX 工作簿" in result.output


# --- batch screening ------------------------------------------------------------------------


def providers_xlsx(path, n=200, seed=3):
    """n generated 居家社区养老服务企业 with a mix of facts."""
    rng = random.Random(seed)
    districts = ["东城", "西城", "朝阳", "海淀", "丰台", "石景山", "通州", "大兴"]
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["名称", "地址", "order_record_retention", "服务范围覆盖的区", "on_credit_blacklist", "has_business_license"])
    for i in range(n):
        ws.append(
            [
                f"第{i + 1}家居家养老服务有限公司",
                f"北京市某区{i + 1}号",
                f"{rng.choice([1, 2, 3])}年",
                "、".join(rng.sample(districts, rng.randint(2, 8))),
                rng.random() < 0.1,
                rng.random() < 0.95,
            ]
        )
    book.save(path)


@pytest.mark.slow
def test_batch_screens_200_providers(run, tmp_path):
    xlsx = tmp_path / "providers.xlsx"
    providers_xlsx(xlsx)
    out = tmp_path / "screened"
    result = run(
        "audit",
        "batch",
        "--catalog",
        "bj-elderly-care-providers",
        "--kind",
        "home-care",
        "--facts",
        xlsx,
        "--date",
        "2026-11-20",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    audits = sorted(out.glob("*.yaml"))
    assert len(audits) == 200 and audits[0].name == "001-第1家居家养老服务有限公司.yaml"
    assert run("validate", out).exit_code == 0
    sheet = openpyxl.load_workbook(out / "summary.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == ("序号", "名称", "类别", "地址", "检查项", "符合", "不符合", "待检查")
    assert len(rows) == 201 and sheet.freeze_panes == "A2"
    assert rows[1][1] == "第1家居家养老服务有限公司" and rows[1][2] == "居家社区养老服务企业"
    with (out / "summary.csv").open(encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    assert [["" if v is None else str(v) for v in r] for r in rows] == table  # the two summaries agree
    for row in rows[1:]:
        a, _, _ = load_audit(out / row[9])
        fails = [e for e in a.entries if e.result == "fail"]
        assert row[6] == len(fails) and (row[8] or "") == "；".join(f"{e.ref} {e.ask}" for e in fails)
    assert any(row[6] for row in rows[1:]) and any(not row[6] for row in rows[1:])


def test_batch_refuses_to_overwrite_answers(run, tmp_path):
    xlsx = tmp_path / "providers.xlsx"
    providers_xlsx(xlsx, n=3)
    out = tmp_path / "screened"
    args = ["audit", "batch", "--catalog", "bj-elderly-care-providers", "--kind", "home-care", "--facts", xlsx, "-o", out]
    assert run(*args).exit_code == 0
    assert run(*args).exit_code == 2
    assert run(*args, "--force").exit_code == 0


def test_batch_with_bad_facts_writes_nothing(run, tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("名称,order_record_retention\n甲,2年\n乙,很久\n", encoding="utf-8")
    out = tmp_path / "screened"
    result = run("audit", "batch", "--catalog", "bj-elderly-care-providers", "--kind", "home-care", "--facts", f, "-o", out)
    assert result.exit_code == 1 and f"{f}:3:2:" in result.output
    assert not out.exists()


# --- sampling plans -------------------------------------------------------------------------


def population(path, sizes=None):
    sizes = sizes or {"东城": 120, "西城": 80, "朝阳": 5}
    lines = ["编号,名称,区"]
    n = 0
    for district, size in sizes.items():
        for _ in range(size):
            n += 1
            lines.append(f"{n},机构{n},{district}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def plan_rows(path):
    text = path.read_text(encoding="utf-8-sig")
    meta = [line for line in text.splitlines() if line.startswith("#")]
    rows = list(csv.reader(line for line in text.splitlines() if not line.startswith("#")))
    return meta, rows


def test_same_seed_same_sample(run, tmp_path):
    population(tmp_path / "p.csv")
    for name in ("a.csv", "b.csv"):
        assert (
            run("sample", tmp_path / "p.csv", "--rate", "5%", "--stratify-by", "区", "--seed", "42", "-o", tmp_path / name).exit_code == 0
        )
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    run("sample", tmp_path / "p.csv", "--rate", "5%", "--stratify-by", "区", "--seed", "43", "-o", tmp_path / "c.csv")
    assert plan_rows(tmp_path / "a.csv")[1] != plan_rows(tmp_path / "c.csv")[1]


def test_proportional_per_stratum_with_minimum(run, tmp_path):
    population(tmp_path / "p.csv")
    result = run(
        "sample",
        tmp_path / "p.csv",
        "--rate",
        "0.05",
        "--stratify-by",
        "区",
        "--min-per-stratum",
        "2",
        "--seed",
        "7",
        "-o",
        tmp_path / "plan.csv",
    )
    assert result.exit_code == 0, result.output
    meta, rows = plan_rows(tmp_path / "plan.csv")
    counts = {}
    for r in rows[1:]:
        counts[r[0]] = counts.get(r[0], 0) + 1
    assert counts == {"东城": 6, "西城": 4, "朝阳": 2}  # 5% of 120 and 80; 5% of 5 rounds to 0, raised to 2
    assert rows[0] == ["层", "原行号", "编号", "名称", "区"]
    assert all(r[0] == r[4] for r in rows[1:])
    digest = hashlib.sha256((tmp_path / "p.csv").read_bytes()).hexdigest()
    assert f"205 行；SHA-256 {digest}" in meta[0] and "随机种子 7" in meta[1]


def test_one_percent_spot_check(run, tmp_path):
    population(tmp_path / "p.csv", {"全市": 1000})
    run("sample", tmp_path / "p.csv", "--rate", "1%", "--seed", "1", "-o", tmp_path / "plan.csv")
    _, rows = plan_rows(tmp_path / "plan.csv")
    assert len(rows) - 1 == 10
    assert len({r[1] for r in rows[1:]}) == 10


def test_seed_is_chosen_printed_and_recorded(run, tmp_path):
    population(tmp_path / "p.csv")
    result = run("sample", tmp_path / "p.csv", "--rate", "10%", "-o", tmp_path / "plan.csv")
    seed = re.search(r"随机种子 (\d+)", result.output).group(1)
    meta, rows = plan_rows(tmp_path / "plan.csv")
    assert f"随机种子 {seed}：" in meta[1]
    again = run("sample", tmp_path / "p.csv", "--rate", "10%", "--seed", seed, "-o", tmp_path / "again.csv")
    assert again.exit_code == 0 and plan_rows(tmp_path / "again.csv")[1] == rows


@pytest.mark.parametrize(
    "args, message",
    [
        (["--rate", "0"], "--rate (抽查比例)：'0' 不是比例：请写 0.01 或 1%，大于 0 且不超过 1（100%）"),
        (["--rate", "abc"], "--rate (抽查比例)：'abc' 不是比例"),
        (["--rate", "1%", "--stratify-by", "省"], "中没有列 '省'"),
    ],
)
def test_sample_usage_errors(run, tmp_path, args, message):
    population(tmp_path / "p.csv")
    result = run("sample", tmp_path / "p.csv", *args, "-o", tmp_path / "plan.csv")
    assert result.exit_code == 2 and message in result.output


def test_ragged_population_row_is_located(run, tmp_path):
    (tmp_path / "p.csv").write_text("编号,区\n1,东城\n2\n", encoding="utf-8")
    result = run("sample", tmp_path / "p.csv", "--rate", "1%", "-o", tmp_path / "plan.csv")
    assert result.exit_code == 1 and f"{tmp_path / 'p.csv'}:3:1: 有 1 个单元格，但表头有 2 列" in result.output


@pytest.mark.parametrize("sheet", ["providers.xlsx", "providers.csv"])
def test_example_providers_screen_alike_and_no_progress_words_leak(run, tmp_path, sheet):
    """The README's example sheets give the same verdicts; with standard error not a terminal no
    progress-bar words or blank lines are written to it."""
    out = tmp_path / "screened"
    result = run(
        "audit", "batch", "--catalog", "bj-elderly-care-providers", "--kind", "home-care",
        "--facts", ROOT / "examples" / "providers" / sheet, "--date", "2026-11-20", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "中共 5 份检查记录" in result.stdout.splitlines()[0]
    with (out / "summary.csv").open(encoding="utf-8-sig") as f:
        rows = {r["名称"]: (r["符合"], r["不符合"], r["待检查"]) for r in csv.DictReader(f)}
    assert rows["示例康养居家服务有限公司"] == ("7", "0", "4")
    assert rows["示例长青社区服务有限公司"] == ("4", "3", "4")


# --- amounts exact to the fen in every output ---------------------------------------------------

CDMO_HEADER = "名称,是否为1类创新药项目,双方是否有直接投资关联,合同签订日期,委托服务阶段,当年度实际交易合同金额,该项目已获支持金额,是否为合作双方首次开展委托合作,是否获得国际注册认证"


@pytest.mark.parametrize(
    ("contract", "shown"),
    [
        ("1234.5678万元", "370.37034"),  # the review's case: 30% is 3,703,703.40元, printed 370.37 before
        ("1234.567891万元", "370.370367"),  # 3,703,703.673元 → to the fen: 3,703,703.67元
        ("1000.00005万元", "300.000015"),  # 3,000,000.15元 exactly: a fen is 0.000001万元
    ],
)
def test_cdmo_amounts_are_exact_to_the_fen_in_every_output(run, tmp_path, contract, shown):
    """京科发〔2026〕3号 二、1: 按照当年度实际交易合同金额的30%给予支持 — an amount in 万元 is exact to
    the fen (0.01元 = 0.000001万元) in the summary CSV and XLSX, the batch's text, the audit's JSON
    status and its PDF report; never rounded to 0.01万元."""
    facts = tmp_path / "cdmo.csv"
    facts.write_text(f"{CDMO_HEADER}\n京药创新科技有限公司,是,否,2026-03-15,工艺开发,{contract},0,否,否\n", encoding="utf-8")
    out = tmp_path / "screened"
    args = ("--catalog", "bj-cdmo-support", "--kind", "pharma", "--facts", facts, "--date", "2026-11-20", "-o", out)
    result = run("audit", "batch", *args)
    assert result.exit_code == 0, result.output
    assert f"符合资格 1 个；合计 {shown}万元" in result.output
    with (out / "summary.csv").open(encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    amount = table[0].index("金额")
    assert [row[amount] for row in table[1:]] == [shown, shown]  # the applicant and the 合计 row
    sheet = openpyxl.load_workbook(out / "summary.xlsx").active
    cells = [row[amount] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [repr(c) for c in cells] == [shown, shown] and all(isinstance(c, float) for c in cells)
    audit = out / "001-京药创新科技有限公司.yaml"
    status = json.loads(run("audit", "status", "--format", "json", audit).output)
    assert status[0]["award"]["total"] == {"value": shown, "unit": "万元"}
    pdf = tmp_path / "report.pdf"
    assert run("report", audit, "-o", pdf).exit_code == 0
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert f"合计{shown}万元" in text and f"={shown}万元" in text
