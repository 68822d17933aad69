"""Messages in the reader's language: Chinese (zh_CN) by default, English on request.

Messages are written in English in the code (the msgids) and translated in
``locale/zh_CN/LC_MESSAGES/checklist.po``; the compiled ``.mo`` ships in the package (a test keeps
it in step with the ``.po``). English is chosen by ``CHECKLIST_LANG=en`` or a locale that says so
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` starting with ``en``); anything else, C and
POSIX included, reads Chinese. The language is looked up on every call, so a test or a server can
switch it per request, and the catalog is parsed once.
"""

from __future__ import annotations

import gettext as _gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "checklist"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "zh_CN"
LANGUAGES = (DEFAULT, "en")


def language() -> str:
    """``zh_CN`` or ``en``, from CHECKLIST_LANG, then the locale variables in gettext's order."""
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


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where it is shown."""
    return message


_ = gettext
