"""`checklist register …`: the hazard register on SQLite (default) or PostgreSQL.

Each command opens the register (``--db`` / $CHECKLIST_DB / checklist.db), calls one core
function of checklist.register and prints the result; SQLAlchemy is imported inside the commands.
"""

from __future__ import annotations

import os
import sys

import click

from checklist import dates, vocabulary
from checklist.cli.common import EXIT_CODES, date_option, echo_report, fail, format_option, group
from checklist.errors import ExitCode
from checklist.i18n import _

DB_HELP = "Register database URL: sqlite:///FILE or postgresql://USER@HOST:PORT/DB [default: $CHECKLIST_DB, else sqlite:///checklist.db]."


def db_option(f):
    return click.option("--db", "db", metavar="URL", help=DB_HELP)(f)


def actor_options(f):
    f = click.option(
        "--role",
        type=click.Choice(vocabulary.HAZARD_ROLES),
        default=lambda: os.environ.get("CHECKLIST_ROLE", "admin"),
        help="Your role; the lifecycle table says which roles may make each move [default: $CHECKLIST_ROLE, else admin].",
    )(f)
    return click.option("--by", "by", metavar="NAME", help="Who acts (recorded in the log) [default: $CHECKLIST_USER].")(f)


def files_option(f):
    return click.option(
        "--files", "files", metavar="DIR", help="Folder for evidence files [default: beside the SQLite file, else ./checklist-files]."
    )(f)


def who(by: str | None) -> str:
    name = (by or os.environ.get("CHECKLIST_USER", "")).strip()
    if not name:
        from checklist.errors import UsageError

        fail(UsageError(_("who is acting? give --by NAME or set CHECKLIST_USER (every move is recorded with its author)")))
    from checklist.files import values
    from checklist.register.lifecycle import FIELD_LIMITS

    return values.text("by", name, required=True, longest=FIELD_LIMITS["by"])  # imports record it too


def open_db(db: str | None, *, create: bool = True):
    """The register; a command that only reads passes ``create=False``: a register file that does
    not exist is refused (a typo must not make an empty register), and one that cannot be written
    is read read-only."""
    from checklist.register.db import open_register

    return open_register(db, create=create)


@group(epilog=EXIT_CODES)
def register() -> None:
    """The hazard register (隐患排查治理): every finding tracked from 待整改 to 已销号.

    \b
    Lifecycle: 待整改 → 整改中 → 待复查 → 已销号; 复查不通过 back to 整改中; 延期, 挂牌督办 (重大),
    撤销. `checklist register lifecycle` prints the whole table.
    """


@register.command("upgrade", epilog=EXIT_CODES)
@db_option
def upgrade_command(db):
    """Create the register's tables, or bring an older schema up to this version."""
    from checklist.register.db import database_url, make_engine, safe_url, upgrade

    engine = make_engine(database_url(db))
    done = upgrade(engine)
    url = safe_url(engine.url)
    if done.before == done.after:
        line = _("{url}: already at schema revision {revision}").format(url=url, revision=done.after)
    else:
        line = _("{url}: upgraded from {before} to schema revision {revision}").format(
            url=url, before=done.before or _("(empty)"), revision=done.after
        )
    if done.sealed:
        line += _("; {n} hazard(s) recorded as they stood, so the log proves them from here on").format(n=done.sealed)
    click.echo(line)


@register.command("lifecycle", epilog=EXIT_CODES)
def lifecycle_command():
    """Print the lifecycle table: from status, action, to status, who may, what it needs."""
    from checklist.outputs.register_views import lifecycle_text
    from checklist.register.lifecycle import MOVES

    echo_report(lifecycle_text(MOVES))


@register.command("import", epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@actor_options
@files_option
@format_option("checklist.outputs.register_views:IMPORT_REPORTERS", default="text")
def import_command(paths, db, by, role, files, fmt):
    """Take every 不符合 of the audits (files or folders) into the register; re-check entries move
    their hazards. Importing the same audit again changes nothing; a changed audit updates the
    hazards still 待整改 and reports conflicts (exit 6) for those already acted on."""
    from checklist.cli.words import say
    from checklist.outputs.register_views import IMPORT_REPORTERS
    from checklist.register.db import files_folder
    from checklist.register.importer import import_audits

    name = who(by)
    engine = open_db(db)
    report = import_audits(engine, list(paths), by=name, role=role, files_dir=files_folder(engine, files))
    out, notes = IMPORT_REPORTERS[fmt](report, say)
    echo_report(out)
    click.echo(notes, nl=False, err=True)
    if report.conflicts:
        sys.exit(ExitCode.CONFLICT)
    if report.refused:
        sys.exit(ExitCode.REFUSED)


def business_options(f):
    """--business / --business-grade: the hazards of the register's businesses (`register businesses`)."""
    f = click.option("--business-grade", metavar="LEVEL", help="Only the hazards of the businesses of this 分级分类 level (by name).")(f)
    return click.option("--business", metavar="CODE|NAME", help="Only the hazards of this business (统一社会信用代码 or name).")(f)


def risk_options(f):
    f = click.option(
        "--methods", type=click.Path(dir_okay=False), help="Your own risk-method file (adds to or overrides the bundled one)."
    )(f)
    return click.option(
        "--risk-points",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="The graded risk points (YAML, CSV or XLSX; `checklist risk assess`).",
    )(f)


def load_grading(risk_points, methods):
    if not risk_points:
        return None
    from checklist.risk.grading import assess

    return assess(risk_points, methods)


def warn_unknown(unknown: list[str], risk_points: str) -> None:
    if unknown:
        warning = _("risk point(s) not in {file}: {ids}").format(file=risk_points, ids=", ".join(unknown))
        click.echo(_("checklist: warning: {message}").format(message=warning), err=True)


@register.command("list", epilog=EXIT_CODES)
@db_option
@click.option(
    "--status", "statuses", multiple=True, type=click.Choice(vocabulary.STATUSES), help="Only hazards in this status (repeatable)."
)
@click.option("--unit", help="Only this unit's hazards (name, id or alias).")
@click.option("--level", type=click.Choice(vocabulary.LEVELS), help="Only hazards of this level.")
@click.option("--overdue", is_flag=True, help="Only hazards past their due date (待整改/整改中), counted in working days.")
@click.option("--due-within", type=click.IntRange(min=0), metavar="N", help="Only open hazards due within N working days.")
@business_options
@click.option("--today", callback=date_option, help="Count from this day, YYYY-MM-DD [default: today].")
@format_option("checklist.outputs.register_views:LIST_REPORTERS", "checklist.outputs.register_views:LIST_WRITERS", default="text")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (required for xlsx).")
@risk_options
@click.option("--by-risk", is_flag=True, help="Highest risk level first, then due (needs --risk-points).")
def list_command(
    db, statuses, unit, level, overdue, due_within, business, business_grade, today, fmt, output, risk_points, methods, by_risk
):
    """Hazards in the register, oldest due first; overdue in working days on the official calendar.
    With --risk-points, a 风险等级 column (the hazard's risk point and its level); risk points the
    file lacks are named in a warning."""

    from pathlib import Path

    from checklist.errors import UsageError
    from checklist.outputs.register_views import LIST_REPORTERS, LIST_WRITERS
    from checklist.register.db import reading
    from checklist.register.queries import Filter, list_hazards
    from checklist.workdays.calendar import load_calendar

    if by_risk and not risk_points:
        fail(UsageError(_("--by-risk needs --risk-points FILE (the graded risk points)")))
    if fmt in LIST_WRITERS and not output:
        fail(UsageError(_("--format {format} needs -o FILE.{format}").format(format=fmt)))
    grading = load_grading(risk_points, methods)
    engine = open_db(db, create=False)
    day = today or dates.today()
    with reading(engine) as conn:
        flt = Filter(
            statuses=tuple(statuses),
            unit=unit,
            level=level,
            overdue=overdue,
            due_within=due_within,
            business=business,
            business_grade=business_grade,
        )
        rows = list_hazards(conn, flt, day, load_calendar())
    if grading is not None:
        from checklist.register.risks import by_risk as risk_order
        from checklist.register.risks import with_risk

        warn_unknown(with_risk(rows, grading), risk_points)
        rows = risk_order(rows) if by_risk else rows
    if fmt in LIST_WRITERS:
        LIST_WRITERS[fmt](rows, day, Path(output))
    else:
        echo_report(LIST_REPORTERS[fmt](rows, day), output)


@register.command("attention", epilog=EXIT_CODES)
@db_option
@risk_options
@click.option("--unit", help="Only this unit's risk points (as the risk-point file names it).")
@click.option("--today", callback=date_option, help="As of this day, YYYY-MM-DD [default: today].")
@format_option("checklist.outputs.register_views:ATTENTION_REPORTERS", default="text")
def attention_command(db, risk_points, methods, unit, today, fmt):
    """For the unit's 主要负责人: the risk points with open hazards, a 重大风险 point with open hazards
    first, then by level; each with its open hazards' ids and due dates."""

    from checklist.errors import UsageError
    from checklist.outputs.register_views import ATTENTION_REPORTERS
    from checklist.register.db import reading
    from checklist.register.risks import attention
    from checklist.workdays.calendar import load_calendar

    if not risk_points:
        fail(UsageError(_("attention needs --risk-points FILE (the graded risk points)")))
    grading = load_grading(risk_points, methods)
    engine = open_db(db, create=False)
    with reading(engine) as conn:
        result = attention(conn, grading, unit, today or dates.today(), load_calendar())
    echo_report(ATTENTION_REPORTERS[fmt](result))
    warn_unknown(result.unknown, risk_points)


@register.command("show", epilog=EXIT_CODES)
@click.argument("hazard_id")
@db_option
@click.option("--today", callback=date_option, help="Count overdue days to this day [default: today].")
@format_option("checklist.outputs.register_views:SHOW_REPORTERS", default="text")
def show_command(hazard_id, db, today, fmt):
    """Everything about one hazard, with its history from the event log."""

    from checklist.outputs.register_views import SHOW_REPORTERS
    from checklist.register.db import reading
    from checklist.register.dossier import dossier
    from checklist.workdays.calendar import load_calendar

    engine = open_db(db, create=False)
    with reading(engine) as conn:
        row = dossier(conn, hazard_id, today or dates.today(), load_calendar())
    echo_report(SHOW_REPORTERS[fmt](row))


def _move(hazard_id, db, by, role, action, files=None, evidence=(), expect_version=None, attachment=None, **fields):
    """Parse → one core call → the new status, or the error and its exit code. ``attachment``: a
    治理评估's report file, stored only once the move is allowed."""
    from pathlib import Path

    from checklist.outputs.register_views import move_text
    from checklist.register.db import files_folder
    from checklist.register.hazards import Request, move_with_evidence

    name = who(by)
    engine = open_db(db)
    day = fields.pop("on", None) or dates.today()
    request = Request(action, name, role, day, **fields)
    folder = files_folder(engine, files) if evidence or attachment else Path()
    report = (Path(attachment).name, Path(attachment)) if attachment else None
    row, stored = move_with_evidence(engine, hazard_id, request, [Path(p) for p in evidence], folder, expect_version, report)
    echo_report(move_text(row, stored))


def move_options(f):
    f = click.option("--expect-version", type=int, metavar="N", help="Refuse (exit 6) unless the hazard is still at this version.")(f)
    f = click.option("--date", "on", callback=date_option, help="The day it happened, YYYY-MM-DD [default: today].")(f)
    return actor_options(db_option(click.argument("hazard_id")(f)))


@register.command("start", epilog=EXIT_CODES)
@move_options
@click.option("--note", "reason", default="", help="What is being done.")  # the move's reason: a refusal names --note
def start_command(hazard_id, db, by, role, on, expect_version, reason):
    """待整改 → 整改中: rectification has begun (a 重大事故隐患 needs its six-part 治理方案 first)."""
    _move(hazard_id, db, by, role, "start", expect_version=expect_version, on=on, reason=reason)


@register.command("rectify", epilog=EXIT_CODES)
@move_options
@click.option("--measure", required=True, help="What was done (完成情况).")
@click.option(
    "--evidence", multiple=True, type=click.Path(), help="Photo or document proving it (repeatable); its SHA-256 goes in the log."
)
@files_option
def rectify_command(hazard_id, db, by, role, on, expect_version, measure, evidence, files):
    """→ 待复查: the unit reports the hazard rectified, with evidence."""
    _move(hazard_id, db, by, role, "rectify", files, evidence, expect_version, on=on, measure=measure)


@register.command("verify", epilog=EXIT_CODES)
@move_options
@click.option("--pass", "outcome", flag_value="pass", help="复查通过: 待复查 → 已销号.")
@click.option("--fail", "outcome", flag_value="fail", help="复查不通过: back to 整改中 (--opinion required).")
@click.option("--opinion", "reason", default="", help="复查意见 (the reason, for --fail).")
def verify_command(hazard_id, db, by, role, on, expect_version, outcome, reason):
    """Re-inspect a rectified hazard: --pass closes it (已销号, you as 复查人), --fail sends it back."""
    from checklist.errors import UsageError

    if outcome is None:
        fail(UsageError(_("give --pass or --fail")))
    _move(hazard_id, db, by, role, outcome, expect_version=expect_version, on=on, reason=reason)


def consent_option(f):
    return click.option(
        "--consent",
        "supervisor_consent",
        default="",
        help="The supervising unit's consent (its notice or opinion), for a due date past the 督办期限.",
    )(f)


@register.command("extend", epilog=EXIT_CODES)
@move_options
@click.option("--due", "due", callback=date_option, required=True, help="The new due date, YYYY-MM-DD.")
@click.option("--reason", required=True, help="Why more time is needed.")
@consent_option
def extend_command(hazard_id, db, by, role, on, expect_version, due, reason, supervisor_consent):
    """延期 decided by an inspector or admin (recorded as its approver): a later due date, with the
    reason. A unit asks with `register extension request`. Never past a 督办期限 without --consent."""
    _move(
        hazard_id,
        db,
        by,
        role,
        "extend",
        expect_version=expect_version,
        on=on,
        due=due,
        reason=reason,
        supervisor_consent=supervisor_consent,
    )


@register.command("supervise", epilog=EXIT_CODES)
@move_options
@click.option("--supervisor", "supervisor_unit", required=True, help="The supervising unit (督办单位).")
@click.option("--deadline", callback=date_option, required=True, help="督办期限, YYYY-MM-DD.")
@click.option("--number", required=True, help="督办编号 (the notice's number).")
def supervise_command(hazard_id, db, by, role, on, expect_version, supervisor_unit, deadline, number):
    """挂牌督办 of a 重大事故隐患: supervising unit, deadline and number."""
    _move(
        hazard_id,
        db,
        by,
        role,
        "supervise",
        expect_version=expect_version,
        on=on,
        supervisor_unit=supervisor_unit,
        deadline=deadline,
        number=number,
    )


@register.command("revoke", epilog=EXIT_CODES)
@move_options
@click.option("--reason", required=True, help="Why it is not a hazard.")
@click.option("--approver", required=True, help="Who approved the 撤销.")
def revoke_command(hazard_id, db, by, role, on, expect_version, reason, approver):
    """撤销: not a hazard after all (reason and approver are recorded)."""
    _move(hazard_id, db, by, role, "revoke", expect_version=expect_version, on=on, reason=reason, approver=approver)
