"""Each command's --help: only the exit codes that command can return, and summaries that are
not cut in the middle of a parenthesis."""

from __future__ import annotations

import re

import click
import pytest

from checklist.cli import cli
from checklist.cli.common import CODE_MEANINGS, COMMAND_CODES


def commands(group: click.Group = cli, prefix: str = ""):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def listed_codes(help_text: str) -> set[int]:
    tail = help_text[help_text.index("Exit codes:") :]
    return {int(m) for m in re.findall(r"^\s+(\d+)\s{2}", tail, re.MULTILINE)}


@pytest.mark.parametrize(("name", "command"), list(commands()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_lists_its_own_exit_codes(run, name, command):
    assert name in COMMAND_CODES, f"add {name!r} to COMMAND_CODES in checklist/cli/common.py"
    result = run(*name.split(), "--help")
    assert listed_codes(result.output) == {int(c) for c in COMMAND_CODES[name]}


def test_codes_follow_what_each_command_does(run):
    def codes(*args):
        return listed_codes(run(*args, "--help").output)

    assert codes("validate") == {0, 1, 2, 70}  # reads only: no render, deadline, I/O or Ctrl-C codes
    assert codes("report") == {0, 1, 2, 3, 70, 74}
    assert codes("events", "check") == {0, 1, 2, 3, 4, 70, 74}
    assert codes("audit", "run") == {0, 1, 2, 70, 74, 75, 130}
    assert codes("deadline") == {0, 1, 2, 70}
    assert codes("import") == {0, 1, 2, 70, 74}  # 1: no layout fits, or a clause swallowed others
    assert listed_codes(run("--help").output) == {int(c) for c in CODE_MEANINGS}


@pytest.mark.parametrize(("name", "command"), list(commands()), ids=lambda x: x if isinstance(x, str) else "")
def test_summaries_are_not_cut_inside_a_parenthesis(name, command):
    short = command.get_short_help_str(limit=200)
    assert short.count("(") == short.count(")") and short.count("（") == short.count("）"), short
