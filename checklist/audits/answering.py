"""One answer to one check, checked once for every door (the page, the API, and whatever comes
next): the result, the note, the reason for 不适用, and for 不符合 the finding — each field by the
audit schema's own rules, the due date not before the inspection. A refusal names the field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from checklist.audits.audit import Entry, Finding
from checklist.audits.fields import checked_date, checked_text
from checklist.errors import Refusal
from checklist.model.catalog import nfkc
from checklist.vocabulary import BASIS_OTHER, FAIL, HAZARD_WORDS, LEVELS, MAJOR, NA, PLAN_PARTS, RESULT_NAMES, RESULTS

# a result as a person may name it: the key, or its Chinese name
RESULT_WORDS = {**{r: r for r in RESULTS}, **{name: r for r, name in RESULT_NAMES.items()}}


def required_fields() -> dict[str, list[str]]:
    """The fields each result needs, as the audit schema says (a page's script pre-checks with this
    before it sends an answer; the server judges again with ``check_answer``)."""
    from checklist.files.schemas import schema

    audit = schema("audit.schema.json")["$defs"]
    out: dict[str, list[str]] = {}
    for rule in audit["check"].get("allOf", []):
        fields = out.setdefault(rule["if"]["properties"]["result"]["const"], [])
        for key in rule["then"]["required"]:
            inner = audit[key].get("required", []) if key in audit else []  # a record (finding): its own required fields
            fields.extend([f"{key}.{k}" for k in inner] or [key])
    out.setdefault(FAIL, []).append("finding.description")  # asked at every door; older audit files may lack it
    return out


@dataclass
class Answer:
    result: str
    note: str = ""
    reason: str = ""
    finding: Finding | None = None

    def apply(self, entry: Entry) -> None:
        """Record it; the note given is the whole note (clearing it is an answer too)."""
        entry.answer(self.result, note=self.note, reason=self.reason, finding=self.finding)
        entry.note = self.note


def check_answer(data: Any, audit_date: str) -> Answer:
    """The answer ``data`` gives (a mapping as JSON or a form has it), or the Refusal naming the field."""
    if not isinstance(data, dict):
        raise Refusal("value.not_text", "result")
    result = RESULT_WORDS.get(nfkc(str(data.get("result") or "")))
    if result is None:
        raise Refusal("value.choice", "result", value=str(data.get("result") or ""), allowed=[RESULT_NAMES[r] for r in RESULTS])
    note = checked_text("note", data.get("note"))
    reason = checked_text("reason", data.get("reason"), required=result == NA)
    finding = _finding(data.get("finding"), audit_date) if result == FAIL else None
    return Answer(result, note, reason if result == NA else "", finding)


def _finding(f: Any, audit_date: str) -> Finding:
    if not isinstance(f, dict):
        raise Refusal("value.required", "finding")
    level = HAZARD_WORDS.get(nfkc(str(f.get("hazard") or "")))
    if level is None:
        raise Refusal("value.choice", "finding.hazard", value=str(f.get("hazard") or ""), allowed=list(LEVELS))
    measure = checked_text("finding.measure", f.get("measure"))
    owner = checked_text("finding.owner", f.get("owner"))
    due = checked_date("finding.due", f.get("due"), not_before=dt.date.fromisoformat(audit_date))
    description = checked_text("finding.description", f.get("description"))
    basis = checked_text("finding.basis", f.get("basis"), required=False) if level == MAJOR else ""
    reason = checked_text("finding.basis_reason", f.get("basis_reason"), required=basis == BASIS_OTHER) if level == MAJOR else ""
    plan_in: dict = f["plan"] if isinstance(f.get("plan"), dict) else {}
    plan = {k: checked_text(f"finding.plan.{k}", plan_in.get(k)) for k in PLAN_PARTS}
    return Finding(
        level,
        measure,
        owner,
        due.isoformat(),
        None,
        checked_text("finding.place", f.get("place")),
        checked_text("finding.interim_measures", f.get("interim_measures")),
        {k: v for k, v in plan.items() if v} or None,
        description=description,
        basis=basis,
        basis_reason=reason,
    )
