"""Responsibility lists written out: Markdown, CSV (UTF-8 with BOM), XLSX, and HTML/PDF from the
report template family."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from checklist.files import atomic
from checklist.files.spreadsheet import Sheet, csv_text, write_xlsx
from checklist.lists.duties import (
    LEAD_MARK,
    LIST_HEADER,
    SUPPORT_MARK,
    Matrix,
    UnitList,
    edition,
    markdown,
)
from checklist.outputs.pages import write_page
from checklist.outputs.templating import render_html
from checklist.vocabulary import DUTY_ROLE_NAMES

Writer = Callable[[list[UnitList], list[Matrix], Path], None]


def _markdown(lists: list[UnitList], matrices: list[Matrix], out: Path) -> None:
    atomic.write_text(out, markdown(lists, matrices))


def _csv(lists: list[UnitList], matrices: list[Matrix], out: Path) -> None:
    atomic.write_text(out, csv_text(["单位", *LIST_HEADER], [[ul.name, *row] for ul in lists for row in ul.rows]))


def _xlsx(lists: list[UnitList], matrices: list[Matrix], out: Path) -> None:
    sheets = [
        Sheet(f"矩阵 {m.catalog.id}", m.header, m.rows, heading=f"{m.catalog.title} 责任矩阵", doc_no=edition(m.catalog)) for m in matrices
    ]
    sheets += [
        Sheet(
            ul.name,
            LIST_HEADER,
            ul.rows,
            heading=f"{ul.name} 责任清单",
            doc_no="、".join(dict.fromkeys(edition(c) for c, _ in ul.units if edition(c))),
        )
        for ul in lists
    ]
    write_xlsx(out, sheets)


def _page(fmt: str) -> Writer:
    """The lists (and matrices) as a page in the report family: HTML, or PDF."""

    def write(lists: list[UnitList], matrices: list[Matrix], out: Path) -> None:
        html = render_html(
            "duties.html.j2",
            for_pdf=fmt == "pdf",
            lists=lists,
            matrices=matrices,
            lead_mark=LEAD_MARK,
            support_mark=SUPPORT_MARK,
            role_names=DUTY_ROLE_NAMES,
        )
        write_page(html, fmt, out)

    return write


def _docx(lists: list[UnitList], matrices: list[Matrix], out: Path) -> None:
    """Each unit's list in Word, from templates/duties.docx, for the office to edit and stamp
    (the matrix, whose columns are the units, stays in the PDF, HTML and XLSX)."""
    from checklist.outputs.docx import render_docx

    render_docx("duties.docx", docx_context(lists), out)


def docx_context(lists: list[UnitList]) -> dict:
    """What the Word template fills in: per unit, per document (cited, 文号, version), each duty's
    number, chapter, article, text, role, frequency and time limit, and questions."""
    units: list[dict[str, Any]] = []
    for ul in lists:
        documents: list[dict[str, Any]] = []
        for cat, _unit in ul.units:
            duties = [d for d in ul.duties if d.catalog is cat]
            rows = []
            for k, d in enumerate(duties, 1):
                row = d.row()
                rows.append(
                    {
                        "number": k,
                        "section": row[2],
                        "ref": row[3],
                        "text": row[4],
                        "role": row[5],
                        "when": "\n".join(x for x in (row[6], row[7]) if x),
                        "asks": row[8],
                    }
                )
            documents.append({"cited": cat.cited, "title": cat.title, "doc_no": cat.doc_no, "version": cat.version, "duties": rows})
        basis = "；".join(d["cited"] + (f"第{d['version']}版" if d["version"] else "") for d in documents)
        units.append({"name": ul.name, "basis": basis, "documents": documents})
    doc_nos = "、".join(dict.fromkeys(d["doc_no"] for u in units for d in u["documents"] if d["doc_no"]))
    return {"lists": units, "doc_nos": doc_nos}


# `checklist duties --format`: each writes the responsibility lists to a file
WRITERS: dict[str, Writer] = {"pdf": _page("pdf"), "html": _page("html"), "md": _markdown, "csv": _csv, "xlsx": _xlsx, "docx": _docx}
