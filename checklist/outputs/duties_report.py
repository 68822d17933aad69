"""Responsibility lists written out: Markdown, CSV (UTF-8 with BOM), XLSX, and HTML/PDF from the
report template family."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checklist.files import atomic
from checklist.files.spreadsheet import Sheet, csv_text, write_xlsx
from checklist.lists.duties import (
    LEAD_MARK,
    LIST_HEADER,
    SUPPORT_MARK,
    Matrix,
    UnitList,
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
        Sheet(f"矩阵 {m.catalog.id}", m.header, m.rows, heading=f"{m.catalog.title} 责任矩阵", doc_no=m.catalog.doc_no) for m in matrices
    ]
    sheets += [
        Sheet(
            ul.name,
            LIST_HEADER,
            ul.rows,
            heading=f"{ul.name} 责任清单",
            doc_no="、".join(dict.fromkeys(c.doc_no for c, _ in ul.units if c.doc_no)),
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


# `checklist duties --format`: each writes the responsibility lists to a file
WRITERS: dict[str, Writer] = {"pdf": _page("pdf"), "html": _page("html"), "md": _markdown, "csv": _csv, "xlsx": _xlsx}
