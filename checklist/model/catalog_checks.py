"""Catalog cross-checks beyond the schema: unique ids, declared units, lead before support,
article references, deadlines counting from known steps, questions for every duty, recurrences
that can make tasks."""

from __future__ import annotations

from typing import Any

from checklist.dates import iso_date
from checklist.errors import Problem
from checklist.files.kinds import cross_check
from checklist.files.loader import Document
from checklist.i18n import _
from checklist.model.amounts import compute_problems, table_problems
from checklist.model.catalog import Assignment
from checklist.model.refs import is_article_ref, parse_ref
from checklist.model.rules import rule_problems
from checklist.vocabulary import LEAD, SUPPORT


@cross_check("catalog")
def check(doc: Document) -> list[Problem]:
    """Cross-reference rules of a catalog. Tolerates schema-invalid data: every rule looks only
    at the parts that have the right shape, so one run reports everything it can."""
    d = doc.data if isinstance(doc.data, dict) else {}
    problems: list[Problem] = []
    seen: dict[str, tuple] = {}

    def declare(path: tuple, ident: Any) -> None:
        if not isinstance(ident, str):
            return
        if ident in seen:
            line = doc.position(seen[ident])[0]
            problems.append(
                doc.problem(path, _("duplicate id {id!r} (first declared at line {line})").format(id=ident, line=line), "unique-ids")
            )
        else:
            seen[ident] = path

    units, groups = _dicts(d, "units"), _dicts(d, "unit_groups")
    for i, u in units:
        declare(("units", i, "id"), u.get("id"))
    for i, g in groups:
        declare(("unit_groups", i, "id"), g.get("id"))
    unit_ids = {u.get("id") for _, u in units}
    group_ids = {g.get("id") for _, g in groups}
    assignable = unit_ids | group_ids

    for i, g in groups:
        for j, m in enumerate(g.get("members") or ()):
            if m not in unit_ids:
                what = (
                    _("member {member!r} is a group; groups list units, not other groups")
                    if m in group_ids
                    else _("member {member!r} is not a declared unit")
                )
                problems.append(doc.problem(("unit_groups", i, "members", j), what.format(member=m), "known-units"))

    kinds = _dicts(d, "kinds")
    kind_ids = {k.get("id") for _, k in kinds}
    for i, k in kinds:
        declare(("kinds", i, "id"), k.get("id"))
        for j, inc in enumerate(k.get("includes") or () if isinstance(k.get("includes"), list) else ()):
            if inc not in kind_ids:
                problems.append(doc.problem(("kinds", i, "includes", j), _("unknown kind {kind!r}").format(kind=inc), "known-kinds"))
            elif _includes_itself(inc, k.get("id"), kinds):
                problems.append(
                    doc.problem(
                        ("kinds", i, "includes", j),
                        _("kind {kind!r} includes itself through {through!r}").format(kind=k.get("id"), through=inc),
                        "known-kinds",
                    )
                )
    declared_facts: dict = d["facts"] if isinstance(d.get("facts"), dict) else {}
    tables: dict = d["tables"] if isinstance(d.get("tables"), dict) else {}
    for name, table in tables.items():
        problems += [doc.problem(("tables", name) + where, message, "tables") for where, message in table_problems(name, table)]

    for i, c in _dicts(d, "clauses"):
        base = ("clauses", i)
        declare(base + ("id",), c.get("id"))
        for j, kid in enumerate(c.get("kinds") or () if isinstance(c.get("kinds"), list) else ()):
            if kid not in kind_ids:
                problems.append(
                    doc.problem(base + ("kinds", j), _("unknown kind {kind!r}: declare it under kinds").format(kind=kid), "known-kinds")
                )
        ref = c.get("ref")
        if isinstance(ref, str) and is_article_ref(ref):
            try:
                parse_ref(ref)
            except ValueError as e:
                problems.append(doc.problem(base + ("ref",), str(e), "article-ref"))
        problems += _check_responsible(doc, base, c.get("responsible"), assignable)
        checks = c.get("checks")
        responsible = _responsible_ids(c.get("responsible"))
        for j, k in enumerate(checks if isinstance(checks, list) else ()):
            if isinstance(k, dict):
                declare(base + ("checks", j, "id"), k.get("id"))
                for where, message in rule_problems(k.get("rule"), declared_facts):
                    problems.append(doc.problem(base + ("checks", j, "rule") + where, message, "rules"))
                clause_kinds: list = c["kinds"] if isinstance(c.get("kinds"), list) else []
                for m, kid in enumerate(k.get("kinds") or () if isinstance(k.get("kinds"), list) else ()):
                    if kid not in clause_kinds:
                        problems.append(
                            doc.problem(
                                base + ("checks", j, "kinds", m),
                                _("kind {kind!r} is not among the clause's kinds").format(kind=kid),
                                "known-kinds",
                            )
                        )
                for where, message in compute_problems(k.get("compute"), declared_facts, tables):
                    problems.append(doc.problem(base + ("checks", j, "compute") + where, message, "compute"))
                for m, target in enumerate(k.get("applies_to") or () if isinstance(k.get("applies_to"), list) else ()):
                    if not _within(target, responsible, groups):
                        problems.append(
                            doc.problem(
                                base + ("checks", j, "applies_to", m),
                                _("{unit!r} is not among the clause's responsible units").format(unit=target),
                                "applies-to",
                            )
                        )
        if isinstance(c.get("responsible"), list) and c["responsible"] and not checks:
            problems.append(
                doc.problem(base, _("clause assigns a duty (responsible) but has no inspection question (checks)"), "duty-checks")
            )
        problems += _check_deadline(doc, base, c.get("deadline"), assignable, declare)
        problems += _check_recurrence(doc, base, c)
        for j, case in enumerate(c.get("safety_lead") or ()):
            if isinstance(case, dict) and "designated_by" in case and case["designated_by"] not in assignable:
                problems.append(
                    doc.problem(
                        base + ("safety_lead", j, "designated_by"),
                        _("unknown unit {unit!r}").format(unit=case["designated_by"]),
                        "known-units",
                    )
                )
    return problems


def _includes_itself(start: Any, origin: Any, kinds: list[tuple[int, dict]]) -> bool:
    by_id = {k.get("id"): k for _, k in kinds}
    todo, seen = [start], set()
    while todo:
        kid = todo.pop()
        if kid == origin:
            return True
        if kid in seen or kid not in by_id:
            continue
        seen.add(kid)
        includes = by_id[kid].get("includes")
        todo += includes if isinstance(includes, list) else []
    return False


def _responsible_ids(entries: Any) -> set[str]:
    ids = set()
    for e in entries if isinstance(entries, list) else ():
        if isinstance(e, str):
            ids.add(e)
        elif isinstance(e, dict) and isinstance(e.get("unit"), str):
            ids.add(e["unit"])
    return ids


def _within(target: Any, responsible: set[str], groups: list[tuple[int, dict]]) -> bool:
    """``target`` is a responsible id, or a member of a responsible group."""
    if target in responsible:
        return True
    return any(g.get("id") in responsible and target in (g.get("members") or ()) for _, g in groups)


def _dicts(d: dict, key: str) -> list[tuple[int, dict]]:
    items = d.get(key)
    return [(i, x) for i, x in enumerate(items) if isinstance(x, dict)] if isinstance(items, list) else []


def _check_responsible(doc: Document, base: tuple, entries: Any, assignable: set) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(entries, list):
        return problems
    support_seen_at = None
    for j, entry in enumerate(entries):
        path = base + ("responsible", j)
        if isinstance(entry, str):
            a = Assignment(entry, LEAD)
        elif isinstance(entry, dict) and isinstance(entry.get("unit"), str):
            a, path = Assignment(entry["unit"], entry.get("role", LEAD)), path + ("unit",)
        else:
            continue
        if a.unit not in assignable:
            problems.append(
                doc.problem(path, _("unknown unit {unit!r}: declare it under units or unit_groups").format(unit=a.unit), "known-units")
            )
        if a.role == SUPPORT:
            support_seen_at = support_seen_at if support_seen_at is not None else j
        elif a.role == LEAD and support_seen_at is not None:
            problems.append(
                doc.problem(
                    path,
                    _("lead unit {unit!r} is listed after supporting unit #{n}: list lead units first").format(
                        unit=a.unit, n=support_seen_at + 1
                    ),
                    "lead-first",
                )
            )
    return problems


def _check_deadline(doc: Document, base: tuple, deadline: Any, assignable: set, declare) -> list[Problem]:
    problems = []
    steps = deadline.get("steps") if isinstance(deadline, dict) else None
    earlier = {"anchor"}
    for j, step in enumerate(steps if isinstance(steps, list) else ()):
        if not isinstance(step, dict):
            continue
        path = base + ("deadline", "steps", j)
        declare(path + ("id",), step.get("id"))
        origin = step.get("from", "anchor")
        if isinstance(origin, str) and origin not in earlier:
            problems.append(
                doc.problem(
                    path + ("from",),
                    _("counts from {origin!r}, which is neither 'anchor' nor an earlier step").format(origin=origin),
                    "step-order",
                )
            )
        if "file_with" in step and step["file_with"] not in assignable:
            problems.append(doc.problem(path + ("file_with",), _("unknown unit {unit!r}").format(unit=step["file_with"]), "known-units"))
        if isinstance(step.get("id"), str):
            earlier.add(step["id"])
    return problems


def _check_recurrence(doc: Document, base: tuple, clause: dict) -> list[Problem]:
    """A recurrence that makes tasks needs units to give them to, a deadline rule when it says
    due: {deadline: true}, steps_by naming its steps and responsible units, and a from no later
    than its until."""
    rec = clause.get("recurrence")
    if not isinstance(rec, dict) or "none" in rec:
        return []
    path = base + ("recurrence",)
    problems = []
    if not clause.get("responsible"):
        problems.append(doc.problem(path, _("recurrence makes tasks, but the clause names no responsible unit"), "recurrence"))
    due = rec.get("due")
    if isinstance(due, dict) and due.get("deadline") is True and not isinstance(clause.get("deadline"), dict):
        problems.append(doc.problem(path + ("due",), _("due: {{deadline: true}} needs the clause's deadline rule").format(), "recurrence"))
    deadline = clause["deadline"] if isinstance(clause.get("deadline"), dict) else {}
    steps = deadline["steps"] if isinstance(deadline.get("steps"), list) else []
    step_ids = {st.get("id") for st in steps if isinstance(st, dict)}
    responsible = _responsible_ids(clause.get("responsible"))
    steps_by: dict = rec["steps_by"] if isinstance(rec.get("steps_by"), dict) else {}
    for step, units in steps_by.items():
        if step not in step_ids:
            problems.append(
                doc.problem(path + ("steps_by", step), _("the clause's deadline has no step {step!r}").format(step=step), "recurrence")
            )
        for j, uid in enumerate(units if isinstance(units, list) else ()):
            if uid not in responsible:
                problems.append(
                    doc.problem(
                        path + ("steps_by", step, j),
                        _("{unit!r} is not among the clause's responsible units").format(unit=uid),
                        "recurrence",
                    )
                )
    first, last = iso_date(rec.get("from")), iso_date(rec.get("until"))
    if first and last and last < first:
        problems.append(
            doc.problem(path + ("until",), _("until ({last}) is before from ({first})").format(last=last, first=first), "recurrence")
        )
    return problems
