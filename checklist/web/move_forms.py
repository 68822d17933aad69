"""The forms of a hazard's moves on its page (and the fields the API takes for them): which moves
the web offers, each move's fields with their labels and input types, and a move's fields read
from a form or JSON — each text checked once (``files.values``), a report file checked by its
first bytes. The lifecycle table still decides (``hazards.judge``)."""

from __future__ import annotations

from typing import Any

from checklist.vocabulary import BASIS_OTHER, CRITERIA, PLAN_PARTS

# the moves a page offers (re-checks come from audits)
WEB_ACTIONS = (
    "start",
    "rectify",
    "pass",
    "fail",
    "request-extension",
    "approve-extension",
    "refuse-extension",
    "extend",
    "grade",
    "plan",
    "supervise",
    "assess",
    "signoff",
    "revoke",
)
PLAN_FIELDS = tuple(f"plan_{k}" for k in PLAN_PARTS) + ("plan_author",)
FIELDS = {  # a move's form fields: name -> (label, input type)
    "measure": ("整改措施（完成情况）", "textarea"),
    "reason": ("理由 / 复查意见", "textarea"),
    "due": ("新的整改期限", "date"),
    "approver": ("批准人", "text"),
    "supervisor_unit": ("督办单位", "text"),
    "deadline": ("督办期限", "date"),
    "number": ("督办编号", "text"),
    "basis": (f"定级依据（{CRITERIA}条目，或填“{BASIS_OTHER}”）", "text"),
    "basis_reason": (f"定级理由（依据为“{BASIS_OTHER}”时必填）", "textarea"),
    **{f"plan_{k}": (f"治理方案·{title}", "textarea") for k, title in PLAN_PARTS.items()},
    "plan_author": ("方案制定人（本单位主要负责人）", "text"),
    "assessor": ("评估人（单位）", "text"),
    "conclusion": ("评估结论", "textarea"),
    "attachment": ("评估报告（PDF 或图片）", "file"),
    "opinion": ("督办销号意见", "textarea"),
    "supervisor_consent": ("督办单位同意延期意见（新期限超过督办期限时填写）", "text"),
}
LABELS = {  # a field's label where a move means something else by it
    ("rectify", "measure"): "整改完成情况",
    ("pass", "reason"): "复查意见",
    ("fail", "reason"): "复查意见（不通过的理由）",
    ("request-extension", "due"): "申请延至",
    ("request-extension", "reason"): "申请延期理由",
    ("refuse-extension", "reason"): "不予延期理由",
    ("extend", "reason"): "延期理由",
    ("revoke", "reason"): "撤销理由",
}
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "start": (),
    "rectify": ("measure",),
    "pass": ("reason",),
    "fail": ("reason", "due", "measure"),
    "request-extension": ("due", "reason"),
    "approve-extension": ("supervisor_consent",),
    "refuse-extension": ("reason",),
    "extend": ("due", "reason", "supervisor_consent"),
    "grade": ("basis", "basis_reason"),
    "plan": PLAN_FIELDS,
    "supervise": ("supervisor_unit", "deadline", "number"),
    "assess": ("assessor", "conclusion", "attachment"),
    "signoff": ("opinion",),
    "revoke": ("reason", "approver"),
}
PHOTO_ACTIONS = ("rectify",)
DANGER = ("fail", "revoke", "refuse-extension")  # moves whose button says so by its colour


def label(action: str, name: str) -> str:
    return LABELS.get((action, name), FIELDS[name][0])


def prefill(row: dict, action: str) -> dict[str, str]:
    """What a form shows before the user types: the plan and the grading as the hazard holds them."""
    if action == "plan":
        return {name: row.get(name) or "" for name in PLAN_FIELDS}
    if action == "grade":
        return {"basis": row.get("basis") or "", "basis_reason": row.get("basis_reason") or ""}
    return {}


def read_fields(action: str, data: Any) -> dict[str, Any]:
    """A move's fields from a form or JSON (a file field is read by the caller), each checked."""
    from checklist.files import values
    from checklist.register import lifecycle

    fields: dict[str, Any] = {}
    for name in ACTION_FIELDS[action]:
        kind = FIELDS[name][1]
        raw = data.get(name)
        if kind == "file":
            continue
        if kind == "date":
            fields[name] = values.date(name, raw) if str(raw or "").strip() else None
        else:
            fields[name] = values.text(name, raw, longest=lifecycle.FIELD_LIMITS.get(name))
    return fields


def request_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as ``hazards.Request`` takes them: the plan's parts together."""
    plan = {k: fields.pop(k) for k in list(fields) if k in PLAN_FIELDS}
    out = {k: v for k, v in fields.items() if v}
    return out | ({"plan": plan} if plan else {})
