"""One validator for every kind of file: recognise the kind, check the schema, then the
cross-reference rules the schema can't express. Every command loads its inputs through here.

This layer knows the file *formats* (schema and identifying keys); the cross-checks belong to the
modules that own each kind and register themselves with :func:`cross_check`, so the validator
imports none of them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from checklist.errors import ChecklistError, ExitCode, InvalidFileError, Problem
from checklist.files.loader import Document, load
from checklist.files.schemas import schema_problems
from checklist.i18n import _

Check = Callable[[Document], list[Problem]]


@dataclass(frozen=True)
class FileKind:
    name: str
    schema: str  # file name under schemas/
    signature: frozenset[str]  # top-level keys that together identify the kind


KINDS: dict[str, FileKind] = {
    k.name: k
    for k in (
        FileKind("catalog", "catalog.schema.json", frozenset({"units", "clauses"})),
        FileKind("audit", "audit.schema.json", frozenset({"target", "checks"})),
        FileKind("calendar", "calendar.schema.json", frozenset({"year", "holidays", "workdays"})),
        FileKind("events", "events.schema.json", frozenset({"catalog", "events"})),
        FileKind("facts", "facts.schema.json", frozenset({"target", "facts"})),
        FileKind("done-log", "done-log.schema.json", frozenset({"done"})),
        FileKind("risk-methods", "risk-methods.schema.json", frozenset({"methods"})),
        FileKind("risk-points", "risk-points.schema.json", frozenset({"points"})),
        FileKind("answers", "answers.schema.json", frozenset({"answers"})),
    )
}

_CHECKS: dict[str, Check] = {}


def cross_check(kind: str) -> Callable[[Check], Check]:
    """Register the decorated function as the cross-checks of ``kind`` files (run after the schema)."""

    def register(check: Check) -> Check:
        if kind not in KINDS:
            raise ValueError(f"unknown file kind {kind!r}")
        _CHECKS[kind] = check
        return check

    return register


def _checks_of(kind: FileKind) -> Check:
    try:
        return _CHECKS[kind.name]
    except KeyError:
        # a wiring bug, never a user's: the module owning this kind was not imported
        raise RuntimeError(f"no cross-checks registered for {kind.name} files") from None


_MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)", re.MULTILINE)
_MODELINE_LINES = 5


def detect_kind(doc: Document) -> FileKind:
    """The kind named by the file's ``$schema`` modeline, else the one whose keys it has."""
    m = _modeline(doc)
    if m:
        name = m.group(1).rsplit("/", 1)[-1]
        for kind in KINDS.values():
            if kind.schema == name:
                return kind
        line = m.string[: m.start()].count("\n") + 1
        raise InvalidFileError(
            [
                Problem(
                    doc.path,
                    line,
                    m.start(1) - m.start() + 1,
                    _("unknown schema {name!r} in modeline; known: {known}").format(
                        name=name, known=", ".join(k.schema for k in KINDS.values())
                    ),
                    "kind",
                )
            ]
        )
    keys = set(doc.data) if isinstance(doc.data, dict) else set()
    for kind in KINDS.values():
        if kind.signature <= keys:
            return kind
    raise InvalidFileError(
        [
            Problem(
                doc.path,
                1,
                1,
                _("cannot tell what kind of file this is: add a '# yaml-language-server: $schema=…' line naming one of {known}").format(
                    known=", ".join(k.schema for k in KINDS.values())
                ),
                "kind",
            )
        ]
    )


def problems_of(doc: Document, kind: FileKind) -> list[Problem]:
    problems = schema_problems(doc, kind.schema) + _checks_of(kind)(doc)
    # one place may break a schema keyword and a cross-check the same way; show it once
    unique = {(p.line, p.column, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line, p.column))


def load_valid(path: str | Path, kind: str) -> Document:
    """Load a file that must be of ``kind`` and valid; raise with every problem otherwise."""
    doc = load(path)
    wanted = KINDS[kind]
    found = detect_kind(doc) if _modeline(doc) else wanted
    if found is not wanted:
        raise InvalidFileError(
            [Problem(doc.path, 1, 1, _("expected a {kind} file, found a {found} file").format(kind=kind, found=found.name), "kind")]
        )
    problems = problems_of(doc, wanted)
    if problems:
        raise InvalidFileError(problems)
    return doc


def resolvable_modeline(doc: Document) -> str:
    """The file's modeline when an editor can follow it (a path to an existing schema file,
    relative to the file or absolute), to keep it on save; '' for none or a URL."""
    m = _modeline(doc)
    if m is None or "://" in m.group(1):
        return ""
    return m.group(0) if (Path(doc.path).parent / m.group(1)).is_file() else ""


def _modeline(doc: Document) -> re.Match | None:
    """The '# yaml-language-server: $schema=…' line, if one of the first lines is one."""
    return _MODELINE.search("\n".join(doc.text.splitlines()[:_MODELINE_LINES]))


@dataclass
class FileResult:
    """What validating one file found."""

    path: str
    kind: str | None = None
    problems: list[Problem] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.OK

    @property
    def valid(self) -> bool:
        return self.exit_code == ExitCode.OK

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "kind": self.kind,
            "valid": self.valid,
            "problems": [p.as_dict() for p in self.problems],
        }


def validate_file(path: str | Path) -> FileResult:
    result = FileResult(str(path))
    try:
        doc = load(path)
        kind = detect_kind(doc)
        result.kind = kind.name
        result.problems = problems_of(doc, kind)
    except InvalidFileError as e:
        result.problems = e.problems
    except ChecklistError as e:
        result.problems = [Problem(e.path or str(path), e.line, e.column, e.message, "read")]
        result.exit_code = e.exit_code
        return result
    if result.problems:
        result.exit_code = ExitCode.INVALID
    return result


def expand_paths(paths: list[str]) -> list[Path]:
    """Files as given; folders become the YAML files under them, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(
                f
                for f in p.rglob("*")
                if f.suffix in (".yaml", ".yml") and f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        else:
            out.append(p)
    return out
