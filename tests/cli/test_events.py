"""`checklist events check`: 第四十九条's filing deadline and safety lead, read from the catalog."""

from __future__ import annotations

import json

import pytest
from extras import pypdf
from paths import EXAMPLES

EVENTS = EXAMPLES / "events" / "valid" / "events.yaml"


@pytest.fixture(scope="module")
def checked():
    from click.testing import CliRunner

    from checklist.cli import cli

    result = CliRunner().invoke(cli, ["events", "check", str(EVENTS), "--today", "2026-11-23", "--format", "json"])
    return result.exit_code, {e["id"]: e for e in json.loads(result.output)["events"]}


def test_exit_code_says_something_is_late(checked):
    assert checked[0] == 4


def test_on_time_event(checked):
    e = checked[1]["on-time"]
    assert e["deadline"] == "2026-09-17"
    assert [f["status"] for f in e["filings"]] == ["on_time"] * 3
    assert e["safety_lead"]["ok"] is True and e["problems"] == []


def test_late_by_working_days_and_missing(checked):
    e = checked[1]["late-and-missing"]
    assert e["deadline"] == "2026-09-21"  # 10-12 less 10 working days: 10-10 make-up Saturday counts, 国庆 and 中秋 do not
    late, missing = e["filings"][1], e["filings"][2]
    assert (late["status"], late["late_by_working_days"]) == ("late", 4)  # 09-22, 09-23, 09-24, 09-28
    assert missing["status"] == "missing"
    assert e["problems"] == ["《社会稳定风险评估报告备案表》逾期 4 个工作日", "《活动安全隐患排查治理表》未报送，已逾期"]


def test_upcoming_event_counts_working_days_left(checked):
    e = checked[1]["upcoming-wrong-lead"]
    assert e["deadline"] == "2026-11-26" and e["working_days_left"] == 4  # 11-23, 24, 25, 26
    assert [f["status"] for f in e["filings"]] == ["on_time", "pending", "pending"]
    assert e["filings"][1]["working_days_left"] == 4


def test_other_event_lead_must_be_the_lead_units_principal(checked):
    e = checked[1]["upcoming-wrong-lead"]
    assert e["safety_lead"]["ok"] is False
    assert "须由牵头单位网络视听节目管理处的主要负责人担任" in e["safety_lead"]["message"]


def test_national_event_lead_must_be_designated_by_the_party_group(checked):
    e = checked[1]["national-not-designated"]
    assert e["safety_lead"]["ok"] is False
    assert "须由局党组指定" in e["safety_lead"]["message"]
    assert all(f["status"] == "pending" for f in e["filings"])


def test_all_on_time_exits_0(run, tmp_path):
    f = tmp_path / "ok.yaml"
    text = EVENTS.read_text(encoding="utf-8")
    f.write_text(text[: text.index("  - id: late-and-missing")], encoding="utf-8")
    result = run("events", "check", f, "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "均未发现逾期或缺失" in result.output


def test_the_same_file_checked_before_the_deadline_is_not_late(run, tmp_path):
    f = tmp_path / "early.yaml"
    text = EVENTS.read_text(encoding="utf-8")
    start = text.index("  - id: upcoming-wrong-lead")
    f.write_text(
        text[: text.index("  - id: on-time")]
        + text[start : text.index("  - id: national-not-designated")]
        .replace("principal: false", "principal: true")
        .replace("filed_with: 宣传管理处", "filed_with: 局办公室"),
        encoding="utf-8",
    )
    result = run("events", "check", f, "--today", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert "还剩 5 个工作日" in result.output


def test_text_report_names_the_rule(run):
    result = run("events", "check", EVENTS, "--today", "2026-11-23")
    assert "第四十九条" in result.output and "提前10个工作日" in result.output
    assert "逾期 4 个工作日" in result.output


def test_rule_is_read_from_the_catalog(run, tmp_path, monkeypatch):
    """Change the catalog's rule to 5 working days: the deadline moves, no code involved."""
    from paths import ROOT

    cats = tmp_path / "cats"
    cats.mkdir()
    text = (ROOT / "catalogs" / "bj-rtv-3g3b.yaml").read_text(encoding="utf-8")
    (cats / "rtv5.yaml").write_text(
        text.replace("id: bj-rtv-3g3b", "id: rtv5", 1).replace("working_days: 10", "working_days: 5"), encoding="utf-8"
    )
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(cats))
    f = tmp_path / "e.yaml"
    f.write_text(EVENTS.read_text(encoding="utf-8").replace("catalog: bj-rtv-3g3b", "catalog: rtv5"), encoding="utf-8")
    result = run("events", "check", f, "--today", "2026-11-23", "--format", "json")
    deadlines = {e["id"]: e["deadline"] for e in json.loads(result.output)["events"]}
    assert deadlines["on-time"] == "2026-09-23"  # 09-30, 29, 28, 24, 23


def test_invalid_events_file_exits_1(run):
    result = run("events", "check", EXAMPLES / "events" / "invalid" / "bad-events.yaml", "--today", "2026-11-23")
    assert result.exit_code == 1
    assert "bad-events.yaml:11:20: 第四十九条 不要求文件 '活动方案'" in result.output


def test_pdf_report(run, tmp_path):
    out = tmp_path / "events.pdf"
    result = run("events", "check", EVENTS, "--today", "2026-11-23", "--format", "pdf", "-o", out)
    assert result.exit_code == 4
    text = "".join("".join(p.extract_text().split()) for p in pypdf.PdfReader(out).pages)
    assert "大型活动“一案两表”备案检查" in text
    assert "逾期4个工作日" in text and "未报送，已逾期" in text
    pages = len(pypdf.PdfReader(out).pages)
    assert all(f"第{n}页共{pages}页" in text for n in range(1, pages + 1))


# --- the whole truth: recipients, filings in the future, events that cannot be checked ------------


def test_filed_with_matches_the_rules_recipient_after_nfkc_and_aliases(checked):
    e = checked[1]["on-time"]
    assert e["file_with"] == "办公室(安全监管办公室)"
    assert [f["recipient_ok"] for f in e["filings"]] == [True, True, True]  # 局办公室（安监办）, 安监办, the full name


def test_filed_with_the_wrong_unit_is_a_problem(checked):
    e = checked[1]["upcoming-wrong-lead"]
    first = e["filings"][0]
    assert (first["status"], first["filed_with"], first["recipient_ok"]) == ("on_time", "宣传管理处", False)
    assert "《安全保障工作方案》报送宣传管理处，应报送办公室(安全监管办公室)" in e["problems"]


def test_filing_without_recipient_is_shown_unverified(run):
    result = run("events", "check", EVENTS, "--today", "2026-11-23")
    assert "《安全保障工作方案》 2026-09-21 按时，未写明报送对象（应报送办公室(安全监管办公室)）" in result.output
    assert "报送宣传管理处（应报送办公室(安全监管办公室)）" in result.output


def _one_event(tmp_path, body: str):
    f = tmp_path / "e.yaml"
    f.write_text(f"catalog: bj-rtv-3g3b\nrule: A49\nevents:\n{body}", encoding="utf-8")
    return f


ON_TIME_2026 = """  - id: ok-2026
    name: 晚会
    level: 其他
    lead_unit: drama
    start: 2026-10-08
    safety_lead: {name: 李某, unit: drama, principal: true}
    filings:
      - {document: 安全保障工作方案, filed: 2026-09-15, filed_with: 安监办}
      - {document: 社会稳定风险评估报告备案表, filed: 2026-09-15, filed_with: 安监办}
      - {document: 活动安全隐患排查治理表, filed: 2026-09-15, filed_with: 安监办}
"""


def test_filing_dated_after_today_is_an_error(run, tmp_path):
    f = _one_event(
        tmp_path,
        ON_TIME_2026.replace(
            "filed: 2026-09-15, filed_with: 安监办}\n      - {document: 社会",
            "filed: 2026-12-01, filed_with: 安监办}\n      - {document: 社会",
        ),
    )
    result = run("events", "check", f, "--today", "2026-11-23", "--format", "json")
    assert result.exit_code == 1, result.output
    e = json.loads(result.output)["events"][0]
    assert e["filings"][0]["status"] == "future"
    assert e["problems"] == ["《安全保障工作方案》报送日期晚于检查日期（不可能已报送）"]


def test_event_in_a_year_without_calendar_data_does_not_hide_the_others(run, tmp_path):
    late = ON_TIME_2026.replace("ok-2026", "late-2026").replace(
        "filed: 2026-09-15, filed_with: 安监办}\n      - {document: 活动", "filed: 2026-09-30, filed_with: 安监办}\n      - {document: 活动"
    )
    future_year = ON_TIME_2026.replace("ok-2026", "in-2031").replace("start: 2026-10-08", "start: 2031-05-06")
    f = _one_event(tmp_path, ON_TIME_2026 + future_year + late)
    result = run("events", "check", f, "--today", "2026-11-23", "--format", "json")
    events = {e["id"]: e for e in json.loads(result.output)["events"]}
    assert set(events) == {"ok-2026", "in-2031", "late-2026"}
    assert events["in-2031"]["error"].startswith("没有 2031 年的国务院放假安排")
    assert events["in-2031"]["exit_code"] == 2 and events["in-2031"]["deadline"] is None
    assert events["late-2026"]["filings"][1]["status"] == "late"
    assert events["ok-2026"]["problems"] == []
    assert result.exit_code == 4 == json.loads(result.output)["exit_code"]  # the worst (highest) outcome: late beats could-not-check
    text = run("events", "check", f, "--today", "2026-11-23").output
    assert "[无法检查] 没有 2031 年的国务院放假安排" in text and "2026-09-30 逾期 9 个工作日" in text
    alone = _one_event(tmp_path, ON_TIME_2026 + future_year)
    assert run("events", "check", alone, "--today", "2026-11-23").exit_code == 2


def test_pdf_report_shows_recipients_and_unchecked_events(run, tmp_path):
    future_year = ON_TIME_2026.replace("ok-2026", "in-2031").replace("start: 2026-10-08", "start: 2031-05-06")
    f = _one_event(tmp_path, ON_TIME_2026.replace("filed_with: 安监办}", "filed_with: 科技处}", 1) + future_year)
    out = tmp_path / "e.pdf"
    result = run("events", "check", f, "--today", "2026-11-23", "--format", "pdf", "-o", out)
    assert result.exit_code == 4, result.output
    text = "".join("".join(p.extract_text().split()) for p in pypdf.PdfReader(out).pages)
    assert "无法检查：没有2031年的国务院放假安排" in text
    assert "应报送办公室(安全监管办公室)" in text
