"""What a user may see of the register: a unit user only its own unit's hazards — decided by unit
ids in the hazard's own catalog, never by a target's name —, asked again for every request and
every file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort

from checklist.errors import UsageError
from checklist.register.users import User


def visible_ids(conn: Any, user: User) -> set[str] | None:
    """The ids of the hazards a unit user may see (its unit's, by unit id — see
    ``queries.owned_hazards``); None for users who see every unit."""
    if user.role != "unit":
        return None
    from checklist.register.queries import owned_hazards

    return owned_hazards(conn, user.unit)


def may_see(owned: set[str] | None, row: dict) -> bool:
    return owned is None or row["id"] in owned


def visible_hazard(conn: Any, user: User, hazard_id: str, today: dt.date, calendar: Any) -> dict:
    """One hazard as `register show` gives it, or 404 (no such id) / 403 (another unit's)."""
    from checklist.register.dossier import dossier

    try:
        row = dossier(conn, hazard_id, today, calendar)
    except UsageError:
        abort(404)
    if not may_see(visible_ids(conn, user), row):
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
