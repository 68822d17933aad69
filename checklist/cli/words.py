"""The command line's words for the domain's refusals: the plain words (``errors.REFUSALS``) with
each field named by the option of the running command that set it (``--measure (整改措施)``), and
advice that names commands. The web app has words made for pages (``web/words.py``)."""

from __future__ import annotations

import click

from checklist.errors import ChecklistError, Refusal
from checklist.i18n import N_, gettext
from checklist.vocabulary import field_name

# Advice for the terminal after some refusals, by (code, field)
HINTS: dict[tuple[str, str], str] = {
    ("value.required", "target.name"): N_("give --target NAME, or a facts file that names the target"),
    ("audit.facts_targets", "target"): N_("name one with --target, or screen them all with `checklist audit batch`"),
    ("audit.unit_or_kind", "unit"): N_("give --unit or --kind"),
    ("move.changed", "version"): N_("checklist register show {hazard}"),
    ("hazard.unknown", "hazard"): N_("see `checklist register list`"),
    ("output.exists", "output"): N_("use --force to overwrite"),
    ("file.exists", "output"): N_("use --force to overwrite it"),
    ("import.unfit", ""): N_("--layout LAYOUT shows what one layout finds"),
    ("audit.catalog", "catalog"): N_("`checklist catalogs` lists the known ones"),
    ("register.revision", ""): N_("run `checklist register upgrade` first"),
    ("register.not_empty", "db"): N_("use a new --db"),
    ("audit.not_imported", "audit"): N_("checklist register import {audit}"),
    ("review.none", "hazard"): N_("checklist register verify, or import the re-check audit, first"),
    ("recheck.selection", "unit"): N_("--recheck needs --unit NAME or --hazard YH-…"),
    ("recheck.several", "hazard"): N_("with --hazard"),
    ("recheck.duplicate", "hazard"): N_("--hazard"),
    ("stats.period", "quarter"): N_("give --quarter YYYYQn or --year YYYY"),
    ("users.unknown", "name"): N_("`checklist users list` shows them"),
    ("register.missing", "db"): N_("check the path; importing an audit or `checklist register upgrade` creates a register"),
    ("calendar.no_year", "date"): N_(
        "add catalogs/calendars/cn-{year}.yaml from the notice (schema: schemas/calendar.schema.json) or pass --calendar FILE;"
        " or, knowing the result may be wrong, --assume-weekends to count Monday–Friday only"
    ),
}


def say(error: ChecklistError) -> str:
    """Any error as the terminal shows it: a refusal in this command's words, the rest as they
    read; with the terminal's advice for its code, when there is some."""
    text = error.words(_field_shown) if isinstance(error, Refusal) else str(error)
    field, params = (error.field or "", error.params) if isinstance(error, Refusal) else ("", {})
    hint = HINTS.get((error.code, field))
    return f"{text} ({gettext(hint).format(**params)})" if hint else text


word = say


def _field_shown(field: str | None) -> str:
    """The option of the running command behind ``field`` with the field's name, e.g.
    ``--measure (整改措施)``; the name alone when no option sets it."""
    name = field_name(field)
    option = _option_for(field)
    return f"{option} ({name})" if option and name else option or name


def _option_for(field: str | None) -> str | None:
    ctx = click.get_current_context(silent=True)
    if not field or ctx is None:
        return None
    wanted = (field.replace(".", "_"), field.rsplit(".", 1)[-1], field.split(".", 1)[0])
    for param in ctx.command.params:
        if isinstance(param, click.Option) and param.name in wanted:
            return " / ".join(o for o in param.opts if o.startswith("--"))
    return None
