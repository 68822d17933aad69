"""Passwords in production are hashed with Argon2id at argon2-cffi's strong defaults; the test
suite's cheap parameters (tests/conftest.py) are a setting of the tests, not of the program."""

from __future__ import annotations

import pytest

from checklist.register import users


@pytest.fixture
def production(monkeypatch):
    """users.py as production runs it: nothing set, the library's defaults."""
    monkeypatch.setattr(users, "PASSWORD_COST", {})


def test_the_test_suite_hashes_cheaply():
    assert users.PASSWORD_COST == {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def test_production_hashes_with_the_strong_defaults_and_they_verify(production, tmp_path):
    from argon2.profiles import RFC_9106_LOW_MEMORY

    from checklist.register.db import open_register

    hasher = users._hasher()
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        RFC_9106_LOW_MEMORY.time_cost,
        RFC_9106_LOW_MEMORY.memory_cost,
        RFC_9106_LOW_MEMORY.parallelism,
    )
    engine = open_register(f"sqlite:///{tmp_path / 'r.db'}")
    users.add_user(engine, "张三", "inspector", None, "correct-horse-42")
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM app_user WHERE name = '张三'").scalar()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert users.authenticate(engine, "张三", "correct-horse-42").role == "inspector"  # each strong hash costs ~0.2 s: two here
    engine.dispose()


def test_a_cheap_hash_is_made_strong_at_the_next_login(tmp_path, monkeypatch):
    from checklist.register.db import open_register

    engine = open_register(f"sqlite:///{tmp_path / 'r.db'}")
    users.add_user(engine, "张三", "inspector", None, "correct-horse-42")  # with the suite's cheap parameters
    monkeypatch.setattr(users, "PASSWORD_COST", {})
    assert users.authenticate(engine, "张三", "correct-horse-42") is not None
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM app_user WHERE name = '张三'").scalar()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    engine.dispose()
