"""A draft catalog checked as ``validate`` checks a catalog file — the data publishing will write,
as a YAML document loaded by the one loader and checked by the catalog schema and the catalog
cross-checks — with each problem taken back from its line and column to the field it is about
(a clause and one of its fields, the document's title or 文号, a unit), so a page can show it
there; and the placeholders an import leaves (待填写…) that must be replaced before publishing."""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from checklist.authoring.draft_yaml import _Dumper, _Flow
from checklist.authoring.source_details import TODO
from checklist.files.kinds import KINDS, problems_of
from checklist.files.loader import loads
from checklist.model import catalog_checks  # noqa: F401  (registers the catalog cross-checks)

ORDER = ("id", "version", "title", "source", "units", "unit_groups", "kinds", "facts", "tables", "clauses")


def catalog_yaml(catalog: dict, head: Iterable[str] = ()) -> str:
    """The catalog as a YAML file, written as the bundled catalogs are (lists indented, long
    texts as blocks, a clause's place in the source on one line), after ``head`` as comments."""
    data = _ordered(catalog)
    if isinstance(data.get("clauses"), list):
        data["clauses"] = [
            c | {"source_place": _Flow(c["source_place"])} if isinstance(c, dict) and isinstance(c.get("source_place"), dict) else c
            for c in data["clauses"]
        ]
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 16)
    return "".join(f"# {line}\n" for line in head) + body


def _ordered(catalog: dict) -> dict:
    return {k: catalog[k] for k in ORDER if k in catalog} | {k: v for k, v in catalog.items() if k not in ORDER}


def problems(catalog: dict) -> list[dict]:
    """Every problem ``validate`` would report for the catalog, each as
    ``{"path", "clause", "field", "message", "check"}`` (``clause``: the id of the clause it is in;
    ``field``: the clause's field, or the document's — title, source.doc_no, units …), then the
    placeholders still to replace (check ``placeholder``)."""
    # the same data as a YAML document, written by libyaml's emitter (a tenth of the time of the
    # layout publishing gives it: only where each value stands matters here)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(_ordered(catalog), Dumper=dumper, allow_unicode=True, sort_keys=False, width=1 << 16)
    doc = loads(text, "draft.yaml")
    where = _positions(doc.root)
    out = []
    for p in problems_of(doc, KINDS["catalog"]):
        path = where.get((p.line, p.column), ())
        out.append(_located(catalog, path) | {"message": p.message, "check": p.schema_path.rsplit("/", 1)[-1]})
    out += [_located(catalog, path) | {"message": f"{TODO}: {value}", "check": "placeholder"} for path, value in placeholders(catalog)]
    return out


def placeholders(catalog: dict) -> list[tuple[tuple, str]]:
    """The places still holding an import's placeholder (a title or unit name starting 待填写)."""
    found: list[tuple[tuple, str]] = []
    if str(catalog.get("title", "")).startswith(TODO):
        found.append((("title",), catalog["title"]))
    for i, u in enumerate(catalog.get("units") or ()):
        if isinstance(u, dict) and str(u.get("name", "")).startswith(TODO):
            found.append((("units", i, "name"), u["name"]))
    return found


def _located(catalog: dict, path: tuple) -> dict:
    clause = None
    field = ".".join(map(str, path))
    if len(path) >= 2 and path[0] == "clauses" and isinstance(path[1], int):
        clauses = catalog.get("clauses") or []
        if path[1] < len(clauses) and isinstance(clauses[path[1]], dict):
            clause = clauses[path[1]].get("id")
        field = str(path[2]) if len(path) > 2 else ""
    elif path[:1] == ("units",) and len(path) >= 2 and isinstance(path[1], int):
        units = catalog.get("units") or []
        field = f"units.{units[path[1]].get('id', '')}" if path[1] < len(units) and isinstance(units[path[1]], dict) else "units"
    return {"path": "/".join(map(str, path)), "clause": clause, "field": field}


def _positions(root: yaml.Node | None) -> dict[tuple[int, int], tuple]:
    """(line, column) → the path of the value written there (the deepest, when several start at
    one place); keys too, where no value starts (a problem with an unknown key is put at it)."""
    values: dict[tuple[int, int], tuple] = {}
    keys: dict[tuple[int, int], tuple] = {}

    def walk(node: yaml.Node, path: tuple) -> None:
        values[(node.start_mark.line + 1, node.start_mark.column + 1)] = path
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                keys.setdefault((k.start_mark.line + 1, k.start_mark.column + 1), (*path, k.value))
                walk(v, (*path, k.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, (*path, i))

    if root is not None:
        walk(root, ())
    return keys | values
