"""`checklist audit …`: write, answer, screen and summarise audit files."""

from __future__ import annotations

import click

from checklist import dates
from checklist.cli.common import EXIT_CODES, date_option, echo_report, fail, format_option, group, progress, schemas_option
from checklist.cli.prompter import TerminalPrompter
from checklist.i18n import _


@group(epilog=EXIT_CODES)
def audit() -> None:
    """Create, answer and summarise audit files (one inspection of one target)."""


@audit.command("new", epilog=EXIT_CODES)
@click.option("--catalog", "catalog_id", help="Catalog id (or path to a catalog file); required unless --recheck.")
@click.option("--unit", help="Inspect the duties of this unit (id, name or alias; groups it belongs to count).")
@click.option("--kind", help="Inspect the requirements for this kind of target (id or name), e.g. home-care.")
@click.option(
    "--facts",
    "facts_file",
    type=click.Path(dir_okay=False),
    help="Facts the target declared (YAML, or CSV/XLSX with its row): rule-checked items are answered from them.",
)
@click.option("--tag", "tags", multiple=True, help="Only clauses with this tag (repeatable).")
@click.option("--chapter", "chapters", multiple=True, help="Only clauses in this chapter, e.g. 第三章 (repeatable).")
@click.option("--target", help="Name of the inspected unit or site [default: the name in the facts file].")
@click.option("--address", default="", help="Address of the target.")
@click.option("--target-kind", default="", help="Kind of target, e.g. 处室, 园区, 养老机构 [default: the --kind's name].")
@click.option("--inspector", "inspectors", multiple=True, required=True, help="Inspector's name (repeatable).")
@click.option("--date", "day", callback=date_option, help="Inspection date, YYYY-MM-DD [default: today].")
@click.option("--title", default="", help="Report title [default: 安全生产检查报告].")
@click.option("--inspecting-body", default="", help="Who inspects (检查单位), for the report's cover [default: the catalog's issuer].")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Audit file to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing audit file.")
@schemas_option
@click.option("--recheck", is_flag=True, help="Re-check the open hazards of the register (of --unit, or --hazard ID…).")
@click.option("--hazard", "hazards", multiple=True, help="With --recheck: a hazard to re-check, e.g. YH-2026-0001 (repeatable).")
@click.option("--db", metavar="URL", help="With --recheck: the register [default: $CHECKLIST_DB, else sqlite:///checklist.db].")
def audit_new(
    catalog_id,
    unit,
    kind,
    facts_file,
    tags,
    chapters,
    target,
    address,
    target_kind,
    inspectors,
    day,
    title,
    inspecting_body,
    output,
    force,
    schemas_dir,
    recheck,
    hazards,
    db,
):
    """Write a new audit file with every applicable check unanswered.

    With --facts, checks whose rule the declared facts decide are answered (符合 / 不符合) with
    the facts that decided them; a rule whose facts are missing leaves its check unanswered.
    With --recheck, the audit holds exactly the open hazards' checks (each entry names the hazard
    it re-checks); `checklist register import` of the answered file moves the hazards.
    """
    if recheck:
        return _recheck(unit, hazards, db, inspectors, day, title, output, force)
    from pathlib import Path

    from checklist.audits import audit as audits
    from checklist.audits.creation import AuditRequest, create
    from checklist.errors import UsageError
    from checklist.files import atomic
    from checklist.files.schemas import modeline

    if atomic.exists(output) and not force:
        raise UsageError(_("{path} exists: it may hold answers; use --force to overwrite it").format(path=output))
    if catalog_id is None:
        raise UsageError(_("--catalog ID is needed (or --recheck to re-check the register's open hazards)"))
    request = AuditRequest(
        catalog=catalog_id,
        inspectors=list(inspectors),
        date=day or dates.today(),
        unit=unit,
        kind=kind,
        target=target or "",
        address=address,
        target_kind=target_kind,
        title=title,
        inspecting_body=inspecting_body,
        tags=list(tags),
        chapters=list(chapters),
        facts=Path(facts_file) if facts_file else None,
    )
    new, cat, declaration = create(request)
    if schemas_dir:
        new.modeline = modeline(audits.SCHEMA, Path(output), Path(schemas_dir))
    new.path = Path(output)
    new.save(cat, overwrite=force)
    decided = sum(1 for e in new.entries if e.result != "unchecked")
    click.echo(
        _("{path}: {count} checks from {catalog} ({doc_no}) for {target}").format(
            path=output, count=len(new.entries), catalog=cat.id, doc_no=cat.doc_no, target=new.target["name"]
        )
        + (_("; {count} decided from the declared facts").format(count=decided) if declaration else "")
    )


def _recheck(unit, hazards, db, inspectors, day, title, output, force):
    """`audit new --recheck`: the register builds the audit; this writes it."""
    from pathlib import Path

    from checklist.errors import UsageError
    from checklist.files import atomic
    from checklist.register.db import open_register
    from checklist.register.recheck import recheck_audit

    if atomic.exists(output) and not force:
        raise UsageError(_("{path} exists: it may hold answers; use --force to overwrite it").format(path=output))
    new, cat = recheck_audit(
        open_register(db, create=False),
        unit=unit,
        hazard_ids=list(hazards),
        inspectors=list(inspectors),
        date=day or dates.today(),
        title=title,
    )
    new.path = Path(output)
    new.save(cat, overwrite=force)
    click.echo(
        _("{path}: re-check of {count} open hazard(s) of {target}: {hazards}").format(
            path=output, count=len(new.entries), target=new.target["name"], hazards=", ".join(e.recheck_of for e in new.entries)
        )
    )


@audit.command("batch", epilog=EXIT_CODES)
@click.option("--catalog", "catalog_id", required=True, help="Catalog id (or path to a catalog file).")
@click.option("--kind", required=True, help="The kind of target every row is, e.g. home-care (id or name).")
@click.option(
    "--facts",
    "facts_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="CSV or XLSX, one target per row; header = fact names or titles, plus name (名称), address (地址).",
)
@click.option(
    "--inspector", "inspectors", multiple=True, default=["（书面筛查）"], show_default=True, help="Inspector's name (repeatable)."
)
@click.option("--date", "day", callback=date_option, help="Screening date, YYYY-MM-DD [default: today].")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Folder for the audits and the summary.")
@click.option("--force", is_flag=True, help="Overwrite audit files already in the folder.")
@click.option("--title", default="", help="Report title, e.g. 补助资格审核表 [default: 安全生产检查报告].")
@click.option("--report", is_flag=True, help="Also render each audit's PDF report into the folder (amount working included).")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes for --report [default: one per core].")
def audit_batch(catalog_id, kind, facts_file, inspectors, day, output, force, title, report, jobs):
    """Screen many targets at once: one audit each, and a summary sheet.

    Rule-checked items are decided from the declared facts; summary.csv / summary.xlsx give pass /
    fail / open counts and the failed requirements per target, and when the catalog computes
    amounts each target's eligibility, amount with its working and article, and their total.
    Nothing is written if the facts file has errors. With --report, each audit's PDF is rendered
    beside it; exit code 3 if one cannot be."""
    from pathlib import Path

    from checklist.audits.screening import screen, write_summary
    from checklist.model.facts import load as load_facts
    from checklist.model.library import load_catalog

    out = Path(output)
    cat = load_catalog(catalog_id)
    kind_name = cat.find_kind(kind).name
    declarations = load_facts(facts_file, cat)
    rows = []
    with progress(len(declarations), _("screening")) as bar:
        for screened in screen(
            cat, kind, declarations, out, inspectors=list(inspectors), date=day or dates.today(), force=force, title=title
        ):
            rows.append(screened)
            bar.update(1)
    amounts = any(k.compute for c in cat.clauses_for_kind(cat.find_kind(kind).id) for k in c.checks)
    csv_path, xlsx_path = write_summary(rows, out, kind_name, amounts=amounts)
    failing = sum(1 for r in rows if r.failed)
    click.echo(
        _("{count} audits in {folder}: {failing} fail a requirement, {open} need an inspector for the rest").format(
            count=len(rows), folder=out, failing=failing, open=sum(1 for r in rows if not r.failed and r.status.counts["unchecked"])
        )
    )
    if amounts:
        from checklist.audits.screening import total_of
        from checklist.model.amounts import money

        total = total_of(rows)
        eligible = sum(1 for r in rows if r.award.eligibility == "符合")
        click.echo(_("{eligible} eligible; total {total}").format(eligible=eligible, total=money(total) if total else 0))
    click.echo(_("summary: {csv}, {xlsx}").format(csv=csv_path, xlsx=xlsx_path))
    if report:
        _batch_reports([r.path for r in rows], out, jobs)


def _batch_reports(paths, out, jobs):
    """Each audit's PDF beside it, rendered in parallel with a progress bar; exit 3 if one failed."""
    from checklist.outputs.report import render_pdfs

    errors = []
    with progress(len(paths), _("reports")) as bar:
        for r in render_pdfs(paths, out, jobs):
            if r.error:
                errors.append(r)
            bar.update(1)
    for r in errors:
        click.echo(_("checklist: error: {path}: {error}").format(path=r.source, error=r.error), err=True)
    click.echo(_("reports: {count} PDFs in {folder}").format(count=len(paths) - len(errors), folder=out))
    if errors:
        raise SystemExit(max(r.exit_code for r in errors))


@audit.command("run", epilog=EXIT_CODES)
@click.argument("file", type=click.Path(dir_okay=False))
def audit_run(file):
    """Answer the unanswered checks of FILE one at a time; every answer is saved at once.
    Running it again resumes at the first unanswered check.

    \b
    From a terminal each answer is one key; from piped standard input, one whole line per
    prompt (compared after NFKC; a line that is not a valid answer is echoed in full, dropped,
    and the prompt asked again). The prompts, in order:
      1. [y] 符合  [n] 不符合  [a] 不适用  [s] 跳过  [b] 上一项  [q] 保存退出
         — for every check: y, n, a, s (skip), b (back to the previous check) or q (quit)
      after a:  2. 不适用理由          one line, not empty
      after n:  2. 隐患等级            1 / 一般 / 一般隐患, or 2 / 重大 / 重大事故隐患
                3. 隐患描述            one line, not empty
                   定级依据 (特征清单条目或 其他, 可空)
                                      for 重大 only: the item of the 特征清单 the grading rests
                                      on, or 其他; may be empty
                   定级理由            after 其他: one line, not empty
                4. 整改措施            one line, not empty
                5. 整改责任人          one line, not empty
                6. 整改期限            YYYY-MM-DD, not before the inspection date
                7. 备注 (可空)         one line, may be empty; a line that is only one of the
                                      keys y n a s b q is taken as the next check's answer
    One session per audit at a time: a second is refused (exit 75) while the first runs. End of
    input in the middle of an answer exits 1, Ctrl-C exits 130; either way the message names the
    answer that was not saved, and every earlier answer is. Scripts that have every answer at
    hand can use `checklist audit answer` instead.
    """
    from checklist.audits import session
    from checklist.audits.audit_file import editing

    with editing(file) as (a, cat, notice):
        if notice:
            click.echo(_("checklist: warning: {path}: {notice}").format(path=file, notice=notice), err=True)
        outcome = session.run(a, cat, TerminalPrompter(), save=lambda: a.save(cat))
    click.echo(
        "\n"
        + _("{path}: {answered} answered now, {remaining} of {total} still unchecked").format(
            path=file, answered=outcome.answered_now, remaining=outcome.remaining, total=len(a.entries)
        )
    )
    if outcome.unsaved:
        click.echo(_("checklist: {path}: the answer to {check} was not saved").format(path=file, check=outcome.unsaved), err=True)
    if outcome.error is not None:
        fail(outcome.error)


@audit.command("answer", epilog=EXIT_CODES)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--answers",
    "answers_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="YAML (schemas/answers.schema.json) or CSV with columns id, result, note, reason, hazard, measure, owner, due.",
)
def audit_answer(file, answers_file):
    """Record many answers at once, for scripts: every answer is checked first (known check
    ids, results, a reason for 不适用, every finding field for 不符合, real dates not before the
    inspection), each problem reported as file:line:col (YAML) or file:row:col (CSV); only when
    all are valid is the audit written, once. Results: pass/符合, fail/不符合, na/不适用; hazard:
    一般隐患 (一般) or 重大事故隐患 (重大)."""
    from checklist.audits.answers import answer

    done = answer(file, answers_file)
    if done.notice:
        click.echo(_("checklist: warning: {path}: {notice}").format(path=file, notice=done.notice), err=True)
    click.echo(
        _("{path}: {recorded} answers recorded, {remaining} of {total} still unchecked").format(
            path=file, recorded=done.recorded, remaining=done.remaining, total=len(done.audit.entries)
        )
    )


def _open_audit(path):
    """An audit and its catalog, or the error and its exit code; a changed catalog is a warning."""
    from checklist.audits.audit_file import load_audit

    a, cat, notice = load_audit(path)
    if notice:
        click.echo(_("checklist: warning: {path}: {notice}").format(path=path, notice=notice), err=True)
    return a, cat


@audit.command("status", epilog=EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@format_option("checklist.outputs.audit_views:REPORTERS", default="text")
def audit_status(files, fmt):
    """Progress and results of audit files: answered / total, counts, open findings, score."""
    from checklist.audits.results import summarise
    from checklist.outputs.audit_views import REPORTERS

    summaries = [summarise(f, _open_audit(f)[0]) for f in files]
    echo_report(REPORTERS[fmt](summaries))
