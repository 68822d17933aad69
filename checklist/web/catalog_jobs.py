"""The catalog pages' work for the worker pool (``server.PdfPool``): importing an uploaded
document, and writing a 责任清单 as PDF, XLSX or Word. Each runs in a worker process, so a long
PDF import or render never holds up another user's request, and each reports a refusal as data
written to its output (an exception from another process may not survive the trip back)."""

from __future__ import annotations

import json
from pathlib import Path

from checklist.web.paper import Done

FORMATS = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FORMATS["docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CALENDARS = {"xlsx": FORMATS["xlsx"], "ics": "text/calendar", "pdf": "application/pdf"}


def import_document(path: str, catalog_id: str, name: str, folder: str, out: Path) -> Done:
    """``authoring.review.import_for_review`` of the uploaded file, as JSON in ``out``: the draft's
    data, or ``{"refused": {code, field, params}}`` / ``{"unfit": message}``."""
    from checklist.authoring.review import import_for_review
    from checklist.errors import Refusal, UnfitTextError
    from checklist.model.library import use_published

    use_published(Path(folder) if folder else None)
    try:
        data: dict = import_for_review(path, catalog_id, name)
    except Refusal as e:
        data = {"refused": {"code": e.code, "field": e.field, "params": {k: _plain(v) for k, v in e.params.items()}}}
    except UnfitTextError as e:
        data = {"unfit": e.message}
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return Done()


def _plain(value: object) -> object:
    return [str(x) for x in value] if isinstance(value, (list, tuple)) else str(value)


def duties(ref: str, unit: str, fmt: str, folder: str, out: Path) -> Done:
    """The 责任清单 of catalog ``ref`` (an id or id@N) for ``unit`` (or, when empty, for every unit,
    with the matrix where the format has one), as ``checklist duties`` writes it."""
    from checklist.errors import ChecklistError
    from checklist.lists.duties import matrix, unit_list
    from checklist.model.library import load_catalog, use_published
    from checklist.outputs.duties_report import WRITERS

    use_published(Path(folder) if folder else None)
    try:
        cat = load_catalog(ref)
        if unit:
            lists, matrices = [unit_list([cat], unit)], []
        else:
            matrices = [matrix(cat)]
            lists = [unit_list([cat], u.name) for u in matrices[0].units]
        WRITERS[fmt](lists, matrices, out)
    except ChecklistError as e:
        return Done(str(e))
    return Done()


def calendar(ref: str, unit: str, year: int, fmt: str, folder: str, today: str, out: Path) -> Done:
    """``unit``'s duty calendar from catalog ``ref`` for ``year``, as ``checklist calendar`` writes it."""
    import datetime as dt

    from checklist.errors import ChecklistError
    from checklist.model.library import use_published
    from checklist.outputs.calendar_report import make_calendar

    use_published(Path(folder) if folder else None)
    try:
        make_calendar([ref], [unit], dt.date(year, 1, 1), dt.date(year, 12, 31), fmt=fmt, out=out, today=dt.date.fromisoformat(today))
    except ChecklistError as e:
        return Done(str(e))
    return Done()
