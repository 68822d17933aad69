"""What a hazard's moves carry besides their fields: the signatures given at a 复查 (drawn on the
screen, kept as the move's evidence under a name that says who signed), and the photos and
signatures the 整改复查意见书 prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import g

from checklist import vocabulary

SIGNED_ACTIONS = ("pass", "fail")  # 复查: the inspector and the unit sign on the device
SIGNATURE_NAME = "签名-"  # a 复查 signature is kept as the move's evidence under this name: 签名-<role>-<name>.png


def is_signature(ev: dict) -> bool:
    return str(ev.get("name", "")).startswith(SIGNATURE_NAME)


def signatures_of(data: Any, action: str) -> list[tuple[str, str, str, bytes]]:
    """Signatures given with a 复查 (the page's pads, or the API's ``signatures`` list): (role,
    name, title, PNG) each, checked; kept as the move's evidence."""
    from checklist.audits.fields import checked_text
    from checklist.web.signatures import png_of

    if action not in SIGNED_ACTIONS:
        return []
    given = data.get("signatures") if isinstance(data.get("signatures"), list) else None
    if given is None:  # a form: one pad per role
        given = [
            {
                "role": role,
                "image": data.get(f"sign_{role}"),
                "name": data.get(f"sign_{role}_name"),
                "title": data.get(f"sign_{role}_title"),
            }
            for role in vocabulary.SIGNER_ROLES
            if data.get(f"sign_{role}")
        ]
    out = []
    for item in given:
        if not isinstance(item, dict) or item.get("role") not in vocabulary.SIGNER_ROLES:
            raise _bad_role()
        role = item["role"]
        name = checked_text("signature.name", item.get("name") or (g.user.name if role == "inspector" else ""), required=True)
        title = checked_text("signature.title", item.get("title"), required=role == "unit")
        out.append((role, name.replace("/", "／"), title.replace("/", "／"), png_of(item.get("image"))))
    return out


def _bad_role() -> Exception:
    from checklist.errors import Refusal

    return Refusal("value.choice", "signature.role", value="", allowed=list(vocabulary.SIGNER_ROLES.values()))


def paper_photos(row: dict, review: dict, after: list[Path], stored: Callable[[str], Path | None]) -> dict:
    """The photos before (the inspector's, from the audit) and after (the unit's rectification)
    for the 复查意见书, and the signatures given at the 复查 itself."""
    import json

    from checklist.dates import zone

    def beijing_time(stamp: str) -> str:
        return dt.datetime.fromisoformat(stamp).astimezone(zone()).strftime("%Y-%m-%d %H:%M")

    folder = Path(row["audit_path"]).parent.resolve()
    before = [p for p in ((folder / n).resolve() for n in row["photos"].split("\n") if n) if p.is_relative_to(folder) and p.is_file()]
    given = review["evidence"]
    signs = []
    for ev in json.loads(given) if isinstance(given, str) else given:
        path = stored(ev["sha256"])
        if is_signature(ev) and path is not None:
            parts = Path(ev["name"]).stem.split("-")  # 签名-<n>-<role name>-<name>[-<title>]
            role = next((r for r, t in vocabulary.SIGNER_ROLES.items() if t == parts[2]), "unit") if len(parts) > 3 else "unit"
            signs.append({"role": role, "who": " ".join(parts[3:]), "path": path, "when": beijing_time(str(review["at"]))})
    return {"before": before, "after": after, "signatures": signs}
