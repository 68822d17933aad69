"""Text as PDF extraction leaves it, repaired: Kangxi radicals folded, page furniture dropped,
wrapped lines joined into paragraphs, and the patterns that say where a heading, article, item or
field starts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checklist.authoring.duties import ending
from checklist.authoring.radicals import Suspicious, fold_radicals, suspicious
from checklist.model.refs import from_chinese, to_chinese

__all__ = ["fold_radicals"]  # re-exported: the repair of a line starts here

FIELD_LABELS = ("服务对象", "服务内容", "服务标准", "支出责任")
LEAD_LABELS = ("牵头负责单位", "牵头责任单位")  # the second is how one item of the seed prints it

NUM = "[一二三四五六七八九十百零]+"
# control characters and line separators: not text, and YAML would refuse them or break lines at them
UNPRINTABLE = re.compile("[^\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
DASHES = "-—–－―"
PAGE_NUMBER = re.compile(rf"^[{DASHES}]*(?:第)?\d{{1,4}}(?:页(?:共\d+页)?)?[{DASHES}]*$")
BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$")  # link annotations the extractor put between lines
RUNNING_HEADERS = frozenset({"北京市人民政府公报", "中华人民共和国国务院公报", "国务院公报"})
TITLE_ENDINGS = ("的通知", "若干措施", "实施细则", "办法", "规划", "方案", "意见", "规定")
ENDS = tuple("。；;：:！？!?")
CLOSERS = "”’」』\"'）)"

CHAPTER = re.compile(rf"^第({NUM})(章|节|部分)\s*(.*)$")
ARTICLE = re.compile(rf"^第({NUM})条(?=[\s【]|$)\s*(?:【([^】]*)】)?\s*(.*)$")
DOMAIN = re.compile(rf"^({NUM})、\s*(.+)$")
PAREN_NUM = re.compile(rf"^[（(]({NUM})[)）]\s*(.+)$")
DIGIT_ITEM = re.compile(r"^(\d{1,3})[.．、](?!\d)\s*(.*)$")
PAREN_DIGIT = re.compile(r"^[（(](\d{1,2})[)）]\s*(.+)$")
ORDINAL = re.compile(rf"^({NUM})是\s*(.+)$")
LABEL = re.compile(rf"^({'|'.join(FIELD_LABELS + LEAD_LABELS)})\s*[:：]\s*(.*)$")
DUTY = re.compile(r"[（(]\s*(责任单位|责任部门)\s*[:：]\s*((?:[^（）()]|[（(][^（）()]*[)）])*?)\s*[)）][。.]?$")

TAIL = 500  # characters at a paragraph's end that say whether it is complete: more than any 责任单位 list
HEADING_MAX = 50  # characters: a longer paragraph is no heading


def debris_kind(line: str) -> str | None:
    """Which kind of page furniture a line is (page number, running header, link), or None for text."""
    squeezed = "".join(line.split())
    if PAGE_NUMBER.match(squeezed):
        return "page number"
    if BARE_URL.match(squeezed):
        return "link"
    return "running header" if squeezed in RUNNING_HEADERS else None


@dataclass
class Cleaned:
    """The text lines of a document (1-based number, text), with what was taken out and why:
    ``noise`` maps a kind (page number, running header, link, repeated title) to its line
    numbers; ``after_blank`` holds the numbers of lines that follow a blank line; ``suspicious``
    lists the ambiguous radicals left in."""

    lines: list[tuple[int, str]]
    noise: dict[str, list[int]] = field(default_factory=dict)
    after_blank: set[int] = field(default_factory=set)
    suspicious: list[Suspicious] = field(default_factory=list)
    total: int = 0  # non-blank input lines
    blank: int = 0
    raw: dict[int, str] = field(default_factory=dict)  # each text line before folding: where the radicals were
    after_debris: set[int] = field(default_factory=set)  # lines after page furniture: a page break before them
    fixes: dict[str, str] = field(default_factory=dict)  # the user's readings of ambiguous radicals
    bare: dict[int, str] = field(default_factory=dict)  # page numbers printed as a bare number: maybe item numbers
    starts: set[int] = field(default_factory=set)  # lines that start a block of their own (a published document's paragraphs)


def clean(text: str, fixes: dict[str, str] | None = None, keep: set[int] | frozenset[int] = frozenset()) -> Cleaned:
    """The non-empty lines that are text, numbered from 1 as in the input, radicals folded (only
    the safe ones, and the user's ``fixes``). A document title met again (at the top of a later
    page) is debris too; the lines in ``keep`` (a table's rows) never are."""
    out = Cleaned([], fixes=dict(fixes or {}))
    titles: set[str] = set()
    blank = debris = False
    for number, raw in enumerate(text.removesuffix("\n").split("\n") if text else [], 1):
        line = UNPRINTABLE.sub(" ", fold_radicals(raw, fixes)).strip()
        if not line:
            blank = True
            out.blank += 1
            continue
        out.total += 1
        kind = debris_kind(line) if number not in keep else None
        squeezed = "".join(line.split())
        if not kind and number not in keep and squeezed.endswith(TITLE_ENDINGS) and not any(c in squeezed for c in "。，；：,;:"):
            kind = "repeated title" if squeezed in titles else None
            titles.add(squeezed)
        if kind:
            out.noise.setdefault(kind, []).append(number)
            if line.isdigit():
                out.bare[number] = line
            debris = True
            continue
        if blank:
            out.after_blank.add(number)
        if debris:
            out.after_debris.add(number)
        blank = debris = False
        out.lines.append((number, line))
        out.raw[number] = UNPRINTABLE.sub(" ", raw).rstrip()  # leading spaces kept: where a table's cells start
        out.suspicious += suspicious(number, line)
    return out


class Paragraph:
    """Lines the PDF wrapped, joined again; ``lines`` keeps their numbers for reporting. Its end
    (``tail``) and length are kept as lines are added, so joining stays linear."""

    def __init__(self, number: int, line: str) -> None:
        self.lines = [(number, line)]
        self.tail = line[-TAIL:]
        self.length = len(line)

    def add(self, number: int, line: str) -> None:
        self.lines.append((number, line))
        self.tail = (self.tail + line)[-TAIL:]
        self.length += len(line)

    @property
    def text(self) -> str:
        return "".join(t for _, t in self.lines)

    @property
    def line(self) -> int:
        return self.lines[0][0]


def paragraphs(
    lines: list[tuple[int, str]], after_blank: set[int] | frozenset[int] = frozenset(), starts: set[int] | frozenset[int] = frozenset()
) -> list[Paragraph]:
    """Join each line that does not end a sentence or field to the next one, unless that one
    starts something new: an article, chapter, item or field label, or a 一、 / （一） heading
    or item where one can stand (see ``stands``) — a wrapped line that happens to start with
    一、 continues its sentence. A line in ``starts`` (a published paragraph) is never joined."""
    out: list[Paragraph] = []
    for number, line in lines:
        last = out[-1] if out else None
        heading = last is not None and last.length <= HEADING_MAX and heading_of(last.text)
        if (
            last
            and number not in starts
            and not closed(last.tail)
            and not heading
            and not opens(line)
            and not stands(line, last, number in after_blank)
        ):
            last.add(number, line)
        else:
            out.append(Paragraph(number, line))
    return out


def closed(text: str) -> bool:
    """Whether a paragraph (or its end) is complete: it ends a sentence or field, or with its
    units (（责任单位：…）, （X负责）, （X牵头，Y配合） …)."""
    return text.rstrip(CLOSERS).endswith(ENDS) or (text.rstrip().endswith(("）", ")")) and ending(text[-TAIL:]) is not None)


def opens(line: str) -> bool:
    """Whether a line starts something of its own wherever it stands."""
    return any(p.match(line) for p in (CHAPTER, ARTICLE, DIGIT_ITEM, PAREN_DIGIT, LABEL))


def stands(line: str, last: Paragraph, after_blank: bool) -> bool:
    """Whether a line numbered 一、 or （一） starts a heading or item after an unfinished
    paragraph: after a blank line, after a paragraph holding the item numbered one before it
    (（一）甲 → （二）乙),
    or after a line that stands alone (a title: short, one line, no punctuation, no number)."""
    for pattern in (DOMAIN, PAREN_NUM):
        if m := pattern.match(line):
            if after_blank:
                return True
            n = numeral(m[1])
            if n and n > 1 and any(s in last.text for s in _siblings(pattern, to_chinese(n - 1))):
                return True
            return len(last.lines) == 1 and short_heading(last.text) and not opens(last.text) and not _numbered(last.text)
    return False


def _siblings(pattern: re.Pattern[str], number: str) -> tuple[str, ...]:
    """How the item numbered one before may be printed: 一、, or （一） / (一)."""
    return (f"{number}、",) if pattern is DOMAIN else (f"（{number}）", f"({number})", f"（{number})", f"({number}）")


def _numbered(text: str) -> bool:
    return any(p.match(text) for p in (DOMAIN, PAREN_NUM, DIGIT_ITEM, PAREN_DIGIT, ORDINAL))


def short_heading(rest: str) -> bool:
    """A heading's words: short and without sentence punctuation."""
    return len(rest) <= 30 and not any(c in rest for c in "。；;，,：:！？!?")


def heading_of(text: str) -> tuple[str, str] | None:
    """("chapter" or "section", the heading as printed) when the paragraph is a heading."""
    m = CHAPTER.match(text)
    if m and short_heading(m[3]) and numeral(m[1]):
        printed = f"第{m[1]}{m[2]} {''.join(m[3].split())}".strip()
        return ("section" if m[2] == "节" else "chapter"), printed
    for pattern, level in ((DOMAIN, "chapter"), (PAREN_NUM, "section")):
        m = pattern.match(text)
        if m and short_heading(m[2]) and numeral(m[1]):
            return level, text.strip()
    return None


def numeral(text: str) -> int | None:
    try:
        return from_chinese(text)
    except ValueError:
        return None
