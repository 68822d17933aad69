"""The hazard lifecycle as a table: (status, action) → (new status, who may, what it needs).

The CLI uses it now and the web app will use it later; nothing else decides whether a move is
allowed. A 重大事故隐患 may not leave 待整改 (except by 撤销) until its 治理方案 has all six parts
(原国家安监总局令第16号 第十五条); 挂牌督办 is for 重大事故隐患 only (京广发〔2026〕11号 第四十条).
"""

from __future__ import annotations

from dataclasses import dataclass

from checklist.errors import MoveRefused

# Statuses
TODO, DOING, REVIEW, CLOSED, REVOKED = "待整改", "整改中", "待复查", "已销号", "已撤销"
STATUSES = (TODO, DOING, REVIEW, CLOSED, REVOKED)
OPEN = (TODO, DOING, REVIEW)
GENERAL, MAJOR = "一般隐患", "重大事故隐患"
ROLES = ("admin", "inspector", "unit")

# Actions: the name a command uses → its Chinese name in the log and on paper
ACTIONS = {
    "register": "登记",
    "amend": "更新登记",
    "start": "开始整改",
    "rectify": "整改完成",
    "pass": "复查通过",
    "fail": "复查不通过",
    "recheck-pass": "再抽查符合",
    "recheck-fail": "再抽查不符合",
    "extend": "延期",
    "supervise": "挂牌督办",
    "revoke": "撤销",
}


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

FIELD_NAMES = {
    "measure": "整改措施 (--measure)",
    "reason": "理由 (--reason / --opinion)",
    "due": "新的整改期限 (--due)",
    "approver": "批准人 (--approver)",
    "supervisor_unit": "督办单位 (--supervisor)",
    "deadline": "督办期限 (--deadline)",
    "number": "督办编号 (--number)",
}


def allowed(status: str, level: str | None = None) -> list[Move]:
    """The moves possible from ``status`` (for this level when given)."""
    return [m for m in MOVES if m.status == status and (level is None or not m.major_only or level == MAJOR)]


def check(hazard_id: str, status: str, level: str, action: str, role: str, fields: dict, plan_missing: list[str]) -> Move:
    """The move for ``action`` from ``status``, or MoveRefused saying why and what is allowed."""
    if role not in ROLES:
        raise MoveRefused(f"unknown role {role!r}: one of {', '.join(ROLES)}")
    move = TABLE.get((status, action))
    if move is None or (move.major_only and level != MAJOR):
        options = "、".join(f"{ACTIONS[m.action]} ({m.action})" for m in allowed(status, level)) or "none: it is closed"
        only = f" ({ACTIONS[action]} is for {MAJOR} only)" if move is not None else ""
        raise MoveRefused(f"{hazard_id} is {status}: {ACTIONS.get(action, action)} ({action}) is not allowed{only}; allowed: {options}")
    if role not in move.roles:
        raise MoveRefused(f"{hazard_id}: {ACTIONS[action]} ({action}) from {status} is for {' / '.join(move.roles)}, not {role}")
    missing = [FIELD_NAMES[f] for f in move.needs if not fields.get(f)]
    if missing:
        raise MoveRefused(f"{hazard_id}: {ACTIONS[action]} ({action}) needs {', '.join(missing)}")
    if move.needs_plan and level == MAJOR and plan_missing:
        raise MoveRefused(
            f"{hazard_id} is a {MAJOR}: it cannot leave {status} before its 治理方案 has all six parts; missing: "
            f"{'、'.join(plan_missing)} (add finding.plan to the audit and import it again)"
        )
    return move
