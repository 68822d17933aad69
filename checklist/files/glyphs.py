"""Which characters the reports can print: exactly those the font the PDF renderer pins has a glyph
for (``outputs/pdf.py`` fails a render that needs any other). Read from the font file fontconfig
resolves the family to, so a text is judged at entry by the same coverage the renderer has.

Reading a CJK font's character map takes about half a second, so it is kept twice: once per
process, and on disk (``$XDG_CACHE_HOME/checklist/glyphs.json``, else ``~/.cache/…``), keyed by
the family and checked against the font file's path, size and modification time. A machine where
the font cannot be found has no coverage (``None``): nothing is refused for want of a glyph there,
and the renderer refuses to render with its own message.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import os
from functools import cache
from pathlib import Path

from checklist.errors import ChecklistError, RenderError
from checklist.i18n import _

FONT_FAMILY = "Noto Sans CJK SC"  # the one face every PDF uses; templating and pdf take it from here
WHITESPACE = frozenset("\t\n\r")  # laid out as space, never drawn
_CACHE_VERSION = 1


def font_file(family: str = FONT_FAMILY) -> tuple[str, int]:
    """The file (and face index, for a collection) fontconfig resolves ``family`` to; RenderError
    when fontconfig is missing or would substitute another font."""
    import subprocess

    try:
        proc = subprocess.run(["fc-match", "-f", "%{family}\n%{file}\n%{index}", family], capture_output=True, text=True, timeout=30)
    except (FileNotFoundError, subprocess.TimeoutExpired) as e:
        raise RenderError(_("fontconfig's fc-match is not available: install fontconfig and fonts-noto-cjk")) from e
    families, _sep, rest = proc.stdout.partition("\n")
    file, _sep, index = rest.partition("\n")
    if proc.returncode != 0 or family not in families.split(","):
        raise RenderError(
            _(
                "the CJK font {family!r} is not installed (fontconfig would use {used}): install it with: apt-get install fonts-noto-cjk"
            ).format(family=family, used=families or _("nothing"))
        )
    return file, int(index or 0)


class Coverage:
    """A font's characters as sorted runs of code points (a CJK font has some 45,000 characters in
    a few hundred runs): a character is looked up by bisection, so a text costs one lookup per
    distinct character it holds."""

    def __init__(self, runs: list[list[int]]):
        self.firsts = [first for first, _ in runs]
        self.lasts = [last for _, last in runs]

    def __contains__(self, ch: str) -> bool:
        code = ord(ch)
        i = bisect.bisect_right(self.firsts, code) - 1
        return i >= 0 and code <= self.lasts[i]

    def __len__(self) -> int:
        return sum(last - first + 1 for first, last in zip(self.firsts, self.lasts, strict=True))


@cache
def coverage(family: str = FONT_FAMILY) -> Coverage | None:
    """Every character the pinned font draws; None when the font cannot be found on this machine."""
    cached = _read_cache(family)
    if cached is not None:
        return Coverage(cached)
    try:
        file, index = font_file(family)
    except RenderError:
        return None
    runs = _runs(_character_map(file, index))
    _write_cache(family, file, index, runs)
    return Coverage(runs)


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` the reports cannot print, in the order they first appear."""
    if text.isascii() and text.isprintable():  # the font has every printable ASCII character
        return []
    covered = coverage()
    if covered is None:
        return []
    missing = [ch for ch in set(text) - WHITESPACE if ch not in covered]
    return sorted(missing, key=text.index)


def _runs(codes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for c in codes:
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return runs


def _character_map(file: str, index: int) -> list[int]:
    from fontTools.ttLib import TTFont

    with TTFont(file, fontNumber=index, lazy=True) as font:
        return sorted(font.getBestCmap())


def _cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "checklist" / "glyphs.json"


def _stamp(file: str) -> list[int] | None:
    try:
        st = os.stat(file)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _read_cache(family: str) -> list[list[int]] | None:
    """The family's characters from the disk cache, if its font file is still the one they were read from."""
    try:
        entry = json.loads(_cache_path().read_text(encoding="utf-8")).get(family)
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(entry, dict) or entry.get("version") != _CACHE_VERSION or entry.get("stamp") != _stamp(str(entry.get("file"))):
        return None
    runs = entry.get("runs")
    ok = isinstance(runs, list) and all(isinstance(r, list) and len(r) == 2 and all(isinstance(c, int) for c in r) for r in runs)
    return runs if ok else None


def _write_cache(family: str, file: str, index: int, runs: list[list[int]]) -> None:
    """Keep the map for the next process; a cache that cannot be written only costs time."""
    from checklist.files import atomic

    path = _cache_path()
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(entries, dict):
            entries = {}
    except (OSError, ValueError):
        entries = {}
    entries[family] = {"version": _CACHE_VERSION, "file": file, "index": index, "stamp": _stamp(file), "runs": runs}
    with contextlib.suppress(ChecklistError):  # a read-only home, a full disk: the next process reads the font again
        atomic.write_text(path, json.dumps(entries))
