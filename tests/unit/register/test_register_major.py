"""A 重大事故隐患 closed as 京广发〔2026〕11号 demands, through the command line on SQLite and
PostgreSQL: from 排查 through 定级依据, 治理方案, 挂牌督办, 延期 (asked, decided), 整改, 治理评估,
督办销号 and 复查 to 已销号, every paper issued under its 文号 in PDF and DOCX — and each shortcut
refused with its reason. Then the records (通报, 约谈, 线索移交), the businesses, and check-log
naming every new field and record changed behind the log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from register_helpers import ISSUER, set_issuers

from checklist.register.tables import business, hazard, issuer, oversight, paper

HID = "YH-2026-0001"
SUPERVISE = ("--supervisor", "局办公室(安监办)", "--deadline", "2026-12-10", "--number", "京广督〔2026〕1号")
PLAN = (
    ("--goal", "补装井盖，消除坠落隐患"),
    ("--method", "督促歌华有线补装井盖并专项排查"),
    ("--funds", "歌华有线维护经费"),
    ("--team", "科技处 王五 牵头，歌华有线配合"),
    ("--schedule", "2026年12月20日前完成"),
    ("--safety", "围挡、警示标志和夜间照明；发生坠落立即启动应急预案"),
)
UNIT = {"CHECKLIST_ROLE": "unit", "CHECKLIST_USER": "王五"}
INSPECTOR = {"CHECKLIST_ROLE": "inspector", "CHECKLIST_USER": "李四"}


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def refused(result, code: int, words: str):
    assert result.exit_code == code, result.output
    assert words in result.output, result.output
    return result


def shown(reg, hid: str = HID) -> dict:
    return json.loads(reg("show", hid, "--format", "json").output)


@pytest.mark.slow  # a whole closed loop with eight papers rendered, on each backend
def test_a_major_hazard_from_inspection_to_closing_every_shortcut_refused(reg, imported, tmp_path):
    audit = imported
    set_issuers(reg)
    papers = tmp_path / "papers"

    # 整改通知书 issued the day of the inspection
    notice = ok(reg("notice", audit, "-o", papers, "--date", "2026-11-20"))
    assert "京广安改〔2026〕1号" in notice.output
    # no 治理方案: the unit cannot start, and no one can supervise a grading without its basis
    refused(reg("start", HID, "--date", "2026-11-21", env=UNIT), 5, "治理方案六项内容齐全之前不能离开待整改状态")
    refused(reg("supervise", HID, *SUPERVISE, "--date", "2026-11-21"), 5, "其定级未写明依据")
    refused(reg("grade", HID, "--basis", "其他", "--date", "2026-11-21", env=INSPECTOR), 5, "需要填写 --reason (定级理由)")
    refused(
        reg("grade", HID, "--basis", "其他", "--reason", "x", "--date", "2026-11-21", env=UNIT),
        5,
        "应由 admin / inspector 办理，而不是 unit",
    )
    ok(reg("grade", HID, "--basis", "其他", "--reason", "井盖缺失且未设围挡，随时可能坠落", "--date", "2026-11-21", env=INSPECTOR))
    refused(reg("supervise", HID, *SUPERVISE, "--date", "2026-11-21", env=INSPECTOR), 5, "应由 admin 办理，而不是 inspector")
    ok(reg("supervise", HID, *SUPERVISE, "--date", "2026-11-21"))
    plan = [x for pair in PLAN for x in pair]
    ok(reg("plan", HID, *plan, "--author", "科技处处长 周八", "--date", "2026-11-22", env=UNIT))
    # 延期: the unit asks, cannot grant itself; past the 督办期限 only with the supervising unit's consent
    refused(reg("extend", HID, "--due", "2026-12-08", "--reason", "r", "--date", "2026-11-23", env=UNIT), 5, "而不是 unit")
    refused(reg("extension", "approve", HID, "--date", "2026-11-23", env=INSPECTOR), 5, "尚未申请延期")
    ok(reg("extension", "request", HID, "--due", "2026-12-20", "--reason", "井盖需定制", "--date", "2026-11-23", env=UNIT))
    assert shown(reg)["due"] == "2026-11-27" and shown(reg)["ext_due"] == "2026-12-20"  # until decided, the due date stands
    refused(reg("extension", "approve", HID, "--date", "2026-11-24", env=UNIT), 5, "而不是 unit")
    refused(reg("extension", "approve", HID, "--date", "2026-11-24", env=INSPECTOR), 5, "将超过督办期限 2026年12月10日")
    ok(reg("extension", "approve", HID, "--consent", "局办公室同意延期", "--date", "2026-11-24", env=INSPECTOR))
    after = shown(reg)
    assert after["due"] == "2026-12-20" and after["ext_due"] is None
    extended = next(e for e in after["history"] if e["action"] == "approve-extension")
    assert extended["by"] == "李四" and extended["data"]["approver"] == "李四"
    ok(reg("start", HID, "--date", "2026-11-25", env=UNIT))
    ok(reg("rectify", HID, "--measure", "井盖已补装，围挡撤除", "--date", "2026-12-15", env=UNIT))
    # 销号 needs a 治理评估, the 督办销号, an independent 复查, in order
    refused(reg("verify", HID, "--pass", "--date", "2026-12-16", env=INSPECTOR), 5, "销号前须记录治理评估")
    report = tmp_path / "评估报告.pdf"
    report.write_bytes("%PDF-1.4\n% 评估报告\n".encode())
    refused(reg("signoff", HID, "--opinion", "同意", "--date", "2026-12-16"), 5, "销号前须记录治理评估")
    assess = ("--assessor", "市政设施检测中心", "--conclusion", "隐患已消除", "--report", report)
    refused(reg("assess", HID, *assess, "--date", "2026-12-14", env=UNIT), 5, "2026年12月14日 早于其前一步操作")
    fake = tmp_path / "假报告.pdf"  # named a PDF, but text: judged by its first bytes, as the pages judge it
    fake.write_text("只是一段文字", encoding="utf-8")
    faked = ("--assessor", "市政设施检测中心", "--conclusion", "隐患已消除", "--report", fake, "--date", "2026-12-16")
    kept = sorted(tmp_path.rglob("*"))
    refused(reg("assess", HID, *faked, env=UNIT), 2, "评估报告须为 PDF、JPEG 或 PNG 文件")
    assert sorted(tmp_path.rglob("*")) == kept  # nothing stored
    ok(reg("assess", HID, *assess, "--date", "2026-12-16", env=UNIT))
    refused(reg("verify", HID, "--pass", "--date", "2026-12-16", env=INSPECTOR), 5, "销号前须先由督办单位督办销号")
    ok(reg("signoff", HID, "--opinion", "同意督办销号", "--by", "局办公室 孙七", "--date", "2026-12-17"))
    refused(reg("verify", HID, "--pass", "--date", "2026-12-18", env=UNIT | {"CHECKLIST_ROLE": "inspector"}), 5, "整改由王五报告完成")
    refused(reg("verify", HID, "--pass", "--date", "2026-12-16", env=INSPECTOR), 5, "的日期 2026年12月17日")
    ok(reg("verify", HID, "--pass", "--opinion", "现场复查合格", "--date", "2026-12-18", env=INSPECTOR))
    closed = shown(reg)
    assert closed["status"] == "已销号" and closed["reviewer"] == "李四" and closed["closed_on"] == "2026-12-18"
    assert (
        closed["assessor"] == "市政设施检测中心" and closed["signoff_by"] == "局办公室 孙七" and closed["plan_author"] == "科技处处长 周八"
    )

    # every paper, under its 文号, in PDF and DOCX
    issued = {
        "opinion": ok(reg("opinion", HID, "-o", papers / "o.pdf", "--date", "2026-12-18")),
        "supervision": ok(reg("supervision-notice", HID, "-o", papers / "s.pdf", "--date", "2026-11-21")),
        "signoff": ok(reg("signoff-notice", HID, "-o", papers / "x.pdf", "--date", "2026-12-17")),
    }
    assert "京广安复〔2026〕1号" in issued["opinion"].output and "京广安督〔2026〕1号" in issued["supervision"].output
    assert "京广安销〔2026〕1号" in issued["signoff"].output
    for name, args in (("o", ("opinion", HID)), ("s", ("supervision-notice", HID)), ("x", ("signoff-notice", HID))):
        again = ok(reg(*args, "-o", papers / f"{name}.docx", "--format", "docx", "--date", "2026-12-19"))
        assert issued[{"o": "opinion", "s": "supervision", "x": "signoff"}[name]].output.split("  ")[1] in again.output
    ok(reg("notice", audit, "-o", papers, "--format", "docx", "--date", "2026-12-19"))
    assert sorted(p.suffix for p in papers.iterdir()) == [".docx"] * 4 + [".pdf"] * 4
    log = ok(reg("check-log")).output
    assert "2 条隐患、1 项督办" in log and "4 份文书" in log and "4 个发文机关" in log
    history = [e["action"] for e in shown(reg)["history"]]
    assert history.count("issue") == 4 and history[-1] == "issue"


def test_an_extension_refused_leaves_the_due_date(reg, imported, run):
    gid = "YH-2026-0002"
    ok(reg("extension", "request", gid, "--due", "2026-12-31", "--reason", "人手不足", "--date", "2026-11-22", env=UNIT))
    refused(reg("extension", "refuse", gid, "--date", "2026-11-23", "--reason", "", env=INSPECTOR), 5, "需要填写 --reason (理由)")
    ok(reg("extension", "refuse", gid, "--reason", "理由不充分", "--date", "2026-11-23", env=INSPECTOR))
    row = shown(reg, gid)
    assert row["due"] == "2026-12-15" and row["ext_due"] is None and row["history"][-1]["note"] == "理由不充分"
    refused(reg("extension", "approve", gid, "--date", "2026-11-24", env=INSPECTOR), 5, "尚未申请延期")
    ok(
        reg("extend", gid, "--due", "2026-12-22", "--reason", "局里决定", "--date", "2026-11-24", env=INSPECTOR)
    )  # the office may decide itself
    assert shown(reg, gid)["due"] == "2026-12-22"
    assert "申请延期 (request-extension)" in run("register", "lifecycle").output


def test_records_against_a_unit_or_a_hazard(reg, imported):
    notify = ("--organiser", "局安全生产工作领导小组", "--whom", "科技处", "--matter", "重大事故隐患整改不到位")
    ok(reg("record", "notify", "--unit", "科技处", *notify, "--follow-up", "12月10日前报整改情况", "--date", "2026-12-01"))
    talk = ("--organiser", "局安全生产工作领导小组", "--whom", "科技处处长 周八", "--matter", "约谈整改进度")
    ok(reg("record", "interview", "--hazard", "yh-2026-0001", *talk, "--date", "2026-12-02"))
    lead = ("--organiser", "局办公室", "--matter", "重大事故隐患线索")
    refused(
        reg("record", "handover", "--hazard", HID, *lead, "--whom", "局长", "--date", "2026-12-03"),
        2,
        "'局长' 不在可选值之列：局机关纪委、驻局纪检组",
    )
    ok(reg("record", "handover", "--hazard", HID, *lead, "--whom", "驻局纪检组", "--date", "2026-12-03"))
    refused(reg("record", "notify", *notify, "--date", "2026-12-01"), 2, "记录须针对一个单位或一条隐患")
    refused(reg("record", "notify", "--unit", "科技处", *notify, "--role", "unit"), 5, "须由 admin / inspector 记录，unit 不能记录")
    listed = reg("records").output.splitlines()
    assert len(listed) == 3 and "通报  科技处(公共服务处)  局安全生产工作领导小组 → 科技处: 重大事故隐患整改不到位" in listed[0]
    assert "follow-up: 12月10日前报整改情况" in listed[0] and "线索移交  科技处(公共服务处) YH-2026-0001" in listed[2]
    data = json.loads(reg("records", "--hazard", HID, "--format", "json").output)["records"]
    assert [r["kind"] for r in data] == ["interview", "handover"]
    one = shown(reg)
    assert [r["kind"] for r in one["records"]] == ["notify", "interview", "handover"]  # the unit's too
    assert [e["action"] for e in one["history"]][-2:] == ["interview", "handover"] and one["version"] == 1  # records move nothing
    assert "线索移交 2026-12-03 局办公室 → 驻局纪检组: 重大事故隐患线索" in reg("show", HID).output
    assert "1 条隐患" not in ok(reg("check-log")).output and "3 条记录" in reg("check-log").output


BUSINESSES = """名称,统一社会信用代码,行业,分级分类,联系人
歌华有线,91350100M000100Y43,有线电视,A,张工 010-1
科技处(公共服务处),91110000MA00000019,广播电视,B,
"""


def test_businesses_import_list_and_filter(reg, imported, tmp_path):
    from checklist.files.values import credit_check

    second = "91110000MA0000001"
    sheet = tmp_path / "businesses.csv"
    sheet.write_text(BUSINESSES.replace("91110000MA00000019", second + credit_check(second)), encoding="utf-8")
    first = ok(reg("businesses", "import", sheet))
    assert "2 个生产经营单位：新增 2 个，更新 0 个，未变 0 个" in first.output
    assert "2 个生产经营单位：新增 0 个，更新 0 个，未变 2 个" in ok(reg("businesses", "import", sheet)).output
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(",A,", ",C,"), encoding="utf-8")
    assert "新增 0 个，更新 1 个，未变 1 个" in ok(reg("businesses", "import", sheet)).output
    listed = reg("businesses", "list", "--format", "csv").output
    assert listed.splitlines()[0] == "\ufeff统一社会信用代码,名称,行业,分级分类,联系人"
    assert json.loads(reg("businesses", "list", "--grade", "C", "--format", "json").output)["businesses"][0]["name"] == "歌华有线"
    # a filter on the hazard list and the dashboard: the hazards of one business, or of a 分级分类 level
    of_b = json.loads(reg("list", "--business-grade", "B", "--format", "json", "--today", "2026-11-25").output)["hazards"]
    assert [h["id"] for h in of_b] == ["YH-2026-0001", "YH-2026-0002"]
    assert json.loads(reg("list", "--business-grade", "C", "--format", "json", "--today", "2026-11-25").output)["hazards"] == []
    by_code = json.loads(reg("list", "--business", second + credit_check(second), "--format", "json", "--today", "2026-11-25").output)
    assert len(by_code["hazards"]) == 2
    refused(reg("list", "--business", "无此企业"), 2, "生产经营单位信息台账中没有 无此企业")
    page = tmp_path / "d.html"
    ok(reg("dashboard", "--business-grade", "C", "--today", "2026-11-25", "-o", page))
    assert "共 0 项" in page.read_text(encoding="utf-8") and "歌华有线" in page.read_text(encoding="utf-8")
    assert "3 个事件" not in reg("check-log").output and "2 个生产经营单位" in reg("check-log").output


def test_a_bad_business_sheet_names_every_cell(reg, imported, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "名称,统一社会信用代码,分级分类,电话\n歌华有线,91350100M000100Y44,A,1\n,91350100M000100Y43,B,2\n重复,91350100M000100Y43,B,3\n",
        encoding="utf-8",
    )
    bad = reg("businesses", "import", sheet)
    assert bad.exit_code == 1, bad.output
    assert f"{sheet}:1:4: 未知列 '电话'" in bad.output
    sheet.write_text(
        "名称,统一社会信用代码,分级分类\n歌华有线,91350100M000100Y44,A\n,91350100M000100Y43,B\n重复,91350100M000100Y43,B\n某台,9135,C\n",
        encoding="utf-8",
    )
    bad = reg("businesses", "import", sheet)
    assert bad.exit_code == 1, bad.output
    assert f"{sheet}:2:2: 统一社会信用代码：'91350100M000100Y44' 不是有效的统一社会信用代码（GB 32100-2015）：校验码为 4" in bad.output
    assert f"{sheet}:3:1: 企业名称：不得为空" in bad.output
    assert f"{sheet}:4:2: 91350100M000100Y43 也出现在第 3 行" in bad.output
    assert f"{sheet}:5:2: 统一社会信用代码：'9135' 不是有效的统一社会信用代码（GB 32100-2015）：共 4 个字符，应为 18 个" in bad.output
    assert reg("businesses", "list").output == "0 个生产经营单位\n"  # nothing stored


def test_an_xlsx_sheet_of_businesses_and_a_sample_drawn_from_them(reg, tmp_path, run):
    from openpyxl import Workbook

    from checklist.files.values import credit_check

    book = Workbook()
    ws = book.active
    ws.append(["企业名称", "统一社会信用代码", "所属行业", "分级", "联系方式"])
    for i in range(12):
        code = f"9111010{i:02d}MA00000A"[:17]
        ws.append([f"企业{i}", code + credit_check(code), "广播电视", "A" if i < 4 else "B", f"联系人{i}"])
    book.save(tmp_path / "b.xlsx")
    ok(reg("businesses", "import", tmp_path / "b.xlsx"))
    out = tmp_path / "plan.csv"
    drawn = run("sample", "--businesses", "--db", reg.url, "--rate", "25%", "--stratify-by", "分级分类", "--seed", "7", "-o", out)
    assert drawn.exit_code == 0, drawn.output
    assert "从 12 行中抽取 3 行，随机种子 7" in drawn.output and "A: 1/4" in drawn.output and "B: 2/8" in drawn.output
    plan = out.read_text(encoding="utf-8-sig")
    assert "# checklist 抽样：总体 register businesses；12 行" in plan and "层,原行号,统一社会信用代码,名称" in plan
    again = run("sample", "--businesses", "--db", reg.url, "--rate", "25%", "--stratify-by", "分级分类", "--seed", "7", "-o", out)
    assert again.exit_code == 0 and out.read_text(encoding="utf-8-sig") == plan  # the same seed, the same draw
    both = run("sample", tmp_path / "b.xlsx", "--businesses", "--rate", "1%", "-o", out)
    assert both.exit_code == 2 and "二者选其一" in both.output


TAMPERED = {
    "basis": (lambda: sa.update(hazard).where(hazard.c.id == HID).values(basis="特征清单第9项"), f"{HID}：basis"),
    "moved_on": (lambda: sa.update(hazard).where(hazard.c.id == HID).values(moved_on=dt.date(2026, 1, 1)), f"{HID}：moved_on"),
    "ext_due": (lambda: sa.update(hazard).where(hazard.c.id == HID).values(ext_due=dt.date(2027, 1, 1)), f"{HID}：ext_due"),
    "record": (lambda: sa.update(oversight).values(whom="无人"), "whom 在隐患台账中为 '无人'"),
    "record deleted": (lambda: sa.delete(oversight), "该记录已被删除"),
    "paper": (lambda: sa.update(paper).values(hazards="YH-2026-0002"), "hazards 在隐患台账中为 'YH-2026-0002'"),
    "paper added": (
        lambda: paper.insert().values(
            number="京广安改〔2026〕9号",
            kind="notice",
            subject="x",
            prefix="京广安改",
            year=2026,
            seq=9,
            body=ISSUER,
            hazards=HID,
            issued_on=dt.date(2026, 11, 20),
            issued_by="x",
            issued_at="x",
        ),
        "文书 京广安改〔2026〕9号：隐患台账中有它，但没有事件记录它",
    ),
    "issuer": (lambda: sa.update(issuer).where(issuer.c.kind == "notice").values(body="别的机关"), "发文机关 notice：body"),
    "business": (lambda: sa.update(business).values(contact="伪造"), "：contact 在隐患台账中为 '伪造'"),
}


@pytest.mark.parametrize("change", sorted(TAMPERED))
def test_check_log_names_each_new_field_and_record_changed_behind_the_log(reg, imported, tmp_path, change):
    set_issuers(reg)
    ok(reg("grade", HID, "--basis", "其他", "--reason", "井盖缺失", "--date", "2026-11-21"))
    ok(reg("extension", "request", HID, "--due", "2026-12-20", "--reason", "井盖需定制", "--date", "2026-11-22", env=UNIT))
    ok(reg("record", "notify", "--hazard", HID, "--organiser", "领导小组", "--whom", "科技处", "--matter", "通报", "--date", "2026-11-23"))
    ok(reg("notice", imported, "-o", tmp_path, "--format", "html", "--date", "2026-11-23"))
    sheet = tmp_path / "b.csv"
    sheet.write_text("名称,统一社会信用代码\n歌华有线,91350100M000100Y43\n", encoding="utf-8")
    ok(reg("businesses", "import", sheet))
    assert ok(reg("check-log"))
    statement, named = TAMPERED[change]
    with reg.engine().begin() as conn:
        conn.execute(statement())
    broken = reg("check-log")
    assert broken.exit_code == 8 and named in broken.output, broken.output
