"""Atomic saves, the one gate every output goes through: a file is either its old self or its new
self, never half-written or empty; a target that is not a regular file (a folder, symlink, device
node, FIFO) is refused as a usage error; an OS refusal (read-only folder, disk full, permission, a path under a
file) is an IOFailure with the path and the reason; and a save that would overwrite changes made
since the file was read keeps both versions instead."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from checklist.dates import now
from checklist.errors import BusyError, IOFailure, UsageError
from checklist.i18n import N_, _

ABSENT = ""  # ``expect`` for a file that must not exist yet
_KINDS = {
    stat.S_ISDIR: N_("a folder"),
    stat.S_ISLNK: N_("a symbolic link"),
    stat.S_ISFIFO: N_("a FIFO (named pipe)"),
    stat.S_ISCHR: N_("a character device"),
    stat.S_ISBLK: N_("a block device"),
    stat.S_ISSOCK: N_("a socket"),
}


def write_bytes(path: str | os.PathLike, data: bytes, *, expect: str | None = None, verify: Callable[[bytes], None] | None = None) -> str:
    """Write ``data`` to a temporary file beside ``path`` (``.<name>.<pid>-<random>.tmp``), flush it
    to disk, read it back, then rename it over ``path``; return the SHA-256 of ``data``.

    The file read back must hold exactly ``data``, and ``verify`` (given the bytes read back) must
    not raise: otherwise the old file stays as it was and the error is raised. ``expect`` is the
    SHA-256 of the file as it was read (ABSENT: it must not exist). If the file now differs, it is
    left alone, ``data`` is kept as ``<stem>.conflict-<time><suffix>`` beside it and BusyError
    names both files. The temporary file never outlives the call: it is removed on any error,
    Ctrl-C or a terminating signal the CLI turns into an exception; one left by a process killed
    mid-save (``kill -9``, power loss) is removed by the next save of the same file.
    """
    target = Path(path)
    refuse_special(target)
    make_folder(target.parent)
    _remove_stale(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise IOFailure.from_os(target, e) from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        with open(tmp, "rb") as f:
            back = f.read()
        if back != data:
            raise IOFailure(
                str(target),
                _("the file read back differs from what was written ({read} of {written} bytes)").format(
                    read=f"{len(back):,}", written=f"{len(data):,}"
                ),
            )
        if verify is not None:
            verify(back)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        if expect is not None and digest(target) != expect:
            kept = _keep_aside(tmp, target)
            what = _("was created meanwhile") if expect == ABSENT else _("changed on disk since it was read")
            raise BusyError(
                _(
                    "{path} {what} (another program or person saved it): it was not overwritten; this session's version"
                    " is saved as {kept}: compare the two files and merge by hand"
                ).format(path=target, what=what, kept=kept)
            )
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise IOFailure.from_os(target, e) from e
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)  # the rename itself survives a crash
        finally:
            os.close(dir_fd)
    except OSError as e:
        raise IOFailure.from_os(target.parent, e, action=N_("saved, but the folder could not be flushed to disk")) from e
    return hashlib.sha256(data).hexdigest()


def write_text(path: str | os.PathLike, text: str, *, expect: str | None = None, verify: Callable[[str], None] | None = None) -> str:
    """``text`` as UTF-8, through ``write_bytes``; what is read back must decode to ``text`` again
    (and pass ``verify``, given the decoded text) before it replaces the old file. Text that UTF-8
    cannot hold (half of a surrogate pair) is refused: it is a bug for a check at entry to have let
    it through, so nothing is written."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise UsageError(
            _("{path}: character {position} (U+{code}) cannot be stored in a UTF-8 file: nothing written").format(
                path=path, position=e.start + 1, code=f"{ord(text[e.start]):04X}"
            )
        ) from e

    def decoded(back: bytes) -> None:
        if back.decode("utf-8") != text:  # cannot differ when the bytes are equal; kept as the promise
            raise IOFailure(str(path), _("the file read back is not the text that was written"))
        if verify is not None:
            verify(text)

    return write_bytes(path, data, expect=expect, verify=decoded)


def _remove_stale(target: Path) -> None:
    """Remove temporary files of ``target`` whose writer is gone: named with a process id no live
    process has (on this machine), or, written by an older version without one, over a day old.
    A live writer's temporary file — another thread, another process — is never touched."""
    import time

    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid = leftover.name[len(target.name) + 2 :].split("-", 1)[0]
        try:
            if pid.isdigit():
                if _alive(int(pid)):
                    continue
            elif time.time() - leftover.stat().st_mtime < 86_400:
                continue
            leftover.unlink()
        except OSError:
            continue


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def remove_leftovers(target: Path) -> None:
    """Remove temporary files of ``target`` left by a process killed mid-save (``kill -9``, power
    loss). Only for a caller holding the file's lock: then no live writer owns them."""
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def exists(path: str | os.PathLike) -> bool:
    """Whether anything is at ``path`` (a dangling link counts); a path the OS cannot even look up
    (a name too long, a folder it may not search) is an IOFailure, not a traceback."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as e:
        raise IOFailure.from_os(path, e) from e
    return True


def refuse_special(target: Path) -> None:
    """Refuse a target that exists and is not a regular file: a rename would replace a device
    node, a FIFO or a symlink with a plain file, and cannot replace a folder."""
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as e:  # a path under a file (ENOTDIR), a folder we may not search (EACCES)
        raise IOFailure.from_os(target, e) from e
    for test, kind in _KINDS.items():
        if test(mode):
            raise UsageError(
                _("{path} is {kind}, not a regular file: refused to write over it (give the path of a file)").format(
                    path=target, kind=_(kind)
                )
            )


def make_folder(folder: Path) -> None:
    """Create the output's folder (and its parents) if missing; an OS refusal is an IOFailure."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as e:  # a file where a folder is needed
        raise IOFailure(str(folder), _("a file is in the way of this folder"), action=N_("cannot create folder")) from e
    except OSError as e:
        raise IOFailure.from_os(e.filename or folder, e, action=N_("cannot create folder")) from e


def digest(path: Path) -> str:
    """SHA-256 of the file at ``path``, or ABSENT when there is none."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ABSENT


def _keep_aside(tmp: str, target: Path) -> Path:
    """Give the already written temporary file a name beside ``target`` that no file has yet."""
    stamp = now().strftime("%Y%m%dT%H%M%S")
    for n in range(1, 1000):
        kept = target.with_name(f"{target.stem}.conflict-{stamp}{'' if n == 1 else f'-{n}'}{target.suffix}")
        try:
            os.link(tmp, kept)  # never replaces an existing file, unlike a rename
        except FileExistsError:
            continue
        os.unlink(tmp)
        return kept
    raise FileExistsError(f"too many conflict copies of {target}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
