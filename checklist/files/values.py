"""What one typed value must be to be accepted: text that can be stored, read back and printed
(no hidden character, no character the report font cannot draw, within its length), a real date. Every entry point — options, prompts,
forms, the API, sheets — checks its values here, so a refusal is the same everywhere: a
``Refusal`` naming the field, worded by each surface."""

from __future__ import annotations

import datetime as dt

from checklist.errors import Refusal, UsageError
from checklist.files.glyphs import unprintable
from checklist.files.loader import hidden_character, hidden_characters
from checklist.i18n import _


def text(field: str, value: object, *, required: bool = False, longest: int | None = None) -> str:
    """``value`` stripped, or the Refusal saying why it cannot be taken as ``field``."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Refusal("value.not_text", field)
    cleaned = value.strip()
    if not cleaned:
        if required:
            raise Refusal("value.required", field)
        return ""
    if longest is not None and len(cleaned) > longest:
        raise Refusal("value.too_long", field, limit=longest, length=len(cleaned))
    found = hidden_characters(cleaned)
    if found:
        line, column, _message = found[0]
        position = sum(len(x) + 1 for x in cleaned.split("\n")[: line - 1]) + column  # counted in the whole text
        char = cleaned[position - 1]
        raise Refusal("value.character", field, char=f"U+{ord(char):04X}", position=position, why=hidden_character(char))
    missing = unprintable(cleaned)
    if missing:
        ch = missing[0]
        raise Refusal("value.unprintable", field, char=f"U+{ord(ch):04X}", glyph=ch, position=cleaned.index(ch) + 1)
    return cleaned


def date(field: str, value: object, *, not_before: dt.date | None = None) -> dt.date:
    """A YYYY-MM-DD date (full-width digits too), not before ``not_before`` when given."""
    from checklist.dates import parse_date

    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = parse_date(str(value or ""))
        except UsageError:
            raise Refusal("value.not_date", field, value=str(value or "")) from None
    if not_before is not None and day < not_before:
        raise Refusal("value.date_before", field, value=day.isoformat(), earliest=not_before.isoformat())
    return day


# 统一社会信用代码 (GB 32100-2015): 18 characters of this set (no I, O, Z, S, V); the last is a
# check character: 31 - (Σ value × weight mod 31), with 31 written as 0
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check(code17: str) -> str:
    """The check character of the first 17 characters of a 统一社会信用代码."""
    total = sum(CREDIT_CHARS.index(ch) * w for ch, w in zip(code17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def credit_code(field: str, value: object) -> str:
    """A 统一社会信用代码 (upper-cased, full-width folded), or the Refusal saying what is wrong with it."""
    import unicodedata

    code = unicodedata.normalize("NFKC", text(field, value, required=True, longest=100)).upper()
    if len(code) != 18:
        raise Refusal("value.credit_code", field, value=code, why=_("{count} characters, not 18").format(count=len(code)))
    bad = next((ch for ch in code if ch not in CREDIT_CHARS), None)
    if bad is not None:
        raise Refusal(
            "value.credit_code",
            field,
            value=code,
            why=_("{char!r} at character {position} is not used in the code").format(char=bad, position=code.index(bad) + 1),
        )
    expected = credit_check(code[:17])
    if code[17] != expected:
        raise Refusal(
            "value.credit_code",
            field,
            value=code,
            why=_("the check character is {given}, but the first 17 give {expected}").format(given=code[17], expected=expected),
        )
    return code
