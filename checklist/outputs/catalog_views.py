"""`checklist catalogs`: the catalogs found, with their size, for people (text) or machines (JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable

from checklist.i18n import _

# a row of model.library.catalog_summaries(): id, title, doc_no, clauses, checks, units, path
Rows = list[dict]


def catalogs_text(rows: Rows) -> str:
    """A line per catalog: id, 文号, counts and title."""
    line = _("{id:<32} {doc_no:<20} {clauses:>4} clauses {checks:>4} checks {units:>3} units  {title}")
    return "".join(line.format(**r) + "\n" for r in rows)


def catalogs_json(rows: Rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


REPORTERS: dict[str, Callable[[Rows], str]] = {"text": catalogs_text, "json": catalogs_json}
