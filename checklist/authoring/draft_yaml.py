"""A draft catalog written as YAML a reviewer can read: the modeline, long texts as block
scalars, and the placeholders still to fill listed at the top."""

from __future__ import annotations

from pathlib import Path

import yaml

from checklist.authoring.importer import Draft
from checklist.authoring.source_details import SOURCE_FIELDS, TODO
from checklist.files.schemas import modeline
from checklist.i18n import _


class _Dumper(yaml.SafeDumper):
    """Written as the bundled catalogs are: lists indented under their key, and multi-line texts
    as literal blocks, so paragraphs read as paragraphs."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


class _Flow(dict):
    """A mapping written on one line: a clause's place in the source."""


def _flow(dumper: yaml.SafeDumper, value: dict) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, _flow)


def draft_yaml(draft: Draft, path: Path = Path("draft.yaml"), schemas: Path | None = None, notes: list[str] | tuple[str, ...] = ()) -> str:
    """The draft as a catalog file to be written at ``path``: the schema modeline (see
    files.schemas.modeline), what to fill in, ``notes`` (the import report's layout, findings,
    ambiguous radicals), the lines not placed (with their numbers), then the catalog."""
    head = [
        modeline("catalog.schema.json", path, schemas),
        "# " + _("Draft made by the importer: check every clause against the source; questions are drafts."),
    ]
    todo = _placeholders(draft.catalog)
    if todo:
        head.append("# " + _("Placeholders to replace: {fields}").format(fields=", ".join(todo)))
    head += [f"# {line}" for line in notes]
    if draft.unplaced:
        head.append("# " + _("Lines not placed ({count}):").format(count=len(draft.unplaced)))
        head += [f"#   {number}: {text}" for number, text in draft.unplaced]
    else:
        head.append("# " + _("Every line was placed."))
    catalog = draft.catalog | {
        "clauses": [c | {"source_place": _Flow(c["source_place"])} if "source_place" in c else c for c in draft.catalog["clauses"]]
    }
    body = yaml.dump(catalog, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 16)
    return "\n".join(head) + "\n" + body


def _placeholders(catalog: dict) -> list[str]:
    values = {"title": catalog["title"], "units": catalog["units"][0]["name"]}
    todo = [key for key, v in values.items() if v.startswith(TODO)]
    return todo + [
        _("source.{key} ({name}: not found in the text)").format(key=k, name=name)
        for k, name in SOURCE_FIELDS.items()
        if k not in catalog["source"]
    ]
