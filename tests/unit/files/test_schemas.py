"""The shipped schemas: valid draft 2020-12, with an $id, and help text on every property."""

from __future__ import annotations

import json

import jsonschema
import pytest
from paths import ROOT

SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))


def properties(node, path="#"):
    """Every property definition in a schema, with where it is."""
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{path}/properties/{name}", sub
        for key, sub in node.items():
            if key in ("if", "const", "enum", "default"):  # conditions name properties, they don't define them
                continue
            if key == "properties":
                for name, prop in sub.items():
                    yield from properties(prop, f"{path}/properties/{name}")
                continue
            yield from properties(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from properties(sub, f"{path}/{i}")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_and_documented(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + path.name)
    assert schema.get("title") and schema.get("description")
    undocumented = [
        where for where, prop in properties(schema) if not (isinstance(prop, dict) and prop.get("title") and prop.get("description"))
    ]
    assert not undocumented, undocumented


def test_every_bundled_yaml_names_its_schema():
    for path in sorted((ROOT / "catalogs").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
