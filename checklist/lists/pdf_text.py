"""Text as PDF extraction leaves it, repaired: Kangxi radicals folded, page furniture dropped,
wrapped lines joined into paragraphs, and the patterns that say where a heading, article, item or
field starts."""

from __future__ import annotations

import re
import unicodedata

from checklist.model.refs import from_chinese

FIELD_LABELS = ("服务对象", "服务内容", "服务标准", "支出责任")
LEAD_LABELS = ("牵头负责单位", "牵头责任单位")  # the second is how one item of the seed prints it

NUM = "[一二三四五六七八九十百零]+"
RADICALS = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")
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


def fold_radicals(text: str) -> str:
    """Kangxi radicals and CJK compatibility ideographs → the ordinary characters they stand for
    (⼗ → 十). Nothing else is normalised: full-width punctuation is part of the verbatim text."""
    return RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def is_debris(line: str) -> bool:
    """Page furniture, not text: page numbers (— 12 —, - 3 -, 第3页), running headers, bare links."""
    squeezed = "".join(line.split())
    return bool(PAGE_NUMBER.match(squeezed) or BARE_URL.match(squeezed)) or squeezed in RUNNING_HEADERS


def clean_lines(text: str) -> list[tuple[int, str]]:
    """The non-empty lines that are text, numbered from 1 as in the input, radicals folded.
    A document title met again (at the top of a later page) is debris too."""
    out, titles = [], set()
    for number, raw in enumerate(text.split("\n"), 1):
        line = UNPRINTABLE.sub(" ", fold_radicals(raw)).strip()
        if not line or is_debris(line):
            continue
        squeezed = "".join(line.split())
        if squeezed.endswith(TITLE_ENDINGS) and not any(c in squeezed for c in "。，；：,;:"):
            if squeezed in titles:
                continue
            titles.add(squeezed)
        out.append((number, line))
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


def paragraphs(lines: list[tuple[int, str]]) -> list[Paragraph]:
    """Join each line that does not end a sentence or field to the next one, unless that one
    starts something new (an article, heading, item or field label)."""
    out: list[Paragraph] = []
    for number, line in lines:
        last = out[-1] if out else None
        heading = last is not None and last.length <= HEADING_MAX and heading_of(last.text)
        if last and not closed(last.tail) and not heading and not opens(line):
            last.add(number, line)
        else:
            out.append(Paragraph(number, line))
    return out


def closed(text: str) -> bool:
    """Whether a paragraph (or its end) is complete: it ends a sentence or field, or with its 责任单位."""
    return text.rstrip(CLOSERS).endswith(ENDS) or bool(DUTY.search(text[-TAIL:]))


def opens(line: str) -> bool:
    return any(p.match(line) for p in (CHAPTER, ARTICLE, DOMAIN, PAREN_NUM, DIGIT_ITEM, PAREN_DIGIT, LABEL))


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
