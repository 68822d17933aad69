"""The duty calendar: every recurring duty of a unit (named itself or through a group) as dated
tasks in a span, from the catalogs' ``recurrence`` data, plus each event-relative deadline from
an events file (e.g. 第四十九条's 一案两表 10 working days before the event). Every task falls on a
working day of the official calendar and has a UID that stays the same from run to run, so a
calendar app updates it on re-import instead of duplicating it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from checklist.errors import Refusal, UsageError
from checklist.files.loader import Document
from checklist.i18n import _
from checklist.model.catalog import Catalog, Clause, Unit, nfkc
from checklist.model.library import load_catalog
from checklist.vocabulary import DUTY_ROLE_NAMES
from checklist.workdays.calendar import Calendar, Day
from checklist.workdays.deadlines import calendar_lines, describe, evaluate
from checklist.workdays.frequencies import Period, dues
from checklist.workdays.large_events import find_rule

ASSUMED_NOTE = "注意：{years}年没有官方节假日安排，已按周一至周五计算（假定），日期可能与实际工作日不符。"
_UID_SAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass
class Task:
    catalog: Catalog
    clause: Clause
    unit: Unit  # the unit the task is for (its id in this catalog)
    role: str  # lead / support
    via: Unit | None  # the group through which the unit is bound
    period: Period
    day: Day
    action: str
    rule: str
    conventions: list[str] = field(default_factory=list)
    step_id: str = ""
    event: dict | None = None
    filed: dt.date | None = None  # for event filings: when the events file says all documents were filed

    @property
    def key(self) -> str:
        """catalog-clause[-step]-unit-period (or -event id): the task's identity across runs."""
        parts = [self.catalog.id, self.clause.id, self.step_id, self.unit.id]
        parts.append(f"event-{self.event['id']}" if self.event else self.period.key)
        return "-".join(_UID_SAFE.sub("_", p) for p in parts if p)

    @property
    def uid(self) -> str:
        return f"{self.key}@checklist"

    @property
    def code(self) -> str:
        """A short mark for a planner's day cell: the clause id (and the step's number)."""
        if not self.step_id or self.event:
            return self.clause.id
        steps = [s["id"] for s in (self.clause.deadline or {}).get("steps", ())]
        return f"{self.clause.id}·{steps.index(self.step_id) + 1}"

    @property
    def title(self) -> str:
        what = self.event["name"] + "：" + self.action if self.event else self.action
        short = what if len(what) <= 40 else what[:39] + "…"
        return f"{self.clause.ref} {short}"

    @property
    def role_name(self) -> str:
        return DUTY_ROLE_NAMES[self.role] + (f"（作为{self.via.name}）" if self.via else "")

    def description(self, notes: Sequence[str] = ()) -> str:
        """Everything a reader needs without the catalog: what, by when, why (文号, 条款, 原文)."""
        lines = [
            f"事项：{self.action}",
            f"期限：{self.day.date}（{self.day.label}）— {self.rule}",
            f"活动：{self.event['name']}（{self.event['start']} 开始）"
            if self.event
            else f"原文日期：{self.period.label}"
            if self.period.every == "date"
            else f"期间：{self.period.label}",
            f"单位：{self.unit.name}（{self.role_name}）",
            f"依据：{self.catalog.cited}{self.clause.ref}",
            f"原文：{self.clause.text}",
        ]
        lines += [f"说明：{c}" for c in self.conventions]
        lines += list(notes)
        lines.append(f"UID：{self.uid}")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "uid": self.uid,
            "date": self.day.date.isoformat(),
            "day": self.day.label,
            "catalog": self.catalog.id,
            "doc_no": self.catalog.doc_no,
            "clause": self.clause.id,
            "ref": self.clause.ref,
            "step": self.step_id or None,
            "period": self.period.key,
            "unit": self.unit.name,
            "role": self.role_name,
            "action": self.action,
            "rule": self.rule,
            "conventions": self.conventions,
            "event": self.event["id"] if self.event else None,
        }


@dataclass
class UnitCalendar:
    name: str
    tasks: list[Task] = field(default_factory=list)


@dataclass
class DutyCalendar:
    first: dt.date
    last: dt.date
    units: list[UnitCalendar]
    cal: Calendar

    @property
    def tasks(self) -> list[Task]:
        return [t for u in self.units for t in u.tasks]

    @property
    def assumed_years(self) -> list[int]:
        return sorted(self.cal.assumed)

    @property
    def notes(self) -> list[str]:
        """What every output must say about the calendar: its sources, and any assumed year."""
        lines = calendar_lines(self.cal)[: len(self.cal.years_used)]
        if self.assumed_years:
            lines.insert(0, ASSUMED_NOTE.format(years="、".join(map(str, self.assumed_years))))
        return lines


def build(
    catalogs: list[Catalog], unit_names: list[str], first: dt.date, last: dt.date, cal: Calendar, events: Document | None = None
) -> DutyCalendar:
    """The tasks of each unit in first..last, by date; refused when a year of the span has no
    official data (unless the calendar assumes weekends, and then the result says so)."""
    if last < first:
        raise Refusal("span.backwards", "last", first=first.isoformat(), last=last.isoformat())
    for year in range(first.year, last.year + 1):
        cal.day(dt.date(year, 1, 1))  # raises YearNotCovered for a year without data
    out = DutyCalendar(first, last, [], cal)
    event_catalog = load_catalog(events.data["catalog"]) if events is not None else None
    for name in unit_names:
        found = [(cat, unit) for cat in catalogs if (unit := _find(cat, name)) is not None]
        if not found and (event_catalog is None or _find(event_catalog, name) is None):
            raise UsageError(
                _("no unit {name!r} in {catalogs} (matched by id, name or alias)").format(
                    name=name, catalogs=", ".join(c.id for c in catalogs)
                )
            )
        uc = UnitCalendar(found[0][1].name if found else name)
        for cat, unit in found:
            uc.tasks += _recurring(cat, unit, first, last, cal)
        if events is not None and event_catalog is not None:
            uc.tasks += _event_tasks(events, event_catalog, name, first, last, cal)
        uc.tasks.sort(key=lambda t: (t.day.date, t.catalog.id, t.clause.id, t.step_id))
        out.units.append(uc)
    return out


def _find(cat: Catalog, name: str) -> Unit | None:
    try:
        return cat.find_unit(name)
    except UsageError:
        return None


def _recurring(cat: Catalog, unit: Unit, first: dt.date, last: dt.date, cal: Calendar) -> list[Task]:
    tasks = []
    for clause, role in cat.duties_of(unit.id):
        via = next((cat.units[a.unit] for a in clause.responsible if a.unit != unit.id and unit.id in cat.expand(a.unit)), None)
        steps_by = (clause.recurrence or {}).get("steps_by", {})
        for d in dues(clause, cal, first, last):
            carriers = steps_by.get(d.step_id)
            if carriers and not any(unit.id == c or unit.id in cat.expand(c) for c in carriers):
                continue  # another responsible unit carries this step (区财政部门复审)
            tasks.append(Task(cat, clause, unit, role, via, d.period, d.day, d.action, d.rule, d.conventions, d.step_id))
    return tasks


def _event_tasks(events: Document, cat: Catalog, name: str, first: dt.date, last: dt.date, cal: Calendar) -> list[Task]:
    """Each deadline of the events file's rule for the events this unit leads (牵头)."""
    unit = _find(cat, name)
    if unit is None:
        return []
    clause, _step = find_rule(cat, events.data.get("rule"))
    tasks = []
    for ev in events.data["events"]:
        if cat.find_unit(ev["lead_unit"]).id != unit.id:
            continue
        start = dt.date.fromisoformat(ev["start"])
        filed = {nfkc(f["document"]).strip("《》"): dt.date.fromisoformat(f["filed"]) for f in ev.get("filings", ())}
        for r in evaluate(cat, clause, start, cal):
            if not first <= r.due.date <= last:
                continue
            step = r.step
            docs = "".join(f"《{d}》" for d in step.get("documents", ()))
            to = f"报送{cat.units[step['file_with']].name}" if step.get("file_with") else ""
            action = step["action"] + (f"：{docs}{to}" if docs else "")
            wanted = [filed.get(nfkc(d)) for d in step.get("documents", ())]
            conventions = [f"{describe(step)}，自{clause.deadline['anchor'] if clause.deadline else '活动开始日'} {start} 起算"]
            task = Task(
                cat, clause, unit, "lead", None, Period("date", start, start), r.due, action, describe(step), conventions, step["id"], ev
            )
            task.filed = max(wanted) if wanted and all(wanted) else None  # type: ignore[type-var]
            tasks.append(task)
    return tasks
