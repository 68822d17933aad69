"""The shipped JSON Schemas, compiled once, and schema errors turned into located problems."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from checklist.errors import Problem, UsageError
from checklist.files import atomic
from checklist.files.loader import Document
from checklist.files.resources import data_dir
from checklist.i18n import N_, _, language

if TYPE_CHECKING:  # jsonschema is imported only to explain an invalid file: valid ones never need it
    import jsonschema
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

_MAX_SHOWN = 60  # characters of an offending value quoted in a message


@cache
def _schemas() -> dict[str, dict]:
    """Every schema of the schemas folder, by file name."""
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(data_dir("schemas").glob("*.schema.json"))}


@cache
def _registry() -> tuple[Registry, dict[str, dict]]:
    """The schemas for jsonschema; $refs between them resolve offline."""
    from referencing import Registry, Resource

    by_name = _schemas()
    return Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in by_name.values()]), by_name


def schema(name: str) -> dict:
    """The schema stored as ``schemas/<name>``."""
    return _schemas()[name]


def export(folder: Path) -> list[Path]:
    """Copy every shipped schema into ``folder`` (atomically, replacing older copies), so editors
    and other tools can validate files against them."""
    written = []
    for path in sorted(data_dir("schemas").glob("*.schema.json")):
        target = folder / path.name
        atomic.write_bytes(target, path.read_bytes())
        written.append(target)
    return written


MODELINE = "# yaml-language-server: $schema={}"


def modeline(name: str, written: Path, schemas: Path | None = None) -> str:
    """The '# yaml-language-server: $schema=…' line for a file about to be written at ``written``,
    naming schema ``name`` by a path an editor resolves: relative to the file, into the folder
    ``schemas`` (e.g. from `checklist schemas export`) or else the nearest ``schemas/`` folder up
    the tree that holds it; failing both, the installed schema's absolute path."""
    here = Path(os.path.abspath(written)).parent
    if schemas is not None:
        folder = Path(os.path.abspath(schemas))
        if not (folder / name).is_file():
            raise UsageError(
                _("{folder} holds no {name}: write the schemas there with `checklist schemas export {folder}`").format(
                    folder=schemas, name=name
                )
            )
    else:
        found = next((d / "schemas" for d in (here, *here.parents) if (d / "schemas" / name).is_file()), None)
        if found is None:
            return MODELINE.format((data_dir("schemas") / name).resolve().as_posix())
        folder = found
    return MODELINE.format(Path(os.path.relpath(folder / name, here)).as_posix())


@cache
def validator(name: str) -> jsonschema.protocols.Validator:
    import jsonschema

    registry, by_name = _registry()
    cls = jsonschema.validators.validator_for(by_name[name])
    return cls(by_name[name], registry=registry, format_checker=jsonschema.FormatChecker(formats=["date"]))


@cache
def _fast_validator(name: str):
    return jsonschema_rs.validator_for(schema(name), validate_formats=True, registry=_rs_registry(), offline=True)


@cache
def _rs_registry():
    return jsonschema_rs.Registry([(s["$id"], s) for s in _schemas().values()])


def schema_problems(doc: Document, schema_name: str) -> list[Problem]:
    """Every schema error of ``doc``, each at the line and column of the value at fault.

    A compiled (Rust) validator answers "valid?" in milliseconds; only an invalid document is
    walked again by jsonschema, whose error tree gives the messages and the closest oneOf branch.
    """
    if _fast_validator(schema_name).is_valid(doc.data):
        return []
    v = validator(schema_name)
    problems = [_problem(doc, e, v.schema) for e in _leaves(v.iter_errors(doc.data))]
    problems.sort(key=lambda p: (p.line, p.column))
    return problems


def data_problems(data: Any, schema_name: str) -> list[tuple[list[str | int], str]]:
    """Schema errors of data not read from a file (options about to be written, a sheet's row):
    the path of each value at fault — for a missing property, the property's — and the message."""
    if _fast_validator(schema_name).is_valid(data):
        return []
    found = []
    for e in _leaves(validator(schema_name).iter_errors(data)):
        path = list(e.absolute_path)
        if e.validator == "required" and isinstance(e.instance, dict):
            path += [k for k in _value(e) if k not in e.instance][:1]
        if (path, _message(e)) not in found:
            found.append((path, _message(e)))
    return found


def value_problems(value: Any, schema_name: str, pointer: str) -> list[str]:
    """Why one value breaks the rules of the (ref-free) property at ``pointer`` in a schema, e.g.
    a note typed at a prompt against ``$defs/check/properties/note``: before it is recorded."""
    import jsonschema

    node: Any = schema(schema_name)
    for part in pointer.split("/"):
        node = node[part]
    v = jsonschema.validators.validator_for(schema(schema_name))(node)
    return [_message(e) for e in v.iter_errors(value)]


def _leaves(errors: Iterable[ValidationError]) -> Iterable[ValidationError]:
    """For a oneOf/anyOf failure, report what went wrong in the branch the value was meant for —
    the one whose required keys it has — or else the branch that came closest; unless every branch
    failed the same shallow way (wrong type, or a missing choice), where the summary says more."""
    for e in errors:
        if not (e.validator in ("oneOf", "anyOf") and e.context and _mixed(e)):
            yield e
            continue
        intended = _intended_branch(e)
        if intended is not None:
            yield from _leaves(c for c in e.context if c.relative_schema_path[0] == intended)
        else:
            from jsonschema.exceptions import best_match

            yield best_match(e.context)


def _value(e: ValidationError) -> Any:
    """The failing keyword's value, as the schema wrote it (the stubs type it loosely)."""
    return e.validator_value


def _schema(e: ValidationError) -> Any:
    return e.schema


def _mixed(e: ValidationError) -> bool:
    kinds = {c.validator for c in e.context if not c.relative_path}
    return not (kinds == {"type"} or kinds == {"required"})


def _intended_branch(e: ValidationError) -> int | None:
    """The one branch whose required keys all appear in the (object) value, if exactly one does."""
    if not isinstance(e.instance, dict):
        return None
    fits = [
        i
        for i, branch in enumerate(_value(e))
        if isinstance(branch, dict) and branch.get("required") and set(branch["required"]) <= set(e.instance)
    ]
    return fits[0] if len(fits) == 1 else None


def _problem(doc: Document, e: ValidationError, root: Any) -> Problem:
    path = list(e.absolute_path)
    message = _message(e)
    key = None
    if e.validator == "additionalProperties" and isinstance(e.instance, dict):
        extra = [k for k in e.instance if k not in _schema(e).get("properties", {})]
        if extra:
            key = extra[0]
            message = _("unknown property {name!r}").format(name=extra[0]) + _allowed(_schema(e))
    return doc.problem(path, message, _keyword_location(e, root), key=key)


def _message(e: ValidationError) -> str:
    v = e.validator
    value = _show(e.instance)
    if v == "required":
        missing = _missing(e)
        if "then" in e.schema_path and isinstance(e.instance, dict) and "result" in e.instance:
            return _("{name} is a required property when result is {result!r}").format(name=missing, result=e.instance["result"])
        return _("{name} is a required property").format(name=missing)
    if v == "type":
        return _("{value} is not of type {type!r}").format(value=value, type=_value(e)) + _expected(_schema(e))
    if v == "enum":
        return _("{value} is not one of {allowed}").format(value=value, allowed=", ".join(map(str, _value(e))))
    if v == "pattern" and _value(e) == r"\S":
        return _("{value} is blank: write some text").format(value=value) if e.instance else _("must not be empty")
    if v == "pattern":
        return _("{value} does not match {pattern!r}").format(value=value, pattern=_value(e)) + _expected(_schema(e))
    if v == "format" and _value(e) == "date":
        return _("{value} is not a valid date: write a real date as YYYY-MM-DD").format(value=value)
    if v == "format":
        return _("{value} is not a valid {format}").format(value=value, format=_value(e))
    if v in ("oneOf", "anyOf"):
        types = [s["type"] for s in _value(e) if "type" in s]
        if not isinstance(e.instance, dict) and len(types) == len(_value(e)):
            return _("{value} is not of type {types}").format(value=value, types=_(" or ").join(map(repr, types)))
        keys = ["/".join(s.get("required", [])) for s in _value(e)]
        if all(keys):
            return _("needs exactly one of: {keys}").format(keys=", ".join(keys))
    if v in ("minLength", "minItems") and not e.instance:
        return _("must not be empty")
    if v == "maxLength" and isinstance(e.instance, str):
        return _("{length} characters, more than the {limit} allowed").format(length=f"{len(e.instance):,}", limit=f"{_value(e):,}")
    return _other(e, value)


def _missing(e: ValidationError) -> str:
    """The property a ``required`` error names, as the validator shows it (``'id'``)."""
    return e.message.removesuffix(" is a required property")


def _other(e: ValidationError, value: str) -> str:
    """The other keywords, in the reader's language; the validator's own words for any not listed."""
    v, limit = e.validator, _value(e)
    words = {
        "minLength": N_("{value} is too short: at least {limit} characters"),
        "maxLength": N_("{value} is too long: at most {limit} characters"),
        "minItems": N_("{value} has too few items: at least {limit}"),
        "maxItems": N_("{value} has too many items: at most {limit}"),
        "minimum": N_("{value} is less than the minimum of {limit}"),
        "maximum": N_("{value} is more than the maximum of {limit}"),
        "exclusiveMinimum": N_("{value} must be more than {limit}"),
        "exclusiveMaximum": N_("{value} must be less than {limit}"),
        "uniqueItems": N_("{value} has repeated items"),
        "const": N_("{value} must be {limit}"),
        "minProperties": N_("{value} must not be empty"),
        "additionalProperties": N_("{value} has properties that are not allowed"),
        "not": N_("{value} is not allowed here"),
        "oneOf": N_("{value} matches none, or more than one, of the forms allowed here"),
        "anyOf": N_("{value} matches none of the forms allowed here"),
        "dependentRequired": N_("{value} lacks a property that another one needs"),
    }
    if v in words:
        return _(words[v]).format(value=value, limit=limit)
    return e.message.replace(repr(e.instance), value) if len(repr(e.instance)) > _MAX_SHOWN else e.message


def _expected(schema: dict) -> str:
    title = schema.get("title")
    if language() != "en":  # the schemas' titles and descriptions are written for editors, in English
        return ""
    return f" ({title}: {schema['description']})" if title and schema.get("description") else ""


def _allowed(schema: dict) -> str:
    names = list(schema.get("properties", {}))
    return _("; allowed: {names}").format(names=", ".join(names)) if names else ""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "...'"


def _keyword_location(e: ValidationError, root: dict) -> str:
    """Where in the schema the failed keyword is, through local $refs: e.g. #/$defs/clause/required.
    (jsonschema leaves the $ref hops out of schema_path, so they are followed here.)"""
    pointer: list[str] = []
    node: Any = root
    for part in e.absolute_schema_path:
        while isinstance(node, dict) and part not in node and str(node.get("$ref", "")).startswith("#/"):
            pointer = node["$ref"][2:].split("/")
            node = root
            for p in pointer:
                node = node[p]
        pointer.append(str(part))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return "#/" + "/".join(pointer)
