"""Writing a rendered page: standalone HTML, or PDF through outputs.pdf (loaded only then)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from checklist.files import atomic

FORMATS = ("pdf", "html")  # what write_page writes


def write_page(html: str, fmt: str, out: Path, allowed: Sequence[Path] = ()) -> None:
    """A rendered page as standalone HTML, or as PDF (WeasyPrint is loaded only then, and fetches
    nothing but the templates and the ``allowed`` folders)."""
    if fmt == "html":
        atomic.write_text(out, html)
        return
    from checklist.outputs.pdf import write_pdf

    write_pdf(html, out, allowed=list(allowed))
