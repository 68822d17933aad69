"""Publishing a catalog draft: a version number (one more than any before, never reused), the
YAML file written once into the published catalogs' folder (``<id>@<N>.yaml``, never replaced:
the catalog library reads it there, for `audit new`, the duty calendar and 责任清单 alike), and a
row in the register with the YAML and who published it. The register is the record; the folder
is written again from it where a file is missing (``sync``), so a new server or a lost folder
finds every version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from checklist.authoring.draft_check import catalog_yaml
from checklist.errors import Refusal
from checklist.files import atomic
from checklist.register.catalog_drafts import _draft, draft_row_at, latest_version
from checklist.register.db import reading, writing
from checklist.register.log import now
from checklist.register.tables import catalog_draft, catalog_version


@dataclass(frozen=True)
class Version:
    catalog_id: str
    version: int
    title: str
    doc_no: str
    sha256: str
    published_by: str
    published_at: str

    @property
    def ref(self) -> str:
        return f"{self.catalog_id}@{self.version}"

    def as_dict(self) -> dict:
        return {
            "catalog_id": self.catalog_id,
            "version": self.version,
            "ref": self.ref,
            "title": self.title,
            "doc_no": self.doc_no,
            "sha256": self.sha256,
            "published_by": self.published_by,
            "published_at": self.published_at,
        }


_COLUMNS = (
    catalog_version.c.catalog_id,
    catalog_version.c.version,
    catalog_version.c.title,
    catalog_version.c.doc_no,
    catalog_version.c.sha256,
    catalog_version.c.published_by,
    catalog_version.c.published_at,
)


def file_name(catalog_id: str, version: int) -> str:
    return f"{catalog_id}@{version}.yaml"


def publish(engine: Engine, catalog_id: str, draft_version: object, by: str, folder: Path) -> Version:
    """Publish the draft as it is at ``draft_version``: only a draft with no problem and every
    finding reviewed (else ``catalog.not_ready``). The draft is gone afterwards; its version stays."""
    at = now()
    with writing(engine) as conn:
        row = draft_row_at(conn, catalog_id, draft_version)
        d = _draft(row)
        if not d.publishable:
            raise Refusal("catalog.not_ready", "draft", catalog=catalog_id, errors=len(d.problems), findings=len(d.open_findings))
        from checklist.model.library import versions_in

        on_disk = versions_in(folder, catalog_id) if folder.is_dir() else {}
        number = max([latest_version(conn, catalog_id) or 0, *on_disk]) + 1
        catalog = {"id": catalog_id, "version": number} | {k: v for k, v in d.catalog.items() if k not in ("id", "version")}
        doc_no = catalog.get("source", {}).get("doc_no", "")
        head = [f"{catalog['title']}{f'（{doc_no}）' if doc_no else ''}: version {number}, published by {by} at {at}"]
        text = catalog_yaml(catalog, head)
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        conn.execute(
            catalog_version.insert().values(
                catalog_id=catalog_id,
                version=number,
                title=catalog["title"],
                doc_no=doc_no,
                sha256=sha,
                yaml=text,
                source=row.source,
                published_by=by,
                published_at=at,
            )
        )
        conn.execute(sa.delete(catalog_draft).where(catalog_draft.c.catalog_id == catalog_id))
    _write(folder, catalog_id, number, text)  # after the commit: the register holds the version even if the disk refuses
    return Version(catalog_id, number, catalog["title"], doc_no, sha, by, at)


def _write(folder: Path, catalog_id: str, version: int, text: str) -> None:
    path = folder / file_name(catalog_id, version)
    if atomic.exists(path):
        return  # written by an earlier sync, or by another server sharing the folder: versions never change
    atomic.write_text(path, text, expect=atomic.ABSENT)


def sync(engine: Engine, folder: Path) -> list[str]:
    """Write every published version the folder lacks (a new server, a folder restored from an
    older backup); the files written."""
    with reading(engine) as conn:
        have = [(r.catalog_id, r.version) for r in conn.execute(sa.select(catalog_version.c.catalog_id, catalog_version.c.version))]
    missing = [(c, v) for c, v in have if not (folder / file_name(c, v)).is_file()]
    written = []
    for cid, version in missing:
        _write(folder, cid, version, version_yaml(engine, cid, version))
        written.append(file_name(cid, version))
    return written


def versions(engine: Engine, catalog_id: str | None = None) -> list[Version]:
    """The published versions (of one catalog, or of all), oldest first."""
    query = sa.select(*_COLUMNS).order_by(catalog_version.c.catalog_id, catalog_version.c.version)
    if catalog_id is not None:
        query = query.where(catalog_version.c.catalog_id == catalog_id)
    with reading(engine) as conn:
        return [Version(*r) for r in conn.execute(query)]


def _stored(engine: Engine, column: Any, catalog_id: str, version: int) -> str:
    """One stored column of the published version ``catalog_id@version``, else ``catalog.unknown``."""
    with reading(engine) as conn:
        text = conn.execute(
            sa.select(column).where(catalog_version.c.catalog_id == catalog_id, catalog_version.c.version == version)
        ).scalar()
    if text is None:
        raise Refusal("catalog.unknown", "catalog", catalog=f"{catalog_id}@{version}")
    return text


def version_yaml(engine: Engine, catalog_id: str, version: int) -> str:
    return _stored(engine, catalog_version.c.yaml, catalog_id, version)


def version_source(engine: Engine, catalog_id: str, version: int) -> dict:
    return json.loads(_stored(engine, catalog_version.c.source, catalog_id, version))
