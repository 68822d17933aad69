"""The register's answers as people read them, and as machines do: hazard lists by reporter
(text, JSON, CSV; XLSX written to a file), one hazard with its history, statistics, the risk
points that need attention, what an import did, the lifecycle table, the log check and a move.
Each command's reporters are a registry its ``--format`` chooses from."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from checklist.dates import zone
from checklist.files import spreadsheet
from checklist.i18n import N_, _, gettext, prose_date
from checklist.vocabulary import ACTIONS, MAJOR, field_name

if TYPE_CHECKING:  # the register's modules bring SQLAlchemy: not for `register … --help`
    from checklist.errors import ChecklistError
    from checklist.register.hazards import Evidence
    from checklist.register.importer import ImportReport
    from checklist.register.lifecycle import Move
    from checklist.register.log import LogCheck
    from checklist.register.risks import Attention

LIST_HEADER = ("编号", "状态", "等级", "单位", "部位", "隐患描述", "整改措施", "责任人", "整改期限", "逾期工作日", "排查时间")


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


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def list_text(rows: list[dict], today: dt.date) -> str:
    lines = [_("{count} hazard(s) (today {today}; overdue in working days)").format(count=len(rows), today=prose_date(today))]
    for r in rows:
        late = f" 逾期{r['overdue_days']}个工作日" if r["overdue_days"] else ""
        risk = f"  风险等级 {r['risk'] or '—'}" if "risk" in r else ""
        lines.append(
            f"{r['id']}  {r['status']}  {r['level']}  {r['unit']}  整改期限 {r['due'].isoformat()}{late}  {r['owner']}  {r['description']}{risk}"
        )
    return "\n".join(lines) + "\n"


def list_json(rows: list[dict], today: dt.date) -> str:
    return _json({"today": today.isoformat(), "count": len(rows), "hazards": rows})


def list_csv(rows: list[dict], today: dt.date) -> str:
    return spreadsheet.csv_text(_header(rows), [_cells(r) for r in rows])


def list_xlsx(rows: list[dict], today: dt.date, out: Path) -> None:
    spreadsheet.write_xlsx(out, [spreadsheet.Sheet(f"隐患 {today.isoformat()}", _header(rows), [_cells(r) for r in rows])])


# `register list --format`: reporters give the text (printed, or written to -o); writers write a file
LIST_REPORTERS: dict[str, Callable[[list[dict], dt.date], str]] = {"text": list_text, "json": list_json, "csv": list_csv}
LIST_WRITERS: dict[str, Callable[[list[dict], dt.date, Path], None]] = {"xlsx": list_xlsx}


def show_text(h: dict) -> str:
    """One hazard as a page of text: fields, 治理方案, 督办, then the history."""
    from checklist.vocabulary import ACTIONS, PAPERS, PLAN_PARTS, RECORD_KINDS

    late = f" (逾期{h['overdue_days']}个工作日)" if h["overdue_days"] else ""
    out = [
        f"{h['id']}  {h['status']}  {h['level']}  记录版本 {h['version']}",
        f"  单位 {h['unit']}   被检查对象 {h['target']}   部位 {h['place'] or '—'}",
        f"  排查 {h['found_on']} {h['inspectors']}   检查记录 {h['audit_path']} (sha256 {h['audit_sha256'][:12]}…)",
        f"  依据 {h['catalog']} {h['ref']}  检查项 {h['check_id']}: {h['ask']}",
        f"  隐患描述 {h['description']}",
        f"  整改措施 {h['measure']}   责任人 {h['owner']}   整改期限 {h['due']}{late}",
    ]
    if h.get("extensions"):  # the due date as issued, and each 延期 since, as the papers print them
        steps = "；".join(f"{x['on']} 经{x['by']}批准延期至{x['after']}" for x in h["extensions"])
        out.append(f"  原整改期限 {h['due_issued']}；{steps}")
    if h["interim_measures"]:
        out.append(f"  临时安全措施 {h['interim_measures']}")
    if h["level"] == MAJOR:
        for key, title in PLAN_PARTS.items():
            out.append(f"  治理方案·{title} {h[f'plan_{key}'] or '（缺）'}")
    if h["level"] == MAJOR:
        if h["plan_author"]:
            out.append(f"  治理方案制定人（主要负责人） {h['plan_author']}")
        basis = h["basis"] + (f"（{h['basis_reason']}）" if h["basis_reason"] else "")
        out.append(f"  定级依据 {basis or '（未写明）'}")
    if h["supervision"]:
        s = h["supervision"]
        out.append(f"  挂牌督办 {s['supervisor_unit']} {s['number']} 督办期限 {s['deadline']}")
    if h["ext_due"]:
        out.append(f"  申请延期 至 {h['ext_due']}（{h['ext_by']} {h['ext_on']}: {h['ext_reason']}，待批准）")
    if h["rectified_measure"]:
        out.append(f"  完成情况 {h['rectified_measure']}" + (f"（{h['rectified_by']} {h['rectified_on']}）" if h["rectified_by"] else ""))
    if h["assessed_on"]:
        out.append(f"  治理评估 {h['assessor']} {h['assessed_on']}: {h['assessment']}（附件 {h['assessment_file']}）")
    if h["signoff_on"]:
        out.append(f"  督办销号 {h['signoff_by']} {h['signoff_on']}: {h['signoff_opinion']}")
    if h["reviewer"]:
        out.append(f"  复查 {h['reviewer']} {h['reviewed_on']}: {h['review_opinion']}")
    if h["closed_on"]:
        out.append(f"  销号日期 {h['closed_on']}")
    if h["photos"]:
        out.append(f"  照片 {', '.join(h['photos'].splitlines())}")
    for r in h.get("records", []):
        on = "" if r["hazard_id"] else f"（{r['unit']}）"
        out.append(f"  {RECORD_KINDS[r['kind']]}{on} {r['held_on']} {r['organiser']} → {r['whom']}: {r['matter']}")
    for p in h.get("papers", []):
        out.append(f"  文书 {PAPERS[p['kind']]} {p['number']} {p['body']} {p['issued_on']}")
    out.append("  可执行: " + ("、".join(f"{ACTIONS[a]} ({a})" for a in h["allowed"]) or "无 (已关闭)"))
    out.append("  历史:")
    for e in h["history"]:
        move = f"{e['from_status'] or '—'} → {e['to_status']}"
        day = e["data"].get("on") or e["at"][:10]  # the day it happened, as given (--date); then when it was recorded
        recorded = dt.datetime.fromisoformat(e["at"]).astimezone(zone()).strftime("%Y-%m-%d %H:%M")
        out.append(
            f"    #{e['seq']} {day} {e['by']} ({e['role']}) {ACTIONS.get(e['action'], e['action'])} {move}"
            + (f"  {e['note']}" if e["note"] else "")
            + _("  (recorded {time})").format(time=recorded)
        )
        for ev in e["evidence"]:
            out.append(f"        证据 {ev['name']} sha256 {ev['sha256']}")
    return "\n".join(out) + "\n"


# `register show --format`: one hazard (a row of register.queries.show)
SHOW_REPORTERS: dict[str, Callable[[dict], str]] = {"text": show_text, "json": _json}


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def stats_text(s: dict) -> str:
    """The statistics as a table of text: the total first, then each unit."""
    width = max([spreadsheet.display_width(u["name"]) for u in s["units"]] + [8])
    head = f"{_pad('单位', width)} 排查次数 发现 一般 重大 已整改 整改率 重大整改率 未整改 逾期 撤销"
    d = {k: prose_date(s[k]) for k in ("from", "to", "today", "report_by")}
    out = [f"{s['period']}隐患排查治理统计（{d['from']} 至 {d['to']}，状态截至 {d['today']}；报送期限 {d['report_by']}）", head]
    for line in [s["total"], *s["units"]]:
        out.append(
            f"{_pad(line['name'], width)} {line['inspections']:>8} {line['found']:>4} {line['found_general']:>4} {line['found_major']:>4} "
            f"{line['rectified']:>6} {_pct(line['rectification_rate']):>6} {_pct(line['major_rectification_rate']):>10} "
            f"{line['open']:>6} {line['overdue']:>4} {line['revoked']:>4}"
        )
    return "\n".join(out) + "\n"


def stats_json(s: dict) -> str:
    return json.dumps(s, ensure_ascii=False, indent=2) + "\n"


# `register stats --format`: the statistics of register.stats.statistics
STATS_REPORTERS: dict[str, Callable[[dict], str]] = {"text": stats_text, "json": stats_json}


def _pad(text: str, width: int) -> str:
    """Left-aligned in a column of ``width`` display cells (a CJK character takes two)."""
    return text + " " * max(0, width - spreadsheet.display_width(text))


# --- what the other register commands print -------------------------------------------------


def attention_text(a: Attention) -> str:
    """The risk points with open hazards, a line each, and under each its open hazards."""
    if a.unit:
        head = _("{count} risk point(s) with open hazards ({unit}) (today {today})")
    else:
        head = _("{count} risk point(s) with open hazards (today {today})")
    lines = [head.format(count=len(a.points), unit=a.unit, today=prose_date(a.today))]
    for p in a.points:
        lines.append(
            f"{p['point']}  {p['level_name']} ({p['colour']})  {p['name']}  {p['unit']}  "
            + _("open {count}").format(count=p["open"])
            + f"  责任人 {p['owner']}"
        )
        for h in p["hazards"]:
            late = f"  逾期{h['overdue_days']}个工作日" if h["overdue_days"] else ""
            lines.append(f"  {h['id']}  {h['status']}  {h['level']}  整改期限 {h['due']}{late}")
    return "".join(line + "\n" for line in lines)


def attention_json(a: Attention) -> str:
    return json.dumps({"today": a.today.isoformat(), "unit": a.unit, **a.as_dict()}, ensure_ascii=False, indent=2) + "\n"


# `register attention --format`
ATTENTION_REPORTERS: dict[str, Callable[[Attention], str]] = {"text": attention_text, "json": attention_json}

# How the surface words an error (cli.words.say): refusals name the options of the command
Words = Callable[["ChecklistError"], str]


SHOWN = 10  # ids listed one by one; past that a long output is summarised


def summary(ids: list[str]) -> str:
    """Ids as a person reads them: a few listed, many as first … last with their count
    (``50,000 hazards: YH-2026-0001 … YH-2026-50000``); the register hands ids out in order."""
    if len(ids) <= SHOWN:
        return ", ".join(ids)
    return _("{count} hazards: {first} … {last}").format(count=f"{len(ids):,}", first=ids[0], last=ids[-1])


def import_text(report: ImportReport, words: Words) -> tuple[str, str]:
    """The counts and the ids added or re-checked; the conflicts and refusals for standard error."""
    lines = [
        _(
            "{audits} audit(s): {added} hazard(s) added, {updated} updated, {unchanged} unchanged, {moved} re-checked, "
            "{unchanged_audits} audit(s) already imported"
        ).format(
            audits=report.audits,
            added=len(report.added),
            updated=len(report.updated),
            unchanged=report.unchanged,
            moved=len(report.moved),
            unchanged_audits=report.unchanged_audits,
        )
    ]
    if report.added:
        lines.append("  " + _("added {ids}").format(ids=summary(report.added)))
    lines += ["  " + _("re-checked {id}").format(id=m) for m in report.moved[:SHOWN]]
    if len(report.moved) > SHOWN:
        lines.append(
            "  " + _("… and {count} more re-checked (the JSON format lists them all)").format(count=f"{len(report.moved) - SHOWN:,}")
        )
    notes = [_("checklist: {note}").format(note=_("conflict: {what}").format(what=line)) for line in report.conflicts]
    for path, key in report.unidentified:
        if key.startswith("path-"):
            known = _("by the path it was imported from before audits had ids")
        else:
            known = _("by its content as {key}; write `id: {key}` at its top to keep it so when its head is edited").format(key=key)
        note = _("note: {path} has no id (`checklist audit new` writes one): known {known}").format(path=path, known=known)
        notes.append(_("checklist: {note}").format(note=note))
    notes += [_("checklist: {note}").format(note=_("refused: {at}: {why}").format(at=at, why=words(err))) for at, err in report.refused]
    return "".join(line + "\n" for line in lines), "".join(line + "\n" for line in notes)


def import_json(report: ImportReport, words: Words) -> tuple[str, str]:
    """Everything in the JSON, the conflicts and the refusals (worded) too; nothing for standard error."""
    refused = [{"at": at, "code": getattr(err, "code", ""), "message": words(err)} for at, err in report.refused]
    unidentified = [{"audit": path, "known_as": key} for path, key in report.unidentified]
    return json.dumps(report.as_dict() | {"refused": refused, "unidentified": unidentified}, ensure_ascii=False, indent=2) + "\n", ""


# `register import --format`: each gives the text for standard output and the notes for standard error
IMPORT_REPORTERS: dict[str, Callable[[ImportReport, Words], tuple[str, str]]] = {"text": import_text, "json": import_json}


# What a row requires (register.lifecycle REQUIRES), in words
REQUIRE_WORDS = {
    "plan": N_("重大: its 治理方案 complete"),
    "basis": N_("重大: its grading's basis recorded"),
    "assessment": N_("重大: a 治理评估 recorded"),
    "signoff": N_("under 督办: the 督办销号 first"),
    "supervised": N_("under 督办 only"),
    "independent": N_("not by whoever reported the rectification"),
    "request": N_("a 延期 requested"),
    "within_deadline": N_("not past the 督办期限 unless the supervising unit consents"),
}


def lifecycle_text(moves: tuple[Move, ...]) -> str:
    """The lifecycle table, a move a line: from status, action, to status, who may, what it needs,
    what the hazard must already hold."""
    lines = []
    for m in moves:
        needs = "、".join(field_name(n) for n in m.needs)
        extra = ([_("重大事故隐患 only")] if m.major_only else []) + [gettext(REQUIRE_WORDS[r]) for r in m.requires]
        lines.append(
            f"{m.status}  {ACTIONS[m.action]} ({m.action})  → {m.to}  [{'/'.join(m.roles)}]"
            + ("  " + _("needs {fields}").format(fields=needs) if needs else "")
            + "".join(f"  ({x})" for x in extra)
        )
    return "".join(line + "\n" for line in lines)


def records_text(rows: list[dict]) -> str:
    """The 通报, 约谈 and 线索移交, one a line: id, day, kind, the unit (and hazard), who → whom, the
    matter and what is to follow."""
    from checklist.vocabulary import RECORD_KINDS

    lines = []
    for r in rows:
        subject = r["unit"] + (f" {r['hazard_id']}" if r["hazard_id"] else "")
        follow = f"  {_('follow-up')}: {r['follow_up']}" if r["follow_up"] else ""
        lines.append(
            f"{r['id']}  {r['held_on']}  {RECORD_KINDS[r['kind']]}  {subject}  {r['organiser']} → {r['whom']}: {r['matter']}{follow}"
        )
    return "".join(line + "\n" for line in lines) or _("no records") + "\n"


def records_json(rows: list[dict]) -> str:
    return _json({"records": rows})


# `register records --format`
RECORD_REPORTERS: dict[str, Callable[[list[dict]], str]] = {"text": records_text, "json": records_json}


BUSINESS_HEADER = ("统一社会信用代码", "名称", "行业", "分级分类", "联系人")


def _business_cells(r: dict) -> list[str]:
    return [r["credit_code"], r["name"], r["industry"], r["grade"], r["contact"]]


def businesses_text(rows: list[dict]) -> str:
    lines = ["\t".join(_business_cells(r)) for r in rows]
    return "".join(line + "\n" for line in lines) + _("{count} business(es)").format(count=len(rows)) + "\n"


def businesses_csv(rows: list[dict]) -> str:
    return spreadsheet.csv_text(BUSINESS_HEADER, [_business_cells(r) for r in rows])


def businesses_json(rows: list[dict]) -> str:
    return _json({"businesses": [{k: r[k] for k in ("credit_code", "name", "industry", "grade", "contact")} for r in rows]})


# `register businesses list --format`
BUSINESS_REPORTERS: dict[str, Callable[[list[dict]], str]] = {"text": businesses_text, "csv": businesses_csv, "json": businesses_json}


def log_check_text(check: LogCheck) -> str:
    return _("event log intact: {events} events, head {head}").format(events=check.events, head=check.head) + "\n"


def move_text(row: dict, stored: list[Evidence]) -> str:
    """A hazard after a move: its status and version, and the evidence stored with the move."""
    lines = [_("{id}: {status} (version {version})").format(id=row["id"], status=row["status"], version=row["version"])]
    lines += ["  " + _("evidence {name} sha256 {sha256}").format(name=e.name, sha256=e.sha256) for e in stored]
    return "".join(line + "\n" for line in lines)


UNITS_HEADER = ("单位", "未销号", "重大", "逾期", "最早整改期限", "有重大隐患")


def units_csv(rows: list[dict]) -> str:
    """Units with open hazards as a CSV population for `checklist sample`."""
    cells = [[r["unit"], r["open"], r["major"], r["overdue"], r["earliest_due"].isoformat(), r["has_major"]] for r in rows]
    return spreadsheet.csv_text(UNITS_HEADER, cells)
