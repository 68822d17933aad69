"""Finding catalogs by id and loading them, validated, as model objects.

A catalog is ``<id>.yaml`` in a folder of the search path, or a published version
``<id>@<N>.yaml`` (written once by the register's publishing, never changed): ``id@N`` names
version N, a bare id the catalog kept by hand or else its latest version."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from checklist.errors import Refusal, UsageError
from checklist.files.kinds import load_valid
from checklist.files.loader import file_stamp
from checklist.files.resources import data_dir
from checklist.i18n import _
from checklist.model import catalog_checks  # noqa: F401  (registers the catalog cross-checks)
from checklist.model.catalog import Catalog, from_document

VERSIONED = re.compile(r"^(?P<id>[a-z0-9][a-z0-9-]*)@(?P<version>[1-9][0-9]*)$")
_published: list[Path] = []  # the folder published versions are written into, when this process has one


def use_published(folder: Path | None) -> None:
    """Search ``folder`` for published versions (after $CHECKLIST_CATALOGS, before the bundled
    catalogs): the register fills it, a server names it. One folder per process."""
    _published[:] = [folder] if folder is not None else []


def search_path() -> list[Path]:
    """Folders searched for catalogs: $CHECKLIST_CATALOGS (os.pathsep-separated), the published
    versions' folder when one is in use, then the bundled ones."""
    extra = [Path(p) for p in os.environ.get("CHECKLIST_CATALOGS", "").split(os.pathsep) if p]
    return extra + list(_published) + [data_dir("catalogs")]


def split_ref(ref: str) -> tuple[str, int | None]:
    """``id@N`` → (id, N); a bare id → (id, None)."""
    m = VERSIONED.match(ref)
    return (m["id"], int(m["version"])) if m else (ref, None)


def versions_in(folder: Path, cid: str) -> dict[int, Path]:
    """The published versions of ``cid`` in one folder, by number."""
    found = {}
    for p in folder.glob(f"{cid}@*.yaml"):
        cat_id, version = split_ref(p.stem)
        if cat_id == cid and version is not None and p.is_file():
            found[version] = p
    return found


def versions(cid: str) -> list[int]:
    """Every published version of ``cid`` on the search path, oldest first."""
    return sorted({v for folder in search_path() if folder.is_dir() for v in versions_in(folder, cid)})


def locate(id_or_path: str) -> Path:
    """A catalog file from an id (``id``: kept by hand, else its latest version; ``id@N``: version
    N), looked up on the search path, or a path to a YAML file."""
    if id_or_path.endswith((".yaml", ".yml")) or "/" in id_or_path or os.sep in id_or_path:
        return Path(id_or_path)
    cid, version = split_ref(id_or_path)
    for folder in search_path():
        if version is not None:
            candidate = folder / f"{cid}@{version}.yaml"
            if candidate.is_file():
                return candidate
            continue
        candidate = folder / f"{cid}.yaml"
        if candidate.is_file():
            return candidate
        found = versions_in(folder, cid) if folder.is_dir() else {}
        if found:
            return found[max(found)]
    raise Refusal("audit.catalog", "catalog", name=id_or_path)


def kept_by_hand(cid: str) -> bool:
    """Whether a catalog ``<cid>.yaml`` (bundled, or in $CHECKLIST_CATALOGS) has this id: no
    published version may take it."""
    return any((folder / f"{cid}.yaml").is_file() for folder in search_path())


def known_ids() -> list[str]:
    return sorted({split_ref(p.stem)[0] for folder in search_path() if folder.is_dir() for p in folder.glob("*.yaml")})


@lru_cache(maxsize=32)
def _load(path: Path, stamp: tuple[int, int]) -> Catalog:
    """Loaded once per process and file version (``stamp``: mtime and size)."""
    return from_document(load_valid(path, "catalog"))


def load_catalog(id_or_path: str) -> Catalog:
    """The catalog with this id (or at this path), validated; a file whose id differs from its name is refused."""
    path = locate(id_or_path)
    cat = _load(path.resolve(), file_stamp(path))
    if not id_or_path.endswith((".yaml", ".yml")) and "/" not in id_or_path and os.sep not in id_or_path:
        cid, version = split_ref(path.stem)
        if cat.id != cid:
            raise UsageError(
                _("{path}: declares id {id!r}, but was found as {name!r}; rename one of them").format(path=path, id=cat.id, name=id_or_path)
            )
        if version is not None and cat.version != version:
            raise UsageError(
                _("{path}: declares version {version}, but its name says {named}").format(path=path, version=cat.version, named=version)
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
                "version": cat.version,
                "versions": versions(cid),
                "path": str(locate(cid)),
            }
        )
    return rows


def export(ref: str, out: Path, *, schemas: Path | None = None, force: bool = False) -> Catalog:
    """Write the catalog ``ref`` (an id, ``id@N`` or a path) to ``out`` as it is kept, with a schema
    line an editor resolves from ``out`` (``schemas``: a folder of exported schemas): the same
    YAML file the bundled catalogs are, for another checklist or a text editor."""
    from checklist.files import atomic
    from checklist.files.loader import read_text
    from checklist.files.schemas import modeline

    cat = load_catalog(ref)
    if atomic.exists(out) and not force:
        raise Refusal("file.exists", "output", path=str(out))
    text = read_text(cat.path)[0]
    first, _, rest = text.partition("\n")
    if first.startswith("# yaml-language-server:"):
        text = rest
    atomic.write_text(out, modeline("catalog.schema.json", out, schemas) + "\n" + text)
    return cat
