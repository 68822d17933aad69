"""Help text that wraps as a terminal shows Chinese: a CJK character takes two columns and a line
may break between any two of them (never before a closing mark such as ，。） nor after an opening
one such as （“). Click measures and splits text in ``click._textwrap``; ``use()`` makes it do so."""

from __future__ import annotations

import re
import unicodedata

_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")
_CLOSING = set("，。、；：！？）》」』】〕”’…—·%)]")
_OPENING = set("（《「『【〔“‘([")


def width(x: str) -> int:
    """Columns ``x`` takes on a terminal (escape sequences take none)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in _ANSI.sub("", x))


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


def _pieces(chunk: str) -> list[str]:
    """A chunk cut so a line may break between two wide characters, with each closing mark kept
    on the piece before it and each opening mark on the piece after it."""
    out: list[str] = []
    glue_next = False
    for c in chunk:
        if out and (c in _CLOSING or glue_next or not (_wide(c) or _wide(out[-1][-1]))):
            out[-1] += c
        else:
            out.append(c)
        glue_next = c in _OPENING
    return out


def _truncate(text: str, n: int) -> str:
    """The longest prefix of ``text`` at most ``n`` columns wide (at least one character)."""
    used = 0
    for i, c in enumerate(text):
        used += 2 if _wide(c) else 1
        if used > n:
            return text[: max(i, 1)]
    return text


def use() -> None:
    """Make click wrap help text by terminal columns, breaking between CJK characters."""
    from click import _textwrap, formatting

    class TextWrapper(_textwrap.TextWrapper):
        def _split(self, text: str) -> list[str]:
            return [piece for chunk in super()._split(text) for piece in _pieces(chunk)]

    _textwrap.term_len = formatting.term_len = width
    _textwrap._truncate_visible = _truncate
    if not getattr(_textwrap.TextWrapper, "_wide", False):
        TextWrapper._wide = True  # type: ignore[attr-defined]
        _textwrap.TextWrapper = TextWrapper  # type: ignore[misc]
