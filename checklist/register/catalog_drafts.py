"""Catalog drafts kept in the register's database while a department reviews them: one draft per
catalog, made from an imported document (or from the latest published version), changed one
change at a time. Each change names the draft version it was made on; a draft changed meanwhile
refuses it (``catalog.changed``, with who changed it and when), so nobody's work is overwritten.
Every change is checked as ``validate`` checks a catalog (``authoring.draft_check``); problems are
kept with the draft and shown on their fields, and publishing waits until there are none."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from checklist.authoring import editing
from checklist.authoring.draft_check import problems
from checklist.errors import ConcurrentChangeError, Refusal
from checklist.register.db import reading, writing
from checklist.register.log import now
from checklist.register.tables import catalog_draft, catalog_version


@dataclass
class Draft:
    catalog_id: str
    version: int
    base: int | None  # the published version it revises
    catalog: dict
    findings: list[dict]
    report: dict
    source: dict
    created_by: str
    created_at: str
    updated_by: str
    updated_at: str
    problems: list[dict] = field(default_factory=list)

    @property
    def open_findings(self) -> list[dict]:
        """The findings still to review (on a clause that is still there, or on none)."""
        return [f for f in self.findings if not f.get("reviewed_by")]

    @property
    def publishable(self) -> bool:
        return not self.problems and not self.open_findings

    def as_dict(self) -> dict:
        return {
            "catalog_id": self.catalog_id,
            "version": self.version,
            "base": self.base,
            "catalog": self.catalog,
            "findings": self.findings,
            "problems": self.problems,
            "open_findings": len(self.open_findings),
            "publishable": self.publishable,
            "updated_by": self.updated_by,
            "updated_at": self.updated_at,
        }


def _draft(row, checked: bool = True) -> Draft:
    d = Draft(
        row.catalog_id,
        row.version,
        row.base,
        json.loads(row.catalog),
        json.loads(row.findings),
        json.loads(row.report),
        json.loads(row.source),
        row.created_by,
        row.created_at,
        row.updated_by,
        row.updated_at,
    )
    if checked:
        d.problems = problems(d.catalog)
    return d


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def latest_version(conn: Connection, catalog_id: str) -> int | None:
    return conn.execute(sa.select(sa.func.max(catalog_version.c.version)).where(catalog_version.c.catalog_id == catalog_id)).scalar()


def start(engine: Engine, catalog_id: str, imported: dict, by: str) -> Draft:
    """A new draft from an imported document (``authoring.review.import_for_review``'s data): of a
    new catalog, or of the next version of a published one — then what the reviewer wrote for
    the latest version is kept where the document did not change (``authoring.revision``)."""
    from checklist.authoring.revision import carry_over

    catalog = dict(imported["catalog"], id=catalog_id)
    catalog.pop("version", None)
    at = now()
    with writing(engine) as conn:
        _refuse_existing(conn, catalog_id)
        base = latest_version(conn, catalog_id)
        if base is not None:
            carry_over(catalog, _published_data(conn, catalog_id, base))
        conn.execute(
            catalog_draft.insert().values(
                catalog_id=catalog_id,
                version=1,
                base=base,
                catalog=_dump(catalog),
                findings=_dump(imported["findings"]),
                report=_dump(imported["report"]),
                source=_dump(imported["source"]),
                created_by=by,
                created_at=at,
                updated_by=by,
                updated_at=at,
            )
        )
    return get(engine, catalog_id)


def start_from_version(engine: Engine, catalog_id: str, by: str) -> Draft:
    """A draft of the next version, starting from the latest published one as it is (no import):
    to correct a text, add a question or a tag."""
    at = now()
    with writing(engine) as conn:
        _refuse_existing(conn, catalog_id)
        base = latest_version(conn, catalog_id)
        if base is None:
            raise Refusal("catalog.unknown", "catalog", catalog=catalog_id)
        catalog = _published_data(conn, catalog_id, base)
        catalog.pop("version", None)
        source = conn.execute(
            sa.select(catalog_version.c.source).where(catalog_version.c.catalog_id == catalog_id, catalog_version.c.version == base)
        ).scalar_one()
        conn.execute(
            catalog_draft.insert().values(
                catalog_id=catalog_id,
                version=1,
                base=base,
                catalog=_dump(catalog),
                findings="[]",
                report="{}",
                source=source,
                created_by=by,
                created_at=at,
                updated_by=by,
                updated_at=at,
            )
        )
    return get(engine, catalog_id)


def _refuse_existing(conn: Connection, catalog_id: str) -> None:
    from checklist.authoring.importer import check_id
    from checklist.model.library import kept_by_hand

    check_id(catalog_id)
    row = conn.execute(sa.select(catalog_draft.c.created_by).where(catalog_draft.c.catalog_id == catalog_id)).first()
    if row is not None:
        raise Refusal("catalog.draft_exists", "catalog_id", catalog=catalog_id, by=row.created_by)
    if kept_by_hand(catalog_id):
        raise Refusal("catalog.id_taken", "catalog_id", catalog=catalog_id)


def _published_data(conn: Connection, catalog_id: str, version: int) -> dict:
    from checklist.files.loader import loads

    text = conn.execute(
        sa.select(catalog_version.c.yaml).where(catalog_version.c.catalog_id == catalog_id, catalog_version.c.version == version)
    ).scalar_one()
    return loads(text, f"{catalog_id}@{version}.yaml").data


def get(engine: Engine, catalog_id: str, checked: bool = True) -> Draft:
    with reading(engine) as conn:
        row = conn.execute(sa.select(catalog_draft).where(catalog_draft.c.catalog_id == catalog_id)).first()
        if row is None:
            latest = latest_version(conn, catalog_id)
    if row is None:
        if latest is not None:
            raise Refusal("catalog.published", "draft", catalog=catalog_id, version=latest)
        raise Refusal("catalog.no_draft", "draft", catalog=catalog_id)
    return _draft(row, checked)


def drafts(engine: Engine) -> list[Draft]:
    with reading(engine) as conn:
        rows = conn.execute(sa.select(catalog_draft).order_by(catalog_draft.c.catalog_id)).all()
    return [_draft(r, checked=False) for r in rows]


def draft_row_at(conn: Connection, catalog_id: str, version: object) -> Any:
    """The draft's row, if it is still at ``version`` (the version the page last saw): else the
    refusal — no draft (or published meanwhile), or changed since (ConcurrentChangeError, 409)."""
    row = conn.execute(sa.select(catalog_draft).where(catalog_draft.c.catalog_id == catalog_id)).first()
    if row is None:
        latest = latest_version(conn, catalog_id)
        if latest is not None:
            raise Refusal("catalog.published", "draft", catalog=catalog_id, version=latest)
        raise Refusal("catalog.no_draft", "draft", catalog=catalog_id)
    if version != row.version:
        raise ConcurrentChangeError(
            "catalog.changed", "version", catalog=catalog_id, by=row.updated_by, at=row.updated_at, version=row.version, had=version
        )
    return row


def change(engine: Engine, catalog_id: str, op: dict, version: object, by: str) -> Draft:
    """Make one change (``editing.apply``) on the draft as it is at ``version`` (the version the
    page last saw); the draft, one version on, with its problems. A draft changed meanwhile
    refuses the change (ConcurrentChangeError, 409) and nothing is written."""
    at = now()
    with writing(engine) as conn:
        row = draft_row_at(conn, catalog_id, version)
        d = _draft(row, checked=False)
        changed = editing.apply({"catalog": d.catalog, "findings": d.findings}, op, by, at)
        done = conn.execute(
            sa.update(catalog_draft)
            .where(catalog_draft.c.catalog_id == catalog_id, catalog_draft.c.version == row.version)
            .values(
                version=row.version + 1,
                catalog=_dump(changed["catalog"]),
                findings=_dump(changed["findings"]),
                updated_by=by,
                updated_at=at,
            )
        )
        if done.rowcount != 1:  # pragma: no cover - the chain-head lock makes writers take turns
            raise ConcurrentChangeError("catalog.changed", "version", catalog=catalog_id, by="?", at=at, version=row.version, had=version)
    d.catalog, d.findings, d.version, d.updated_by, d.updated_at = changed["catalog"], changed["findings"], row.version + 1, by, at
    d.problems = problems(d.catalog)
    return d


def discard(engine: Engine, catalog_id: str, version: object) -> None:
    """Throw the draft away (as it is at ``version``): published versions stay as they are."""
    with writing(engine) as conn:
        row = conn.execute(sa.select(catalog_draft).where(catalog_draft.c.catalog_id == catalog_id)).first()
        if row is None:
            raise Refusal("catalog.no_draft", "draft", catalog=catalog_id)
        if version != row.version:
            raise ConcurrentChangeError(
                "catalog.changed", "version", catalog=catalog_id, by=row.updated_by, at=row.updated_at, version=row.version, had=version
            )
        conn.execute(sa.delete(catalog_draft).where(catalog_draft.c.catalog_id == catalog_id))
