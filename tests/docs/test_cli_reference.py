"""docs/cli.md is every command's --help as the commands print it today: regenerated in memory by
the same function docs/make_cli_reference.py writes it with, in the same environment."""

from __future__ import annotations

import difflib
import importlib.util
from types import ModuleType

import click
from paths import ROOT

from checklist.cli import cli


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_cli_reference", ROOT / "docs" / "make_cli_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cli_reference_is_current():
    make = generator()
    fresh = make.render()
    written = make.OUTPUT.read_text(encoding="utf-8")
    if written != fresh:
        diff = "".join(difflib.unified_diff(written.splitlines(True), fresh.splitlines(True), "docs/cli.md", "--help now", n=1))
        raise AssertionError(f"docs/cli.md is stale: run python docs/make_cli_reference.py\n{diff[:4000]}")


def test_the_reference_lists_every_command_and_ignores_the_callers_environment():
    make = generator()
    names: list[str] = []

    def walk(command: click.Command, path: str) -> None:
        names.append(path)
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                if not sub.hidden:
                    walk(sub, f"{path} {name}")

    walk(cli, "checklist")
    text = make.OUTPUT.read_text(encoding="utf-8")
    assert len(names) > 40
    for name in names:
        assert f"\n## {name}\n\n```text\n用法: {name} " in text, name
    assert make.render({"COLUMNS": "40", "CHECKLIST_LANG": "en", "LANG": "C", "PATH": "/usr/bin:/bin"}) == make.render()
