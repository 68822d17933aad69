"""What a user may see of the register: a unit user only its own unit's hazards (by the unit's
name, id or alias as the catalogs know it), asked again for every request and every file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort

from checklist.errors import UsageError
from checklist.register.users import User


def unit_names(conn: Any, user: User) -> set[str] | None:
    """The unit names a unit user's hazards carry; None for users who see every unit."""
    if user.role != "unit":
        return None
    from checklist.register.queries import resolve_unit

    return set(resolve_unit(conn, user.unit))


def may_see(names: set[str] | None, row: dict) -> bool:
    return names is None or row["unit"] in names or row["target"] in names


def visible_hazard(conn: Any, user: User, hazard_id: str, today: dt.date, calendar: Any) -> dict:
    """One hazard as `register show` gives it, or 404 (no such id) / 403 (another unit's)."""
    from checklist.register.queries import show

    try:
        row = show(conn, hazard_id, today, calendar)
    except UsageError:
        abort(404)
    if not may_see(unit_names(conn, user), row):
        abort(403)
    return row


def plain(value: Any) -> Any:
    """Rows as JSON: dates as ISO strings (Flask would write them as HTTP dates)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
