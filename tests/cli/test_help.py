"""Each command's --help: only the exit codes that command can return, and summaries that are
not cut in the middle of a parenthesis."""

from __future__ import annotations

import re

import click
import pytest

from checklist.cli import cli
from checklist.cli.common import CODE_MEANINGS, COMMAND_CODES
from checklist.i18n import gettext


def commands(group: click.Group = cli, prefix: str = ""):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def listed_codes(help_text: str) -> set[int]:
    heading = "Exit codes:" if "Exit codes:" in help_text else gettext("Exit codes:")  # an epilog as written; --help as shown
    tail = help_text[help_text.index(heading) :]
    return {int(m) for m in re.findall(r"^\s*(\d+)\s{2}", tail, re.MULTILINE)}


@pytest.mark.parametrize(("name", "command"), list(commands()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_lists_its_own_exit_codes(run, name, command):
    assert name in COMMAND_CODES, f"add {name!r} to COMMAND_CODES in checklist/cli/common.py"
    result = run(*name.split(), "--help")
    assert listed_codes(result.output) == {int(c) for c in COMMAND_CODES[name]}


def tree(group: click.Group = cli, prefix: str = ""):
    """Every command and group under ``group``, by full name, groups before their commands."""
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from tree(command, f"{prefix}{name} ")


def codes_below(name: str, command: click.Command) -> set[int]:
    if not isinstance(command, click.Group):
        return {int(c) for c in COMMAND_CODES[name]}
    return set().union(*(codes_below(f"{name} {sub}", c) for sub, c in command.commands.items()))


@pytest.mark.parametrize(("name", "command"), list(tree()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_epilog_lists_exactly_the_codes_of_its_command(name, command):
    """Each command's epilog: its row of COMMAND_CODES; each group's: every code of its commands."""
    assert command.epilog, f"{name}: declare epilog=EXIT_CODES"
    assert listed_codes(command.epilog) == codes_below(name, command)
    assert name in COMMAND_CODES or isinstance(command, click.Group), f"add {name!r} to COMMAND_CODES in checklist/cli/common.py"


def test_the_table_names_no_command_that_is_gone():
    names = {name for name, _ in tree()} | {"checklist"}
    assert set(COMMAND_CODES) <= names, set(COMMAND_CODES) - names


def test_codes_follow_what_each_command_does(run):
    def codes(*args):
        return listed_codes(run(*args, "--help").output)

    assert codes("validate") == {0, 1, 2, 70}  # reads only: no render, deadline, I/O or Ctrl-C codes
    assert codes("report") == {0, 1, 2, 3, 70, 74}
    assert codes("events", "check") == {0, 1, 2, 3, 4, 70, 74}
    assert codes("audit", "run") == {0, 1, 2, 70, 74, 75, 130}
    assert codes("deadline") == {0, 1, 2, 70}
    assert codes("import") == {0, 1, 2, 70, 74}  # 1: no layout fits, or a clause swallowed others
    assert codes("audit", "batch") == {0, 1, 2, 3, 70, 74, 75}  # 3: --report
    assert codes("schemas", "export") == {0, 2, 70, 74}  # reads nothing of the user's
    assert codes("register", "lifecycle") == {0, 2, 70}  # prints a table: opens nothing
    assert codes("register", "show") == {0, 2, 7, 70}  # reads no file
    assert codes("register", "restore") == {0, 2, 7, 8, 70}  # a bad export is a usage error; no conflict
    assert codes("register", "start") == {0, 2, 5, 6, 7, 70}
    assert codes("register", "dashboard") == {0, 1, 2, 3, 7, 70, 74}  # 1: --risk-points
    assert codes("users", "add") == {0, 2, 7, 70}
    assert codes("risk") == {0, 1, 2, 3, 70, 74}  # a group: the codes of its commands
    assert listed_codes(run("--help").output) == {int(c) for c in CODE_MEANINGS}


@pytest.mark.parametrize(("name", "command"), list(commands()), ids=lambda x: x if isinstance(x, str) else "")
def test_summaries_are_not_cut_inside_a_parenthesis(name, command):
    short = command.get_short_help_str(limit=200)
    assert short.count("(") == short.count(")") and short.count("（") == short.count("）"), short
