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


@pytest.fixture(autouse=True)
def _no_published_folder_left():
    """A web app names the folder it publishes catalogs into for the whole process
    (``library.use_published``): forget it after each test, so no test finds another's catalogs."""
    yield
    from checklist.model.library import use_published

    use_published(None)
