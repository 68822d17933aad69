"""The JSON API: the operations the pages use, for scripts (``Authorization: Bearer TOKEN`` from
`checklist users token`) and for the audit page itself (session cookie plus ``X-CSRF-Token``).
401 without a valid token or session, 403 outside the user's role or unit; errors as
``{"error": {"message": 中文, "field": …}}``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request, url_for

from checklist.audits.results import status
from checklist.web.pages_audits import INSPECTORS, finish_audit, store
from checklist.web.pages_hazards import filter_from, hazard_page_rows, load_hazard, moves_for, paging, perform_move
from checklist.web.scope import plain
from checklist.web.security import login_required

bp = Blueprint("api", __name__, url_prefix="/api")


def body() -> dict:
    from checklist.web.audit_store import AnswerRefused

    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise AnswerRefused("请求内容应为 JSON 对象（Content-Type: application/json）")
    return data


@bp.get("/hazards")
@login_required()
def hazards() -> Any:
    """A page of hazards (``limit``, default 50, at most 500; ``offset``), oldest due first, with the
    total that match and the counts per status; ``next`` is the next page's address, or null."""
    limit, offset = paging(request.args)
    page = hazard_page_rows(filter_from(request.args), limit, offset)
    args: dict[str, Any] = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "offset"}
    following = url_for("api.hazards", **args, offset=page.next_offset) if page.next_offset is not None else None
    return jsonify(hazards=plain(page.rows), total=page.total, counts=page.counts, limit=limit, offset=offset, next=following)


@bp.get("/hazards/<hazard_id>")
@login_required()
def hazard(hazard_id: str) -> Any:
    row = load_hazard(hazard_id)
    return jsonify(plain(dict(row, actions=[m.action for m in moves_for(row)])))


@bp.post("/hazards/<hazard_id>/moves")
@login_required()
def move(hazard_id: str) -> Any:
    """A lifecycle move: {"action", "version" (as last read), fields…}; 409 when the hazard changed.
    A 治理评估 sends its report as multipart/form-data (the fields, and the file as ``attachment``)."""
    from checklist.web.pages_hazards import uploaded_attachment

    if request.mimetype == "multipart/form-data":
        perform_move(hazard_id, request.form, [], uploaded_attachment())
    else:
        perform_move(hazard_id, body(), [])
    row = load_hazard(hazard_id)  # as GET gives it: with its history and the actions now allowed
    return jsonify(plain(dict(row, actions=[m.action for m in moves_for(row)])))


@bp.post("/hazards/<hazard_id>/papers/<kind>")
@login_required("admin", "inspector")
def issue_paper(hazard_id: str, kind: str) -> Any:
    """Issue a paper of the hazard under its 文号: {"number", "kind", "body", "issued_on"}; the
    file is GET /hazards/<id>/papers/<kind>.pdf or .docx."""
    from checklist.web.pages_papers import issue

    return issue(hazard_id, kind)


@bp.post("/records")
@login_required("admin", "inspector")
def add_record() -> Any:
    """A 通报, 约谈 or 线索移交: {"kind": notify|interview|handover, "hazard" or "unit", "organiser",
    "whom", "matter", "follow_up"?, "held_on"?}."""
    from checklist.web.pages_papers import save_record

    data = body()
    hazard_id = str(data.get("hazard") or "")
    unit = ""
    if hazard_id:
        hazard_id = load_hazard(hazard_id)["id"]  # 404 / 403 as for the hazard itself
    else:
        unit = str(data.get("unit") or "")
    row = save_record(data, unit=unit, hazard_id=hazard_id)
    return jsonify(plain(row)), 201


@bp.post("/audits")
@login_required(*INSPECTORS)
def create_audit() -> Any:
    """A new audit: {"catalog", "unit" or "kind", "target", "inspectors": [...], "date", "address"?, "title"?}."""
    data = body()
    inspectors = data.get("inspectors") or [g.user.name]
    if not isinstance(inspectors, list) or not all(isinstance(x, str) for x in inspectors):
        from checklist.web.audit_store import AnswerRefused

        raise AnswerRefused("inspectors 应为姓名列表", "inspectors")
    form = {k: str(data.get(k) or "") for k in ("catalog", "unit", "kind", "target", "address", "date", "title")}
    audit_id = store().create(form, inspectors)
    a, _ = store().load(audit_id)
    return jsonify(id=audit_id, url=url_for("pages_audits.audit_page", audit_id=audit_id), checks=[e.id for e in a.entries]), 201


@bp.get("/audits/<audit_id>")
@login_required(*INSPECTORS)
def audit(audit_id: str) -> Any:
    a, _ = store().load(audit_id)
    from checklist.web.audit_store import entry_json

    return jsonify(
        id=audit_id,
        target=a.target,
        date=a.date,
        inspectors=a.inspectors,
        signatures=a.signatures,
        status=status(a.entries).as_dict(),
        checks=[entry_json(e) for e in a.entries],
    )


@bp.put("/audits/<audit_id>/checks/<check_id>")
@login_required(*INSPECTORS)
def answer(audit_id: str, check_id: str) -> Any:
    """One answer: {"result": pass|fail|na|unchecked, "note", "reason", "finding": {...}, "previous"}."""
    from checklist.web.audit_store import entry_json

    entry, counts = store().answer(audit_id, check_id, body())
    return jsonify(check=entry_json(entry), answered=counts.answered, total=counts.total)


@bp.post("/audits/<audit_id>/checks/<check_id>/photos")
@login_required(*INSPECTORS)
def photo(audit_id: str, check_id: str) -> Any:
    from checklist.web.audit_store import AnswerRefused

    f = request.files.get("photo")
    if f is None:
        raise AnswerRefused("请选择照片", "photo")
    entry, stored = store().add_photo(audit_id, check_id, f.read())
    return jsonify(
        name=stored.name,
        sha256=stored.sha256,
        url=url_for("pages_audits.evidence", audit_id=audit_id, name=stored.name),
        evidence=entry.evidence,
    ), 201


@bp.post("/audits/<audit_id>/signatures")
@login_required(*INSPECTORS)
def sign(audit_id: str) -> Any:
    """A signature drawn on the device: {"role": inspector|unit, "name", "title" (职务), "image":
    "data:image/png;base64,…", "signed_at"?}. Once signed, the audit's answers no longer change."""
    signer = store().sign(audit_id, body())
    a, _ = store().load(audit_id)
    return jsonify(signature=signer, signatures=a.signatures), 201


@bp.post("/audits/<audit_id>/finish")
@login_required(*INSPECTORS)
def finish(audit_id: str) -> Any:
    """完成检查: the findings into the register; ``notes``: where the audit and the register now
    differ, in words for a page (``report.conflicts`` keeps the register's own words)."""
    from checklist.errors import Refusal
    from checklist.register.db import reading
    from checklist.register.queries import audit_hazards
    from checklist.web.pages_audits import register_notes
    from checklist.web.security import settings

    report, a = finish_audit(audit_id)
    try:
        with reading(settings().engine) as conn:
            hazards = audit_hazards(conn, str(store().path(audit_id)))
    except Refusal:  # no finding of this audit is in the register
        hazards = []
    return jsonify(
        report=report.as_dict(),
        notes=[n["text"] for n in register_notes(a, hazards)],
        status=status(a.entries).as_dict(),
        report_pdf=url_for("pages_audits.report_pdf", audit_id=audit_id),
    )
