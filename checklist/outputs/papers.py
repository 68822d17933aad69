"""The papers a bureau sends, as plain data and as files: 《隐患整改通知书》, 《整改复查意见书》,
《重大事故隐患督办通知书》 and 《重大事故隐患督办销号通知书》. Each is issued by a body under its 文号
(register.papers; a paper not yet issued prints as a draft, without one), shows the due date as
issued and every 延期 since as such, a 重大事故隐患's six-part 治理方案 in full, its 督办, 治理评估
and 督办销号, and ends with the signature and seal area.

One context per paper, the same for its HTML/PDF template (``register_<kind>.html.j2``) and its
Word template (``register_<kind>.docx``, beside it in templates/): the wording lives in the
templates, the facts come from here, already as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from checklist.dates import chinese
from checklist.vocabulary import BASIS_OTHER, MAJOR, PAPERS, PLAN_PARTS

FORMATS = ("pdf", "html", "docx")  # what write_paper writes
STEMS = {"notice": "register_notice", "opinion": "register_opinion", "supervision": "register_supervision", "signoff": "register_signoff"}
DRAFT = "（未签发：无文号）"


def _day(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "")


def head(kind: str, paper: dict | None) -> dict:
    """The paper's issuing part: title, 文号, issuing body and day (a draft has none)."""
    if paper is None:
        return {"title": PAPERS[kind], "number": DRAFT, "body": "", "issued_cn": "", "draft": True}
    issued_on = paper["issued_on"] if isinstance(paper["issued_on"], dt.date) else dt.date.fromisoformat(paper["issued_on"])
    return {"title": PAPERS[kind], "number": paper["number"], "body": paper["body"], "issued_cn": chinese(issued_on), "draft": False}


def hazard_view(h: dict) -> dict:
    """One hazard as every paper prints it: each value already text."""
    major = h["level"] == MAJOR
    extensions = [
        {"before": _day(x["before"]), "after": _day(x["after"]), "by": x["by"], "on": _day(x["on"]), "reason": x["reason"]}
        for x in h.get("extensions", [])
    ]
    due_issued = _day(h.get("due_issued") or h["due"])
    extended = "；".join(f"经{x['by']}于{x['on']}批准延期至{x['after']}" for x in extensions)
    sup = h.get("supervision")
    basis = h.get("basis") or ""
    view = {
        "id": h["id"],
        "level": h["level"],
        "major": major,
        "unit": h["unit"],
        "target": h["target"],
        "place": h["place"] or "—",
        "description": h["description"],
        "ref": h["ref"],
        "ask": h["ask"],
        "measure": h["measure"],
        "owner": h["owner"],
        "due_issued": due_issued,
        "due": _day(h["due"]),
        "extended": extended,  # "" when the due date as issued stands
        "extensions": extensions,
        "interim": h.get("interim_measures") or "",
        "basis": (f"{BASIS_OTHER}：{h.get('basis_reason') or ''}" if basis == BASIS_OTHER else basis) if major else "",
        "plan": [{"title": title, "text": h.get(f"plan_{key}") or "（未报送）"} for key, title in PLAN_PARTS.items()] if major else [],
        "plan_author": h.get("plan_author") or "",
        "supervision": {"unit": sup["supervisor_unit"], "number": sup["number"], "deadline": _day(sup["deadline"])} if sup else None,
        "rectified": h.get("rectified_measure") or "",
        "rectified_by": h.get("rectified_by") or "",
        "rectified_on": _day(h.get("rectified_on")),
        "assessment": None,
        "signoff": None,
    }
    if h.get("assessed_on"):
        view["assessment"] = {
            "assessor": h["assessor"],
            "on": _day(h["assessed_on"]),
            "conclusion": h["assessment"],
            "file": h["assessment_file"],
            "sha256": h["assessment_sha256"],
        }
    if h.get("signoff_on"):
        view["signoff"] = {"by": h["signoff_by"], "on": _day(h["signoff_on"]), "opinion": h["signoff_opinion"]}
    review = h.get("review")
    if review:
        view["review"] = {
            "passed": review["action"] in ("pass", "recheck-pass"),
            "by": review["by"],
            "on": _day(h.get("reviewed_on")),
            "opinion": review["note"] or "",
        }
    return view


def notice_context(paper: dict | None, rows: list[dict]) -> dict:
    """《隐患整改通知书》 for one audit and one unit."""
    first = rows[0]
    hazards = [hazard_view(h) for h in rows]
    return {
        "paper": head("notice", paper),
        "unit": first["unit"],
        "target": first["target"],
        "found_cn": chinese(first["found_on"]),
        "inspectors": first["inspectors"],
        "audit_name": Path(first["audit_path"]).name,
        "audit_sha256": first["audit_sha256"],
        "hazards": hazards,
        "majors": [h for h in hazards if h["major"]],
    }


def opinion_context(paper: dict | None, rows: list[dict], photos: dict[str, dict] | None = None) -> dict:
    """《整改复查意见书》 for the 复查 of these hazards; with ``photos`` (hazard id → {"before": [paths],
    "after": [paths], "signatures": [{"role", "who", "when", "path"}]}) the photos before and after
    rectification side by side, and the signatures given on the device at the 复查 (PDF and HTML:
    the Word paper is signed on paper)."""
    photos = photos or {}
    hazards = [dict(hazard_view(h), photos=photos.get(h["id"], {})) for h in rows]
    return {
        "paper": head("opinion", paper),
        "signatures": [sig for ph in photos.values() for sig in ph.get("signatures", ())],
        "unit": "、".join(sorted({h["unit"] for h in hazards})),
        "reviewers": "、".join(sorted({h["review"]["by"] for h in hazards})),
        "hazards": hazards,
        "majors": [h for h in hazards if h["major"]],
        "failed": [h for h in hazards if not h["review"]["passed"]],
        "ids": "、".join(h["id"] for h in hazards),
    }


def supervision_context(paper: dict | None, row: dict) -> dict:
    """《重大事故隐患督办通知书》 for one hazard's 挂牌督办."""
    h = hazard_view(row)
    return {"paper": head("supervision", paper), "unit": h["unit"], "h": h, "found_cn": chinese(row["found_on"])}


def signoff_context(paper: dict | None, row: dict) -> dict:
    """《重大事故隐患督办销号通知书》 for one hazard's 督办销号."""
    h = hazard_view(row)
    return {"paper": head("signoff", paper), "unit": h["unit"], "h": h}


def folders(context: dict) -> list[Path]:
    """The folders a paper's pictures come from (the renderer fetches nothing else)."""
    pictures = [p for h in context.get("hazards", ()) for key in ("before", "after") for p in h.get("photos", {}).get(key, ())]
    pictures += [s["path"] for s in context.get("signatures", ())]
    return sorted({p.parent.resolve() for p in pictures})


def write_paper(kind: str, context: dict, fmt: str, out: Path) -> None:
    """The paper ``kind`` as PDF or HTML (its HTML template) or DOCX (its Word template)."""
    stem = STEMS[kind]
    if fmt == "docx":
        from checklist.outputs.docx import render_docx

        render_docx(f"{stem}.docx", context, out)
        return
    from checklist.outputs.pages import write_page
    from checklist.outputs.templating import render_html

    write_page(render_html(f"{stem}.html.j2", for_pdf=fmt == "pdf", **context), fmt, out, folders(context))


def file_name(kind: str, paper: dict | None, subject: str, fmt: str) -> str:
    """A Chinese file name: the paper's title and its 文号 (a draft: 草稿) and what it is about."""
    number = paper["number"] if paper else "草稿"
    return "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in f"{PAPERS[kind]}-{number}-{subject}.{fmt}")
