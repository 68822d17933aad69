"""Audit files as the validator sees them: cross-checks beyond the schema (evidence inside the
audit's folder, dates in order, the catalog's checks known), and loading one with its catalog."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from checklist.audits.audit import Audit, from_document
from checklist.dates import iso_date
from checklist.errors import ChecklistError, InputFileError, Problem, UsageError
from checklist.files import atomic, locks
from checklist.files.kinds import cross_check, load_valid
from checklist.files.loader import Document
from checklist.i18n import _
from checklist.model.catalog import Catalog
from checklist.model.library import load_catalog
from checklist.vocabulary import FAIL, NA, PASS


@cross_check("audit")
def check(doc: Document) -> list[Problem]:
    """Cross-reference rules of an audit: unique check ids, evidence inside the audit's folder and
    present, dates in order, and the catalog and its checks known."""
    d = doc.data if isinstance(doc.data, dict) else {}
    problems: list[Problem] = []
    folder = Path(doc.path).resolve().parent
    date = iso_date(d.get("date"))
    seen: dict[str, int] = {}
    checks: list = d["checks"] if isinstance(d.get("checks"), list) else []
    for i, c in enumerate(checks):
        if not isinstance(c, dict):
            continue
        cid = c.get("id")
        if isinstance(cid, str):
            if cid in seen:
                problems.append(
                    doc.problem(
                        ("checks", i, "id"),
                        _("duplicate check {check!r} (first at line {line})").format(check=cid, line=seen[cid]),
                        "unique-ids",
                    )
                )
            else:
                seen[cid] = doc.position(("checks", i, "id"))[0]
        for j, ev in enumerate(c.get("evidence") or () if isinstance(c.get("evidence"), list) else ()):
            if isinstance(ev, str):
                why = evidence_problem(folder, ev)
                if why:
                    problems.append(doc.problem(("checks", i, "evidence", j), why, "evidence"))
        verdict = c.get("decided_by")
        if isinstance(verdict, dict) and verdict.get("outcome") in (PASS, FAIL, NA) and c.get("result") != verdict["outcome"]:
            problems.append(
                doc.problem(
                    ("checks", i, "result"),
                    _("result {result!r} differs from the rule's decision {outcome!r}: remove decided_by when overriding it").format(
                        result=c.get("result"), outcome=verdict["outcome"]
                    ),
                    "decided-by",
                )
            )
        f = c.get("finding")
        if isinstance(f, dict) and date:
            for key, name in (("due", _("整改期限 (due)")), ("rectified", _("rectified"))):
                when = iso_date(f.get(key))
                if when and when < date:
                    problems.append(
                        doc.problem(
                            ("checks", i, "finding", key),
                            _("{name} {when} is before the inspection date {date}").format(name=name, when=when, date=date),
                            "dates",
                        )
                    )
    for i, sig in enumerate(d["signatures"] if isinstance(d.get("signatures"), list) else ()):
        if isinstance(sig, dict) and isinstance(sig.get("image"), str):
            why = evidence_problem(folder, sig["image"])
            if why:
                problems.append(doc.problem(("signatures", i, "image"), why, "evidence"))
    problems += _catalog_problems(doc, d, checks)
    return problems


def evidence_problem(folder: Path, ev: str) -> str | None:
    """Why an evidence path is refused, or None: it must be a relative path to an existing file
    inside the audit's folder — never a URL, an absolute path, or a path that climbs out."""
    if "://" in ev or ev.lower().startswith(("data:", "file:")):
        return _("evidence {path!r} is a URL: evidence must be a file inside the audit's folder").format(path=ev)
    p = Path(ev)
    if p.is_absolute():
        return _("evidence {path!r} is an absolute path: write it relative to the audit's folder").format(path=ev)
    full = (folder / p).resolve()
    if not full.is_relative_to(folder):
        return _("evidence {path!r} leaves the audit's folder").format(path=ev)
    if full.is_dir():
        return _("evidence {path!r} is a folder: name the files in it one by one").format(path=ev)
    if not full.is_file():
        return _("evidence file {path!r} not found in the audit's folder").format(path=ev)
    return None


def _catalog_problems(doc: Document, d: dict, checks: list) -> list[Problem]:
    cat_ref = d.get("catalog")
    if not isinstance(cat_ref, dict) or not isinstance(cat_ref.get("id"), str):
        return []
    try:
        catalog = load_catalog(catalog_ref(cat_ref))
    except UsageError as e:
        return [doc.problem(("catalog", "id"), e.message, "known-catalog")]
    except ChecklistError as e:  # the catalog itself is broken: say so at the reference
        return [
            doc.problem(
                ("catalog", "id"),
                _("catalog {catalog!r} cannot be loaded: {error}").format(catalog=cat_ref["id"], error=e),
                "known-catalog",
            )
        ]
    if cat_ref.get("sha256") != catalog.sha256:
        return []  # the catalog changed since: its ids may have too; status and report say so
    known = {k.id: c for c in catalog.clauses for k in c.checks}
    problems = []
    for i, c in enumerate(checks):
        if isinstance(c, dict) and isinstance(c.get("id"), str):
            if c["id"] not in known:
                problems.append(
                    doc.problem(
                        ("checks", i, "id"),
                        _("catalog {catalog} has no check {check!r}").format(catalog=catalog.id, check=c["id"]),
                        "known-checks",
                    )
                )
            elif c.get("clause") != known[c["id"]].id:
                problems.append(
                    doc.problem(
                        ("checks", i, "clause"),
                        _("check {check!r} belongs to clause {clause!r}").format(check=c["id"], clause=known[c["id"]].id),
                        "known-checks",
                    )
                )
    return problems


def catalog_ref(block: dict) -> str:
    """The catalog an audit's ``catalog`` block names: ``id@version`` for a published version (the
    one the audit was made from, never a later one), else the id."""
    version = block.get("version")
    return f"{block['id']}@{version}" if isinstance(version, int) and not isinstance(version, bool) else block["id"]


def load_audit(path: str | Path) -> tuple[Audit, Catalog | None, str | None]:
    """An audit file, validated, with its catalog and a notice when the catalog changed since."""
    a = from_document(load_valid(path, "audit"))
    try:
        cat = load_catalog(catalog_ref(a.catalog))
    except UsageError:
        return a, None, _("catalog {catalog!r} not found: clause texts are left out").format(catalog=catalog_ref(a.catalog))
    notice = None
    if cat.sha256 != a.catalog.get("sha256"):
        notice = _("catalog {catalog} has changed since this audit was made (recorded {recorded}…, now {now}…): texts are today's").format(
            catalog=cat.id, recorded=a.catalog.get("sha256", "")[:12], now=cat.sha256[:12]
        )
    return a, cat, notice


@contextmanager
def editing(path: str | Path) -> Iterator[tuple[Audit, Catalog | None, str | None]]:
    """An audit opened for a session of answers (``audit run``): its lock is taken before the file
    is read and held until the block ends, so no other process saves it in between; a second
    session is refused with the name of the holder (BusyError)."""
    if not atomic.exists(path):  # said as such, and no lock file left in a folder made for it
        raise InputFileError(_("no such file"), path=str(path))
    with locks.hold(path):
        yield load_audit(path)
