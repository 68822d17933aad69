"""A document imported for review in the browser (the web app's catalog drafts): the draft, the
quality report's findings each on its clause — kept apart from the clauses' notes, since the
reviewer marks each one reviewed —, and the document's own lines with their places, so that a
clause is shown beside the lines or the table row it was read from (its ``source_place``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from checklist.authoring.document import Place
from checklist.authoring.import_report import AUTO, REVIEW, Report, import_document, read_source
from checklist.authoring.importer import Draft
from checklist.authoring.readers import format_of

RADICAL = "ambiguous radical"  # a finding kind of its own here: the report lists them apart


def import_for_review(path: str, catalog_id: str, name: str = "", layout: str = AUTO) -> dict:
    """The document at ``path`` (its suffix says how to read it; ``name``: the file's name as the
    user knows it) imported as a draft to review, as plain data: ``catalog`` (the draft, its
    notes free of the report's marks), ``findings`` (each with the clause it is on, if any),
    ``report`` (layout, why, lines accounted for, lines not placed) and ``source`` (every line of
    the document as read, with its place). Raises what the import raises: a Refusal for a file
    that cannot be read, UnfitTextError for a text no layout reads."""
    text, rendered = read_source(path)
    draft, report = import_document(text, layout, catalog_id=catalog_id, rendered=rendered)
    report.places = draft.places
    _unmark(draft, report)
    places = rendered.places if rendered else {}
    lines = text.removesuffix("\n").split("\n") if text else []
    source = [[n, line, place_data(places[n]) if n in places else {"kind": "lines", "index": n}] for n, line in enumerate(lines, 1)]
    by_line = {n: cid for cid, numbers in draft.clause_lines.items() for n in numbers}
    findings: list[dict[str, Any]] = [
        {"line": f.line, "kind": f.kind, "message": f.message, "clause": f.clause or by_line.get(f.line, ""), "blocking": f.blocking}
        for f in report.findings
    ]
    findings += [
        {"line": s.line, "kind": RADICAL, "message": str(s), "clause": by_line.get(s.line, ""), "blocking": False}
        for s in report.suspicious
    ]
    for k, f in enumerate(findings, 1):
        f["id"] = k
        f["place"] = report.places.get(f["line"], "")
    return {
        "catalog": draft.catalog,
        "findings": findings,
        "report": _summary(report),
        "source": {"name": name or path, "format": format_of(name or path), "lines": source},
    }


def place_data(place: Place) -> dict:
    """A line's place as plain data, its empty parts left out."""
    return {k: v for k, v in asdict(place).items() if v or k in ("kind", "index")}


def _summary(report: Report) -> dict:
    data = report.as_dict()
    return {k: data[k] for k in ("layout", "why", "lines", "items", "not_placed")}


def _unmark(draft: Draft, report: Report) -> None:
    """Take the report's marks (待核对：…) off the clauses' notes: on the review page each finding
    stands on its clause by itself, to be marked reviewed."""
    by_id = {c["id"]: c for c in draft.catalog["clauses"]}
    for f in reversed(report.findings):  # marked in order, each before the last: taken off in reverse
        clause = by_id.get(f.clause)
        mark = f"{REVIEW}{f.message}"
        if clause is None or not clause.get("note", "").startswith(mark):
            continue
        rest = clause["note"][len(mark) :].removeprefix("；")
        if rest:
            clause["note"] = rest
        else:
            del clause["note"]


def place_lines(lines: list, place: dict | None) -> list:
    """The document's lines (``[number, text, place]`` as ``import_for_review`` keeps them) that a
    clause's ``source_place`` covers: its table's rows, its paragraphs, or its lines (of its page)."""
    if not isinstance(place, dict) or "kind" not in place:
        return []
    kind, page = place["kind"], place.get("page", 0)
    if kind == "table":
        first = place.get("row", 0)
        last = place.get("to", first)
        return [x for x in lines if x[2]["kind"] == "table" and x[2].get("table") == place.get("table") and first <= x[2]["index"] <= last]
    first, last = place.get("from", 0), place.get("to", place.get("from", 0))
    out = []
    for x in lines:
        p = x[2]
        if p["kind"] != kind or (kind == "lines" and p.get("page", 0) != page):
            continue
        if p["index"] <= last and max(p["index"], p.get("end", 0)) >= first:
            out.append(x)
    return out
