"""Responsibility lists written out: Markdown, CSV (UTF-8 with BOM), XLSX, and HTML/PDF from the
report template family."""

from __future__ import annotations

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


def write(lists: list[UnitList], matrices: list[Matrix], fmt: str, out: Path) -> None:
    if fmt == "md":
        atomic.write_text(out, markdown(lists, matrices))
    elif fmt == "csv":
        atomic.write_text(out, csv_text(["单位", *LIST_HEADER], [[ul.name, *row] for ul in lists for row in ul.rows]))
    elif fmt == "xlsx":
        sheets = [Sheet(f"矩阵 {m.catalog.id}", m.header, m.rows) for m in matrices]
        sheets += [Sheet(ul.name, LIST_HEADER, ul.rows) for ul in lists]
        write_xlsx(out, sheets)
    else:
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
