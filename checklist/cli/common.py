"""What every command shares: the command and group classes that turn a ChecklistError into its
words and exit code in one place, the exit codes each command can return (for its --help), the
date option and progress bars."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from checklist.errors import ChecklistError, ExitCode

E = ExitCode
# What each code means, once; every command's epilog lists the ones it can return.
CODE_MEANINGS = {
    E.OK: "success; every file valid",
    E.INVALID: "an input file is invalid (each error printed as path:line:col: message); import: no layout fits the text, or a clause swallowed others",
    E.USAGE: "usage error: bad option, missing or unreadable file, unknown id",
    E.RENDER: "a report could not be rendered correctly (no CJK font, missing glyphs, refused resource)",
    E.OVERDUE: "deadlines: a filing is late or missing, or a rule is not followed",
    E.REFUSED: "register: move refused (not allowed from this status or for this role, or a field missing)",
    E.CONFLICT: "register: someone else changed the hazard first (or a changed audit touches one acted on)",
    E.DATABASE: "register: database unreachable, or its schema is newer/older than this checklist",
    E.TAMPERED: "register: the event log does not prove the register (an event or a row changed, an anchor not in the chain)",
    E.INTERNAL: "internal error (a bug: please report it with CHECKLIST_DEBUG=1 output)",
    E.IO: "a file could not be written or read (read-only or missing folder, disk full, permission): path and reason",
    E.BUSY: "the audit is open in another process, or changed since it was read (your answers kept beside it)",
    E.INTERRUPTED: "interrupted (Ctrl-C); the answer being given is not saved",
}
READS = (E.OK, E.INVALID, E.USAGE, E.INTERNAL)  # commands that only read and print
WRITES = (*READS, E.IO)  # … and write files
RENDERS = (*WRITES, E.RENDER)  # … and render PDF/HTML
REGISTER_MOVES = ("start", "rectify", "verify", "extend", "supervise", "revoke")
# The codes of each command, by its full name.
COMMAND_CODES: dict[str, tuple[ExitCode, ...]] = {
    "checklist": tuple(CODE_MEANINGS),
    "validate": READS,
    "catalogs": READS,
    "audit new": (*WRITES, E.BUSY, E.DATABASE),  # DATABASE: --recheck reads the register
    "audit batch": (*WRITES, E.BUSY),
    "audit run": (*WRITES, E.BUSY, E.INTERRUPTED),
    "audit answer": (*WRITES, E.BUSY),
    "audit status": READS,
    "report": RENDERS,
    "deadline": READS,
    "events check": (*RENDERS, E.OVERDUE),
    "sample": WRITES,
    "duties": RENDERS,
    "import": WRITES,
    "diff": READS,
    "calendar": RENDERS,
    "schemas export": WRITES,
    "risk assess": READS,
    "risk list": READS,
    "risk report": RENDERS,
    "risk cards": RENDERS,
    "register upgrade": (*READS, E.DATABASE, E.TAMPERED),  # TAMPERED: an older register whose log cannot prove its rows
    "register lifecycle": READS,
    "register import": (*READS, E.REFUSED, E.CONFLICT, E.DATABASE),
    "register list": (*WRITES, E.DATABASE),
    "register show": (*READS, E.DATABASE),
    "register attention": (*READS, E.DATABASE),
    "register units": (*WRITES, E.DATABASE),
    "register stats": (*WRITES, E.DATABASE),
    "register check-log": (*READS, E.DATABASE, E.TAMPERED),
    "register export": (*WRITES, E.DATABASE),
    "register restore": (*READS, E.CONFLICT, E.DATABASE, E.TAMPERED),
    **{f"register {move}": (*READS, E.REFUSED, E.CONFLICT, E.DATABASE) for move in REGISTER_MOVES},
    **{f"register {paper}": (*RENDERS, E.DATABASE) for paper in ("notice", "opinion", "ledger", "dashboard")},
    "users add": (*READS, E.DATABASE),
    "users list": (*READS, E.DATABASE),
    "users disable": (*READS, E.DATABASE),
    "users token": (*READS, E.DATABASE),
    "serve": (*READS, E.DATABASE),
}


def exit_codes(command: str) -> str:
    """The epilog of ``command``'s --help: the exit codes it can return, and what they mean."""
    lines = [f"{int(c):>3}  {CODE_MEANINGS[c]}" for c in sorted(COMMAND_CODES.get(command, CODE_MEANINGS))]
    return "\b\nExit codes:\n" + "\n".join(lines) + "\n"


# Commands declare ``epilog=EXIT_CODES``; ``document_exit_codes`` (run once the tree is built)
# puts in its place the codes that command can return.
EXIT_CODES = exit_codes("checklist")


def document_exit_codes(group: click.Group, prefix: str = "") -> None:
    """Give every command under ``group`` the exit codes it can return in its --help."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            document_exit_codes(command, f"{prefix}{name} ")
        elif command.epilog and EXIT_CODES in command.epilog:
            command.epilog = command.epilog.replace(EXIT_CODES, exit_codes(f"{prefix}{name}"))


def progress(length: int, label: str, *, hidden: bool = False) -> Any:
    """A progress bar on standard error — only when it is a terminal, so logs and pipes get no
    bar words and no blank lines."""
    return click.progressbar(length=length, label=label, file=sys.stderr, hidden=hidden or not sys.stderr.isatty())


class Failure(click.ClickException):
    """A ChecklistError on its way out: a refusal in this command's words, anything else printed
    as is (it already names its place)."""

    def __init__(self, error: ChecklistError):
        from checklist.cli.words import say

        super().__init__(say(error))
        self.exit_code = int(error.exit_code)  # type: ignore[misc]  # click reads it per instance
        self.has_place = error.path is not None or "\n" in self.message

    def show(self, file=None) -> None:
        prefix = "" if self.has_place else "checklist: error: "
        click.echo(prefix + self.message, err=True)


def fail(error: ChecklistError) -> NoReturn:
    raise Failure(error) from error


class Command(click.Command):
    """A command whose ChecklistError becomes its words and exit code here, while the command's
    options are still known (a refusal names the option that set the field), and whose Ctrl-C
    ends quietly with 130."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ChecklistError as e:
            fail(e)
        except KeyboardInterrupt:
            raise click.exceptions.Exit(int(ExitCode.INTERRUPTED)) from None


class Group(click.Group):
    """A group of such commands: ``@group.command`` and ``@group.group`` make them too."""

    command_class = Command
    group_class = type  # subgroups are of this class

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ChecklistError as e:
            fail(e)
        except KeyboardInterrupt:
            raise click.exceptions.Exit(int(ExitCode.INTERRUPTED)) from None


def command(name: str | None = None, **attrs: Any) -> Any:
    """``click.command`` making a Command."""
    return click.command(name, cls=Command, **attrs)


def group(name: str | None = None, **attrs: Any) -> Any:
    """``click.group`` making a Group."""
    return click.group(name, cls=Group, **attrs)


def date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """Click callback: YYYY-MM-DD (full-width digits accepted), or None."""
    from checklist.dates import parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except ChecklistError as e:
        raise click.BadParameter(e.message) from e


schemas_option = click.option(
    "--schemas",
    "schemas_dir",
    type=click.Path(file_okay=False, exists=True),
    help="Folder of exported schemas (checklist schemas export) for the file's modeline [default: a schemas/ folder up the tree, else the installed schema].",
)
