"""The working-day calendar, value by value, on the 2026 schedule worked out by hand: each day's
kind and label, counts in both directions with what they counted and skipped, the N-th working
day of a month, 顺延, the days between two dates, calendar files and their checks. Written so that a
changed operator, constant or message fails a test (mutation testing: benchmarks/mutation.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from chinese_calendar import constants as official

from checklist.dates import DateOutOfRange
from checklist.errors import UsageError
from checklist.files.kinds import load_valid
from checklist.workdays import calendar as calendar_module
from checklist.workdays.calendar import Calendar, Day, Schedule, YearNotCovered, calendar_files, load_calendar, schedule_from


@pytest.fixture(autouse=True)
def english_msgids(monkeypatch):
    """These tests pin the messages' English source text (the msgids) word for word; the CLI tests
    check what a reader sees in the default language, and tests/project/test_messages.py that each
    has its Chinese translation."""
    monkeypatch.setenv("CHECKLIST_LANG", "en")


D = dt.date.fromisoformat
CAL = Calendar()


def dates(days: list[Day]) -> list[str]:
    return [d.date.isoformat() for d in days]


@pytest.mark.parametrize(
    ("day", "working", "holiday", "makeup", "label"),
    [
        ("2026-10-01", False, "国庆节", False, "周四 国庆节"),
        ("2026-09-20", True, "国庆节", True, "周日 国庆节调休上班"),
        ("2026-02-14", True, "春节", True, "周六 春节调休上班"),
        ("2026-10-09", True, "", False, "周五"),
        ("2026-10-11", False, "", False, "周日"),
        ("2026-12-31", True, "", False, "周四"),
    ],
)
def test_days_of_2026(day, working, holiday, makeup, label):
    d = CAL.day(D(day))
    assert (d.working, d.holiday, d.makeup, d.label) == (working, holiday, makeup, label)
    assert d.as_dict() == {"date": day, "weekday": label.split()[0], "working": working, "holiday": holiday or None, "makeup": makeup}


def test_a_make_up_day_without_a_holiday_name():
    assert Day(D("2027-02-13"), True, "", makeup=True).label == "周六 调休上班"


def test_counting_after_and_before():
    after = CAL.shift(D("2026-09-30"), 1)
    assert (after.due.date, dates(after.counted), dates(after.skipped)) == (
        D("2026-10-08"),
        ["2026-10-08"],
        ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"],
    )
    before = CAL.shift(D("2026-10-08"), 3, "before")
    assert (before.due.date, dates(before.counted)) == (D("2026-09-28"), ["2026-09-30", "2026-09-29", "2026-09-28"])
    assert dates(before.skipped) == ["2026-10-07", "2026-10-06", "2026-10-05", "2026-10-04", "2026-10-03", "2026-10-02", "2026-10-01"]
    made_up = CAL.shift(D("2026-09-18"), 1)
    assert made_up.due.date == D("2026-09-20") and made_up.skipped[0].date == D("2026-09-19")
    zero = CAL.shift(D("2026-10-03"), 0)
    assert (zero.due.date, zero.counted, zero.skipped) == (D("2026-10-03"), [], [])


def test_counting_past_the_end_of_time_is_refused_at_once():
    near_end = Calendar(assume_weekends=True)
    with pytest.raises(DateOutOfRange, match=r"^3 working days after 9999-12-30 run past 9999-12-31$"):
        near_end.shift(D("9999-12-30"), 3)
    with pytest.raises(DateOutOfRange, match=r"^2 working days before 0001-01-02 run past 0001-01-01$"):
        near_end.shift(D("0001-01-02"), 2, "before")
    # exactly the room there is: a day's count that fits is walked, and meets the calendar's own end
    assert near_end.shift(D("9999-12-30"), 1).due.date == D("9999-12-31")


def test_nth_working_day_of_a_month():
    may = CAL.nth_of_month(2026, 5, 1)
    # 05-01…05-05 劳动节; 05-06 the first working day
    assert may.due.date == D("2026-05-06")
    assert dates(may.skipped) == ["2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05"]
    october = CAL.nth_of_month(2026, 10, 5)
    assert october.due.date == D("2026-10-13") and dates(october.counted) == [
        "2026-10-08",
        "2026-10-09",
        "2026-10-10",
        "2026-10-12",
        "2026-10-13",
    ]
    assert all(d.date.month == 10 for d in october.skipped)
    september = CAL.nth_of_month(2026, 9, 22)  # 21 weekdays, the 20th a Sunday worked, 25 中秋节
    assert september.due.date == D("2026-09-30")
    with pytest.raises(UsageError, match=r"^2026-09 has fewer than 23 working days$"):
        CAL.nth_of_month(2026, 9, 23)
    first = CAL.nth_of_month(2026, 6, 1)
    assert (first.due.date, first.skipped) == (D("2026-06-01"), [])


def test_next_working_day():
    kept = CAL.next_working(D("2026-10-09"))
    assert (kept.due.date, kept.counted, kept.skipped) == (D("2026-10-09"), [], [])
    moved = CAL.next_working(D("2026-08-15"))
    assert (moved.due.date, dates(moved.skipped), dates(moved.counted)) == (D("2026-08-17"), ["2026-08-15", "2026-08-16"], ["2026-08-17"])


@pytest.mark.parametrize(
    ("after", "until", "n"),
    [
        ("2026-09-30", "2026-10-08", 1),
        ("2026-09-18", "2026-09-21", 2),  # Sunday 09-20 worked, Monday 09-21
        ("2026-10-08", "2026-10-08", 0),
        ("2026-10-09", "2026-10-08", 0),
        ("2026-10-07", "2026-10-08", 1),
        ("2026-12-30", "2027-01-01", 2),  # 12-31, and Friday 2027-01-01: 2027 assumed Monday–Friday
    ],
)
def test_working_days_between(after, until, n):
    cal = Calendar(assume_weekends=True)
    assert cal.working_days_between(D(after), D(until)) == n


def official_years() -> list[int]:
    return sorted({d.year for d in official.holidays})


def test_years_without_data():
    with pytest.raises(YearNotCovered) as e:
        CAL.day(D("2099-03-02"))
    assert e.value.year == 2099
    message = e.value.message
    assert message.startswith(
        "no official holiday schedule for 2099: the State Council's notice for 2099 is not in chinese-calendar (it covers 2004–"
    )
    assert (e.value.code, e.value.params) == (
        "calendar.no_year",
        {"year": 2099, "first": official_years()[0], "last": official_years()[-1]},
    )
    from checklist.cli.words import say  # the terminal adds what to do about it

    advice = say(e.value)
    assert "add catalogs/calendars/cn-2099.yaml from the notice" in advice and "--assume-weekends" in advice and "--calendar FILE" in advice
    years = sorted({d.year for d in official.holidays})
    assert f"(it covers {years[0]}–{years[-1]}) nor in a calendar file" in message
    assumed = Calendar(assume_weekends=True)
    assert assumed.day(D("2099-03-02")).working and not assumed.day(D("2099-03-01")).working
    assert assumed.years_used == {2099: "no official schedule for 2099: Monday to Friday counted (assumed)"}
    plain = Calendar().plain(D("2099-03-01"))
    assert (plain.working, plain.holiday) == (False, "")
    assert Calendar().plain(D("2026-10-01")).holiday == "国庆节"


def test_the_library_is_named_with_its_version():
    cal = Calendar()
    cal.day(D("2026-03-02"))
    assert re.fullmatch(r"the State Council's holiday schedule for 2026 \(chinese-calendar \d+\.\d+(\.\d+)?\)", cal.years_used[2026])


FILE_2027 = """year: 2027
source: 测试通知
holidays:
  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
  - {name: 春节, dates: [2027-02-06, 2027-02-08]}
workdays:
  - {date: 2027-02-13, for: 春节}
  - {date: 2027-02-20}
"""


def write_2027(folder: Path, name: str = "cn-2027.yaml") -> Path:
    path = folder / name
    path.write_text(FILE_2027, encoding="utf-8")
    return path


def test_a_calendar_file_for_a_new_year(tmp_path):
    path = write_2027(tmp_path)
    s = schedule_from(load_valid(path, "calendar"))
    assert (s.year, s.source) == (2027, f"测试通知 ({path})")
    assert s.holidays == {
        D("2027-01-01"): "元旦",
        D("2027-01-02"): "元旦",
        D("2027-01-03"): "元旦",
        D("2027-02-06"): "春节",
        D("2027-02-08"): "春节",
    }
    assert s.workdays == {D("2027-02-13"): "春节", D("2027-02-20"): ""}
    cal = Calendar([s])
    assert cal.day(D("2027-01-01")) == Day(D("2027-01-01"), False, "元旦")
    assert cal.day(D("2027-02-07")) == Day(D("2027-02-07"), False)  # a Sunday the file does not list
    assert cal.day(D("2027-02-13")) == Day(D("2027-02-13"), True, "春节", makeup=True)
    assert cal.day(D("2027-01-04")) == Day(D("2027-01-04"), True)
    assert cal.source(2027) == f"测试通知 ({path})"
    with pytest.raises(UsageError, match=r"^two calendar files for 2027: "):
        Calendar([s, s])


def test_a_file_overrides_the_library_for_its_year(tmp_path):
    path = tmp_path / "cn-2026.yaml"
    path.write_text("year: 2026\nsource: 改过的通知\nholidays:\n  - {name: 测试日, dates: [2026-03-02]}\nworkdays: []\n", encoding="utf-8")
    cal = Calendar([schedule_from(load_valid(path, "calendar"))])
    assert cal.day(D("2026-03-02")) == Day(D("2026-03-02"), False, "测试日")
    assert cal.day(D("2026-10-01")) == Day(D("2026-10-01"), True)  # the library's 国庆节 no longer applies


def test_calendar_files_and_loading(tmp_path, monkeypatch):
    folder = tmp_path / "calendars"
    folder.mkdir()
    first = write_2027(folder)
    monkeypatch.setenv("CHECKLIST_CALENDARS", f"{folder}{__import__('os').pathsep}{tmp_path / 'none'}")
    found = calendar_files()
    assert found[-1] == first and all(p.suffix == ".yaml" for p in found)
    extra = write_2027(tmp_path, "other-2027.yaml")
    assert calendar_files([extra])[-1] == extra
    cal = load_calendar([extra], assume_weekends=True)
    assert cal.assume_weekends and cal.source(2027).endswith(f"({extra})")  # the file given wins
    again = write_2027(folder, "cn-2027-copy.yaml")
    with pytest.raises(UsageError, match=r"^two calendar files for 2027: "):
        load_calendar()
    again.unlink()
    assert load_calendar().source(2027).endswith(f"({first})")


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("holidays:\n  - {name: 元旦, dates: [2026-01-01]}\nworkdays: []\n", ["2026-01-01 is too far from 2027"]),
        ("holidays:\n  - {name: 元旦, dates: [2026-12-01]}\nworkdays: [{date: 2028-02-05}]\n", ["2028-02-05 is too far from 2027"]),
        ("holidays:\n  - {name: 元旦, dates: [2026-12-01, 2028-01-31]}\nworkdays: [{date: 2028-01-01}]\n", []),
        (
            "holidays:\n  - {name: 元旦, dates: [2026-11-30, 2028-02-01]}\nworkdays: []\n",
            ["2026-11-30 is too far", "2028-02-01 is too far"],
        ),
        (
            "holidays:\n  - {name: 元旦, from: 2027-01-03, to: 2027-01-01}\nworkdays: []\n",
            ["holiday ends (2027-01-01) before it starts (2027-01-03)"],
        ),
        ("holidays:\n  - {name: 元旦, dates: [2027-01-01, 2027-01-01]}\nworkdays: []\n", ["2027-01-01 is listed twice (first at line 4)"]),
        (
            "holidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-04}\n  - {name: 又, dates: [2027-01-02]}\nworkdays: []\n",
            ["2027-01-02 is listed twice (first at line 4)"],
        ),
        (
            "holidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-04}\n  - {name: 又, from: 2027-01-03, to: 2027-01-05}\nworkdays: []\n",
            ["2027-01-03 is listed twice (first at line 4)", "2027-01-04 is listed twice (first at line 4)"],
        ),
        (
            "holidays:\n  - {name: 元旦, dates: [2027-01-02]}\nworkdays: [{date: 2027-01-02}]\n",
            ["2027-01-02 is both a holiday and a make-up working day (also at line 4)"],
        ),
        (
            "holidays: []\nworkdays: [{date: 2027-01-04}]\n",
            ["2027-01-04 is a 周一: a make-up working day (调休上班) must be a Saturday or Sunday"],
        ),
        ("holidays: []\nworkdays: [{date: 2027-01-09}, {date: 2027-01-10}]\n", []),
        ("holidays:\n  - {name: 元旦, from: 2026-12-01, to: 2027-01-31}\nworkdays: []\n", []),
    ],
)
def test_calendar_file_checks(tmp_path, text, problems):
    path = tmp_path / "cn-2027.yaml"
    path.write_text("year: 2027\nsource: 测试通知\n" + text, encoding="utf-8")
    from checklist.files.loader import load

    found = [p.message for p in calendar_module.check(load(path))]
    assert len(found) == len(problems) and all(f.startswith(p) for f, p in zip(found, problems, strict=True)), found


def test_schedule_dates_of_a_range_and_a_list():
    assert calendar_module._holiday_dates({"from": "2027-01-30", "to": "2027-02-02"}) == [
        D("2027-01-30"),
        D("2027-01-31"),
        D("2027-02-01"),
        D("2027-02-02"),
    ]
    assert calendar_module._holiday_dates({"dates": ["2027-05-01"]}) == [D("2027-05-01")]
    assert Schedule(2027, "x").holidays == {} and Schedule(2027, "x").workdays == {}
