"""People who use the web app and the API: roles, units, Argon2 passwords, API tokens and
server-side sessions. The web app asks here who a request comes from; the register's moves are
then made in that person's name and role."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from typing import TypedDict

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from checklist.errors import Refusal, UsageError
from checklist.files import values
from checklist.i18n import _
from checklist.model.catalog import nfkc
from checklist.register.db import reading, writing
from checklist.register.log import now
from checklist.register.tables import app_session, app_user
from checklist.vocabulary import ROLE_NAMES, ROLES

MIN_PASSWORD = 10  # characters
SESSION_HOURS = 12


@dataclass(frozen=True)
class User:
    name: str
    role: str  # admin | inspector | unit
    unit: str
    disabled: bool

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]


class PasswordCost(TypedDict, total=False):
    time_cost: int
    memory_cost: int  # KiB
    parallelism: int


# The Argon2id cost of new password hashes. Empty: argon2-cffi's own defaults (RFC 9106's
# low-memory profile), which is what production uses. The test suite sets minimal ones
# (tests/conftest.py) so that making a user takes no time. A hash records its parameters, so it
# verifies whatever is set here; a login rehashes it to these.
PASSWORD_COST: PasswordCost = {}


def _hasher():
    from argon2 import PasswordHasher  # Argon2id

    return PasswordHasher(**PASSWORD_COST)


def _user(row) -> User:
    return User(row.name, row.role, row.unit, bool(row.disabled))


def digest(secret: str) -> str:
    """Tokens and session ids are stored as their SHA-256: a stolen table opens nothing."""
    return hashlib.sha256(secret.encode()).hexdigest()


def check_name(name: str) -> str:
    """A user name as stored: NFKC, 1–64 characters, nothing hidden — judged as typed, before the
    folding (which drops spaces, and NEL with them) could make a refused name look clean."""
    return values.text("name", nfkc(values.text("name", name, required=True)), required=True, longest=64)


def add_user(engine: Engine, name: str, role: str, unit: str | None, password: str) -> User:
    name = check_name(name)
    if role not in ROLES:
        raise Refusal("value.choice", "role", value=role, allowed=list(ROLES))
    unit = values.text("unit", unit, longest=200)  # shown on the pages and on a unit's 台账
    if role == "unit" and not unit:
        raise Refusal("users.unit_needed", "unit")
    if role != "unit" and unit:
        raise Refusal("users.unit_not_allowed", "unit")
    if len(password) < MIN_PASSWORD:
        raise Refusal("users.password_short", "password", limit=MIN_PASSWORD)
    with writing(engine) as conn:
        if conn.execute(sa.select(app_user.c.name).where(app_user.c.name == name)).first():
            raise Refusal("users.exists", "name", name=name)
        conn.execute(
            app_user.insert().values(
                name=name,
                role=role,
                unit=unit,
                password_hash=_hasher().hash(password),
                token_hash=None,
                disabled=0,
                created_at=now(),
                version=1,
            )
        )
    return User(name, role, unit, False)


def list_users(engine: Engine) -> list[User]:
    with reading(engine) as conn:
        return [_user(r) for r in conn.execute(sa.select(app_user).order_by(app_user.c.name))]


def get_user(conn: Connection, name: str) -> User:
    row = conn.execute(sa.select(app_user).where(app_user.c.name == check_name(name))).first()
    if row is None:
        raise Refusal("users.unknown", "name", name=name)
    return _user(row)


def disable_user(engine: Engine, name: str) -> User:
    """Disable a user: the password and token stop working and every open session ends."""
    with writing(engine) as conn:
        user = get_user(conn, name)
        conn.execute(
            sa.update(app_user).where(app_user.c.name == user.name).values(disabled=1, token_hash=None, version=app_user.c.version + 1)
        )
        conn.execute(sa.delete(app_session).where(app_session.c.user_name == user.name))
    return User(user.name, user.role, user.unit, True)


def new_token(engine: Engine, name: str) -> str:
    """A new API token for ``name`` (the previous one stops working); shown once, stored hashed."""
    token = "ckl_" + secrets.token_urlsafe(32)
    with writing(engine) as conn:
        user = get_user(conn, name)
        if user.disabled:
            raise UsageError(_("user {name!r} is disabled").format(name=user.name))
        conn.execute(sa.update(app_user).where(app_user.c.name == user.name).values(token_hash=digest(token)))
    return token


def authenticate(engine: Engine, name: str, password: str) -> User | None:
    """The user, if the password is right and the user is enabled; None otherwise (same cost
    whether or not the name exists, so names cannot be probed by timing)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    # as login reads it: compatibility forms first (𝐚𝐝𝐦𝐢𝐧 is admin), then judged — a NUL or a line
    # separator is refused before any look-up, never folded away — then folded as names are stored
    name = check_name(unicodedata.normalize("NFKC", name))
    hasher = _hasher()
    with reading(engine) as conn:
        row = conn.execute(sa.select(app_user).where(app_user.c.name == name)).first()
    stored = row.password_hash if row is not None else _dummy_hash()
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row.disabled:
        return None
    if hasher.check_needs_rehash(stored):
        with writing(engine) as conn:
            conn.execute(sa.update(app_user).where(app_user.c.name == row.name).values(password_hash=hasher.hash(password)))
    return _user(row)


_dummy: dict[tuple, str] = {}


def _dummy_hash() -> str:
    """A hash to verify against when the name is unknown (computed once per cost, so that it costs
    what a user's hash costs)."""
    cost = tuple(sorted(PASSWORD_COST.items()))
    if cost not in _dummy:
        _dummy[cost] = _hasher().hash(secrets.token_hex(16))
    return _dummy[cost]


def by_token(engine: Engine, token: str) -> User | None:
    with reading(engine) as conn:
        row = conn.execute(sa.select(app_user).where(app_user.c.token_hash == digest(token), app_user.c.disabled == 0)).first()
    return _user(row) if row else None


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


def start_session(engine: Engine, user: User) -> tuple[str, str]:
    """A new session for ``user``: (cookie value, CSRF token). Called at every login, so the id
    an attacker may have planted before login is never the one that carries the login."""
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    created = dt.datetime.now(dt.UTC)
    with writing(engine) as conn:
        conn.execute(sa.delete(app_session).where(app_session.c.expires_at < created.isoformat()))
        conn.execute(
            app_session.insert().values(
                id_hash=digest(sid),
                user_name=user.name,
                csrf=csrf,
                created_at=created.isoformat(),
                expires_at=(created + dt.timedelta(hours=SESSION_HOURS)).isoformat(),
            )
        )
    return sid, csrf


def session_for(engine: Engine, sid: str) -> Session | None:
    with reading(engine) as conn:
        row = conn.execute(
            sa.select(app_user, app_session.c.csrf)
            .join(app_session, app_session.c.user_name == app_user.c.name)
            .where(
                app_session.c.id_hash == digest(sid),
                app_session.c.expires_at > dt.datetime.now(dt.UTC).isoformat(),
                app_user.c.disabled == 0,
            )
        ).first()
    return Session(_user(row), row.csrf) if row else None


def end_session(engine: Engine, sid: str) -> None:
    with writing(engine) as conn:
        conn.execute(sa.delete(app_session).where(app_session.c.id_hash == digest(sid)))
