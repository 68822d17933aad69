"""Large events (大型活动): were their filings on time, and is their safety lead the one the rule
requires? The deadline and the safety-lead cases are read from the catalog clause (e.g.
京广发〔2026〕11号 第四十九条), not written here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from checklist.dates import add_days
from checklist.errors import ChecklistError, ExitCode, Problem, UsageError
from checklist.files.kinds import cross_check
from checklist.files.loader import Document
from checklist.i18n import _
from checklist.model.catalog import Catalog, Clause, nfkc
from checklist.model.library import load_catalog
from checklist.workdays.calendar import Calendar
from checklist.workdays.deadlines import StepResult, evaluate_step

ON_TIME, LATE, MISSING, PENDING, FUTURE = "on_time", "late", "missing", "pending", "future"
STATUS_NAMES = {
    ON_TIME: "按时",
    LATE: "逾期",
    MISSING: "未报送，已逾期",
    PENDING: "未报送，尚未到期",
    FUTURE: "报送日期晚于检查日期（不可能已报送）",
}
# What each status means for the exit code: a filing dated after the check date is a wrong
# record (the events file is invalid as of today), late or missing is a deadline missed.
STATUS_EXIT = {ON_TIME: ExitCode.OK, PENDING: ExitCode.OK, LATE: ExitCode.OVERDUE, MISSING: ExitCode.OVERDUE, FUTURE: ExitCode.INVALID}


def _title(name: str) -> str:
    """Document titles compare without book-title marks, after NFKC."""
    return nfkc(name).strip("《》〈〉<>")


def find_rule(catalog: Catalog, rule_id: str | None) -> tuple[Clause, dict]:
    """The clause and the step whose documents must be filed before an event."""
    if rule_id is not None:
        clause = catalog.clause(rule_id)
        steps = [s for s in (clause.deadline or {}).get("steps", ()) if s.get("documents")]
        if not steps:
            raise UsageError(
                _("clause {clause} of {catalog} has no filing deadline (a deadline step with documents)").format(
                    clause=rule_id, catalog=catalog.id
                )
            )
        return clause, steps[0]
    found = [(c, s) for c in catalog.clauses for s in (c.deadline or {}).get("steps", ()) if s.get("documents")]
    if len(found) != 1:
        raise UsageError(
            _("catalog {catalog} has {count} filing rules: name one with 'rule:'").format(catalog=catalog.id, count=len(found))
        )
    return found[0]


@dataclass
class Filing:
    document: str
    status: str
    filed: dt.date | None = None
    late_by: int = 0  # working days after the deadline
    left: int | None = None  # working days from the check date to the deadline, both counted
    filed_with: str | None = None  # whom it was filed with, as the events file says
    recipient_ok: bool | None = None  # None: not said (or the rule names no recipient)

    @property
    def problem(self) -> bool:
        return STATUS_EXIT[self.status] != ExitCode.OK or self.recipient_ok is False

    @property
    def exit_code(self) -> ExitCode:
        return max(STATUS_EXIT[self.status], ExitCode.OVERDUE if self.recipient_ok is False else ExitCode.OK)

    def as_dict(self) -> dict:
        return {
            "document": self.document,
            "status": self.status,
            "status_name": STATUS_NAMES[self.status],
            "filed": self.filed.isoformat() if self.filed else None,
            "late_by_working_days": self.late_by,
            "working_days_left": self.left,
            "filed_with": self.filed_with,
            "recipient_ok": self.recipient_ok,
        }


@dataclass
class EventResult:
    event: dict
    lead_unit: str  # the unit's name
    deadline: StepResult | None  # None when the event could not be checked (see error)
    filings: list[Filing]
    lead_ok: bool | None  # None: the catalog has no rule for this level
    lead_message: str
    days_left: int | None  # working days until the deadline, for events whose deadline is ahead
    recipient: str = ""  # whom the rule says to file with (the unit's name), if anyone
    error: ChecklistError | None = None  # why this event could not be checked, e.g. a year without calendar data

    @property
    def problems(self) -> list[str]:
        out = [self.error.message] if self.error else []
        for f in self.filings:
            if STATUS_EXIT[f.status] != ExitCode.OK:
                out.append(f"《{f.document}》{STATUS_NAMES[f.status]}" + (f" {f.late_by} 个工作日" if f.status == LATE else ""))
            if f.recipient_ok is False:
                out.append(f"《{f.document}》报送{f.filed_with}，应报送{self.recipient}")
        if self.lead_ok is False:
            out.append(self.lead_message)
        return out

    @property
    def exit_code(self) -> ExitCode:
        """This event's outcome: 2 not checkable, 1 an impossible record, 4 a deadline or rule missed."""
        codes = [f.exit_code for f in self.filings]
        if self.error is not None:
            codes.append(self.error.exit_code)
        if self.lead_ok is False:
            codes.append(ExitCode.OVERDUE)
        return max(codes, default=ExitCode.OK)

    def as_dict(self) -> dict:
        return {
            "id": self.event["id"],
            "name": self.event["name"],
            "level": self.event["level"],
            "lead_unit": self.lead_unit,
            "start": self.event["start"],
            "deadline": self.deadline.due.date.isoformat() if self.deadline else None,
            "working_days_left": self.days_left,
            "file_with": self.recipient or None,
            "filings": [f.as_dict() for f in self.filings],
            "safety_lead": {"ok": self.lead_ok, "message": self.lead_message},
            "error": self.error.message if self.error else None,
            "problems": self.problems,
            "exit_code": int(self.exit_code),
        }


@dataclass
class EventsCheck:
    path: Path
    catalog: Catalog
    clause: Clause
    step: dict
    today: dt.date
    cal: Calendar  # the calendar the deadlines were counted on
    file: str = ""  # the events file as the user named it
    events: list[EventResult] = field(default_factory=list)

    @property
    def failing(self) -> list[EventResult]:
        return [e for e in self.events if e.problems]

    @property
    def exit_code(self) -> ExitCode:
        """The worst outcome of any event (the highest code), so one event that cannot be checked
        neither hides the others' late filings nor is hidden by them."""
        return max((e.exit_code for e in self.events), default=ExitCode.OK)


def check_events(doc: Document, catalog: Catalog, today: dt.date, cal: Calendar) -> EventsCheck:
    """Check every event; one that cannot be checked (a year without calendar data) is reported
    with its reason and the others are still checked."""
    clause, step = find_rule(catalog, doc.data.get("rule"))
    result = EventsCheck(Path(doc.path), catalog, clause, step, today, cal, doc.path)
    recipient = catalog.units[step["file_with"]] if step.get("file_with") else None
    for ev in doc.data["events"]:
        lead_ok, lead_message = _safety_lead(catalog, clause, ev)
        lead_unit = catalog.find_unit(ev["lead_unit"]).name
        try:
            due, filings, days_left = _filings(ev, step, catalog, today, cal)
        except ChecklistError as e:
            result.events.append(EventResult(ev, lead_unit, None, [], lead_ok, lead_message, None, error=e))
            continue
        result.events.append(
            EventResult(ev, lead_unit, due, filings, lead_ok, lead_message, days_left, recipient=recipient.name if recipient else "")
        )
    return result


def _filings(ev: dict, step: dict, catalog: Catalog, today: dt.date, cal: Calendar) -> tuple[StepResult, list[Filing], int | None]:
    """The deadline of one event and the status of each document the rule asks for."""
    due = evaluate_step(step, dt.date.fromisoformat(ev["start"]), cal)
    deadline = due.due.date
    given = {_title(f["document"]): f for f in ev.get("filings", ())}
    filings = []
    for document in step["documents"]:
        f = given.get(_title(document))
        if f is None:
            if today > deadline:
                filings.append(Filing(document, MISSING))
            else:
                filings.append(Filing(document, PENDING, left=cal.working_days_between(add_days(today, -1), deadline)))
            continue
        when = dt.date.fromisoformat(f["filed"])
        if when > today:
            filing = Filing(document, FUTURE, when)
        elif when <= deadline:
            filing = Filing(document, ON_TIME, when)
        else:
            filing = Filing(document, LATE, when, late_by=cal.working_days_between(deadline, when))
        if f.get("filed_with") is not None:
            filing.filed_with = f["filed_with"]
            filing.recipient_ok = _unit_id(catalog, f["filed_with"]) == step["file_with"] if step.get("file_with") else None
        filings.append(filing)
    days_left = cal.working_days_between(add_days(today, -1), deadline) if today <= deadline else None
    return due, filings, days_left


def _safety_lead(catalog: Catalog, clause: Clause, ev: dict) -> tuple[bool | None, str]:
    case = next((c for c in clause.safety_lead if c["level"] == ev["level"]), None)
    if case is None:
        return None, f"{clause.ref}未规定{ev['level']}活动的安全负责人"
    lead = ev.get("safety_lead")
    rule = case.get("post") or ""
    if lead is None:
        return False, f"未确定活动安全负责人（{clause.ref}：{rule or '须确定活动安全负责人'}）"
    who = lead["name"] + (f"（{lead['post']}）" if lead.get("post") else "")
    if "designated_by" in case:
        body = catalog.units[case["designated_by"]]
        given = lead.get("designated_by")
        if given is not None and _unit_id(catalog, given) == body.id:
            return True, f"活动安全负责人 {who} 由{body.name}指定，符合{clause.ref}"
        said = f"由{given}指定" if given else "未写明由谁指定"
        return False, f"{ev['level']}活动的安全负责人须由{body.name}指定（{clause.ref}），{who}{said}"
    lead_unit = catalog.find_unit(ev["lead_unit"])
    unit = lead.get("unit")
    if unit is not None and _unit_id(catalog, unit) == lead_unit.id and lead.get("principal") is True:
        return True, f"活动安全负责人 {who} 为牵头单位{lead_unit.name}主要负责人，符合{clause.ref}"
    return False, (
        f"{ev['level']}活动的安全负责人须由牵头单位{lead_unit.name}的主要负责人担任（{clause.ref}），"
        f"{who}"
        + (
            "不是其主要负责人"
            if unit is not None and _unit_id(catalog, unit) == lead_unit.id
            else f"属于{unit}"
            if unit
            else "未写明所在单位及是否为主要负责人"
        )
    )


def _unit_id(catalog: Catalog, name: str) -> str | None:
    try:
        return catalog.find_unit(name).id
    except UsageError:
        return None


@cross_check("events")
def check(doc: Document) -> list[Problem]:
    """Events files: the catalog and rule known, unit names resolvable, documents the rule names,
    no document filed twice, unique ids, the end not before the start."""

    d = doc.data if isinstance(doc.data, dict) else {}
    problems: list[Problem] = []
    events = [(i, e) for i, e in enumerate(d.get("events") or ()) if isinstance(e, dict)] if isinstance(d.get("events"), list) else []
    seen: dict[str, int] = {}
    for i, ev in events:
        if isinstance(ev.get("id"), str):
            if ev["id"] in seen:
                problems.append(
                    doc.problem(
                        ("events", i, "id"),
                        _("duplicate event id {id!r} (first at line {line})").format(id=ev["id"], line=seen[ev["id"]]),
                        "unique-ids",
                    )
                )
            else:
                seen[ev["id"]] = doc.position(("events", i, "id"))[0]
        if isinstance(ev.get("start"), str) and isinstance(ev.get("end"), str) and ev["end"] < ev["start"]:
            problems.append(
                doc.problem(
                    ("events", i, "end"),
                    _("the event ends ({end}) before it starts ({start})").format(end=ev["end"], start=ev["start"]),
                    "dates",
                )
            )
    if not isinstance(d.get("catalog"), str):
        return problems
    try:
        catalog = load_catalog(d["catalog"])
    except UsageError as e:
        return problems + [doc.problem(("catalog",), e.message, "known-catalog")]
    try:
        clause, step = find_rule(catalog, d.get("rule") if isinstance(d.get("rule"), str) else None)
    except UsageError as e:
        return problems + [doc.problem(("rule",) if "rule" in d else ("catalog",), e.message, "known-rule")]
    titles = {_title(x) for x in step["documents"]}
    for i, ev in events:
        if isinstance(ev.get("lead_unit"), str) and _unit_id(catalog, ev["lead_unit"]) is None:
            problems.append(
                doc.problem(
                    ("events", i, "lead_unit"),
                    _("catalog {catalog} has no unit {unit!r}").format(catalog=catalog.id, unit=ev["lead_unit"]),
                    "known-units",
                )
            )
        lead: dict = ev["safety_lead"] if isinstance(ev.get("safety_lead"), dict) else {}
        for key in ("unit", "designated_by"):
            if isinstance(lead.get(key), str) and _unit_id(catalog, lead[key]) is None:
                problems.append(
                    doc.problem(
                        ("events", i, "safety_lead", key),
                        _("catalog {catalog} has no unit {unit!r}").format(catalog=catalog.id, unit=lead[key]),
                        "known-units",
                    )
                )
        filed: dict[str, int] = {}
        for j, f in enumerate(ev.get("filings") or () if isinstance(ev.get("filings"), list) else ()):
            if not isinstance(f, dict) or not isinstance(f.get("document"), str):
                continue
            t = _title(f["document"])
            if t not in titles:
                problems.append(
                    doc.problem(
                        ("events", i, "filings", j, "document"),
                        _("{ref} asks for no document {document!r}; it asks for {documents}").format(
                            ref=clause.ref, document=f["document"], documents="".join(f"《{x}》" for x in step["documents"])
                        ),
                        "known-documents",
                    )
                )
            elif t in filed:
                problems.append(
                    doc.problem(
                        ("events", i, "filings", j, "document"),
                        _("《{document}》 is listed twice (first at line {line})").format(document=t, line=filed[t]),
                        "known-documents",
                    )
                )
            else:
                filed[t] = doc.position(("events", i, "filings", j, "document"))[0]
    return problems
