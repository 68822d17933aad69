"""Risk grading written out: the working of every point (text/JSON), filtered lists, the
风险分级管控清单 (PDF A4 landscape, HTML, XLSX with the level cells filled in their colour) with
a summary chart by level and unit, and one 岗位风险告知卡 per point (PDF A4/A5, HTML)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checklist.errors import UsageError
from checklist.files.spreadsheet import Sheet, write_xlsx
from checklist.i18n import _
from checklist.outputs.pages import write_page
from checklist.outputs.templating import render_html
from checklist.risk.grading import Assessment, Grading
from checklist.risk.methods import Methods, shown

LIST_HEADER = [
    "序号",
    "编号",
    "风险点",
    "位置",
    "作业活动",
    "设备设施",
    "危险因素",
    "可能导致的事故类型",
    "评价方法",
    "因子取值",
    "风险值",
    "风险等级",
    "颜色",
    "管控措施",
    "管控层级",
    "层级调整理由",
    "责任单位",
    "责任人",
    "应急处置措施",
]
LEVEL_COLUMN = LIST_HEADER.index("风险等级")


def _factors(a: Assessment) -> str:
    return " ".join(f"{k}={shown(v)}" for k, v in a.point.factors.items())


def _totals_line(grading: Grading, items: list[Assessment]) -> str:
    counts = dict.fromkeys(grading.methods.levels, 0)
    for a in items:
        counts[a.level.id] += 1
    return f"{len(items)} 个风险点：" + "，".join(f"{lv} {n}" for lv, n in counts.items())


def assess_text(grading: Grading) -> str:
    """Every point with its working, in file order, and the totals."""
    lines = []
    for a in grading.assessments:
        control = f"管控层级 {a.control}"
        if a.overridden:
            control += f"（由 {a.derived_control} 调整：{a.point.control_reason}）"
        lines.append(f"{a.point.id} {a.point.name}（{a.point.unit}）：{a.working}；{control}")
    lines.append(_totals_line(grading, grading.assessments))
    return "\n".join(lines) + "\n"


def assess_json(grading: Grading) -> str:
    return _json(grading, grading.assessments)


def list_text(grading: Grading, items: list[Assessment]) -> str:
    """The selected points, highest level first: a line each."""
    lines = [
        f"{a.level.name}（{a.level.colour}）\t{a.point.id}\t{a.point.name}\t{a.point.unit}\t{a.method.score}={shown(a.score)}\t{a.control}\t{a.point.owner}"
        for a in items
    ]
    lines.append(_totals_line(grading, items))
    return "\n".join(lines) + "\n"


def _json(grading: Grading, items: list[Assessment]) -> str:
    data = {
        "file": grading.path,
        "organisation": grading.organisation,
        "methods": grading.methods.files,
        "points": [a.as_dict() for a in items],
        "totals": {lv: sum(1 for a in items if a.level.id == lv) for lv in grading.methods.levels},
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# `risk assess --format`: every point of the file, with its working
ASSESS_REPORTERS: dict[str, Callable[[Grading], str]] = {"text": assess_text, "json": assess_json}
# `risk list --format`: the points selected (by unit, level), highest level first
LIST_REPORTERS: dict[str, Callable[[Grading, list[Assessment]], str]] = {"text": list_text, "json": _json}


# --- the 清单 ---------------------------------------------------------------------------------


@dataclass
class UnitBar:
    unit: str
    segments: list[dict]  # {level, x, width, count, rgb, text_rgb}: a stacked bar, in percent of the widest
    total: int


def chart(grading: Grading) -> list[UnitBar]:
    """Points by unit and level as stacked bars (the widest unit fills the chart)."""
    counts = grading.counts()
    widest = max((sum(c.values()) for c in counts.values()), default=1) or 1
    bars = []
    for unit, by_level in counts.items():
        x, segments = 0.0, []
        for lv_id, n in by_level.items():
            if n:
                lv = grading.methods.levels[lv_id]
                width = 100.0 * n / widest
                segments.append(
                    {"level": lv_id, "x": round(x, 2), "width": round(width, 2), "count": n, "rgb": lv.rgb, "text_rgb": lv.text_rgb}
                )
                x += width
        bars.append(UnitBar(unit, segments, sum(by_level.values())))
    return bars


def _title(grading: Grading, organisation: str | None) -> str:
    return organisation or grading.organisation


def list_rows(items: list[Assessment]) -> list[list]:
    return [
        [
            n,
            a.point.id,
            a.point.name,
            a.point.location,
            a.point.activity,
            a.point.equipment,
            a.point.hazards,
            "、".join(a.point.accidents),
            a.method.id,
            _factors(a),
            float(a.score) if a.score != a.score.to_integral_value() else int(a.score),
            a.level.name,
            a.level.colour,
            a.point.measures,
            a.control,
            a.point.control_reason if a.overridden else "",
            a.point.unit,
            a.point.owner,
            a.point.emergency,
        ]
        for n, a in enumerate(items, 1)
    ]


REPORT_FORMATS = ("pdf", "xlsx", "html")  # what write_report writes


def write_report(grading: Grading, fmt: str, out: Path, organisation: str | None = None) -> None:
    """The 风险分级管控清单, highest level first, with its summary, in ``fmt`` (one of REPORT_FORMATS)."""
    items = grading.ordered()
    org = _title(grading, organisation)
    if fmt == "xlsx":
        fills = {(r, LEVEL_COLUMN): a.level.rgb for r, a in enumerate(items)}
        counts = grading.counts()
        levels = list(grading.methods.levels.values())
        summary = [[u, *c.values(), sum(c.values())] for u, c in counts.items()]
        summary.append(["合计", *grading.totals().values(), len(items)])
        summary_fills = {(len(summary) - 1, i + 1): lv.rgb for i, lv in enumerate(levels)}
        write_xlsx(
            out,
            [
                Sheet("风险分级管控清单", LIST_HEADER, list_rows(items), fills, heading=f"{org} 风险分级管控清单"),
                Sheet("统计", ["单位", *(lv.name for lv in levels), "合计"], summary, summary_fills, heading=f"{org} 风险分级管控统计"),
            ],
        )
        return
    html = render_html(
        "risk-list.html.j2",
        for_pdf=fmt == "pdf",
        g=grading,
        items=items,
        organisation=org,
        bars=chart(grading),
        counts=grading.counts(),
        totals=grading.totals(),
        levels=list(grading.methods.levels.values()),
        methods=_used_methods(grading.methods, items),
        shown=shown,
    )
    write_page(html, fmt, out)


def _used_methods(methods: Methods, items: list[Assessment]) -> list:
    used = {a.method.id for a in items}
    return [m for m in methods.methods.values() if m.id in used]


# --- the 告知卡 -------------------------------------------------------------------------------

_NUMBERS = re.compile(r"[;；,，、\n]+")


def emergency_numbers(option: str | None) -> list[str] | None:
    """``--emergency-numbers "火警 119；急救 120"`` as a list (None: not given)."""
    if option is None:
        return None
    numbers = [n.strip() for n in _NUMBERS.split(option) if n.strip()]
    if not numbers:
        raise UsageError(_('--emergency-numbers is empty: give e.g. "火警 119；急救 120"'))
    return numbers


def write_cards(grading: Grading, out: Path, size: str, numbers: list[str] | None, organisation: str | None = None) -> list[Path]:
    """One card per point: all in one PDF/HTML file when ``out`` ends in .pdf/.html, else one PDF each in the folder ``out``."""
    org = _title(grading, organisation)

    def render(items: list[Assessment], fmt: str, target: Path) -> None:
        cards = [
            {
                "a": a,
                "numbers": numbers if numbers is not None else list(dict.fromkeys(a.point.emergency_numbers + grading.emergency_numbers)),
            }
            for a in items
        ]
        html = render_html("risk-cards.html.j2", for_pdf=fmt == "pdf", cards=cards, size=size.lower(), organisation=org, shown=shown)
        write_page(html, fmt, target)

    suffix = out.suffix.lower()
    if suffix in (".pdf", ".html"):
        render(grading.assessments, suffix[1:], out)
        return [out]
    if out.exists() and not out.is_dir():
        raise UsageError(_("{path}: give a .pdf or .html file, or a folder for one PDF per point").format(path=out))
    written = []
    for a in grading.assessments:
        target = out / f"{_safe_name(a.point.id)}.pdf"
        render([a], "pdf", target)
        written.append(target)
    return written


def _safe_name(text: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", text).strip("._") or "point"
