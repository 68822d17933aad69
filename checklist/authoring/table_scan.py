"""Item numbers a table's reading missed, looked for in the text itself.

When a PDF's table comes out with its columns interleaved, item numbers no longer start their
lines: they stand inside the text (⾷品药品45安全保障 …, 符合条职⼯基本 19件的…) or alone on a
line. After the rows are read, each number missing from the count (between two items read, or
after the last one) is looked for, in order, in the lines where it must stand; a number found
there starts an item of its own, kept with its text as extracted and marked (its cells cannot be
told apart), and a number found nowhere is reported as missing, with the reason. So no item
after the last one read is lost without a finding.
"""

from __future__ import annotations

import re
from itertools import pairwise

from checklist.authoring.table_model import GAP_MAX, Item, Missing, Table
from checklist.i18n import _

SCAN_WINDOW = 120  # lines after the last item found in which the next number is looked for
# a number that is an amount, a share, a date or a count, not an item number
_NOT_AFTER = "\\d.．%％×〕号年月日岁周个万亿元套项级种类次小时天期位人名所"
_NOT_BEFORE = "\\d.．%％×〔第"


def _token(k: int) -> re.Pattern[str]:
    return re.compile(rf"(?<![{_NOT_BEFORE}]){k}(?![{_NOT_AFTER}])")


def locate(table: Table, lines: list[tuple[int, str]]) -> None:
    """Find the numbers the reading missed in ``lines`` (the table's body, in order) and give each
    found one an item of its own; the lines of every item are then those from its start to the
    next item's. The table's gap findings are made again for the numbers still missing."""
    if not table.items:
        return
    text = dict(lines)
    order = [n for n, _ in lines]
    index = {n: i for i, n in enumerate(order)}
    found: list[tuple[int, int]] = sorted((item.lines[0], item.number) for item in table.items if item.lines[0] in index)
    new: list[tuple[int, int]] = []
    for (first, a), (second, b) in pairwise(found):
        start = index[first] + 1
        for k in range(a + 1, b):
            hit = _find(k, order[start : index[second] + 1], text)
            if hit is not None:
                new.append((hit, k))
                start = index[hit] + 1
    last_line, k = found[-1]
    start = index[last_line] + 1
    while start < len(order):
        window = order[start : start + SCAN_WINDOW]
        hits = [(hit, n) for n in range(k + 1, k + 1 + GAP_MAX) if (hit := _find(n, window, text)) is not None]
        if not hits:
            break
        hit, k = min(hits, key=lambda h: (h[1], index[h[0]]))
        new.append((hit, k))
        start = index[hit] + 1
    if not new:
        return
    members = sorted({n for item in table.items for n in item.lines} | {line for line, _ in new} | _after(order, found[-1][0], new))
    located = [(line, Item(k, [line], text=text[line].strip(), located=True)) for line, k in new]
    starts = sorted([(item.lines[0], item) for item in table.items] + located, key=lambda s: s[0])
    bounds = [line for line, _ in starts[1:]] + [order[-1] + 1]
    for (line, item), following in zip(starts, bounds, strict=True):
        item.lines = [n for n in members if line <= n < following]
        if item.located:
            before = [s for s in starts if s[0] < line and not s[1].located]
            if before:
                item.chapter, item.section = before[-1][1].chapter, before[-1][1].section
    table.items = sorted((item for _, item in starts), key=lambda item: item.number)
    table.loose = [n for n in table.loose if n not in set(members)]
    table.gaps = [g for g in table.gaps if not isinstance(g[1], Missing)] + _missing(table)


def _after(order: list[int], last: int, new: list[tuple[int, int]]) -> set[int]:
    """The lines from the last item read to the end of the last number found."""
    end = max(line for line, _ in new)
    return {n for n in order if last <= n <= end}


def _find(k: int, window: list[int], text: dict[int, str]) -> int | None:
    pattern = _token(k)
    return next((n for n in window if pattern.search(text[n])), None)


def _missing(table: Table) -> list[tuple[int, str]]:
    out = []
    for a, b in pairwise(table.items):
        if b.number > a.number + 1:
            missing = f"{a.number + 1}" if b.number == a.number + 2 else f"{a.number + 1}–{b.number - 1}"
            out.append(
                (
                    b.lines[0],
                    _("item {missing} missing: item {n} follows item {last}, and the text does not print the number between").format(
                        missing=missing, n=b.number, last=a.number
                    ),
                )
            )
    return out
