"""Audits in the browser, for inspectors (and admins): the list, a new audit, the audit page with
its checks grouped by chapter (answers and photos go through the JSON API, saved one by one), and
完成检查, which takes the findings into the register and offers the report PDF. Unit users get 403."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from checklist import vocabulary
from checklist.audits.answering import required_fields
from checklist.audits.results import status
from checklist.vocabulary import PLAN_PARTS, RESULT_NAMES, SIGNER_ROLES, UNCHECKED
from checklist.web.security import login_required, settings

bp = Blueprint("pages_audits", __name__)
INSPECTORS = ("admin", "inspector")


def store() -> Any:
    return current_app.extensions["audit_store"]


@bp.get("/")
@login_required()
def home() -> Any:
    if g.user.role == "unit":
        return redirect(url_for("pages_hazards.hazard_list"))
    if g.user.role == "editor":
        return redirect(url_for("pages_catalogs.catalog_list"))
    return redirect(url_for("pages_audits.audit_list"))


@bp.get("/audits")
@login_required(*INSPECTORS)
def audit_list() -> Any:
    """The audits, newest first, 50 a page; ``q`` finds words in the target, catalog or id,
    ``show=open|signed`` keeps those in progress or those signed (完成)."""
    from checklist.web.pages_hazards import paging

    limit, offset = paging(request.args)
    words = (request.args.get("q", "") or "").split()
    show = request.args.get("show", "")
    rows = [
        r
        for r in store().summaries()
        if all(w.lower() in f"{r['target']} {r['catalog']} {r['id']}".lower() for w in words)
        and (show != "open" or not r["signed"])
        and (show != "signed" or r["signed"])
    ]
    args: dict[str, Any] = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "offset"}
    return render_template(
        "web/audits.html.j2",
        audits=rows[offset : offset + limit],
        total=len(rows),
        offset=offset,
        q=" ".join(words),
        show=show,
        previous_url=url_for("pages_audits.audit_list", **args, offset=max(0, offset - limit)) if offset else None,
        next_url=url_for("pages_audits.audit_list", **args, offset=offset + limit) if offset + limit < len(rows) else None,
    )


def choices() -> dict:
    """Catalogs with their units and target kinds, for the new-audit form."""
    from checklist.model.library import known_ids, load_catalog

    out = []
    for cid in known_ids():
        cat = load_catalog(cid)
        units = [u.name for u in cat.units.values() if not u.is_group]
        out.append({"id": cat.id, "title": cat.title, "units": units, "kinds": [k.name for k in cat.kinds.values()]})
    return {"catalogs": out}


@bp.get("/audits/new")
@login_required(*INSPECTORS)
def new_audit() -> Any:
    """The form, with the catalog of the last audit made as the default 检查依据."""
    last = next((r["catalog_id"] for r in store().summaries() if r["catalog_id"]), "")
    form = {"date": settings().today().isoformat(), "inspectors": g.user.name, "catalog": last}
    return render_template("web/audit_new.html.j2", form=form, error=None, **choices())


@bp.post("/audits/new")
@login_required(*INSPECTORS)
def create_audit() -> Any:
    from checklist.errors import Refusal
    from checklist.web import words
    from checklist.web.audit_store import AnswerRefused

    form = {k: request.form.get(k, "") for k in ("catalog", "unit", "kind", "target", "address", "date", "title", "inspectors")}
    try:
        upload = request.files.get("facts")
        facts = (upload.filename or "facts.yaml", upload.read()) if upload and upload.filename else None
        audit_id = store().create(form, form["inspectors"].replace("，", ",").replace("、", ",").split(","), facts)
    except Refusal as e:
        error = {"message": words.word(e), "field": e.field}
        return render_template("web/audit_new.html.j2", form=form, error=error, **choices()), words.status(e)
    except AnswerRefused as e:
        return render_template("web/audit_new.html.j2", form=form, error=e, **choices()), e.status
    return redirect(url_for("pages_audits.audit_page", audit_id=audit_id))


def groups(a: Any, cat: Any) -> list[dict]:
    """The checks by chapter, then by clause (with the clause's text once)."""
    out: list[dict] = []
    for e in a.entries:
        clause = None
        if cat is not None:
            clause = next((c for c in cat.clauses if c.id == e.clause), None)
        chapter = (clause.chapter if clause else "") or "（未分章）"
        if not out or out[-1]["chapter"] != chapter:
            out.append({"chapter": chapter, "clauses": [], "answered": 0, "total": 0})
        out[-1]["total"] += 1
        out[-1]["answered"] += e.result != UNCHECKED
        clauses = out[-1]["clauses"]
        if not clauses or clauses[-1]["id"] != e.clause:
            clauses.append({"id": e.clause, "ref": e.ref, "text": clause.text if clause else "", "entries": []})
        clauses[-1]["entries"].append(e)
    return out


@bp.get("/audits/<audit_id>")
@login_required(*INSPECTORS)
def audit_page(audit_id: str) -> Any:
    a, cat = store().load(audit_id)
    return render_template(
        "web/audit.html.j2",
        audit_id=audit_id,
        a=a,
        groups=groups(a, cat),
        status=status(a.entries),
        results=RESULT_NAMES,
        plan_parts=PLAN_PARTS,
        signer_roles=SIGNER_ROLES,
        page_data={
            "fields": vocabulary.FIELD_NAMES | {"reason": "不适用理由"},
            "required": required_fields(),
            "results": RESULT_NAMES,
            "plan_parts": list(PLAN_PARTS),
            "signer_roles": SIGNER_ROLES,
        },
    )


@bp.post("/audits/<audit_id>/finish")
@login_required(*INSPECTORS)
def finish(audit_id: str) -> Any:
    """完成检查: every 不符合 with its finding into the register, in the inspector's name."""
    finish_audit(audit_id)
    return redirect(url_for("pages_audits.done", audit_id=audit_id))


@bp.get("/audits/<audit_id>/done")
@login_required(*INSPECTORS)
def done(audit_id: str) -> Any:
    """What 完成检查 gave: the hazards the audit holds in the register, and the report."""
    from checklist.errors import Refusal
    from checklist.register.db import reading
    from checklist.register.queries import audit_hazards

    a, _ = store().load(audit_id)
    try:
        with reading(settings().engine) as conn:
            hazards = audit_hazards(conn, str(store().path(audit_id)))
    except Refusal:
        hazards = []
    return render_template(
        "web/audit_done.html.j2", audit_id=audit_id, a=a, hazards=hazards, notes=register_notes(a, hazards), status=status(a.entries)
    )


def register_notes(a: Any, hazards: list[dict]) -> list[dict]:
    """Where the audit and the register now differ, in words for this page, with what the user can
    do here: a finding no longer in the audit whose hazard is still open, and a changed finding
    whose hazard is already being handled (the register never overwrites those)."""
    from checklist.vocabulary import FAIL, OPEN, TODO

    entries = {e.id: e for e in a.entries}
    notes = []
    for h in hazards:
        e = entries.get(h["check_id"])
        if (e is None or e.result != FAIL) and h["status"] in OPEN:
            notes.append(
                {
                    "hazard": h["id"],
                    "text": f"检查记录中 {h['check_id']} 已不是不符合项，但隐患 {h['id']} 仍为“{h['status']}”。"
                    "如确认不是隐患，请管理员在隐患页面办理“撤销”；否则请把该项改回不符合。",
                }
            )
        elif e is not None and e.finding and h["status"] != TODO:
            f = e.finding
            if (f.hazard, f.measure, f.owner, f.due) != (h["level"], h["measure"], h["owner"], str(h["due"])):
                notes.append(
                    {
                        "hazard": h["id"],
                        "text": f"检查记录中 {e.id} 的隐患信息已修改，但隐患 {h['id']} 已在“{h['status']}”，台账未改动。"
                        "如需变更整改要求，请在隐患页面按流程办理。",
                    }
                )
    return notes


def finish_audit(audit_id: str) -> tuple[Any, Any]:
    from checklist.register.importer import import_audits

    s, user = settings(), g.user
    with store().lock(audit_id):
        path = store().path(audit_id)
        report = import_audits(s.engine, [str(path)], by=user.name, role=user.role, files_dir=s.files)
    a, _ = store().load(audit_id)
    return report, a


@bp.get("/audits/<audit_id>/report.pdf")
@login_required(*INSPECTORS)
def report_pdf(audit_id: str) -> Any:
    from checklist.web import paper
    from checklist.web.pages_hazards import pdf, pool

    path = store().path(audit_id)
    return pdf(pool().render(paper.report, str(path)), f"检查报告-{audit_id}.pdf")


@bp.get("/audits/<audit_id>/evidence/<name>")
@login_required(*INSPECTORS)
def evidence(audit_id: str, name: str) -> Any:
    """A photo or signature of the audit (named by its hash, so it never changes: cached privately);
    ``?w=192`` gives a thumbnail."""
    from checklist.web.thumbs import image_response

    return image_response(store().evidence_file(audit_id, name), request.args.get("w"))
