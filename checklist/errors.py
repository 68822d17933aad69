"""One exception family and the exit codes every command documents.

Core modules raise these; the command line (``cli/``) and the web app (``web/``) turn them into
words, exit codes and HTTP statuses. A ``Refusal`` carries no words at all: a code from
``REFUSALS``, the field at fault and the parameters, so each surface says it in its own way.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checklist.i18n import N_, gettext, os_reason, prose_date, prose_time
from checklist.vocabulary import ACTIONS, field_name


class ExitCode(enum.IntEnum):
    """Exit codes of the ``checklist`` command (listed in ``checklist --help``)."""

    OK = 0
    INVALID = 1  # an input file is invalid (schema or cross-reference errors)
    USAGE = 2  # bad option, missing or unreadable file, unknown id
    RENDER = 3  # a report could not be rendered correctly (fonts, missing glyphs, refused resource)
    OVERDUE = 4  # a deadline check found late or missing filings
    REFUSED = 5  # the register refused a move: not allowed from this status, for this role, or missing what it needs
    CONFLICT = 6  # someone else changed the hazard first (or a changed audit touches one already acted on): nothing overwritten
    DATABASE = 7  # the register database cannot be used: unreachable, or its schema is newer or older than the code
    TAMPERED = 8  # the register's event log does not prove it: an event changed, removed or inserted, a row changed behind it
    INTERNAL = 70  # a bug (checklist.cli.main)
    IO = 74  # a file could not be read or written: the path and the OS reason (sysexits EX_IOERR)
    BUSY = 75  # an audit is open in another process, or changed on disk since it was read (sysexits EX_TEMPFAIL)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one file, at one place."""

    path: str
    line: int  # 1-based; 1 when the place is the file as a whole
    column: int  # 1-based
    message: str
    schema_path: str = ""  # JSON Schema keyword path, or the name of the check that failed

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        tail = f" [{self.schema_path}]" if self.schema_path else ""
        return f"{where}: {self.message}{tail}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "schema_path": self.schema_path,
        }


class ChecklistError(Exception):
    """Base of every error the tool reports to its user."""

    exit_code = ExitCode.USAGE

    code = ""  # a Refusal's code; other errors may name one too, for the advice a surface adds

    def __init__(self, message: str, *, path: str | None = None, line: int = 1, column: int = 1, code: str = ""):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.code = code or self.code

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


# What the domain refuses, by code, with its plain words: {field} is the field's name, the rest are
# the refusal's parameters (shown by SHOW below). The command line says them naming its options
# (``cli/words.py``); the web app has words made for pages (``web/words.py``); a test holds the
# tables in step.
REFUSALS: dict[str, str] = {
    # one value a person typed or picked
    "value.required": N_("{field}: must not be empty"),
    "value.too_long": N_("{field}: {length} characters, more than the {limit} allowed"),
    "value.character": N_("{field}: {why} {char} at character {position} is not allowed: delete it"),
    "value.unprintable": N_(
        "{field}: {glyph} ({char}) at character {position} cannot be printed (the report font has no glyph for it): delete or replace it"
    ),
    "value.not_text": N_("{field}: must be text"),
    "value.not_date": N_("{field}: {value} is not a date: write a real date as YYYY-MM-DD"),
    "value.date_before": N_("{field}: {value} is before {earliest}"),
    "value.choice": N_("{field}: {value} is not one of {allowed}"),
    "value.credit_code": N_("{field}: {value} is not a 统一社会信用代码 (GB 32100-2015): {why}"),
    # making an audit
    "audit.catalog": N_("no catalog {name}"),
    "audit.unit_or_kind": N_("{field}: a unit's duties or the requirements for a kind of target, not both"),
    "audit.unknown_unit": N_("unknown unit: catalog {catalog} has no unit {name}; {suggestion}"),
    "audit.unknown_kind": N_("unknown target kind: catalog {catalog} has no target kind {name}; {suggestion}"),
    "audit.unknown_tag": N_("catalog {catalog} has no tag {tags}; known: {known}"),
    "audit.unknown_chapter": N_("catalog {catalog} has no chapter {chapter}; known: {known}"),
    "audit.no_checks": N_("no checks match this selection: nothing to audit"),
    "audit.facts_targets": N_("the facts file declares {count} targets: name the one inspected"),
    "audit.facts_file": N_("{field}: a facts file is .yaml, .csv or .xlsx, not {suffix}"),
    # answering one check of an audit
    "answer.unknown_check": N_("{field}: the audit has no check {check}"),
    "answer.changed": N_("{field}: someone else answered it meanwhile ({current}); read the audit again before changing it"),
    "audit.signed": N_("the audit is signed ({signers}): its answers can no longer change; a re-check is a new audit"),
    "signature.image": N_("{field}: a signature is a PNG image drawn on the screen"),
    # moving a hazard through its lifecycle
    "move.role_unknown": N_("unknown role {role}: one of {roles}"),
    "move.status": N_("{hazard} is {status}: {action} is not allowed; allowed: {allowed}"),
    "move.major_only": N_("{hazard}: {action} is for 重大事故隐患 only"),
    "move.role": N_("{hazard}: {action} from {status} is for {roles}, not {role}"),
    "move.needs": N_("{hazard}: {action} needs {missing}"),
    "move.due_not_later": N_("{hazard}: the new due date {due} must be after the current one {current}"),
    "move.changed": N_(
        "{hazard} changed under you: {by} ({action}, {at}) changed it; it is now {status} at version {version}"
        " (you had version {had}). Nothing was written: look at it again and retry"
    ),
    # importing a document
    "import.catalog_id": N_("{field}: {value} is not a catalog id: use lower-case letters, digits and '-' (e.g. my-draft)"),
    "import.unreadable": N_("{field}: cannot read {value} as {format}: {reason}"),
    # catalog drafts and their published versions
    "catalog.op": N_("{field}: no such change: {op}"),
    "catalog.unknown_clause": N_("{field}: the draft has no clause {clause}"),
    "catalog.unknown_finding": N_("{field}: the draft has no finding {finding}"),
    "catalog.unknown_unit": N_("{field}: the draft has no unit {unit}"),
    "catalog.unit_in_use": N_("{field}: unit {unit} is named by {clauses}: take it out of them first"),
    "catalog.split": N_("{field}: split {clause} inside its text, with text on both sides"),
    "catalog.merge": N_("{field}: {clause} is the last clause: there is none after it to merge with"),
    "catalog.changed": N_(
        "the draft of {catalog} changed meanwhile ({by}, {at}): it is at version {version}, you had {had}; nothing was written"
    ),
    "catalog.no_draft": N_("no draft of catalog {catalog}"),
    "catalog.draft_exists": N_("catalog {catalog} has a draft already (started by {by}): publish or discard it first"),
    "catalog.id_taken": N_("{field}: {catalog} is the id of a catalog kept as a file: choose another id"),
    "catalog.not_ready": N_("{catalog} cannot be published yet: {errors} problem(s) to put right, {findings} finding(s) to review"),
    "catalog.published": N_("{catalog} version {version} is published and is never changed: start a draft of the next version"),
    "catalog.unknown": N_("no published catalog {catalog}"),
    "catalog.upload": N_("{field}: choose a document to import (.html, .docx, .pdf, .md or .txt)"),
    "hazard.unknown": N_("no hazard {hazard} in the register (ids look like YH-2026-0001)"),
    "hazard.not_open": N_("only open hazards are re-checked; closed: {hazards}"),
    "hazard.none_open": N_("no open hazards for {unit}: nothing to re-check"),
    # re-checks, statistics, samples, users, the register's database, outputs, the calendar
    "recheck.selection": N_("re-check the open hazards of one unit, or the hazards named: one of the two"),
    "recheck.several": N_("the hazards belong to several {what} ({values}): re-check one at a time"),
    "recheck.duplicate": N_("{first} and {second} are both open for check {check}: re-check them in separate audits"),
    "audit.not_imported": N_("{audit}: no hazards of this audit in the register (import it first)"),
    "review.none": N_("no 复查 recorded for {hazards}"),
    "span.backwards": N_("{field}: {last} is before the first day {first}"),
    "stats.period": N_("give a quarter (YYYYQn) or a year (YYYY), one of the two"),
    "stats.quarter": N_("{field}: {value}: write it like 2026Q4"),
    "sample.rate": N_("{field}: {value} is not a share: write 0.01 or 1%, more than 0 and at most 1 (100%)"),
    "users.unknown": N_("no user {name}"),
    "users.exists": N_("user {name} exists"),
    "users.unit_needed": N_("{field}: a unit user needs the unit whose hazards it sees"),
    "users.unit_not_allowed": N_("{field}: only unit users belong to a unit"),
    "users.password_short": N_("{field}: the password needs at least {limit} characters"),
    "register.url": N_("{field}: {url}: the register works on sqlite:///FILE or postgresql://USER@HOST:PORT/DB"),
    "register.not_empty": N_("restore needs an empty register: this one already holds hazards or users"),
    "output.exists": N_("{path} exists (and {more} more): they may hold answers"),
    "file.exists": N_("{path} exists"),
    "calendar.no_year": N_(
        "no official holiday schedule for {year}: the State Council's notice for {year} is not in chinese-calendar "
        "(it covers {first}–{last}) nor in a calendar file"
    ),
    "move.plan": N_("{hazard} is a 重大事故隐患: it cannot leave {status} before its 治理方案 has all six parts; missing: {missing}"),
    "move.basis": N_(
        "{hazard} is a 重大事故隐患 whose grading names no basis: record the item of the 重大事故隐患 criteria it rests on,"
        " or 其他 with the reason, first"
    ),
    "move.assessment": N_(
        "{hazard} is a 重大事故隐患: 销号 needs a recorded 治理评估 (who assessed, the date, the conclusion, the report)"
    ),
    "move.signoff": N_("{hazard} is under 督办 by {supervisor}: 销号 needs the supervising unit's 督办销号 first"),
    "move.not_supervised": N_("{hazard} is not under 督办: there is no 督办 to sign off"),
    "move.own_rectification": N_("{hazard}: {by} reported the rectification and cannot make its 复查: another person re-inspects"),
    "move.no_request": N_("{hazard}: no 延期 has been requested (the unit requests one first)"),
    "move.past_deadline": N_(
        "{hazard}: the due date {due} would pass the 督办期限 {deadline}: only with the consent of the supervising unit {supervisor}"
    ),
    "move.date_order": N_("{hazard}: {field} {on} is before {last}, the day of the move it follows ({last_action})"),
    "move.attachment": N_("{field}: {value}: a report is a PDF, JPEG or PNG file"),
    # records of 通报, 约谈 and 线索移交; papers and their 文号; businesses
    "record.role": N_("a {kind} is recorded by {roles}, not {role}"),
    "record.subject": N_("a record concerns a unit or a hazard: name one"),
    "record.unknown": N_("no record {record} in the register"),
    "paper.kind": N_("{field}: {value} is not a paper: one of {allowed}"),
    "paper.role": N_("a {paper} is issued by {roles}, not {role}"),
    "paper.no_issuer": N_("no issuing body is set for the {paper}: set its name and 文号 prefix first"),
    "paper.nothing": N_("{hazard} has no {what} to put on the {paper}"),
    "business.unknown": N_("no business {business} in the register's 生产经营单位信息台账"),
    # the register's database and its log
    "register.missing": N_("{field}: no register at {path}"),
    "register.port": N_("{field}: {url}: the port must be a number from 1 to 65535"),
    "stats.year": N_("{field}: {value} is not a year the register can count: from {first} to {last}"),
    "log.anchor": N_("{field}: {value} is not a head of the log: {shortest} to 64 hex digits, as the ledger prints it"),
}
NOTHING = N_("none: it is closed")
DID_YOU_MEAN, KNOWN, OR = N_("did you mean {names}?"), N_("known: {names}"), N_(" or ")


def _action(a: str) -> str:
    return f"{ACTIONS[a]} ({a})" if a in ACTIONS else a


def _plain(value: object) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


# How a parameter is shown, by its name (the rest as they are, lists joined)
SHOW: dict[str, Callable[[Any], str]] = {
    "action": _action,
    "last_action": _action,
    "allowed": lambda v: "、".join(_action(a) for a in v) or gettext(NOTHING),
    "roles": " / ".join,
    "name": repr,
    "url": repr,
    "value": repr,
    "chapter": repr,
    "length": "{:,}".format,
    "limit": "{:,}".format,
    "why": gettext,
    "due": prose_date,  # dates in prose (2026年12月5日); anything else as it is
    "current": prose_date,
    "deadline": prose_date,
    "on": prose_date,
    "first": prose_date,
    "last": prose_date,
    "at": prose_time,
}


class InputFileError(ChecklistError):
    """A file could not be read or parsed at all (missing, encoding, YAML syntax, size)."""

    exit_code = ExitCode.USAGE


class InvalidFileError(ChecklistError):
    """A file parsed but breaks its schema or the cross-reference rules; holds every problem."""

    exit_code = ExitCode.INVALID

    def __init__(self, problems: list[Problem]):
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line, column=first.column)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class UnfitTextError(ChecklistError):
    """A text no import layout reads well enough for a draft, or a draft with clauses that
    swallowed others: refused rather than written misleading."""

    exit_code = ExitCode.INVALID


class UsageError(ChecklistError):
    """The request itself is wrong: unknown catalog, unit or clause id, bad option value."""

    exit_code = ExitCode.USAGE


class Refusal(UsageError):
    """A request the domain refuses, as data: ``code`` (a key of REFUSALS), the ``field`` at fault
    (a name from ``vocabulary.FIELD_NAMES``, dotted inside a record) and the code's parameters.
    Its ``message`` is the plain words; a surface may say it its own way (``words``)."""

    exit_code = ExitCode.USAGE

    def __init__(self, code: str, field: str | None = None, **params: Any):
        if code not in REFUSALS:
            raise KeyError(f"unknown refusal code {code!r}")
        self.code, self.field, self.params = code, field, params
        super().__init__(code)

    @property
    def message(self) -> str:
        return self.words(field_name)

    @message.setter
    def message(self, value: str) -> None:  # ChecklistError sets it; the words are made when read
        pass

    def words(self, name: Callable[[str | None], str]) -> str:
        """The plain words, with fields named by ``name`` (a surface names them its own way)."""
        params = {k: SHOW.get(k, _plain)(v) for k, v in self.params.items()}
        if "missing" in self.params and self.code == "move.needs":
            params["missing"] = ", ".join(name(f) for f in self.params["missing"])
        if "close" in self.params:  # a name not found: the closest ones, else every known one
            close, known = list(self.params["close"]), list(self.params.get("known") or ["-"])
            params["suggestion"] = (
                gettext(DID_YOU_MEAN).format(names=gettext(OR).join(close)) if close else gettext(KNOWN).format(names=", ".join(known))
            )
        return gettext(REFUSALS[self.code]).format(field=name(self.field), **params)

    def __str__(self) -> str:
        return self.message


class RenderError(ChecklistError):
    """A report would be wrong (missing glyphs, no CJK font, refused resource): nothing is written."""

    exit_code = ExitCode.RENDER


class IOFailure(ChecklistError):
    """The operating system refused a write (read-only or missing folder, disk full, permission,
    a path under a file): the path and the OS's reason, never a traceback."""

    exit_code = ExitCode.IO

    def __init__(self, path: str, reason: str, *, action: str = N_("cannot write")):
        super().__init__(gettext("{action}: {reason}").format(action=gettext(action), reason=reason))
        self.filename = path
        self.reason = reason

    @classmethod
    def from_os(cls, path: object, e: OSError, *, action: str = N_("cannot write")) -> IOFailure:
        """``path`` as the user named it (not a temporary file's name), with the OS's reason."""
        return cls(str(path), os_reason(e), action=action)

    def __str__(self) -> str:
        return f"{self.filename}: {self.message}"


class BusyError(ChecklistError):
    """Another writer got there first: the audit is locked by another process, or its file changed
    since it was read. Nothing is overwritten."""

    exit_code = ExitCode.BUSY


class IncompleteInput(ChecklistError):
    """Input ended in the middle of an answer (piped ``audit run``): that answer is not saved."""

    exit_code = ExitCode.INVALID


class Interrupted(ChecklistError):
    """Ctrl-C: what was not saved is named in the message."""

    exit_code = ExitCode.INTERRUPTED


class MoveRefused(Refusal):
    """The lifecycle table does not allow this move (status, role, or a missing field)."""

    exit_code = ExitCode.REFUSED


class ConcurrentChangeError(Refusal):
    """The row changed since it was read: the writer is told, never silently overwritten."""

    exit_code = ExitCode.CONFLICT


class DatabaseError(ChecklistError):
    """The register database cannot be opened or has the wrong schema revision."""

    exit_code = ExitCode.DATABASE


class LogTampered(ChecklistError):
    """The hash chain of the event log does not verify."""

    exit_code = ExitCode.TAMPERED
