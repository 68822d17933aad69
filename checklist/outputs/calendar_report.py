"""The duty calendar for people: text and Markdown lists, an XLSX task list, and the year planner
(HTML/PDF in the report family: one landscape page per unit with twelve month grids, each task
on its day, holidays and make-up working days marked, then the unit's task list)."""

from __future__ import annotations

import calendar as _months
import datetime as dt
from pathlib import Path

from checklist.dates import WEEKDAYS, add_months
from checklist.files import atomic
from checklist.files.spreadsheet import Sheet, write_xlsx
from checklist.outputs.templating import render_html
from checklist.workdays.done_log import OVERDUE, Status
from checklist.workdays.duty_calendar import DutyCalendar, Task, UnitCalendar
from checklist.workdays.frequencies import CONVENTIONS

XLSX_HEADER = ["日期", "星期", "单位", "事项", "期限规则", "期间", "条款", "文件", "文号", "角色", "状态", "说明", "UID"]
MONTHS_PER_PAGE = 12


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
    return [Sheet("任务", XLSX_HEADER, rows), Sheet("说明", ["项目", "内容"], about)]


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


def write(result: DutyCalendar, fmt: str, out: Path, status: dict[str, Status] | None = None, today: dt.date | None = None) -> None:
    if fmt == "text":
        atomic.write_text(out, text(result, status, today) + "\n")
    elif fmt == "md":
        atomic.write_text(out, markdown(result, status))
    elif fmt == "xlsx":
        write_xlsx(out, sheets(result, status))
    else:
        html = render_html(
            "calendar.html.j2",
            for_pdf=fmt == "pdf",
            r=result,
            pages=[(uc, planner_pages(uc, result)) for uc in result.units],
            weekdays=[w[1] for w in WEEKDAYS],
            conventions=CONVENTIONS,
            status=status or {},
            today=today,
            OVERDUE=OVERDUE,
        )
        if fmt == "html":
            atomic.write_text(out, html)
        else:
            from checklist.outputs.pdf import write_pdf

            write_pdf(html, out, allowed=[])
