"""A hazard's papers and records in the browser: the 整改通知书, 整改复查意见书, 督办通知书 and
督办销号通知书 that concern it — issued under their 文号 by an inspector or admin (POST), downloaded
as PDF or DOCX with Chinese file names by whoever may see the hazard (a paper not yet issued comes
as a draft, without a 文号) — and the 通报, 约谈 and 线索移交 recorded against it or its unit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, jsonify, redirect, request, url_for

from checklist import vocabulary
from checklist.web.pages_hazards import load_hazard, pdf, pool
from checklist.web.security import login_required, settings

bp = Blueprint("pages_papers", __name__)

MIMETYPES = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
ISSUERS = ("admin", "inspector")


def _gather(row: dict, kind: str, issuing: Any) -> tuple[dict | None, dict, str]:
    """The paper ``kind`` of the hazard ``row``: (paper, its context, what the file name names)."""
    from checklist.outputs import papers as views
    from checklist.register import papers
    from checklist.register.db import reading, writing

    s = settings()
    with writing(s.engine) if issuing else reading(s.engine) as conn:
        if kind == "notice":
            ((paper, rows),) = papers.notices(conn, row["audit_id"], issuing, unit=row["unit"])
            return paper, views.notice_context(paper, rows), row["unit"]
        if kind == "opinion":
            paper, rows = papers.opinion(conn, None, [row["id"]], issuing)
            return paper, views.opinion_context(paper, rows, _photos(row, rows[0]["review"])), row["id"]
        if kind == "supervision":
            paper, one = papers.supervision_notice(conn, row["id"], issuing)
            return paper, views.supervision_context(paper, one), row["id"]
        paper, one = papers.signoff_notice(conn, row["id"], issuing)
        return paper, views.signoff_context(paper, one), row["id"]


def _photos(row: dict, review: dict) -> dict[str, dict]:
    """The 复查意见书's pictures: the photos before and after rectification and the signatures
    given on the device at the 复查 (web.hazard_evidence)."""
    from checklist.web.hazard_evidence import paper_photos
    from checklist.web.pages_hazards import _evidence_path, after_photos

    after = [p for p in (_evidence_path(a["sha256"]) for a in after_photos(row)) if p is not None]
    return {row["id"]: paper_photos(row, review, after, _evidence_path)}


@bp.get("/hazards/<hazard_id>/papers/<kind>.<fmt>")
@login_required()
def download(hazard_id: str, kind: str, fmt: str) -> Any:
    """The paper as issued (or as a draft until it is), PDF or DOCX, named in Chinese."""
    from checklist.outputs.papers import file_name
    from checklist.web import paper as jobs

    if kind not in vocabulary.PAPERS or fmt not in MIMETYPES:
        abort(404)
    row = load_hazard(hazard_id)
    paper, context, subject = _gather(row, kind, None)
    data = pool().render(jobs.bureau, kind, context, fmt, suffix="." + fmt)
    return pdf(data, file_name(kind, paper, subject, fmt), MIMETYPES[fmt])


@bp.post("/hazards/<hazard_id>/papers/<kind>")
@login_required(*ISSUERS)
def issue(hazard_id: str, kind: str) -> Any:
    """Issue the paper under its 文号 (the one it has, if issued before); back to the hazard's page,
    or its number as JSON for the API."""
    from checklist.register.papers import Issuing

    if kind not in vocabulary.PAPERS:
        abort(404)
    row = load_hazard(hazard_id)
    paper, _, _ = _gather(row, kind, Issuing(g.user.name, g.user.role, settings().today()))
    assert paper is not None
    if request.path.startswith("/api/") or request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(number=paper["number"], kind=kind, body=paper["body"], issued_on=paper["issued_on"].isoformat())
    return redirect(url_for("pages_hazards.hazard_page", hazard_id=row["id"]))


# the addresses the pages used before papers had 文号: the notice and the opinion, as PDF
@bp.get("/hazards/<hazard_id>/notice.pdf")
@login_required()
def notice_pdf(hazard_id: str) -> Any:
    return download(hazard_id, "notice", "pdf")


@bp.get("/hazards/<hazard_id>/opinion.pdf")
@login_required()
def opinion_pdf(hazard_id: str) -> Any:
    return download(hazard_id, "opinion", "pdf")


@bp.post("/hazards/<hazard_id>/records")
@login_required(*ISSUERS)
def add_record(hazard_id: str) -> Any:
    """A 通报, 约谈 or 线索移交 against this hazard, or (scope=unit) against its unit."""
    row = load_hazard(hazard_id)
    form = request.form
    on_unit = form.get("scope") == "unit"
    save_record(form, unit=row["unit"] if on_unit else "", hazard_id="" if on_unit else row["id"])
    return redirect(url_for("pages_hazards.hazard_page", hazard_id=row["id"]))


def save_record(data: Any, *, unit: str, hazard_id: str) -> dict:
    from checklist.files import values
    from checklist.register import records
    from checklist.register.db import writing

    s = settings()
    raw_day = str(data.get("held_on") or "").strip()
    held_on = values.date("held_on", raw_day) if raw_day else s.today()
    with writing(s.engine) as conn:
        return records.add(
            conn,
            str(data.get("kind", "")),
            by=g.user.name,
            role=g.user.role,
            held_on=held_on,
            organiser=data.get("organiser"),
            whom=data.get("whom"),
            matter=data.get("matter"),
            follow_up=data.get("follow_up") or "",
            unit=unit,
            hazard_id=hazard_id,
        )
