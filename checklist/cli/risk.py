"""`checklist risk`: risk points scored, graded and printed (安全风险分级管控)."""

from __future__ import annotations

import click

from checklist.cli.common import EXIT_CODES, echo_report, format_option, group
from checklist.i18n import _

_FILE = click.argument("file", type=click.Path(dir_okay=False))
_METHODS = click.option(
    "--methods",
    "methods_file",
    type=click.Path(dir_okay=False),
    help="Your own method file (risk-methods), adding methods or replacing the bundled LEC/LS by id.",
)
_ORG = click.option("--org", "organisation", help="The organisation printed in the title [default: the file's organisation].")


@group(epilog=EXIT_CODES)
def risk() -> None:
    """Risk grading (安全风险分级管控): risk points scored by a method (LEC: D = L × E × C;
    LS: R = L × S), graded 重大 / 较大 / 一般 / 低 (红 / 橙 / 黄 / 蓝), each with its control level.

    FILE is a risk-point file: YAML, or a CSV/XLSX sheet whose first row holds the column titles
    编号、风险点、位置、单位、作业活动、设备设施、危险因素、事故类型、评价方法、L、E、C、S、管控措施、
    管控层级、调整理由、责任人、应急处置措施、应急电话."""


@risk.command(epilog=EXIT_CODES)
@_FILE
@_METHODS
@format_option("checklist.outputs.risk_views:ASSESS_REPORTERS", default="text")
def assess(file, methods_file, fmt):
    """Score and grade every point, showing the working: D = 6 × 3 × 15 = 270 → 较大风险 (橙).
    Every bad cell is reported as file:row:col (file[sheet]:row:col for XLSX)."""
    from checklist.outputs.risk_views import ASSESS_REPORTERS
    from checklist.risk.grading import assess as grade_file

    echo_report(ASSESS_REPORTERS[fmt](grade_file(file, methods_file)))


@risk.command("list", epilog=EXIT_CODES)
@_FILE
@_METHODS
@click.option("--unit", help="Only this unit's points (as written in the file's 单位 column).")
@click.option("--level", help="Only this level: 重大, 较大, 一般 or 低 (or 重大风险, or its colour 红).")
@format_option("checklist.outputs.risk_views:LIST_REPORTERS", default="text")
def list_points(file, methods_file, unit, level, fmt):
    """List the points, highest level first (then highest score): level, id, name, unit, score,
    control level, responsible person."""
    from checklist.outputs.risk_views import LIST_REPORTERS
    from checklist.risk.grading import assess as grade_file

    grading = grade_file(file, methods_file)
    echo_report(LIST_REPORTERS[fmt](grading, grading.select(unit, level)))


@risk.command(epilog=EXIT_CODES)
@_FILE
@_METHODS
@_ORG
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Output file [default: reports/<file name>-风险分级管控清单.<format>]."
)
@format_option("checklist.outputs.risk_views:REPORT_FORMATS", default="pdf")
def report(file, methods_file, organisation, output, fmt):
    """Render the 风险分级管控清单: every point, highest level first, the level cell in its colour
    (PDF A4 landscape, HTML, or XLSX with the cells filled); then counts by unit and level with a
    chart, and the methods' bands and sources. A PDF is written only if every character has a glyph."""
    from pathlib import Path

    from checklist.outputs.risk_views import write_report
    from checklist.risk.grading import assess as grade_file

    grading = grade_file(file, methods_file)
    out = Path(output) if output else Path("reports") / f"{Path(file).stem}-风险分级管控清单.{fmt}"
    write_report(grading, fmt, out, organisation)
    click.echo(_("{file}: {count} risk point(s)").format(file=out, count=len(grading.assessments)))


@risk.command(epilog=EXIT_CODES)
@_FILE
@_METHODS
@_ORG
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="A .pdf (or .html) file holding every card, or a folder for one PDF per point [default: reports/<file name>-告知卡.pdf].",
)
@click.option("--size", type=click.Choice(["A4", "A5"], case_sensitive=False), default="A4", show_default=True)
@click.option(
    "--emergency-numbers", "numbers", help='Numbers printed on every card instead of the file\'s, e.g. "火警 119；急救 120；值班室 8000".'
)
def cards(file, methods_file, organisation, output, size, numbers):
    """Render one 岗位安全风险告知卡 per point, A4 or A5.

    Each card shows the point's name, its level on a band of its colour, the hazards, accident
    types, control measures, emergency measures, responsible person and emergency numbers (from
    --emergency-numbers, else the point's and the file's)."""
    from pathlib import Path

    from checklist.outputs.risk_views import emergency_numbers, write_cards
    from checklist.risk.grading import assess as grade_file

    grading = grade_file(file, methods_file)
    out = Path(output) if output else Path("reports") / f"{Path(file).stem}-告知卡.pdf"
    written = write_cards(grading, out, size, emergency_numbers(numbers), organisation)
    if len(written) > 1:
        click.echo(_("{file}: {count} card(s) in {files} file(s)").format(file=out, count=len(grading.assessments), files=len(written)))
    else:
        click.echo(_("{file}: {count} card(s)").format(file=out, count=len(grading.assessments)))
