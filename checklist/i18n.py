"""Messages in the reader's language: Chinese (zh_CN) by default, English on request.

Messages are written in English in the code (the msgids) and translated in
``locale/zh_CN/LC_MESSAGES/checklist.po``; the compiled ``.mo`` ships in the package (a test keeps
it in step with the ``.po``). English is chosen by ``CHECKLIST_LANG=en`` or a locale that says so
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` starting with ``en``); anything else, C and
POSIX included, reads Chinese. The language is looked up on every call, so a test or a server can
switch it per request, and the catalog is parsed once.
"""

from __future__ import annotations

import datetime as dt
import errno
import gettext as _gettext
import os
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "checklist"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "zh_CN"
LANGUAGES = (DEFAULT, "en")


# A language pinned for what runs in this context (a thread, a request), whatever the environment says
_PINNED: ContextVar[str | None] = ContextVar("checklist_language", default=None)


def pin(lang: str | None) -> object:
    """Pin the language of this context (``None``: the environment's again); a token for ``unpin``.
    The web app pins Chinese for each request: its pages are Chinese whatever the server's locale."""
    return _PINNED.set(lang)


def unpin(token: object) -> None:
    _PINNED.reset(token)  # type: ignore[arg-type]


def language() -> str:
    """``zh_CN`` or ``en``: the pinned one, else from CHECKLIST_LANG, then the locale variables in
    gettext's order."""
    pinned = _PINNED.get()
    if pinned is not None:
        return pinned
    for var in ("CHECKLIST_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").strip()
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT
    return DEFAULT


@cache
def _translations(lang: str) -> _gettext.NullTranslations:
    if lang == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def gettext(message: str) -> str:
    return _translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations(language()).ngettext(singular, plural, n)


def prose_date(value: object) -> str:
    """A date inside a sentence as its reader writes it: 2026年12月5日 in Chinese, 2026-12-05 in
    English. ``value`` is a date or an ISO date (anything else is shown as it is). Machine formats
    (JSON, CSV, YAML, file names) and tables keep ISO and do not call this."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return value.isoformat() if language() == "en" else f"{value.year}年{value.month}月{value.day}日"


def prose_time(value: object) -> str:
    """A moment inside a sentence: 2026年12月6日 11:49（UTC+08:00）in Chinese, the ISO text in
    English; ``value`` is a datetime or its ISO text (anything else is shown as it is)."""
    if not isinstance(value, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
    if language() == "en":
        return value.isoformat(timespec="seconds")
    offset = value.strftime("%z")
    zone = f"（UTC{offset[:3]}:{offset[3:]}）" if offset else ""
    return f"{prose_date(value)} {value:%H:%M}{zone}"


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where it is shown."""
    return message


# The operating system's reasons in the reader's language (the C library words them in English)
OS_REASONS = {
    errno.ENOENT: N_("no such file or directory"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EISDIR: N_("is a directory"),
    errno.ENOTDIR: N_("not a directory"),
    errno.ENOSPC: N_("no space left on device"),
    errno.EROFS: N_("read-only file system"),
    errno.EEXIST: N_("file exists"),
    errno.ENOTEMPTY: N_("directory not empty"),
    errno.ENAMETOOLONG: N_("file name too long"),
    errno.ELOOP: N_("too many levels of symbolic links"),
    errno.EDQUOT: N_("disk quota exceeded"),
    errno.EBUSY: N_("device or resource busy"),
    errno.EIO: N_("input/output error"),
    errno.EFBIG: N_("file too large"),
    errno.EMFILE: N_("too many open files"),
    errno.EXDEV: N_("invalid cross-device link"),
    errno.EADDRINUSE: N_("address already in use"),
    errno.EADDRNOTAVAIL: N_("cannot assign requested address"),
    errno.ECONNREFUSED: N_("connection refused"),
}


def os_reason(e: OSError) -> str:
    """Why the operating system refused, in the reader's language."""
    known = OS_REASONS.get(e.errno) if e.errno is not None else None
    return gettext(known) if known else (e.strerror or str(e))


_ = gettext
