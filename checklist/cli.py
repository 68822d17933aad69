"""The ``checklist`` command line. Click lives here only: each command parses its options,
calls one core function and turns a ChecklistError into its message and exit code."""

from __future__ import annotations

import json
import os
import sys
from typing import NoReturn

import click

from . import __version__
from .errors import ChecklistError, ExitCode

EXIT_CODES = """\b
Exit codes:
  0  success; every file valid
  1  an input file is invalid (each error printed as path:line:col: message)
  2  usage error: bad option, missing or unreadable file, unknown id
  3  a report could not be rendered correctly (no CJK font, missing glyphs, refused resource)
  4  deadlines: a filing is late or missing
 70  internal error (a bug: please report it with CHECKLIST_DEBUG=1 output)
"""


class Failure(click.ClickException):
    """A ChecklistError on its way out: printed as is (it already names its place)."""

    def __init__(self, error: ChecklistError):
        super().__init__(str(error))
        self.exit_code = int(error.exit_code)
        self.has_place = error.path is not None or "\n" in self.message

    def show(self, file=None) -> None:
        prefix = "" if self.has_place else "checklist: error: "
        click.echo(prefix + self.message, err=True)


def fail(error: ChecklistError) -> NoReturn:
    raise Failure(error) from error


@click.group(epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="checklist")
def cli() -> None:
    """Duties from policy documents, kept as data: validate catalogs, run audits,
    compute working-day deadlines, produce responsibility lists and PDF reports."""


@cli.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per error; json: every file's result for machines.")
def validate(paths: tuple[str, ...], fmt: str) -> None:
    """Validate catalogs and other checklist files (files or folders of *.yaml).

    The kind of each file is taken from its '# yaml-language-server: $schema=…' line or,
    failing that, from its keys. Every error is listed as path:line:col: message [schema path].
    """
    from .validate import validate_paths
    from .reporting import validation_report

    results = validate_paths(list(paths))
    click.echo(validation_report(results, fmt))
    sys.exit(max((r.exit_code for r in results), default=ExitCode.OK))


@cli.command("catalogs")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_catalogs(fmt: str) -> None:
    """List the catalogs found (bundled ones and $CHECKLIST_CATALOGS) with their size."""
    from .library import catalog_summaries

    try:
        rows = catalog_summaries()
    except ChecklistError as e:
        fail(e)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['id']:<32} {r['doc_no']:<20} {r['clauses']:>4} clauses {r['checks']:>4} checks {r['units']:>3} units  {r['title']}")


def _date(ctx, param, value):
    """Click callback: YYYY-MM-DD (full-width digits accepted), or None."""
    from .dates import parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except ChecklistError as e:
        raise click.BadParameter(e.message) from e


@cli.group()
def audit() -> None:
    """Create, answer and summarise audit files (one inspection of one target)."""


@audit.command("new", epilog=EXIT_CODES)
@click.option("--catalog", "catalog_id", required=True, help="Catalog id (or path to a catalog file).")
@click.option("--unit", help="Inspect the duties of this unit (id, name or alias; groups it belongs to count).")
@click.option("--kind", help="Inspect the requirements for this kind of target (id or name), e.g. home-care.")
@click.option("--facts", "facts_file", type=click.Path(dir_okay=False),
              help="Facts the target declared (YAML, or CSV/XLSX with its row): rule-checked items are answered from them.")
@click.option("--tag", "tags", multiple=True, help="Only clauses with this tag (repeatable).")
@click.option("--chapter", "chapters", multiple=True, help="Only clauses in this chapter, e.g. 第三章 (repeatable).")
@click.option("--target", help="Name of the inspected unit or site [default: the name in the facts file].")
@click.option("--address", default="", help="Address of the target.")
@click.option("--target-kind", default="", help="Kind of target, e.g. 处室, 园区, 养老机构 [default: the --kind's name].")
@click.option("--inspector", "inspectors", multiple=True, required=True, help="Inspector's name (repeatable).")
@click.option("--date", "day", callback=_date, help="Inspection date, YYYY-MM-DD [default: today].")
@click.option("--title", default="", help="Report title [default: 安全生产检查报告].")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Audit file to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing audit file.")
def audit_new(catalog_id, unit, kind, facts_file, tags, chapters, target, address, target_kind, inspectors, day, title,
              output, force):
    """Write a new audit file with every applicable check unanswered.

    With --facts, checks whose rule the declared facts decide are answered (符合 / 不符合) with
    the facts that decided them; a rule whose facts are missing leaves its check unanswered.
    """
    import datetime as dt
    from pathlib import Path

    from . import audit as audits
    from .errors import UsageError
    from .facts import load as load_facts
    from .library import load_catalog

    try:
        if Path(output).exists() and not force:
            raise UsageError(f"{output} exists: it may hold answers; use --force to overwrite it")
        cat = load_catalog(catalog_id)
        declaration = None
        if facts_file:
            declarations = load_facts(facts_file, cat)
            declaration = _one_declaration(declarations, target, facts_file)
        if target is None and declaration is None:
            raise UsageError("--target NAME is needed (or a facts file that names the target)")
        name = target or declaration.target["name"]
        kind_name = target_kind or (cat.find_kind(kind).name if kind else "")
        new = audits.new(cat, unit=unit, kind=kind, tags=list(tags), chapters=list(chapters),
                         target={"name": name, "address": address or (declaration.target.get("address", "") if declaration else ""),
                                 "kind": kind_name},
                         inspectors=list(inspectors), date=day or dt.date.today(), title=title, declaration=declaration)
        new.save(cat, Path(output))
    except ChecklistError as e:
        fail(e)
    decided = sum(1 for e in new.entries if e.result != "unchecked")
    click.echo(f"{output}: {len(new.entries)} checks from {cat.id} ({cat.doc_no}) for {name}"
               + (f"; {decided} decided from the declared facts" if declaration else ""))


def _one_declaration(declarations, target, facts_file):
    """The row of a facts sheet for this audit: the only one, or the one named --target."""
    from .catalog import nfkc
    from .errors import UsageError

    if len(declarations) == 1:
        return declarations[0]
    if target is not None:
        rows = [d for d in declarations if nfkc(d.target.get("name", "")) == nfkc(target)]
        if len(rows) == 1:
            return rows[0]
    raise UsageError(f"{facts_file} declares {len(declarations)} targets: name one with --target "
                     "(or screen them all with `checklist audit batch`)")


@audit.command("batch", epilog=EXIT_CODES)
@click.option("--catalog", "catalog_id", required=True, help="Catalog id (or path to a catalog file).")
@click.option("--kind", required=True, help="The kind of target every row is, e.g. home-care (id or name).")
@click.option("--facts", "facts_file", required=True, type=click.Path(dir_okay=False),
              help="CSV or XLSX, one target per row; header = fact names or titles, plus name (名称), address (地址).")
@click.option("--inspector", "inspectors", multiple=True, default=["（书面筛查）"], show_default=True,
              help="Inspector's name (repeatable).")
@click.option("--date", "day", callback=_date, help="Screening date, YYYY-MM-DD [default: today].")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Folder for the audits and the summary.")
@click.option("--force", is_flag=True, help="Overwrite audit files already in the folder.")
def audit_batch(catalog_id, kind, facts_file, inspectors, day, output, force):
    """Screen many targets at once: one audit file each, rule-checked items decided from the
    declared facts, and summary.csv / summary.xlsx (pass / fail / open counts and the failed
    requirements per target). Nothing is written if the facts file has errors."""
    import datetime as dt
    from pathlib import Path

    from .facts import load as load_facts
    from .library import load_catalog
    from .screening import screen, write_summary

    out = Path(output)
    try:
        cat = load_catalog(catalog_id)
        kind_name = cat.find_kind(kind).name
        declarations = load_facts(facts_file, cat)
        rows = []
        with click.progressbar(length=len(declarations), label="screening", file=sys.stderr) as bar:
            for screened in screen(cat, kind, declarations, out, inspectors=list(inspectors), date=day or dt.date.today(), force=force):
                rows.append(screened)
                bar.update(1)
        csv_path, xlsx_path = write_summary(rows, out, kind_name)
    except ChecklistError as e:
        fail(e)
    failing = sum(1 for r in rows if r.failed)
    click.echo(f"{len(rows)} audits in {out}: {failing} fail a requirement, "
               f"{sum(1 for r in rows if not r.failed and r.status.counts['unchecked'])} need an inspector for the rest")
    click.echo(f"summary: {csv_path}, {xlsx_path}")


class TerminalPrompter:
    """Single keys from a terminal; whole lines from piped standard input (for scripts and tests)."""

    def __init__(self) -> None:
        self.tty = sys.stdin.isatty()

    def show(self, text: str) -> None:
        click.echo(text)

    def key(self, prompt: str, choices: str) -> str | None:
        while True:
            click.echo(prompt, nl=False)
            if self.tty:
                try:
                    ch = click.getchar()
                except (KeyboardInterrupt, EOFError):
                    ch = "\x03"
                click.echo(ch if ch.isprintable() else "")
            else:
                line = sys.stdin.readline()
                if not line:
                    click.echo()
                    return None
                ch = line.strip()[:1]
                click.echo(ch)  # what a terminal would have echoed, so logs read like a session
            if ch in ("\x03", "\x04"):
                return None
            if ch.lower() in choices:
                return ch.lower()
            click.echo(f"  请输入 {'/'.join(choices)} 之一")

    def line(self, prompt: str) -> str | None:
        click.echo(prompt, nl=False)
        try:
            line = input() if self.tty else sys.stdin.readline()
        except (KeyboardInterrupt, EOFError):
            click.echo()
            return None
        if not self.tty:
            if not line:
                click.echo()
                return None
            click.echo(line.rstrip("\n"))
        return line.rstrip("\n")


@audit.command("run", epilog=EXIT_CODES)
@click.argument("file", type=click.Path(dir_okay=False))
def audit_run(file):
    """Answer the unanswered checks of FILE one at a time; every answer is saved at once.

    \b
    Keys: y 符合, n 不符合 (then hazard level, measure, owner, due date),
          a 不适用 (then a reason), s skip, b back to the previous check, q save and quit.
    Running it again resumes at the first unanswered check. With piped standard input each
    answer is one line.
    """
    from . import session

    a, cat = _open_audit(file)
    outcome = session.run(a, cat, TerminalPrompter(), save=lambda: a.save(cat))
    click.echo(f"\n{file}: {outcome.answered_now} answered now, {outcome.remaining} of {len(a.entries)} still unchecked")


def _open_audit(path):
    """An audit and its catalog, or the error and its exit code; a changed catalog is a warning."""
    from .library import load_audit

    try:
        a, cat, notice = load_audit(path)
    except ChecklistError as e:
        fail(e)
    if notice:
        click.echo(f"checklist: warning: {path}: {notice}", err=True)
    return a, cat


@audit.command("status", epilog=EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def audit_status(files, fmt):
    """Progress and results of audit files: answered / total, counts, open findings, score."""
    from .audit import RESULT_NAMES, status

    rows = []
    for f in files:
        a, _ = _open_audit(f)
        rows.append((f, a, status(a.entries)))
    if fmt == "json":
        click.echo(json.dumps([dict(s.as_dict(), file=f, target=a.target["name"], date=a.date) for f, a, s in rows],
                              ensure_ascii=False, indent=2))
        return
    for f, a, s in rows:
        score = "—" if s.score is None else f"{s.score * 100:.1f}%"
        counts = "  ".join(f"{RESULT_NAMES[r]} {n}" for r, n in s.counts.items())
        click.echo(f"{f}: {a.target['name']} {a.date}")
        click.echo(f"  已检查 {s.answered}/{s.total}   {counts}")
        click.echo(f"  符合率 {score} (符合 ÷ (符合 + 不符合); 不适用、未检查不计入)")
        click.echo(f"  未整改隐患 {s.open_findings} (重大事故隐患 {s.major_open})")


@cli.command(epilog=EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(), help="Output file (one audit) or folder (several) [default: reports/<audit name>.<format>].")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "json", "csv"]), default="pdf", show_default=True)
@click.option("--jobs", type=click.IntRange(1), help="Parallel renderers [default: one per core].")
def report(files, output, fmt, jobs):
    """Render inspection reports of audit files: A4 PDF, HTML, JSON or CSV (UTF-8 with BOM).

    The PDF has a cover, a summary with a chart by chapter, every check with its photos, the
    findings (重大事故隐患 first), a signature block, and the audit file's SHA-256 in the footer.
    It is written only if every character has a glyph in the pinned CJK font.
    """
    from pathlib import Path

    from .report import render_many

    worst = ExitCode.OK
    results = render_many(list(files), fmt, Path(output) if output else None, jobs)
    with click.progressbar(length=len(files), label="rendering", file=sys.stderr,
                           hidden=len(files) < 2) as bar:
        for r in results:
            bar.update(1)
            for line in filter(None, [r.notice, *r.warnings]):
                click.echo(f"\nchecklist: warning: {r.source}: {line}", err=True)
            if r.error:
                click.echo(f"\n{r.error}", err=True)
                worst = max(worst, r.exit_code)
            else:
                click.echo(f"\n{r.output}" if len(files) > 1 else r.output)
    sys.exit(worst)


DEADLINE_CONVENTION = """\b
Conventions:
  提前N个工作日 (--before): the deadline is the N-th working day strictly before
    DATE; DATE (the event day) is not counted, the deadline day is. Filing on or
    before it is on time. E.g. event 2026-10-08 → file by 2026-09-17.
  N个工作日内 (--after): the N-th working day after DATE, DATE not counted.
  Working days follow the State Council's holiday schedule: holidays are skipped,
  weekend make-up days (调休上班) count. Years 2004-2026 are built in; other years
  need a calendar file (catalogs/calendars/cn-YYYY.yaml, --calendar FILE) or
  --assume-weekends (Monday-Friday only, flagged in the output).
"""


@cli.command(epilog=DEADLINE_CONVENTION + "\n" + EXIT_CODES)
@click.option("--before", "before", callback=_date, metavar="DATE", help="Count back from DATE (e.g. an event's start).")
@click.option("--after", "after", callback=_date, metavar="DATE", help="Count forward from DATE (e.g. receipt of an application).")
@click.option("-n", "--working-days", type=click.IntRange(0), help="How many working days.")
@click.option("--rule", metavar="CATALOG:CLAUSE", help="Apply a catalog clause's deadline rule, e.g. bj-rtv-3g3b:A49.")
@click.option("--from", "anchor", callback=_date, metavar="DATE", help="With --rule: the date the rule counts from.")
@click.option("--calendar", "calendars", multiple=True, type=click.Path(dir_okay=False), help="A calendar file for a year (repeatable).")
@click.option("--assume-weekends", is_flag=True, help="For years without an official schedule, count Monday-Friday (flagged).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def deadline(before, after, working_days, rule, anchor, calendars, assume_weekends, fmt):
    """Compute a working-day deadline, with the days counted and skipped named."""
    from . import deadlines
    from .dates import weekday
    from .library import load_catalog
    from .workdays import load_calendar

    simple = before is not None or after is not None
    if simple == (rule is not None) or (before is not None and after is not None):
        raise click.UsageError("give either --before/--after DATE with --working-days N, or --rule CATALOG:CLAUSE with --from DATE")
    if simple and working_days is None:
        raise click.UsageError("--before/--after need --working-days N")
    if rule is not None and (anchor is None or ":" not in rule):
        raise click.UsageError("--rule needs the form CATALOG:CLAUSE and --from DATE")
    try:
        cal = load_calendar(calendars, assume_weekends)
        if simple:
            start = before or after
            direction = "before" if before is not None else "after"
            step = {"id": "deadline", "action": "截止日期", "working_days": working_days, "direction": direction}
            results = [deadlines.evaluate_step(step, start, cal)]
            title = (f"提前{working_days}个工作日: {start} {weekday(start)} 之前的第{working_days}个工作日（{start} 当日不计，截止日计入）"
                     if before is not None else
                     f"{working_days}个工作日内: {start} {weekday(start)} 之后的第{working_days}个工作日（{start} 当日不计）")
            catalog, anchor_name, head = None, "起算日", {"direction": direction, "working_days": working_days, "from": start.isoformat()}
        else:
            catalog_id, clause_id = rule.split(":", 1)
            catalog = load_catalog(catalog_id)
            clause = catalog.clause(clause_id)
            results = deadlines.evaluate(catalog, clause, anchor, cal)
            start, anchor_name = anchor, clause.deadline["anchor"]
            title = f"{catalog.cited}{clause.ref}"
            head = {"catalog": catalog.id, "clause": clause.id, "ref": clause.ref, "anchor": anchor_name, "from": anchor.isoformat()}
    except ChecklistError as e:
        fail(e)
    if fmt == "json":
        click.echo(json.dumps(deadlines.report_json(results, cal, **head), ensure_ascii=False, indent=2))
    elif simple:
        r = results[0]
        click.echo(deadlines.headline(r.due))
        click.echo(title)
        for line in deadlines.explain(r.count) + deadlines.calendar_lines(cal):
            click.echo(line)
    else:
        click.echo(deadlines.report_text(title, anchor_name, start, results, catalog, cal))


@cli.group()
def events() -> None:
    """Large events (大型活动): filing deadlines and safety leads."""


@events.command("check", epilog=EXIT_CODES)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--today", callback=_date, metavar="DATE", help="The date to check on [default: today].")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "pdf", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="For pdf/html [default: reports/<file name>.<format>].")
@click.option("--calendar", "calendars", multiple=True, type=click.Path(dir_okay=False), help="A calendar file for a year (repeatable).")
@click.option("--assume-weekends", is_flag=True, help="For years without an official schedule, count Monday-Friday (flagged).")
def events_check(file, today, fmt, output, calendars, assume_weekends):
    """Check each event's filings against the catalog's rule (e.g. 第四十九条: the 一案两表
    10 working days ahead, filed with 局办公室): on time, late by N working days, missing or not
    yet due; and whether its safety lead is the one the rule requires.

    Exits 4 when a filing is late or missing or a safety lead does not follow the rule, so a
    scheduled job can alert.
    """
    import datetime as dt
    from pathlib import Path

    from . import events as ev
    from .library import load_catalog
    from .validate import load_valid
    from .workdays import load_calendar

    try:
        doc = load_valid(file, "events")
        cal = load_calendar(calendars, assume_weekends)
        result = ev.check_events(doc, load_catalog(doc.data["catalog"]), today or dt.date.today(), cal)
        if fmt in ("pdf", "html"):
            from .event_report import write_events_report

            out = Path(output) if output else Path("reports") / f"{Path(file).stem}.{fmt}"
            write_events_report(result, cal, out, fmt)
            click.echo(str(out))
    except ChecklistError as e:
        fail(e)
    if fmt == "json":
        from .deadlines import calendar_lines

        click.echo(json.dumps({"file": file, "today": result.today.isoformat(), "catalog": result.catalog.id,
                               "rule": result.clause.id, "events": [r.as_dict() for r in result.events],
                               "calendar": calendar_lines(cal)}, ensure_ascii=False, indent=2))
    elif fmt == "text":
        from .deadlines import calendar_lines

        click.echo(ev.report_text(result))
        click.echo("\n".join(calendar_lines(cal)))
    sys.exit(ExitCode.OVERDUE if result.failing else ExitCode.OK)


@cli.command(epilog=EXIT_CODES)
@click.argument("population", type=click.Path(dir_okay=False))
@click.option("--rate", required=True, help="Share to sample: 0.01 or 1%.")
@click.option("--stratify-by", metavar="COLUMN", help="Sample each value of this column separately (分层).")
@click.option("--min-per-stratum", type=click.IntRange(0), default=1, show_default=True, help="Raise each stratum's share to at least this.")
@click.option("--seed", type=click.IntRange(0), help="Random seed; the same seed gives the same sample [default: chosen and printed].")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The sampling plan (CSV).")
def sample(population, rate, stratify_by, min_per_stratum, seed, output):
    """A reproducible stratified random sample of POPULATION.csv (one row per unit to sample).

    Each stratum gets rate × its size (rounded half up), at least --min-per-stratum, at most its
    size. The plan lists the chosen rows with their stratum and line, after '#' lines recording the
    population's size and SHA-256, the rate and the seed, so the draw can be repeated and checked.
    """
    from pathlib import Path

    from . import atomic
    from .sampling import make_plan, parse_rate, plan_csv

    try:
        plan = make_plan(Path(population), parse_rate(rate), stratify_by=stratify_by, minimum=min_per_stratum, seed=seed)
        atomic.write_text(output, plan_csv(plan))
    except ChecklistError as e:
        fail(e)
    click.echo(f"{output}: {plan.size} of {len(plan.records)} rows, seed {plan.seed}"
               + ("" if seed is not None else " (chosen now: pass --seed to repeat this draw)"))
    for s in plan.strata:
        click.echo(f"  {s.value}: {len(s.chosen)}/{len(s.rows)}")


@cli.command(epilog=EXIT_CODES)
@click.option("--catalog", "catalog_ids", multiple=True, required=True, help="Catalog id or path (repeatable).")
@click.option("--unit", help="The unit (id, name or alias, matched after NFKC in every catalog) [default: all units].")
@click.option("--format", "fmt", type=click.Choice(["pdf", "html", "md", "csv", "xlsx"]), default="pdf", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file [default: reports/duties-<unit or catalog>.<format>].")
def duties(catalog_ids, unit, fmt, output):
    """A responsibility list (责任清单): per document and chapter, each duty's article, text, role
    (牵头 / 配合, also through collective names such as 各处室单位), frequency, deadline rule and
    inspection questions. Without --unit: the matrix of units × clauses (● lead, ○ supporting),
    then the list of every unit."""
    from pathlib import Path

    from .duties import matrix, unit_list
    from .duty_report import write
    from .library import load_catalog

    try:
        catalogs = [load_catalog(c) for c in catalog_ids]
        if unit is not None:
            lists, matrices = [unit_list(catalogs, unit)], []
            stem = lists[0].name
        else:
            matrices = [matrix(c) for c in catalogs]
            names = list(dict.fromkeys(u.name for m in matrices for u in m.units))
            lists = [unit_list(catalogs, n) for n in names]
            stem = "-".join(c.id for c in catalogs)
        out = Path(output) if output else Path("reports") / f"duties-{stem}.{fmt}"
        write(lists, matrices, fmt, out)
    except ChecklistError as e:
        fail(e)
    total = sum(len(ul.duties) for ul in lists)
    click.echo(f"{out}: {len(lists)} unit(s), {total} duties")


@cli.command("diff", epilog=EXIT_CODES)
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff_command(old, new, fmt):
    """What changed between two versions of a catalog (files or ids): clauses added, removed,
    reworded (with a character-level diff: [-deleted-] {+inserted+}) and reassigned to other
    units. Exits 0 whether or not there are changes."""
    from .catalog_diff import diff, report_text
    from .library import load_catalog

    try:
        a, b = load_catalog(old), load_catalog(new)
    except ChecklistError as e:
        fail(e)
    changes = diff(a, b)
    if fmt == "json":
        click.echo(json.dumps({"old": a.path, "new": b.path, "changes": [c.as_dict() for c in changes]}, ensure_ascii=False, indent=2))
    else:
        click.echo(report_text(a, b, changes))


@cli.command("import", epilog=EXIT_CODES)
@click.argument("text", type=click.Path(dir_okay=False))
@click.option("--layout", required=True, type=click.Choice(["articles", "fields", "duty-units"]),
              help="articles: 第X条 and numbered items; fields: items with 服务对象/服务内容/服务标准/支出责任/牵头负责单位; "
                   "duty-units: paragraphs ending in （责任单位：…）.")
@click.option("--id", "catalog_id", default="draft", show_default=True, help="Id of the draft catalog.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The draft catalog (YAML) to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def import_command(text, layout, catalog_id, output, force):
    """Turn a policy text (UTF-8, as extracted from a PDF) into a draft catalog: lines the PDF
    wrapped are joined, page numbers and running headers dropped, Kangxi radicals folded (⼗ → 十),
    and every line it could not place is listed with its number, in the draft and here."""
    from pathlib import Path

    from . import atomic
    from .errors import UsageError
    from .importer import draft_yaml, import_text
    from .loader import read_text

    try:
        if Path(output).exists() and not force:
            raise UsageError(f"{output} exists: use --force to overwrite it")
        source, _ = read_text(text)
        draft = import_text(source, layout, catalog_id=catalog_id)
        atomic.write_text(output, draft_yaml(draft))
    except ChecklistError as e:
        fail(e)
    click.echo(f"{output}: {len(draft.catalog['clauses'])} clauses, {len(draft.catalog['units'])} units"
               f" — a draft: review every clause, then write its questions")
    for number, line in draft.unplaced:
        click.echo(f"{text}:{number}:1: not placed: {line}", err=True)


def main() -> None:
    """Console entry point: never a traceback for the user (set CHECKLIST_DEBUG=1 to see one)."""
    try:
        cli.main(prog_name="checklist")
    except Exception as e:  # a bug, not a user error: say so briefly
        if os.environ.get("CHECKLIST_DEBUG"):
            raise
        click.echo(f"checklist: internal error: {type(e).__name__}: {e} (set CHECKLIST_DEBUG=1 for details)", err=True)
        sys.exit(70)
