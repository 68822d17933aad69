"""The duty calendar's core: recurrences in the bundled catalogs, periods and due days checked
against dates worked out by hand on the 2026 schedule, units bound through groups, events, years
without data, and the done-log's statuses."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from paths import EXAMPLES, ROOT

from checklist.files.kinds import load_valid
from checklist.files.loader import load
from checklist.model.library import load_catalog
from checklist.workdays import done_log
from checklist.workdays.calendar import YearNotCovered, load_calendar
from checklist.workdays.duty_calendar import build
from checklist.workdays.frequencies import periods

D = dt.date.fromisoformat
YEAR = (D("2026-01-01"), D("2026-12-31"))
# Words that state how often something happens: 每年, 每半年, 每季度, 每月, 每学期, 每周, 一季度更新一次 …;
# a yearly plan or list (年度安全生产工作要点, 年度任务清单); yearly campaigns (安全生产月, 消防宣传月, 安全宣传咨询日)
FREQUENCY_WORDS = re.compile(
    r"每(年|半年|季度?|月|学期|周)|[一1]季度.{0,4}一次|半年一次|年度[^，。,;；]{0,10}(要点|清单|计划)|安全生产月|宣传月|宣传咨询日"
)


def tasks(catalog: str, unit: str, first=YEAR[0], last=YEAR[1], **kw):
    result = build([load_catalog(catalog)], [unit], first, last, load_calendar(**kw))
    return result.units[0].tasks


def dates(found, clause: str) -> list[str]:
    return [t.day.date.isoformat() for t in found if t.clause.id == clause]


@pytest.mark.parametrize("path", sorted((ROOT / "catalogs").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_clause_stating_a_frequency_declares_its_recurrence(path):
    """Frequencies are data: a clause whose text names one has a recurrence, or none with a reason."""
    missing = []
    for c in load(path).data["clauses"]:
        text = c.get("text") or " ".join(c.get("fields", {}).values())
        if FREQUENCY_WORDS.search(text) or c.get("frequency") in ("每年", "每半年至少一次", "每季度", "每月"):
            rec = c.get("recurrence")
            if not rec or ("none" in rec and not rec["none"].strip()):
                missing.append(c["id"])
    assert not missing, f"{path.name}: clauses stating a frequency without a recurrence: {missing}"


def test_periods_are_calendar_periods():
    assert [p.key for p in periods("quarter", D("2026-02-10"), D("2026-12-31"))] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert [p.key for p in periods("half-year", D("2026-06-30"), D("2026-07-01"))] == ["2026H1", "2026H2"]
    assert [(p.first, p.last) for p in periods("month", D("2026-02-14"), D("2026-02-14"))] == [(D("2026-02-01"), D("2026-02-28"))]
    assert periods("quarter", D("2026-04-01"), D("2026-04-01"))[0].label == "2026年第二季度"


def test_article_26_gives_four_2026_tasks_to_every_unit_it_binds():
    """第二十六条 binds 各处室单位及各区广电归口管理单位 (all 15 members) 每季度, with no day named:
    due on each quarter's last working day, 期内完成."""
    cat = load_catalog("bj-rtv-3g3b")
    clause = cat.clause("A26")
    assert clause.text.startswith("各处室单位及各区广电归口管理单位应每季度研究分析")
    members = cat.units["all-divisions"].members
    assert len(members) == 15
    result = build([cat], list(members), *YEAR, load_calendar())
    for uc in result.units:
        a26 = [t for t in uc.tasks if t.clause.id == "A26"]
        # hand-computed: 03-31 Tue, 06-30 Tue, 09-30 Wed (国庆 starts 10-01), 12-31 Thu
        assert [t.day.date.isoformat() for t in a26] == ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"], uc.name
        assert [t.period.key for t in a26] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
        assert all("期内完成" in t.rule and "期内完成" in t.description() for t in a26)
        assert all(t.via is not None and t.via.id == "all-divisions" for t in a26)


def test_half_year_and_year_duties_fall_on_the_period_end():
    found = tasks("bj-rtv-3g3b", "局安全生产工作领导小组")
    assert dates(found, "A8") == ["2026-06-30", "2026-12-31"]
    # 第三十三条: 持续开展安全生产月、安全宣传咨询日、消防宣传月等活动 — no time named: each year, 期内完成
    campaigns = [t for t in tasks("bj-rtv-3g3b", "科技处") if t.clause.id == "A33"]
    assert [t.day.date.isoformat() for t in campaigns] == ["2026-12-31"]
    assert campaigns[0].action == "持续开展安全生产月、安全宣传咨询日、消防宣传月等活动"
    assert any("原文为“持续开展”，未规定各项活动的时间" in c for c in campaigns[0].conventions)


# The yearly plans of 京广发〔2026〕11号: 第七条 (年度安全生产工作要点, 年度安全生产重点任务清单), 第十四条第2项
# (每年制定局安全生产工作计划、任务清单), 第十四条第3项 (每年制定…安全管理责任书) and 第二十五条 (年度任务清单, 报送)
YEAR_PLANS = {
    "A7": ("局安全生产工作领导小组", "组织编制年度安全生产工作要点"),
    "A14-2": ("办公室", "每年制定局安全生产工作计划、任务清单"),
    "A14-3": ("办公室", "每年制定《北京市广电局行业安全管理责任书》"),
    "A25": ("办公室", "负责编制行业年度安全生产重点任务清单并组织实施,并按全市统一要求将年度任务清单"),
}


@pytest.mark.parametrize("clause", sorted(YEAR_PLANS))
def test_a_yearly_plan_is_due_at_the_start_of_the_year_it_plans(clause):
    """A plan due on 12-31 of the year it plans comes too late to plan it: the text names no day,
    so each is due by the end of January (31 January 2027 is a Sunday: Friday 01-29), and its note
    says why. 2026's would fall before the rules took effect (2026-02-10): none is made."""
    unit, words = YEAR_PLANS[clause]
    cat = load_catalog("bj-rtv-3g3b")
    c = cat.clause(clause)
    assert words in c.text
    assert c.recurrence["every"] == "year" and c.recurrence["due"] == {"day_of_month": 31, "month": "first", "roll": "previous_working_day"}
    assert "实际已晚" in c.recurrence["note"] and "按年初计" in c.recurrence["note"]
    assert dates(tasks("bj-rtv-3g3b", unit), clause) == []
    later = tasks("bj-rtv-3g3b", unit, D("2027-01-01"), D("2027-12-31"), assume_weekends=True)
    assert dates(later, clause) == ["2027-01-29"]
    [task] = [t for t in later if t.clause.id == clause]
    assert any("按年初计" in note for note in task.conventions)


def test_rtv_duties_start_when_the_rules_took_effect():
    """第五十条: 自发布之日起实施 (2026-02-10), so 2025 has no tasks."""
    assert tasks("bj-rtv-3g3b", "科技处", D("2025-01-01"), D("2025-12-31")) == []


def test_first_five_working_days_of_each_month():
    """一（四）: 每月前5个工作日内, from March 2026 (次月 after the 方案) to December (实施期限)."""
    found = dates(tasks("bj-elderly-care-providers", "区民政部门"), "P1-4.2")
    # by hand: 05-01…05-05 劳动节, 05-09 Sat 调休上班 counts → 6,7,8,9,11 May;
    # 10-01…10-07 国庆节 (10-03/04 weekend), 10-10 Sat 调休上班 → 8,9,10,12,13 October
    assert found == [
        "2026-03-06",
        "2026-04-08",
        "2026-05-11",
        "2026-06-05",
        "2026-07-07",
        "2026-08-07",
        "2026-09-07",
        "2026-10-13",
        "2026-11-06",
        "2026-12-07",
    ]


def test_fixed_day_rolls_to_the_next_working_day():
    """三（二）: 每月15日(如遇法定节假日及双休日适时调整), from the notice (2026-02-14)."""
    found = tasks("bj-skills-subsidy", "各区人力资源社会保障部门")
    assert dates(found, "P3-2") == [
        "2026-02-24",  # 15 Sun, 16–23 春节 → Tue 24
        "2026-03-16",  # 15 Sun
        "2026-04-15",
        "2026-05-15",
        "2026-06-15",
        "2026-07-15",
        "2026-08-17",  # 15 Sat
        "2026-09-15",
        "2026-10-15",
        "2026-11-16",  # 15 Sun
        "2026-12-15",
    ]
    feb = next(t for t in found if t.period.key == "2026-02")
    assert any("2026-02-15 为周日" in c and "顺延" in c for c in feb.conventions)


def test_dates_the_text_fixes_move_back_to_a_working_day():
    found = tasks("bj-elderly-care-providers", "区民政部门")
    assert dates(found, "P3-1-4") == ["2026-01-30"]  # 1月底前: 01-31 is a Saturday
    assert dates(found, "P3-2.2") == ["2026-03-25", "2026-06-25", "2026-09-24", "2026-12-25"]  # 09-25 中秋节
    assert dates(found, "P3-3.1") == ["2026-12-10"]


def test_monthly_settlement_follows_the_clause_steps():
    """二（五）: 次月10个工作日内审核, then 5 and 3 working days, for each month Jan–Dec 2026."""
    result = build([load_catalog("bj-elderly-care-providers")], ["区民政部门", "区财政部门"], *YEAR, load_calendar())
    civil, finance = ([t for t in uc.tasks if t.clause.id == "P2-5" and t.period.key == "2026-09"] for uc in result.units)
    # by hand: October's working days 8, 9, 10 (Sat 调休), 12 … 20 is the 10th; +5 → 27; +3 → 30.
    # 区民政部门 reviews and settles, 区财政部门 re-checks (steps_by)
    assert [(t.step_id, t.day.date.isoformat()) for t in civil] == [("P2-5-review", "2026-10-20"), ("P2-5-settle", "2026-10-30")]
    assert [(t.step_id, t.day.date.isoformat()) for t in finance] == [("P2-5-recheck", "2026-10-27")]
    # December's settlement falls in January 2027 (no data): outside the span, so left out, not refused
    all_p25 = [t for t in tasks("bj-elderly-care-providers", "区民政部门") if t.clause.id == "P2-5"]
    assert {t.period.key for t in all_p25} == {f"2026-{m:02d}" for m in range(1, 12)}


def test_every_task_is_on_a_working_day_and_uids_are_unique():
    cats = [load_catalog(c) for c in ("bj-rtv-3g3b", "bj-elderly-care-providers", "bj-skills-subsidy", "bj-basic-public-services")]
    cal = load_calendar()
    result = build(cats, ["科技处", "区民政部门", "各区人力资源社会保障部门", "市民政局", "市卫生健康委"], *YEAR, cal)
    all_tasks = result.tasks
    assert len(all_tasks) > 60
    assert all(cal.day(t.day.date).working for t in all_tasks)
    assert len({t.uid for t in all_tasks}) == len(all_tasks)
    again = build(cats, ["科技处", "区民政部门", "各区人力资源社会保障部门", "市民政局", "市卫生健康委"], *YEAR, load_calendar())
    assert [t.uid for t in again.tasks] == [t.uid for t in all_tasks]


def test_event_filings_for_the_lead_unit():
    events = load_valid(ROOT / "examples" / "duty-calendar" / "events.yaml", "events")
    result = build([load_catalog("bj-rtv-3g3b")], ["科技处"], *YEAR, load_calendar(), events)
    filings = [t for t in result.tasks if t.event]
    # 10 working days before 10-12: 10-09, 10-10 (Sat 调休), 10-08, 09-30 … 09-24, (09-25 中秋), 09-21
    assert [(t.event["id"], t.day.date.isoformat()) for t in filings] == [("tech-forum-2026", "2026-09-21"), ("av-expo-2026", "2026-12-01")]
    assert "《安全保障工作方案》" in filings[0].action and "办公室" in filings[0].action
    assert filings[0].filed == D("2026-09-22")  # all three documents filed; the last on 09-22


def test_a_span_reaching_2027_is_refused_unless_data_or_assumption():
    with pytest.raises(YearNotCovered) as e:
        tasks("bj-rtv-3g3b", "科技处", D("2026-07-01"), D("2027-06-30"))
    assert e.value.year == 2027
    assumed = build([load_catalog("bj-rtv-3g3b")], ["科技处"], D("2026-07-01"), D("2027-06-30"), load_calendar(assume_weekends=True))
    assert dates(assumed.units[0].tasks, "A26") == ["2026-09-30", "2026-12-31", "2027-03-31", "2027-06-30"]
    assert assumed.assumed_years == [2027]
    assert assumed.notes[0].startswith("注意：2027年没有官方节假日安排")
    with_file = build(
        [load_catalog("bj-rtv-3g3b")],
        ["科技处"],
        D("2026-07-01"),
        D("2027-06-30"),
        load_calendar([EXAMPLES / "calendar" / "valid" / "cn-2027-test.yaml"]),
    )
    assert with_file.assumed_years == [] and not any("注意" in n for n in with_file.notes)


def test_status_done_due_overdue_in_working_days():
    cal = load_calendar()
    result = build([load_catalog("bj-rtv-3g3b")], ["科技处"], *YEAR, cal)
    log = load_valid(ROOT / "examples" / "duty-calendar" / "done.yaml", "done-log")
    marks = done_log.apply(result, log, D("2026-11-25"), cal)
    by_period = {t.period.key: marks[t.uid] for t in result.tasks if t.clause.id == "A26"}
    assert by_period["2026Q1"].status == done_log.DONE and by_period["2026Q1"].by == "张三"
    assert by_period["2026Q2"].status == done_log.DONE_LATE and by_period["2026Q2"].working_days == 3  # 07-01, 02, 03
    assert by_period["2026Q3"].status == done_log.OVERDUE
    # 09-30 → 11-25: October has 18 working days after the holiday (8–30, with Sat 10-10), November 18 up to the 25th
    assert by_period["2026Q3"].working_days == 18 + 18
    assert by_period["2026Q4"].status == done_log.DUE
    assert by_period["2026Q4"].working_days == 27  # 11-25 … 12-31, both counted
    assert done_log.unmatched(result, log) == []


@pytest.mark.parametrize(
    "due, expected, rule",
    [
        # 每季度末月25日前: 09-25 is 中秋节 → the working day before
        (
            {"day_of_month": 25, "month": "last", "roll": "previous_working_day"},
            "2026-09-24",
            "每季度末月25日（遇非工作日提前至前一个工作日）",
        ),
        # 每季度首月15日: 07-15 is a Wednesday
        (
            {"day_of_month": 15, "month": "first", "roll": "next_working_day"},
            "2026-07-15",
            "每季度首月15日（遇非工作日顺延至下一个工作日）",
        ),
        # 季度结束后次月10个工作日内: October's 10th working day (8, 9, 10 Sat 调休, 12 … 20)
        ({"working_day_of_month": 10, "month": "next"}, "2026-10-20", "每季度结束后次月前10个工作日内"),
    ],
)
def test_quarterly_rules_pick_the_month_of_the_period(due, expected, rule):
    from checklist.model.catalog import Clause
    from checklist.workdays.frequencies import dues

    clause = Clause("X1", "第一条", "每季度报送。", recurrence={"every": "quarter", "due": due})
    found = [d for d in dues(clause, load_calendar(), D("2026-07-01"), D("2026-12-31")) if d.period.key == "2026Q3"]
    assert [d.day.date.isoformat() for d in found] == [expected]
    assert found[0].rule == rule
