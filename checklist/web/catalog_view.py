"""What the draft page shows, as plain data: each clause beside the document's lines it was read
from, with its findings, its units (lead and supporting, picked from the draft's units) and its
recurrence as the page's form edits it; the problems in Chinese on their fields; and the data
the page's script needs (the draft version, the API, the problems)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from checklist.authoring.review import place_lines
from checklist.vocabulary import LEAD, SUPPORT
from checklist.web import catalog_words

EVERY = {"year": "每年", "half-year": "每半年", "quarter": "每季度", "month": "每月"}
MONTHS = {"first": "首月", "last": "末月", "next": "次月"}
ROLLS = {"next_working_day": "遇节假日顺延", "previous_working_day": "遇节假日提前"}


def draft_context(d: Any) -> dict:
    catalog = d.catalog
    problems = [catalog_words.problem(p) for p in d.problems]
    clause_ids = {c.get("id") for c in catalog["clauses"]}
    lines = d.source.get("lines", [])
    clauses = []
    for c in catalog["clauses"]:
        responsible = [x if isinstance(x, dict) else {"unit": x, "role": LEAD} for x in c.get("responsible", ())]
        source = [_line(x) for x in _with_header(lines, c.get("source_place"))]
        clauses.append(
            {
                "c": c,
                "source": source,
                "place": catalog_words.source_place(c.get("source_place")),
                "findings": [_finding(f) for f in d.findings if f.get("clause") == c.get("id")],
                "lead": [x["unit"] for x in responsible if x.get("role") == LEAD],
                "support": [x["unit"] for x in responsible if x.get("role") == SUPPORT],
                "recurrence": recurrence_form(c.get("recurrence")),
                "problems": [p for p in problems if p["clause"] == c.get("id")],
            }
        )
    loose = [_finding(f) for f in d.findings if f.get("clause") not in clause_ids and not f.get("deleted")]
    page_data = {
        "version": d.version,
        "api": url_for("api_catalogs.change", cid=d.catalog_id),
        "problems": problems,
        "open": len(d.open_findings),
        "publishable": d.publishable,
    }
    return {
        "d": d,
        "catalog": catalog,
        "clauses": clauses,
        "units": catalog.get("units", []),
        "loose": loose,
        "problems": problems,
        "meta_problems": [p for p in problems if p["clause"] is None],
        "not_placed": d.report.get("not_placed", []),
        "page_data": page_data,
        "every": EVERY,
        "months": MONTHS,
        "rolls": ROLLS,
        "error": None,
    }


def _line(x: list) -> dict:
    return {"place": catalog_words.place(x[2]), "cells": x[1].split("\t") if "\t" in x[1] else None, "text": x[1]}


def _with_header(lines: list, place: Any) -> list:
    """The lines a clause was read from; for a table row, the table's first row (its header) before it."""
    found = place_lines(lines, place)
    if isinstance(place, dict) and place.get("kind") == "table" and place.get("row", 1) > 1:
        first = place_lines(lines, {"kind": "table", "table": place.get("table"), "row": 1})
        return first + found
    return found


def _finding(f: dict) -> dict:
    return f | {"kind_name": catalog_words.FINDING_KINDS.get(f.get("kind", ""), f.get("kind", "")), "reviewed": bool(f.get("reviewed_by"))}


def recurrence_form(rec: Any) -> dict:
    """A recurrence as the page's fields: mode (every period, on dates, none), due, n, month, roll,
    times, dates, reason; ``other``: a shape the fields do not edit (kept as it is)."""
    form = {"mode": "", "due": "last", "n": "", "month": "first", "roll": "next_working_day", "times": "", "dates": "", "reason": ""}
    if not isinstance(rec, dict):
        return form
    if "none" in rec:
        return form | {"mode": "none", "reason": rec.get("none", "")}
    if "on" in rec:
        return form | {"mode": "on", "dates": "、".join(map(str, rec.get("on") or ())), "roll": rec.get("roll", "next_working_day")}
    due: dict = rec["due"] if isinstance(rec.get("due"), dict) else {}
    form |= {"mode": rec.get("every", ""), "times": rec.get("times", "")}
    if "working_day_of_month" in due:
        form |= {"due": "wd", "n": due["working_day_of_month"], "month": due.get("month", "first")}
    elif "day_of_month" in due:
        form |= {"due": "day", "n": due["day_of_month"], "month": due.get("month", "first"), "roll": due.get("roll", "next_working_day")}
    elif due.get("deadline"):
        form["due"] = "deadline"
    return form
