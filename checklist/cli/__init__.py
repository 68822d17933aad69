"""The ``checklist`` command line, the only place click is imported. Each command module parses
its options, calls one core function and turns a ChecklistError into its message and exit code;
core modules are imported inside the commands so ``--help`` stays fast."""

from __future__ import annotations

import os
import signal
import sys

import click

from checklist import __version__
from checklist.cli import (
    audit,
    authoring,
    calendar,
    deadline,
    duties,
    events,
    register,
    register_business,
    register_data,
    register_major,
    register_paper,
    report,
    risk,
    sample,
    schemas,
    users,
    validate,
    wide_text,
)
from checklist.cli.common import EXIT_CODES, document_exit_codes, group
from checklist.errors import ExitCode
from checklist.i18n import N_, gettext, ngettext


def _route_click_messages() -> None:
    """Click marks its own messages ("Usage:", "Missing option", "Try … for help") for gettext but
    asks Python's global catalog; its modules ask ours instead, so they read in the user's language."""
    import importlib

    for name in (
        "core",
        "decorators",
        "exceptions",
        "formatting",
        "parser",
        "termui",
        "types",
        "utils",
        "_termui_impl",
        "shell_completion",
    ):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


_route_click_messages()
wide_text.use()
N_("required")  # click shows "[required]" after an option's help, translated with a variable


@group(epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="checklist", help="Show the version and exit.")  # translated when shown
def cli() -> None:
    """Duties from policy documents, kept as data: validate catalogs, run audits,
    compute working-day deadlines, produce responsibility lists and PDF reports."""


for command in (
    validate.validate,
    validate.list_catalogs,
    audit.audit,
    report.report,
    deadline.deadline,
    calendar.calendar,
    events.events,
    sample.sample,
    duties.duties,
    authoring.diff_command,
    authoring.import_command,
    schemas.schemas,
    risk.risk,
    register.register,
    users.users,
    users.serve,
):
    cli.add_command(command)
for command in register_data.COMMANDS + register_paper.COMMANDS + register_major.COMMANDS + register_business.COMMANDS:
    register.register.add_command(command)
document_exit_codes(cli)


def main() -> None:
    """Console entry point: never a traceback for the user (set CHECKLIST_DEBUG=1 to see one)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _exit_on_signal)
    try:
        cli.main(prog_name="checklist")
    except OSError as e:  # a write the core did not route through files.atomic: still the OS's reason
        if os.environ.get("CHECKLIST_DEBUG"):
            raise
        from checklist.errors import os_reason

        reason = os_reason(e)
        text = gettext("{path}: {reason}").format(path=e.filename, reason=reason) if e.filename is not None else reason
        click.echo(gettext("checklist: error: {message}").format(message=text), err=True)
        sys.exit(ExitCode.IO)
    except Exception as e:  # a bug, not a user error: say so briefly
        if os.environ.get("CHECKLIST_DEBUG"):
            raise
        click.echo(
            gettext("checklist: internal error: {kind}: {error} (set CHECKLIST_DEBUG=1 for details)").format(
                kind=type(e).__name__, error=e
            ),
            err=True,
        )
        sys.exit(ExitCode.INTERNAL)


def _exit_on_signal(signum: int, frame: object) -> None:
    """SIGTERM and SIGHUP unwind like Ctrl-C, so temporary files are removed and locks released;
    the exit code is the shell's for a process ended by that signal, as Ctrl-C's is for SIGINT."""
    raise SystemExit(ExitCode.INTERRUPTED - signal.SIGINT + signum)
