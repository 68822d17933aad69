"""One writer per file: an advisory lock on a sidecar ``.<name>.lock`` beside it.

The lock is the operating system's (``fcntl.flock``), so it dies with its process: a lock left by a
crashed or killed process never blocks anyone. The sidecar records who holds it (user, host, pid,
since when, command) so a refused writer can be told. Held locks are re-entrant within one thread;
another thread of the same process is refused like another process.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from checklist.dates import now
from checklist.errors import BusyError, IOFailure
from checklist.i18n import N_, _


@dataclass
class _Held:
    fd: int
    thread: int
    info: dict
    depth: int = 1


_held: dict[Path, _Held] = {}
_guard = threading.Lock()


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


@contextmanager
def hold(target: str | os.PathLike) -> Iterator[None]:
    """Hold the lock of ``target`` (its real path, links resolved) for the ``with`` block, or raise
    BusyError naming the holder."""
    real = Path(os.path.realpath(target))
    with _guard:
        held = _held.get(real)
        if held is not None and held.thread != threading.get_ident():
            raise BusyError(_busy_message(target, held.info))
        if held is None:
            _held[real] = _acquire(real, target)
        else:
            held.depth += 1
    try:
        yield
    finally:
        with _guard:
            held = _held[real]
            held.depth -= 1
            if held.depth == 0:
                del _held[real]
                _release(real, held.fd)


def _acquire(real: Path, shown: str | os.PathLike) -> _Held:
    path = lock_path(real)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as e:
            raise IOFailure.from_os(path, e, action=N_("cannot create the lock file")) from e
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            info = _read_info(fd)
            os.close(fd)
            raise BusyError(_busy_message(shown, info)) from None
        except OSError as e:
            os.close(fd)
            raise IOFailure.from_os(path, e, action=N_("cannot lock")) from e
        if _same_file(fd, path):
            break
        os.close(fd)  # the previous holder removed the file as we opened it: lock the new one
    info = {
        "user": _user(),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": now().isoformat(timespec="seconds"),
        "command": " ".join(["checklist", *sys.argv[1:3]]),
    }
    try:
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"))
    except OSError as e:
        _release(real, fd)
        raise IOFailure.from_os(path, e, action=N_("cannot write the lock file")) from e
    return _Held(fd, threading.get_ident(), info)


def _release(real: Path, fd: int) -> None:
    """Remove the sidecar while still holding the lock (a waiting writer then re-opens), then unlock."""
    with contextlib.suppress(OSError):  # a sidecar left behind is harmless: the OS lock is what counts
        lock_path(real).unlink(missing_ok=True)
    os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _read_info(fd: int) -> dict:
    try:
        raw = os.pread(fd, 4096, 0)
        info = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def _busy_message(target: str | os.PathLike, info: dict) -> str:
    who = (
        _("{command} by {user} on {host} (pid {pid}) since {since}").format(
            command=info.get("command", "checklist"),
            user=info.get("user", "?"),
            host=info.get("host", "?"),
            pid=info.get("pid", "?"),
            since=info.get("since", "?"),
        )
        if info
        else _("another checklist process")
    )
    return _("{path} is in use: {who}. Try again when it has finished (a lock whose process has ended never blocks)").format(
        path=target, who=who
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())
