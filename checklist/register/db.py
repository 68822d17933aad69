"""Opening the register: the URL (``--db``, ``$CHECKLIST_DB``, or ``checklist.db`` here), the
engine with SQLite's pragmas, write transactions that lock the chain head first, and the schema
revision check (Alembic migrations shipped in the package, run by ``register upgrade``)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from checklist.errors import DatabaseError, Refusal
from checklist.register.tables import chain_head

DEFAULT_URL = "sqlite:///checklist.db"
GENESIS = "0" * 64  # prev_hash of the first event
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(option: str | None) -> str:
    """The URL to use: the option, else $CHECKLIST_DB, else checklist.db in the working folder;
    ``postgresql://`` is rewritten to the psycopg 3 driver."""
    url = option or os.environ.get("CHECKLIST_DB") or DEFAULT_URL
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if not url.startswith(("sqlite:", "postgresql+psycopg://")):
        raise Refusal("register.url", "db", url=url)
    return url


def make_engine(url: str, pooled: bool = False) -> Engine:
    """An engine for ``url`` (no pool: a command opens what it needs and closes it). SQLite gets
    foreign keys, WAL, a busy timeout and memory-mapped reads, and its transactions begin
    IMMEDIATE when they will write (so a read never turns into a lost race). ``pooled``: a
    long-running server keeps its connections (opening one costs more than a query)."""
    pool: dict = {"pool_size": 16, "max_overflow": 16} if pooled else {"poolclass": NullPool}
    try:
        if url.startswith("sqlite"):
            engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **pool)

            @sa_event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record) -> None:
                dbapi_conn.isolation_level = None  # SQLAlchemy's begin event issues BEGIN itself
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA foreign_keys = ON")
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
        raise DatabaseError(f"cannot use database {safe_url(url)}: {e}") from e
    return engine


def safe_url(url: str | sa.engine.URL) -> str:
    """The URL without its password, for messages."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


@contextlib.contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    with _errors(engine), engine.connect() as conn, conn.begin():
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
        raise DatabaseError(f"database {safe_url(engine.url)}: {_first_line(e)}") from e


def _first_line(e: sa.exc.DBAPIError) -> str:
    return str(e.orig).strip().splitlines()[0] if e.orig else str(e)


# --- schema revisions ---------------------------------------------------------------------

# The revisions of migrations/versions, oldest first (a test checks them against Alembic's own
# list), so opening a register needs no Alembic import: it reads alembic_version directly.
REVISIONS = ("r0001", "r0002", "r0003", "r0004_login_limits")
HEAD = REVISIONS[-1]
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


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to the code's revision; (revision before, revision now)."""
    from alembic import command

    with _errors(engine), engine.connect().execution_options(writer=True) as conn:
        before = current_revision(conn)
        conn.rollback()
        _refuse_newer(before, engine)
        with conn.begin():
            command.upgrade(_alembic_config(conn), "head")
        return before, HEAD


def _refuse_newer(revision: str | None, engine: Engine) -> None:
    if revision is not None and revision not in REVISIONS:
        raise DatabaseError(
            f"database {safe_url(engine.url)} has schema revision {revision}, newer than this checklist knows "
            f"(its newest is {HEAD}): upgrade checklist; nothing was changed"
        )


def open_register(url_option: str | None, *, create: bool = True, pooled: bool = False) -> Engine:
    """The engine of a register that is ready to use. A missing SQLite file (or empty database) is
    created at the current schema when ``create``; an older schema asks for ``register upgrade``;
    a newer one is refused."""
    url = database_url(url_option)
    engine = make_engine(url, pooled)
    with _errors(engine), engine.connect() as conn:
        revision = current_revision(conn)
    if revision is None and create:
        upgrade(engine)
        return engine
    _refuse_newer(revision, engine)
    if revision != head_revision():
        raise DatabaseError(
            f"database {safe_url(engine.url)} is at schema revision {revision or '(empty)'}, the code needs {head_revision()}",
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
