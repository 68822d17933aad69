"""The Jinja2 environment of every HTML/PDF output: autoescaped, and strict about missing fields."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from checklist import vocabulary
from checklist.files.glyphs import FONT_FAMILY  # pinned; pdf.py checks fontconfig resolves it before rendering
from checklist.files.resources import data_dir


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=True,  # every value is escaped, in text and attributes alike
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["vocabulary"] = vocabulary  # the domain's words, from the one module that holds them
    return env


def stylesheet(name: str) -> Markup:
    """A stylesheet of ours, trusted, to inline into standalone HTML (user data never goes in CSS)."""
    return Markup((data_dir("templates") / name).read_text(encoding="utf-8"))


def render_html(template: str, *, for_pdf: bool, **context: Any) -> str:
    """Render a template of the report family. For PDF the stylesheets are linked (and served by
    the restricted fetcher); for standalone HTML they are inlined."""
    styles = ["base.css", template.split(".", 1)[0] + ".css"]
    return (
        environment()
        .get_template(template)
        .render(
            for_pdf=for_pdf,
            stylesheets=styles,
            inline_css=Markup("\n").join(stylesheet(s) for s in styles) if not for_pdf else "",
            font_family=FONT_FAMILY,
            **context,
        )
    )
