"""One row of an extracted table split into its cells.

Runs of spaces separate cells, but not every space is a boundary: extractors set a single space
before a Kangxi radical (学 ⽣) and next to digits (按 5∶5), and cells hold spaces of their own
(市 中医局). Each separator is ranked by how surely it separates; a row is split at the rank that
gives the header's number of cells, or not at all. Tabs separate every cell, empty ones too.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations

from checklist.authoring.radicals import fold_radicals

SPACE = re.compile(r"[ \t\u3000]+")
RADICAL = re.compile("[\u2e80-\u2fdf]")
SOFT_BEFORE = "、（(“‘《"  # a single space after these, or before the next set, is no cell boundary
SOFT_AFTER = "）)”’》、，。；："
OPENING = "“‘《（("  # a single space before these is more often inside a cell than between two
ALIGN_SLACK = 2  # display columns a wrapped piece may start off its column's start
MAX_WRAPS = 4  # a row wrapped onto more lines than this is column text, not a row: not guessed


def raw_cells(raw: str) -> list[str]:
    """A line's cells: split at each tab when it has tabs (an empty cell stays), else at runs of spaces."""
    raw = raw.strip()
    return [c.strip() for c in raw.split("\t")] if "\t" in raw else SPACE.split(raw)


def aligned_cells(first: str, more: list[str], counts: set[int]) -> list[str] | None:
    """A row whose cells wrap inside their columns, as a layout-keeping extractor prints it: each
    line of the wrap starts its pieces under the columns they belong to. Positions are counted
    in display columns (a Chinese character is two). None unless every piece starts at a column."""
    columns = _segments(first)[1:]  # the number's cell dropped
    if len(columns) not in counts or not all(line[:1].isspace() for line in more):
        return None
    texts = [text for _, text in columns]
    for line in more:
        for start, text in _segments(line):
            near = [i for i, (at, _) in enumerate(columns) if abs(at - start) <= ALIGN_SLACK]
            if not near:
                return None
            texts[near[0]] += text
    return texts


def _segments(line: str) -> list[tuple[int, str]]:
    """(display column where it starts, text) of each piece of a line, split at rank-2 separators."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in re.finditer(r"\S+|\s+", line):
        piece = m.group()
        if not piece.isspace():
            before = line[: m.start()].rstrip()
            gap = line[len(before) : m.start()]
            if out and before and _rank(before, gap, piece) < 2:
                out[-1] = (out[-1][0], out[-1][1] + (gap if _ascii_pair(before, piece) else "") + piece)
            else:
                out.append((pos, piece))
        pos += sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in piece)
    return out


class Cells(list):
    """A row's cells; ``weak`` when they were told apart only at single spaces before a digit or an
    opening quote, where cells are more often one than two (按 5∶5 …): a split to check."""

    weak = False


def row_cells(first: str, more: list[str], counts: set[int]) -> list[str] | None:
    """Split a row's text (its first line after the number, and the lines it wrapped onto) into
    ``counts`` cells. Each wrap is tried joined into one cell first, then as a cell boundary."""
    if len(more) > MAX_WRAPS:
        return None
    for k in range(len(more) + 1):
        for split_at in combinations(range(len(more)), k):
            text = first
            for j, line in enumerate(more):
                text += ("  " if j in split_at else "") + line
            if (cells := _split(text, counts)) is not None:
                return cells
    return None


def _split(text: str, counts: set[int]) -> list[str] | None:
    """Cells of one row. Runs of spaces separate them, ranked by how surely: two or more spaces
    or a tab (3); one space between ordinary characters (2); one before a digit or an opening
    quote (1: 按照 “地方先行”); one the extractor set before a radical or inside brackets (0:
    学 ⽣). The cut at rank 2 is tried first, then 3, then 1; a count that fits none is no row."""
    parts = SPACE.split(text.strip())
    seps = SPACE.findall(text.strip())
    ranks = [_rank(parts[i], seps[i], parts[i + 1]) for i in range(len(seps))]
    for least in (2, 3, 1):
        cuts = [r >= least for r in ranks]
        if sum(cuts) + 1 in counts:
            cells, current = Cells(), parts[0]
            cells.weak = least == 1 and any(r == 1 for r in ranks)
            for cut, sep, part in zip(cuts, seps, parts[1:], strict=True):
                if cut:
                    cells.append(current)
                    current = part
                else:
                    current += (sep if _rank(current, sep, part) > 0 or _ascii_pair(current, part) else "") + part
            cells.append(current)
            return cells
    return None


def _rank(before: str, sep: str, after: str) -> int:
    if len(sep) > 1 or sep != " ":
        return 3
    a, b = before[-1:], after[:1]
    if RADICAL.match(b) or a in SOFT_BEFORE or b in SOFT_AFTER or (a.isascii() and b.isascii()):
        return 0
    return 1 if b.isdigit() or b in OPENING or a.isascii() else 2


def _ascii_pair(before: str, after: str) -> bool:
    return before[-1:].isascii() and after[:1].isascii()


def cell_text(raw: str, fixes: dict[str, str]) -> str:
    """A cell's text: the extractor's single spaces before radicals and next to digits dropped, radicals folded."""
    parts = SPACE.split(raw.strip())
    seps = SPACE.findall(raw.strip())
    text = parts[0]
    for sep, part in zip(seps, parts[1:], strict=True):
        text += (sep if _rank(text, sep, part) > 1 or _ascii_pair(text, part) else "") + part
    return fold_radicals(text, fixes).strip()
