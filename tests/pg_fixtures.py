"""The PostgreSQL fixtures: the session's throwaway server, and ``db_url`` — a fresh, empty
register database on each backend (SQLite, PostgreSQL) for every test that asks for it. The
PostgreSQL half is marked ``postgres``: ``-m "not postgres"`` runs the SQLite half only."""

from __future__ import annotations

import pytest
from pg import create_database, drop_database, server


@pytest.fixture(scope="session")
def pg_server():
    """The session's PostgreSQL server, or the reason there is none (tests then skip with it)."""
    try:
        with server() as srv:
            yield srv
    except RuntimeError as e:
        yield str(e)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path, monkeypatch):
    """A fresh, empty register database on each backend; the test runs in its own folder (where a
    PostgreSQL register keeps evidence files by default)."""
    monkeypatch.chdir(tmp_path)
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'register.db'}"
        return
    srv = request.getfixturevalue("pg_server")
    if isinstance(srv, str):
        pytest.skip(f"PostgreSQL not available: {srv}")
    name = create_database(srv)
    yield srv.url(name)
    drop_database(srv, name)
