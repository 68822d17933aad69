"""Shared fixtures: a CliRunner, cheap password hashing for the whole session, and the PostgreSQL
fixtures (pg_fixtures)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from checklist.cli import cli

pytest_plugins = ["pg_fixtures"]  # the PostgreSQL server fixture and the db_url fixture over both backends


@pytest.fixture
def run():
    """Invoke the CLI in-process; stdout and stderr come back separately."""

    def invoke(*args: str, input: str | None = None):
        result = CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
        return result

    return invoke


# Argon2id at minimal cost while testing: making a user or logging in takes microseconds, not a
# quarter of a second. tests/unit/register/test_passwords.py checks production's strong defaults.
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing():
    from checklist.register import users

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(users, "PASSWORD_COST", CHEAP_ARGON2)
        yield
