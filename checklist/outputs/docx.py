"""Word documents an office edits and stamps (Word or WPS): a Word template with Jinja tags
(docxtpl), kept in templates/ beside the HTML templates, filled with the same plain data the HTML
page gets. Values are escaped for Word's XML (a name with ``<`` or ``&`` stays text), and a
missing field is an error, as in the HTML templates."""

from __future__ import annotations

import io
from pathlib import Path

import jinja2

from checklist.files import atomic
from checklist.files.resources import data_dir


def render_docx(template_name: str, context: dict, out: Path) -> None:
    """Fill the Word template ``template_name`` (in templates/) with ``context`` and write ``out``
    atomically."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(data_dir("templates") / template_name))
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    doc.render(context, jinja_env=env, autoescape=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    atomic.write_bytes(out, buffer.getvalue())
