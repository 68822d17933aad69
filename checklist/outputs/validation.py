"""`checklist validate`: every kind of file checked, and the results for people (text) or machines (JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable

# Each kind's cross-checks register themselves when their module is imported; validating any
# file means every kind must be known, so this is the one place that wires them all in.
from checklist.audits import answers, audit_file  # noqa: F401
from checklist.errors import ExitCode, Problem
from checklist.files.kinds import FileResult, expand_paths, validate_file
from checklist.i18n import _
from checklist.model import catalog_checks, facts  # noqa: F401
from checklist.risk import methods, points  # noqa: F401
from checklist.workdays import calendar, done_log, large_events  # noqa: F401


def validate_paths(paths: list[str]) -> list[FileResult]:
    """Every YAML file under ``paths`` (files as given, folders searched), validated; a folder
    holding none is a usage error, so a mistyped folder never passes as "all valid"."""
    results = []
    for path in paths:
        files = expand_paths([path])
        if not files:
            problem = Problem(path, 1, 1, _("no files found: the folder holds no *.yaml or *.yml files"), "read")
            results.append(FileResult(path, problems=[problem], exit_code=ExitCode.USAGE))
        results += [validate_file(f) for f in files]
    return results


def summary(results: list[FileResult]) -> dict[str, int]:
    """How many files were checked, valid, invalid and unreadable, and how many errors they hold."""
    return {
        "files": len(results),
        "valid": sum(1 for r in results if r.valid),
        "invalid": sum(1 for r in results if r.exit_code == ExitCode.INVALID),
        "unreadable": sum(1 for r in results if r.exit_code == ExitCode.USAGE),
        "errors": sum(len(r.problems) for r in results),
    }


def validation_text(results: list[FileResult]) -> str:
    """One line per error (path:line:col: message [schema path]), then the counts."""
    lines = [str(p) for r in results for p in r.problems]
    lines.append(
        _("{files} file(s) checked: {valid} valid, {invalid} invalid, {unreadable} unreadable, {errors} error(s)").format(
            **summary(results)
        )
    )
    return "\n".join(lines) + "\n"


def validation_json(results: list[FileResult]) -> str:
    """Every file's result and the counts, for machines."""
    data = {"files": [r.as_dict() for r in results], "summary": summary(results)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# `checklist validate --format`: each reporter turns the results into the text printed
REPORTERS: dict[str, Callable[[list[FileResult]], str]] = {"text": validation_text, "json": validation_json}
