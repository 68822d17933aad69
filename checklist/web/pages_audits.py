"""Audits in the browser, for inspectors (and admins): the list, a new audit, the audit page with
its checks grouped by chapter (answers and photos go through the JSON API, saved one by one), and
完成检查, which takes the findings into the register and offers the report PDF. Unit users get 403."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from checklist import vocabulary
from checklist.audits.answering import required_fields
from checklist.audits.results import status
from checklist.vocabulary import PLAN_PARTS, RESULT_NAMES
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
    return render_template("web/audits.html.j2", audits=store().summaries())


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
    return render_template(
        "web/audit_new.html.j2", form={"date": settings().today().isoformat(), "inspectors": g.user.name}, error=None, **choices()
    )


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
            out.append({"chapter": chapter, "clauses": []})
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
        page_data={"fields": vocabulary.FIELD_NAMES | {"reason": "不适用理由"}, "required": required_fields()},
    )


@bp.post("/audits/<audit_id>/finish")
@login_required(*INSPECTORS)
def finish(audit_id: str) -> Any:
    """完成检查: every 不符合 with its finding into the register, in the inspector's name."""
    report, a = finish_audit(audit_id)
    return render_template("web/audit_done.html.j2", audit_id=audit_id, a=a, report=report, status=status(a.entries))


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
    from flask import send_file

    return send_file(store().evidence_file(audit_id, name), max_age=0)
