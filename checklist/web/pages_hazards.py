"""The register in the browser: the hazard list with filters and counts, a hazard's page (its
history as a timeline, photos before and after, the moves the user's role allows), the moves
themselves, and the register's paper as downloads. A unit user sees its own unit's hazards only."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, url_for

from checklist import vocabulary
from checklist.register import lifecycle
from checklist.web.hazard_evidence import SIGNATURE_NAME, SIGNED_ACTIONS, is_signature, signatures_of
from checklist.web.scope import may_see, visible_hazard, visible_ids
from checklist.web.security import login_required, settings

bp = Blueprint("pages_hazards", __name__)

WEB_ACTIONS = ("start", "rectify", "pass", "fail", "extend", "supervise", "revoke")  # re-checks come from audits
FIELDS = {  # a move's form fields: name -> (label, input type)
    "measure": ("整改措施（完成情况）", "textarea"),
    "reason": ("理由 / 复查意见", "textarea"),
    "due": ("新的整改期限", "date"),
    "approver": ("批准人", "text"),
    "supervisor_unit": ("督办单位", "text"),
    "deadline": ("督办期限", "date"),
    "number": ("督办编号", "text"),
}
ACTION_FIELDS = {
    "start": (),
    "rectify": ("measure",),
    "pass": ("reason",),
    "fail": ("reason", "due", "measure"),
    "extend": ("due", "reason", "approver"),
    "supervise": ("supervisor_unit", "deadline", "number"),
    "revoke": ("reason", "approver"),
}
LABELS = {  # a field's label where the move gives it another meaning: (action, field) -> label
    ("pass", "reason"): "复查意见",
    ("fail", "reason"): "复查意见（不通过的原因）",
    ("fail", "due"): "新的整改期限（可选）",
    ("fail", "measure"): "进一步整改要求（可选）",
    ("extend", "reason"): "延期理由",
    ("revoke", "reason"): "撤销理由",
    ("rectify", "measure"): "整改完成情况",
}
DANGER = ("fail", "revoke")  # moves whose button says so by its colour
PHOTO_ACTIONS = ("rectify",)
MAX_PHOTOS = 6


PAGE_SIZE = 50  # rows a list page or an API call gives unless asked for another limit
MAX_PAGE = 500


def filter_from(args: Any) -> Any:
    """The list filter from query parameters (status, unit, level, overdue, q), held to the user's unit."""
    from checklist.register.queries import Filter

    statuses = tuple(s for s in args.getlist("status") if s)
    bad = [s for s in statuses if s not in vocabulary.STATUSES]
    level = args.get("level", "") or None
    if bad or (level and level not in (vocabulary.GENERAL, vocabulary.MAJOR)):
        from checklist.web.audit_store import AnswerRefused

        raise AnswerRefused(
            "筛选条件无效：状态应为 " + "、".join(vocabulary.STATUSES) + "，等级应为 一般隐患 或 重大事故隐患", "status" if bad else "level"
        )
    unit = (args.get("unit", "") or "").strip() or None
    if g.user.role == "unit":
        from checklist.register.queries import same_unit

        if unit and not same_unit(unit, g.user.unit):  # its own unit by any of its names is fine
            abort(403)
        unit = None  # its hazards are those it owns by unit id, whatever a target is called
    owner = g.user.unit if g.user.role == "unit" else None
    text = " ".join((args.get("q", "") or "").split())[:100]
    overdue = args.get("overdue", "") in ("1", "true", "on")
    return Filter(statuses=statuses, unit=unit, level=level, overdue=overdue, text=text, owner=owner)


def paging(args: Any) -> tuple[int, int]:
    """(limit, offset) from the query: a page of 50 unless asked otherwise, at most 500."""
    from checklist.web.audit_store import AnswerRefused

    try:
        limit = int(args.get("limit", PAGE_SIZE))
        offset = int(args.get("offset", 0))
    except ValueError as e:
        raise AnswerRefused("分页参数应为整数（limit、offset）", "limit") from e
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise AnswerRefused(f"每页 1–{MAX_PAGE} 条，起始位置不能为负数", "limit")
    return limit, offset


def hazard_page_rows(flt: Any, limit: int, offset: int) -> Any:
    """One page of the hazards matching ``flt``, with the total and the counts per status."""
    from checklist.register.db import reading
    from checklist.register.queries import page_hazards

    s = settings()
    with reading(s.engine) as conn:
        page = page_hazards(conn, flt, s.today(), s.calendar, limit, offset)
        names = visible_ids(conn, g.user)
    page.rows = [r for r in page.rows if may_see(names, r)]  # the filter already holds a unit user; asked twice on purpose
    return page


@bp.get("/hazards")
@login_required()
def hazard_list() -> Any:
    flt = filter_from(request.args)
    limit, offset = paging(request.args)
    page = hazard_page_rows(flt, limit, offset)
    args: dict[str, Any] = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "offset"}

    def at(offset: int) -> str:
        return url_for("pages_hazards.hazard_list", **args, offset=offset)

    return render_template(
        "web/hazards.html.j2",
        page=page,
        rows=page.rows,
        counts=page.counts,
        flt=flt,
        statuses=vocabulary.STATUSES,
        levels=(vocabulary.GENERAL, vocabulary.MAJOR),
        previous_url=at(max(0, offset - limit)) if offset else None,
        next_url=at(page.next_offset) if page.next_offset is not None else None,
    )


def moves_for(row: dict) -> list[lifecycle.Move]:
    return [m for m in lifecycle.allowed(row["status"], row["level"]) if m.action in WEB_ACTIONS and g.user.role in m.roles]


def load_hazard(hazard_id: str) -> dict:
    from checklist.register.db import reading

    s = settings()
    with reading(s.engine) as conn:
        return visible_hazard(conn, g.user, hazard_id, s.today(), s.calendar)


def after_photos(row: dict) -> list[dict]:
    """Photos the register keeps for the hazard's moves (rectification evidence), newest last;
    the photos registered with the finding are the ones before."""
    out = []
    for e in row["history"]:
        if e["action"] in ("register", "amend"):
            continue
        for ev in e["evidence"]:
            if _evidence_path(ev["sha256"]) is not None and not is_signature(ev):
                out.append({"sha256": ev["sha256"], "action": vocabulary.ACTIONS.get(e["action"], e["action"]), "at": e["at"]})
    return out


def _evidence_path(sha: str) -> Path | None:
    folder = settings().files / sha[:2]
    for ext in (".jpg", ".png"):
        if (folder / (sha + ext)).is_file():
            return folder / (sha + ext)
    return None


@bp.get("/hazards/<hazard_id>")
@login_required()
def hazard_page(hazard_id: str) -> Any:
    row = load_hazard(hazard_id)
    before = [p for p in row["photos"].split("\n") if p]
    return render_template(
        "web/hazard.html.j2",
        h=row,
        moves=moves_for(row),
        fields=FIELDS,
        labels=LABELS,
        danger=DANGER,
        signed_actions=SIGNED_ACTIONS,
        signer_roles=vocabulary.SIGNER_ROLES,
        action_fields=ACTION_FIELDS,
        actions=vocabulary.ACTIONS,
        photo_actions=PHOTO_ACTIONS,
        before=before,
        after=after_photos(row),
        today=settings().today(),
        message=None,
    )


def perform_move(hazard_id: str, data: Any, photos: list[bytes]) -> dict:
    """One move by the logged-in user from form or JSON fields. The lifecycle table judges it
    (``lifecycle.check``, again inside ``hazards.move``) before any photo is decoded or kept."""
    from checklist.errors import Refusal
    from checklist.files import values
    from checklist.register.hazards import Request, move_with_evidence, plan_missing
    from checklist.web.audit_store import AnswerRefused
    from checklist.web.photos import store

    row = load_hazard(hazard_id)  # 404 / 403 before anything else
    action = str(data.get("action", ""))
    if action not in WEB_ACTIONS:
        raise Refusal("value.choice", "action", value=action, allowed=[vocabulary.ACTIONS[a] for a in WEB_ACTIONS])
    try:
        version = int(data.get("version", ""))
    except (TypeError, ValueError) as e:
        raise AnswerRefused("缺少记录版本号（请刷新页面后重试）", "version") from e
    fields: dict[str, Any] = {}
    for name in ACTION_FIELDS[action]:
        raw = data.get(name)
        if FIELDS[name][1] == "date":
            fields[name] = values.date(name, raw) if str(raw or "").strip() else None
        else:
            fields[name] = values.text(name, raw, longest=lifecycle.FIELD_LIMITS.get(name))
    if len(photos) > MAX_PHOTOS:
        raise AnswerRefused(f"一次最多上传 {MAX_PHOTOS} 张照片", "photo")
    s, user = settings(), g.user
    lifecycle.check(row["id"], row["status"], row["level"], action, user.role, fields, plan_missing(row))
    if version != row["version"]:
        from checklist.register.db import reading
        from checklist.register.hazards import conflict

        with reading(s.engine) as conn:
            raise conflict(conn, row, version)
    signs = signatures_of(data, action)
    with tempfile.TemporaryDirectory(prefix="checklist-photo-") as tmp:
        kept = [store(p, Path(tmp)).path for p in photos]  # decoded only now, after the table and the version said yes
        for i, (role, name, title, png) in enumerate(signs):
            path = Path(tmp) / f"{SIGNATURE_NAME}{i + 1}-{vocabulary.SIGNER_ROLES[role]}-{name}{'-' + title if title else ''}.png"
            path.write_bytes(png)
            kept.append(path)
        req = Request(action, by=user.name, role=user.role, on=s.today(), **{k: v for k, v in fields.items() if v})
        return move_with_evidence(s.engine, hazard_id, req, kept, s.files, version)[0]  # a refused move keeps no photo


@bp.post("/hazards/<hazard_id>/moves")
@login_required()
def hazard_move(hazard_id: str) -> Any:
    photos = [f.read() for f in request.files.getlist("photo") if f.filename]
    perform_move(hazard_id, request.form, photos)
    return redirect(url_for("pages_hazards.hazard_page", hazard_id=hazard_id))


@bp.get("/hazards/<hazard_id>/photos/<int:n>")
@login_required()
def before_photo(hazard_id: str, n: int) -> Any:
    """A photo the inspector took, from the hazard's audit folder — only those the hazard names."""
    row = load_hazard(hazard_id)
    names = [p for p in row["photos"].split("\n") if p]
    if not 0 <= n < len(names):
        abort(404)
    folder = Path(row["audit_path"]).parent.resolve()
    path = (folder / names[n]).resolve()
    if not path.is_relative_to(folder) or path.suffix.lower() not in (".jpg", ".jpeg", ".png") or not path.is_file():
        abort(404)
    from checklist.web.thumbs import image_response

    return image_response(path, request.args.get("w"))


@bp.get("/hazards/<hazard_id>/evidence/<sha>")
@login_required()
def after_photo(hazard_id: str, sha: str) -> Any:
    row = load_hazard(hazard_id)
    if not any(ev["sha256"] == sha for e in row["history"] for ev in e["evidence"]):
        abort(404)
    path = _evidence_path(sha)
    if path is None:
        abort(404)
    from checklist.web.thumbs import image_response

    return image_response(path, request.args.get("w"))


def pdf(data: bytes, name: str, mimetype: str = "application/pdf") -> Response:
    from urllib.parse import quote

    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def pool() -> Any:
    return current_app.extensions["pdf_pool"]


@bp.get("/hazards/<hazard_id>/notice.pdf")
@login_required()
def notice_pdf(hazard_id: str) -> Any:
    """《隐患整改通知书》 of the hazard's audit for the hazard's unit."""
    from checklist.register.db import reading
    from checklist.register.queries import audit_hazards
    from checklist.web import paper

    row = load_hazard(hazard_id)
    with reading(settings().engine) as conn:
        rows = [h for h in audit_hazards(conn, row["audit_id"]) if h["id"] == row["id"]]  # this hazard's notice
    return pdf(pool().render(paper.notice, rows), f"整改通知书-{row['id']}.pdf")


@bp.get("/hazards/<hazard_id>/opinion.pdf")
@login_required()
def opinion_pdf(hazard_id: str) -> Any:
    """《整改复查意见书》 of the hazard's latest 复查."""
    from checklist.register.db import reading
    from checklist.register.queries import reviews
    from checklist.web import paper

    row = load_hazard(hazard_id)
    with reading(settings().engine) as conn:
        rows = reviews(conn, None, [row["id"]])
    from checklist.web.hazard_evidence import paper_photos

    after = [p for p in (_evidence_path(a["sha256"]) for a in after_photos(row)) if p is not None]
    photos = {row["id"]: paper_photos(row, rows[0]["review"], after, _evidence_path)}
    return pdf(pool().render(paper.opinion, rows, photos), f"整改复查意见书-{row['id']}.pdf")


@bp.get("/register/ledger.<fmt>")
@login_required()
def ledger(fmt: str) -> Any:
    """The 隐患台账 (PDF or XLSX); a unit user's holds its own unit's hazards only."""
    from checklist.register.db import reading
    from checklist.register.log import head
    from checklist.register.queries import ledger as ledger_rows
    from checklist.web import paper

    if fmt not in ("pdf", "xlsx"):
        abort(404)
    unit = g.user.unit if g.user.role == "unit" else (request.args.get("unit", "").strip() or None)
    with reading(settings().engine) as conn:
        rows = ledger_rows(conn, unit, None)
        names = visible_ids(conn, g.user)
        events, last = head(conn)  # printed under the table: the paper proves later the log was not rewritten before it
    rows = [r for r in rows if may_see(names, r)]
    title = f"{unit + ' ' if unit else ''}隐患台账"
    mimetype = "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    anchor = {"events": events, "head": last}
    return pdf(
        pool().render(paper.ledger, rows, title, fmt, anchor, suffix="." + fmt),
        f"{title.replace(' ', '-')}-{settings().today().isoformat()}.{fmt}",
        mimetype,
    )


@bp.get("/register/dashboard.pdf")
@login_required("admin", "inspector")
def dashboard_pdf() -> Any:
    """The dashboard covers every unit, so it is for admins and inspectors."""
    from checklist.register.db import reading
    from checklist.register.queries import dashboard
    from checklist.web import paper

    s = settings()
    with reading(s.engine) as conn:
        data = dashboard(conn, s.today(), s.calendar)
    return pdf(pool().render(paper.dashboard, data), f"隐患统计看板-{s.today().isoformat()}.pdf")
