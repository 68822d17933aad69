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
from checklist.web.move_forms import ACTION_FIELDS, DANGER, FIELDS, PHOTO_ACTIONS, WEB_ACTIONS, label, prefill, read_fields, request_fields
from checklist.web.scope import may_see, visible_hazard, visible_ids
from checklist.web.security import login_required, settings

bp = Blueprint("pages_hazards", __name__)

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
    business = (args.get("business", "") or "").strip() or None
    grade = (args.get("business_grade", "") or "").strip() or None
    overdue = args.get("overdue", "") in ("1", "true", "on")
    return Filter(
        statuses=statuses, unit=unit, level=level, overdue=overdue, text=text, owner=owner, business=business, business_grade=grade
    )


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


def hazard_state(row: dict) -> lifecycle.State:
    from checklist.register.db import reading
    from checklist.register.hazards import state

    with reading(settings().engine) as conn:
        return state(conn, row)


def moves_for(row: dict, held: lifecycle.State | None = None) -> list[lifecycle.Move]:
    """The moves the user's role may make now: allowed from the status, and nothing the hazard
    lacks for them (``lifecycle.blocked``)."""
    held = held or hazard_state(row)
    mine = [m for m in lifecycle.allowed(row["status"], row["level"]) if m.action in WEB_ACTIONS and g.user.role in m.roles]
    return [m for m in mine if lifecycle.blocked(held, m, g.user.name) is None]


def waiting_for(row: dict, held: lifecycle.State) -> list[tuple[str, str]]:
    """The moves of the user's role the hazard is not ready for, each with why (in the page's words)."""
    from checklist.web import words

    out = []
    for m in lifecycle.allowed(row["status"], row["level"]):
        if m.action in WEB_ACTIONS and g.user.role in m.roles:
            refused = lifecycle.blocked(held, m, g.user.name)
            if refused is not None:
                out.append((vocabulary.ACTIONS[m.action], words.word(refused)))
    return out


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


def papers_for(row: dict) -> list[dict]:
    """The papers a hazard's page offers: each kind that applies, with its 文号 once issued."""
    issued = {p["kind"]: p for p in row.get("papers", [])}
    kinds = ["notice"]
    if row["reviewer"]:
        kinds.append("opinion")
    if row.get("supervision"):
        kinds.append("supervision")
    if row.get("signoff_on"):
        kinds.append("signoff")
    return [{"kind": k, "title": vocabulary.PAPERS[k], "paper": issued.get(k)} for k in kinds]


@bp.get("/hazards/<hazard_id>")
@login_required()
def hazard_page(hazard_id: str) -> Any:
    row = load_hazard(hazard_id)
    before = [p for p in row["photos"].split("\n") if p]
    held = hazard_state(row)
    moves = moves_for(row, held)
    return render_template(
        "web/hazard.html.j2",
        h=row,
        moves=moves,
        fields=FIELDS,
        danger=DANGER,
        signed_actions=SIGNED_ACTIONS,
        signer_roles=vocabulary.SIGNER_ROLES,
        action_fields=ACTION_FIELDS,
        label=label,
        prefill={m.action: prefill(row, m.action) for m in moves},
        actions=vocabulary.ACTIONS,
        photo_actions=PHOTO_ACTIONS,
        before=before,
        after=after_photos(row),
        today=settings().today(),
        papers=papers_for(row),
        record_kinds=vocabulary.RECORD_KINDS,
        handover_bodies=vocabulary.HANDOVER_BODIES,
        may_record=g.user.role in ("admin", "inspector"),
        waiting=waiting_for(row, held),
        message=None,
    )


def perform_move(hazard_id: str, data: Any, photos: list[bytes], attachment: tuple[str, bytes] | None = None) -> dict:
    """One move by the logged-in user from form or JSON fields (and, for a 治理评估, its report
    file). The lifecycle table judges it (``hazards.judge``, again inside ``hazards.move``)
    before any photo is decoded or file kept."""
    from checklist.errors import Refusal
    from checklist.register.db import reading
    from checklist.register.hazards import Evidence, Request, judge, move_with_evidence, report_suffix
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
    fields = request_fields(read_fields(action, data))
    if len(photos) > MAX_PHOTOS:
        raise AnswerRefused(f"一次最多上传 {MAX_PHOTOS} 张照片", "photo")
    s, user = settings(), g.user
    wants_file = "attachment" in ACTION_FIELDS[action] and attachment is not None
    suffix = report_suffix(attachment[0], attachment[1][:16]) if wants_file and attachment else ""
    req = Request(action, by=user.name, role=user.role, on=s.today(), **fields)
    if wants_file and attachment:
        req.attachment = Evidence(attachment[0], "", Path())  # judged first; stored only if the move is allowed
    with reading(s.engine) as conn:
        judge(conn, row, req)
        if version != row["version"]:
            from checklist.register.hazards import conflict

            raise conflict(conn, row, version)
    signs = signatures_of(data, action)
    with tempfile.TemporaryDirectory(prefix="checklist-photo-") as tmp:
        kept = [store(p, Path(tmp)).path for p in photos]  # decoded only now, after the table and the version said yes
        for i, (role, name, title, png) in enumerate(signs):
            path = Path(tmp) / f"{SIGNATURE_NAME}{i + 1}-{vocabulary.SIGNER_ROLES[role]}-{name}{'-' + title if title else ''}.png"
            path.write_bytes(png)
            kept.append(path)
        report = None
        if wants_file and attachment:
            report = Path(tmp) / f"report{suffix}"
            report.write_bytes(attachment[1])
        named = (Path(attachment[0]).name or report.name, report) if report and attachment else None
        return move_with_evidence(s.engine, hazard_id, req, kept, s.files, version, named)[0]  # a refused move keeps no file


def uploaded_attachment() -> tuple[str, bytes] | None:
    f = request.files.get("attachment")
    return (f.filename or "report", f.read()) if f is not None and f.filename else None


@bp.post("/hazards/<hazard_id>/moves")
@login_required()
def hazard_move(hazard_id: str) -> Any:
    photos = [f.read() for f in request.files.getlist("photo") if f.filename]
    perform_move(hazard_id, request.form, photos, uploaded_attachment())
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


@bp.get("/register/ledger.<fmt>")
@login_required()
def ledger(fmt: str) -> Any:
    """The 隐患台账 (PDF or XLSX); a unit user's holds its own unit's hazards only."""
    from checklist.register.db import reading
    from checklist.register.log import head
    from checklist.register.papers import ledger_facts
    from checklist.register.queries import ledger as ledger_rows
    from checklist.web import paper

    if fmt not in ("pdf", "xlsx"):
        abort(404)
    unit = g.user.unit if g.user.role == "unit" else (request.args.get("unit", "").strip() or None)
    with reading(settings().engine) as conn:
        names = visible_ids(conn, g.user)
        rows = ledger_facts(conn, [r for r in ledger_rows(conn, unit, None) if may_see(names, r)])
        events, last = head(conn)  # printed under the table: the paper proves later the log was not rewritten before it
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
