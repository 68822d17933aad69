"""What one typed value must be to be accepted: text that can be stored, read back and printed
(no hidden character, no character the report font cannot draw, within its length), a real date. Every entry point — options, prompts,
forms, the API, sheets — checks its values here, so a refusal is the same everywhere: a
``Refusal`` naming the field, worded by each surface."""

from __future__ import annotations

import datetime as dt

from checklist.errors import Refusal, UsageError
from checklist.files.glyphs import unprintable
from checklist.files.loader import hidden_character, hidden_characters


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
