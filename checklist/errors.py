"""One exception family and the exit codes every command documents.

Core modules raise these; only ``cli.py`` turns them into messages and exit codes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


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
    TAMPERED = 8  # the register's event log chain is broken: an event was changed, removed or inserted
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

    def __init__(self, message: str, *, path: str | None = None, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


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


class RenderError(ChecklistError):
    """A report would be wrong (missing glyphs, no CJK font, refused resource): nothing is written."""

    exit_code = ExitCode.RENDER


class IOFailure(ChecklistError):
    """The operating system refused a write (read-only or missing folder, disk full, permission,
    a path under a file): the path and the OS's reason, never a traceback."""

    exit_code = ExitCode.IO

    def __init__(self, path: str, reason: str, *, action: str = "cannot write"):
        super().__init__(f"{action}: {reason}")
        self.filename = path
        self.reason = reason

    @classmethod
    def from_os(cls, path: object, e: OSError, *, action: str = "cannot write") -> IOFailure:
        """``path`` as the user named it (not a temporary file's name), with the OS's reason."""
        return cls(str(path), e.strerror or str(e), action=action)

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


class MoveRefused(ChecklistError):
    """The lifecycle table does not allow this move (status, role, or a missing field)."""

    exit_code = ExitCode.REFUSED


class ConcurrentChangeError(ChecklistError):
    """The row changed since it was read: the writer is told, never silently overwritten."""

    exit_code = ExitCode.CONFLICT


class DatabaseError(ChecklistError):
    """The register database cannot be opened or has the wrong schema revision."""

    exit_code = ExitCode.DATABASE


class LogTampered(ChecklistError):
    """The hash chain of the event log does not verify."""

    exit_code = ExitCode.TAMPERED
