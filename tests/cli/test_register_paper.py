"""The register's paper, read back as text: the four papers a bureau sends (整改通知书, 整改复查意见书,
督办通知书, 督办销号通知书) as PDF and as DOCX under their 文号, the 台账 (PDF landscape and XLSX)
and the dashboard (HTML with SVG, and PDF)."""

from __future__ import annotations

import re

import pytest
from extras import pdfplumber
from register_helpers import ISSUER, Register, add_plan, set_issuers

REPORT = b"%PDF-1.4\n% assessment report\n"


@pytest.fixture
def reg(example, tmp_path):
    """A SQLite register with the example imported (its 重大 hazard with its basis and plan) and
    issuers set; the 一般 hazard rectified and closed; the 重大 one supervised, extended past its
    督办期限 with the supervising unit's consent, rectified, assessed, signed off and closed."""
    reg = Register(f"sqlite:///{tmp_path / 'register.db'}")
    audit = example
    add_plan(audit)
    assert reg("import", audit).exit_code == 0
    set_issuers(reg)
    report = tmp_path / "评估报告.pdf"
    report.write_bytes(REPORT)
    for args in (
        ("rectify", "YH-2026-0002", "--measure", "已补开三季度分析会并建立台账", "--by", "赵六", "--role", "unit", "--date", "2026-12-01"),
        ("verify", "YH-2026-0002", "--pass", "--by", "李四", "--opinion", "会议纪要和台账齐全", "--date", "2026-12-03"),
        ("supervise", "YH-2026-0001", "--supervisor", "局办公室(安监办)", "--deadline", "2026-12-10", "--number", "京广督〔2026〕1号")
        + ("--date", "2026-11-21"),
        ("extension", "request", "YH-2026-0001", "--due", "2026-12-20", "--reason", "井盖需定制", "--by", "王五", "--role", "unit")
        + ("--date", "2026-11-23"),
        ("extension", "approve", "YH-2026-0001", "--consent", "局办公室同意延期", "--by", "李四", "--role", "inspector")
        + ("--date", "2026-11-24"),
        ("rectify", "YH-2026-0001", "--measure", "井盖已补装，围挡撤除", "--by", "王五", "--role", "unit", "--date", "2026-12-15"),
        ("assess", "YH-2026-0001", "--assessor", "市政设施检测中心", "--conclusion", "隐患已消除", "--report", report, "--by", "王五")
        + ("--role", "unit", "--date", "2026-12-16"),
        ("signoff", "YH-2026-0001", "--opinion", "同意督办销号", "--by", "局办公室 孙七", "--date", "2026-12-17"),
        ("verify", "YH-2026-0001", "--pass", "--by", "李四", "--role", "inspector", "--opinion", "现场复查合格", "--date", "2026-12-18"),
    ):
        done = reg(*args)
        assert done.exit_code == 0, (args, done.output)
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


def docx_text(path) -> str:
    """A Word document's text as Word shows it: paragraphs and every table cell, squashed."""
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return squash("\n".join(parts))


def written(result) -> tuple:
    """(file, 文号) a paper command printed."""
    assert result.exit_code == 0, result.output
    path, _, number = result.output.strip().partition("  ")
    return path, number


def test_notice_per_audit_and_unit_under_its_number(reg, tmp_path):
    path, number = written(reg("notice", reg.audit, "-o", tmp_path / "out", "--date", "2026-11-20"))
    assert number == "京广安改〔2026〕1号"
    assert path.endswith("隐患整改通知书-京广安改〔2026〕1号-科技处(公共服务处).pdf")
    text = squash(text_of(path))
    for expected in (ISSUER, "隐患整改通知书", number, "科技处(公共服务处)：", "YH-2026-0001", "YH-2026-0002", "2026年11月20日"):
        assert expected in text, expected
    # the due date as issued, the extension printed as such; the plan in full; 督办; seal and signatures
    assert "2026-11-27" in text and "经李四于2026-11-24批准延期至2026-12-20" in text
    for part in ("目标和任务", "补装井盖，消除坠落隐患", "安全措施和应急预案", "围挡、警示标志和夜间照明；发生坠落立即启动应急预案"):
        assert part in text, part
    assert "已制定" not in text
    assert "督办单位局办公室(安监办)" in text and "京广督〔2026〕1号" in text and "督办期限2026-12-10" in text
    assert "定级依据" in text and "其他：井盖缺失且未设围挡" in text
    assert "（盖章）" in text and "检查人员（签字）" in text and "被检查单位负责人（签收）" in text
    assert "东城区某路口有线电视窨井" in cells(path)
    again = written(reg("notice", reg.audit, "-o", tmp_path / "again", "--date", "2026-11-30"))
    assert again[1] == number  # the same paper asked for again keeps its number


def test_every_paper_as_docx_with_its_number_target_and_due_date(reg, tmp_path):
    papers = {
        "notice": reg("notice", reg.audit, "-o", tmp_path, "--format", "docx", "--date", "2026-11-20"),
        "opinion": reg("opinion", "YH-2026-0001", "--format", "docx", "-o", tmp_path / "o.docx", "--date", "2026-12-18"),
        "supervision": reg("supervision-notice", "YH-2026-0001", "--format", "docx", "-o", tmp_path / "s.docx", "--date", "2026-11-21"),
        "signoff": reg("signoff-notice", "YH-2026-0001", "--format", "docx", "-o", tmp_path / "x.docx", "--date", "2026-12-17"),
    }
    numbers = {
        "notice": "京广安改〔2026〕1号",
        "opinion": "京广安复〔2026〕1号",
        "supervision": "京广安督〔2026〕1号",
        "signoff": "京广安销〔2026〕1号",
    }
    for kind, result in papers.items():
        path, number = written(result)
        assert number == numbers[kind], kind
        text = docx_text(path)
        assert number in text and ISSUER in text and "科技处(公共服务处)" in text, kind
        assert "2026-11-27" in text and "2026-12-20" in text, kind  # the due date as issued, and the extension
        assert "（盖章）" in text, kind
        assert "{{" not in text and "{%" not in text, kind  # every tag filled
    assert "目标和任务" in docx_text(papers["notice"].output.split("  ")[0]) and "已制定" not in docx_text(tmp_path / "s.docx")
    assert "同意督办销号" in docx_text(tmp_path / "x.docx") and "市政设施检测中心" in docx_text(tmp_path / "x.docx")


def test_opinion_supervision_and_signoff_pdf(reg, tmp_path):
    _, number = written(reg("opinion", "YH-2026-0001", "YH-2026-0002", "-o", tmp_path / "o.pdf", "--date", "2026-12-18"))
    text = squash(text_of(tmp_path / "o.pdf"))
    assert number == "京广安复〔2026〕1号" and number in text and ISSUER in text
    assert {"通过，予以销号", "现场复查合格", "会议纪要和台账齐全", "2026-11-27经李四于2026-11-24批准延期至2026-12-20"} <= cells(
        tmp_path / "o.pdf"
    )
    assert "市政设施检测中心于2026-12-16评估：隐患已消除" in text and "评估报告评估报告.pdf" in text
    assert "局办公室孙七于2026-12-17：同意督办销号" in text and "督办编号京广督〔2026〕1号" in text
    _, number = written(reg("supervision-notice", "YH-2026-0001", "-o", tmp_path / "s.pdf", "--date", "2026-11-21"))
    text = squash(text_of(tmp_path / "s.pdf"))
    assert number == "京广安督〔2026〕1号" and "重大事故隐患督办通知书" in text and "第四十条" in text
    assert "督办期限2026-12-10" in text and "负责治理的机构和人员" in text and "科技处王五牵头，歌华有线配合" in text
    _, number = written(reg("signoff-notice", "YH-2026-0001", "-o", tmp_path / "x.pdf", "--date", "2026-12-17"))
    text = squash(text_of(tmp_path / "x.pdf"))
    assert number == "京广安销〔2026〕1号" and "重大事故隐患督办销号通知书" in text and "现予督办销号" in text
    assert "评估报告评估报告.pdf" in text and "2026年12月17日" in text


def test_numbers_run_per_prefix_and_year_and_are_never_reused(reg, tmp_path):
    first = written(reg("opinion", "YH-2026-0002", "-o", tmp_path / "a.pdf", "--date", "2026-12-03"))[1]
    second = written(reg("opinion", "YH-2026-0001", "-o", tmp_path / "b.pdf", "--date", "2026-12-18"))[1]
    next_year = written(reg("opinion", "YH-2026-0001", "YH-2026-0002", "-o", tmp_path / "c.pdf", "--date", "2027-01-04"))[1]
    assert (first, second, next_year) == ("京广安复〔2026〕1号", "京广安复〔2026〕2号", "京广安复〔2027〕1号")
    # a new prefix starts its own count; the numbers given stay theirs
    assert reg("issuer", "set", "opinion", "--body", ISSUER, "--prefix", "京广复").exit_code == 0
    assert written(reg("opinion", "YH-2026-0002", "-o", tmp_path / "d.pdf", "--date", "2026-12-20"))[1] == first
    listed = reg("issuer", "list").output
    assert "opinion\t整改复查意见书\t北京市广播电视局  京广复〔YYYY〕N号\tlast 京广安复〔2027〕1号" in listed
    shown = reg("show", "YH-2026-0002").output
    assert "文书 整改复查意见书 京广安复〔2026〕1号" in shown and "发文" in shown
    assert reg("check-log").exit_code == 0


def test_a_paper_needs_its_issuer_and_an_issuing_role(example, tmp_path):
    reg = Register(f"sqlite:///{tmp_path / 'r.db'}")
    assert reg("import", example).exit_code == 0
    unset = reg("notice", example, "-o", tmp_path, "--date", "2026-11-20")
    assert unset.exit_code == 2 and "尚未设置隐患整改通知书的发文机关" in unset.output
    draft = reg("notice", example, "-o", tmp_path, "--draft")
    assert draft.exit_code == 0 and "草稿" in draft.output
    assert "（未签发：无文号）" in squash(text_of(draft.output.strip()))
    set_issuers(reg)
    by_unit = reg("notice", example, "-o", tmp_path, "--role", "unit", "--date", "2026-11-20")
    assert by_unit.exit_code == 5 and "须由 admin / inspector 印发，unit 不能印发" in by_unit.output
    not_admin = reg("issuer", "set", "notice", "--body", "x", "--prefix", "y", "--role", "inspector")
    assert not_admin.exit_code == 5 and "inspector 不能印发" in not_admin.output
    unsupervised = reg("supervision-notice", "YH-2026-0001", "--date", "2026-11-20")
    assert unsupervised.exit_code == 2 and "YH-2026-0001 没有可写入重大事故隐患督办通知书的挂牌督办" in unsupervised.output


def test_notice_of_an_audit_not_imported(reg, tmp_path):
    other = tmp_path / "other.yaml"  # another audit (its own id) with the same findings, never imported
    other.write_text(re.sub(r"(?m)^id: .*$", "id: another-audit", reg.audit.read_text(encoding="utf-8")), encoding="utf-8")
    result = reg("notice", other, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "请先导入" in result.output


def test_opinion_of_a_hazard_never_reviewed(example, tmp_path):
    reg = Register(f"sqlite:///{tmp_path / 'r.db'}")
    assert reg("import", example).exit_code == 0
    missing = reg("opinion", "YH-2026-0001", "-o", tmp_path / "o.pdf", "--draft")
    assert missing.exit_code == 2 and "YH-2026-0001 没有复查记录" in missing.output


LEDGER_COLUMNS = (
    "编号",
    "单位",
    "排查时间",
    "部位",
    "排查人",
    "隐患描述",
    "依据",
    "等级",
    "整改措施",
    "责任人",
    "整改期限",
    "延期",
    "督办",
    "临时措施",
    "完成情况",
    "评估",
    "复查人",
    "复查日期",
    "复查结论",
    "销号日期",
)


def test_ledger_pdf_is_landscape_with_every_column(reg, tmp_path):
    out = tmp_path / "ledger.pdf"
    result = reg("ledger", "-o", out)
    assert result.exit_code == 0 and "2 条隐患" in result.output
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        assert page.width > page.height  # A4 landscape
    text = squash(text_of(out))
    found = cells(out)
    assert {"合格，已销号", "2026-12-03", "东城区某路口有线电视窨井", "设置围挡和警示标志，专人看守"} <= found
    assert "bj-rtv-3g3b第二十一条第2项" in found and "2026-11-27→2026-12-20（李四2026-11-24批准）" in found
    assert "局办公室(安监办)京广督〔2026〕1号，期限2026-12-10，已督办销号" in found
    assert "市政设施检测中心2026-12-16：隐患已消除" in found
    for column in LEDGER_COLUMNS:
        assert column in text, column


def test_ledger_xlsx(reg, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "ledger.xlsx"
    assert reg("ledger", "--format", "xlsx", "--year", "2026", "--unit", "科技处", "-o", out).exit_code == 0
    rows = list(load_workbook(out)["隐患台账"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "编号")
    assert header == LEDGER_COLUMNS
    major = next(r for r in rows if r[0] == "YH-2026-0001")
    closed = next(r for r in rows if r[0] == "YH-2026-0002")
    assert major[1] == "科技处(公共服务处)" and major[10] == "2026-11-27" and "2026-12-20" in major[11] and "京广督〔2026〕1号" in major[12]
    assert closed[16] == "李四" and closed[17] == "2026-12-03" and closed[19] == "2026-12-03"
    assert reg("ledger", "--format", "xlsx", "--year", "2025", "-o", out).output.endswith("0 条隐患\n")


def test_dashboard_html_and_pdf(reg, tmp_path):
    html = tmp_path / "d.html"
    assert reg("dashboard", "--today", "2026-12-01", "-o", html).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "未销号隐患（按单位和等级）共 0 项" in page  # both closed by now: nothing overdue to draw
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
