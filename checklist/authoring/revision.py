"""A revised document imported over a published catalog: what the reviewer wrote for the earlier
version is kept where the document did not change. A clause with the same id and the same text
(spaces aside) keeps the earlier version's questions, tags, recurrence and the other fields an
import cannot read; units keep their aliases and type; a title or source detail the import could
not find is the earlier version's. Everything else is as the new document has it."""

from __future__ import annotations

from checklist.authoring.source_details import TODO

KEPT = ("checks", "tags", "recurrence", "frequency", "kind", "kinds", "deadline", "safety_lead")


def carry_over(new: dict, earlier: dict) -> list[str]:
    """Fill ``new`` (a draft catalog) from ``earlier`` (the published version it revises); the ids
    of the clauses that kept the earlier version's questions and fields."""
    if str(new.get("title", "")).startswith(TODO) and earlier.get("title"):
        new["title"] = earlier["title"]
    source = new.setdefault("source", {})
    for key, value in (earlier.get("source") or {}).items():
        source.setdefault(key, value)
    units = {u["id"]: u for u in earlier.get("units", ()) if isinstance(u, dict) and "id" in u}
    for u in new.get("units", ()):
        old = units.get(u.get("id"))
        if old and old.get("name") == u.get("name"):
            for key in ("aliases", "type"):
                if key in old and key not in u:
                    u[key] = old[key]
    for key in ("unit_groups", "kinds", "facts", "tables"):
        if key in earlier and key not in new:
            new[key] = earlier[key]
    before = {c["id"]: c for c in earlier.get("clauses", ()) if isinstance(c, dict) and "id" in c}
    kept = []
    for c in new.get("clauses", ()):
        old = before.get(c.get("id"))
        if old is None or _words(old) != _words(c):
            continue
        for key in KEPT:
            if key in old:
                c[key] = old[key]
        kept.append(c["id"])
    return kept


def _words(clause: dict) -> str:
    text = clause.get("text") or "".join(f"{k}{v}" for k, v in (clause.get("fields") or {}).items())
    return "".join(str(text).split())
