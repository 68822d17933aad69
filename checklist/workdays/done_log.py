"""The done-log: a small YAML file of duty-calendar tasks done (``schemas/done-log.schema.json``),
and each task's status on a day — done, due (with the working days left) or overdue (by how
many working days) — counted on the official calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checklist.dates import iso_date
from checklist.errors import ChecklistError, Problem
from checklist.files.kinds import cross_check
from checklist.files.loader import Document
from checklist.i18n import _
from checklist.model.catalog import nfkc
from checklist.model.library import load_catalog
from checklist.workdays.calendar import Calendar
from checklist.workdays.duty_calendar import DutyCalendar, Task

DONE, DONE_LATE, DUE, OVERDUE = "done", "done_late", "due", "overdue"
STATUS_NAMES = {DONE: "已完成", DONE_LATE: "已完成（逾期）", DUE: "待办", OVERDUE: "已逾期"}

# (done?, after the deadline?) → status: the whole rule in one table
_STATUS = {
    (True, False): DONE,
    (True, True): DONE_LATE,
    (False, False): DUE,
    (False, True): OVERDUE,
}


@dataclass
class Status:
    status: str
    done: dt.date | None = None
    by: str = ""
    working_days: int = 0  # DUE: left until the deadline (today and the deadline counted); late: by how many

    @property
    def text(self) -> str:
        name = STATUS_NAMES[self.status]
        if self.status == DONE:
            return f"{name} {self.done} {self.by}".rstrip()
        if self.status == DONE_LATE:
            return f"{name} {self.done} {self.by}，晚 {self.working_days} 个工作日".replace("  ", " ")
        if self.status == DUE:
            return f"{name}，还剩 {self.working_days} 个工作日"
        return f"{name} {self.working_days} 个工作日"

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "status_name": STATUS_NAMES[self.status],
            "done": self.done.isoformat() if self.done else None,
            "by": self.by or None,
            "working_days": self.working_days,
        }


def _identities(task: Task) -> list[tuple]:
    """The keys a done-log entry may name this task by."""
    base = (task.catalog.id, task.clause.id)
    tail = ("event", task.event["id"]) if task.event else ("period", task.period.key)
    return [("uid", task.uid), (*base, *tail, task.step_id), (*base, *tail, "")]


def _entry_key(entry: dict) -> tuple:
    if "uid" in entry:
        return ("uid", entry["uid"])
    tail = ("event", entry["event"]) if "event" in entry else ("period", str(entry["period"]))
    return (entry["catalog"], entry["clause"], *tail, entry.get("step", ""))


def apply(result: DutyCalendar, log: Document | None, today: dt.date, cal: Calendar) -> dict[str, Status]:
    """Each task's status on ``today`` by UID; an event filing counts as done when the events
    file lists every document filed."""
    entries: dict[tuple, list[dict]] = {}
    for e in log.data["done"] if log is not None else ():
        entries.setdefault(_entry_key(e), []).append(e)
    out: dict[str, Status] = {}
    for task in result.tasks:
        found = [
            e
            for key in _identities(task)
            for e in entries.get(key, ())
            if "unit" not in e or nfkc(e["unit"]) in {nfkc(x) for x in (task.unit.id, task.unit.name, *task.unit.aliases)}
        ]
        done = dt.date.fromisoformat(found[0]["date"]) if found else task.filed
        by = found[0]["by"] if found else ("活动备案记录" if task.filed else "")
        due = task.day.date
        late = (done or today) > due
        status = _STATUS[(done is not None, late)]
        if status == DUE:
            days = cal.working_days_between(today - dt.timedelta(days=1), due)
        else:
            days = cal.working_days_between(due, done or today) if late else 0
        out[task.uid] = Status(status, done, by, days)
    return out


def unmatched(result: DutyCalendar, log: Document | None) -> list[dict]:
    """Entries naming no task of the calendar (another period or unit, or a typo), to be shown."""
    if log is None:
        return []
    keys = {k for t in result.tasks for k in _identities(t)}
    return [e for e in log.data["done"] if _entry_key(e) not in keys]


@cross_check("done-log")
def check(doc: Document) -> list[Problem]:
    """Done-logs: each task named once; catalogs and clauses that exist."""
    d = doc.data if isinstance(doc.data, dict) else {}
    entries: list = d["done"] if isinstance(d.get("done"), list) else []
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or iso_date(e.get("date")) is None:
            continue
        try:
            key = _entry_key(e) + (nfkc(e.get("unit", "")),)
        except (KeyError, TypeError):
            continue  # the schema reports the missing fields
        if key in seen:
            problems.append(
                doc.problem(("done", i), _("this task is already logged at line {line}").format(line=seen[key]), "unique-entries")
            )
        else:
            seen[key] = doc.position(("done", i))[0]
        if isinstance(e.get("catalog"), str):
            try:
                cat = load_catalog(e["catalog"])
            except ChecklistError as err:
                problems.append(doc.problem(("done", i, "catalog"), err.message, "known-catalog"))
                continue
            if isinstance(e.get("clause"), str) and e["clause"] not in {c.id for c in cat.clauses}:
                problems.append(
                    doc.problem(
                        ("done", i, "clause"),
                        _("catalog {catalog} has no clause {clause!r}").format(catalog=cat.id, clause=e["clause"]),
                        "known-clause",
                    )
                )
    return problems
