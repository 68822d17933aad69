"""Finding catalogs by id and loading them, validated, as model objects."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from checklist.errors import Refusal, UsageError
from checklist.files.kinds import load_valid
from checklist.files.loader import file_stamp
from checklist.files.resources import data_dir
from checklist.i18n import _
from checklist.model import catalog_checks  # noqa: F401  (registers the catalog cross-checks)
from checklist.model.catalog import Catalog, from_document


def search_path() -> list[Path]:
    """Folders searched for ``<id>.yaml``: $CHECKLIST_CATALOGS (os.pathsep-separated), then the bundled ones."""
    extra = [Path(p) for p in os.environ.get("CHECKLIST_CATALOGS", "").split(os.pathsep) if p]
    return extra + [data_dir("catalogs")]


def locate(id_or_path: str) -> Path:
    """A catalog file from an id (looked up on the search path) or a path to a YAML file."""
    if id_or_path.endswith((".yaml", ".yml")) or "/" in id_or_path or os.sep in id_or_path:
        return Path(id_or_path)
    for folder in search_path():
        candidate = folder / f"{id_or_path}.yaml"
        if candidate.is_file():
            return candidate
    raise Refusal("audit.catalog", "catalog", name=id_or_path)


def known_ids() -> list[str]:
    return sorted({p.stem for folder in search_path() if folder.is_dir() for p in folder.glob("*.yaml")})


@lru_cache(maxsize=32)
def _load(path: Path, stamp: tuple[int, int]) -> Catalog:
    """Loaded once per process and file version (``stamp``: mtime and size)."""
    return from_document(load_valid(path, "catalog"))


def load_catalog(id_or_path: str) -> Catalog:
    """The catalog with this id (or at this path), validated; a file whose id differs from its name is refused."""
    path = locate(id_or_path)
    cat = _load(path.resolve(), file_stamp(path))
    if not id_or_path.endswith((".yaml", ".yml")) and cat.id != id_or_path and path.stem == id_or_path:
        raise UsageError(
            _("{path}: declares id {id!r}, but was found as {name!r}; rename one of them").format(path=path, id=cat.id, name=id_or_path)
        )
    return cat


def catalog_summaries() -> list[dict]:
    rows = []
    for cid in known_ids():
        cat = load_catalog(cid)
        rows.append(
            {
                "id": cat.id,
                "title": cat.title,
                "doc_no": cat.doc_no,
                "clauses": len(cat.clauses),
                "checks": sum(len(c.checks) for c in cat.clauses),
                "units": sum(1 for u in cat.units.values() if not u.is_group),
                "path": str(locate(cid)),
            }
        )
    return rows
