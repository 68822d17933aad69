"""Catalogs made in the browser, for editors (and admins): the list, a document imported in the
worker pool into a draft, the draft reviewed beside its source (its changes go through the JSON
API one by one: ``api_catalogs``), publishing a version, each version read-only with its 责任清单
downloads, and the comparison of two versions. The same cores as the command line: the importer,
``register.catalog_drafts`` and ``catalog_versions``, ``lists.diff``, ``outputs.duties_report``."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from checklist.errors import ChecklistError, Refusal
from checklist.web.security import login_required, settings

bp = Blueprint("pages_catalogs", __name__)
EDITORS = ("admin", "editor")
REF = re.compile(r"^[a-z0-9][a-z0-9-]*(?:@[1-9][0-9]*)?$")  # a catalog's id, or id@N: never a path


def loaded(ref: str) -> Any:
    """The catalog ``ref`` (an id, or id@N: never a path) as the library loads it, else 404."""
    from checklist.model.library import load_catalog

    if not REF.match(ref):
        abort(404)
    try:
        return load_catalog(ref)
    except ChecklistError:
        abort(404)


UPLOADS = (".html", ".htm", ".docx", ".pdf", ".md", ".markdown", ".txt")


def folder() -> Path:
    return current_app.extensions["catalogs_folder"]


def pool() -> Any:
    return current_app.extensions["pdf_pool"]


@bp.get("/catalogs")
@login_required(*EDITORS)
def catalog_list(error: dict | None = None, form: dict | None = None, status: int = 200) -> Any:
    from checklist.model.library import catalog_summaries
    from checklist.register.catalog_drafts import drafts
    from checklist.register.catalog_versions import versions

    engine = settings().engine
    published: dict[str, list] = {}
    for v in versions(engine):
        published.setdefault(v.catalog_id, []).append(v)
    kept = [r for r in catalog_summaries() if r["id"] not in published]
    page = render_template(
        "web/catalogs.html.j2", drafts=drafts(engine), published=published, kept=kept, error=error, form=form or {}, uploads=UPLOADS
    )
    return page, status


@bp.post("/catalogs/import")
@login_required(*EDITORS)
def import_document() -> Any:
    """The uploaded document read in a worker process into a draft of ``catalog_id`` (a new
    catalog, or the next version of a published one)."""
    import json

    from checklist.errors import UnfitTextError
    from checklist.register.catalog_drafts import start
    from checklist.web import catalog_jobs, words

    form = {"catalog_id": request.form.get("catalog_id", "").strip()}
    upload = request.files.get("document")
    try:
        suffix = Path(upload.filename or "").suffix.lower() if upload else ""
        if upload is None or suffix not in UPLOADS:
            raise Refusal("catalog.upload", "source_file")
        from checklist.authoring.importer import check_id

        check_id(form["catalog_id"])
        with tempfile.TemporaryDirectory(prefix="checklist-import-") as tmp:
            path = Path(tmp) / f"document{suffix}"
            upload.save(path)
            raw = pool().render(
                catalog_jobs.import_document, str(path), form["catalog_id"], Path(upload.filename or "").name, str(folder())
            )
        data = json.loads(raw)
        if "refused" in data:
            r = data["refused"]
            raise Refusal(r["code"], r["field"], **r["params"])
        if "unfit" in data:
            raise UnfitTextError(data["unfit"])
        start(settings().engine, form["catalog_id"], data, g.user.name)
    except Refusal as e:
        return catalog_list({"message": words.word(e), "field": e.field}, form, words.status(e))
    except UnfitTextError as e:
        message = "未能从该文件中识别出条款：没有一种版式能读出其中的条文。请检查文件，或改用网页、Word 版本。"
        return catalog_list({"message": message, "detail": e.message, "field": "source_file"}, form, 422)
    return redirect(url_for("pages_catalogs.draft_page", cid=form["catalog_id"]))


@bp.get("/catalogs/<cid>/draft")
@login_required(*EDITORS)
def draft_page(cid: str) -> Any:
    from checklist.register.catalog_drafts import get
    from checklist.web.catalog_view import draft_context

    try:
        d = get(settings().engine, cid)
    except Refusal as e:
        if e.code == "catalog.published":
            return redirect(url_for("pages_catalogs.catalog_page", cid=cid))
        raise
    return render_template("web/catalog_draft.html.j2", **draft_context(d))


@bp.post("/catalogs/<cid>/draft")
@login_required(*EDITORS)
def new_draft(cid: str) -> Any:
    """A draft of the next version from the latest published one, to correct or add to it."""
    from checklist.register.catalog_drafts import start_from_version

    start_from_version(settings().engine, cid, g.user.name)
    return redirect(url_for("pages_catalogs.draft_page", cid=cid))


@bp.post("/catalogs/<cid>/draft/discard")
@login_required(*EDITORS)
def discard(cid: str) -> Any:
    from checklist.register.catalog_drafts import discard as drop

    drop(settings().engine, cid, _int(request.form.get("version")))
    return redirect(url_for("pages_catalogs.catalog_list"))


@bp.post("/catalogs/<cid>/publish")
@login_required(*EDITORS)
def publish(cid: str) -> Any:
    from checklist.register.catalog_drafts import get
    from checklist.register.catalog_versions import publish as make
    from checklist.web import words
    from checklist.web.catalog_view import draft_context

    try:
        v = make(settings().engine, cid, _int(request.form.get("version")), g.user.name, folder())
    except Refusal as e:
        if e.code not in ("catalog.not_ready", "catalog.changed"):
            raise
        context = draft_context(get(settings().engine, cid)) | {"error": words.word(e)}
        return render_template("web/catalog_draft.html.j2", **context), words.status(e)
    return redirect(url_for("pages_catalogs.version_page", cid=cid, version=v.version))


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.get("/catalogs/<cid>")
@login_required(*EDITORS)
def catalog_page(cid: str) -> Any:
    from checklist.model.library import versions

    numbers = versions(cid)
    if numbers:
        return redirect(url_for("pages_catalogs.version_page", cid=cid, version=numbers[-1]))
    return _catalog(cid, None)


@bp.get("/catalogs/<cid>/versions/<int:version>")
@login_required(*EDITORS)
def version_page(cid: str, version: int) -> Any:
    return _catalog(cid, version)


def _catalog(cid: str, version: int | None) -> Any:
    """A catalog (one published version, or one kept as a file) read-only, with its versions,
    the changes from the version before, and its 责任清单 downloads."""
    from checklist.model.library import versions
    from checklist.register.catalog_drafts import drafts
    from checklist.register.catalog_versions import versions as published

    ref = f"{cid}@{version}" if version else cid
    cat = loaded(ref)
    has_draft = any(d.catalog_id == cid for d in drafts(settings().engine))
    units = [u for u in cat.units.values() if not u.is_group and any(True for _ in cat.duties_of(u.id))]
    return render_template(
        "web/catalog.html.j2",
        cat=cat,
        ref=ref,
        versions=published(settings().engine, cid),
        numbers=versions(cid),
        has_draft=has_draft,
        units=units,
        year=settings().today().year,
    )


@bp.get("/catalogs/<cid>/diff")
@login_required(*EDITORS)
def diff_page(cid: str) -> Any:
    """What changed between two versions (``old``, ``new``; by default the latest and the one
    before): clauses added, removed, reworded, reassigned, questions and deadlines; per unit."""
    from checklist.lists.diff import diff, unit_changes
    from checklist.model.library import load_catalog, versions

    numbers = versions(cid)
    new = _int(request.args.get("new")) or (numbers[-1] if numbers else None)
    old = _int(request.args.get("old")) or (max((n for n in numbers if new and n < new), default=None))
    if new not in numbers or old not in numbers:
        abort(404)
    a, b = load_catalog(f"{cid}@{old}"), load_catalog(f"{cid}@{new}")
    changes = diff(a, b)
    return render_template("web/catalog_diff.html.j2", a=a, b=b, changes=changes, units=unit_changes(a, b, changes), numbers=numbers)


@bp.get("/catalogs/<ref>/duties.<fmt>")
@login_required(*EDITORS)
def duties(ref: str, fmt: str) -> Any:
    """The 责任清单 as PDF, XLSX or Word, for one unit (``unit``) or all, rendered in a worker."""
    from checklist.web import catalog_jobs
    from checklist.web.pages_hazards import pdf

    if fmt not in catalog_jobs.FORMATS:
        abort(404)
    cat = loaded(ref)
    unit = request.args.get("unit", "").strip()
    try:
        unit = cat.find_unit(unit).name if unit else ""
    except ChecklistError:
        abort(404)
    data = pool().render(catalog_jobs.duties, ref, unit, fmt, str(folder()), suffix=f".{fmt}")
    edition = f"第{cat.version}版" if cat.version else ""
    return pdf(data, f"责任清单-{unit or cat.id}{edition}.{fmt}", catalog_jobs.FORMATS[fmt])


@bp.get("/catalogs/<ref>/calendar.<fmt>")
@login_required(*EDITORS)
def calendar(ref: str, fmt: str) -> Any:
    """A unit's duty calendar (履职日历) for a year from the catalog's recurrences, as `checklist
    calendar` writes it: Excel (the task list), ICS (calendar apps) or the year planner PDF."""
    import datetime as dt

    from checklist.web import catalog_jobs
    from checklist.web.pages_hazards import pdf

    if fmt not in catalog_jobs.CALENDARS:
        abort(404)
    cat = loaded(ref)
    year = _int(request.args.get("year")) or settings().today().year
    try:
        unit = cat.find_unit(request.args.get("unit", "")).name
    except ChecklistError:
        abort(404)
    for day in (dt.date(year, 1, 1), dt.date(year, 12, 31)):  # a year without the official schedule: said in words
        settings().calendar.day(day)
    data = pool().render(catalog_jobs.calendar, ref, unit, year, fmt, str(folder()), settings().today().isoformat(), suffix=f".{fmt}")
    return pdf(data, f"履职日历-{unit}-{year}.{fmt}", catalog_jobs.CALENDARS[fmt])


@bp.get("/catalogs/<ref>/catalog.yaml")
@login_required(*EDITORS)
def catalog_yaml(ref: str) -> Any:
    """The catalog as the YAML file the command line reads (``catalogs export``)."""
    from checklist.web.pages_hazards import pdf

    cat = loaded(ref)
    return pdf(Path(cat.path).read_bytes(), f"{cat.ref}.yaml", "application/yaml")
