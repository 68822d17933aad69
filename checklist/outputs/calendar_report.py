"""The duty calendar for people: text and Markdown lists, an XLSX task list, and the year planner
(HTML/PDF in the report family: one landscape page per unit with twelve month grids, each task
on its day, holidays and make-up working days marked, then the unit's task list)."""

from __future__ import annotations

import calendar as _months
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from checklist.dates import WEEKDAYS, add_months
from checklist.files import atomic
from checklist.files.kinds import load_valid
from checklist.files.spreadsheet import Sheet, write_xlsx
from checklist.model.library import load_catalog
from checklist.outputs.pages import write_page
from checklist.outputs.templating import render_html
from checklist.workdays import done_log
from checklist.workdays.calendar import load_calendar
from checklist.workdays.done_log import OVERDUE, Status
from checklist.workdays.duty_calendar import DutyCalendar, Task, UnitCalendar, build
from checklist.workdays.frequencies import CONVENTIONS

XLSX_HEADER = ["日期", "星期", "单位", "事项", "期限规则", "期间", "条款", "文件", "文号", "角色", "状态", "说明", "UID"]
MONTHS_PER_PAGE = 12
EXTENSIONS = {"text": "txt", "md": "md", "ics": "ics", "xlsx": "xlsx", "pdf": "pdf", "html": "html"}


def _status(status: dict[str, Status] | None, task: Task) -> Status | None:
    return status.get(task.uid) if status else None


def text(result: DutyCalendar, status: dict[str, Status] | None = None, today: dt.date | None = None) -> str:
    lines: list[str] = []
    for uc in result.units:
        lines += [f"职责日历：{uc.name}  {result.first} 至 {result.last}  共 {len(uc.tasks)} 项", *result.notes]
        if today is not None:
            lines.append(f"状态日期：{today} {WEEKDAYS[today.weekday()]}")
        lines.append("")
        for t in uc.tasks:
            s = _status(status, t)
            lines.append(f"{t.day.date} {t.day.label}  {t.title}" + (f"  [{s.text}]" if s else ""))
            lines.append(
                f"    {t.rule}；{t.period.label if not t.event else t.event['name']}；{t.catalog.doc_no or t.catalog.id}；{t.role_name}"
            )
            lines.append(f"    UID {t.uid}")
        lines.append("")
    lines += ["约定：", *(f"  - {c}" for c in CONVENTIONS)]
    return "\n".join(lines)


def markdown(result: DutyCalendar, status: dict[str, Status] | None = None) -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ")

    lines: list[str] = []
    for uc in result.units:
        lines += [f"# {uc.name} 职责日历（{result.first} 至 {result.last}）", ""]
        lines += [f"> {n}" for n in result.notes] + [""]
        lines += ["| 日期 | 事项 | 期限规则 | 期间 | 依据 | 状态 |", "| --- | --- | --- | --- | --- | --- |"]
        for t in uc.tasks:
            s = _status(status, t)
            period = t.period.label if not t.event else t.event["name"]
            lines.append(
                f"| {t.day.date} {t.day.label} | {cell(t.action)} | {cell(t.rule)} | {cell(period)} | "
                f"{cell(t.catalog.doc_no or t.catalog.id)} {t.clause.ref} | {s.text if s else ''} |"
            )
        lines.append("")
    lines += ["## 约定", "", *(f"- {c}" for c in CONVENTIONS), ""]
    return "\n".join(lines)


def sheets(result: DutyCalendar, status: dict[str, Status] | None = None) -> list[Sheet]:
    rows: list[list] = []
    if result.assumed_years:
        rows.append(["注意", "", "", result.notes[0]] + [""] * (len(XLSX_HEADER) - 4))
    for uc in result.units:
        for t in uc.tasks:
            s = _status(status, t)
            rows.append(
                [
                    t.day.date.isoformat(),
                    t.day.label,
                    uc.name,
                    t.action,
                    t.rule,
                    t.period.label if not t.event else t.event["name"],
                    t.clause.ref,
                    t.catalog.title.strip("《》"),
                    t.catalog.doc_no,
                    t.role_name,
                    s.text if s else "",
                    "\n".join(t.conventions),
                    t.uid,
                ]
            )
    about = [["日期范围", f"{result.first} 至 {result.last}"], *(["日历", n] for n in result.notes), *(["约定", c] for c in CONVENTIONS)]
    heading = f"{'、'.join(u.name for u in result.units)} 职责日历 {result.first} 至 {result.last}"
    return [Sheet("任务", XLSX_HEADER, rows, heading=heading), Sheet("说明", ["项目", "内容"], about, heading=f"{heading} 说明")]


def planner_pages(uc: UnitCalendar, result: DutyCalendar) -> list[list[dict]]:
    """The unit's months in pages of twelve; each month a grid of weeks (Monday first) whose
    cells carry the day's kind (working, weekend, holiday, make-up working day) and tasks."""
    by_day: dict[dt.date, list[Task]] = {}
    for t in uc.tasks:
        by_day.setdefault(t.day.date, []).append(t)
    months, m = [], result.first.replace(day=1)
    while m <= result.last:
        months.append(_month_grid(m, result, by_day))
        m = add_months(m, 1)
    return [months[i : i + MONTHS_PER_PAGE] for i in range(0, len(months), MONTHS_PER_PAGE)]


def _month_grid(first: dt.date, result: DutyCalendar, by_day: dict[dt.date, list[Task]]) -> dict:
    weeks = []
    for week in _months.Calendar().monthdatescalendar(first.year, first.month):
        row: list[dict | None] = []
        for d in week:
            if d.month != first.month:
                row.append(None)
                continue
            day = result.cal.day(d) if result.first <= d <= result.last else result.cal.plain(d)
            kind = "makeup" if day.makeup else "holiday" if day.holiday and not day.working else "off" if not day.working else "work"
            row.append({"day": d.day, "kind": kind, "holiday": day.holiday, "tasks": by_day.get(d, [])})
        weeks.append(row)
    return {"title": f"{first.year}年{first.month}月", "weeks": weeks}


@dataclass
class CalendarRun:
    """What ``checklist calendar`` made: the calendar, each task's status (judged on ``today``),
    where it was written (None: text for the terminal), and done-log entries that matched no task."""

    result: DutyCalendar
    status: dict[str, Status] | None
    out: Path | None
    unmatched: list[dict] = field(default_factory=list)
    text: str = ""
    today: dt.date | None = None  # the day the status was judged on (None: no status asked for)
    remind: int = 3  # ICS: a reminder this many working days before
    now: dt.datetime | None = None  # ICS: the time stamp of the events

    @property
    def overdue(self) -> int:
        return sum(1 for s in (self.status or {}).values() if s.status == OVERDUE)


def make_calendar(
    catalog_ids: Sequence[str],
    units: Sequence[str],
    first: dt.date,
    last: dt.date,
    *,
    fmt: str,
    out: Path | None = None,
    events_file: str | None = None,
    status: bool = False,
    done_file: str | None = None,
    today: dt.date,
    remind: int = 3,
    calendars: Sequence[str] = (),
    assume_weekends: bool = False,
    now: dt.datetime | None = None,
) -> CalendarRun:
    """The whole command: load the inputs, build the tasks, mark their status, write the format
    asked for (a key of WRITERS; to ``out``, or reports/calendar-<unit>.<ext>; text without
    ``out`` is returned)."""
    cal = load_calendar(calendars, assume_weekends)
    events = load_valid(events_file, "events") if events_file else None
    log = load_valid(done_file, "done-log") if done_file else None
    result = build([load_catalog(c) for c in catalog_ids], list(units), first, last, cal, events)
    marks = done_log.apply(result, log, today, cal) if status else None
    run = CalendarRun(result, marks, out, done_log.unmatched(result, log), today=today if status else None, remind=remind, now=now)
    if out is None and fmt != "text":
        run.out = Path("reports") / f"calendar-{'-'.join(u.name for u in result.units)}.{EXTENSIONS[fmt]}"
    if run.out is None:
        run.text = text(result, marks, run.today)
    else:
        WRITERS[fmt](run, run.out)
    return run


def _text_file(run: CalendarRun, out: Path) -> None:
    atomic.write_text(out, text(run.result, run.status, run.today) + "\n")


def _markdown_file(run: CalendarRun, out: Path) -> None:
    atomic.write_text(out, markdown(run.result, run.status))


def _ics_file(run: CalendarRun, out: Path) -> None:
    from checklist.outputs.ics import write_ics

    write_ics(run.result, out, run.remind, run.now or dt.datetime.now(dt.UTC), run.status)


def _xlsx_file(run: CalendarRun, out: Path) -> None:
    write_xlsx(out, sheets(run.result, run.status))


def _planner(fmt: str) -> Callable[[CalendarRun, Path], None]:
    """The year planner as a page: HTML, or PDF."""

    def write(run: CalendarRun, out: Path) -> None:
        html = render_html(
            "calendar.html.j2",
            for_pdf=fmt == "pdf",
            r=run.result,
            pages=[(uc, planner_pages(uc, run.result)) for uc in run.result.units],
            weekdays=[w[1] for w in WEEKDAYS],
            conventions=CONVENTIONS,
            status=run.status or {},
            today=run.today,
            OVERDUE=OVERDUE,
        )
        write_page(html, fmt, out)

    return write


# `checklist calendar --format`: each writes the calendar to a file (text also goes to the terminal)
WRITERS: dict[str, Callable[[CalendarRun, Path], None]] = {
    "text": _text_file,
    "md": _markdown_file,
    "ics": _ics_file,
    "xlsx": _xlsx_file,
    "pdf": _planner("pdf"),
    "html": _planner("html"),
}
