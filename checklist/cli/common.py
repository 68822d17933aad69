"""What every command shares: the command and group classes that turn a ChecklistError into its
words and exit code in one place, the exit codes each command can return (for its --help), the
date option and progress bars."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import Any, NoReturn

import click

from checklist.errors import ChecklistError, ExitCode
from checklist.i18n import N_, gettext, language

E = ExitCode
# What each code means, once; every command's epilog lists the ones it can return.
CODE_MEANINGS = {
    E.OK: N_("success; every file valid"),
    E.INVALID: N_(
        "an input file is invalid (each error printed as path:line:col: message); import: no layout fits the text, or a clause swallowed others"
    ),
    E.USAGE: N_("usage error: bad option, missing or unreadable file, unknown id"),
    E.RENDER: N_("a report could not be rendered correctly (no CJK font, missing glyphs, refused resource)"),
    E.OVERDUE: N_("deadlines: a filing is late or missing, or a rule is not followed"),
    E.REFUSED: N_("register: move refused (not allowed from this status or for this role, or a field missing)"),
    E.CONFLICT: N_("register: someone else changed the hazard first (or a changed audit touches one acted on)"),
    E.DATABASE: N_("register: database unreachable, or its schema is newer/older than this checklist"),
    E.TAMPERED: N_("register: the event log does not prove the register (an event or a row changed, an anchor not in the chain)"),
    E.INTERNAL: N_("internal error (a bug: please report it with CHECKLIST_DEBUG=1 output)"),
    E.IO: N_("a file could not be written or read (read-only or missing folder, disk full, permission): path and reason"),
    E.BUSY: N_("the audit is open in another process, or changed since it was read (your answers kept beside it)"),
    E.INTERRUPTED: N_("interrupted (Ctrl-C); the answer being given is not saved"),
}
ALWAYS = (E.OK, E.USAGE, E.INTERNAL)  # every command: success, a usage error, a bug
READS = (*ALWAYS, E.INVALID)  # … and reads files a user wrote, which may be invalid
WRITES = (*READS, E.IO)  # … and writes files
RENDERS = (*WRITES, E.RENDER)  # … and renders PDF/HTML
REGISTER_MOVES = (
    "start",
    "rectify",
    "verify",
    "extend",
    "supervise",
    "revoke",
    "grade",
    "plan",
    "extension request",
    "extension approve",
    "extension refuse",
    "assess",
    "signoff",
)
REGISTER_PAPERS = ("notice", "opinion", "ledger", "supervision-notice", "signoff-notice")
# The codes of each command, by its full name: what its code paths can return (a group's --help
# lists those of its commands).
COMMAND_CODES: dict[str, tuple[ExitCode, ...]] = {
    "checklist": tuple(CODE_MEANINGS),
    "validate": READS,
    "catalogs": WRITES,  # 1: a catalog of $CHECKLIST_CATALOGS is invalid; 74: export cannot write
    "catalogs export": WRITES,
    "audit new": (*WRITES, E.BUSY, E.DATABASE),  # DATABASE: --recheck reads the register
    "audit batch": (*RENDERS, E.BUSY),  # RENDER: --report
    "audit run": (*WRITES, E.BUSY, E.INTERRUPTED),
    "audit answer": (*WRITES, E.BUSY),
    "audit status": READS,
    "report": RENDERS,
    "deadline": READS,
    "events check": (*RENDERS, E.OVERDUE),
    "sample": (*WRITES, E.DATABASE),  # DATABASE: --businesses reads the register
    "duties": RENDERS,
    "import": WRITES,
    "diff": READS,
    "calendar": RENDERS,
    "schemas export": (*ALWAYS, E.IO),  # copies the shipped schemas: reads no file of the user's
    "risk assess": READS,
    "risk list": READS,
    "risk report": RENDERS,
    "risk cards": RENDERS,
    "register upgrade": (*ALWAYS, E.DATABASE, E.TAMPERED),  # TAMPERED: an older register whose log cannot prove its rows
    "register lifecycle": ALWAYS,  # prints the table: opens nothing
    "register import": (*READS, E.REFUSED, E.CONFLICT, E.DATABASE),
    "register list": (*WRITES, E.DATABASE),  # INVALID: --risk-points
    "register show": (*ALWAYS, E.DATABASE),
    "register attention": (*READS, E.DATABASE),
    "register units": (*ALWAYS, E.IO, E.DATABASE),
    "register stats": (*ALWAYS, E.DATABASE),
    "register check-log": (*ALWAYS, E.DATABASE, E.TAMPERED),
    "register export": (*ALWAYS, E.IO, E.DATABASE),
    "register restore": (*ALWAYS, E.DATABASE, E.TAMPERED),  # a bad export or a register not empty: USAGE
    # evidence that cannot be read or stored is a USAGE error (register.hazards.store_evidence)
    **{f"register {move}": (*ALWAYS, E.REFUSED, E.CONFLICT, E.DATABASE) for move in REGISTER_MOVES},
    **{f"register {paper}": (*ALWAYS, E.IO, E.RENDER, E.REFUSED, E.DATABASE) for paper in REGISTER_PAPERS},
    # a role the act is not for: REFUSED, as for a move
    **{f"register record {kind}": (*ALWAYS, E.REFUSED, E.DATABASE) for kind in ("notify", "interview", "handover")},
    "register records": (*ALWAYS, E.DATABASE),
    "register issuer set": (*ALWAYS, E.REFUSED, E.DATABASE),
    "register issuer list": (*ALWAYS, E.DATABASE),
    "register businesses import": (*READS, E.DATABASE),
    "register businesses list": (*ALWAYS, E.IO, E.DATABASE),
    "register dashboard": (*RENDERS, E.DATABASE),  # INVALID: --risk-points
    "users add": (*ALWAYS, E.DATABASE),
    "users list": (*ALWAYS, E.DATABASE),
    "users disable": (*ALWAYS, E.DATABASE),
    "users token": (*ALWAYS, E.DATABASE),
    "serve": (*ALWAYS, E.DATABASE),  # Ctrl-C stops it: waitress returns, exit 0
}


EXIT_CODES_HEADING = N_("Exit codes:")


def exit_codes(codes: Iterable[ExitCode]) -> str:
    """The epilog of a command's --help: the exit codes it can return, and what they mean."""
    lines = [f"{int(c):>3}  {CODE_MEANINGS[c]}" for c in sorted(set(codes))]
    return f"\b\n{EXIT_CODES_HEADING}\n" + "\n".join(lines) + "\n"


# Commands and groups declare ``epilog=EXIT_CODES``; ``document_exit_codes`` (run once the tree
# is built) puts in its place the codes that command can return.
EXIT_CODES = exit_codes(COMMAND_CODES["checklist"])


def codes_of(command: click.Command, name: str) -> tuple[ExitCode, ...]:
    """The codes ``command`` (full name ``name``) can return: its row of COMMAND_CODES; for a group
    without a row, every code its commands can return."""
    if name in COMMAND_CODES or not isinstance(command, click.Group):
        return COMMAND_CODES[name]  # a command missing from the table fails here, at import
    return tuple(sorted({c for sub, cmd in command.commands.items() for c in codes_of(cmd, f"{name} {sub}")}))


def document_exit_codes(group: click.Group, prefix: str = "") -> None:
    """Give every command and group under ``group`` the exit codes it can return in its --help."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            document_exit_codes(command, f"{prefix}{name} ")
        if command.epilog and EXIT_CODES in command.epilog:
            command.epilog = command.epilog.replace(EXIT_CODES, exit_codes(codes_of(command, f"{prefix}{name}")))


class Formats(click.Choice):
    """The choices of ``--format``: the keys of reporter registries in ``outputs/`` (each named
    ``"module:NAME"``), in order. They are read when the option is first parsed or shown, so a
    new reporter appears in --help by itself while ``checklist --help`` imports no outputs module."""

    def __init__(self, *registries: str) -> None:
        super().__init__((), case_sensitive=True)
        self.registries = registries

    @property
    def choices(self) -> tuple[str, ...]:
        import importlib

        keys: list[str] = []
        for where in self.registries:
            module, name = where.split(":")
            keys += getattr(importlib.import_module(module), name)
        return tuple(dict.fromkeys(keys))

    @choices.setter
    def choices(self, value: object) -> None:  # click.Choice sets it; the registries decide
        pass


def format_option(*registries: str, default: str, help: str | None = None) -> Any:
    """``--format`` with the keys of ``registries`` as its choices (see Formats)."""
    return click.option("--format", "fmt", type=Formats(*registries), default=default, show_default=True, help=help)


def echo_report(text: str, output: str | None = None) -> None:
    """A reporter's text (its last newline included) on standard output as it is, or written to
    the file ``output`` (atomically)."""
    if output:
        from pathlib import Path

        from checklist.files import atomic

        atomic.write_text(Path(output), text)
    else:
        click.echo(text, nl=False)


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
        text = self.message if self.has_place else gettext("checklist: error: {message}").format(message=self.message)
        click.echo(text, err=True)


def fail(error: ChecklistError) -> NoReturn:
    raise Failure(error) from error


def help_texts(command: click.Command) -> list[str]:
    """The texts of ``command``'s --help written in the code, as click holds them: its help, short
    help and epilog (before its exit codes), and its options' help — the messages to translate."""
    texts = [command.help, command.short_help, _epilog_text(command.epilog)]
    texts += [p.help for p in command.params if isinstance(p, click.Option)]
    return [t for t in texts if t]


def _epilog_text(epilog: str | None) -> str | None:
    head = f"\b\n{EXIT_CODES_HEADING}\n"
    return epilog.split(head, 1)[0].strip("\n") or None if epilog else None


def _translated_epilog(epilog: str) -> str:
    """The epilog in the reader's language: its text, then each exit code's meaning."""
    head = f"\b\n{EXIT_CODES_HEADING}\n"
    text, _, codes = epilog.partition(head)
    meanings = {v: k for k, v in CODE_MEANINGS.items()}
    lines = []
    for line in codes.splitlines():
        number, _, meaning = line.strip().partition("  ")
        lines.append(f"{number:>3}  {gettext(meaning)}" if meaning in meanings else line)
    body = text.rstrip("\n")
    out = gettext(body.strip("\n")) + text[len(body) :] if body.strip("\n") else text
    return out + (f"\b\n{gettext(EXIT_CODES_HEADING)}\n" + "\n".join(lines) + "\n" if codes else "")


def _first_sentence(text: str, longest: int = 64) -> str:
    """A command's line in its group's --help, from its Chinese help: the first sentence, cut to
    ``longest`` columns (click would cut a text without spaces to "...")."""
    import inspect

    from checklist.cli.wide_text import width

    first = inspect.cleandoc(text).split("\n\n")[0].strip("\b\n").replace("\n", "")
    head, stop, _ = first.partition("。")
    sentence = head + stop
    while width(sentence) > longest:
        sentence = sentence[:-2] + "…"
    return sentence


@contextlib.contextmanager
def translated(command: click.Command) -> Iterator[None]:
    """While --help is written: the command's texts, its options' and (for a group) its commands'
    short help in the reader's language. Click keeps them as written; they are put back after."""
    objects: list[Any] = [command, *command.params]
    if isinstance(command, click.Group):
        objects += list(command.commands.values())
    saved = [(o, o.help, getattr(o, "short_help", None), getattr(o, "epilog", None)) for o in objects]
    try:
        for o, help_, short, epilog in saved:
            o.help = gettext(help_) if help_ else help_
            if short:
                o.short_help = gettext(short)
            elif help_ and o is not command and isinstance(o, click.Command) and language() != "en":
                o.short_help = _first_sentence(gettext(help_))
            if epilog and o is command:
                o.epilog = _translated_epilog(epilog)
        yield
    finally:
        for o, help_, short, epilog in saved:
            o.help = help_
            if hasattr(o, "short_help"):
                o.short_help = short
            if hasattr(o, "epilog"):
                o.epilog = epilog


HELP_OPTION = "Show this message and exit."  # click's own message (extracted from click)


def _worded(option: click.Option | None) -> click.Option | None:
    """Click words the --help option once, when it first makes it, and keeps it: worded again in
    the reader's language each time it is asked for (the language can change between calls)."""
    if option is not None:
        option.help = gettext(HELP_OPTION)
    return option


class Command(click.Command):
    """A command whose ChecklistError becomes its words and exit code here, while the command's
    options are still known (a refusal names the option that set the field), whose Ctrl-C ends
    quietly with 130, and whose --help is in the reader's language."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with translated(self):
            super().format_help(ctx, formatter)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _worded(super().get_help_option(ctx))

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

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with translated(self):
            super().format_help(ctx, formatter)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _worded(super().get_help_option(ctx))

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
