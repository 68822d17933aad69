"""Duty frequencies as data: the periods a clause's ``recurrence`` covers in a span of dates, and
the working day each period's task falls due on the official calendar.

Conventions (README "Duty calendar"; each task's description repeats the ones it uses):
- Periods are calendar periods: years, half-years (1–6月, 7–12月), quarters, months.
- A frequency whose text names no day (每季度研究分析) is due on the period's last working day:
  期内完成.
- 每月前N个工作日内 is the N-th working day of the month; 次月N个工作日内 of the month after.
- A fixed day (每月15日, X日前) that is not a working day moves as the catalog's ``roll`` says:
  to the next working day (顺延) or, for a date to be met "before", to the working day before.
- ``due: {deadline: true}``: the clause's deadline steps, counted from the period's first day.
- A task due before ``from`` (the day the duty starts) is left out: it was never owed.
"""

from __future__ import annotations

import calendar as _months
import datetime as dt
from dataclasses import dataclass, field

from checklist.dates import add_months
from checklist.model.catalog import Clause
from checklist.workdays.calendar import Calendar, Day, YearNotCovered
from checklist.workdays.deadlines import describe, evaluate_step

# every: (months per period, what the period is called, the text's word)
EVERY = {"year": (12, "年度", "每年"), "half-year": (6, "半年", "每半年"), "quarter": (3, "季度", "每季度"), "month": (1, "月", "每月")}
QUARTERS = "一二三四"
ROLLS = {"next_working_day": "遇非工作日顺延至下一个工作日", "previous_working_day": "遇非工作日提前至前一个工作日"}
IN_PERIOD = "期内完成"
CONVENTIONS = [
    "期间按自然期间计：年、半年（1–6月、7–12月）、季度（1–3月…）、月。",
    "原文只规定频次、未规定日期的（如每季度研究分析）：期内完成，以该期间最后一个工作日为期限。",
    "“每月前N个工作日内”：当月第N个工作日为期限；“次月N个工作日内”：次月第N个工作日。",
    "固定日期（每月15日、X月X日前）遇非工作日：按目录所记顺延至下一个工作日，或（“前”）提前至前一个工作日。",
    "按条款时限规则逐月计算的（如结算：次月10个工作日内审核，再5个、3个工作日）：自每期第一日起算，后一步从前一步期限起算。",
    "活动相关期限（如一案两表提前10个工作日）：自活动开始日向前数工作日，开始日不计。",
    "工作日按国务院办公厅节假日安排（含调休上班日）；提醒在期限前第N个工作日 09:00。",
]
LAST_DAY_RULE = "原文未规定具体日期：期内完成，以{period}最后一个工作日为期限"


@dataclass(frozen=True, slots=True)
class Period:
    every: str  # year, half-year, quarter, month; "date" for a date the text fixes
    first: dt.date
    last: dt.date

    @property
    def key(self) -> str:
        """2026, 2026H1, 2026Q3, 2026-03 or 2026-01-31: part of a task's UID and of done-log entries."""
        y, m = self.first.year, self.first.month
        return {
            "year": f"{y}",
            "half-year": f"{y}H{1 if m <= 6 else 2}",
            "quarter": f"{y}Q{(m - 1) // 3 + 1}",
            "month": f"{y}-{m:02d}",
        }.get(self.every, self.first.isoformat())

    @property
    def label(self) -> str:
        y, m = self.first.year, self.first.month
        return {
            "year": f"{y}年",
            "half-year": f"{y}年{'上' if m <= 6 else '下'}半年",
            "quarter": f"{y}年第{QUARTERS[(m - 1) // 3]}季度",
            "month": f"{y}年{m}月",
        }.get(self.every, f"{self.first.year}年{self.first.month}月{self.first.day}日")


def period_of(every: str, day: dt.date) -> Period:
    months = EVERY[every][0]
    first = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
    last = add_months(first, months) - dt.timedelta(days=1)
    return Period(every, first, last)


def periods(every: str, first: dt.date, last: dt.date) -> list[Period]:
    """The periods that overlap first..last, in order."""
    out, p = [], period_of(every, first)
    while p.first <= last:
        out.append(p)
        p = period_of(every, p.last + dt.timedelta(days=1))
    return out


@dataclass
class Due:
    """One dated task a recurrence makes: its period, the step (for deadline rules), the day."""

    period: Period
    day: Day
    action: str
    rule: str  # 每季度，期内完成 … / 每月前5个工作日内 …
    conventions: list[str] = field(default_factory=list)
    step_id: str = ""
    adjusted: str = ""  # how a fixed day was moved to a working day


def rule_text(rec: dict) -> str:
    """The recurrence as a person reads it: 每季度（期内完成）, 次月前10个工作日内, 每月15日（遇非工作日顺延…）."""
    if "on" in rec:
        return "、".join(f"{d}前" for d in rec["on"]) + f"（{ROLLS[rec['roll']]}）"
    months, name, word = EVERY[rec["every"]]
    times = f"至少{rec['times']}次" if rec.get("times") else ""
    due = rec["due"]
    if "last_working_day" in due:
        return f"{word}{times}（{IN_PERIOD}）"
    if "deadline" in due:
        return f"{word}{times}（按条款时限规则，自每{name}第一日起算）"
    if months == 1:
        month = "次月" if due["month"] == "next" else "每月"
    else:
        month = {"first": f"每{name}首月", "last": f"每{name}末月", "next": f"每{name}结束后次月"}[due["month"]]
    if "working_day_of_month" in due:
        return f"{month}前{due['working_day_of_month']}个工作日内"
    return f"{month}{due['day_of_month']}日（{ROLLS[due['roll']]}）"


def dues(clause: Clause, cal: Calendar, first: dt.date, last: dt.date) -> list[Due]:
    """Every task of the clause's recurrence that falls due in first..last (both included).

    Periods are taken from a little before ``first`` (a 次月 or chained deadline of an earlier
    period may fall in the span) to ``last``; a due date that would need a year without data
    outside the span's years lies outside the span, and is left out."""
    rec = clause.recurrence
    if not rec or "none" in rec:
        return []
    out: list[Due] = []
    if "on" in rec:
        for text in rec["on"]:
            day = dt.date.fromisoformat(text)
            period = Period("date", day, day)
            moved, adjusted = _roll(cal, day, rec["roll"], first, last)
            if moved is not None:
                conventions = [c for c in (rec.get("note"), adjusted) if c]
                out.append(Due(period, moved, rec.get("action", clause.text), rule_text(rec), conventions, adjusted=adjusted))
        return _within(out, first, last)
    months = EVERY[rec["every"]][0]
    start = rec.get("from") and dt.date.fromisoformat(rec["from"])
    end = rec.get("until") and dt.date.fromisoformat(rec["until"])
    for period in periods(rec["every"], add_months(first, -(months + 2)), last):
        if (start and period.last < start) or (end and period.first > end):
            continue
        try:
            found = _period_dues(clause, rec, period, cal)
        except YearNotCovered as e:
            if first.year <= e.year <= last.year:
                raise
            continue
        # a task due before the duty runs (a plan due at the start of the year the rules took
        # effect in, after that start) was never owed
        out += [d for d in found if not start or d.day.date >= start]
    return _within(out, first, last)


def _within(found: list[Due], first: dt.date, last: dt.date) -> list[Due]:
    return [d for d in found if first <= d.day.date <= last]


def _period_dues(clause: Clause, rec: dict, period: Period, cal: Calendar) -> list[Due]:
    due, rule = rec["due"], rule_text(rec)
    action = rec.get("action", clause.text)
    conventions = [f"频次：{EVERY[rec['every']][2]}（{period.label}：{period.first} 至 {period.last}）"]
    if rec.get("times"):
        conventions.append(f"本期内至少{rec['times']}次，以期末为期限")
    if rec.get("note"):
        conventions.append(rec["note"])
    if "last_working_day" in due:
        last = cal.day(period.last)
        day = last if last.working else cal.shift(period.last, 1, "before").due
        conventions.insert(1, LAST_DAY_RULE.format(period=EVERY[rec["every"]][1]))
        return [Due(period, day, action, rule, conventions)]
    if "deadline" in due:
        results: dict[str, Due] = {}
        for step in clause.deadline["steps"] if clause.deadline else ():
            origin = step.get("from", "anchor")
            start = period.first if origin == "anchor" else results[origin].day.date
            r = evaluate_step(step, start, cal)
            notes = conventions + [f"{describe(step)}，自{start}起算"] + ([step["note"]] if step.get("note") else [])
            results[step["id"]] = Due(period, r.due, step["action"], rule, notes, step["id"], r.adjusted)
        return list(results.values())
    year, month = _month(period, due["month"])
    if "working_day_of_month" in due:
        day = cal.nth_of_month(year, month, due["working_day_of_month"]).due
        return [Due(period, day, action, rule, conventions)]
    fixed = dt.date(year, month, min(due["day_of_month"], _months.monthrange(year, month)[1]))
    moved, adjusted = _roll(cal, fixed, due["roll"])
    assert moved is not None
    return [Due(period, moved, action, rule, conventions + ([adjusted] if adjusted else []), adjusted=adjusted)]


def _month(period: Period, which: str) -> tuple[int, int]:
    d = {"first": period.first, "last": period.last, "next": period.last + dt.timedelta(days=1)}[which]
    return d.year, d.month


def _roll(cal: Calendar, day: dt.date, roll: str, first: dt.date | None = None, last: dt.date | None = None) -> tuple[Day | None, str]:
    """The working day a fixed date falls on, and how it was moved ("" when it was not). With a
    span, a date outside it whose year has no data is None (it cannot fall in the span)."""
    try:
        here = cal.day(day)
    except YearNotCovered as e:
        if first and last and not first.year <= e.year <= last.year:
            return None, ""
        raise
    if here.working:
        return here, ""
    moved = cal.next_working(day).due if roll == "next_working_day" else cal.shift(day, 1, "before").due
    return moved, f"{day} 为{here.label}，{ROLLS[roll][5:]}：{moved.date}（{moved.label}）"
