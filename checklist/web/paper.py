"""The documents the web app offers for download, as jobs for the PDF pool (server.PdfPool): each
takes plain data and the file to write, runs in a worker process, and reports a failure as a
value (an exception from another process may not survive the trip back)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Done:
    error: str = ""


def report(audit_path: str, out: Path) -> Done:
    """The audit's inspection report (the same as `checklist report`)."""
    from checklist.outputs.report import render_one

    return Done(render_one(audit_path, "pdf", str(out)).error or "")


def bureau(kind: str, context: dict, fmt: str, out: Path) -> Done:
    """A paper a bureau sends (outputs.papers): PDF or DOCX of its context."""
    from checklist.errors import ChecklistError
    from checklist.outputs.papers import write_paper

    try:
        write_paper(kind, context, fmt, out)
    except ChecklistError as e:
        return Done(str(e))
    return Done()


def ledger(rows: list[dict], title: str, fmt: str, anchor: dict | None, out: Path) -> Done:
    from checklist.errors import ChecklistError
    from checklist.outputs.register_paper import ledger as write

    try:
        write(rows, fmt, out, title, anchor)
    except ChecklistError as e:
        return Done(str(e))
    return Done()


def dashboard(data: dict, out: Path) -> Done:
    from checklist.errors import ChecklistError
    from checklist.outputs.register_paper import dashboard as write

    try:
        write(data, "pdf", out)
    except ChecklistError as e:
        return Done(str(e))
    return Done()
