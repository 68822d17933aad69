"""The register's paper, in the report family: the 隐患台账 (A4 landscape PDF, HTML or XLSX) and
a dashboard with SVG charts (HTML or PDF). View functions build plain data; templates draw it.
The papers a bureau sends (整改通知书, 复查意见书, 督办通知书, 督办销号) are outputs.papers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checklist.files import spreadsheet
from checklist.outputs.pages import write_page
from checklist.outputs.templating import render_html
from checklist.vocabulary import GENERAL, MAJOR

LEDGER_HEADER = (
    "编号",
    "单位",
    "排查时间",
    "部位",
    "排查人",
    "隐患描述",
    "依据",
    "等级",
    "整改措施",
    "责任人",
    "整改期限",
    "延期",
    "督办",
    "临时措施",
    "完成情况",
    "评估",
    "复查人",
    "复查日期",
    "复查结论",
    "销号日期",
)


def _write(template: str, fmt: str, out: Path, allowed: Sequence[Path] = (), **context: Any) -> None:
    write_page(render_html(template, for_pdf=fmt == "pdf", **context), fmt, out, allowed)


def _safe(name: str) -> str:
    return "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)


def ledger_rows(hazards: list[dict]) -> list[list]:
    """The 台账's rows; each hazard with its facts (register.papers.ledger_facts): 督办, 延期."""

    def day(d: dt.date | None) -> str:
        return d.isoformat() if d else ""

    conclusion = {"已销号": "合格，已销号", "已撤销": "撤销"}
    out = []
    for h in hazards:
        sup = h.get("supervision")
        extensions = "；".join(f"{x['before']}→{x['after']}（{x['by']} {x['on']}批准）" for x in h.get("extensions", []))
        if h.get("ext_due"):
            extensions += ("；" if extensions else "") + f"申请延期至{h['ext_due']}（待批准）"
        assessed = f"{h['assessor']} {day(h['assessed_on'])}：{h['assessment']}" if h.get("assessed_on") else ""
        out.append(
            [
                h["id"],
                h["unit"],
                day(h["found_on"]),
                h["place"],
                h["inspectors"],
                h["description"],
                f"{h['catalog']} {h['ref']}",
                h["level"] + (f"（定级依据：{h['basis']}）" if h.get("basis") else ""),
                h["measure"],
                h["owner"],
                day(h.get("due_issued") or h["due"]),
                extensions,
                f"{sup['supervisor_unit']} {sup['number']}，期限{day(sup['deadline'])}" + ("，已督办销号" if h.get("signoff_on") else "")
                if sup
                else "",
                h["interim_measures"],
                h["rectified_measure"] or h["status"],
                assessed,
                h["reviewer"],
                day(h["reviewed_on"]),
                conclusion.get(h["status"], h["review_opinion"]),
                day(h["closed_on"]),
            ]
        )
    return out


LEDGER_FORMATS = ("pdf", "html", "xlsx")  # what ledger writes


def ledger(hazards: list[dict], fmt: str, out: Path, title: str, anchor: dict | None = None) -> None:
    """The 隐患台账 in ``fmt`` (one of LEDGER_FORMATS); with ``anchor`` ({"events", "head"}: the event
    log's head as the rows were read) printed under it, so the paper can later prove the log was not
    rewritten before it."""
    rows = ledger_rows(hazards)
    if fmt == "xlsx":
        note = f"事件日志 {anchor['events']} 条 · 链头 {anchor['head']}" if anchor else ""
        spreadsheet.write_xlsx(out, [spreadsheet.Sheet("隐患台账", LEDGER_HEADER, rows, heading=title, footnote=note)])
        return
    _write("register_ledger.html.j2", fmt, out, title=title, header=LEDGER_HEADER, rows=rows, anchor=anchor)


# --- the dashboard ------------------------------------------------------------------------

CHART_W, LABEL_W, BAR_H = 320, 150, 14
COLORS = {GENERAL: "#e0a800", MAJOR: "#c0392b", "found": "#1d3557", "closed": "#2e6b38", "overdue": "#c0392b"}


def _hbars(items: dict[str, dict[str, int]]) -> dict:
    """Stacked horizontal bars: one per label, one segment per series."""
    top = max((sum(v.values()) for v in items.values()), default=0) or 1
    bars = []
    for i, (label, series) in enumerate(items.items()):
        x, segments = 0.0, []
        for name, n in series.items():
            w = n * CHART_W / top
            segments.append({"x": LABEL_W + x, "width": w, "count": n, "color": COLORS.get(name, "#1d3557"), "name": name})
            x += w
        bars.append({"label": label, "y": i * (BAR_H + 8) + 2, "segments": segments, "total": sum(series.values()), "end": LABEL_W + x})
    return {"bars": bars, "height": len(bars) * (BAR_H + 8) + 4, "width": LABEL_W + CHART_W + 40}


def _monthly(monthly: dict[str, dict[str, int]]) -> dict:
    """Grouped vertical bars: found and closed per month."""
    top = max((max(v.values()) for v in monthly.values()), default=0) or 1
    height, step = 120, 40
    groups = []
    for i, (label, v) in enumerate(monthly.items()):
        x = 30 + i * step
        groups.append(
            {
                "label": label[2:],
                "x": x,
                "bars": [
                    {
                        "x": x + 4 + j * 15,
                        "h": v[k] * height / top,
                        "y": 10 + height - v[k] * height / top,
                        "count": v[k],
                        "color": COLORS[k],
                    }
                    for j, k in enumerate(("found", "closed"))
                ],
            }
        )
    return {"groups": groups, "base": 10 + height, "width": 30 + len(groups) * step + 10, "height": height + 30}


def dashboard_view(data: dict) -> dict:
    return {
        "today": data["today"],
        "open": _hbars(data["open_by_unit"]),
        "open_total": sum(sum(v.values()) for v in data["open_by_unit"].values()),
        "overdue": _hbars({k: {"overdue": n} for k, n in data["overdue_by_age"].items()}),
        "overdue_total": sum(data["overdue_by_age"].values()),
        "monthly": _monthly(data["monthly"]),
        "monthly_rows": data["monthly"],
        "colors": COLORS,
        "by_risk": data.get("by_risk"),  # open hazards by risk level, when a risk-point file was given
        "anchor": data.get("anchor"),  # the event log's head: {"events", "head"}
        "businesses": data.get("businesses"),  # the businesses it is limited to, when filtered
    }


def dashboard(data: dict, fmt: str, out: Path) -> None:
    _write("register_dashboard.html.j2", fmt, out, d=dashboard_view(data))
