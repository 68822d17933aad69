"""Tables a published document holds as tables (a web page's, a Word file's, a PDF's ruled or
position-read ones), read into numbered items by their header row.

The header row names the columns; known names and their synonyms say what a column holds
(序号; 任务/事项/工作任务/服务项目 …; 牵头单位/责任单位/指导部门 …; 配合单位/参与单位/协办单位 …),
any other name is a field under its printed name, and a header of unknown names is accepted when
numbered rows follow it. A row with one cell across it (一、… or （一）…) is a group heading:
chapter or section of the items below. A cell merged down has already been carried down by the
reader. A row without a number continues the item above. Numbers must run 1, 2, 3 …: a gap is
reported; a number that breaks the count ends the table, and the numbers that appear after it are
reported ("stopped at item N; numbers M… appear later"), never left silent.
"""

from __future__ import annotations

import re

from checklist.authoring.document import Block, Rendered, Row
from checklist.authoring.pdf_text import Cleaned, heading_of
from checklist.authoring.radicals import fold_radicals
from checklist.authoring.table_layout import (
    DUTY,
    GAP_MAX,
    HEADER_CELL,
    HEADER_NAMES,
    HEADING,
    LEAD,
    NUMBER,
    SPAN_ROLES,
    SUPPORT,
    Column,
    Item,
    Table,
)
from checklist.authoring.table_model import Missing
from checklist.i18n import _

CELL_NUMBER = re.compile(r"^\s*[（(]?(\d{1,3})[)）.．、]?\s*$")
HEADER_ROWS = 6  # the header is among the first rows of a table


def _number(text: str) -> int | None:
    m = CELL_NUMBER.match(text)
    return int(m[1]) if m else None


def _names(cells: list[str]) -> list[str]:
    out: list[str] = []
    for k, cell in enumerate(cells):
        name = "".join(cell.split()) or f"列{k + 1}"
        out.append(name if name not in out else f"{name}{k + 1}")
    return out


def _header_index(block: Block) -> tuple[int, int] | None:
    """(header row, number column) of a table: a row among the first that names a 序号 column and
    two more known columns, or any row of short names followed by a row numbered 1; or, with no
    number column (-1), a row naming the item's column and a column of units."""
    rows = block.rows
    for h, row in enumerate(rows[:HEADER_ROWS]):
        if row.whole:
            continue
        names = _names(row.cells)
        roles = [HEADER_NAMES.get(n) for n in names]
        known = sum(r is not None for r in roles)
        numbered = [k for k, r in enumerate(roles) if r == NUMBER]
        if numbered and known >= 3:
            return h, numbered[0]
        following = next((r for r in rows[h + 1 :] if not r.whole), None)
        if following is None or not all(HEADER_CELL.match(n) for n in names if n):
            continue
        first = [k for k, c in enumerate(following.cells) if _number(c) == 1]
        if first and len(names) >= 2 and (known >= 1 or numbered or first[0] == 0):
            return h, first[0]
        if not numbered and known >= 2 and HEADING in roles and {LEAD, DUTY, SUPPORT} & set(roles):
            return h, -1  # no number column: each row is an item in turn
    return None


def read_grid(rendered: Rendered, cleaned: Cleaned) -> Table | None:
    """The first table of the document that has a header row, its rows read into items."""
    lines: dict[int, dict[int, int]] = {id(block): {} for block, _ in rendered.rows.values()}  # table → row index → line
    blocks: list[Block] = []
    for line, (block, k) in sorted(rendered.rows.items()):
        if id(block) not in {id(b) for b in blocks}:
            blocks.append(block)
        lines[id(block)][k] = line
    breaks: set[int] = set()  # the first line of each table that goes on from the one before
    for i, block in enumerate(blocks):
        found = _header_index(block)
        if found:
            rows = [(row, lines[id(block)][k]) for k, row in enumerate(block.rows)]
            width = len(block.rows[found[0]].cells)
            for after in blocks[i + 1 :]:  # the table going on over the next pages: as many columns
                if not after.rows or len(after.rows[0].cells) != width:
                    break
                rows += [(row, lines[id(after)][k]) for k, row in enumerate(after.rows)]
                breaks.add(lines[id(after)][0])
            return _read(rows, *found, cleaned, rendered, breaks)
    return None


def _read(rows: list[tuple[Row, int]], h: int, number_col: int, cleaned: Cleaned, rendered: Rendered, breaks: set[int]) -> Table:
    """Items from the rows after the header row ``h`` (each row with its line); ``breaks``: where
    the table goes on after a page break. A row without a number just after a break is read as the
    rest of the item above, and that item is marked: the break may have cut a row apart."""
    names = _names(rows[h][0].cells)
    columns = [Column(n, NUMBER if k == number_col else HEADER_NAMES.get(n, n)) for k, n in enumerate(names)]
    order = ([number_col] if number_col >= 0 else []) + [k for k in range(len(columns)) if k != number_col]
    fields = order[1:] if number_col >= 0 else order
    table = Table([columns[k] for k in order], header=[rows[h][1]])
    table.grid, table.numbered = True, number_col >= 0
    item_col = next((k for k in order if columns[k].role == HEADING), order[0])

    def number_of(row: Row, cells: list[str]) -> int | None:
        if number_col >= 0:
            return _number(cells[number_col]) if number_col not in row.carried else None
        return None if item_col in row.carried or not cells[item_col] else expected

    chapter = section = ""
    expected, current = 1, None
    fixes = cleaned.fixes
    after_break = False
    for k in range(h + 1, len(rows)):
        row, line = rows[k]
        after_break = after_break or line in breaks
        cells = [fold_radicals(c, fixes) for c in row.cells]
        texts = {c for c in cells if c}
        if _names(row.cells) == names:
            table.repeated.append(line)
            continue
        cut, after_break = after_break, False  # the first row after a page break
        if row.whole or (len(texts) == 1 and heading_of(next(iter(texts))) and (number_col < 0 or _number(cells[number_col]) is None)):
            text = next(iter(texts), "")
            level, printed = heading_of(text) or ("chapter", text)
            if level == "chapter":
                chapter, section = printed, ""
            else:
                section = printed
            table.headings.append(line)
            current = None
            continue
        n = number_of(row, cells)
        if n is not None and expected <= n <= expected + GAP_MAX:
            if n > expected:
                missing = f"{expected}" if n == expected + 1 else f"{expected}–{n - 1}"
                table.gaps.append(
                    (
                        line,
                        Missing(_("item {missing} missing: item {n} follows item {last}").format(missing=missing, n=n, last=expected - 1)),
                    )
                )
            current = Item(n, [line], chapter, section)
            current.cells = {columns[c].name: cells[c] for c in fields}
            current.carried = {columns[c].name for c in row.carried}
            table.items.append(current)
            expected = n + 1
        elif n is None and current is not None and texts:
            if cut:
                current.problem = _("its row goes on after a page break ({place}): check that the text there is its own").format(
                    place=rendered.places.get(line)
                )
            for c in fields:
                if cells[c] and c not in row.carried:
                    name = columns[c].name
                    current.cells[name] = "\n".join(x for x in (current.cells[name], cells[c]) if x)
            current.lines.append(line)
        elif n is not None:  # the count breaks here
            later = [(rows[j][1], m) for j in range(k, len(rows)) if (m := _number(rows[j][0].cells[number_col])) is not None]
            table.gaps.append((line, _stopped(expected - 1, later, rendered)))
            table.loose += [rows[j][1] for j in range(k, len(rows))]
            break
        else:
            table.loose.append(line)
    for item in table.items:
        empty = [c.name for c in table.columns if c.role not in (NUMBER, *SPAN_ROLES, SUPPORT) and not item.cells.get(c.name)]
        if empty and not item.problem:
            item.problem = _("empty: {columns}").format(columns=", ".join(empty))
    return table


def _stopped(last: int, later: list[tuple[int, int]], rendered: Rendered) -> str:
    shown = ", ".join(str(n) for _, n in later[:5]) + ("…" if len(later) > 5 else "")
    where = rendered.places.get(later[0][0]) if later else None
    if not later:
        return _("stopped at item {last}").format(last=last)
    return _("stopped at item {last}; numbers {shown} appear later ({place}): not read").format(last=last, shown=shown, place=where)
