"""Reporters for validation results: text for people, JSON for machines."""

from __future__ import annotations

import json

from .errors import ExitCode
from .validate import FileResult


def validation_report(results: list[FileResult], fmt: str) -> str:
    counts = {
        "files": len(results),
        "valid": sum(1 for r in results if r.valid),
        "invalid": sum(1 for r in results if r.exit_code == ExitCode.INVALID),
        "unreadable": sum(1 for r in results if r.exit_code == ExitCode.USAGE),
        "errors": sum(len(r.problems) for r in results),
    }
    if fmt == "json":
        return json.dumps({"files": [r.as_dict() for r in results], "summary": counts}, ensure_ascii=False, indent=2)
    lines = [str(p) for r in results for p in r.problems]
    lines.append(
        "{files} file(s) checked: {valid} valid, {invalid} invalid, {unreadable} unreadable, {errors} error(s)".format(**counts)
    )
    return "\n".join(lines)
