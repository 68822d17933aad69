"""What an audit must be before it is written: the values from options and prompts checked with
the audit schema's own rules (not blank, length limits) and the loader's refused characters, so
an audit is never written that its own validation would reject."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checklist.errors import UsageError
from checklist.files.loader import text_problem
from checklist.files.schemas import data_problems, value_problems

SCHEMA = "audit.schema.json"
FIELD_OPTIONS = {
    "target.name": "--target",
    "target.address": "--address",
    "target.kind": "--target-kind",
    "inspectors": "--inspector",
    "title": "--title",
    "date": "--date",
}


def check_fields(head: dict, checks: list[dict]) -> None:
    """Refuse, before anything is written, an audit its own validation would reject: the schema's
    rules (not blank, length limits) and the loader's refused characters, naming the option each
    bad value came from."""
    found = data_problems(head | {"checks": checks}, SCHEMA)
    found += [(path, why) for path, value in _texts(head, []) if (why := text_problem(value))]
    if found:
        raise UsageError("; ".join(f"{_field(path)}: {why}" for path, why in found) + _hint(head))


# where the rules for the texts an inspector types are, in the audit schema
TEXT_FIELDS = {
    "note": "$defs/check/properties/note",
    "reason": "$defs/check/properties/reason",
    "measure": "$defs/finding/properties/measure",
    "owner": "$defs/finding/properties/owner",
}


def text_field_problem(field_name: str, value: str) -> str | None:
    """Why a typed ``note``, ``reason``, ``measure`` or ``owner`` would make the audit invalid
    (blank, too long, a refused character), or None: asked before the answer is recorded."""
    found = value_problems(value, SCHEMA, TEXT_FIELDS[field_name])
    return found[0] if found else text_problem(value)


def _texts(value: Any, path: list) -> Iterable[tuple[list, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, [*path, k])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, [*path, i])


def _hint(head: dict) -> str:
    return " (give --target NAME, or a facts file that names the target)" if not head.get("target", {}).get("name") else ""


def _field(path: list) -> str:
    name = ".".join(str(p) for p in path if isinstance(p, str)) or "audit"
    option = FIELD_OPTIONS.get(name)
    return f"{option} ({name})" if option else name
