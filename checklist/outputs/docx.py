"""Word papers from Word templates: a ``.docx`` in ``templates/`` beside the HTML templates, its
wording and layout edited in Word by the office that stamps it, with Jinja tags where the data
goes (docxtpl: ``{{ value }}``, ``{%p for … %}`` around paragraphs, ``{%tr for … %}`` around
table rows). Values are escaped (a name with ``<`` or ``&`` stays text), a missing one is an
error rather than a blank, and a line break in a value is a line break in the cell."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from checklist.errors import RenderError
from checklist.files import atomic
from checklist.files.resources import data_dir


def render_docx(template_name: str, context: dict[str, Any], out: Path) -> None:
    """Fill the Word template ``templates/<template_name>`` with ``context`` and save it to ``out``
    (atomically). A RenderError names the template when a tag in it is broken or asks for a value
    the context lacks."""
    import jinja2
    from docxtpl import DocxTemplate

    path = data_dir("templates") / template_name
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        template = DocxTemplate(str(path))
        template.render(context, jinja_env=env, autoescape=True)
    except jinja2.TemplateError as e:
        raise RenderError(f"{path}: {type(e).__name__}: {e}") from e
    buffer = io.BytesIO()
    template.save(buffer)
    atomic.write_bytes(out, buffer.getvalue())
