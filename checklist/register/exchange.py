"""Moving and keeping a register: export everything (the event log and the web app's users
included) as JSON Lines, and restore it into an empty register on either backend.

An export lists each table in primary-key order (byte order, whatever the database's collation),
so a register exported, restored on the other backend and exported again gives the same bytes.
Users travel with their Argon2 password hashes and the SHA-256 of their API tokens — never a
password or a token — so people log in after a move as before; web sessions are left behind.

Restore reads line by line within bounds (a regular file, lines and the whole of bounded size),
checks every text can be stored, and before it commits checks the chain, that the head is the
export's, and that every hazard row and 督办 follows from its events (register.proof): an export
that disagrees is refused and nothing is restored. An export made before schema r0004 is proved
as far as its events go, then each hazard's row is recorded in the log as it stood.
"""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from checklist.errors import InputFileError, LogTampered, Refusal, UsageError, os_reason
from checklist.files import atomic
from checklist.i18n import N_, _
from checklist.register.db import PROVEN, REVISIONS, head_revision, reading, writing
from checklist.register.importer import legacy_id
from checklist.register.log import check_log
from checklist.register.proof import check_rows, seal
from checklist.register.tables import (
    app_user,
    audit_import,
    business,
    catalog_draft,
    catalog_version,
    chain_head,
    counter,
    event,
    hazard,
    issuer,
    oversight,
    paper,
    supervision,
)

FORMAT = "checklist-register"
# in an order that satisfies the foreign keys; the chain head is written last
TABLES = (counter, audit_import, hazard, supervision, event, oversight, issuer, paper, business, app_user, catalog_draft, catalog_version)
BATCH = 2000
EXPORT_SINCE = "r0001"  # the oldest revision whose exports restore
LONGEST_LINE = 1 << 20  # characters of one record (a hazard's texts are at most a few thousand)
LARGEST_EXPORT = 8 << 30  # bytes of a whole export (a register of a million hazards is about 5 GB)


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _order(conn: Connection, table: sa.Table) -> list:
    """The primary key in byte order on both backends (PostgreSQL's "C" collation; SQLite's BINARY)."""
    postgres = conn.dialect.name == "postgresql"
    return [c.collate("C") if postgres and isinstance(c.type, sa.String) else c for c in table.primary_key.columns]


def export_lines(conn: Connection) -> Iterator[str]:
    head = conn.execute(sa.select(chain_head.c.seq, chain_head.c.hash)).one()
    yield json.dumps({"format": FORMAT, "revision": head_revision(), "events": head.seq, "head": head.hash}, ensure_ascii=False)
    for table in TABLES:
        result = conn.execute(sa.select(table).order_by(*_order(conn, table)).execution_options(yield_per=BATCH))
        try:
            for row in result.mappings():
                yield json.dumps({"table": table.name, "row": {k: _plain(v) for k, v in row.items()}}, ensure_ascii=False)
        finally:
            result.close()


def export(engine: Engine, target: Path | None) -> tuple[int, str]:
    """Write the export to ``target`` (atomically) or return it; (lines, text or path)."""
    with reading(engine, snapshot=True) as conn:
        lines = list(export_lines(conn))
    text = "\n".join(lines) + "\n"
    if target is None:
        return len(lines), text
    atomic.write_text(target, text)
    return len(lines), str(target)


# --- restore ----------------------------------------------------------------------------------


@dataclass
class Restored:
    events: int
    users: int
    revision: str  # the schema revision the export was made at
    sealed: int = 0  # hazards of an older export recorded in the log as they stood


def _lines(source: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of a regular file, each line at most LONGEST_LINE characters, the whole
    at most LARGEST_EXPORT bytes: a device, a pipe or an endless line is refused, not read."""
    try:
        st = source.stat()
    except OSError as e:
        raise InputFileError(_("cannot read the export: {reason}").format(reason=os_reason(e)), path=str(source)) from e
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError(_("not a regular file: an export is a file (not a device, a pipe or a folder)"), path=str(source))
    if st.st_size > LARGEST_EXPORT:
        raise InputFileError(
            _("{size} bytes, larger than the {limit} an export may have").format(size=f"{st.st_size:,}", limit=f"{LARGEST_EXPORT:,}"),
            path=str(source),
        )
    read, n = 0, 0
    try:
        with source.open(encoding="utf-8") as f:
            while line := f.readline(LONGEST_LINE + 1):
                n += 1
                read += len(line)
                if len(line) > LONGEST_LINE:
                    raise InputFileError(
                        _("longer than {limit} characters: not a record of an export").format(limit=f"{LONGEST_LINE:,}"),
                        path=str(source),
                        line=n,
                    )
                if read > LARGEST_EXPORT:
                    raise InputFileError(
                        _("larger than the {limit} bytes an export may have").format(limit=f"{LARGEST_EXPORT:,}"), path=str(source), line=n
                    )
                yield n, line.rstrip("\r\n")
    except UnicodeDecodeError as e:
        raise InputFileError(_("not UTF-8 text: {reason}").format(reason=e.reason), path=str(source), line=n + 1) from None
    except OSError as e:
        raise InputFileError(_("cannot read the export: {reason}").format(reason=os_reason(e)), path=str(source), line=n + 1) from e


def _typed(table: sa.Table, row: dict, source: Path, n: int, revision: str) -> dict:
    if REVISIONS.index(revision) < REVISIONS.index(PROVEN):  # before audits had ids: keyed by the path they came from
        if table is hazard:
            row = dict(row, audit_id=legacy_id(str(row.get("audit_path"))))
        elif table is audit_import:
            row = dict(row, audit_id=legacy_id(str(row.get("path"))))
    out = {}
    for name, value in row.items():
        if name not in table.c:
            raise InputFileError(
                _("table {table} has no column {column!r}").format(table=table.name, column=name), path=str(source), line=n
            )
        if isinstance(value, str):
            _storable(f"{table.name}.{name}", value, source, n)
        if value is not None and isinstance(table.c[name].type, sa.Date):
            try:
                value = dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                raise InputFileError(
                    _("{field}: {value!r} is not a date YYYY-MM-DD").format(field=f"{table.name}.{name}", value=value),
                    path=str(source),
                    line=n,
                ) from None
        out[name] = value
    return out


def _storable(where: str, value: str, source: Path, n: int) -> None:
    """Text either database can hold: no NUL, no unpaired surrogate."""
    bad = next((ch for ch in value if ch == "\x00" or 0xD800 <= ord(ch) <= 0xDFFF), None)
    if bad is not None:
        raise InputFileError(
            _("{field}: U+{code} at character {position} cannot be stored").format(
                field=where, code=f"{ord(bad):04X}", position=value.index(bad) + 1
            ),
            path=str(source),
            line=n,
        )


def restore(engine: Engine, source: Path) -> Restored:
    """Load an export into an empty register, all of it or nothing."""
    tables = {t.name: t for t in TABLES}
    lines = _lines(source)
    first = next(lines, None)
    if first is None:
        raise InputFileError(_("empty file: not a register export"), path=str(source))
    header = _json(first[1], source, 1)
    if header.get("format") != FORMAT:
        raise InputFileError(_("not a register export (first line should name format {format!r})").format(format=FORMAT), path=str(source))
    revision = header.get("revision")
    if revision not in REVISIONS[REVISIONS.index(EXPORT_SINCE) :]:
        raise UsageError(
            _("{path}: exported at schema revision {revision}, this checklist is at {head}").format(
                path=source, revision=revision, head=head_revision()
            )
        )
    events, head = header.get("events"), header.get("head")
    if not isinstance(events, int) or isinstance(events, bool) or events < 0 or not isinstance(head, str) or len(head) != 64:
        raise InputFileError(_("the first line should give the log's events (a count) and head (64 hex digits)"), path=str(source))
    with writing(engine) as conn:
        held = [sa.select(sa.func.count()).select_from(t) for t in (hazard, event, app_user)]
        if any(conn.execute(q).scalar() for q in held):
            raise Refusal("register.not_empty", "db")
        counts = _load(conn, lines, tables, source, revision)
        conn.execute(sa.update(chain_head).where(chain_head.c.id == 1).values(seq=events, hash=head))
        restored = Restored(counts.get("event", 0), counts.get("app_user", 0), revision)
        if REVISIONS.index(revision) < REVISIONS.index(PROVEN):
            try:
                restored.sealed = seal(conn, by="checklist", note=f"restored from an export of schema {revision}: the row as it stood")
            except LogTampered as e:
                raise LogTampered(_("{path}: {error}; nothing restored").format(path=source, error=e)) from None
        result = check_log(conn)
        if not result.intact:
            raise LogTampered(
                _("{path}: the exported event log does not verify ({problem}); nothing restored").format(
                    path=source, problem=result.problem
                )
            )
        rows = check_rows(conn)
        if not rows.agree:
            raise LogTampered(
                _("{path}: the exported rows disagree with their events: {problems}; nothing restored").format(
                    path=source, problems=rows.words()
                )
            )
        return restored


def _load(conn: Connection, lines: Iterator[tuple[int, str]], tables: dict[str, sa.Table], source: Path, revision: str) -> dict[str, int]:
    """Insert the records in batches as they are read; each table's records after the tables before it."""
    order = [t.name for t in TABLES]
    counts: dict[str, int] = {}
    pending: list[dict] = []
    table: sa.Table | None = None
    first_line = 0
    for n, line in lines:
        if not line.strip():
            continue
        item = _json(line, source, n)
        found = tables.get(item.get("table", ""))
        if found is None or not isinstance(item.get("row"), dict):
            raise InputFileError(_("unknown record {record!r}").format(record=str(item)[:60]), path=str(source), line=n)
        if found is not table:
            if table is not None and order.index(found.name) < order.index(table.name):
                raise InputFileError(
                    _("a {table} record after the {before} records: not in an export's order").format(table=found.name, before=table.name),
                    path=str(source),
                    line=n,
                )
            _insert(conn, table, pending, source, first_line)
            table, pending, first_line = found, [], n
        pending.append(_typed(found, item["row"], source, n, revision))
        counts[found.name] = counts.get(found.name, 0) + 1
        if len(pending) >= BATCH:
            _insert(conn, table, pending, source, first_line)
            pending, first_line = [], n + 1
    _insert(conn, table, pending, source, first_line)
    return counts


def _insert(conn: Connection, table: sa.Table | None, rows: list[dict], source: Path, first_line: int) -> None:
    if table is None or not rows:
        return
    try:
        with conn.begin_nested():
            conn.execute(table.insert(), rows)
    except sa.exc.DBAPIError as e:
        reason = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
        last = first_line + len(rows) - 1
        raise InputFileError(
            _("the {table} records of lines {first}–{last} cannot be stored: {reason}").format(
                table=table.name, first=first_line, last=last, reason=reason
            ),
            path=str(source),
        ) from None


def _json(line: str, source: Path, n: int) -> dict:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputFileError(_("not JSON: {reason}").format(reason=_json_reason(e.msg)), path=str(source), line=n, column=e.colno) from None
    except RecursionError:
        raise InputFileError(_("nested too deeply: not a record of an export"), path=str(source), line=n) from None
    if not isinstance(value, dict):
        raise InputFileError(_("each line must be a JSON object"), path=str(source), line=n)
    return value


# The JSON parser's words for what it could not read, in the reader's language (the others as they are)
_JSON_WORDS = {
    "Expecting value": N_("Expecting value"),
    "Expecting property name enclosed in double quotes": N_("Expecting property name enclosed in double quotes"),
    "Expecting ',' delimiter": N_("Expecting ',' delimiter"),
    "Expecting ':' delimiter": N_("Expecting ':' delimiter"),
    "Extra data": N_("Extra data"),
    "Unterminated string starting at": N_("Unterminated string starting at"),
    "Invalid control character at": N_("Invalid control character at"),
    "Invalid \\escape": N_("Invalid \\escape"),
}


def _json_reason(msg: str) -> str:
    return _(_JSON_WORDS[msg]) if msg in _JSON_WORDS else msg
