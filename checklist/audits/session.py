"""The interactive audit: one check at a time, single-key answers, a save after every answer.

The terminal is reached only through a Prompter, so the same loop serves a keyboard, piped
standard input and tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from checklist.audits.audit import (
    FAIL,
    GENERAL,
    MAJOR,
    NA,
    PASS,
    RESULT_NAMES,
    UNCHECKED,
    Audit,
    Entry,
    Finding,
    text_field_problem,
)
from checklist.dates import parse_date
from checklist.errors import UsageError
from checklist.model.catalog import Catalog

KEYS = {"y": PASS, "n": FAIL, "a": NA}
HELP = "[y] 符合  [n] 不符合  [a] 不适用  [s] 跳过  [b] 上一项  [q] 保存退出"


class Prompter(Protocol):
    def show(self, text: str) -> None: ...

    def key(self, prompt: str, choices: str) -> str | None:
        """One of ``choices``; None when input ends or the user interrupts."""

    def line(self, prompt: str) -> str | None:
        """A line of text (may be empty); None when input ends or the user interrupts."""


class _Quit(Exception):
    """Input ended in the middle of an answer: nothing half-answered is recorded."""


@dataclass
class Outcome:
    answered_now: int
    remaining: int


def run(audit: Audit, catalog: Catalog | None, prompter: Prompter, save: Callable[[], None]) -> Outcome:
    texts = {c.id: c for c in catalog.clauses} if catalog else {}
    entries = audit.entries
    total = len(entries)
    i = _next_unchecked(entries, 0, set())
    skipped: set[int] = set()
    answered_now = 0
    while i < total:
        e = entries[i]  # unchecked, or an answered one the user went back to
        prompter.show(_describe(e, i, total, texts.get(e.clause)))
        try:
            k = prompter.key(HELP + " > ", "ynasbq")
            if k is None or k == "q":
                break
            if k == "b":
                i = max(i - 1, 0)
                continue
            if k == "s":
                skipped.add(i)
            else:
                _answer(e, KEYS[k], prompter, audit.date)
                save()
                answered_now += 1
        except _Quit:
            break
        i = _next_unchecked(entries, i + 1, skipped)
    remaining = sum(1 for e in entries if e.result == UNCHECKED)
    return Outcome(answered_now, remaining)


def _next_unchecked(entries: list[Entry], start: int, skipped: set[int]) -> int:
    for j in range(start, len(entries)):
        if entries[j].result == UNCHECKED and j not in skipped:
            return j
    return len(entries)


def _describe(e: Entry, i: int, total: int, clause) -> str:
    lines = [f"\n[{i + 1}/{total}] {e.ref}  ({e.id})" + ("" if e.result == UNCHECKED else f"  当前: {RESULT_NAMES[e.result]}")]
    if clause is not None:
        lines.append("条文: " + " ".join(clause.text.split()))
    lines.append("检查: " + e.ask)
    if clause is not None:
        evidence = next((k.evidence for k in clause.checks if k.id == e.id), ())
        if evidence:
            lines.append("查阅: " + "、".join(evidence))
    return "\n".join(lines)


def _answer(e: Entry, result: str, p: Prompter, audit_date: str) -> None:
    if result == PASS:
        e.answer(PASS)
    elif result == NA:
        reason = _text(p, "不适用理由: ", "reason")
        e.answer(NA, reason=reason)
    else:
        level = _ask(p.key("隐患等级 [1] 一般隐患  [2] 重大事故隐患 > ", "12"))
        measure = _text(p, "整改措施: ", "measure")
        owner = _text(p, "整改责任人: ", "owner")
        due = _date(p, "整改期限 (YYYY-MM-DD): ", dt.date.fromisoformat(audit_date))
        note = _text(p, "备注 (可空): ", "note")
        e.answer(FAIL, note=note, finding=Finding(GENERAL if level == "1" else MAJOR, measure, owner, due))


def _ask(value: str | None) -> str:
    if value is None:
        raise _Quit
    return value


def _text(p: Prompter, prompt: str, field_name: str) -> str:
    """A line the audit file will accept as ``field_name`` (the schema's rules, no hidden
    characters); asked again until it is one."""
    while True:
        value = _ask(p.line(prompt)).strip()
        why = text_field_problem(field_name, value)
        if why is None:
            return value
        p.show("  不能为空。" if not value else f"  {why}")


def _date(p: Prompter, prompt: str, not_before: dt.date) -> str:
    while True:
        try:
            day = parse_date(_ask(p.line(prompt)))
        except UsageError as e:
            p.show(f"  {e.message}")
            continue
        if day < not_before:
            p.show(f"  整改期限不能早于检查日期 {not_before}。")
            continue
        return day.isoformat()
