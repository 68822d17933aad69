"""A throwaway PostgreSQL server for the register's tests (and its benchmark).

When Debian's ``initdb`` is installed, a session-scoped server is started on a free loopback port
with trust authentication, as the unprivileged ``postgres`` user when we are root (initdb and
pg_ctl refuse to run as root), and stopped at the end, on failure too. Without it the PostgreSQL
tests are skipped with the reason shown (pytest runs with -ra; the fixtures are in pg_fixtures).
Used by benchmarks/register_overdue.py too, so it imports nothing of pytest.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Server:
    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--", *argv] if runuser else ["su", "postgres", "-c", " ".join(argv)]


@contextlib.contextmanager
def server() -> Iterator[Server]:
    """Start a server or raise RuntimeError saying why it cannot."""
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("PostgreSQL's initdb/pg_ctl not found (install the Debian package postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="checklist-pg-"))
    data, log = folder / "data", folder / "server.log"
    port = _free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    started = False
    try:
        run = [initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]
        proc = subprocess.run(_as_postgres(run), capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"initdb failed: {proc.stderr.strip() or proc.stdout.strip()}")
        opts = f"-p {port} -k {folder} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        proc = subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-o", opts, "-l", str(log), "-w", "-t", "60", "start"]), capture_output=True, text=True
        )
        if proc.returncode != 0:
            tail = log.read_text(errors="replace")[-500:] if log.exists() else proc.stderr
            raise RuntimeError(f"pg_ctl start failed: {tail.strip()}")
        started = True
        yield Server(port, folder)
    finally:
        if started:
            subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


_names = itertools.count(1)


def create_database(srv: Server) -> str:
    import psycopg

    name = f"t{os.getpid()}_{next(_names)}"
    with psycopg.connect(f"host=127.0.0.1 port={srv.port} user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # our own generated name, not user input
    return name


def drop_database(srv: Server, name: str) -> None:
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={srv.port} user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
