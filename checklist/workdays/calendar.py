"""Working days (工作日) under the State Council's annual holiday schedule.

A day is a working day when it is Monday–Friday and not a public holiday, or when the notice
makes a weekend day a working day (调休上班). The schedule comes from the chinese-calendar
library for the years it covers, and from calendar files users add when a new notice is
published (a file overrides the library for its year). A date in a year nobody covers is an
error naming the year — unless the caller asked to assume weekends only, and then every result
says so.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path

from chinese_calendar import constants as _official

from checklist.dates import DateOutOfRange, add_days, iso_date, weekday
from checklist.errors import Problem, Refusal, UsageError
from checklist.files.kinds import cross_check, load_valid
from checklist.files.loader import Document, file_stamp
from checklist.files.resources import data_dir
from checklist.i18n import _

_LIBRARY_YEARS = range(min(d.year for d in _official.holidays), max(d.year for d in _official.holidays) + 1)
_CHINESE_NAMES = {h.value: h.chinese for h in _official.Holiday}


class YearNotCovered(Refusal):
    """A date falls in a year without an official schedule."""

    def __init__(self, year: int):
        super().__init__("calendar.no_year", "date", year=year, first=_LIBRARY_YEARS.start, last=_LIBRARY_YEARS.stop - 1)
        self.year = year


@dataclass(frozen=True, slots=True)
class Day:
    date: dt.date
    working: bool
    holiday: str = ""  # 国庆节 … for a public holiday, or the holiday a make-up working day belongs to
    makeup: bool = False  # a Saturday or Sunday made a working day (调休上班)

    @property
    def label(self) -> str:
        """周四; 周日 国庆节调休上班; 周五 中秋节."""
        if self.makeup:
            return f"{weekday(self.date)} {self.holiday}调休上班" if self.holiday else f"{weekday(self.date)} 调休上班"
        if self.holiday:
            return f"{weekday(self.date)} {self.holiday}"
        return weekday(self.date)

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "weekday": weekday(self.date),
            "working": self.working,
            "holiday": self.holiday or None,
            "makeup": self.makeup,
        }


@dataclass
class Schedule:
    """One year's notice: its holidays and make-up working days (which may reach into the
    neighbouring years, e.g. a 31 December make-up day announced with the next year's 元旦)."""

    year: int
    source: str
    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: dict[dt.date, str] = field(default_factory=dict)


@dataclass
class Count:
    """A walk over the calendar: where it ended, and what it counted and passed over."""

    due: Day
    counted: list[Day] = field(default_factory=list)
    skipped: list[Day] = field(default_factory=list)


class Calendar:
    def __init__(self, schedules: Iterable[Schedule] = (), assume_weekends: bool = False):
        self.assume_weekends = assume_weekends
        self.files: dict[int, Schedule] = {}
        for s in schedules:
            if s.year in self.files:
                raise UsageError(
                    _("two calendar files for {year}: {first} and {second}").format(
                        year=s.year, first=self.files[s.year].source, second=s.source
                    )
                )
            self.files[s.year] = s
        self._file_days: dict[dt.date, Day] = {}
        for s in self.files.values():
            for d, name in s.holidays.items():
                self._file_days[d] = Day(d, False, name)
            for d, name in s.workdays.items():
                self._file_days[d] = Day(d, True, name, makeup=True)
        self.years_used: dict[int, str] = {}
        self.assumed: set[int] = set()  # years counted Monday–Friday only, for want of official data

    def source(self, year: int) -> str:
        if year in self.files:
            return self.files[year].source
        if year in _LIBRARY_YEARS:
            return _("the State Council's holiday schedule for {year} (chinese-calendar {version})").format(
                year=year, version=version("chinese-calendar")
            )
        if self.assume_weekends:
            self.assumed.add(year)
            return _("no official schedule for {year}: Monday to Friday counted (assumed)").format(year=year)
        raise YearNotCovered(year)

    def day(self, d: dt.date) -> Day:
        if d.year not in self.years_used:
            self.years_used[d.year] = self.source(d.year)
        if d in self._file_days:
            return self._file_days[d]
        if d.year in self.files:
            return Day(d, d.weekday() < 5)
        if d.year in _LIBRARY_YEARS:
            if d in _official.holidays:
                return Day(d, False, _CHINESE_NAMES.get(_official.holidays[d], _official.holidays[d]))
            if d in _official.workdays:
                name = _official.workdays[d]
                return Day(d, True, _CHINESE_NAMES.get(name, name) if name else "", makeup=True)
            return Day(d, d.weekday() < 5)
        return Day(d, d.weekday() < 5)  # assume_weekends, or source() has raised

    def plain(self, d: dt.date) -> Day:
        """The day for a count in calendar days, months or years: no holiday data needed, used
        only to name the day when the year is covered."""
        try:
            return self.day(d)
        except YearNotCovered:
            return Day(d, d.weekday() < 5)

    def walk(self, start: dt.date, step: int) -> Iterator[Day]:
        d = start
        while True:
            d = add_days(d, step)
            yield self.day(d)

    def shift(self, start: dt.date, n: int, direction: str = "after") -> Count:
        """The n-th working day after (or before) ``start``, which is not counted itself."""
        if n == 0:
            return Count(self.day(start))
        room = (dt.date.max - start).days if direction == "after" else (start - dt.date.min).days
        if n > room:  # cannot fit even if every day worked: say so at once instead of walking there
            end = dt.date.max if direction == "after" else dt.date.min
            words = (
                _("{n} working days after {start} run past {end}")
                if direction == "after"
                else _("{n} working days before {start} run past {end}")
            )
            raise DateOutOfRange(words.format(n=n, start=start, end=end))
        count = Count(self.day(start))
        for day in self.walk(start, 1 if direction == "after" else -1):
            if day.working:
                count.counted.append(day)
                if len(count.counted) == n:
                    count.due = day
                    return count
            else:
                count.skipped.append(day)
        raise AssertionError("unreachable")

    def nth_of_month(self, year: int, month: int, n: int) -> Count:
        """The n-th working day of a month (每月前N个工作日内 ends on it)."""
        first = dt.date(year, month, 1)
        count = self.shift(add_days(first, -1), n)
        if count.due.date.month != month:
            raise UsageError(_("{month} has fewer than {n} working days").format(month=f"{year}-{month:02d}", n=n))
        count.skipped = [d for d in count.skipped if d.date.month == month]
        return count

    def next_working(self, d: dt.date) -> Count:
        """``d`` itself when it is a working day, else the next one (顺延)."""
        day = self.day(d)
        if day.working:
            return Count(day)
        count = self.shift(d, 1)
        count.skipped.insert(0, day)
        return count

    def working_days_between(self, after: dt.date, until: dt.date) -> int:
        """Working days d with after < d <= until (0 when until <= after)."""
        if until <= after:
            return 0
        return sum(1 for d in _dates(add_days(after, 1), until) if self.day(d).working)


def _dates(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    for n in range((last - first).days + 1):
        yield first + dt.timedelta(days=n)


# --- calendar files -----------------------------------------------------------------------


def schedule_from(doc: Document) -> Schedule:
    d = doc.data
    s = Schedule(int(d["year"]), f"{d['source']} ({doc.path})")
    for h in d["holidays"]:
        for day in _holiday_dates(h):
            s.holidays[day] = h["name"]
    for w in d["workdays"]:
        s.workdays[dt.date.fromisoformat(w["date"])] = w.get("for", "")
    return s


def _holiday_dates(h: dict) -> list[dt.date]:
    if "dates" in h:
        return [dt.date.fromisoformat(x) for x in h["dates"]]
    return list(_dates(dt.date.fromisoformat(h["from"]), dt.date.fromisoformat(h["to"])))


@cross_check("calendar")
def check(doc: Document) -> list[Problem]:
    """Calendar files: dates near their year, no day both holiday and working day, make-up working
    days on weekends only, holiday ranges in order, one entry per date."""
    d = doc.data if isinstance(doc.data, dict) else {}
    year = d.get("year") if isinstance(d.get("year"), int) else None
    problems: list[Problem] = []
    seen: dict[dt.date, int] = {}
    roles: dict[dt.date, str] = {}

    def note(path: tuple, value, role: str) -> dt.date | None:
        day = iso_date(value)
        if day is None:
            return None
        if year is not None and not (dt.date(year - 1, 12, 1) <= day <= dt.date(year + 1, 1, 31)):
            problems.append(
                doc.problem(
                    path,
                    _(
                        "{day} is too far from {year}: a notice for {year} covers {year} (and at most the December before and the January after)"
                    ).format(day=day, year=year),
                    "calendar-year",
                )
            )
        if day in seen and roles[day] != role:
            problems.append(
                doc.problem(
                    path,
                    _("{day} is both a holiday and a make-up working day (also at line {line})").format(day=day, line=seen[day]),
                    "calendar-dates",
                )
            )
        elif day in seen:
            problems.append(
                doc.problem(path, _("{day} is listed twice (first at line {line})").format(day=day, line=seen[day]), "calendar-dates")
            )
        else:
            seen[day], roles[day] = doc.position(path)[0], role
        if role == "workday" and day.weekday() < 5:
            problems.append(
                doc.problem(
                    path,
                    _("{day} is a {weekday}: a make-up working day (调休上班) must be a Saturday or Sunday").format(
                        day=day, weekday=weekday(day)
                    ),
                    "calendar-makeup",
                )
            )
        return day

    for i, h in enumerate(d.get("holidays") or () if isinstance(d.get("holidays"), list) else ()):
        if not isinstance(h, dict):
            continue
        if isinstance(h.get("dates"), list):
            for j, x in enumerate(h["dates"]):
                note(("holidays", i, "dates", j), x, "holiday")
        elif "from" in h and "to" in h:
            first, last = note(("holidays", i, "from"), h["from"], "holiday"), note(("holidays", i, "to"), h["to"], "holiday")
            if first and last:
                if last < first:
                    problems.append(
                        doc.problem(
                            ("holidays", i, "to"),
                            _("holiday ends ({last}) before it starts ({first})").format(last=last, first=first),
                            "calendar-dates",
                        )
                    )
                for day in _dates(first + dt.timedelta(days=1), last - dt.timedelta(days=1)):
                    if day in seen:
                        problems.append(
                            doc.problem(
                                ("holidays", i),
                                _("{day} is listed twice (first at line {line})").format(day=day, line=seen[day]),
                                "calendar-dates",
                            )
                        )
                    seen[day], roles[day] = doc.position(("holidays", i))[0], "holiday"
    for i, w in enumerate(d.get("workdays") or () if isinstance(d.get("workdays"), list) else ()):
        if isinstance(w, dict):
            note(("workdays", i, "date"), w.get("date"), "workday")
    return problems


def calendar_files(extra: Iterable[str | Path] = ()) -> list[Path]:
    """Bundled catalogs/calendars/*.yaml, folders in $CHECKLIST_CALENDARS, and files given."""
    folders = [data_dir("catalogs") / "calendars"]
    folders += [Path(p) for p in os.environ.get("CHECKLIST_CALENDARS", "").split(os.pathsep) if p]
    files = [f for folder in folders if folder.is_dir() for f in sorted(folder.glob("*.yaml"))]
    return files + [Path(p) for p in extra]


@cache
def _load_schedule(path: Path, stamp: tuple[int, int]) -> Schedule:

    return schedule_from(load_valid(path, "calendar"))


def load_calendar(extra: Iterable[str | Path] = (), assume_weekends: bool = False) -> Calendar:
    """The calendar: the library plus every calendar file found (a file overrides its year)."""
    schedules: list[Schedule] = []
    by_year: dict[int, Path] = {}
    for path in calendar_files(extra):
        s = _load_schedule(path.resolve(), file_stamp(path))
        if s.year in by_year and by_year[s.year].resolve() != path.resolve():
            if path in map(Path, extra):  # a file given on the command line wins over the folders
                schedules = [x for x in schedules if x.year != s.year]
            else:
                raise UsageError(
                    _("two calendar files for {year}: {first} and {second}").format(year=s.year, first=by_year[s.year], second=path)
                )
        by_year[s.year] = path
        schedules.append(s)
    return Calendar(schedules, assume_weekends)
