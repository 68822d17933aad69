"""Word files (.docx) read into the document model with python-docx.

Paragraphs in the order of the body, headings by their style (Heading 1–9, 标题 1–9), the numbers
Word draws for numbered paragraphs (1. （一） 第一条 …, from the numbering definitions: decimal and
Chinese counting formats, restarted below a higher level), and tables with merged cells: a cell
merged down repeats in the rows below it, a cell across the whole row is a group row.
"""

from __future__ import annotations

import re

from checklist.authoring.document import HEADING, PARAGRAPH, TABLE, Block, Document, Place, grid, squeeze
from checklist.model.refs import to_chinese

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "chineseLegalSimplified",
    "ideographTraditional",
    "ideographLegalTraditional",
}


def read_docx(path: str) -> Document:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(path)
    numbers = _Numbering(document)
    blocks: list[Block] = []
    paragraphs = tables = 0
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            p = Paragraph(child, document)
            text = numbers.label(p) + p.text
            text = "\n".join(squeeze(line) for line in text.split("\n") if squeeze(line))
            if not text:
                continue
            paragraphs += 1
            style = p.style.name if p.style is not None else ""
            level = int(m[1]) if (m := HEADING_STYLE.match(style or "")) else (1 if style == "Title" else 0)
            blocks.append(Block(HEADING if level else PARAGRAPH, Place("paragraphs", paragraphs), text, level))
        elif child.tag == f"{W}tbl":
            tables += 1
            blocks.append(_table(Table(child, document), tables))
    return Document(blocks, "docx")


def _table(table, number: int) -> Block:
    """Rows of cells; python-docx gives a merged cell once per grid column it covers: the same
    cell as the one to its left is covered by a span (None), the same as the one above repeats."""
    raw: list[list[str | None]] = []
    above: list = []
    for row in table.rows:
        cells: list[str | None] = []
        seen: list = []
        for k, cell in enumerate(row.cells):
            tc = cell._tc
            if k < len(above) and tc is above[k]:
                cells.append(None)  # merged down: repeats the text above
            elif seen and tc is seen[-1]:
                cells.append("")  # merged across: the columns it covers are empty
            else:
                lines = [squeeze(p.text) for p in cell.paragraphs]
                cells.append("\n".join(line for line in lines if line))
            seen.append(tc)
        if len(seen) > 1 and all(tc is seen[0] for tc in seen) and cells[0] is not None:  # one cell across the row
            cells = [cells[0], *[None] * (len(cells) - 1)]
        raw.append(cells)
        above = seen
    places = [Place("table", k, table=number) for k in range(1, len(raw) + 1)]
    return Block(TABLE, Place("table", 1, table=number), rows=grid(raw, places), number=number)


class _Numbering:
    """The labels Word draws before numbered paragraphs, counted as Word counts them."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId → ilvl → (start, format, text)
        self.counts: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(f"{W}abstractNumId"): a for a in root.iter(f"{W}abstractNum")}
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            definition = abstract.get(ref.get(f"{W}val")) if ref is not None else None
            if definition is None:
                continue
            levels = {}
            for lvl in definition.iter(f"{W}lvl"):
                start, fmt, text = lvl.find(f"{W}start"), lvl.find(f"{W}numFmt"), lvl.find(f"{W}lvlText")
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                    int(start.get(f"{W}val", "1")) if start is not None else 1,
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                )
            self.levels[num.get(f"{W}numId")] = levels

    def label(self, paragraph) -> str:
        ppr = paragraph._p.pPr
        numpr = ppr.numPr if ppr is not None else None
        style = paragraph.style
        while (numpr is None or numpr.numId is None) and style is not None:  # numbered by its style
            spr = style.element.pPr
            numpr = spr.numPr if spr is not None else None
            style = style.base_style
        if numpr is None or numpr.numId is None:
            return ""
        num, ilvl = str(numpr.numId.val), int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        levels = self.levels.get(num)
        if not levels or ilvl not in levels:
            return ""
        counts = self.counts.setdefault(num, [levels[k][0] - 1 if k in levels else 0 for k in range(9)])
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = levels[deeper][0] - 1 if deeper in levels else 0
        text = levels[ilvl][2]
        for k in range(ilvl + 1):
            value = counts[k]
            fmt = levels.get(k, (1, "decimal", ""))[1]
            shown = to_chinese(value) if fmt in CHINESE_FORMATS else "" if fmt in ("none", "bullet") else str(value)
            text = text.replace(f"%{k + 1}", shown)
        if levels[ilvl][1] == "bullet":
            return ""
        return text + ("" if text.endswith((" ", "、", "）", ")", "\u3000")) or not text else " ")
