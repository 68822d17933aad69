"""PDF rendering with WeasyPrint — the only module that imports it.

Three guarantees: the pinned CJK font is installed (fontconfig resolves it) before anything is
rendered; WeasyPrint fetches nothing but our templates and files inside the allowed folders
(no network, no file:///etc/...); and every glyph comes from the pinned font — a character it
lacks fails the render, whether no font has it (an empty box) or fontconfig would fall back to
another font (an emoji drawn from DejaVu Sans). Nothing is written unless all three hold.
"""

from __future__ import annotations

import gc
import logging
import mimetypes
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

from checklist.errors import RenderError
from checklist.files import atomic
from checklist.files.glyphs import FONT_FAMILY, font_file
from checklist.files.resources import data_dir
from checklist.i18n import _

# Photos are printed at most at this resolution; JPEG re-encoded at this quality.
IMAGE_DPI = 150
JPEG_QUALITY = 80


@cache
def check_font(family: str = FONT_FAMILY) -> str:
    """The file fontconfig resolves ``family`` to; RenderError when it would substitute another font.
    The same file ``files/glyphs.py`` reads the printable characters from."""
    return font_file(family)[0]


class RestrictedFetcher(URLFetcher):
    """Serves ``file:`` URLs inside the given folders and nothing else; remembers what it refused."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = Path(url2pathname(parts.path)).resolve() if parts.scheme == "file" and parts.netloc in ("", "localhost") else None
        if path is None or not path.is_file() or not any(path.is_relative_to(r) for r in self.roots):
            self.refused.append(url)
            raise ValueError(_("refused to fetch {url}: outside the report's allowed files").format(url=url))
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})


class _LogCollector(logging.Handler):
    """WeasyPrint reports missing glyphs and failed resources only as log records."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missing: dict[str, None] = {}
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith(".notdef glyph") and isinstance(record.args, tuple) and record.args:
            self.missing[str(record.args[0])] = None
        else:
            self.messages.append(record.getMessage())


def write_pdf(html: str, target: Path, *, allowed: list[Path]) -> None:
    """Render ``html`` to an A4 PDF at ``target`` (atomically), or raise RenderError and write nothing."""
    check_font()
    templates = data_dir("templates").resolve()
    fetcher = RestrictedFetcher([templates, *allowed])
    logger = logging.getLogger("weasyprint")
    collector = _LogCollector()
    logger.addHandler(collector)
    saved_propagate, logger.propagate = logger.propagate, False
    gc.disable()  # layout makes millions of short-lived objects and no cycles worth chasing: ~20% faster
    try:
        document = weasyprint.HTML(string=html, base_url=templates.as_uri() + "/", url_fetcher=fetcher).render()
        data = document.write_pdf(optimize_images=True, dpi=IMAGE_DPI, jpeg_quality=JPEG_QUALITY)
    finally:
        gc.enable()
        logger.removeHandler(collector)
        logger.propagate = saved_propagate
    if collector.missing:
        raise RenderError(
            _("{path}: no font has a glyph for {chars}; nothing written (remove or replace these characters)").format(
                path=target, chars=_chars(collector.missing)
            )
        )
    fallback = _fallback(document)
    if fallback:
        fonts = ", ".join(fallback)
        chars = _chars(dict.fromkeys(c for cs in fallback.values() for c in cs))
        raise RenderError(
            _(
                "{path}: the pinned font {font} has no glyph for {chars} (it would be drawn from {fonts}); nothing written"
                " (remove or replace these characters)"
            ).format(path=target, font=FONT_FAMILY, chars=chars, fonts=fonts)
        )
    if fetcher.refused:
        raise RenderError(_("{path}: refused to load {urls}; nothing written").format(path=target, urls=", ".join(fetcher.refused)))
    failed = [m for m in collector.messages if "Failed to load" in m or "Error" in m]
    if failed:
        raise RenderError(_("{path}: {problem}; nothing written").format(path=target, problem=failed[0]))
    atomic.write_bytes(target, data)


def _chars(chars: Iterable[str]) -> str:
    return "、".join(f"“{c}” (U+{ord(c):04X})" for c in chars)


def _fallback(document) -> dict[str, list[str]]:
    """Fonts other than the pinned one that the PDF embeds, with the characters drawn from each
    (read from the fonts' ToUnicode maps, filled in when the PDF was written)."""
    pinned = FONT_FAMILY.replace(" ", "-")
    out: dict[str, list[str]] = {}
    for font in document.fonts.values():
        name = _font_name(font)
        if pinned not in name:
            out[name] = sorted({ch for text in font.to_unicode.values() for ch in text})
    return out


def _font_name(font) -> str:
    name = getattr(font, "name", b"")
    name = name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return name.split("+", 1)[-1]
