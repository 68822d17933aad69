"""`checklist catalogs`: the catalogs found, with their size, for people (text) or machines (JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable

from checklist.i18n import _

# a row of model.library.catalog_summaries(): id, title, doc_no, clauses, checks, units, version, versions, path
Rows = list[dict]


def catalogs_text(rows: Rows) -> str:
    """A line per catalog: id, 文号, counts and title; a published one's version and how many there are."""
    line = _("{id:<32} {doc_no:<20} {clauses:>4} clauses {checks:>4} checks {units:>3} units  {title}")
    published = _(" — version {version} (published versions: {versions})")
    out = []
    for r in rows:
        tail = published.format(version=r["version"], versions=", ".join(map(str, r["versions"]))) if r.get("version") else ""
        out.append(line.format(**r) + tail + "\n")
    return "".join(out)


def catalogs_json(rows: Rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


REPORTERS: dict[str, Callable[[Rows], str]] = {"text": catalogs_text, "json": catalogs_json}
