"""The register in the browser: the hazard list with filters and counts, a hazard's page (its
history as a timeline, photos before and after, the moves the user's role allows), the moves
themselves, and the register's paper as downloads. A unit user sees its own unit's hazards only."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, send_file, url_for

from checklist import vocabulary
from checklist.register import lifecycle
from checklist.web.move_forms import ACTION_FIELDS, FIELDS, PHOTO_ACTIONS, WEB_ACTIONS, label, prefill, read_fields, request_fields
from checklist.web.scope import may_see, unit_names, visible_hazard
from checklist.web.security import login_required, settings

bp = Blueprint("pages_hazards", __name__)

MAX_PHOTOS = 6


def filter_from(args: Any) -> Any:
    """The list filter from query parameters (status, unit, level, overdue), held to the user's unit."""
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
        if unit and unit != g.user.unit:
            abort(403)
        unit = g.user.unit
    business = (args.get("business", "") or "").strip() or None
    grade = (args.get("business_grade", "") or "").strip() or None
    overdue = args.get("overdue", "") in ("1", "true", "on")
    return Filter(statuses=statuses, unit=unit, level=level, overdue=overdue, business=business, business_grade=grade)


def hazard_rows(flt: Any) -> tuple[list[dict], Counter]:
    """The hazards matching ``flt`` and the count per status among those its other filters match."""
    from dataclasses import replace

    from checklist.register.db import reading
    from checklist.register.queries import list_hazards

    s = settings()
    with reading(s.engine) as conn:
        rows = list_hazards(conn, replace(flt, statuses=()), s.today(), s.calendar)
        names = unit_names(conn, g.user)
    rows = [r for r in rows if may_see(names, r)]  # the filter already holds a unit user; asked twice on purpose
    counts = Counter(r["status"] for r in rows)
    return [r for r in rows if not flt.statuses or r["status"] in flt.statuses], counts


@bp.get("/hazards")
@login_required()
def hazard_list() -> Any:
    flt = filter_from(request.args)
    rows, counts = hazard_rows(flt)
    return render_template(
        "web/hazards.html.j2",
        rows=rows,
        counts=counts,
        flt=flt,
        statuses=vocabulary.STATUSES,
        levels=(vocabulary.GENERAL, vocabulary.MAJOR),
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
            if _evidence_path(ev["sha256"]) is not None:
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
    from checklist.web.pages_papers import papers_for

    held = hazard_state(row)
    moves = moves_for(row, held)
    return render_template(
        "web/hazard.html.j2",
        h=row,
        moves=moves,
        fields=FIELDS,
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
    from checklist.register.hazards import Evidence, Request, judge, move, store_evidence
    from checklist.web.audit_store import AnswerRefused
    from checklist.web.move_forms import report_suffix
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
    with tempfile.TemporaryDirectory(prefix="checklist-photo-") as tmp:
        kept = [store(p, Path(tmp)).path for p in photos]
        req.evidence = store_evidence(kept, s.files) if kept else []
        if wants_file and attachment:
            report = Path(tmp) / f"report{suffix}"
            report.write_bytes(attachment[1])
            (stored,) = store_evidence([report], s.files)
            req.attachment = Evidence(Path(attachment[0]).name or report.name, stored.sha256, stored.stored)
        return move(s.engine, hazard_id, req, version)


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
    return send_file(path, max_age=0)


@bp.get("/hazards/<hazard_id>/evidence/<sha>")
@login_required()
def after_photo(hazard_id: str, sha: str) -> Any:
    row = load_hazard(hazard_id)
    if not any(ev["sha256"] == sha for e in row["history"] for ev in e["evidence"]):
        abort(404)
    path = _evidence_path(sha)
    if path is None:
        abort(404)
    return send_file(path, max_age=0)


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
        names = unit_names(conn, g.user)
        rows = ledger_facts(conn, [r for r in ledger_rows(conn, unit, None) if may_see(names, r)])
        events, last = head(conn)  # printed under the table: the paper proves later the log was not rewritten before it
    title = f"{unit + ' ' if unit else ''}隐患台账"
    mimetype = "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    anchor = {"events": events, "head": last}
    return pdf(pool().render(paper.ledger, rows, title, fmt, anchor, suffix="." + fmt), f"隐患台账.{fmt}", mimetype)


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
    return pdf(pool().render(paper.dashboard, data), "dashboard.pdf")
