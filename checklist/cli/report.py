"""`checklist report`: inspection reports of audit files."""

from __future__ import annotations

import sys

import click

from checklist.cli.common import EXIT_CODES, command, format_option, progress
from checklist.errors import ExitCode
from checklist.i18n import _


@command(epilog=EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(), help="Output file (one audit) or folder (several) [default: reports/<audit name>.<format>]."
)
@format_option("checklist.outputs.pages:FORMATS", "checklist.outputs.report:REPORTERS", default="pdf")
@click.option("--jobs", type=click.IntRange(1), help="Parallel renderers [default: one per core].")
@click.option(
    "--inspecting-body",
    default="",
    help="Who inspected (检查单位), for the cover [default: as recorded in the audit, else the catalog's issuer].",
)
def report(files, output, fmt, jobs, inspecting_body):
    """Render inspection reports of audit files: A4 PDF, HTML, JSON or CSV (UTF-8 with BOM).

    The PDF has a cover, a summary with a chart by chapter, every check with its photos, the
    findings (重大事故隐患 first), a signature block, and the audit file's SHA-256 in the footer.
    It is written only if every character has a glyph in the pinned CJK font.
    """
    from pathlib import Path

    from checklist.outputs.report import render_many

    worst = ExitCode.OK
    results = render_many(list(files), fmt, Path(output) if output else None, jobs, inspecting_body.strip())
    with progress(len(files), _("rendering"), hidden=len(files) < 2) as bar:
        nl = "" if bar.hidden else "\n"  # past the bar's line, when there is one
        for r in results:
            bar.update(1)
            if r.notice:
                click.echo(nl + _("checklist: warning: {path}: {notice}").format(path=r.source, notice=r.notice), err=True)
            if r.error:
                click.echo(f"{nl}{r.error}", err=True)
                worst = max(worst, r.exit_code)
            else:
                click.echo(f"{nl}{r.output}")
    sys.exit(worst)
