"""The ``checklist`` command line, the only place click is imported. Each command module parses
its options, calls one core function and turns a ChecklistError into its message and exit code;
core modules are imported inside the commands so ``--help`` stays fast."""

from __future__ import annotations

import os
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
    report,
    risk,
    sample,
    schemas,
    validate,
)
from checklist.cli.common import EXIT_CODES, document_exit_codes
from checklist.errors import ExitCode


@click.group(epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="checklist")
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
):
    cli.add_command(command)
document_exit_codes(cli)


def main() -> None:
    """Console entry point: never a traceback for the user (set CHECKLIST_DEBUG=1 to see one)."""
    try:
        cli.main(prog_name="checklist")
    except Exception as e:  # a bug, not a user error: say so briefly
        if os.environ.get("CHECKLIST_DEBUG"):
            raise
        click.echo(f"checklist: internal error: {type(e).__name__}: {e} (set CHECKLIST_DEBUG=1 for details)", err=True)
        sys.exit(ExitCode.INTERNAL)
