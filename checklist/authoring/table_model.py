"""A table read from a document: its columns, its numbered items and what the reading noticed."""

from __future__ import annotations

from dataclasses import dataclass, field

GAP_MAX = 5  # an item number up to this far ahead of the next one is a gap, further is text


class Missing(str):
    """A gap's message that says item numbers are missing (told apart from other gaps in any language)."""


@dataclass(frozen=True)
class Column:
    name: str  # as printed, without spaces: 服务指导标准
    role: str  # NUMBER, a span role, HEADING, LEAD, DUTY, or the field's name


@dataclass
class Item:
    """One numbered row: its cells by column name when they could be told apart, else ``problem``."""

    number: int
    lines: list[int]
    chapter: str = ""
    section: str = ""
    cells: dict[str, str] = field(default_factory=dict)
    text: str = ""  # the item's text as extracted, kept when the cells could not be told apart
    glued: bool = False  # its number glued to its text (14培训…): columns ran into each other
    problem: str = ""
    carried: set[str] = field(default_factory=set)  # columns whose cell was merged down from the row above
    located: bool = False  # its number found inside interleaved text after the rows were read


@dataclass
class Table:
    columns: list[Column]
    items: list[Item] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)  # lines read as domain or category headings
    header: list[int] = field(default_factory=list)  # the header row's lines
    repeated: list[int] = field(default_factory=list)  # the header again at the top of a page
    gaps: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    loose: list[int] = field(default_factory=list)  # lines between a heading and the next item
    numbers: list[int] = field(default_factory=list)  # bare-number lines read as item numbers, not page numbers
    grid: bool = False  # read from a published document's cells, not from extracted text
    numbered: bool = True  # its rows carry item numbers (序号); else each row is an item in turn
