"""The register's paper, in the report family: 《隐患整改通知书》 per audit and unit,
《整改复查意见书》 per re-inspection, the 隐患台账 (A4 landscape PDF, HTML or XLSX) and a dashboard
with SVG charts (HTML or PDF). View functions build plain data; templates draw it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checklist.dates import chinese
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
    "等级",
    "整改措施",
    "责任人",
    "整改期限",
    "临时措施",
    "完成情况",
    "复查人",
    "复查日期",
    "复查结论",
    "销号日期",
)


def _write(template: str, fmt: str, out: Path, allowed: Sequence[Path] = (), **context: Any) -> None:
    write_page(render_html(template, for_pdf=fmt == "pdf", **context), fmt, out, allowed)


def _safe(name: str) -> str:
    return "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)


def notices(hazards: list[dict], fmt: str, folder: Path) -> list[Path]:
    """One 整改通知书 per unit of an audit's hazards; the files written."""
    by_unit: dict[str, list[dict]] = {}
    for h in hazards:
        by_unit.setdefault(h["unit"], []).append(h)
    written = []
    for unit, rows in by_unit.items():
        first = rows[0]
        stem = Path(first["audit_path"]).stem
        out = folder / f"整改通知书-{_safe(stem)}-{_safe(unit)}.{fmt}"
        _write(
            "register_notice.html.j2",
            fmt,
            out,
            unit=unit,
            target=first["target"],
            found_cn=chinese(first["found_on"]),
            inspectors=first["inspectors"],
            audit_name=Path(first["audit_path"]).name,
            audit_sha256=first["audit_sha256"],
            hazards=rows,
            majors=[h for h in rows if h["level"] == MAJOR],
        )
        written.append(out)
    return written


def opinion(reviewed: list[dict], fmt: str, out: Path, photos: dict[str, dict] | None = None) -> None:
    """One 整改复查意见书 for the re-inspection of these hazards; with ``photos`` (hazard id →
    {"before": [paths], "after": [paths], "signatures": [{"who", "path"}]}) the photos before
    and after rectification side by side, and the signatures given at the 复查."""
    passed = {"pass", "recheck-pass"}
    photos = photos or {}
    rows = [
        dict(
            h,
            passed=h["review"]["action"] in passed,
            reviewer_names=h["review"]["by"],
            review_note=h["review"]["note"],
            photos=photos.get(h["id"], {}),
        )
        for h in reviewed
    ]
    folders = {p.parent.resolve() for ph in photos.values() for key in ("before", "after") for p in ph.get(key, ())}
    folders |= {s["path"].parent.resolve() for ph in photos.values() for s in ph.get("signatures", ())}
    _write(
        "register_opinion.html.j2",
        fmt,
        out,
        sorted(folders),
        signatures=[sig for ph in photos.values() for sig in ph.get("signatures", ())],
        unit="、".join(sorted({h["unit"] for h in rows})),
        rows=rows,
        reviewers="、".join(sorted({h["reviewer_names"] for h in rows})),
        fingerprint="、".join(h["id"] for h in rows),
    )


def ledger_rows(hazards: list[dict]) -> list[list]:
    def day(d: dt.date | None) -> str:
        return d.isoformat() if d else ""

    conclusion = {"已销号": "合格，已销号", "已撤销": "撤销"}
    return [
        [
            h["id"],
            h["unit"],
            day(h["found_on"]),
            h["place"],
            h["inspectors"],
            h["description"],
            h["level"],
            h["measure"],
            h["owner"],
            day(h["due"]),
            h["interim_measures"],
            h["rectified_measure"] or h["status"],
            h["reviewer"],
            day(h["reviewed_on"]),
            conclusion.get(h["status"], h["review_opinion"]),
            day(h["closed_on"]),
        ]
        for h in hazards
    ]


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
    }


def dashboard(data: dict, fmt: str, out: Path) -> None:
    _write("register_dashboard.html.j2", fmt, out, d=dashboard_view(data))
