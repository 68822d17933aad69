"""The message catalogs: extract every message, keep the Chinese translations in step, compile.

    python tools/messages.py update   extract, merge into checklist/locale/zh_CN/LC_MESSAGES/checklist.po
                                      (new messages with an empty translation), compile the .mo
    python tools/messages.py check    exit 1 naming every message without a translation, a translation
                                      whose placeholders differ, or a .mo that is not the .po's

Messages come from three places: the package's code (``_``, ``N_``, ``gettext``, ``ngettext``), the help
of every command and option (click keeps it as written; ``cli/common.py`` translates it when shown),
and click's own messages (click marks them for gettext; ``cli/__init__.py`` routes them here).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "checklist"
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "checklist.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sdr]|%[sdr]")


def code_messages(folder: Path, prefix: str) -> Iterator[tuple[str | tuple[str, str], str]]:
    """(msgid or (singular, plural), where) for every marked message under ``folder``."""
    from babel.messages.extract import extract_from_dir

    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(folder), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True
    ):
        if message:
            yield message, f"{prefix}/{filename}:{lineno}"


def help_messages() -> Iterator[tuple[str, str]]:
    """The help of every command and option, as click holds it."""
    sys.path.insert(0, str(ROOT))
    import click

    from checklist.cli import cli
    from checklist.cli.common import help_texts

    def walk(command: click.Command, path: str) -> Iterator[tuple[str, str]]:
        for text in help_texts(command):
            yield text, f"help of `{path}`"
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, f"{path} {name}")

    yield from walk(cli, "checklist")


def extract() -> dict[str | tuple[str, str], list[str]]:
    """Every message, with where it is used (first places first)."""
    import click

    found: dict[str | tuple[str, str], list[str]] = {}
    sources = [
        *code_messages(PACKAGE, "checklist"),
        *help_messages(),
        *code_messages(Path(click.__file__).parent, "click"),
    ]
    for message, where in sources:
        found.setdefault(message, []).append(where)
    return found


def read_catalog():
    from babel.messages.pofile import read_po

    with PO.open("rb") as f:
        return read_po(f, locale="zh_CN", domain="checklist")


def compiled(catalog) -> bytes:
    """The .mo of ``catalog``: translated messages only (an untranslated plural would otherwise be
    compiled as empty strings, and gettext would show nothing instead of the English)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    done = Catalog(locale=catalog.locale, domain=catalog.domain, charset="utf-8", fuzzy=False)
    done.mime_headers = catalog.mime_headers
    for m in catalog:
        strings = [m.string] if isinstance(m.string, str) else list(m.string or ())
        if m.id and all(strings):
            done[m.id] = m
    out = io.BytesIO()
    write_mo(out, done, use_fuzzy=False)
    return out.getvalue()


def update() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    old = read_catalog() if PO.exists() else Catalog(locale="zh_CN", domain="checklist")
    import datetime as dt

    fixed = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)  # a fixed header, so an update without new messages changes nothing
    new = Catalog(
        locale="zh_CN",
        domain="checklist",
        project="checklist",
        version="1",
        charset="utf-8",
        creation_date=fixed,
        revision_date=fixed,
        language_team="checklist <https://checklist.local>",
        last_translator="checklist",
        fuzzy=False,
    )
    for message, places in extract().items():
        key = message if isinstance(message, str) else message[0]
        kept = old.get(key)
        new.add(
            message,
            kept.string if kept is not None else ("" if isinstance(message, str) else ("", "")),
            auto_comments=places[:1],
        )
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as f:
        write_po(f, new, width=120, sort_output=False, omit_header=False, include_lineno=False, ignore_obsolete=True)
    MO.write_bytes(compiled(read_catalog()))


def problems() -> list[str]:
    """Every message without a translation or with other placeholders, and a stale .mo."""
    catalog = read_catalog()
    out = []
    for message in extract():
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        ids = [message] if isinstance(message, str) else list(message)
        strings = [] if entry is None else [entry.string] if isinstance(entry.string, str) else list(entry.string)
        if entry is None or not all(strings):
            out.append(f"no Chinese translation: {key!r}")
            continue
        # Chinese has one plural form, used for every count: it says what the plural msgid says
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            if sorted(PLACEHOLDER.findall(s)) != wanted:
                out.append(f"placeholders differ: {key!r} → {s!r}")
    if not MO.exists() or MO.read_bytes() != compiled(catalog):
        out.append(f"{MO.relative_to(ROOT)} is not compiled from {PO.relative_to(ROOT)}: run python tools/messages.py update")
    return out


if __name__ == "__main__":
    if sys.argv[1:] == ["update"]:
        update()
    elif sys.argv[1:] == ["check"]:
        found = problems()
        print("\n".join(found) or "every message has its Chinese translation")
        sys.exit(1 if found else 0)
    else:
        print(__doc__)
        sys.exit(2)
