"""The hazard lifecycle as a table: (status, action) → (new status, who may, what it needs).

The command line, the pages and the API all ask ``check``; nothing else decides whether a move
is allowed, and its refusals are data that each surface words. A 重大事故隐患 may not leave 待整改 (except by 撤销) until its 治理方案 has all six parts
(原国家安监总局令第16号 第十五条); 挂牌督办 is for 重大事故隐患 only (京广发〔2026〕11号 第四十条).
"""

from __future__ import annotations

from dataclasses import dataclass

from checklist.errors import MoveRefused
from checklist.files import values
from checklist.vocabulary import CLOSED, DOING, MAJOR, REVIEW, REVOKED, ROLES, TODO


@dataclass(frozen=True)
class Move:
    status: str  # from
    action: str
    to: str
    roles: tuple[str, ...]  # who may
    needs: tuple[str, ...] = ()  # fields the move must carry
    major_only: bool = False  # only for 重大事故隐患
    needs_plan: bool = False  # a 重大事故隐患 needs its six-part 治理方案 first


ADMIN_INSPECTOR = ("admin", "inspector")
ADMIN_UNIT = ("admin", "unit")

MOVES: tuple[Move, ...] = (
    Move(TODO, "amend", TODO, ADMIN_INSPECTOR),
    Move(TODO, "start", DOING, ADMIN_UNIT, needs_plan=True),
    Move(TODO, "rectify", REVIEW, ADMIN_UNIT, needs=("measure",), needs_plan=True),
    Move(DOING, "rectify", REVIEW, ADMIN_UNIT, needs=("measure",)),
    Move(REVIEW, "pass", CLOSED, ADMIN_INSPECTOR),
    Move(REVIEW, "fail", DOING, ADMIN_INSPECTOR, needs=("reason",)),
    Move(TODO, "recheck-pass", CLOSED, ADMIN_INSPECTOR, needs_plan=True),
    Move(DOING, "recheck-pass", CLOSED, ADMIN_INSPECTOR),
    Move(REVIEW, "recheck-pass", CLOSED, ADMIN_INSPECTOR),
    Move(TODO, "recheck-fail", DOING, ADMIN_INSPECTOR, needs=("reason",), needs_plan=True),
    Move(DOING, "recheck-fail", DOING, ADMIN_INSPECTOR, needs=("reason",)),
    Move(REVIEW, "recheck-fail", DOING, ADMIN_INSPECTOR, needs=("reason",)),
    Move(TODO, "extend", TODO, ADMIN_UNIT, needs=("due", "reason", "approver")),
    Move(DOING, "extend", DOING, ADMIN_UNIT, needs=("due", "reason", "approver")),
    Move(TODO, "supervise", TODO, ("admin",), needs=("supervisor_unit", "deadline", "number"), major_only=True),
    Move(DOING, "supervise", DOING, ("admin",), needs=("supervisor_unit", "deadline", "number"), major_only=True),
    Move(REVIEW, "supervise", REVIEW, ("admin",), needs=("supervisor_unit", "deadline", "number"), major_only=True),
    Move(TODO, "revoke", REVOKED, ("admin",), needs=("reason", "approver")),
    Move(DOING, "revoke", REVOKED, ("admin",), needs=("reason", "approver")),
    Move(REVIEW, "revoke", REVOKED, ("admin",), needs=("reason", "approver")),
)
TABLE: dict[tuple[str, str], Move] = {(m.status, m.action): m for m in MOVES}
assert len(TABLE) == len(MOVES), "two rows for one (status, action)"


# The longest text each move field may hold (what a register row, a page and a printed paper take);
# ``by``, the author, as long as a user's name
FIELD_LIMITS = {"measure": 2000, "reason": 2000, "approver": 100, "supervisor_unit": 100, "number": 100, "by": 64}


def check_fields(fields: dict) -> None:
    """The texts a move carries, each one storable and printable within its limit."""
    for name, longest in FIELD_LIMITS.items():
        if name in fields and fields[name] is not None:
            values.text(name, fields[name], longest=longest)


def allowed(status: str, level: str | None = None) -> list[Move]:
    """The moves possible from ``status`` (for this level when given)."""
    return [m for m in MOVES if m.status == status and (level is None or not m.major_only or level == MAJOR)]


def check(hazard_id: str, status: str, level: str, action: str, role: str, fields: dict, plan_missing: list[str]) -> Move:
    """The move for ``action`` from ``status``, or MoveRefused saying why, as data: the moves the
    table allows from the status, the roles that may make this one, the fields it still needs."""
    if role not in ROLES:
        raise MoveRefused("move.role_unknown", "role", role=role, roles=list(ROLES))
    move = TABLE.get((status, action))
    if move is None:
        allowed_now = [m.action for m in allowed(status, level)]
        raise MoveRefused("move.status", "action", hazard=hazard_id, status=status, action=action, allowed=allowed_now)
    if move.major_only and level != MAJOR:
        raise MoveRefused("move.major_only", "action", hazard=hazard_id, action=action)
    if role not in move.roles:
        raise MoveRefused("move.role", "action", hazard=hazard_id, action=action, status=status, roles=list(move.roles), role=role)
    missing = [f for f in move.needs if not fields.get(f)]
    if missing:
        raise MoveRefused("move.needs", missing[0], hazard=hazard_id, action=action, missing=missing)
    if move.needs_plan and level == MAJOR and plan_missing:
        raise MoveRefused("move.plan", "plan", hazard=hazard_id, status=status, missing=list(plan_missing))
    return move
