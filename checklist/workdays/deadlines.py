"""Deadlines from catalog rules: each step of a clause's ``deadline``, evaluated on the calendar.

Conventions (stated in ``checklist deadline --help`` and the README):
- "提前N个工作日" (direction before): the deadline is the N-th working day strictly before the
  date counted from; that date is not counted, the deadline day is.
- "N个工作日内" (direction after): the N-th working day after the date counted from, which is
  not counted.
- A step counting from an earlier step counts from that step's deadline (the latest case).
"""

from __future__ import annotations

import calendar as _months
import datetime as dt
from dataclasses import dataclass, field

from checklist.dates import add_days, add_months
from checklist.errors import UsageError
from checklist.i18n import _
from checklist.model.catalog import Catalog, Clause
from checklist.workdays.calendar import Calendar, Count, Day


@dataclass
class StepResult:
    step: dict
    start: dt.date  # the date counted from
    count: Count
    rule: str  # 提前10个工作日, 5个工作日内, 次月第10个工作日 …
    adjusted: str = ""  # how a fixed day was moved to a working day
    extensions: list[tuple[str, str, Day]] = field(default_factory=list)  # (when, how much, deadline)

    @property
    def due(self) -> Day:
        return self.count.due

    def as_dict(self) -> dict:
        return {
            "id": self.step["id"],
            "action": self.step["action"],
            "rule": self.rule,
            "from": self.start.isoformat(),
            "due": self.due.as_dict(),
            "counted": [d.as_dict() for d in self.count.counted],
            "skipped": [d.as_dict() for d in self.count.skipped],
            "adjusted": self.adjusted or None,
            "extensions": [{"when": w, "extra": x, "due": d.as_dict()} for w, x, d in self.extensions],
            "documents": self.step.get("documents", []),
            "note": self.step.get("note"),
        }


def describe(step: dict) -> str:
    before = step.get("direction") == "before"
    if "working_days" in step:
        n = step["working_days"]
        return f"提前{n}个工作日" if before else f"{n}个工作日内"
    if "days" in step:
        return f"提前{step['days']}天" if before else f"{step['days']}天"
    if "months" in step:
        return f"提前{step['months']}个月" if before else f"{step['months']}个月内"
    if "years" in step:
        return f"提前{step['years']}年" if before else f"{step['years']}年内"
    month = "次月" if step.get("month") == "next" else "当月" if step.get("month") == "same" else "每月"
    if "working_day_of_month" in step:
        return f"{month}前{step['working_day_of_month']}个工作日内"
    roll = "（遇节假日及双休日顺延）" if step.get("roll") == "next_working_day" else ""
    return f"{month}{step['day_of_month']}日{roll}"


def evaluate(catalog: Catalog, clause: Clause, anchor: dt.date, cal: Calendar) -> list[StepResult]:
    """Every step of the clause's deadline rule, counted from ``anchor``."""
    if not clause.deadline:
        with_rules = [c.id for c in catalog.clauses if c.deadline]
        raise UsageError(
            _("clause {clause} ({ref}) of {catalog} sets no deadline; clauses with one: {clauses}").format(
                clause=clause.id, ref=clause.ref, catalog=catalog.id, clauses=", ".join(with_rules) or _("none")
            )
        )
    results: dict[str, StepResult] = {}
    for step in clause.deadline["steps"]:
        origin = step.get("from", "anchor")
        start = anchor if origin == "anchor" else results[origin].due.date
        results[step["id"]] = evaluate_step(step, start, cal)
    return list(results.values())


def evaluate_step(step: dict, start: dt.date, cal: Calendar) -> StepResult:
    direction = step.get("direction", "after")
    sign = -1 if direction == "before" else 1
    adjusted = ""
    if "working_days" in step:
        count = cal.shift(start, step["working_days"], direction)
    elif "days" in step:
        count = Count(cal.plain(add_days(start, sign * step["days"])))
    elif "months" in step or "years" in step:
        months = step.get("months", 0) + 12 * step.get("years", 0)
        count = Count(cal.plain(add_months(start, sign * months)))
    elif "working_day_of_month" in step:
        year, month = _month_of(start, step.get("month", "same"))
        count = cal.nth_of_month(year, month, step["working_day_of_month"])
    else:
        day, count = _fixed(step, start, cal)
        if count.due.date != day:
            adjusted = f"{day} 为{count.skipped[0].label}，顺延至 {count.due.date}（{count.due.label}）"
    result = StepResult(step, start, count, describe(step), adjusted)
    for ext in step.get("extensions", ()):
        if "working_days" in ext:
            extra, due = f"{ext['working_days']}个工作日", cal.shift(count.due.date, ext["working_days"], direction).due
        else:
            extra, due = f"{ext['days']}天", cal.plain(add_days(count.due.date, sign * ext["days"]))
        result.extensions.append((ext["when"], extra, due))
    if len(step.get("extensions", ())) > 1:
        total_wd = sum(e.get("working_days", 0) for e in step["extensions"])
        if total_wd and all("working_days" in e for e in step["extensions"]):
            due = cal.shift(count.due.date, total_wd, direction).due
            result.extensions.append(("以上情形均有", f"{total_wd}个工作日", due))
    return result


def _month_of(start: dt.date, which: str) -> tuple[int, int]:
    if which == "next":
        d = add_months(start.replace(day=1), 1)
        return d.year, d.month
    return start.year, start.month


def _fixed(step: dict, start: dt.date, cal: Calendar) -> tuple[dt.date, Count]:
    """A fixed day of the month (每月15日) and the day it is kept on: moved to the next working day
    when the step says so (顺延). With no month given, the first month whose day — as moved — is on
    or after ``start``: a review done on 08-17 is published on August's 15th moved to Monday 08-17,
    not on 09-15."""
    which, roll = step.get("month"), step.get("roll") == "next_working_day"

    def kept(day: dt.date) -> Count:
        count = Count(cal.day(day))
        return cal.next_working(day) if roll and not count.due.working else count

    if which is not None:
        year, month = _month_of(start, which)
        day = _day_of(year, month, step["day_of_month"])
        return day, kept(day)
    year, month = start.year, start.month
    while True:
        day = _day_of(year, month, step["day_of_month"])
        if day >= start or (roll and kept(day).due.date >= start):
            return day, kept(day)
        nxt = add_months(dt.date(year, month, 1), 1)
        year, month = nxt.year, nxt.month


def _day_of(year: int, month: int, day: int) -> dt.date:
    """The ``day``-th of the month, or its last day when the month is shorter."""
    return dt.date(year, month, min(day, _months.monthrange(year, month)[1]))


# --- what `checklist deadline` computes ---------------------------------------------------


@dataclass
class Reckoning:
    """Deadlines counted from ``start`` on ``cal``: every step of a catalog clause's rule
    (``catalog`` and ``clause`` given), or one plain count of working days."""

    results: list[StepResult]
    start: dt.date
    cal: Calendar
    catalog: Catalog | None = None
    clause: Clause | None = None


def count_working_days(start: dt.date, working_days: int, direction: str, cal: Calendar) -> Reckoning:
    """The ``working_days``-th working day ``direction`` ("before" or "after") ``start``."""
    step = {"id": "deadline", "action": "截止日期", "working_days": working_days, "direction": direction}
    return Reckoning([evaluate_step(step, start, cal)], start, cal)


def apply_rule(catalog: Catalog, clause: Clause, anchor: dt.date, cal: Calendar) -> Reckoning:
    """Every step of ``clause``'s deadline rule, counted from ``anchor``."""
    return Reckoning(evaluate(catalog, clause, anchor, cal), anchor, cal, catalog, clause)


def calendar_lines(cal: Calendar) -> list[str]:
    lines = [f"日历 {year}: {source}" for year, source in sorted(cal.years_used.items())]
    if cal.assumed:
        lines.append("注意: 有年份没有官方节假日安排，已按周一至周五计算，结果可能与实际工作日不符。")
    return lines
