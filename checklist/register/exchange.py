"""Moving and keeping a register: export everything (the event log included) as JSON Lines, and
restore it into an empty register on either backend; the chain is checked before the restore
commits, so a damaged or edited export is refused rather than half-loaded."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from checklist.errors import InputFileError, LogTampered, Refusal, UsageError
from checklist.files import atomic
from checklist.register.db import REVISIONS, head_revision, reading, writing
from checklist.register.log import check_log
from checklist.register.tables import audit_import, chain_head, counter, event, hazard, supervision

FORMAT = "checklist-register"
# in an order that satisfies the foreign keys; the chain head is written last
TABLES = (counter, audit_import, hazard, supervision, event)
BATCH = 2000
EXPORT_SINCE = "r0001"  # the last revision that changed an exported table (r0002 added only the web app's users)


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def export_lines(conn: Connection) -> Iterator[str]:
    head = conn.execute(sa.select(chain_head.c.seq, chain_head.c.hash)).one()
    yield json.dumps({"format": FORMAT, "revision": head_revision(), "events": head.seq, "head": head.hash}, ensure_ascii=False)
    for table in TABLES:
        order = [c for c in table.primary_key.columns]
        result = conn.execute(sa.select(table).order_by(*order).execution_options(yield_per=BATCH))
        try:
            for row in result.mappings():
                yield json.dumps({"table": table.name, "row": {k: _plain(v) for k, v in row.items()}}, ensure_ascii=False)
        finally:
            result.close()


def export(engine: Engine, target: Path | None) -> tuple[int, str]:
    """Write the export to ``target`` (atomically) or return it; (lines, text or path)."""
    with reading(engine) as conn:
        lines = list(export_lines(conn))
    text = "\n".join(lines) + "\n"
    if target is None:
        return len(lines), text
    atomic.write_text(target, text)
    return len(lines), str(target)


def _typed(table: sa.Table, row: dict, source: Path, n: int) -> dict:
    out = {}
    for name, value in row.items():
        if name not in table.c:
            raise InputFileError(f"table {table.name} has no column {name!r}", path=str(source), line=n)
        if value is not None and isinstance(table.c[name].type, sa.Date):
            try:
                value = dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                raise InputFileError(f"{table.name}.{name}: {value!r} is not a date YYYY-MM-DD", path=str(source), line=n) from None
        out[name] = value
    return out


def restore(engine: Engine, source: Path) -> int:
    """Load an export into an empty register; the number of events restored."""
    tables = {t.name: t for t in TABLES}
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputFileError(f"cannot read the export: {e}", path=str(source)) from e
    if not lines:
        raise InputFileError("empty file: not a register export", path=str(source))
    with writing(engine) as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(hazard)).scalar():
            raise Refusal("register.not_empty", "db")
        header = _json(lines[0], source, 1)
        if header.get("format") != FORMAT:
            raise InputFileError(f"not a register export (first line should name format {FORMAT!r})", path=str(source))
        if header.get("revision") not in REVISIONS[REVISIONS.index(EXPORT_SINCE) :]:
            raise UsageError(f"{source}: exported at schema revision {header.get('revision')}, this checklist is at {head_revision()}")
        pending: dict[str, list[dict]] = {name: [] for name in tables}
        for n, line in enumerate(lines[1:], 2):
            item = _json(line, source, n)
            table = tables.get(item.get("table", ""))
            if table is None or not isinstance(item.get("row"), dict):
                raise InputFileError(f"unknown record {str(item)[:60]!r}", path=str(source), line=n)
            pending[table.name].append(_typed(table, item["row"], source, n))
        for table in TABLES:
            rows = pending[table.name]
            for i in range(0, len(rows), BATCH):
                conn.execute(table.insert(), rows[i : i + BATCH])
        conn.execute(sa.update(chain_head).where(chain_head.c.id == 1).values(seq=header.get("events"), hash=header.get("head")))
        result = check_log(conn)
        if not result.intact:
            raise LogTampered(f"{source}: the exported event log does not verify ({result.problem}); nothing restored")
        return result.events


def _json(line: str, source: Path, n: int) -> dict:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputFileError(f"not JSON: {e.msg}", path=str(source), line=n, column=e.colno) from None
    if not isinstance(value, dict):
        raise InputFileError("each line must be a JSON object", path=str(source), line=n)
    return value
