"""An audit's identity: the id `audit new` writes in the file (a random UUID), so the audit stays
itself wherever its file is moved or however it is renamed. An audit made before ids has none:
it is known by what it was made with — catalog, selection, target, date, inspectors and the
checks it holds, none of which answering it changes — so the same file moved is still the same
audit, while a different audit is a different one."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

DERIVED = "c-"  # the prefix of an id derived from an audit's content


def new_id() -> str:
    return str(uuid.uuid4())


def derived_id(catalog: str, selection: dict, target: str, date: str, inspectors: list[str], checks: list[str]) -> str:
    """The id of an audit that carries none: SHA-256 of its content as made, canonical JSON."""
    made: dict[str, Any] = {
        "catalog": catalog,
        "selection": selection,
        "target": target,
        "date": date,
        "inspectors": inspectors,
        "checks": checks,
    }
    text = json.dumps(made, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return DERIVED + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
