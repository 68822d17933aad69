"""`checklist register grade | plan | extension | assess | signoff | record | records | issuer`: the
moves and records of 重大事故隐患 as 京广发〔2026〕11号 demands (the lifecycle table judges each
move), 通报/约谈/线索移交, and who issues the papers. Added to the `register` group in
checklist.cli (COMMANDS)."""

from __future__ import annotations

import click

from checklist import dates
from checklist.cli.common import EXIT_CODES, command, date_option, echo_report, format_option, group
from checklist.cli.register import _move, actor_options, consent_option, db_option, files_option, move_options, open_db, who
from checklist.i18n import _, prose_date
from checklist.vocabulary import BASIS_OTHER, CRITERIA, HANDOVER_BODIES, PAPERS, RECORD_KINDS


@command("grade", epilog=EXIT_CODES)
@move_options
@click.option("--basis", required=True, help=f"定级依据: the item of {CRITERIA} the grading rests on, or {BASIS_OTHER}.")
@click.option("--reason", "basis_reason", default="", help=f"定级理由 (required with --basis {BASIS_OTHER}).")
def grade_command(hazard_id, db, by, role, on, expect_version, basis, basis_reason):
    """Record what a 重大事故隐患's grading rests on (第四条): needed before 挂牌督办 and 销号."""
    _move(hazard_id, db, by, role, "grade", expect_version=expect_version, on=on, basis=basis, basis_reason=basis_reason)


@command("plan", epilog=EXIT_CODES)
@move_options
@click.option("--goal", required=True, help="目标和任务.")
@click.option("--method", required=True, help="方法和措施.")
@click.option("--funds", required=True, help="经费和物资.")
@click.option("--team", required=True, help="负责治理的机构和人员.")
@click.option("--schedule", required=True, help="时限和要求.")
@click.option("--safety", required=True, help="安全措施和应急预案.")
@click.option("--author", required=True, help="The unit's 主要负责人 who drew up the plan.")
def plan_command(hazard_id, db, by, role, on, expect_version, goal, method, funds, team, schedule, safety, author):
    """The six-part 治理方案 of a 重大事故隐患, drawn up by the unit's 主要负责人 (原国家安全生产监督管理总局令
    第16号 第十五条); without it the hazard cannot leave 待整改."""
    parts = {"goal": goal, "method": method, "funds": funds, "team": team, "schedule": schedule, "safety": safety}
    plan = {f"plan_{k}": v for k, v in parts.items()} | {"plan_author": author}
    _move(hazard_id, db, by, role, "plan", expect_version=expect_version, on=on, plan=plan)


@group("extension", epilog=EXIT_CODES)
def extension() -> None:
    """延期: the unit requests a later due date; an inspector or admin approves or refuses it. Until
    then the due date stands."""


@extension.command("request", epilog=EXIT_CODES)
@move_options
@click.option("--due", "due", callback=date_option, required=True, help="The due date asked for, YYYY-MM-DD.")
@click.option("--reason", required=True, help="Why more time is needed.")
def request_command(hazard_id, db, by, role, on, expect_version, due, reason):
    """Ask for a later due date (the unit)."""
    _move(hazard_id, db, by, role, "request-extension", expect_version=expect_version, on=on, due=due, reason=reason)


@extension.command("approve", epilog=EXIT_CODES)
@move_options
@consent_option
def approve_command(hazard_id, db, by, role, on, expect_version, supervisor_consent):
    """Grant the 延期 asked for (an inspector or admin, recorded as its approver); past a 督办期限
    only with the supervising unit's --consent."""
    _move(hazard_id, db, by, role, "approve-extension", expect_version=expect_version, on=on, supervisor_consent=supervisor_consent)


@extension.command("refuse", epilog=EXIT_CODES)
@move_options
@click.option("--reason", required=True, help="Why the 延期 is refused.")
def refuse_command(hazard_id, db, by, role, on, expect_version, reason):
    """Refuse the 延期 asked for: the due date stands."""
    _move(hazard_id, db, by, role, "refuse-extension", expect_version=expect_version, on=on, reason=reason)


@command("assess", epilog=EXIT_CODES)
@move_options
@click.option("--assessor", required=True, help="Who assessed (the unit's technical staff and experts, or the body engaged).")
@click.option("--conclusion", required=True, help="The assessment's conclusion.")
@click.option("--report", "report", required=True, type=click.Path(dir_okay=False), help="The assessment report (PDF, JPEG or PNG).")
@files_option
def assess_command(hazard_id, db, by, role, on, expect_version, assessor, conclusion, report, files):
    """Record the 治理评估 of a rectified 重大事故隐患: who assessed, the day (--date), the conclusion
    and the report (stored by its SHA-256). 销号 of a 重大 hazard needs it."""
    _move(hazard_id, db, by, role, "assess", files, (), expect_version, report, on=on, assessor=assessor, conclusion=conclusion)


@command("signoff", epilog=EXIT_CODES)
@move_options
@click.option("--opinion", required=True, help="督办销号意见 of the supervising unit.")
def signoff_command(hazard_id, db, by, role, on, expect_version, opinion):
    """督办销号: the supervising unit agrees, on the recorded 治理评估, to close its 督办; the 复查
    that closes the hazard comes after it."""
    _move(hazard_id, db, by, role, "signoff", expect_version=expect_version, on=on, opinion=opinion)


# --- 通报, 约谈, 线索移交 --------------------------------------------------------------------


@group("record", epilog=EXIT_CODES)
def record() -> None:
    """Record a 通报 or 约谈 (第九条) or a lead handed to the 纪检监察 body (第十三条), against a unit
    (--unit) or one hazard (--hazard). Each is an event in the log."""


def record_command(kind: str, help_text: str, whom_help: str):
    @record.command(kind, help=help_text, epilog=EXIT_CODES)
    @db_option
    @actor_options
    @click.option("--unit", default="", help="The unit it concerns.")
    @click.option("--hazard", "hazard_id", default="", metavar="YH-…", help="The hazard it concerns (its unit too).")
    @click.option("--organiser", required=True, help="Who holds it (组织单位), e.g. 局安全生产工作领导小组.")
    @click.option("--whom", required=True, help=whom_help)
    @click.option("--matter", required=True, help="What it is about (事由).")
    @click.option("--follow-up", "follow_up", default="", help="What is to follow (后续要求), and by when.")
    @click.option("--date", "on", callback=date_option, help="The day it was held, YYYY-MM-DD [default: today].")
    def make(db, by, role, unit, hazard_id, organiser, whom, matter, follow_up, on):
        from checklist.register import records
        from checklist.register.db import writing

        name = who(by)
        engine = open_db(db)
        with writing(engine) as conn:
            row = records.add(
                conn,
                kind,
                by=name,
                role=role,
                held_on=on or dates.today(),
                organiser=organiser,
                whom=whom,
                matter=matter,
                follow_up=follow_up,
                unit=unit,
                hazard_id=hazard_id,
            )
        subject = row["hazard_id"] or row["unit"]
        said = {"id": row["id"], "kind": RECORD_KINDS.get(kind, kind), "subject": subject, "day": prose_date(row["held_on"])}
        click.echo(_("record {id}: {kind} of {subject} on {day}").format(**said))

    return make


record_command("notify", "通报 (第九条): a warning or a circulated notice about a unit or a hazard.", "Who it is addressed to (通报对象).")
record_command("interview", "约谈 (第九条): a talk with the unit's or department's responsible people.", "Who was talked to (约谈对象).")
record_command(
    "handover",
    "线索移交 (第十三条): a 重大事故隐患 lead, or a lead on responsibility, conduct or corruption, handed over.",
    f"The body it is handed to: {' or '.join(HANDOVER_BODIES)}.",
)


@command("records", epilog=EXIT_CODES)
@db_option
@click.option("--unit", help="Only this unit's records.")
@click.option("--hazard", "hazard_id", metavar="YH-…", help="Only this hazard's records.")
@format_option("checklist.outputs.register_views:RECORD_REPORTERS", default="text")
def records_command(db, unit, hazard_id, fmt):
    """The 通报, 约谈 and 线索移交 recorded, oldest first."""
    from checklist.outputs.register_views import RECORD_REPORTERS
    from checklist.register import records
    from checklist.register.db import reading
    from checklist.register.queries import resolve_unit

    engine = open_db(db, create=False)
    with reading(engine) as conn:
        units = resolve_unit(conn, unit) if unit else None
        rows = records.of(conn, units, hazard_id.upper() if hazard_id else None)
    echo_report(RECORD_REPORTERS[fmt](rows))


# --- who issues the papers -------------------------------------------------------------------


@group("issuer", epilog=EXIT_CODES)
def issuer_group() -> None:
    """Who issues each paper and the 文号 prefix it is numbered under (prefix〔year〕N号)."""


@issuer_group.command("set", epilog=EXIT_CODES)
@click.argument("kind", type=click.Choice(list(PAPERS)))
@click.option("--body", required=True, help="The issuing body's name, printed above the seal.")
@click.option("--prefix", required=True, help="The 文号 prefix, e.g. 京广安改 (numbers then run 京广安改〔2026〕1号, 2号 … each year).")
@db_option
@actor_options
def issuer_set(kind, body, prefix, db, by, role):
    """Set who issues KIND (notice 整改通知书, opinion 整改复查意见书, supervision 督办通知书, signoff
    督办销号通知书) and its 文号 prefix (admin)."""
    from checklist.register import papers
    from checklist.register.db import writing

    name = who(by)
    engine = open_db(db)
    with writing(engine) as conn:
        row = papers.set_issuer(conn, kind, body=body, prefix=prefix, by=name, role=role)
    click.echo(f"{PAPERS[kind]}: {row['body']} {row['prefix']}〔YYYY〕N号")


@issuer_group.command("list", epilog=EXIT_CODES)
@db_option
def issuer_list(db):
    """Each paper's issuing body and 文号 prefix, and the last number it issued."""
    from checklist.register import papers
    from checklist.register.db import reading

    engine = open_db(db, create=False)
    with reading(engine) as conn:
        set_up, last = papers.issuers(conn), papers.last_numbers(conn)
    for kind, title in PAPERS.items():
        row = set_up.get(kind)
        shown = f"{row['body']}  {row['prefix']}〔YYYY〕N号" if row else _("(not set)")
        click.echo(f"{kind}\t{title}\t{shown}" + (f"\t{_('last')} {last[kind]}" if kind in last else ""))


COMMANDS = (grade_command, plan_command, extension, assess_command, signoff_command, record, records_command, issuer_group)
