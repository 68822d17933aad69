"""Every command in README.md's ```sh blocks runs as written, as documentation-testing projects do.

Each command line (with its continuation lines and here-doc) is run by bash in a temporary copy
of the folders the README uses, in README order — later commands use what earlier ones wrote,
as a reader's would — with `checklist` on PATH from this venv. A command must exit 0, or the
code its comment states (`# exits 4: …`). A command whose comment says `not run by the README
test: REASON` is skipped, and the skip, with its reason, shows in pytest's report. Commands
whose output depends on the date must fix it (`--date`, `--today`), so nothing depends on today.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from paths import ROOT

README = ROOT / "README.md"
COPIED = ("catalogs", "examples", "schemas", "templates", "sources")  # what the examples read
EXITS = re.compile(r"#.*\bexits (\d+)\b")
PROMISE = re.compile(r"#.*→ (\S+)")  # "# → 2026-09-17 周四" (printed) or "# → reports/tech.pdf" (written)
SKIP = re.compile(r"not run by the README test: ([^)\n]+)")
HEREDOC = re.compile(r"<<-?\s*'?\"?(\w+)'?\"?")
# commands that default to today's date, and the option that fixes it
DATED = {"checklist audit new": "--date", "checklist audit batch": "--date", "checklist events check": "--today"}


@dataclass
class Command:
    line: int  # where it starts in README.md
    text: str  # as bash gets it: continuation lines and here-doc included
    head: str  # the command's own lines (not the here-doc body), where the markers are

    @property
    def expected(self) -> int:
        m = EXITS.search(self.head)
        return int(m.group(1)) if m else 0

    @property
    def skip_reason(self) -> str | None:
        m = SKIP.search(self.head)
        return m.group(1).strip() if m else None


def readme_commands(text: str) -> list[Command]:
    """Every command of every ```sh block, in order."""
    commands: list[Command] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```sh":
            i += 1
            continue
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            if not lines[i].strip() or lines[i].lstrip().startswith("#"):
                i += 1
                continue
            start, head = i, [lines[i]]
            while head[-1].rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                head.append(lines[i])
            body: list[str] = []
            heredoc = HEREDOC.search("\n".join(head))
            if heredoc:
                while i + 1 < len(lines) and lines[i + 1] != heredoc.group(1):
                    i += 1
                    body.append(lines[i])
                i += 1
                body.append(lines[i])
            commands.append(Command(start + 1, "\n".join(head + body), "\n".join(head)))
            i += 1
        i += 1
    return commands


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))


def _id(c: Command) -> str:
    return f"README.md:{c.line}"


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """A fresh copy of what the README's commands read, as after a clone: no audits, no reports."""
    root = tmp_path_factory.mktemp("readme")
    for name in COPIED:
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(README, root / "README.md")
    (root / "reports").mkdir()
    return root


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    venv_bin = Path(sys.executable).parent
    assert (venv_bin / "checklist").exists(), f"no checklist console script in {venv_bin}"
    out = {k: v for k, v in os.environ.items() if not k.startswith("CHECKLIST_")}
    out["PATH"] = f"{venv_bin}{os.pathsep}{out.get('PATH', '')}"
    return out


def test_the_readme_has_commands_and_every_block_is_parsed():
    assert len(COMMANDS) >= 20
    shown = "\n".join(c.text for c in COMMANDS)
    assert "checklist diff examples/catalogs/old.yaml examples/catalogs/new.yaml" in shown
    assert "checklist events check examples/events/2026.yaml" in shown


@pytest.mark.parametrize("command", COMMANDS, ids=_id)
def test_readme_command_runs_as_written(command: Command, copy: Path, env: dict[str, str]):
    if command.skip_reason:
        pytest.skip(f"{_id(command)} `{command.head.split('#')[0].strip()}`: {command.skip_reason}")
    flat = " ".join(command.head.replace("\\\n", " ").split())
    for prefix, option in DATED.items():
        if flat.startswith(prefix):
            assert option in flat, f"{_id(command)}: `{prefix}` depends on today's date: give it {option}"
    proc = subprocess.run(
        ["bash", "-c", command.text],
        cwd=copy,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == command.expected, (
        f"{_id(command)} exited {proc.returncode}, README says {command.expected}:\n{command.text}\n"
        f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
    )
    promise = PROMISE.search(command.head)
    if promise:
        value = promise.group(1)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            assert value in proc.stdout, f"{_id(command)} promises {value}:\n{proc.stdout}"
        else:
            assert (copy / value).is_file(), f"{_id(command)} promises to write {value}"
