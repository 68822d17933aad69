"""Cells told apart by the width of their lines, for a table extracted column by column with no
blank line between its cells.

A PDF wraps each cell at its column's width, so every line of a cell but the last is (nearly)
as wide as the column, and the last is no wider. An item's lines can then be cut into its cells
only in the ways that keep this true. The cuts that are the only way for their item teach the
columns' widths; the widths then decide the items that had more than one way, and where they
still allow two, the cut where every line ending a sentence (。；) ends its cell is taken. An item
left with more than one way, or none, is not guessed.
"""

from __future__ import annotations

import statistics
import unicodedata
from functools import cache
from itertools import pairwise

SLACK = 1  # display columns: a full line with a digit in it is one narrower (a digit is half a character)
SENTENCE_ENDS = ("。", "；")
CLOSERS = "”’）)"
MAX_WAYS = 100  # an item its widths let be cut in more ways than this is not guessed


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _groups(widths: list[int], cuts: tuple[int, ...]) -> list[list[int]]:
    bounds = (0, *cuts, len(widths))
    return [widths[a:b] for a, b in pairwise(bounds)]


def _cell_fits(group: list[int], width: int | None) -> bool:
    """Whether lines of these widths can be one cell: its wrapped lines full, its last no wider,
    and (where the column's width is known) all of them as wide as the column allows."""
    full = group[:-1]
    own = max(full) if full else None
    if own is not None and (any(own - w > SLACK for w in full) or group[-1] > own + SLACK):
        return False
    if width is not None:
        if own is not None and abs(own - width) > SLACK:
            return False
        if group[-1] > width + SLACK:
            return False
    return True


def _ways(widths: list[int], k: int, columns: list[int | None]) -> list[tuple[int, ...]]:
    """Every way to cut the lines into ``k`` cells that fit; more than ``MAX_WAYS`` is as good as
    none (the item is not guessed). The ways from each line and column on are counted once."""
    m = len(widths)

    @cache
    def count(start: int, column: int) -> int:
        if column == k - 1:
            return int(_cell_fits(widths[start:], columns[column]))
        ends = range(start + 1, m - (k - column - 1) + 1)
        return min(MAX_WAYS + 1, sum(count(end, column + 1) for end in ends if _cell_fits(widths[start:end], columns[column])))

    def ways_from(start: int, column: int) -> list[tuple[int, ...]]:
        if column == k - 1:
            return [()]
        out = []
        for end in range(start + 1, m - (k - column - 1) + 1):
            if count(end, column + 1) and _cell_fits(widths[start:end], columns[column]):
                out += [(end, *rest) for rest in ways_from(end, column + 1)]
        return out

    if k < 1 or m < k or not 0 < count(0, 0) <= MAX_WAYS:
        return []
    return ways_from(0, 0)


def cut_by_width(items: list[list[str]], k: int) -> list[list[str] | None]:
    """Each item's lines cut into ``k`` cells (lines of a cell joined), or None where the widths
    leave more than one way or none."""
    widths = [[display_width(line) for line in lines] for lines in items]
    unknown: list[int | None] = [None] * k
    first = [_ways(w, k, unknown) for w in widths]
    learnt: list[list[int]] = [[] for _ in range(k)]
    for w, ways in zip(widths, first, strict=True):
        if len(ways) == 1:
            for c, group in enumerate(_groups(w, ways[0])):
                if len(group) > 1:
                    learnt[c].append(max(group[:-1]))
    columns: list[int | None] = [round(statistics.median(ws)) if ws else None for ws in learnt]
    out: list[list[str] | None] = []
    for lines, w in zip(items, widths, strict=True):
        ways = _ways(w, k, columns)
        if len(ways) > 1:  # widths allow more than one cut: keep those where every sentence end closes its cell
            ends = {i + 1 for i, line in enumerate(lines) if line.rstrip(CLOSERS).endswith(SENTENCE_ENDS)}
            ways = [cuts for cuts in ways if ends - {len(lines)} <= set(cuts)]
        if len(ways) != 1:
            out.append(None)
            continue
        bounds = (0, *ways[0], len(lines))
        out.append(["".join(lines[a:b]) for a, b in pairwise(bounds)])
    return out
