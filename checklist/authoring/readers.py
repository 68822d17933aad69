"""The reader for a published document, by its file name's suffix."""

from __future__ import annotations

from pathlib import Path

from checklist.authoring.document import Document

SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx", ".pdf": "pdf", ".md": "markdown", ".markdown": "markdown"}
BINARY = (".doc", ".wps", ".rtf", ".xls", ".et", ".ppt", ".dps", ".ofd", ".ceb")  # formats with no reader here: refused, not read as text


def format_of(path: str) -> str:
    """The format a file's name says it is in: html, docx, pdf, markdown, binary (refused), or text."""
    suffix = Path(path).suffix.lower()
    return "binary" if suffix in BINARY else SUFFIXES.get(suffix, "text")


def read_document(path: str) -> Document:
    """The model of a published document (HTML, DOCX, PDF or Markdown), by its file name's suffix."""
    kind = format_of(path)
    if kind == "html":
        from checklist.authoring.read_markup import read_html

        return read_html(Path(path).read_bytes())
    if kind == "markdown":
        from checklist.authoring.read_markup import read_markdown
        from checklist.files.loader import read_text

        return read_markdown(read_text(path)[0])
    if kind == "docx":
        from checklist.authoring.read_docx import read_docx

        return read_docx(path)
    if kind == "pdf":
        from checklist.authoring.read_pdf import read_pdf

        return read_pdf(path)
    raise ValueError(kind)
