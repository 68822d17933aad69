"""The catalog draft's JSON API, for the review page (session cookie and ``X-CSRF-Token``) and for
scripts (Bearer token of an editor or admin): the draft as it is, and one change at a time —
``{"version": the draft version last read, "op": …}`` — answered with the draft's new version and
its problems in Chinese on their fields; 409 when the draft changed meanwhile (nothing written),
or when it has been published (a published version is never changed)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, url_for

from checklist.web import catalog_words
from checklist.web.pages_catalogs import EDITORS, folder
from checklist.web.security import login_required, settings

bp = Blueprint("api_catalogs", __name__, url_prefix="/api/catalogs")
STRUCTURAL = ("add", "split", "merge", "delete", "unit", "unit_delete")  # the page is drawn again after these


def _state(d: Any) -> dict:
    return {
        "catalog_id": d.catalog_id,
        "version": d.version,
        "problems": [catalog_words.problem(p) for p in d.problems],
        "open": len(d.open_findings),
        "publishable": d.publishable,
        "updated_by": d.updated_by,
        "updated_at": d.updated_at,
    }


def _body() -> dict:
    from checklist.web.api import body

    return body()


@bp.get("/<cid>/draft")
@login_required(*EDITORS)
def draft(cid: str) -> Any:
    from checklist.register.catalog_drafts import get

    d = get(settings().engine, cid)
    return jsonify(_state(d) | {"catalog": d.catalog, "findings": d.findings})


@bp.post("/<cid>/draft/changes")
@login_required(*EDITORS)
def change(cid: str) -> Any:
    """One change: {"version", "op": meta|clause|add|split|merge|delete|review|unit|unit_delete, …}."""
    from checklist.register.catalog_drafts import change as make

    data = _body()
    op = {k: v for k, v in data.items() if k != "version"}
    d = make(settings().engine, cid, op, data.get("version"), g.user.name)
    clause = next((c for c in d.catalog["clauses"] if c.get("id") == op.get("clause")), None) if op.get("op") == "clause" else None
    reload = op.get("op") in STRUCTURAL or (op.get("op") == "clause" and op.get("field") == "id")
    return jsonify(_state(d) | {"clause": clause, "reload": reload})


@bp.post("/<cid>/publish")
@login_required(*EDITORS)
def publish(cid: str) -> Any:
    """Publish the draft as it is at {"version"}: 409 with the counts when it is not ready."""
    from checklist.register.catalog_versions import publish as make

    v = make(settings().engine, cid, _body().get("version"), g.user.name, folder())
    return jsonify(v.as_dict() | {"url": url_for("pages_catalogs.version_page", cid=cid, version=v.version)}), 201


@bp.post("/<cid>/versions/<int:version>/changes")
@login_required(*EDITORS)
def change_version(cid: str, version: int) -> Any:
    """A change to a published version: always refused (409), it is never changed."""
    from checklist.errors import Refusal
    from checklist.model.library import versions

    if version not in versions(cid):
        raise Refusal("catalog.unknown", "catalog", catalog=f"{cid}@{version}")
    raise Refusal("catalog.published", "draft", catalog=cid, version=version)
