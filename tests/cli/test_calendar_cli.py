"""`checklist calendar` through click's CliRunner: the ICS parsed back with icalendar (working days,
stable unique UIDs, reminders, RFC 5545 folding of long Chinese text), the year planner's PDF text,
the XLSX task list, the done-log statuses, and years without data flagged in every output."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from extras import pdfplumber
from icalendar import Calendar as ICalendar
from paths import EXAMPLES, ROOT

from checklist.outputs.ics import ics_bytes
from checklist.workdays.calendar import load_calendar
from checklist.workdays.duty_calendar import build

EXAMPLE = ROOT / "examples" / "duty-calendar"
SPAN = ("--from", "2026-01-01", "--to", "2026-12-31")
TECH = ("calendar", "--catalog", "bj-rtv-3g3b", "--unit", "科技处", *SPAN)
CIVIL = ("calendar", "--catalog", "bj-elderly-care-providers", "--unit", "区民政部门", *SPAN)


def events_of(path) -> list:
    return ICalendar.from_ical(path.read_bytes()).walk("VEVENT")


def test_text_lists_the_tasks_with_uids_and_conventions(run):
    result = run(*TECH)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "职责日历：科技处(公共服务处)  2026-01-01 至 2026-12-31  共 5 项" in out  # 4 × 第二十六条, 第三十三条
    assert "2026-09-30 周三  第二十六条 研究分析所管辖业务领域的安全生产形势" in out
    assert "UID bj-rtv-3g3b-A26-tech-2026Q3@checklist" in out
    assert "期内完成，以该期间最后一个工作日为期限" in out  # the conventions are printed
    assert "日历 2026: 国务院办公厅2026年节假日安排" in out


def test_ics_parses_back_on_working_days_with_stable_unique_uids(run, tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    args = ("--catalog", "bj-rtv-3g3b", "--unit", "科技处", "--events", EXAMPLE / "events.yaml", "--format", "ics")
    assert run(*CIVIL, *args, "-o", first).exit_code == 0
    assert run(*CIVIL, *args, "-o", second).exit_code == 0
    events = events_of(first)
    cal = load_calendar()
    assert len(events) == 38 + 7  # 区民政部门's tasks and 科技处's (4 × A26, A33, 2 event filings)
    days = [ev.decoded("dtstart") for ev in events]
    assert all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in days)  # all-day
    assert all(cal.day(d).working for d in days)
    assert all(ev.decoded("dtend") - ev.decoded("dtstart") == dt.timedelta(days=1) for ev in events)
    uids = [str(ev["uid"]) for ev in events]
    assert len(set(uids)) == len(uids)
    assert uids == [str(ev["uid"]) for ev in events_of(second)]
    assert "bj-rtv-3g3b-A26-tech-2026Q1@checklist" in uids


def test_ics_description_alarm_and_sequence():
    result = build([_rtv()], ["科技处"], dt.date(2026, 1, 1), dt.date(2026, 12, 31), load_calendar())
    early = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    later = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    book = ICalendar.from_ical(ics_bytes(result, 3, early))
    q1 = next(ev for ev in book.walk("VEVENT") if str(ev["uid"]) == "bj-rtv-3g3b-A26-tech-2026Q1@checklist")
    text = str(q1["description"])
    assert "京广发〔2026〕11号" in text and "第二十六条" in text
    assert "各处室单位及各区广电归口管理单位应每季度研究分析所管辖业务领域的安全生产形势" in text
    assert "期内完成" in text
    # 3 working days before Tue 03-31 is Thu 03-26 (03-30, 03-27, 03-26); rings at 09:00 that day
    alarm = q1.walk("VALARM")[0]
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == -dt.timedelta(days=4, hours=15)
    assert dt.datetime(2026, 3, 31) + alarm.decoded("trigger") == dt.datetime(2026, 3, 26, 9)
    # a newer export of the same task: same UID, higher SEQUENCE, newer DTSTAMP → calendar apps update it
    newer = next(ev for ev in ICalendar.from_ical(ics_bytes(result, 3, later)).walk("VEVENT") if str(ev["uid"]) == str(q1["uid"]))
    assert int(newer["sequence"]) > int(q1["sequence"])
    assert newer.decoded("dtstamp") > q1.decoded("dtstamp")
    # --remind 0: at 09:00 on the day itself
    same_day = ICalendar.from_ical(ics_bytes(result, 0, early)).walk("VEVENT")[0].walk("VALARM")[0]
    assert same_day.decoded("trigger") == dt.timedelta(hours=9)


def test_ics_lines_are_folded_at_75_octets_between_characters(run, tmp_path):
    out = tmp_path / "c.ics"
    assert run(*CIVIL, "--format", "ics", "-o", out).exit_code == 0
    raw = out.read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    continued = [line for line in lines if line.startswith(b" ")]
    assert len(continued) > 100  # long Chinese descriptions were folded
    for line in lines:
        line.decode("utf-8")  # no line ends or starts inside a UTF-8 sequence
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8")
    assert "区民政部门应在工作方案发布后5个工作日内\\,首次公布纳入养老服务消费补贴项目的服务机构和企业" in unfolded  # TEXT escapes commas


@pytest.mark.slow
def test_year_planner_pdf_has_the_months_and_tasks(run, tmp_path):
    out = tmp_path / "planner.pdf"
    args = ("--catalog", "bj-rtv-3g3b", "--unit", "科技处", "--events", EXAMPLE / "events.yaml", "--format", "pdf", "-o", out)
    result = run(*CIVIL, *args, "--status", "--done", EXAMPLE / "done.yaml", "--today", "2026-11-25")
    assert result.exit_code == 0, result.output
    with pdfplumber.open(out) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        landscape = [p.width > p.height for p in pdf.pages]
    planner = [i for i, text in enumerate(pages) if "职责年历" in text]
    assert len(planner) == 2 and all(landscape[i] for i in planner)  # one page per unit
    civil, tech = (pages[i] for i in planner)
    assert "区民政部门 职责年历" in civil and "科技处(公共服务处) 职责年历" in tech
    assert all(f"2026年{m}月" in page for m in range(1, 13) for page in (tech, civil))  # twelve months on the one page
    assert "休" in tech and "班" in tech  # holidays and make-up working days are marked
    assert tech.count("A26") == 4 and "A49" in tech
    assert "P2-5·1" in civil and "P1-4.2" in civil
    listing = "".join("".join(pages).split())  # table cells wrap: compare without line breaks
    assert "科技处(公共服务处)任务清单" in listing
    assert listing.count("研究分析所管辖") == 4  # the action, wrapped in its column
    assert "已完成" in listing and "张三" in listing and "已逾期" in listing
    assert "注意" not in listing


def test_xlsx_task_list(run, tmp_path):
    out = tmp_path / "tasks.xlsx"
    assert run(*TECH, "--format", "xlsx", "-o", out, "--status", "--done", EXAMPLE / "done.yaml", "--today", "2026-11-25").exit_code == 0
    book = openpyxl.load_workbook(out)
    rows = list(book["任务"].iter_rows(values_only=True))
    assert rows[0][:4] == ("日期", "星期", "单位", "事项")
    assert [r[0] for r in rows[1:]] == ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31", "2026-12-31"]  # A26 × 4, A33
    assert rows[3][10] == "已逾期 36 个工作日"
    assert rows[1][-1] == "bj-rtv-3g3b-A26-tech-2026Q1@checklist"
    assert any("期内完成" in (r[1] or "") for r in book["说明"].iter_rows(values_only=True))


def test_markdown(run, tmp_path):
    out = tmp_path / "tasks.md"
    assert run(*TECH, "--format", "md", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 科技处(公共服务处) 职责日历（2026-01-01 至 2026-12-31）")
    assert "| 2026-12-31 周四 | 研究分析所管辖业务领域的安全生产形势" in text


def test_status_in_text(run):
    result = run(*TECH, "--status", "--done", EXAMPLE / "done.yaml", "--today", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert "[已完成 2026-03-27 张三]" in result.output
    assert "[已完成（逾期） 2026-07-03 张三，晚 3 个工作日]" in result.output
    assert "[已逾期 36 个工作日]" in result.output
    assert "[待办，还剩 27 个工作日]" in result.output


def test_done_log_entries_matching_no_task_are_reported(run, tmp_path):
    log = tmp_path / "done.yaml"
    log.write_text("done:\n  - {catalog: bj-rtv-3g3b, clause: A26, period: 2025Q4, date: 2025-12-30, by: 张三}\n", encoding="utf-8")
    result = run(*TECH, "--status", "--done", log, "--today", "2026-11-25")
    assert result.exit_code == 0
    assert "条目 bj-rtv-3g3b-A26-2025Q4 与本日历中的任何任务都不对应" in result.stderr


@pytest.mark.slow
def test_2027_refused_then_flagged_everywhere(run, tmp_path):
    span = ("--from", "2026-07-01", "--to", "2027-06-30")
    refused = run("calendar", "--catalog", "bj-rtv-3g3b", "--unit", "科技处", *span)
    assert refused.exit_code == 2
    assert "没有 2027 年的国务院放假安排" in refused.stderr and "--assume-weekends" in refused.stderr
    base = ("calendar", "--catalog", "bj-rtv-3g3b", "--unit", "科技处", *span, "--assume-weekends")
    note = "注意：2027年没有官方节假日安排，已按周一至周五计算"
    text = run(*base)
    assert text.exit_code == 0 and note in text.output.splitlines()[1]
    ics = tmp_path / "a.ics"
    assert run(*base, "--format", "ics", "-o", ics).exit_code == 0
    book = ICalendar.from_ical(ics.read_bytes())
    assert note in str(book["x-wr-caldesc"])
    assert all(note in str(ev["description"]) for ev in book.walk("VEVENT"))
    xlsx = tmp_path / "a.xlsx"
    assert run(*base, "--format", "xlsx", "-o", xlsx).exit_code == 0
    first = next(openpyxl.load_workbook(xlsx)["任务"].iter_rows(min_row=2, values_only=True))
    assert first[0] == "注意" and note in first[3]
    pdf = tmp_path / "a.pdf"
    assert run(*base, "--format", "pdf", "-o", pdf).exit_code == 0
    with pdfplumber.open(pdf) as doc:
        assert note in (doc.pages[0].extract_text() or "").replace("\n", "")
    with_file = run(
        "calendar",
        "--catalog",
        "bj-rtv-3g3b",
        "--unit",
        "科技处",
        *span,
        "--calendar",
        EXAMPLES / "calendar" / "valid" / "cn-2027-test.yaml",
    )
    assert with_file.exit_code == 0 and "注意" not in with_file.output


@pytest.mark.parametrize(
    "args, message",
    [
        (("--unit", "不存在处"), "中没有单位 '不存在处'"),
        (("--unit", "科技处", "--done", "x.yaml"), "--done 需要同时给出 --status"),
        (("--unit", "科技处", "--from", "2026-13-01"), "不是有效日期"),
    ],
)
def test_usage_errors(run, args, message):
    base = ["calendar", "--catalog", "bj-rtv-3g3b", "--from", "2026-01-01", "--to", "2026-12-31"]
    result = run(*base, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_to_before_from_and_unwritable_output(run, tmp_path):
    backwards = run("calendar", "--catalog", "bj-rtv-3g3b", "--unit", "科技处", "--from", "2026-12-31", "--to", "2026-01-01")
    assert backwards.exit_code == 2 and "--to (结束日期)：2026年1月1日 早于起始日 2026年12月31日" in backwards.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(*TECH, "--format", "ics", "-o", blocker / "out.ics")
    assert result.exit_code == 74
    assert "无法写入" in result.stderr and "内部错误" not in result.stderr


def test_invalid_done_log_names_the_place(run):
    bad = EXAMPLES / "done-log" / "invalid" / "bad-entries.yaml"
    result = run(*TECH, "--status", "--done", bad)
    assert result.exit_code == 1
    assert "bad-entries.yaml:" in result.stderr and "已记录在第" in result.stderr


def _rtv():
    from checklist.model.library import load_catalog

    return load_catalog("bj-rtv-3g3b")
