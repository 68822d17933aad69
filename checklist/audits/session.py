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
)
from checklist.dates import parse_date
from checklist.errors import BusyError, ChecklistError, IncompleteInput, Interrupted, UsageError
from checklist.model.catalog import Catalog

KEYS = {"y": PASS, "n": FAIL, "a": NA}
HELP = "[y] 符合  [n] 不符合  [a] 不适用  [s] 跳过  [b] 上一项  [q] 保存退出"


class Prompter(Protocol):
    def show(self, text: str) -> None: ...

    def key(self, prompt: str, choices: str) -> str | None:
        """One of ``choices``; None when input ends. Ctrl-C raises KeyboardInterrupt."""

    def line(self, prompt: str) -> str | None:
        """A line of text (may be empty); None when input ends. Ctrl-C raises KeyboardInterrupt."""


class _EndOfInput(Exception):
    """Input ended in the middle of an answer: nothing half-answered is recorded."""


@dataclass
class Outcome:
    answered_now: int
    remaining: int
    error: ChecklistError | None = None  # why the session stopped early, if it did
    unsaved: str = ""  # the answer given but not saved, when ``error`` does not say so itself


def run(audit: Audit, catalog: Catalog | None, prompter: Prompter, save: Callable[[], None]) -> Outcome:
    """Ask until every check is answered, the user quits or input ends between answers (a normal
    end); a half-given answer cut short by end of input or Ctrl-C, or a failed save, stops the
    session with the error in the outcome, naming the answer that was not saved."""
    texts = {c.id: c for c in catalog.clauses} if catalog else {}
    entries = audit.entries
    total = len(entries)
    i = _next_unchecked(entries, 0, set())
    skipped: set[int] = set()
    outcome = Outcome(0, 0)
    while i < total:
        e = entries[i]  # unchecked, or an answered one the user went back to
        prompter.show(_describe(e, i, total, texts.get(e.clause)))
        try:
            k = prompter.key(HELP + " > ", "ynasbq")
        except KeyboardInterrupt:
            outcome.error = Interrupted("interrupted (Ctrl-C) between answers: every answer given is saved")
            break
        if k is None or k == "q":
            break
        if k == "b":
            i = max(i - 1, 0)
            continue
        if k == "s":
            skipped.add(i)
        else:
            stopped = _answer_and_save(e, KEYS[k], prompter, audit.date, save)
            if stopped is not None:
                outcome.error, outcome.unsaved = stopped
                break
            outcome.answered_now += 1
        i = _next_unchecked(entries, i + 1, skipped)
    outcome.remaining = sum(1 for e in entries if e.result == UNCHECKED)
    return outcome


def _answer_and_save(e: Entry, result: str, p: Prompter, audit_date: str, save: Callable[[], None]) -> tuple[ChecklistError, str] | None:
    """Ask the rest of one answer, then save it; or the error that stopped it and what was lost."""
    which = f"{e.id} ({e.ref})"
    try:
        _answer(e, result, p, audit_date)
    except _EndOfInput:
        return IncompleteInput(f"input ended in the middle of the answer to {which}: that answer was not saved"), ""
    except KeyboardInterrupt:
        return Interrupted(f"interrupted (Ctrl-C) in the middle of the answer to {which}: that answer was not saved"), ""
    try:
        save()
    except BusyError as err:  # a conflict keeps this answer in a copy the message names
        return err, ""
    except ChecklistError as err:
        return err, which
    except KeyboardInterrupt:  # the save is atomic: the file holds either the old or the new version
        return Interrupted(f"interrupted (Ctrl-C) while saving the answer to {which}: it may not be saved"), ""
    return None


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
        reason = _required(p, "不适用理由: ")
        e.answer(NA, reason=reason)
    else:
        level = _ask(p.key("隐患等级 [1] 一般隐患  [2] 重大事故隐患 > ", "12"))
        measure = _required(p, "整改措施: ")
        owner = _required(p, "整改责任人: ")
        due = _date(p, "整改期限 (YYYY-MM-DD): ", dt.date.fromisoformat(audit_date))
        note = _ask(p.line("备注 (可空): "))
        e.answer(FAIL, note=note, finding=Finding(GENERAL if level == "1" else MAJOR, measure, owner, due))


def _ask(value: str | None) -> str:
    if value is None:
        raise _EndOfInput
    return value


def _required(p: Prompter, prompt: str) -> str:
    while True:
        value = _ask(p.line(prompt)).strip()
        if value:
            return value
        p.show("  不能为空。")


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
