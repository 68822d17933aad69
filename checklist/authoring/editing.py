"""Changes a reviewer makes to a draft catalog, one at a time, as data: a field of the document or
of a clause, a clause added, split, merged with the next or deleted, a unit declared or renamed,
a finding of the quality report marked reviewed. Each typed value is checked on its way in
(``files.values``: storable and printable text); what the catalog as a whole must be is then
checked as ``validate`` checks it (``draft_check``), so a change that leaves the draft invalid is
kept and its problems are shown on their fields until they are put right.

A draft here is plain data: ``{"catalog": {...}, "findings": [...]}`` — the catalog as the file
will hold it, and the findings each with the clause it is on."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from checklist.errors import Refusal
from checklist.files import values
from checklist.model.catalog import nfkc
from checklist.vocabulary import LEAD, SUPPORT

LONGEST = {"text": 20000, "note": 4000, "ref": 200, "chapter": 500, "section": 500, "heading": 500, "id": 64}
SOURCE_FIELDS = ("doc_no", "issuer", "issued", "published_in", "part")
CLAUSE_FIELDS = ("id", "ref", "chapter", "section", "heading", "text", "note", "fields", "tags", "responsible", "checks", "recurrence")


def apply(draft: dict, op: dict, by: str, at: str) -> dict:
    """``draft`` with the change ``op`` made (a new object: the given one is left as it was); a
    Refusal when the change cannot be made at all (an unknown clause, a text with a refused
    character)."""
    if not isinstance(op, dict) or op.get("op") not in OPS:
        raise Refusal("catalog.op", "draft", op=str(op.get("op") if isinstance(op, dict) else op))
    out = copy.deepcopy(draft)
    OPS[op["op"]](out, op, by, at)
    return out


def _clauses(draft: dict) -> list[dict]:
    return draft["catalog"]["clauses"]


def _index(draft: dict, cid: Any) -> int:
    for i, c in enumerate(_clauses(draft)):
        if c.get("id") == cid:
            return i
    raise Refusal("catalog.unknown_clause", "clause", clause=str(cid))


def _meta(draft: dict, op: dict, by: str, at: str) -> None:
    name = op.get("field")
    if name == "title":
        draft["catalog"]["title"] = values.text("catalog.title", op.get("value"), longest=500)
        return
    if name not in SOURCE_FIELDS:
        raise Refusal("catalog.op", "draft", op=f"meta {name}")
    value = values.text(f"catalog.{name}", op.get("value"), longest=500)
    if name == "issued" and value:
        value = values.date("catalog.issued", value).isoformat()
    source = draft["catalog"].setdefault("source", {})
    if value:
        source[name] = value
    else:
        source.pop(name, None)


def _clause(draft: dict, op: dict, by: str, at: str) -> None:
    clause = _clauses(draft)[_index(draft, op.get("clause"))]
    name, value = op.get("field"), op.get("value")
    if name not in CLAUSE_FIELDS:
        raise Refusal("catalog.op", "draft", op=f"clause {name}")
    field = f"clause.{name}"
    if name in LONGEST:
        value = values.text(field, value, longest=LONGEST[name])
        if name == "id":
            for f in draft["findings"]:
                if f.get("clause") == clause["id"]:
                    f["clause"] = value
        if value or name in ("id", "ref", "text"):  # these stay, empty, for the schema to say so on their field
            clause[name] = value
        else:
            clause.pop(name, None)
        return
    if name == "fields":
        fields = {
            values.text(field, k, required=True, longest=100): values.text(field, v, longest=20000) for k, v in _dict(field, value).items()
        }
        _set(clause, name, fields)
    elif name == "tags":
        _set(clause, name, list(dict.fromkeys(t for t in (values.text(field, x, longest=100) for x in _list(field, value)) if t)))
    elif name == "responsible":
        _set(clause, name, _responsible(field, value))
    elif name == "checks":
        _set(clause, name, _checks(field, value, clause))
    else:  # recurrence: data the schema describes
        _set(clause, name, _plain(field, value) if value else None)


def _set(clause: dict, key: str, value: Any) -> None:
    if value in (None, [], {}, ""):
        clause.pop(key, None)
    else:
        clause[key] = value


def _list(field: str, value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Refusal("value.not_text", field)
    return value


def _dict(field: str, value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Refusal("value.not_text", field)
    return value


def _plain(field: str, value: Any) -> Any:
    """JSON-like data with every text in it checked (a recurrence's note, reason, dates)."""
    if isinstance(value, str):
        return values.text(field, value, longest=4000)
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, list):
        return [_plain(field, x) for x in value]
    if isinstance(value, dict):
        return {values.text(field, k, required=True, longest=100): _plain(field, v) for k, v in value.items() if v is not None}
    raise Refusal("value.not_text", field)


def _responsible(field: str, value: Any) -> list:
    """Lead units first (as plain ids), then supporting ones; a unit once."""
    leads: list[str] = []
    supports: list[str] = []
    for entry in _list(field, value):
        unit = values.text(field, entry.get("unit") if isinstance(entry, dict) else entry, required=True, longest=64)
        role = entry.get("role", LEAD) if isinstance(entry, dict) else LEAD
        if role not in (LEAD, SUPPORT):
            raise Refusal("value.choice", field, value=str(role), allowed=[LEAD, SUPPORT])
        if unit not in leads and unit not in supports:
            (leads if role == LEAD else supports).append(unit)
    return leads + [{"unit": u, "role": SUPPORT} for u in supports]


def _checks(field: str, value: Any, clause: dict) -> list:
    """The questions as the page lists them: an existing one (by id) keeps what the page does not
    edit (a rule, a computed value, kinds); a new one gets the next free id (A3-b after A3-a)."""
    old = {k.get("id"): k for k in clause.get("checks", ()) if isinstance(k, dict)}
    out: list[dict] = []
    for entry in _list(field, value):
        if not isinstance(entry, dict):
            raise Refusal("value.not_text", field)
        kid = entry.get("id")
        check = dict(old[kid]) if kid in old else {"id": _free_check_id(clause, out)}
        check["ask"] = values.text(field, entry.get("ask"), longest=2000)
        for key in ("evidence", "applies_to"):
            if key in entry:
                items = [x for x in (values.text(field, v, longest=500) for v in _list(field, entry[key])) if x]
                _set(check, key, list(dict.fromkeys(items)))
        out.append(check)
    return out


def _free_check_id(clause: dict, taken: list[dict]) -> str:
    used = {k.get("id") for k in [*clause.get("checks", ()), *taken] if isinstance(k, dict)}
    n = 0
    while True:
        n += 1
        letters, k = "", n
        while k:
            k, r = divmod(k - 1, 26)
            letters = chr(97 + r) + letters
        if f"{clause['id']}-{letters}" not in used:
            return f"{clause['id']}-{letters}"


def _free_id(draft: dict, base: str, start: int) -> str:
    """The first id ``base`` + n (n from ``start``) that no clause or question has."""
    used = {c.get("id") for c in _clauses(draft)} | {
        k.get("id") for c in _clauses(draft) for k in c.get("checks", ()) if isinstance(k, dict)
    }
    n = start
    while f"{base}{n}" in used:
        n += 1
    return f"{base}{n}"


def _add(draft: dict, op: dict, by: str, at: str) -> None:
    """A clause the import missed, after ``after`` (or first): its reference and text as printed."""
    ref = values.text("clause.ref", op.get("ref"), required=True, longest=LONGEST["ref"])
    text = values.text("clause.text", op.get("text"), required=True, longest=LONGEST["text"])
    clauses = _clauses(draft)
    where = _index(draft, op["after"]) + 1 if op.get("after") else 0
    near = clauses[where - 1] if where else (clauses[0] if clauses else {})
    clause: dict = {"id": _free_id(draft, "N", 1), "ref": ref}
    for key in ("chapter", "section"):
        if near.get(key):
            clause[key] = near[key]
    clause["text"] = text
    clauses.insert(where, clause)


def _split(draft: dict, op: dict, by: str, at: str) -> None:
    """The clause's text cut at ``at`` (a character offset): the rest becomes a clause of its own
    after it, with the same reference, chapter, units and place in the source."""
    i = _index(draft, op.get("clause"))
    clause = _clauses(draft)[i]
    text = clause.get("text", "")
    cut = op.get("at")
    if not isinstance(cut, int) or isinstance(cut, bool) or not 0 < cut < len(text) or not text[:cut].strip() or not text[cut:].strip():
        raise Refusal("catalog.split", "clause.split", clause=clause["id"])
    rest = {k: copy.deepcopy(v) for k, v in clause.items() if k in ("ref", "chapter", "section", "responsible", "source_place")}
    clause["text"] = text[:cut].strip()
    new = {"id": _free_id(draft, clause["id"] + ".", 2), **rest, "text": text[cut:].strip()}
    _clauses(draft).insert(
        i + 1, {k: new[k] for k in ("id", "ref", "chapter", "section", "text", "responsible", "source_place") if k in new}
    )


def _merge(draft: dict, op: dict, by: str, at: str) -> None:
    """The clause and the one after it as one: texts (or labelled fields) joined, units, questions
    and tags together, its place in the source widened; the findings of both on it."""
    i = _index(draft, op.get("clause"))
    clauses = _clauses(draft)
    if i + 1 >= len(clauses):
        raise Refusal("catalog.merge", "clause", clause=clauses[i]["id"])
    a, b = clauses[i], clauses.pop(i + 1)
    if "text" in a or "text" in b:
        a["text"] = "\n".join(x for x in (_text(a), _text(b)) if x)
        a.pop("fields", None)
    else:
        fields = dict(a.get("fields", {}))
        for label, v in b.get("fields", {}).items():
            fields[label] = "\n".join(x for x in (fields.get(label, ""), v) if x)
        a["fields"] = fields
    units = [x if isinstance(x, dict) else {"unit": x, "role": LEAD} for x in a.get("responsible", []) + b.get("responsible", [])]
    _set(a, "responsible", _responsible("clause.responsible", units))
    _set(a, "checks", a.get("checks", []) + b.get("checks", []))
    _set(a, "tags", list(dict.fromkeys(a.get("tags", []) + b.get("tags", []))))
    _set(a, "note", "；".join(x for x in (a.get("note", ""), b.get("note", "")) if x))
    pa, pb = a.get("source_place"), b.get("source_place")
    if pa and pb and all(pa.get(k) == pb.get(k) for k in ("kind", "table", "page")):
        if pa["kind"] == "table":
            pa["to"] = max(pa.get("to", pa["row"]), pb.get("to", pb["row"]))
        else:
            pa["to"] = max(pa["to"], pb["to"])
    for f in draft["findings"]:
        if f.get("clause") == b["id"]:
            f["clause"] = a["id"]


def _text(clause: dict) -> str:
    if "text" in clause:
        return clause["text"]
    return "\n".join(f"{label}：{v}" for label, v in clause.get("fields", {}).items())


def _delete(draft: dict, op: dict, by: str, at: str) -> None:
    clause = _clauses(draft).pop(_index(draft, op.get("clause")))
    for f in draft["findings"]:
        if f.get("clause") == clause["id"]:
            f.update(deleted=True, reviewed_by=by, reviewed_at=at)


def _review(draft: dict, op: dict, by: str, at: str) -> None:
    finding = next((f for f in draft["findings"] if f.get("id") == op.get("finding")), None)
    if finding is None:
        raise Refusal("catalog.unknown_finding", "review", finding=str(op.get("finding")))
    if op.get("reviewed", True):
        finding.update(reviewed_by=by, reviewed_at=at)
    else:
        finding.pop("reviewed_by", None)
        finding.pop("reviewed_at", None)


def unit_id(name: str) -> str:
    """A unit's id from its name, as the importer makes them (the same name, the same id)."""
    return "u-" + hashlib.sha1(nfkc(name).encode()).hexdigest()[:8]


def _unit(draft: dict, op: dict, by: str, at: str) -> None:
    """A unit declared (no ``unit``) or renamed, with its aliases."""
    name = values.text("unit.name", op.get("name"), required=True, longest=200)
    aliases = [x for x in (values.text("unit.aliases", a, longest=200) for a in _list("unit.aliases", op.get("aliases"))) if x]
    units = draft["catalog"]["units"]
    if op.get("unit"):
        unit = next((u for u in units if u.get("id") == op["unit"]), None)
        if unit is None:
            raise Refusal("catalog.unknown_unit", "unit", unit=str(op["unit"]))
    else:
        unit = {"id": unit_id(name)}
        units.append(unit)
    unit["name"] = name
    _set(unit, "aliases", list(dict.fromkeys(aliases)))


def _unit_delete(draft: dict, op: dict, by: str, at: str) -> None:
    units = draft["catalog"]["units"]
    uid = op.get("unit")
    used = [c["id"] for c in _clauses(draft) if uid in _units_named(c)]
    used += [g.get("id", "") for g in draft["catalog"].get("unit_groups", ()) if uid in g.get("members", ())]
    if used:
        raise Refusal("catalog.unit_in_use", "unit", unit=str(uid), clauses=used[:5])
    before = len(units)
    units[:] = [u for u in units if u.get("id") != uid]
    if len(units) == before:
        raise Refusal("catalog.unknown_unit", "unit", unit=str(uid))


def _units_named(clause: dict) -> set:
    """The unit ids a clause names: its responsible units and its questions' applies_to."""
    named = {x["unit"] if isinstance(x, dict) else x for x in clause.get("responsible", ())}
    return named | {u for k in clause.get("checks", ()) if isinstance(k, dict) for u in k.get("applies_to", ())}


OPS = {
    "meta": _meta,
    "clause": _clause,
    "add": _add,
    "split": _split,
    "merge": _merge,
    "delete": _delete,
    "review": _review,
    "unit": _unit,
    "unit_delete": _unit_delete,
}
