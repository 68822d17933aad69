"""Failed logins, counted in the register's database so that every server process shares them.

A login attempt is first *reserved* — counted as a failure — in one write transaction that also
checks the counts (writers take turns on the chain-head lock, on SQLite and PostgreSQL alike): so
30 simultaneous wrong passwords get exactly the allowed number of password checks, never more. A
successful login then removes its own reservation and the name's earlier failures.

Failures are counted per (address, name) and per address, in a sliding window. The name is
counted as login reads it — NFKC-folded, so ``ａｄｍｉｎ`` or ``𝐚𝐝𝐦𝐢𝐧`` count as ``admin`` — and
stored only as a hash. (The table is ``tables.login_attempt``; migration ``r0006`` creates it.)
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from checklist.model.catalog import nfkc
from checklist.register.db import writing
from checklist.register.tables import login_attempt


@dataclass(frozen=True)
class Attempt:
    """A login attempt let through: ``wait`` is 0 and ``id`` names its reservation; or refused:
    ``wait`` seconds until the oldest counted failure leaves the window."""

    wait: int
    id: int | None = None


def name_key(name: str) -> str:
    return hashlib.sha256(nfkc(name.strip()).encode("utf-8", "surrogatepass")).hexdigest()


def reserve(engine: Engine, address: str, name: str, limit: int, address_limit: int, window: int) -> Attempt:
    """Count this attempt as a failure now, unless the name or the address is already over its limit."""
    now, key, address = time.time(), name_key(name), address[:64]
    since = now - window
    with writing(engine) as conn:
        conn.execute(sa.delete(login_attempt).where(login_attempt.c.at <= since))
        counted = sa.select(sa.func.count(), sa.func.min(login_attempt.c.at)).where(
            login_attempt.c.address == address, login_attempt.c.at > since
        )
        for query, most in ((counted.where(login_attempt.c.name_key == key), limit), (counted, address_limit)):
            count, oldest = conn.execute(query).one()
            if count >= most:
                return Attempt(int(oldest + window - now) + 1)
        done = conn.execute(login_attempt.insert().values(address=address, name_key=key, at=now))
        return Attempt(0, (done.inserted_primary_key or (None,))[0])


def succeeded(engine: Engine, address: str, name: str) -> None:
    """The password was right: forget the name's failures from this address (this attempt included)."""
    with writing(engine) as conn:
        conn.execute(sa.delete(login_attempt).where(login_attempt.c.address == address[:64], login_attempt.c.name_key == name_key(name)))
