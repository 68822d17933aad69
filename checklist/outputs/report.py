"""Inspection reports from audit files: the view of an audit every format shares, and the
JSON, CSV and HTML outputs. PDF goes through ``pdf.py``, which alone imports WeasyPrint."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from checklist.audits.audit import Audit, Entry
from checklist.audits.results import Award, Status, award, status
from checklist.dates import chinese, parse_date
from checklist.errors import ChecklistError, ExitCode
from checklist.files import atomic
from checklist.files.spreadsheet import csv_text
from checklist.i18n import _
from checklist.model.amounts import money
from checklist.model.catalog import Catalog
from checklist.outputs.templating import render_html
from checklist.vocabulary import FAIL, MAJOR, NA, PASS, RESULT_NAMES, UNCHECKED

_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
COLORS = {PASS: "#3a7d44", FAIL: "#c0392b", NA: "#9aa0a6", UNCHECKED: "#e3e6ea"}


@dataclass
class Row:
    n: int
    entry: Entry
    chapter: str
    text: str  # the clause text, from the catalog
    images: list[Path] = field(default_factory=list)  # JPEG/PNG evidence, absolute
    files: list[str] = field(default_factory=list)  # other evidence, as written


@dataclass
class ChapterBar:
    name: str
    counts: dict[str, int]
    segments: list[dict]  # {result, x, width, count}: a stacked bar, in percent of the full width


@dataclass
class ReportView:
    audit: Audit
    catalog: Catalog | None
    notice: str | None
    rows: list[Row]
    status: Status
    chapters: list[ChapterBar]
    findings: list[Row]  # failed checks, 重大事故隐患 first, then by due date
    body: str = ""  # --inspecting-body given to `report`, overriding the audit's

    @property
    def signatures(self) -> list[dict]:
        """The signatures drawn on the device, each with its image's absolute path (if the file is there)."""
        out = []
        for s in self.audit.signatures:
            path = (self.audit.folder / s["image"]).resolve()
            out.append(dict(s, path=path if _is_image(path) else None, when=s["at"][:16].replace("T", " ")))
        return out

    def signed(self, role: str) -> list[dict]:
        return [s for s in self.signatures if s["role"] == role]

    @property
    def title(self) -> str:
        return self.audit.title or "安全生产检查报告"

    @property
    def inspecting_body(self) -> str:
        """检查单位: as given to `report`, else as recorded in the audit, else the catalog's issuer."""
        issuer = self.catalog.source.get("issuer", "") if self.catalog else ""
        return self.body or self.audit.inspecting_body or issuer

    @property
    def award(self) -> Award:
        return award(self.audit.entries)

    @property
    def has_amounts(self) -> bool:
        """Whether a check of the audit computes a value (the section shows even when none was decided)."""
        computing = {k.id for c in self.catalog.clauses for k in c.checks if k.compute} if self.catalog else set()
        return any(e.id in computing or (e.decided_by and "computed" in e.decided_by) for e in self.audit.entries)

    @property
    def decided(self) -> bool:
        """Whether checks were decided from declared facts (then eligibility and amounts mean something)."""
        return self.has_amounts or any(e.decided_by for e in self.audit.entries)

    @property
    def has_ceiling(self) -> bool:
        """An item the text gives only as a ceiling (最高…万元) is titled …上限 and counts at its maximum."""
        return any(c["title"].endswith("上限") for c in self.award.items)

    @property
    def cite(self) -> str:
        return self.catalog.cited if self.catalog else self.audit.catalog.get("doc_no", "")

    @property
    def total_text(self) -> str:
        return money(self.award.total) if self.award.total else ""

    @property
    def selection_text(self) -> str:
        sel = self.audit.selection
        parts = []
        if sel.get("unit"):
            unit = self.catalog.units.get(sel["unit"]) if self.catalog else None
            parts.append(f"{unit.name if unit else sel['unit']}的职责")
        if sel.get("kind"):
            kind = self.catalog.kinds.get(sel["kind"]) if self.catalog else None
            parts.append(f"{kind.name if kind else sel['kind']}的基本要求")
        if sel.get("chapters"):
            parts.append("章节：" + "、".join(sel["chapters"]))
        if sel.get("tags"):
            parts.append("标签：" + "、".join(sel["tags"]))
        return "；".join(parts) or "目录全部检查项"


def view(audit: Audit, catalog: Catalog | None, notice: str | None, body: str = "") -> ReportView:
    clauses = {c.id: c for c in catalog.clauses} if catalog else {}
    rows = []
    previous = None
    for n, e in enumerate(audit.entries, 1):
        clause = clauses.get(e.clause)
        text = clause.text if clause else "（目录中已无此条款）" if catalog else ""
        # the clause text is printed with its first check only; the next ones share it
        row = Row(n, e, clause.chapter if clause else "", "" if e.clause == previous else text)
        previous = e.clause
        for ev in e.evidence:
            path = (audit.folder / ev).resolve()
            if _is_image(path):
                row.images.append(path)
            else:
                row.files.append(ev)
        rows.append(row)
    findings = sorted(
        (r for r in rows if r.entry.result == FAIL and r.entry.finding),
        key=lambda r: (r.entry.finding is None or r.entry.finding.hazard != MAJOR, r.entry.finding.due if r.entry.finding else "", r.n),
    )
    return ReportView(audit, catalog, notice, rows, status(audit.entries), _chapters(rows), findings, body)


def _is_image(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return head.startswith(_IMAGE_MAGIC)


def _chapters(rows: list[Row]) -> list[ChapterBar]:
    order: dict[str, dict[str, int]] = {}
    for r in rows:
        counts = order.setdefault(r.chapter or "（未分章）", {k: 0 for k in RESULT_NAMES})
        counts[r.entry.result] += 1
    widest = max((sum(c.values()) for c in order.values()), default=1)
    bars = []
    for name, counts in order.items():
        x, segments = 0.0, []
        for result in (PASS, FAIL, NA, UNCHECKED):
            if counts[result]:
                width = 100.0 * counts[result] / widest
                segments.append({"result": result, "x": round(x, 2), "width": round(width, 2), "count": counts[result]})
                x += width
        bars.append(ChapterBar(name, counts, segments))
    return bars


# --- outputs ------------------------------------------------------------------------------


def as_json(v: ReportView) -> str:
    a = v.audit
    return (
        json.dumps(
            {
                "title": v.title,
                "inspecting_body": v.inspecting_body or None,
                "target": a.target,
                "date": a.date,
                "inspectors": a.inspectors,
                "catalog": a.catalog,
                "catalog_notice": v.notice,
                "selection": a.selection,
                "fingerprint": {"file": str(a.path), "sha256": a.sha256},
                "status": v.status.as_dict(),
                "award": v.award.as_dict() if v.decided else None,
                "checks": [dict(r.entry.as_dict(), chapter=r.chapter, text=r.text, result_name=r.entry.result_name) for r in v.rows],
                "findings": [r.entry.id for r in v.findings],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


CSV_HEADER = [
    "序号",
    "条款",
    "章节",
    "检查内容",
    "结果",
    "备注",
    "不适用理由",
    "证据",
    "隐患等级",
    "整改措施",
    "整改责任人",
    "整改期限",
    "整改完成",
    "规则判定依据",
]


def as_csv(v: ReportView) -> str:
    rows = []
    for r in v.rows:
        e, f = r.entry, r.entry.finding
        rows.append(
            [
                r.n,
                e.ref,
                r.chapter,
                e.ask,
                e.result_name,
                e.note,
                e.reason,
                "；".join(e.evidence),
                f.hazard if f else "",
                f.measure if f else "",
                f.owner if f else "",
                f.due if f else "",
                (f.rectified or "") if f else "",
                "；".join(e.decided_by["reasons"]) if e.decided_by else "",
            ]
        )
    return csv_text(CSV_HEADER, rows)


# `checklist report --format`, besides the pages (outputs.pages.FORMATS): the report as text for machines
REPORTERS: dict[str, Callable[[ReportView], str]] = {"json": as_json, "csv": as_csv}


def as_html(v: ReportView, *, for_pdf: bool, out: Path | None = None) -> str:
    def src(path: Path) -> str:
        if for_pdf or out is None:
            return path.as_uri()
        return Path(os.path.relpath(path, out.parent)).as_posix()

    return render_html(
        "report.html.j2",
        for_pdf=for_pdf,
        v=v,
        a=v.audit,
        src=src,
        colors=COLORS,
        result_names=RESULT_NAMES,
        date_cn=chinese(parse_date(v.audit.date)),
    )


# --- rendering files ----------------------------------------------------------------------


@dataclass
class Rendered:
    """What rendering one audit gave: the output, or the error that stopped it (picklable)."""

    source: str
    output: str | None = None
    error: str | None = None
    exit_code: ExitCode = ExitCode.OK
    notice: str | None = None


def default_output(audit_path: Path, fmt: str, out: Path | None, many: bool) -> Path:
    """reports/<audit name>.<ext>; -o names the file for one audit, the folder for several."""
    if out is None:
        return Path("reports") / f"{audit_path.stem}.{fmt}"
    if many or os.path.isdir(out):  # False for a path the OS cannot look up: the write says why
        return out / f"{audit_path.stem}.{fmt}"
    return out


def render_one(path: str, fmt: str, out: str, body: str = "") -> Rendered:
    from checklist.audits.audit_file import load_audit

    result = Rendered(path)
    try:
        audit, catalog, notice = load_audit(path)
        result.notice = notice
        v = view(audit, catalog, notice, body)
        target = Path(out)
        if fmt in REPORTERS:
            atomic.write_text(target, REPORTERS[fmt](v))
        elif fmt == "html":
            atomic.write_text(target, as_html(v, for_pdf=False, out=target))
        else:
            from checklist.outputs.pdf import write_pdf

            write_pdf(as_html(v, for_pdf=True), target, allowed=[audit.folder.resolve()])
        result.output = str(target)
    except ChecklistError as e:
        result.error, result.exit_code = str(e), e.exit_code
    return result


def render_many(paths: list[str], fmt: str, out: Path | None, workers: int | None = None, body: str = "") -> Iterator[Rendered]:
    """Render each audit; several PDFs render in parallel, one process per core."""
    jobs = [(p, fmt, str(default_output(Path(p), fmt, out, len(paths) > 1)), body) for p in paths]
    outputs = [j[2] for j in jobs]
    if len(set(outputs)) != len(outputs):
        dup = next(o for o in outputs if outputs.count(o) > 1)
        yield Rendered(
            paths[0], error=_("two audits would be written to {path}: give them different names").format(path=dup), exit_code=ExitCode.USAGE
        )
        return
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if fmt != "pdf" or workers < 2:
        for job in jobs:
            yield render_one(*job)
        return
    import multiprocessing

    from checklist.outputs import pdf  # noqa: F401  imported once here, inherited by the forked workers

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=_reset_signals) as pool:
        futures = [pool.submit(render_one, *job) for job in jobs]
        for f in as_completed(futures):
            yield f.result()


def _reset_signals() -> None:
    import signal

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _import_pdf() -> None:
    """Pool initializer: each worker imports WeasyPrint once, not once per report, and ends at once
    on SIGTERM (the command's own handler, inherited by the fork, would unwind a worker that may
    hold the pool's queue lock, and the pool would wait for it for ever)."""
    _reset_signals()
    from checklist.outputs import pdf  # noqa: F401


def _render_job(job: tuple[str, str, str]) -> Rendered:
    return render_one(*job)


def render_pdfs(paths: list[Path], out: Path, workers: int | None = None) -> Iterator[Rendered]:
    """Render one PDF per audit into ``out`` (<audit name>.pdf), in worker processes that each import
    WeasyPrint once, yielding each result as it is done (for a progress bar)."""
    import multiprocessing

    jobs = [(str(p), "pdf", str(out / f"{p.stem}.pdf")) for p in paths]
    workers = max(1, min(len(jobs), workers or os.cpu_count() or 1))
    with multiprocessing.get_context("fork").Pool(workers, initializer=_import_pdf) as pool:
        yield from pool.imap_unordered(_render_job, jobs, chunksize=1)
        pool.close()  # every job is done: let the workers end on their own before the pool is left
        pool.join()
