"""Article references (第四十九条, 第十四条第4项, 第四条第（一）项) and Chinese numerals."""

from __future__ import annotations

import re
from dataclasses import dataclass

from checklist.i18n import _

_DIGITS = "零一二三四五六七八九"
_NUMERAL = "[零一二三四五六七八九十百]+"
_REF = re.compile(
    rf"^第(?P<article>{_NUMERAL})条"
    rf"(?:第(?P<paragraph>{_NUMERAL})款)?"
    rf"(?:第(?:(?P<item>[0-9]+)|[（(](?P<subitem>{_NUMERAL})[)）])项)?$"
)


def to_chinese(n: int) -> str:
    """The numeral as Chinese legal texts write it: 10 → 十, 21 → 二十一, 105 → 一百零五."""
    if not 0 < n < 1000:
        raise ValueError(_("{n} is outside 1..999").format(n=n))
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return out + "零" + _DIGITS[ones]
        if tens:
            out += _DIGITS[tens] + "十"
    elif tens:
        out += ("" if tens == 1 else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def from_chinese(text: str) -> int:
    """Parse a numeral written the canonical way; anything else (十十, 二十零) is a ValueError."""
    value = 0
    section = 0
    digit = None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS.index(ch)
        elif ch in "十百":
            unit = 10 if ch == "十" else 100
            section += (1 if digit is None else digit) * unit
            digit = None
        else:
            raise ValueError(_("{text!r} is not a Chinese numeral").format(text=text))
    value = section + (digit or 0)
    if value == 0 or to_chinese(value) != text:
        raise ValueError(_("{text!r} is not a well-formed Chinese numeral").format(text=text))
    return value


@dataclass(frozen=True, slots=True)
class ArticleRef:
    article: int
    paragraph: int | None = None
    item: int | None = None


def parse_ref(ref: str) -> ArticleRef:
    """Parse an article reference; raise ValueError with the reason when it is malformed."""
    m = _REF.match(ref)
    if not m:
        raise ValueError(
            _(
                "malformed article reference {ref!r}: write 第X条, 第X条第N项, 第X条第（X）项 or 第X条第X款 with the article number in"
                " Chinese numerals"
            ).format(ref=ref)
        )
    article = from_chinese(m["article"])
    paragraph = from_chinese(m["paragraph"]) if m["paragraph"] else None
    if m["item"]:
        item = int(m["item"])
        if item == 0 or m["item"].startswith("0"):
            raise ValueError(_("malformed item number in {ref!r}").format(ref=ref))
    elif m["subitem"]:
        item = from_chinese(m["subitem"])
    else:
        item = None
    return ArticleRef(article, paragraph, item)


def is_article_ref(ref: str) -> bool:
    """References that cite an article (contain 条) must follow the article grammar."""
    return "条" in ref
