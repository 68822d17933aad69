"""Tables as PDF extraction leaves them, read back into numbered items with one text per column.

Two shapes are common. *Rows*: each item on a line of its own (wrapped onto the next lines when
long), its number first, its cells separated by runs of spaces or tabs. *Runs*: the item number
alone on a line, then each cell as a run of lines, runs separated by blank lines (or one line per
cell). The header row names the columns (序号, 服务项目, 服务对象, 服务内容, 服务标准, 支出责任,
牵头负责单位 …); domain and category headings (一、… （一）…) between the items, or domain and
category columns left empty in rows below their first, carry down. Items must run 1, 2, 3 …: a
gap is reported, never absorbed. An item whose cells cannot be told apart is kept with its text
and reported as incomplete, never guessed.
"""

from __future__ import annotations

import re

from checklist.authoring.pdf_text import DOMAIN, PAREN_NUM, Cleaned, heading_of
from checklist.authoring.radicals import fold_radicals
from checklist.authoring.table_cells import aligned_cells, cell_text, raw_cells, row_cells
from checklist.authoring.table_model import GAP_MAX, Column, Item, Missing, Table
from checklist.authoring.table_scan import locate
from checklist.authoring.table_widths import cut_by_width
from checklist.i18n import N_, _

__all__ = ["GAP_MAX", "Column", "Item", "Table"]  # the table's model, read here

NUMBER, DOMAIN_COL, CATEGORY_COL, HEADING, LEAD, DUTY, SUPPORT = "#", "domain", "category", "heading", "lead", "duty", "support"
SPAN_ROLES = (DOMAIN_COL, CATEGORY_COL)  # cells that span rows: empty below their first row
# header words → the role of their column; any other known word is a field, kept by its printed name
HEADER_NAMES: dict[str, str] = {
    "序号": NUMBER,
    "编号": NUMBER,
    "领域": DOMAIN_COL,
    "服务领域": DOMAIN_COL,
    "类别": CATEGORY_COL,
    "服务类别": CATEGORY_COL,
    "服务项目": HEADING,
    "项目名称": HEADING,
    "服务事项": HEADING,
    "项目": HEADING,
    "事项": HEADING,
    "事项名称": HEADING,
    "任务": HEADING,
    "工作任务": HEADING,
    "重点任务": HEADING,
    "主要任务": HEADING,
    "具体任务": HEADING,
    "任务名称": HEADING,
    "改革举措": HEADING,
    "内容": "内容",
    "主要内容": "主要内容",
    "工作内容": "工作内容",
    "工作措施": "工作措施",
    "具体措施": "具体措施",
    "完成时限": "完成时限",
    "完成时间": "完成时间",
    "时间节点": "时间节点",
    "时限要求": "时限要求",
    "备注": "备注",
    "服务对象": "服务对象",
    "服务内容": "服务内容",
    "服务标准": "服务标准",
    "服务指导标准": "服务指导标准",
    "支出责任": "支出责任",
    "牵头负责单位": LEAD,
    "牵头责任单位": LEAD,
    "牵头单位": LEAD,
    "牵头部门": LEAD,
    "主责部门": LEAD,
    "主责单位": LEAD,
    "指导部门": LEAD,
    "配合单位": SUPPORT,
    "配合部门": SUPPORT,
    "参与单位": SUPPORT,
    "参与部门": SUPPORT,
    "协办单位": SUPPORT,
    "协助单位": SUPPORT,
    "责任单位": DUTY,
    "责任部门": DUTY,
    "负责单位": DUTY,
    "责任主体": DUTY,
}
_NAMES = sorted(HEADER_NAMES, key=len, reverse=True)  # longest first: 服务项目 before 项目
HEADER_CELL = re.compile(r"^[^\s。，；：,;:]{1,12}$")  # a column name of the document's own: short, no sentence
HEADER_LINES = 12  # a header printed one column name per line spans at most this many lines
ROW = re.compile(r"^(\d{1,3})(?:[ \t\u3000]+(.*))?$")
GLUED = re.compile(r"^(\d{1,3})(?=[\u2e80-\u2fdf\u4e00-\u9fff])(.+)$")
TABLE_END = re.compile(r"^(?:附件|附表)\s*\d*\s*$")


def _header_words(line: str) -> list[str] | None:
    """The header words a line consists of (spaces ignored), or None when anything else is on it."""
    squeezed, words, i = "".join(line.split()), [], 0
    while i < len(squeezed):
        word = next((w for w in _NAMES if squeezed.startswith(w, i)), None)
        if word is None:
            return None
        words.append(word)
        i += len(word)
    return words


def _header_at(cleaned: Cleaned, lines: list[tuple[int, str]], i: int) -> tuple[list[str], int]:
    """The header at line index ``i`` and how many lines it takes: lines of known header words
    only (a header printed one name per line, or on one line), else one line of cells (split at
    tabs or runs of spaces) that starts with 序号 and names another known column or is followed by
    item 1; its other columns are fields under the names it prints."""
    words: list[str] = []
    n = 0
    while i + n < len(lines) and n < HEADER_LINES and (w := _header_words(lines[i + n][1])):
        words += w
        n += 1
    if n and _is_header(words):
        return words, n
    if i < len(lines) and lines[i][0] in cleaned.raw:
        cells = _header_cells(cleaned, lines[i][0])
        first_row = i + 1 < len(lines) and re.match(r"^1(?:[ \t\u3000]|$)", cleaned.raw.get(lines[i + 1][0], ""))
        known = sum(c in HEADER_NAMES for c in cells)
        if all(HEADER_CELL.match(c) for c in cells) and (known >= 2 or first_row) and _is_header(cells):
            return cells, 1
    return [], 0


def _header_cells(cleaned: Cleaned, number: int) -> list[str]:
    return [cell_text(c, cleaned.fixes).replace(" ", "") for c in raw_cells(cleaned.raw.get(number, ""))]


def _is_header(words: list[str]) -> bool:
    roles = [HEADER_NAMES.get(w, w) for w in words]
    return (
        len(words) >= 3
        and roles.count(NUMBER) == 1
        and roles[0] == NUMBER
        and len(set(roles) - {SUPPORT}) == len(roles) - roles.count(SUPPORT) + (SUPPORT in roles)
    )


def read_table(cleaned: Cleaned) -> Table | None:
    """The first table of the text (None when no header row names a 序号 and two more columns)."""
    lines = cleaned.lines
    for i in range(len(lines)):
        words, n = _header_at(cleaned, lines, i)
        if n:
            table = Table([Column(w, HEADER_NAMES.get(w, w)) for w in words], header=[lines[i + k][0] for k in range(n)])
            _read_body(cleaned, table, i + n)
            return table
    return None


def _read_body(cleaned: Cleaned, table: Table, start: int) -> None:
    """Items from line index ``start`` on. A bare number the cleaning took for a page number is
    the item number it is when it comes next in the count."""
    header_end = cleaned.lines[start - 1][0]
    bare = [(n, t) for n, t in cleaned.bare.items() if n > header_end]
    lines = sorted(cleaned.lines[start:] + bare)
    wanted = [c for c in table.columns if c.role != NUMBER]
    counts = {len(wanted), len(wanted) - sum(c.role in SPAN_ROLES for c in wanted)}
    start = 0
    chapter = section = ""
    expected, current = 1, None
    i = start
    while i < len(lines):
        number, line = lines[i]
        words, n = _header_at(cleaned, lines, i)
        if not n and _header_cells(cleaned, number) == [c.name for c in table.columns]:
            words, n = _header_cells(cleaned, number), 1
        if n and words == [c.name for c in table.columns]:
            table.repeated += [lines[i + k][0] for k in range(n)]
            i += n
            continue
        if TABLE_END.match(line) or n:  # an annex, or another table's header: this table has ended
            break
        if (h := heading_of(line)) and (DOMAIN.match(line) or PAREN_NUM.match(line)):
            if h[0] == "chapter":
                chapter, section = h[1], ""
            else:
                section = h[1]
            table.headings.append(number)
            current = None
            i += 1
            continue
        if number in cleaned.bare:
            if int(line) == expected or (current is None and int(line) <= expected + GAP_MAX):
                table.numbers.append(number)
                current = _start(table, number, int(line), "", False, expected, chapter, section)
                expected = current.number + 1
            i += 1
            continue
        start_of = _item_start(cleaned.raw[number].strip(), expected)
        if start_of:
            current = _start(table, number, *start_of, expected, chapter, section)
            expected = current.number + 1
        elif current and _orphan(current, cleaned.raw[number], counts):
            current = None  # a whole row whose number was lost: not glued onto the item above
            table.loose.append(number)
            table.gaps.append((number, _("a row without its item number follows item {n}: not placed").format(n=expected - 1)))
        elif current:
            current.lines.append(number)
        else:
            table.loose.append(number)  # after a heading, before the next item: not placed
        i += 1
    locate(table, [(n, cleaned.raw.get(n, t)) for n, t in lines if n not in set(table.headings) | set(table.repeated)])
    texts = {id(item): _texts(item, wanted, cleaned) for item in table.items}
    _by_width(table.items, texts, wanted, cleaned)
    previous: dict[str, str] = {}
    for item in table.items:
        _fill(item, *texts[id(item)], wanted, cleaned, previous)


def _orphan(item: Item, line: str, counts: set[int]) -> bool:
    """Whether a line after a complete one-line row is itself a whole row (its number lost); an
    indented line is the row's cells wrapping inside their columns."""
    if not item.text or len(item.lines) > 1 or "\t" in line or line[:1].isspace():
        return False
    return None not in (row_cells(item.text, [], counts), row_cells(line, [], counts))


def _start(table: Table, line: int, k: int, rest: str, glued: bool, expected: int, chapter: str, section: str) -> Item:
    """A new item numbered ``k`` where ``expected`` was next: a gap is reported."""
    if k > expected:
        missing = f"{expected}" if k == expected + 1 else f"{expected}–{k - 1}"
        message = _("item {missing} missing: item {n} follows item {last}").format(missing=missing, n=k, last=expected - 1)
        table.gaps.append((line, Missing(message)))
    item = Item(k, [line], chapter, section, text=rest, glued=glued)
    table.items.append(item)
    return item


def _item_start(raw: str, expected: int) -> tuple[int, str, bool] | None:
    """(number, rest of the line, whether the number is glued to the text) when the line starts
    the next item (or one a little further on). A glued number (14培训和…) is taken only when it
    is the next one."""
    if m := ROW.match(raw):
        k = int(m[1])
        if expected <= k <= expected + GAP_MAX:
            return k, m[2] or "", False
    if (m := GLUED.match(raw)) and int(m[1]) == expected:
        return expected, m[2], True
    return None


def _texts(item: Item, wanted: list[Column], cleaned: Cleaned) -> tuple[list[str] | None, str]:
    """The item's cell texts (None when they cannot be told apart), and how the item was read:
    row shape (text after the number), tab-separated row, or run shape (number alone)."""
    spans = [c for c in wanted if c.role in SPAN_ROLES]
    raws = [cleaned.raw[n] for n in item.lines[1:]]
    counts = {len(wanted), len(wanted) - len(spans)}
    first = cleaned.raw.get(item.lines[0], "")
    if item.located:
        return None, N_("its number found inside text whose columns ran into each other;")
    if item.glued:
        return None, N_("its number glued to its text (columns run into each other);")
    if item.text and "\t" in first:  # tabs keep empty cells: trailing ones may be left off
        cells = raw_cells(first)[1:]
        ok = not raws and len(cells) <= len(wanted)
        return (cells + [""] * (len(wanted) - len(cells)) if ok else None), N_("read as a row of tab-separated cells,")
    if item.text:
        texts = aligned_cells(first, raws, counts) if raws else None
        return texts or row_cells(item.text, [r.strip() for r in raws], counts), N_("read as a row,")
    return _run_cells(item.lines[1:], cleaned, counts), N_("read as runs of lines,")


def _by_width(items: list[Item], texts: dict[int, tuple[list[str] | None, str]], wanted: list[Column], cleaned: Cleaned) -> None:
    """Run-shaped items with no blank line between their cells, cut by the widths of their lines."""
    plain = [
        item
        for item in items
        if texts[id(item)][0] is None and not item.text and not item.glued and len(item.lines) > len(wanted)
        if not any(n in cleaned.after_blank and n not in cleaned.after_debris for n in item.lines[2:])
    ]
    if not plain:
        return
    cut = cut_by_width([[cleaned.raw[n].strip() for n in item.lines[1:]] for item in plain], len(wanted))
    for item, cells in zip(plain, cut, strict=True):
        texts[id(item)] = cells, N_("read as runs of lines (cut by line widths),")


def _fill(item: Item, texts: list[str] | None, shape: str, wanted: list[Column], cleaned: Cleaned, previous: dict[str, str]) -> None:
    """The item's cells by column, domain and category cells carried down; or its text and a problem."""
    spans = [c for c in wanted if c.role in SPAN_ROLES]
    if texts is None:
        raws = [cleaned.raw[n] for n in item.lines[1:]]
        item.text = "\n".join(fold_radicals(r.strip(), cleaned.fixes) for r in ([item.text] if item.text else []) + raws)
        item.problem = _("{lines} line(s), {shape} could not be split into its {columns} columns").format(
            lines=len(item.lines), shape=_(shape), columns=len(wanted)
        )
        return
    if getattr(texts, "weak", False):
        item.problem = _("its cells told apart only at single spaces before a digit or a quote: check where each cell ends")
    cells = [cell_text(t, cleaned.fixes) for t in texts]
    if len(cells) < len(wanted):  # the row prints no domain or category cells
        rest = iter(cells)
        cells = ["" if c.role in SPAN_ROLES else next(rest) for c in wanted]
    for k, c in enumerate(wanted):  # an empty domain or category cell: carried down from the row above
        if c.role in SPAN_ROLES and not cells[k]:
            cells[k] = previous.get(c.name, "")
            if not cells[k] and not item.problem:
                item.problem = _("{column} left empty and no row above to carry it down from").format(column=c.name)
    item.cells = {c.name: t for c, t in zip(wanted, cells, strict=True)}
    previous.update({c.name: item.cells[c.name] for c in spans if item.cells[c.name]})
    item.text = ""
    if not item.problem and (empty := [c.name for c in wanted if not item.cells[c.name]]):
        item.problem = _("empty: {columns}").format(columns=", ".join(empty))


def _run_cells(numbers: list[int], cleaned: Cleaned, counts: set[int]) -> list[str] | None:
    """Cells as runs of lines between blank lines; a page break is no boundary unless the count
    asks for it; without blank lines, one line per cell when the count fits."""
    if not numbers:
        return None
    runs: list[list[int]] = [[numbers[0]]]
    pages: list[int] = []  # indexes of runs that start after a page break
    for n in numbers[1:]:
        if n in cleaned.after_blank and n not in cleaned.after_debris:
            runs.append([n])
        elif n in cleaned.after_debris:
            pages.append(len(runs))
            runs.append([n])
        else:
            runs[-1].append(n)
    joined = _merge(runs, set(pages))
    for candidate in (joined, runs):
        if len(candidate) in counts:
            return ["".join(cleaned.raw[n].strip() for n in run) for run in candidate]
    if len(joined) == 1 and len(numbers) in counts:
        return [cleaned.raw[n].strip() for n in numbers]
    return None


def _merge(runs: list[list[int]], page_starts: set[int]) -> list[list[int]]:
    """Runs with each run that starts after a page break joined to the one before it."""
    out: list[list[int]] = []
    for i, run in enumerate(runs):
        if i in page_starts and out:
            out[-1] = out[-1] + run
        else:
            out.append(run)
    return out
