"""The register's paper, read back as text: 整改通知书, 整改复查意见书, 台账 (PDF landscape and
XLSX) and the dashboard (HTML with SVG, and PDF)."""

from __future__ import annotations

import re

import pytest
from extras import pdfplumber
from register_helpers import Register, add_plan


@pytest.fixture
def reg(example, tmp_path):
    """A SQLite register with the example imported (its 重大 hazard with its plan), and its 一般
    hazard rectified and closed."""
    reg = Register(f"sqlite:///{tmp_path / 'register.db'}")
    audit = example
    add_plan(audit)
    assert reg("import", audit).exit_code == 0
    reg("rectify", "YH-2026-0002", "--measure", "已补开三季度分析会并建立台账", "--by", "赵六")
    reg("verify", "YH-2026-0002", "--pass", "--by", "李四", "--opinion", "会议纪要和台账齐全", "--date", "2026-12-03")
    reg.audit = audit
    return reg


def text_of(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def squash(text: str) -> str:
    return "".join(text.split())


def cells(path) -> set[str]:
    """Every table cell's text, its wrapped lines joined."""
    with pdfplumber.open(path) as pdf:
        return {squash(c or "") for page in pdf.pages for table in page.extract_tables() for row in table for c in row}


def test_notice_per_audit_and_unit(reg, tmp_path):
    result = reg("notice", reg.audit, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    (pdf,) = (tmp_path / "out").glob("*.pdf")
    assert pdf.name == "整改通知书-tech-2026q4-科技处(公共服务处).pdf"
    text = squash(text_of(pdf))
    for expected in ("隐患整改通知书", "科技处(公共服务处)：", "YH-2026-0001", "YH-2026-0002", "重大事故隐患", "2026-11-27", "2026-12-15"):
        assert expected in text, expected
    assert "东城区某路口有线电视窨井" in cells(pdf)
    assert "设置围挡和警示标志，专人看守" in text and "已制定" in text
    assert "检查人员（签字）" in text and "被检查单位负责人（签收）" in text and "签收日期" in text


def test_notice_of_an_audit_not_imported(reg, tmp_path):
    other = tmp_path / "other.yaml"  # another audit (its own id) with the same findings, never imported
    other.write_text(re.sub(r"(?m)^id: .*$", "id: another-audit", reg.audit.read_text(encoding="utf-8")), encoding="utf-8")
    result = reg("notice", other, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "请先导入" in result.output


def test_opinion(reg, tmp_path):
    out = tmp_path / "opinion.pdf"
    assert reg("opinion", "YH-2026-0002", "-o", out).exit_code == 0
    text = squash(text_of(out))
    assert "整改复查意见书" in text and "YH-2026-0002" in text
    assert {"通过，予以销号", "会议纪要和台账齐全", "李四", "2026-12-03", "已补开三季度分析会并建立台账"} <= cells(out)
    missing = reg("opinion", "YH-2026-0001", "-o", out)
    assert missing.exit_code == 2 and "YH-2026-0001 没有复查记录" in missing.output


def test_ledger_pdf_is_landscape_with_every_column(reg, tmp_path):
    out = tmp_path / "ledger.pdf"
    result = reg("ledger", "-o", out)
    assert result.exit_code == 0 and "2 条隐患" in result.output
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        assert page.width > page.height  # A4 landscape
    text = squash(text_of(out))
    assert {"合格，已销号", "2026-12-03", "东城区某路口有线电视窨井", "设置围挡和警示标志，专人看守"} <= cells(out)
    for column in (
        "编号",
        "排查时间",
        "部位",
        "排查人",
        "隐患描述",
        "等级",
        "整改措施",
        "责任人",
        "整改期限",
        "临时措施",
        "完成情况",
        "复查人",
        "复查日期",
        "复查结论",
        "销号日期",
    ):
        assert column in text, column


def test_ledger_xlsx(reg, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "ledger.xlsx"
    assert reg("ledger", "--format", "xlsx", "--year", "2026", "--unit", "科技处", "-o", out).exit_code == 0
    rows = list(load_workbook(out)["隐患台账"].iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "单位", "排查时间", "部位") and len(rows[0]) == 16
    closed = next(r for r in rows if r[0] == "YH-2026-0002")
    assert closed[1] == "科技处(公共服务处)"
    assert closed[12] == "李四" and closed[13] == "2026-12-03" and closed[15] == "2026-12-03"
    assert reg("ledger", "--format", "xlsx", "--year", "2025", "-o", out).output.endswith("0 条隐患\n")


def test_dashboard_html_and_pdf(reg, tmp_path):
    html = tmp_path / "d.html"
    assert reg("dashboard", "--today", "2026-12-01", "-o", html).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and "未销号隐患（按单位和等级）共 1 项" in page and "逾期隐患（按逾期工作日）共 1 项" in page
    assert "<title>重大事故隐患 1</title>" in page
    pdf = tmp_path / "d.pdf"
    assert reg("dashboard", "--today", "2026-12-01", "--format", "pdf", "-o", pdf).exit_code == 0
    text = squash(text_of(pdf))
    assert "隐患排查治理看板" in text and "每月发现与销号" in text and "26-11" in text


def test_an_output_that_cannot_be_written_is_exit_74(reg, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    for args in (
        ("ledger", "--format", "xlsx", "-o", blocker / "l.xlsx"),
        ("export", "-o", blocker / "x.jsonl"),
        ("list", "--format", "csv", "-o", blocker / "l.csv"),
    ):
        result = reg(*args)
        assert result.exit_code == 74 and "无法写入：" in result.output and "内部错误" not in result.output, args
