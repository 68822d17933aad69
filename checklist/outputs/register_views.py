"""The register's answers as people read them: hazard lists by reporter (text, JSON, CSV, XLSX)
and one hazard with its history."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

from checklist.errors import UsageError
from checklist.files import spreadsheet
from checklist.vocabulary import MAJOR

LIST_HEADER = ("编号", "状态", "等级", "单位", "部位", "隐患描述", "整改措施", "责任人", "整改期限", "逾期工作日", "排查时间")

Reporter = Callable[[list[dict], dt.date, "str | None"], None]


def _cells(r: dict) -> list:
    return [r["id"], r["status"], r["level"], r["unit"], r["place"], r["description"], r["measure"], r["owner"]] + [
        r["due"].isoformat(),
        r["overdue_days"],
        r["found_on"].isoformat(),
        *([r["risk"]] if "risk" in r else []),
    ]


def _header(rows: list[dict]) -> tuple[str, ...]:
    """The list's header; 风险等级 when the rows were given their risk levels (--risk-points)."""
    return (*LIST_HEADER, "风险等级") if rows and "risk" in rows[0] else LIST_HEADER


def _out(text: str, output: str | None) -> None:
    if output:
        from checklist.files import atomic

        atomic.write_text(Path(output), text)
    else:
        sys.stdout.write(text)


def list_text(rows: list[dict], today: dt.date, output: str | None) -> None:
    lines = [f"{len(rows)} hazard(s) (today {today.isoformat()}; overdue in working days)"]
    for r in rows:
        late = f" 逾期{r['overdue_days']}个工作日" if r["overdue_days"] else ""
        risk = f"  风险等级 {r['risk'] or '—'}" if "risk" in r else ""
        lines.append(
            f"{r['id']}  {r['status']}  {r['level']}  {r['unit']}  整改期限 {r['due'].isoformat()}{late}  {r['owner']}  {r['description']}{risk}"
        )
    _out("\n".join(lines) + "\n", output)


def list_json(rows: list[dict], today: dt.date, output: str | None) -> None:
    data = {"today": today.isoformat(), "count": len(rows), "hazards": rows}
    _out(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", output)


def list_csv(rows: list[dict], today: dt.date, output: str | None) -> None:
    _out(spreadsheet.csv_text(_header(rows), [_cells(r) for r in rows]), output)


def list_xlsx(rows: list[dict], today: dt.date, output: str | None) -> None:
    if not output:
        raise UsageError("--format xlsx needs -o FILE.xlsx")
    spreadsheet.write_xlsx(Path(output), [spreadsheet.Sheet(f"隐患 {today.isoformat()}", _header(rows), [_cells(r) for r in rows])])


REPORTERS: dict[str, Reporter] = {"text": list_text, "json": list_json, "csv": list_csv, "xlsx": list_xlsx}


def list_reporter(fmt: str) -> Reporter:
    return REPORTERS[fmt]


def show_text(h: dict) -> str:
    """One hazard as a page of text: fields, 治理方案, 督办, then the history."""
    from checklist.vocabulary import ACTIONS, PLAN_PARTS

    late = f" (逾期{h['overdue_days']}个工作日)" if h["overdue_days"] else ""
    out = [
        f"{h['id']}  {h['status']}  {h['level']}  version {h['version']}",
        f"  单位 {h['unit']}   被检查对象 {h['target']}   部位 {h['place'] or '—'}",
        f"  排查 {h['found_on']} {h['inspectors']}   检查记录 {h['audit_path']} (sha256 {h['audit_sha256'][:12]}…)",
        f"  依据 {h['catalog']} {h['ref']}  检查项 {h['check_id']}: {h['ask']}",
        f"  隐患描述 {h['description']}",
        f"  整改措施 {h['measure']}   责任人 {h['owner']}   整改期限 {h['due']}{late}",
    ]
    if h["interim_measures"]:
        out.append(f"  临时安全措施 {h['interim_measures']}")
    if h["level"] == MAJOR:
        for key, title in PLAN_PARTS.items():
            out.append(f"  治理方案·{title} {h[f'plan_{key}'] or '（缺）'}")
    if h["supervision"]:
        s = h["supervision"]
        out.append(f"  挂牌督办 {s['supervisor_unit']} {s['number']} 督办期限 {s['deadline']}")
    if h["rectified_measure"]:
        out.append(f"  完成情况 {h['rectified_measure']}")
    if h["reviewer"]:
        out.append(f"  复查 {h['reviewer']} {h['reviewed_on']}: {h['review_opinion']}")
    if h["closed_on"]:
        out.append(f"  销号日期 {h['closed_on']}")
    if h["photos"]:
        out.append(f"  照片 {', '.join(h['photos'].splitlines())}")
    out.append("  可执行: " + ("、".join(f"{ACTIONS[a]} ({a})" for a in h["allowed"]) or "无 (已关闭)"))
    out.append("  历史:")
    for e in h["history"]:
        move = f"{e['from_status'] or '—'} → {e['to_status']}"
        out.append(
            f"    #{e['seq']} {e['at'][:19]} {e['by']} ({e['role']}) {ACTIONS.get(e['action'], e['action'])} {move}"
            + (f"  {e['note']}" if e["note"] else "")
        )
        for ev in e["evidence"]:
            out.append(f"        证据 {ev['name']} sha256 {ev['sha256']}")
    return "\n".join(out)


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def stats_text(s: dict) -> str:
    """The statistics as a table of text: the total first, then each unit."""
    width = max([spreadsheet.display_width(u["name"]) for u in s["units"]] + [8])
    head = f"{_pad('单位', width)} 排查次数 发现 一般 重大 已整改 整改率 重大整改率 未整改 逾期 撤销"
    out = [f"{s['period']}隐患排查治理统计 ({s['from']} 至 {s['to']}, 状态截至 {s['today']}; 报送期限 {s['report_by']})", head]
    for line in [s["total"], *s["units"]]:
        out.append(
            f"{_pad(line['name'], width)} {line['inspections']:>8} {line['found']:>4} {line['found_general']:>4} {line['found_major']:>4} "
            f"{line['rectified']:>6} {_pct(line['rectification_rate']):>6} {_pct(line['major_rectification_rate']):>10} "
            f"{line['open']:>6} {line['overdue']:>4} {line['revoked']:>4}"
        )
    return "\n".join(out)


def _pad(text: str, width: int) -> str:
    """Left-aligned in a column of ``width`` display cells (a CJK character takes two)."""
    return text + " " * max(0, width - spreadsheet.display_width(text))
