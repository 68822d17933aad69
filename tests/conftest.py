"""Shared fixtures: the repository's folders and a CliRunner that returns (exit code, output)."""

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


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a long test (a live server, the benchmarks at a tiny size); -m 'not slow' leaves it out")
