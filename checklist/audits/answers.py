"""Answers for scripts (`checklist audit answer`): a YAML or CSV file of answers, every one
checked — against the schema, then against the audit — before any is recorded, then written
once through the audit's normal save.

A CSV is turned into the same document a YAML answers file gives, its nodes marked with the
row and column of each cell, so one schema and one set of checks serve both and every
problem is reported as ``file:row:col``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from checklist.audits.audit import Audit, Finding
from checklist.audits.audit_file import load_audit
from checklist.audits.fields import checked_text
from checklist.dates import iso_date
from checklist.errors import InputFileError, InvalidFileError, Problem, Refusal
from checklist.files.kinds import KINDS, cross_check, problems_of
from checklist.files.loader import Document, load, read_text
from checklist.files.spreadsheet import csv_rows
from checklist.i18n import _
from checklist.model.catalog import nfkc
from checklist.vocabulary import FAIL, HAZARD_WORDS, NA, PASS, RESULT_NAMES, UNCHECKED

RESULT_WORDS = {PASS: PASS, RESULT_NAMES[PASS]: PASS, FAIL: FAIL, RESULT_NAMES[FAIL]: FAIL, NA: NA, RESULT_NAMES[NA]: NA}
FINDING_KEYS = ("hazard", "description", "basis", "basis_reason", "measure", "owner", "due")
# CSV columns: the field, and the headers that name it (compared after NFKC, case-insensitive)
COLUMNS = {
    "id": ("id", "检查项", "检查项编号"),
    "result": ("result", "结果", "检查结果"),
    "note": ("note", "备注"),
    "reason": ("reason", "不适用理由"),
    "hazard": ("hazard", "隐患等级"),
    "description": ("description", "隐患描述"),
    "basis": ("basis", "定级依据"),
    "basis_reason": ("basis_reason", "定级理由"),
    "measure": ("measure", "整改措施"),
    "owner": ("owner", "整改责任人", "责任人"),
    "due": ("due", "整改期限"),
}
_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


@dataclasses.dataclass
class Answered:
    audit: Audit
    recorded: int
    notice: str | None  # the audit's catalog changed since it was made

    @property
    def remaining(self) -> int:
        return sum(1 for e in self.audit.entries if e.result == UNCHECKED)


def read_answers(path: str | Path) -> tuple[Document, list[Problem]]:
    """An answers document from a .yaml/.yml or .csv file, and every problem the file has on its own."""
    suffix = Path(path).suffix.lower()
    problems: list[Problem] = []
    if suffix in (".yaml", ".yml"):
        doc = load(path)
    elif suffix == ".csv":
        doc, problems = _csv_document(path)
    else:
        raise InputFileError(_("answers must be a .yaml, .yml or .csv file"), path=str(path))
    return doc, problems + problems_of(doc, KINDS["answers"])


def answer(audit_path: str | Path, answers_path: str | Path) -> Answered:
    """Check every answer — the file on its own, then against the audit (known check ids, due
    dates not before the inspection) — then record them all and save the audit once; nothing
    is written while any problem remains, and every problem is reported together."""
    doc, problems = read_answers(answers_path)
    audit, catalog, notice = load_audit(audit_path)
    audit.check_open()
    entries = {e.id: e for e in audit.entries}
    date = iso_date(audit.date)
    items = doc.data.get("answers") if isinstance(doc.data, dict) else None
    for i, a in enumerate(items if isinstance(items, list) else ()):
        if not isinstance(a, dict):
            continue
        if isinstance(a.get("id"), str) and a["id"] not in entries:
            problems.append(
                doc.problem(
                    ("answers", i, "id"),
                    _("{path} has no check {check!r}; its checks: {checks}").format(path=audit_path, check=a["id"], checks=_some(entries)),
                    "known-checks",
                )
            )
        problems += _text_problems(doc, i, a)
        due = iso_date(a["finding"].get("due")) if isinstance(a.get("finding"), dict) else None
        if due and date and due < date:
            problems.append(
                doc.problem(
                    ("answers", i, "finding", "due"),
                    _("整改期限 {due} is before the inspection date {date}").format(due=due, date=audit.date),
                    "dates",
                )
            )
    if problems:
        raise InvalidFileError(sorted(problems, key=lambda p: (p.line, p.column)))
    for a in doc.data["answers"]:
        f = a.get("finding")
        finding = None
        if f:
            more = {k: f[k].strip() for k in ("description", "basis", "basis_reason") if f.get(k)}
            finding = Finding(HAZARD_WORDS[f["hazard"]], f["measure"], f["owner"], f["due"], **more)
        entries[a["id"]].answer(RESULT_WORDS[a["result"]], note=a.get("note", ""), reason=a.get("reason", ""), finding=finding)
    audit.save(catalog)
    return Answered(audit, len(doc.data["answers"]), notice)


def _text_problems(doc: Document, i: int, a: dict) -> list[Problem]:
    """Each text of one answer by the one check every door uses (``audits.fields``: the audit
    schema's limits, no hidden or unprintable character), at its place in the file."""
    found = []
    finding: dict = a["finding"] if isinstance(a.get("finding"), dict) else {}
    for path, field, value in (
        (("answers", i, "note"), "note", a.get("note")),
        (("answers", i, "reason"), "reason", a.get("reason")),
        (("answers", i, "finding", "measure"), "finding.measure", finding.get("measure")),
        (("answers", i, "finding", "owner"), "finding.owner", finding.get("owner")),
    ):
        if isinstance(value, str):
            try:
                checked_text(field, value, required=False)
            except Refusal as e:
                found.append(doc.problem(path, e.message, "fields"))
    return found


def _some(entries: dict) -> str:
    ids = list(entries)
    return ", ".join(ids[:8]) + (_(" … ({count} in all)").format(count=len(ids)) if len(ids) > 8 else "")


@cross_check("answers")
def check(doc: Document) -> list[Problem]:
    """What an answers file must be on its own: each check answered once."""
    answers = doc.data.get("answers") if isinstance(doc.data, dict) else None
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, a in enumerate(answers if isinstance(answers, list) else ()):
        if isinstance(a, dict) and isinstance(a.get("id"), str):
            if a["id"] in seen:
                problems.append(
                    doc.problem(
                        ("answers", i, "id"),
                        _("check {check!r} is answered twice (first at line {line})").format(check=a["id"], line=seen[a["id"]]),
                        "unique-ids",
                    )
                )
            else:
                seen[a["id"]] = doc.position(("answers", i, "id"))[0]
    return problems


# --- CSV as a document --------------------------------------------------------------------


def _csv_document(path: str | Path) -> tuple[Document, list[Problem]]:
    text, _encoding = read_text(path)
    shown, problems = str(path), []
    rows = csv_rows(text, shown)
    if not rows:
        raise InvalidFileError([Problem(shown, 1, 1, _("empty: the first row must name the columns (id, result, …)"), "answers")])
    header_line, header = rows[0]
    names = {nfkc(h).lower(): field for field, headers in COLUMNS.items() for h in headers}
    columns: list[str | None] = []
    for col, cell in enumerate(header, 1):
        field = names.get(nfkc(cell).lower())
        if field is None and cell.strip():
            known = ", ".join(f"{f} ({'/'.join(h[1:])})" if len(h) > 1 else f for f, h in COLUMNS.items())
            problems.append(
                Problem(shown, header_line, col, _("unknown column {column!r}; known: {known}").format(column=cell, known=known), "answers")
            )
        elif field in columns:
            problems.append(Problem(shown, header_line, col, _("column {column!r} given twice").format(column=cell), "answers"))
            field = None
        columns.append(field)
    for field in ("id", "result"):
        if field not in columns:
            problems.append(
                Problem(
                    shown, header_line, 1, _("no {field} column ({names})").format(field=field, names=" / ".join(COLUMNS[field])), "answers"
                )
            )
    items, nodes = [], []
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        item, node = _row(shown, line, row, columns)
        items.append(item)
        nodes.append(node)
    root = yaml.MappingNode(
        _MAP, [(_scalar("answers", shown, header_line, 1), yaml.SequenceNode(_SEQ, nodes, _mark(shown, 1, 1)))], _mark(shown, 1, 1)
    )
    doc = Document(shown, {"answers": items}, text, "", root)
    return doc, problems


def _row(shown: str, line: int, row: list[str], columns: list[str | None]) -> tuple[dict, yaml.MappingNode]:
    """One row as an answer and its node; finding cells grouped under ``finding``, marked at the first."""
    item: dict = {}
    pairs: list = []
    finding: dict = {}
    finding_pairs: list = []
    finding_at: tuple[int, int] | None = None
    for col, (cell, field) in enumerate(zip(row, columns, strict=False), 1):
        value = cell.strip()
        if field is None or not value:
            continue
        pair = (_scalar(field, shown, line, col), _scalar(value, shown, line, col))
        if field in FINDING_KEYS:
            finding[field] = value
            finding_pairs.append(pair)
            finding_at = finding_at or (line, col)
        else:
            item[field] = value
            pairs.append(pair)
    if finding_at is not None:
        item["finding"] = finding
        pairs.append((_scalar("finding", shown, *finding_at), yaml.MappingNode(_MAP, finding_pairs, _mark(shown, *finding_at))))
    return item, yaml.MappingNode(_MAP, pairs, _mark(shown, line, 1))


def _mark(shown: str, line: int, col: int) -> yaml.Mark:
    return yaml.Mark(shown, 0, line - 1, col - 1, "", 0)


def _scalar(value: str, shown: str, line: int, col: int) -> yaml.ScalarNode:
    return yaml.ScalarNode(_STR, value, _mark(shown, line, col), _mark(shown, line, col))
