"""PDF files read into the document model with pdfplumber.

Each page's ruled tables (drawn with lines) are read as tables, cell by cell, a merged cell
carried down; the text around them as lines of the page, top to bottom, each line's place its
page and line. Where a page draws no lines, a table is found by its header row — a line of known
column names (序号 服务项目 … 牵头单位) — and read by word positions: each word goes to the
column whose header stands above it, a row starts where the number column holds a number, and
the rows go on across pages until a line no longer fits the columns.
"""

from __future__ import annotations

import re

from checklist.authoring.document import LINE, TABLE, Block, Document, Place, grid, squeeze

LINE_TOLERANCE = 3  # points: words whose tops differ by less stand on one line
NUMBER = re.compile(r"^\d{1,3}$")


def read_pdf(path: str) -> Document:
    import pdfplumber

    blocks: list[Block] = []
    tables = 0
    carried: list[tuple[float, float]] | None = None  # a borderless table's columns, going on from the page before
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            ruled = page.find_tables()
            rest = page
            for t in ruled:
                rest = rest.outside_bbox(t.bbox)
            placed: list[tuple[float, Block]] = []
            for t in ruled:
                tables += 1
                rows = t.extract()
                places = [Place("table", k, page=number, table=tables) for k in range(1, len(rows) + 1)]
                text_rows = [[None if c is None else _unwrapped(c) for c in r] for r in rows]
                placed.append((t.bbox[1], Block(TABLE, places[0], rows=grid(text_rows, places), number=tables)))
            words = rest.extract_words(keep_blank_chars=False, use_text_flow=False)
            lines = _lines(words)
            bands = [b for b in _bands(words) if not _furniture(b)] if not ruled else []
            table_words: set[int] = set()
            start = 0
            while start < len(bands):
                found = carried if start == 0 and carried and _fits(bands[0], carried) else _header(bands[start])
                carried = None
                if not found:
                    start += 1
                    continue
                rows_found = [bands[start]]
                for band in bands[start + 1 :]:
                    if not _fits(band, found):
                        break
                    rows_found.append(band)
                tables += 1
                placed.append(_borderless(rows_found, found, number, tables))
                table_words |= {id(w) for band in rows_found for w in band}
                start += len(rows_found)
                if start == len(bands):  # the table reaches the page's end: it may go on over the next page
                    carried = found
            k = 0
            for line in lines:
                if any(id(w) in table_words for w in line):
                    continue
                k += 1
                placed.append((line[0]["top"], Block(LINE, Place("lines", k, page=number), _text(line))))
            blocks += [b for _, b in sorted(placed, key=lambda tb: tb[0])]
    return Document(blocks, "pdf")


def _unwrapped(cell: str) -> str:
    """A ruled cell's text: the lines its column wrapped joined again, unless every line is a unit's
    name (a list of units, one per line, kept apart)."""
    from checklist.authoring.duties import looks_like_unit

    lines = [line.strip() for line in cell.split("\n") if line.strip()]
    return "\n".join(lines) if len(lines) > 1 and all(looks_like_unit(line) for line in lines) else "".join(lines)


def _lines(words: list[dict]) -> list[list[dict]]:
    out: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if out and abs(out[-1][0]["top"] - w["top"]) < LINE_TOLERANCE:
            out[-1].append(w)
        else:
            out.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in out]


def _text(line: list[dict]) -> str:
    out = ""
    for w in line:
        gap = w["x0"] - line[line.index(w) - 1]["x1"] if out else 0
        out += (" " if gap > 1 and out else "") + w["text"]
    return squeeze(out)


def _furniture(band: list[dict]) -> bool:
    """Whether a band is a page number or running header, not part of the page's text or table."""
    from checklist.authoring.pdf_text import debris_kind

    return debris_kind("".join(w["text"] for w in band)) is not None


def _bands(words: list[dict]) -> list[list[dict]]:
    """Words in bands of the page: words whose heights overlap, directly or through others, are in
    one band — a table row whose cells are centred or wrapped over lines is one band."""
    out: list[list[dict]] = []
    bottom = float("-inf")
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if out and w["top"] < bottom - 0.5:
            out[-1].append(w)
            bottom = max(bottom, w["bottom"])
        else:
            out.append([w])
            bottom = w["bottom"]
    return out


def _header(band: list[dict]) -> list[tuple[float, float]] | None:
    """The columns a header row sets — (where a column's words may start, how far they may
    reach) — when its words, joined by column, are column names: 序号 or 编号 first and at least
    two more known ones. A name wrapped over lines (序 / 号) is one column."""
    from checklist.authoring.table_layout import HEADER_NAMES

    clusters: list[list[dict]] = []
    for w in sorted(band, key=lambda w: w["x0"]):
        if clusters and w["x0"] < max(c["x1"] for c in clusters[-1]) - 0.5:
            clusters[-1].append(w)
        else:
            clusters.append([w])
    names = ["".join(w["text"] for w in sorted(c, key=lambda w: (w["top"], w["x0"]))) for c in clusters]
    if len(names) < 3 or names[0] not in ("序号", "编号") or sum(n in HEADER_NAMES for n in names) < 3:
        return None
    starts = [min(w["x0"] for w in c) for c in clusters]
    ends = [max(w["x1"] for w in c) for c in clusters]
    out = []
    for k in range(len(clusters)):
        left = (ends[k - 1] + starts[k]) / 2 if k else float("-inf")
        reach = starts[k + 1] + 2 if k + 1 < len(clusters) else float("inf")
        out.append((left, reach))
    return out


def _column(word: dict, columns: list[tuple[float, float]]) -> int | None:
    k = max((i for i, (left, _) in enumerate(columns) if word["x0"] >= left), default=None)
    return k if k is not None and word["x1"] <= columns[k][1] else None


def _fits(band: list[dict], columns: list[tuple[float, float]]) -> bool:
    """Whether a band is a row of the table: every word inside its column, and the number column
    holding a number or nothing (a paragraph after the table starts there too); or one group
    heading (一、… （一）…) alone."""
    from checklist.authoring.pdf_text import DOMAIN, PAREN_NUM

    if len(band) == 1 and (DOMAIN.match(band[0]["text"]) or PAREN_NUM.match(band[0]["text"])):
        return True
    placed = [(_column(w, columns), w) for w in band]
    return all(k is not None for k, _ in placed) and all(NUMBER.match(w["text"]) for k, w in placed if k == 0)


def _borderless(bands: list[list[dict]], columns: list[tuple[float, float]], page: int, number: int) -> tuple[float, Block]:
    """Rows of a table without ruling lines, a band each: a band with a number in the first
    column, or a group heading alone, starts a row; any other band adds to the row above."""
    from checklist.authoring.pdf_text import DOMAIN, PAREN_NUM

    rows: list[list[str | None]] = []
    places: list[Place] = []
    width = len(columns)
    for k, band in enumerate(bands):
        cells = [""] * width
        whole = k > 0 and width > 1 and len(band) == 1 and (DOMAIN.match(band[0]["text"]) or PAREN_NUM.match(band[0]["text"]))
        for w in sorted(band, key=lambda w: (w["top"], w["x0"])):
            col = _column(w, columns)
            cells[col if col is not None else 0] += w["text"]
        if whole:
            rows.append([cells[0], *[None] * (width - 1)])
        elif k == 0 or NUMBER.match(cells[0]) or not rows:
            rows.append(list(cells))
        else:
            previous = rows[-1]
            for c in range(width):
                previous[c] = (previous[c] or "") + cells[c]
            continue
        places.append(Place("table", len(rows), page=page, table=number))
    return bands[0][0]["top"], Block(TABLE, places[0], rows=grid(rows, places), number=number)
