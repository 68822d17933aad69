"""Shared fixtures: a CliRunner; the audits many tests start from (a copy of the example audit, a
fresh audit of 科技处); a register on each backend, empty or with the example imported; cheap
password hashing for the whole session; and the PostgreSQL fixtures (pg_fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_helpers import EVENT, NEW_AUDIT, example_audit
from click.testing import CliRunner
from register_helpers import Register

from checklist.cli import cli

pytest_plugins = ["pg_fixtures"]  # the PostgreSQL server fixture and the db_url fixture over both backends


LOCALE_VARIABLES = ("CHECKLIST_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(autouse=True)
def default_language(monkeypatch):
    """Every test starts in the default language (Chinese), whatever the locale of the machine
    running the tests; a test of English sets CHECKLIST_LANG or LANG itself."""
    for var in LOCALE_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(autouse=True)
def chinese_output(monkeypatch):
    """Every command a test runs through click's CliRunner (the ``run`` fixture, the register's
    helper, …) prints no English sentence in the default language (tests/language.py says what
    one is). Found sentences are collected and the test fails at its end, naming them."""
    import os
    from unittest import mock

    from language import english_sentences

    from checklist.i18n import language

    found: list[str] = []
    invoke = CliRunner.invoke

    def checked(self, cli, args=None, input=None, env=None, **kwargs):
        result = invoke(self, cli, args, input, env, **kwargs)
        overrides = {**self.env, **(env or {})}
        with mock.patch.dict(os.environ, {k: v for k, v in overrides.items() if v is not None}):
            for k in [k for k, v in overrides.items() if v is None and k in os.environ]:
                del os.environ[k]
            lang = language()
        if lang != "en":
            given = tuple(map(str, args or ())) + ((input if isinstance(input, str) else "",) if input else ())
            out = result.stdout + "\n" + (result.stderr if result.stderr_bytes is not None else "")
            sentences = english_sentences(out, given)
            if sentences:
                found.append(f"`checklist {' '.join(map(str, args or ()))}` printed English: {sentences}")
        return result

    monkeypatch.setattr(CliRunner, "invoke", checked)
    yield found
    assert not found, "English in the default language's output:\n" + "\n".join(found)


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


@pytest.fixture
def example(tmp_path) -> Path:
    """A copy of the bundled example audit in the test's folder: tmp_path/tech-2026q4.yaml (58
    checks; findings A21-2-a 重大事故隐患 and A26-a 一般隐患) with its photo under evidence/."""
    return example_audit(tmp_path)


@pytest.fixture
def new_audit(run, tmp_path):
    """Make a fresh, unanswered audit of 科技处 under bj-rtv-3g3b (inspector 张三, 2026-11-20) with
    `audit new`: ``new_audit()`` writes tmp_path/a.yaml; ``new_audit(path, *options)`` writes
    ``path`` with more options (audit_helpers.EVENT: the 8 checks of a large event). Returns the path."""

    def make(path: Path | None = None, *options: str) -> Path:
        path = path or tmp_path / "a.yaml"
        result = run(*NEW_AUDIT, "--date", "2026-11-20", *options, "-o", path)
        assert result.exit_code == 0, result.output
        return path

    return make


@pytest.fixture
def audit_file(new_audit) -> Path:
    """A fresh audit of the 8 checks of a large event (tag 大型活动) for 科技处, at tmp_path/a.yaml:
    what the tests of answering (`audit run`, `audit answer`, locks) fill in."""
    return new_audit(None, *EVENT)


@pytest.fixture
def reg(db_url) -> Register:
    """`checklist register …` (as 张三, admin) on a fresh, empty database of each backend."""
    return Register(db_url)


@pytest.fixture
def imported(reg, example) -> Path:
    """The example audit imported into ``reg``: hazards YH-2026-0001 (重大事故隐患, due 2026-11-27)
    and YH-2026-0002 (一般隐患, due 2026-12-15), both 待整改. The audit's path."""
    result = reg("import", example)
    assert result.exit_code == 0, result.output
    return example


@pytest.fixture(autouse=True)
def _no_published_folder_left():
    """A web app names the folder it publishes catalogs into for the whole process
    (``library.use_published``): forget it after each test, so no test finds another's catalogs."""
    yield
    from checklist.model.library import use_published

    use_published(None)
