"""The interactive audit: one check at a time, single-key answers, a save after every answer.

The terminal is reached only through a Prompter, so the same loop serves a keyboard, piped
standard input and tests. `audit run --help` and the README list the PROMPTS below in order (a
test keeps the three in step).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from checklist.audits.audit import Audit, Entry, Finding
from checklist.audits.fields import checked_date, checked_text
from checklist.errors import BusyError, ChecklistError, IncompleteInput, Interrupted, Refusal
from checklist.i18n import _
from checklist.model.catalog import Catalog, nfkc
from checklist.vocabulary import BASIS_OTHER, FAIL, HAZARD_WORDS, MAJOR, NA, PASS, RESULT_NAMES, UNCHECKED

SKIP, BACK, QUIT = "skip", "back", "quit"
KEYS = {"y": PASS, "n": FAIL, "a": NA, "s": SKIP, "b": BACK, "q": QUIT}
HELP = "[y] 符合  [n] 不符合  [a] 不适用  [s] 跳过  [b] 上一项  [q] 保存退出"
HAZARD_PROMPT = "隐患等级 [1] 一般隐患  [2] 重大事故隐患 > "
REASON_PROMPT, MEASURE_PROMPT, OWNER_PROMPT = "不适用理由: ", "整改措施: ", "整改责任人: "
DUE_PROMPT, NOTE_PROMPT = "整改期限 (YYYY-MM-DD): ", "备注 (可空): "
DESCRIPTION_PROMPT = "隐患描述: "
BASIS_PROMPT = f"定级依据 (特征清单条目或 {BASIS_OTHER}, 可空): "
BASIS_REASON_PROMPT = "定级理由: "

# The prompts in the order they come (after y nothing; after a the reason; after n the hazard,
# the description, for a 重大事故隐患 its grading's basis (and, for 其他, the reason), the
# measure, owner, due date and note) are listed in `audit run --help` and the README.
PROMPTS = (
    HELP,
    REASON_PROMPT,
    HAZARD_PROMPT,
    DESCRIPTION_PROMPT,
    BASIS_PROMPT,
    BASIS_REASON_PROMPT,
    MEASURE_PROMPT,
    OWNER_PROMPT,
    DUE_PROMPT,
    NOTE_PROMPT,
)


class Prompter(Protocol):
    def show(self, text: str) -> None: ...

    def key(self, prompt: str, choices: dict[str, str]) -> str | None:
        """The value of the choice the user gave — a single key from a terminal, a whole line
        (compared after NFKC) from a pipe; anything else is echoed in full and asked again.
        None when input ends. Ctrl-C raises KeyboardInterrupt."""

    def line(self, prompt: str) -> str | None:
        """A line of text (may be empty); None when input ends. Ctrl-C raises KeyboardInterrupt."""

    def refused(self, error: Refusal) -> None:
        """Say why a typed value was not taken (it is asked again)."""


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
    audit.check_open()
    texts = {c.id: c for c in catalog.clauses} if catalog else {}
    entries = audit.entries
    total = len(entries)
    i = _next_unchecked(entries, 0, set())
    skipped: set[int] = set()
    outcome = Outcome(0, 0)
    ahead: list[str] = []  # an answer key given where a note was asked: the next check's answer
    while i < total:
        e = entries[i]  # unchecked, or an answered one the user went back to
        prompter.show(_describe(e, i, total, texts.get(e.clause)))
        try:
            k = ahead.pop() if ahead else prompter.key(HELP + " > ", KEYS)
        except KeyboardInterrupt:
            outcome.error = Interrupted(_("interrupted (Ctrl-C) between answers: every answer given is saved"))
            break
        if k is None or k == QUIT:
            break
        if k == BACK:
            i = max(i - 1, 0)
            continue
        if k == SKIP:
            skipped.add(i)
        else:
            stopped = _answer_and_save(e, k, prompter, audit.date, ahead, save)
            if stopped is not None:
                outcome.error, outcome.unsaved = stopped
                break
            outcome.answered_now += 1
        i = _next_unchecked(entries, i + 1, skipped)
    outcome.remaining = sum(1 for e in entries if e.result == UNCHECKED)
    return outcome


def _answer_and_save(
    e: Entry, result: str, p: Prompter, audit_date: str, ahead: list[str], save: Callable[[], None]
) -> tuple[ChecklistError, str] | None:
    """Ask the rest of one answer, then save it; or the error that stopped it and what was lost."""
    which = f"{e.id} ({e.ref})"
    try:
        _answer(e, result, p, audit_date, ahead)
    except _EndOfInput:
        return IncompleteInput(_("input ended in the middle of the answer to {check}: that answer was not saved").format(check=which)), ""
    except KeyboardInterrupt:
        return Interrupted(
            _("interrupted (Ctrl-C) in the middle of the answer to {check}: that answer was not saved").format(check=which)
        ), ""
    try:
        save()
    except BusyError as err:  # a conflict keeps this answer in a copy the message names
        return err, ""
    except ChecklistError as err:
        return err, which
    except KeyboardInterrupt:  # the save is atomic: the file holds either the old or the new version
        return Interrupted(_("interrupted (Ctrl-C) while saving the answer to {check}: it may not be saved").format(check=which)), ""
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


def _answer(e: Entry, result: str, p: Prompter, audit_date: str, ahead: list[str]) -> None:
    if result == PASS:
        e.answer(PASS)
    elif result == NA:
        reason = _text(p, REASON_PROMPT, "reason", required=True)
        e.answer(NA, reason=reason)
    else:
        hazard = _ask(p.key(HAZARD_PROMPT, HAZARD_WORDS))
        description = _text(p, DESCRIPTION_PROMPT, "finding.description")
        basis = reason = ""
        if hazard == MAJOR:
            basis = _text(p, BASIS_PROMPT, "finding.basis", required=False)
            if nfkc(basis) == BASIS_OTHER:
                basis = BASIS_OTHER
                reason = _text(p, BASIS_REASON_PROMPT, "finding.basis_reason")
        measure = _text(p, MEASURE_PROMPT, "finding.measure")
        owner = _text(p, OWNER_PROMPT, "finding.owner")
        due = _date(p, DUE_PROMPT, dt.date.fromisoformat(audit_date))
        note = _text(p, NOTE_PROMPT, "note")
        if nfkc(note).lower() in KEYS:
            # a script that did not know the note is asked: its next answer, not a note
            p.show(f"  {note.strip()!r} 不作备注，视为下一项的回答（备注留空）")
            ahead.append(KEYS[nfkc(note).lower()])
            note = ""
        finding = Finding(hazard, measure, owner, due, description=description, basis=basis, basis_reason=reason)
        e.answer(FAIL, note=note, finding=finding)


def _ask(value: str | None) -> str:
    if value is None:
        raise _EndOfInput
    return value


def _text(p: Prompter, prompt: str, field: str, required: bool | None = None) -> str:
    """A line the audit file will accept as ``field`` (the schema's rules, no hidden characters);
    asked again until it is one."""
    while True:
        try:
            return checked_text(field, _ask(p.line(prompt)), required=required)
        except Refusal as e:
            p.refused(e)


def _date(p: Prompter, prompt: str, not_before: dt.date) -> str:
    while True:
        try:
            return checked_date("finding.due", _ask(p.line(prompt)), not_before=not_before).isoformat()
        except Refusal as e:
            p.refused(e)
