"""Opening the register: the URL (``--db``, ``$CHECKLIST_DB``, or ``checklist.db`` here), the
engine with SQLite's pragmas, write transactions that lock the chain head first, and the schema
revision check (Alembic migrations shipped in the package, run by ``register upgrade``)."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from checklist.errors import DatabaseError, Refusal
from checklist.i18n import N_, _
from checklist.register.tables import chain_head

DEFAULT_URL = "sqlite:///checklist.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(option: str | None) -> str:
    """The URL to use: the option, else $CHECKLIST_DB, else checklist.db in the working folder;
    ``postgresql://`` is rewritten to the psycopg 3 driver. A URL of another kind, or one whose
    port is not a port, is refused (its password never shown)."""
    url = option or os.environ.get("CHECKLIST_DB") or DEFAULT_URL
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if not url.startswith(("sqlite:", "postgresql+psycopg://")):
        raise Refusal("register.url", "db", url=safe_url(url))
    try:
        parsed = sa.engine.make_url(url)
    except ValueError:  # the port is not a number
        raise Refusal("register.port", "db", url=safe_url(url)) from None
    except sa.exc.ArgumentError:
        raise Refusal("register.url", "db", url=safe_url(url)) from None
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        raise Refusal("register.port", "db", url=safe_url(url))
    return url


def sqlite_file(url: str | sa.engine.URL) -> Path | None:
    """The file of a SQLite register (None for PostgreSQL or an in-memory database)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str, pooled: bool = False, read_only: bool = False) -> Engine:
    """An engine for ``url`` (no pool: a command opens what it needs and closes it). SQLite gets
    foreign keys, WAL, a busy timeout and memory-mapped reads, and its transactions begin
    IMMEDIATE when they will write (so a read never turns into a lost race). ``pooled``: a
    long-running server keeps its connections (opening one costs more than a query).
    ``read_only``: a SQLite file opened for reading only (``mode=ro``; ``immutable`` too when its
    folder cannot be written, where SQLite could not keep its lock files)."""
    pool: dict = {"pool_size": 16, "max_overflow": 16} if pooled else {"poolclass": NullPool}
    try:
        if url.startswith("sqlite"):
            args: dict = {"connect_args": {"timeout": 30, "check_same_thread": False}}
            if read_only:
                args = {"creator": _read_only(sqlite_file(url))}
            engine = sa.create_engine(url, **args, **pool)

            @sa_event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record) -> None:
                dbapi_conn.isolation_level = None  # SQLAlchemy's begin event issues BEGIN itself
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA foreign_keys = ON")
                if not read_only:
                    cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA busy_timeout = 30000")
                cur.execute("PRAGMA mmap_size = 268435456")  # read pages by memory map: a list of 100,000 hazards reads ~2× faster
                cur.close()

            @sa_event.listens_for(engine, "begin")
            def _begin(conn: Connection) -> None:
                conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("writer") else "BEGIN")

        else:
            engine = sa.create_engine(url, **pool)
    except (sa.exc.ArgumentError, ImportError) as e:
        raise DatabaseError(_("cannot use database {url}: {reason}").format(url=safe_url(url), reason=_scrub(str(e), url))) from e
    return engine


def _read_only(path: Path | None):
    import sqlite3
    from urllib.parse import quote

    assert path is not None
    folder_writable = os.access(path.resolve().parent, os.W_OK)
    uri = f"file:{quote(str(path.resolve()))}?mode=ro" + ("" if folder_writable else "&immutable=1")
    return lambda: sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)


def safe_url(url: str | sa.engine.URL) -> str:
    """The URL without its password, for messages (as SQLAlchemy renders it; by hand when the URL
    cannot be parsed, so a malformed one never shows its password either)."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (ValueError, sa.exc.ArgumentError):
        return re.sub(r"(://[^:/?#@]*:).*@", r"\1***@", str(url))


def _scrub(text: str, url: str | sa.engine.URL) -> str:
    """A driver's message with the URL's password taken out, wherever it repeats it."""
    try:
        password = sa.engine.make_url(url).password
    except (ValueError, sa.exc.ArgumentError):
        password = None
    text = text.replace(str(url), safe_url(url))
    return text.replace(str(password), "***") if password else text


@contextlib.contextmanager
def reading(engine: Engine, *, snapshot: bool = False) -> Iterator[Connection]:
    """A read transaction. ``snapshot``: every statement sees the same moment (PostgreSQL's
    REPEATABLE READ; a SQLite read transaction always does), for what reads the log and the rows
    in several statements and must not see a move half-way (check-log, export)."""
    options = {"isolation_level": "REPEATABLE READ"} if snapshot and engine.url.get_backend_name() == "postgresql" else {}
    with _errors(engine), engine.connect().execution_options(**options) as conn, conn.begin():
        yield conn


@contextlib.contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction holding the chain-head lock: writers take turns, so the event chain
    never forks and the year counters never hand out one id twice."""
    with _errors(engine), engine.connect().execution_options(writer=True) as conn, conn.begin():
        conn.execute(sa.update(chain_head).where(chain_head.c.id == 1).values(seq=chain_head.c.seq))
        yield conn


@contextlib.contextmanager
def _errors(engine: Engine) -> Iterator[None]:
    try:
        yield
    except sa.exc.OperationalError as e:
        raise DatabaseError(
            _("database {url}: {reason}").format(url=safe_url(engine.url), reason=_scrub(_first_line(e), engine.url))
        ) from e


def _first_line(e: sa.exc.DBAPIError) -> str:
    """The driver's reason, in the reader's language when it is a common one."""
    text = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
    for words, said in _DRIVER_WORDS.items():
        if words in text:
            return _(said)
    return text


# What the database drivers say most often, in the reader's language (anything else as they say it)
_DRIVER_WORDS = {
    "Connection refused": N_("connection refused: is the database server running, and at this host and port?"),
    "connection failed": N_("cannot connect to the database server"),
    "could not translate host name": N_("unknown host name"),
    "password authentication failed": N_("password authentication failed"),
    "does not exist": N_("the database or user does not exist"),
    "unable to open database file": N_("cannot open the database file"),
    "database is locked": N_("the database is locked by another process: try again"),
    "file is not a database": N_("the file is not a SQLite database"),
    "attempt to write a readonly database": N_("the database file is read-only"),
}


# --- schema revisions ---------------------------------------------------------------------

# The revisions of migrations/versions, oldest first (a test checks them against Alembic's own
# list), so opening a register needs no Alembic import: it reads alembic_version directly.
REVISIONS = ("r0001", "r0002", "r0003", "r0004", "r0005", "r0006", "r0007")
HEAD = REVISIONS[-1]
PROVEN = "r0004"  # from this revision on, the events carry every field of a hazard's row (register.proof)
_version_table = sa.table("alembic_version", sa.column("version_num"))


def _alembic_config(conn: Connection | None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    return HEAD


def current_revision(conn: Connection) -> str | None:
    """The schema revision stored in the database; None for an empty one."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.select(_version_table.c.version_num)).scalar()


@dataclass
class Upgrade:
    before: str | None
    after: str
    sealed: int = 0  # hazards whose rows were recorded in the log as they stood (register.proof.seal)


def upgrade(engine: Engine) -> Upgrade:
    """Bring the schema to the code's revision, in one transaction. From a revision before
    PROVEN, each hazard's row is then recorded in the log as it stands, once the log has proved
    what it can of it; when it cannot (LogTampered), nothing is changed. SQLite runs the
    migrations with foreign keys off (a table is rebuilt) and checks them before committing."""
    from alembic import command

    sqlite = engine.url.get_backend_name() == "sqlite"
    with _errors(engine), engine.connect().execution_options(writer=True) as conn:
        before = current_revision(conn)
        conn.rollback()
        _refuse_newer(before, engine)
        if before == HEAD:
            return Upgrade(before, HEAD)
        if sqlite:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                command.upgrade(_alembic_config(conn), "head")
                sealed = 0
                if before is not None and REVISIONS.index(before) < REVISIONS.index(PROVEN):
                    from checklist.errors import LogTampered
                    from checklist.register.proof import seal

                    note = f"schema {PROVEN}: the row as it stood, recorded so that the log proves it from here on"
                    try:
                        sealed = seal(conn, by="checklist", note=note)
                    except LogTampered as e:
                        raise LogTampered(
                            _("{error}: the register was not upgraded, nothing was changed (it stays at {before})").format(
                                error=e, before=before
                            )
                        ) from None
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise DatabaseError(
                        _("database {url}: the upgrade broke a foreign key; nothing was changed").format(url=safe_url(engine.url))
                    )
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
        return Upgrade(before, HEAD, sealed)


def _refuse_newer(revision: str | None, engine: Engine) -> None:
    if revision is not None and revision not in REVISIONS:
        raise DatabaseError(
            _(
                "database {url} has schema revision {revision}, newer than this checklist knows (its newest is {head}): upgrade checklist;"
                " nothing was changed"
            ).format(url=safe_url(engine.url), revision=revision, head=HEAD)
        )


def open_register(url_option: str | None, *, create: bool = True, pooled: bool = False) -> Engine:
    """The engine of a register that is ready to use. A missing SQLite file (or empty database) is
    created at the current schema when ``create``; without ``create`` (a command that only reads)
    a missing SQLite file is refused, and one in a folder (or a file) that cannot be written is
    opened read-only. An older schema asks for ``register upgrade``; a newer one is refused."""
    url = database_url(url_option)
    path = sqlite_file(url)
    read_only = False
    if path is not None and not create:
        if not path.is_file():
            raise Refusal("register.missing", "db", path=str(path))
        read_only = not (os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK))
    engine = make_engine(url, pooled, read_only)
    with _errors(engine), engine.connect() as conn:
        revision = current_revision(conn)
    if revision is None and create:
        upgrade(engine)
        return engine
    _refuse_newer(revision, engine)
    if revision != head_revision():
        raise DatabaseError(
            _("database {url} is at schema revision {revision}, the code needs {head}").format(
                url=safe_url(engine.url), revision=revision or _("(empty)"), head=head_revision()
            ),
            code="register.revision",
        )
    return engine


def files_folder(engine: Engine, option: str | None) -> Path:
    """Where evidence files are kept: ``--files DIR``, else beside a SQLite file
    (``checklist.db`` → ``checklist-files/``), else ``checklist-files/`` in the working folder."""
    if option:
        return Path(option)
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if database and database != ":memory:":
        p = Path(database)
        return p.with_name(p.stem + "-files")
    return Path("checklist-files")
