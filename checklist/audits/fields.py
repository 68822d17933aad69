"""One check per field a person fills in on an audit, whatever the door (an option, a prompt, a
form, the API): the limits are the audit schema's own (not blank, length) and the loader's refused
characters, so nothing is accepted that the file's validation would then reject. A refusal is a
``Refusal`` naming the field; each surface words it."""

from __future__ import annotations

from functools import cache
from typing import Any

from checklist.errors import Refusal, UsageError
from checklist.files import values
from checklist.files.schemas import data_problems, schema

SCHEMA = "audit.schema.json"
# where each field's rules are in the audit schema
POINTERS = {
    "target.name": "properties/target/properties/name",
    "target.address": "properties/target/properties/address",
    "target.kind": "properties/target/properties/kind",
    "inspectors": "properties/inspectors/items",
    "title": "properties/title",
    "inspecting_body": "properties/inspecting_body",
    "note": "$defs/check/properties/note",
    "reason": "$defs/check/properties/reason",
    "finding.measure": "$defs/finding/properties/measure",
    "finding.owner": "$defs/finding/properties/owner",
    "finding.place": "$defs/finding/properties/place",
    "finding.interim_measures": "$defs/finding/properties/interim_measures",
    "signature.name": "$defs/signature/properties/name",
    "signature.title": "$defs/signature/properties/title",
    "finding.description": "$defs/finding/properties/description",
    "finding.basis": "$defs/finding/properties/basis",
    "finding.basis_reason": "$defs/finding/properties/basis_reason",
    **{
        f"finding.plan.{k}": f"$defs/finding/properties/plan/properties/{k}"
        for k in ("goal", "method", "funds", "team", "schedule", "safety")
    },
}


@cache
def rule(field: str) -> tuple[bool, int | None]:
    """(required, longest) of a text field, as its schema says: required when it must not be blank."""
    node: Any = schema(SCHEMA)
    for part in POINTERS[field].split("/"):
        node = node[part]
    return node.get("pattern") == r"\S", node.get("maxLength")


def checked_text(field: str, value: object, *, required: bool | None = None) -> str:
    """``value`` stripped, if the audit can hold it as ``field``; else the Refusal. ``required``
    overrides the schema's (a reason is needed only for 不适用; a measure only for a finding)."""
    must, longest = rule(field)
    return values.text(field, value, required=must if required is None else required, longest=longest)


checked_date = values.date


def check_head(head: dict) -> None:
    """Refuse, before anything is written, an audit head its own validation would reject: each typed
    field by its rules, then the whole head and checks by the schema (a wiring bug if that fails)."""
    target = head.get("target", {})
    for key in ("name", "address", "kind"):
        if key in target:
            target[key] = checked_text(f"target.{key}", target[key])
    if not target.get("name"):
        raise Refusal("value.required", "target.name")
    names = [checked_text("inspectors", n) for n in head.get("inspectors", [])]
    if not names:
        raise Refusal("value.required", "inspectors")
    head["inspectors"] = names
    for key in ("title", "inspecting_body"):
        if head.get(key):
            head[key] = checked_text(key, head[key])


def check_fields(head: dict, checks: list[dict]) -> None:
    """The whole would-be audit against its schema: every problem, for what no field check covers."""
    found = data_problems(head | {"checks": checks}, SCHEMA)
    if found:
        raise UsageError("; ".join(f"{'.'.join(str(p) for p in path) or 'audit'}: {why}" for path, why in found))
