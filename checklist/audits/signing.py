"""Signatures on the device: at 完成检查 the inspectors and the 被检查单位's representative sign on
the screen. A signature is kept with the audit — who signed (name, 职务, as whom), when (the
project's clock), and the PNG by its SHA-256 — and a signed audit's answers no longer change."""

from __future__ import annotations

import datetime as dt

from checklist import dates
from checklist.audits.audit import Audit
from checklist.audits.fields import checked_text
from checklist.errors import Refusal
from checklist.vocabulary import SIGNER_ROLES

LATE_CLOCK = dt.timedelta(minutes=5)  # a device's clock a little ahead of the server's is still believed


def signed_at(value: object, audit_date: str, now: dt.datetime | None = None) -> str:
    """When it was signed: the device's time when it is plausible (a signature given offline is
    sent later), else now; ISO 8601 with the project's zone offset, to the second."""
    now = now or dates.now()
    when = now
    if isinstance(value, str) and value:
        try:
            given = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            given = None
        if given is not None and given.tzinfo is not None:
            local = given.astimezone(dates.zone())
            if local.date() >= dt.date.fromisoformat(audit_date) and local <= now + LATE_CLOCK:
                when = local
    return when.astimezone(dates.zone()).isoformat(timespec="seconds")


def add_signature(audit: Audit, *, role: object, name: object, title: object, image: str, sha256: str, at: str) -> dict:
    """Record one signature (the image already kept at ``image``, relative to the audit's folder)."""
    if role not in SIGNER_ROLES:
        raise Refusal("value.choice", "signature.role", value=str(role), allowed=list(SIGNER_ROLES.values()))
    signer = {
        "role": role,
        "name": checked_text("signature.name", name, required=True),
        "title": checked_text("signature.title", title, required=role == "unit"),
        "at": at,
        "image": image,
        "sha256": sha256,
    }
    if not signer["title"]:
        del signer["title"]
    for kept in audit.signatures:  # the same signature sent again (a reply lost on the way back): kept once
        if kept["sha256"] == sha256 and kept["role"] == role and kept["name"] == signer["name"]:
            return kept
    audit.signatures.append(signer)
    return signer
