"""Working days on the official 2026 schedule, the missing-year error, calendar files, and
`checklist deadline`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from paths import EXAMPLES, SOURCES

from checklist.workdays.calendar import Calendar, YearNotCovered, load_calendar

D = dt.date.fromisoformat
TEST_2027 = EXAMPLES / "calendar" / "valid" / "cn-2027-test.yaml"

# (date counted from, working days, direction, deadline, why)
CASES = [
    ("2026-10-08", 10, "before", "2026-09-17", "the issue's example: 国庆/中秋 skipped, Sunday 09-20 made up"),
    ("2026-09-30", 1, "after", "2026-10-08", "国庆节 10-01…10-07 skipped"),
    ("2026-10-09", 1, "after", "2026-10-10", "Saturday 10-10 is a make-up working day"),
    ("2026-09-18", 1, "after", "2026-09-20", "Sunday 09-20 is a make-up working day"),
    ("2026-09-24", 1, "after", "2026-09-28", "中秋 09-25 (Friday) and the weekend skipped"),
    ("2026-02-13", 1, "after", "2026-02-14", "Saturday 02-14 is a make-up working day"),
    ("2026-02-14", 1, "after", "2026-02-24", "春节 02-15…02-23 skipped"),
    ("2026-02-24", 1, "before", "2026-02-14", "counting back over 春节 lands on the make-up Saturday"),
    ("2026-04-30", 1, "after", "2026-05-06", "劳动节 05-01…05-05 skipped"),
    ("2026-05-08", 1, "after", "2026-05-09", "Saturday 05-09 is a make-up working day"),
    ("2026-06-18", 1, "after", "2026-06-22", "端午 06-19…06-21 skipped"),
    ("2026-04-03", 1, "after", "2026-04-07", "清明 04-04…04-06 skipped"),
    ("2025-12-31", 1, "after", "2026-01-04", "元旦 01-01…01-03 skipped; Sunday 01-04 made up; across the year"),
    ("2026-01-05", 2, "before", "2025-12-31", "back across the year boundary"),
    ("2026-10-11", 1, "before", "2026-10-10", "an event on a Sunday: the make-up Saturday before it counts"),
    ("2026-09-20", 1, "before", "2026-09-18", "an event on a make-up day: the event day itself is not counted"),
    ("2026-10-03", 1, "before", "2026-09-30", "an event on a holiday"),
    ("2026-11-23", 0, "after", "2026-11-23", "zero working days is the day itself"),
    ("2026-11-20", 5, "after", "2026-11-27", "an ordinary week"),
]


@pytest.mark.parametrize("start, n, direction, expected, why", CASES, ids=[c[4] for c in CASES])
def test_official_2026_schedule(start, n, direction, expected, why):
    assert Calendar().shift(D(start), n, direction).due.date == D(expected)


def test_counted_and_skipped_days_are_named():
    count = Calendar().shift(D("2026-10-08"), 10, "before")
    assert len(count.counted) == 10
    makeup = [d for d in count.counted if d.makeup]
    assert [(d.date, d.holiday) for d in makeup] == [(D("2026-09-20"), "国庆节")]
    holidays = {d.date: d.holiday for d in count.skipped if d.holiday}
    assert holidays[D("2026-09-25")] == "中秋" and holidays[D("2026-10-01")] == "国庆节"


def test_a_year_without_official_data_is_an_error():
    with pytest.raises(YearNotCovered) as e:
        Calendar().shift(D("2026-12-28"), 5)
    assert (e.value.code, e.value.params["year"]) == (
        "calendar.no_year",
        2027,
    ) and "没有 2027 年的国务院放假安排" in e.value.message


def test_assuming_weekends_is_explicit_and_said():
    cal = Calendar(assume_weekends=True)
    assert cal.shift(D("2026-12-28"), 5).due.date == D("2027-01-04")  # 2027-01-01 counted: no data says otherwise
    assert cal.assumed == {2027} and "按周一至周五计算（假定）" in cal.years_used[2027]


def test_calendar_file_covers_its_year():
    cal = load_calendar([TEST_2027])
    # 12-29, 12-30, 12-31, 01-04, 01-05; 01-01…01-03 off in the file
    assert cal.shift(D("2026-12-28"), 5).due.date == D("2027-01-05")
    assert cal.day(D("2027-01-09")).working and cal.day(D("2027-01-09")).makeup
    assert not cal.day(D("2027-01-06")).working
    assert cal.day(D("2026-12-27")).working  # a make-up day the 2027 notice sets in 2026 wins over the library
    assert "测试用日历" in cal.years_used[2027]


def test_calendar_file_overrides_the_library_for_its_year(tmp_path):
    f = tmp_path / "cn-2026.yaml"
    f.write_text("year: 2026\nsource: 测试覆盖\nholidays:\n  - {name: 测试, dates: [2026-11-24]}\nworkdays: []\n", encoding="utf-8")
    cal = load_calendar([f])
    assert cal.shift(D("2026-11-23"), 1).due.date == D("2026-11-25")
    assert cal.day(D("2026-10-01")).working  # the library's 国庆节 no longer applies: the file is the whole year
    assert cal.years_used[2026].startswith("测试覆盖")


def test_two_files_for_one_year_are_refused(tmp_path, monkeypatch):
    from checklist.errors import UsageError

    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(TEST_2027.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("CHECKLIST_CALENDARS", str(tmp_path))
    with pytest.raises(UsageError, match="2027 年有两个日历文件"):
        load_calendar()


# --- the command --------------------------------------------------------------------------------


def test_deadline_before_prints_the_date_and_its_reasoning(run):
    result = run("deadline", "--before", "2026-10-08", "--working-days", "10")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2026-09-17 周四"
    assert "2026-10-08 当日不计" in result.output
    assert "09-20 周日 国庆节调休上班" in result.output
    assert "10-01 至 10-07 国庆节 (7天)" in result.output and "09-25 至 09-27 中秋 (3天)" in result.output


def test_deadline_after_json(run):
    result = run("deadline", "--after", "2026-09-30", "-n", "1", "--format", "json")
    data = json.loads(result.output)
    (step,) = data["steps"]
    assert step["due"]["date"] == "2026-10-08" and len(step["skipped"]) == 7
    assert data["assumed_weekends"] is False


def test_deadline_missing_year_exits_2_with_the_way_out(run):
    result = run("deadline", "--after", "2026-12-28", "-n", "5")
    assert result.exit_code == 2
    assert "没有 2027 年的国务院放假安排" in result.output


def test_deadline_assume_weekends_flags_the_output(run):
    result = run("deadline", "--after", "2026-12-28", "-n", "5", "--assume-weekends")
    assert result.exit_code == 0
    assert result.output.startswith("2027-01-04")
    assert "已按周一至周五计算" in result.output


def test_deadline_with_calendar_file(run):
    result = run("deadline", "--after", "2026-12-28", "-n", "5", "--calendar", TEST_2027)
    assert result.exit_code == 0 and result.output.startswith("2027-01-05")


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--before", "2026-10-08"],
        ["--before", "2026-10-08", "--after", "2026-10-01", "-n", "1"],
        ["--rule", "bj-rtv-3g3b:A49"],
        ["--rule", "A49", "--from", "2026-10-08"],
        ["--before", "2026-13-01", "-n", "1"],
    ],
)
def test_deadline_usage_errors(run, args):
    assert run("deadline", *args).exit_code == 2


def test_help_states_the_convention(run):
    text = run("deadline", "--help").output
    assert "提前N个工作日" in text and "之前（不含当天）" in text and "2026-09-17" in text


def test_rule_of_article_49(run):
    result = run("deadline", "--rule", "bj-rtv-3g3b:A49", "--from", "2026-10-08")
    assert result.exit_code == 0, result.output
    assert "截止: 2026-09-17 周四" in result.output
    assert "报送: 办公室(安全监管办公室)" in result.output
    assert "《安全保障工作方案》《社会稳定风险评估报告备案表》《活动安全隐患排查治理表》" in result.output


def test_rule_on_a_clause_without_deadline(run):
    result = run("deadline", "--rule", "bj-rtv-3g3b:A8", "--from", "2026-10-08")
    assert result.exit_code == 2 and "没有设定期限" in result.output and "A49" in result.output


# --- the other working-day rules of seed 001, as catalog data --------------------------------

RULES = [
    # (catalog:clause, from, {step id: deadline}, why)
    (
        "bj-elderly-care-providers:P1-4.2",
        "2026-03-10",
        {"P1-4.2-first": "2026-03-17", "P1-4.2-monthly": "2026-04-08"},
        "区民政 publishes within 5 working days; then in the first 5 working days of the next month (清明 04-04…06 skipped)",
    ),
    (
        "bj-elderly-care-providers:P2-5",
        "2026-03-15",
        {"P2-5-review": "2026-04-15", "P2-5-recheck": "2026-04-22", "P2-5-settle": "2026-04-27"},
        "settlement: review in the first 10 working days of the next month, re-review in 5, payment in 3",
    ),
    (
        "bj-elderly-care-providers:P2-3.1",
        "2026-09-29",
        {"P2-3.1-first": "2026-10-12"},
        "first voucher within 5 working days of approval: 国庆 skipped, Saturday 10-10 counts",
    ),
    (
        "bj-skills-subsidy:P3-2",
        "2026-09-10",
        {"P3-2-review": "2026-09-23", "P3-2-publish": "2026-10-15", "P3-2-period": "2026-10-22"},
        "review in 10 working days (Sunday 09-20 made up), publication on the next 15th, 7 days of publicity",
    ),
    (
        "bj-skills-subsidy:P3-2",
        "2026-07-20",
        {"P3-2-review": "2026-08-03", "P3-2-publish": "2026-08-17", "P3-2-period": "2026-08-24"},
        "the 15th is a Saturday: publication moves to Monday 08-17",
    ),
    (
        "bj-skills-subsidy:P3-2",
        "2026-08-03",
        {"P3-2-review": "2026-08-17", "P3-2-publish": "2026-08-17", "P3-2-period": "2026-08-24"},
        "a review due on 08-17 is published on August's 15th as moved (Monday 08-17), not on 09-15",
    ),
    (
        "bj-skills-subsidy:P3-2",
        "2026-02-03",
        {"P3-2-review": "2026-02-24", "P3-2-publish": "2026-02-24", "P3-2-period": "2026-03-03"},
        "February's 15th moves past 春节 to 02-24 (Saturday 02-14 worked): a review due 02-24 is published that day",
    ),
    (
        "bj-skills-subsidy:P3-2",
        "2026-08-04",
        {"P3-2-review": "2026-08-18", "P3-2-publish": "2026-09-15", "P3-2-period": "2026-09-22"},
        "a review due after August's moved day waits for September's 15th",
    ),
    (
        "bj-skills-subsidy:P3-1",
        "2026-03-10",
        {"P3-1-apply": "2027-03-10"},
        "apply within one year of the certificate: calendar days, no holiday data needed for 2027",
    ),
    ("bj-water-planning-consent:A10", "2026-09-30", {"A10-review": "2026-10-08"}, "accept within 1 working day: 国庆 skipped"),
    ("bj-water-planning-consent:A12", "2026-09-21", {"A12-decision": "2026-10-26"}, "decide within 20 working days of acceptance"),
]


@pytest.mark.parametrize("rule, start, expected, why", RULES, ids=[r[3] for r in RULES])
def test_catalog_rules(run, rule, start, expected, why):
    result = run("deadline", "--rule", rule, "--from", start, "--format", "json")
    assert result.exit_code == 0, result.output
    steps = {s["id"]: s["due"]["date"] for s in json.loads(result.output)["steps"]}
    assert steps == expected


def test_water_decision_extensions(run):
    result = run("deadline", "--rule", "bj-water-planning-consent:A12", "--from", "2026-09-21", "--format", "json")
    (step,) = json.loads(result.output)["steps"]
    ext = {e["extra"]: e["due"]["date"] for e in step["extensions"]}
    assert ext == {"10个工作日": "2026-11-09", "25个工作日": "2026-11-30", "35个工作日": "2026-12-14"}
    text = run("deadline", "--rule", "bj-water-planning-consent:A12", "--from", "2026-09-21").output
    assert "经水行政主管部门负责人批准: 另加10个工作日 → 2026-11-09 周一" in text
    assert text.startswith("《北京市水工程建设规划同意书制度实施细则(试行)》（京水务发〔2026〕29号）第十二条")


def test_publication_roll_is_explained(run):
    text = run("deadline", "--rule", "bj-skills-subsidy:P3-2", "--from", "2026-07-20").output
    assert "2026-08-15 为周六，顺延至 2026-08-17（周一）" in text
    assert "适时调整" in text  # the editor's reading of the text is printed with the result


def test_publication_chains_to_the_same_months_adjusted_day(run):
    """三（二）: 通过审核的,每月15日(如遇法定节假日及双休日适时调整)在市人力资源社会保障局网站进行公示 —
    the monthly date as moved is that month's publication day, so a review finished on the moved
    day is published that day (08-17 and 02-24 in 2026), and says why."""
    source = (SOURCES / "001_665f51de318f5560.txt").read_text(encoding="utf-8")
    assert "通过审核的,每月15日(如遇法定节假日及双休日适时调整)在市人力资源社会保障局网站进行公示,公示期7天" in source
    text = run("deadline", "--rule", "bj-skills-subsidy:P3-2", "--from", "2026-08-03").output
    assert "截止: 2026-08-17 周一" in text and "2026-08-15 为周六，顺延至 2026-08-17（周一）" in text
    assert "2026-09-15" not in text
    feb = run("deadline", "--rule", "bj-skills-subsidy:P3-2", "--from", "2026-02-03").output
    assert "2026-02-15 为周日 春节，顺延至 2026-02-24（周二）" in feb
