"""Example folders as tests: every valid file passes; every invalid one fails with exactly the
messages, lines and columns written in its .expected file."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import EXAMPLES

VALID = sorted(EXAMPLES.glob("*/valid/*.yaml"))
INVALID = sorted(EXAMPLES.glob("*/invalid/*.yaml"))
UNREADABLE = {"binary", "gbk", "utf16"}  # files that can't be read as UTF-8 text at all: exit 2


def _id(p: Path) -> str:
    return f"{p.parent.parent.name}/{p.stem}"


@pytest.fixture(autouse=True)
def example_catalogs(monkeypatch):
    """Example audits refer to the example catalogs."""
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(EXAMPLES / "catalog" / "valid"))


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_valid_example_passes(run, path):
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    assert "有效 1 个，无效 0 个" in result.output


@pytest.mark.parametrize("path", INVALID, ids=_id)
def test_invalid_example_fails_with_exact_messages(run, path, monkeypatch):
    monkeypatch.chdir(path.parent)
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    result = run("validate", path.name)
    assert result.exit_code == (2 if path.stem in UNREADABLE else 1)
    printed = result.output.splitlines()
    assert printed[:-1] == expected
    assert printed[-1].startswith("检查了 1 个文件：有效 0 个")


def test_every_invalid_example_has_expectations():
    assert INVALID, "no invalid examples found"
    for path in INVALID:
        assert path.with_suffix(".expected").is_file(), path
        assert path.with_suffix(".expected").read_text(encoding="utf-8").strip(), path


def test_python_tag_is_never_executed(run, tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(f'id: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    result = run("validate", evil)
    assert result.exit_code == 1
    assert "不允许使用标签 !!python/object/apply:os.system" in result.output
    assert not marker.exists()
