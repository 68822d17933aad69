"""A document as it was published, read into one model the layouts share: headings, paragraphs
and tables (rows of cells, merged cells already carried down), each with its place in the source.

One reader per format makes the model (``read_markup`` for HTML and Markdown, ``read_docx``,
``read_pdf``; ``readers`` picks one by the file's suffix); plain text is read as today, line by line. The model is written out as lines — a
heading or paragraph a line of its own, a table row a line with its cells separated by tabs — so
every line the import report accounts for is a place in the source: a paragraph, a table row, or
a line of a PDF page. The table layout reads a model's tables from their cells, not from that text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checklist.i18n import _

HEADING, PARAGRAPH, TABLE, LINE = "heading", "paragraph", "table", "line"
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


@dataclass(frozen=True)
class Place:
    """Where a block (or one line of it) stands in the source: paragraph ``index`` of a web page
    or Word file, row ``index`` of table ``table``, or line ``index`` of a text (of PDF page ``page``)."""

    kind: str  # "paragraphs", "table" or "lines"
    index: int
    page: int = 0
    table: int = 0
    end: int = 0  # the last line of a block read from several (a Markdown paragraph)

    def __str__(self) -> str:
        where = {
            "paragraphs": _("paragraph {n}").format(n=self.index),
            "table": _("table {table} row {n}").format(table=self.table, n=self.index),
            "lines": _("line {n}").format(n=self.index),
        }
        return (_("page {n} ").format(n=self.page) if self.page else "") + where[self.kind]


@dataclass
class Row:
    """One table row: a text per column (a cell merged down from the row above repeats its text;
    ``carried`` holds those columns), and whether one cell spans the whole row (a group row)."""

    cells: list[str]
    place: Place
    carried: set[int] = field(default_factory=set)
    whole: bool = False


@dataclass
class Block:
    kind: str  # HEADING, PARAGRAPH, TABLE, or LINE (a line of extracted text, maybe wrapped)
    place: Place
    text: str = ""
    level: int = 0  # a heading's level, 1 for the highest
    rows: list[Row] = field(default_factory=list)
    number: int = 0  # a table's number in the document (1-based)


@dataclass
class Document:
    blocks: list[Block]
    format: str = "text"

    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == TABLE]


@dataclass
class Rendered:
    """The model as lines: the text, each line's place, the lines that start a block of their own
    (a paragraph, heading or table row: never joined to the line before), and each table row's line."""

    text: str
    places: dict[int, Place]
    starts: set[int]
    rows: dict[int, tuple[Block, int]]  # line → (table, row index)
    headings: dict[int, int]  # line → heading level


def squeeze(text: str) -> str:
    """Runs of spaces (ideographic and no-break ones too) as one space, the ends trimmed."""
    return _SPACES.sub(" ", text).strip()


def cell_line(text: str) -> str:
    """A cell's text on one line: its own line breaks become spaces."""
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


def render(document: Document) -> Rendered:
    lines: list[str] = []
    out = Rendered("", {}, set(), {}, {})
    for block in document.blocks:
        if block.kind == TABLE:
            for k, row in enumerate(block.rows):
                lines.append("\t".join(cell_line(c) for c in row.cells).rstrip("\t") or " ")
                out.places[len(lines)] = row.place
                out.starts.add(len(lines))
                out.rows[len(lines)] = (block, k)
            continue
        for part in block.text.split("\n") if block.kind != LINE else [block.text]:
            if not part.strip() and block.kind != LINE:
                continue
            lines.append(part)
            out.places[len(lines)] = block.place
            if block.kind != LINE:
                out.starts.add(len(lines))
            if block.kind == HEADING:
                out.headings[len(lines)] = block.level
    out.text = "\n".join(lines)
    return out


def place_of(places: dict[int, Place], lines: list[int]) -> dict:
    """The place of a clause that holds these lines, as the draft records it (``source_place``)."""
    found = [places[n] for n in sorted(lines) if n in places]
    if not found:
        return {}
    first = found[0]
    same = [max(p.index, p.end) for p in found if p.kind == first.kind and p.page == first.page and p.table == first.table]
    out: dict = {"kind": first.kind} | ({"page": first.page} if first.page else {})
    if first.kind == "table":
        out |= {"table": first.table, "row": first.index}
        if max(same) != first.index:
            out["to"] = max(same)
    else:
        out |= {"from": first.index, "to": max(same)}
    return out


def text_places(lines: list[int]) -> dict:
    """The place of a clause in a plain text: its first and last line."""
    return {"kind": "lines", "from": min(lines), "to": max(lines)} if lines else {}


def grid(rows: list[list[str | None]], places: list[Place]) -> list[Row]:
    """Rows of cells as a reader found them, ``None`` where a merged cell covers the place: a row
    whose cells after the first are all covered is a group row; any other covered cell repeats
    the text above it (a cell merged down)."""
    width = max((len(r) for r in rows), default=0)
    out: list[Row] = []
    for cells, place in zip(rows, places, strict=True):
        cells = list(cells) + [""] * (width - len(cells))
        if width > 1 and cells[0] and all(c is None for c in cells[1:]):
            out.append(Row([cells[0], *[""] * (width - 1)], place, whole=True))
            continue
        row = Row([], place)
        for k, c in enumerate(cells):
            if c is None:
                above = out[-1].cells[k] if out and not out[-1].whole else ""
                row.cells.append(above)
                if above:
                    row.carried.add(k)
            else:
                row.cells.append(c.strip())
        out.append(row)
    return out
