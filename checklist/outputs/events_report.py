"""`checklist events check`: large events' filings checked, for people (text), machines (JSON),
or print (HTML or PDF, in the report template family)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from checklist.dates import weekday
from checklist.outputs.deadline_report import headline
from checklist.outputs.pages import write_page
from checklist.outputs.templating import render_html
from checklist.workdays.deadlines import calendar_lines, describe
from checklist.workdays.large_events import LATE, PENDING, STATUS_NAMES, EventsCheck, Filing


def events_text(result: EventsCheck) -> str:
    """The rule, each event's deadline and filings, the tally, and the calendars used."""
    return "\n".join(_report_lines(result)) + "\n" + "\n".join(calendar_lines(result.cal)) + "\n"


def events_json(result: EventsCheck) -> str:
    data = {
        "file": result.file,
        "today": result.today.isoformat(),
        "catalog": result.catalog.id,
        "rule": result.clause.id,
        "events": [r.as_dict() for r in result.events],
        "exit_code": int(result.exit_code),
        "calendar": calendar_lines(result.cal),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


REPORTERS: dict[str, Callable[[EventsCheck], str]] = {"text": events_text, "json": events_json}


def write_events_report(result: EventsCheck, out: Path, fmt: str) -> None:
    """The check as a page: HTML, or PDF."""
    html = render_html(
        "events.html.j2",
        for_pdf=fmt == "pdf",
        r=result,
        rule=describe(result.step),
        status_names=STATUS_NAMES,
        LATE=LATE,
        PENDING=PENDING,
        calendar=calendar_lines(result.cal),
    )
    write_page(html, fmt, out)


def _report_lines(result: EventsCheck) -> list[str]:
    """Each event: its filing deadline, each document's status, the safety lead; then the tally."""
    step, cat = result.step, result.catalog
    file_with = f"，报送{cat.units[step['file_with']].name}" if step.get("file_with") else ""
    lines = [
        f"{cat.cited}{result.clause.ref}",
        f"{step['action']}：{describe(step)}，材料" + "".join(f"《{d}》" for d in step["documents"]) + file_with,
        f"检查日期: {result.today} {weekday(result.today)}",
    ]
    for r in result.events:
        ev = r.event
        lines += [
            "",
            f"[{ev['id']}] {ev['name']} — {ev['level']}，牵头: {r.lead_unit}，开始: {ev['start']} {weekday(dt.date.fromisoformat(ev['start']))}",
        ]
        if r.error is not None or r.deadline is None:
            lines.append(f"  [无法检查] {r.error.message if r.error else ''}")
        else:
            left = f"，还剩 {r.days_left} 个工作日（含截止日）" if r.days_left is not None else ""
            lines.append(f"  备案截止: {headline(r.deadline.due)}{left}")
        for f in r.filings:
            mark = "不符合" if f.problem else "待报送" if f.status == PENDING else "符合"
            when = f" {f.filed}" if f.filed else ""
            extra = f" {f.late_by} 个工作日" if f.status == LATE else f"，还剩 {f.left} 个工作日" if f.status == PENDING else ""
            lines.append(f"  [{mark}] 《{f.document}》{when} {STATUS_NAMES[f.status]}{extra}{_recipient_text(f, r.recipient)}")
        if r.lead_ok is not None:
            lines.append(f"  [{'符合' if r.lead_ok else '不符合'}] {r.lead_message}")
    failing = result.failing
    unchecked = [r for r in result.events if r.error is not None]
    if unchecked:
        lines += ["", f"{len(unchecked)} 项活动无法检查: " + "、".join(r.event["id"] for r in unchecked)]
    lines += [
        "",
        f"{len(result.events)} 项活动: {len(failing)} 项有问题（逾期、缺失、报送对象或安全负责人不符合、无法检查）"
        if failing
        else f"{len(result.events)} 项活动: 均未发现逾期或缺失",
    ]
    return lines


def _recipient_text(f: Filing, recipient: str) -> str:
    """，报送局办公室(安监办) / ，报送X（应报送Y） / ，未写明报送对象（应报送Y）."""
    if not recipient:
        return f"，报送{f.filed_with}" if f.filed_with else ""
    if f.filed_with is None:
        return f"，未写明报送对象（应报送{recipient}）" if f.filed else ""
    return f"，报送{f.filed_with}" + ("" if f.recipient_ok else f"（应报送{recipient}）")
