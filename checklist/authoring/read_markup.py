"""Web pages and Markdown files read into the document model.

A web page: its paragraphs, headings (h1–h6), list items and tables (rowspan and colspan
honoured: a cell merged down repeats in the rows below it, a cell across the whole row is a
group row), in the order the page shows them; scripts, styles, forms and the page's navigation
(nav, header, footer, aside, role=navigation) are left out. A Markdown file: ``#`` headings,
paragraphs (lines joined until a blank line), list items and pipe tables.
"""

from __future__ import annotations

import re

from checklist.authoring.document import HEADING, PARAGRAPH, TABLE, Block, Document, Place, grid, squeeze

SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "select", "svg", "iframe", "head"}
BLOCKS = {"p", "div", "li", "dd", "dt", "pre", "blockquote", "section", "article", "main", "body", "ul", "ol", "dl", "center", "tr"}
LAYOUT_CELL = 300  # characters: a cell this long in a table of one or two rows is the page's text, not data
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class _Walk:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.text = ""
        self.paragraphs = 0
        self.tables = 0

    def flush(self, kind: str = PARAGRAPH, level: int = 0) -> None:
        lines = [squeeze(line) for line in self.text.split("\n")]
        text = "\n".join(line for line in lines if line)
        self.text = ""
        if text:
            self.paragraphs += 1
            self.blocks.append(Block(kind, Place("paragraphs", self.paragraphs), text, level))

    def walk(self, el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in SKIP or (el.get("role") or "").lower() == "navigation" or el.get("hidden") is not None:
            self.text += el.tail or "" if tag != "head" else ""
            return
        if tag == "table" and _layout(el):  # a table that lays the page out: its cells are the page's flow
            self.flush()
            for tr in (tr for tr in el.iter("tr") if _own(tr, el)):
                for td in (c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")):
                    self.text += td.text or ""
                    for child in td:
                        self.walk(child)
                    self.flush()
        elif tag == "table":
            self.flush()
            self.table(el)
        elif tag in HEADINGS:
            self.flush()
            self.text = _inline(el)
            self.flush(HEADING, HEADINGS[tag])
        elif tag == "br":
            self.text += "\n"
        else:
            block = tag in BLOCKS
            if block:
                self.flush()
            if tag == "li" and el.getparent() is not None and el.getparent().tag == "ol":
                number = len([s for s in el.itersiblings(preceding=True) if s.tag == "li"]) + 1
                self.text += f"{number}. " if not re.match(r"^\s*\S{0,4}[.、．)）]", el.text or "") else ""
            self.text += el.text or ""
            for child in el:
                self.walk(child)
            if block:
                self.flush()
        self.text += el.tail or ""

    def table(self, el) -> None:
        self.tables += 1
        number = self.tables
        raw: list[list[str | None]] = []
        pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still covered) of a cell merged down
        rows = [tr for tr in el.iter("tr") if _own(tr, el)]
        spans_whole: list[bool] = []
        for tr in rows:
            cells: list[str | None] = []
            col = 0
            whole = False
            tds = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
            for td in tds:
                while col in pending:
                    cells.append(None)
                    col = _advance(pending, col)
                colspan, rowspan = _span(td.get("colspan")), _span(td.get("rowspan"))
                text = _cell(td)
                cells.append(text)
                if len(tds) == 1 and colspan > 1:
                    whole = True
                cells += [""] * (colspan - 1)
                if rowspan > 1:
                    for k in range(col, col + colspan):
                        pending[k] = (text, rowspan - 1)
                col += colspan
            while col in pending:
                cells.append(None)
                col = _advance(pending, col)
            raw.append(cells)
            spans_whole.append(whole)
        places = [Place("table", k, table=number) for k in range(1, len(raw) + 1)]
        width = max((len(r) for r in raw), default=0)
        shaped = [[r[0], *[None] * (width - 1)] if w and width > 1 else r for r, w in zip(raw, spans_whole, strict=True)]
        self.blocks.append(Block(TABLE, Place("table", 1, table=number), rows=grid(shaped, places), number=number))


def _layout(table) -> bool:
    """Whether a table lays out the page rather than holding data: it holds another table, no row
    has two cells with text, or it has a row or two with a long text in a cell (the article itself)."""
    if any(t is not table for t in table.iter("table")):
        return True
    rows = [[td for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")] for tr in table.iter("tr") if _own(tr, table)]
    texts = [[_inline(td).strip() for td in row] for row in rows]
    if all(sum(1 for t in row if t) <= 1 for row in texts):
        return True
    return len(rows) <= 2 and any(len(t) > LAYOUT_CELL for row in texts for t in row)


def _advance(pending: dict[int, tuple[str, int]], col: int) -> int:
    text, left = pending[col]
    if left <= 1:
        del pending[col]
    else:
        pending[col] = (text, left - 1)
    return col + 1


def _own(tr, table) -> bool:
    """Whether a row belongs to this table, not to a table nested in one of its cells."""
    parent = tr.getparent()
    while parent is not None and parent.tag.lower() != "table":
        parent = parent.getparent()
    return parent is table


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _inline(el) -> str:
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in SKIP:
            parts.append(node.tail or "")
            return
        if tag == "br" or tag in BLOCKS or (tag in ("td", "th") and parts):
            parts.append("\n")
        parts.append(node.text or "")
        for child in node:
            walk(child)
        if tag in BLOCKS:
            parts.append("\n")
        parts.append(node.tail or "")

    parts.append(el.text or "")
    for child in el:
        walk(child)
    return "".join(parts)


def _cell(td) -> str:
    lines = [squeeze(line) for line in _inline(td).split("\n")]
    return "\n".join(line for line in lines if line)


CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)


def _decoded(data: bytes) -> str:
    """The page's text: by its byte-order mark, its declared charset (GBK and GB2312 read as
    GB18030, which holds them), else UTF-8, else GB18030 — the encodings Chinese pages use."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if m := CHARSET.search(data[:4096]):
        name = m[1].decode("ascii").lower()
        name = "gb18030" if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk") else name
        try:
            return data.decode(name, "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def read_html(data: bytes) -> Document:
    """A web page (bytes: its own charset declaration is honoured) as blocks."""
    import lxml.html

    text = _decoded(data)
    if not text.strip():
        return Document([], "html")
    root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", text))
    walk = _Walk()
    body = root.find("body")
    walk.walk(body if body is not None else root)
    walk.flush()
    return Document(walk.blocks, "html")


MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
MD_ITEM = re.compile(r"^\s*(?:[-*+]\s+)")
MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
EMPHASIS = re.compile(r"(\*\*|__|\*|`)(.+?)\1")


def read_markdown(text: str) -> Document:
    """A Markdown text as blocks; each block's place is its lines in the file."""
    blocks: list[Block] = []
    lines = text.split("\n")
    para: list[tuple[int, str]] = []
    table: list[tuple[int, list[str]]] = []
    tables = 0

    def flush() -> None:
        nonlocal para, table, tables
        if para:
            blocks.append(Block(PARAGRAPH, Place("lines", para[0][0], end=para[-1][0]), "".join(t for _, t in para)))
            para = []
        if table:
            tables += 1
            rows: list[list[str | None]] = [list(cells) for _, cells in table]
            places = [Place("lines", n) for n, _ in table]
            blocks.append(Block(TABLE, places[0], rows=grid(rows, places), number=tables))
            table = []

    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            flush()
        elif m := MD_HEADING.match(stripped):
            flush()
            blocks.append(Block(HEADING, Place("lines", number), _plain(m[2]), len(m[1])))
        elif stripped.startswith("|"):
            if para:
                flush()
            if not MD_RULE.match(stripped):
                table.append((number, [_plain(c) for c in stripped.strip("|").split("|")]))
        elif MD_ITEM.match(line):
            flush()
            para = [(number, _plain(MD_ITEM.sub("", line)))]
        else:
            if table:
                flush()
            para.append((number, _plain(stripped)))
    flush()
    return Document(blocks, "markdown")


def _plain(text: str) -> str:
    return squeeze(EMPHASIS.sub(r"\2", text))
