"""The hazard lifecycle as a table: (status, action) → (new status, who may, what it needs, what
the hazard must already hold).

The command line, the pages and the API all ask ``check``; nothing else decides whether a move
is allowed, and its refusals are data that each surface words. The rules for 重大事故隐患 are
the table's ``requires`` column — preconditions named once in REQUIRES, each with its refusal —
not conditions scattered through the code. Their sources (京广发〔2026〕11号, in sources/):

- 第四条: "严格落实国家广播电视总局办公厅《广播电视行业安全生产重大事故隐患特征清单》要求" — a
  hazard graded 重大 names the item of that 特征清单 it rests on, or "其他" with a reason (``basis``).
- 第十二条: "完善重大事故隐患闭环管理制度" — a 重大 hazard is closed only on a recorded 治理评估
  (``assessment``), by a 复查 that is not its rectifier's own (``independent``), in the order the
  moves happened (every row: a move's date never precedes the move it follows).
- 第四十条: "应建立健全重大事故隐患排查治理情况的督办制度" — 挂牌督办 is for 重大事故隐患 only;
  a supervised hazard is closed only after its supervising unit's 督办销号 (``signoff``), and a
  延期 never passes the 督办期限 unless the supervising unit consents (``within_deadline``).

The six parts of a 治理方案 come from 原国家安全生产监督管理总局令第16号 第十五条 (not among the
seeds): a 重大事故隐患 may not leave 待整改 (except by 撤销) until its plan has all six (``plan``).
A 延期 is asked for by the unit and decided by an inspector or admin (``request``); until then
the due date stands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from checklist.errors import MoveRefused
from checklist.files import values
from checklist.vocabulary import BASIS_OTHER, CLOSED, DOING, MAJOR, PLAN_PARTS, REVIEW, REVOKED, ROLES, TODO


@dataclass(frozen=True)
class Move:
    status: str  # from
    action: str
    to: str
    roles: tuple[str, ...]  # who may
    needs: tuple[str, ...] = ()  # fields the move must carry
    major_only: bool = False  # only for 重大事故隐患
    requires: tuple[str, ...] = ()  # what the hazard must hold first, or what the move must respect (REQUIRES)


ADMIN_INSPECTOR = ("admin", "inspector")
ADMIN_UNIT = ("admin", "unit")
EVERYONE = ("admin", "inspector", "unit")
ADMIN = ("admin",)
PLAN = tuple(f"plan_{k}" for k in PLAN_PARTS) + ("plan_author",)  # the six parts, and the 主要负责人 who drew them up
CLOSING = ("basis", "assessment", "signoff", "independent")  # 销号 of a 重大 hazard (第四条, 第十二条, 第四十条)
REVIEWING = ("independent",)  # a 复查 is not the rectifier's own

MOVES: tuple[Move, ...] = (
    Move(TODO, "amend", TODO, ADMIN_INSPECTOR),
    Move(TODO, "start", DOING, ADMIN_UNIT, requires=("plan",)),
    Move(TODO, "rectify", REVIEW, ADMIN_UNIT, needs=("measure",), requires=("plan",)),
    Move(DOING, "rectify", REVIEW, ADMIN_UNIT, needs=("measure",)),
    Move(REVIEW, "pass", CLOSED, ADMIN_INSPECTOR, requires=CLOSING),
    Move(REVIEW, "fail", DOING, ADMIN_INSPECTOR, needs=("reason",), requires=REVIEWING),
    Move(TODO, "recheck-pass", CLOSED, ADMIN_INSPECTOR, requires=("plan", *CLOSING)),
    Move(DOING, "recheck-pass", CLOSED, ADMIN_INSPECTOR, requires=CLOSING),
    Move(REVIEW, "recheck-pass", CLOSED, ADMIN_INSPECTOR, requires=CLOSING),
    Move(TODO, "recheck-fail", DOING, ADMIN_INSPECTOR, needs=("reason",), requires=("plan", *REVIEWING)),
    Move(DOING, "recheck-fail", DOING, ADMIN_INSPECTOR, needs=("reason",), requires=REVIEWING),
    Move(REVIEW, "recheck-fail", DOING, ADMIN_INSPECTOR, needs=("reason",), requires=REVIEWING),
    # 延期: the unit asks; an inspector or admin grants (or refuses) it, or extends on the office's own decision
    Move(TODO, "request-extension", TODO, ADMIN_UNIT, needs=("due", "reason")),
    Move(DOING, "request-extension", DOING, ADMIN_UNIT, needs=("due", "reason")),
    Move(TODO, "approve-extension", TODO, ADMIN_INSPECTOR, requires=("request", "within_deadline")),
    Move(DOING, "approve-extension", DOING, ADMIN_INSPECTOR, requires=("request", "within_deadline")),
    Move(TODO, "refuse-extension", TODO, ADMIN_INSPECTOR, needs=("reason",), requires=("request",)),
    Move(DOING, "refuse-extension", DOING, ADMIN_INSPECTOR, needs=("reason",), requires=("request",)),
    Move(TODO, "extend", TODO, ADMIN_INSPECTOR, needs=("due", "reason"), requires=("within_deadline",)),
    Move(DOING, "extend", DOING, ADMIN_INSPECTOR, needs=("due", "reason"), requires=("within_deadline",)),
    # 重大事故隐患: its grading's basis, its 治理方案 (by the unit's 主要负责人), 挂牌督办, 治理评估, 督办销号
    Move(TODO, "grade", TODO, ADMIN_INSPECTOR, needs=("basis",), major_only=True),
    Move(DOING, "grade", DOING, ADMIN_INSPECTOR, needs=("basis",), major_only=True),
    Move(REVIEW, "grade", REVIEW, ADMIN_INSPECTOR, needs=("basis",), major_only=True),
    Move(TODO, "plan", TODO, ADMIN_UNIT, needs=PLAN, major_only=True),
    Move(DOING, "plan", DOING, ADMIN_UNIT, needs=PLAN, major_only=True),
    Move(TODO, "supervise", TODO, ADMIN, needs=("supervisor_unit", "deadline", "number"), major_only=True, requires=("basis",)),
    Move(DOING, "supervise", DOING, ADMIN, needs=("supervisor_unit", "deadline", "number"), major_only=True, requires=("basis",)),
    Move(REVIEW, "supervise", REVIEW, ADMIN, needs=("supervisor_unit", "deadline", "number"), major_only=True, requires=("basis",)),
    Move(REVIEW, "assess", REVIEW, EVERYONE, needs=("assessor", "conclusion", "attachment"), major_only=True),
    Move(REVIEW, "signoff", REVIEW, ADMIN, needs=("opinion",), major_only=True, requires=("supervised", "assessment")),
    Move(TODO, "revoke", REVOKED, ADMIN, needs=("reason", "approver")),
    Move(DOING, "revoke", REVOKED, ADMIN, needs=("reason", "approver")),
    Move(REVIEW, "revoke", REVOKED, ADMIN, needs=("reason", "approver")),
)
TABLE: dict[tuple[str, str], Move] = {(m.status, m.action): m for m in MOVES}
assert len(TABLE) == len(MOVES), "two rows for one (status, action)"


# The longest text each move field may hold (what a register row, a page and a printed paper take);
# ``by``, the author, as long as a user's name
FIELD_LIMITS = {
    "measure": 2000,
    "reason": 2000,
    "approver": 100,
    "supervisor_unit": 100,
    "number": 100,
    "basis": 200,
    "basis_reason": 2000,
    **dict.fromkeys((f"plan_{k}" for k in PLAN_PARTS), 2000),
    "plan_author": 100,
    "assessor": 200,
    "conclusion": 2000,
    "opinion": 2000,
    "supervisor_consent": 500,
    "by": 64,
}


def check_fields(fields: dict) -> None:
    """The texts a move carries, each one storable and printable within its limit."""
    for name, longest in FIELD_LIMITS.items():
        if name in fields and fields[name] is not None:
            values.text(name, fields[name], longest=longest)


@dataclass(frozen=True)
class State:
    """What the table asks of a hazard: its status and level, and what it already holds."""

    id: str
    status: str
    level: str
    plan_missing: tuple[str, ...] = ()  # parts of the 治理方案 still empty
    basis: str = ""  # 定级依据: the 特征清单 item, or 其他 (with basis_reason)
    basis_reason: str = ""
    assessed: bool = False  # a 治理评估 recorded
    supervisor: str = ""  # the supervising unit, when under 督办
    deadline: dt.date | None = None  # its 督办期限
    signed_off: bool = False  # the supervising unit's 督办销号 recorded
    rectified_by: str = ""  # who reported the rectification (整改完成)
    last_on: dt.date | None = None  # the day of the move the next one follows
    last_action: str = ""
    requested_due: dt.date | None = None  # a 延期 asked for and not yet decided


def _names(text: str) -> set[str]:
    return {n.strip() for n in text.split("、") if n.strip()}


def _plan(s: State, move: Move, fields: dict, by: str) -> MoveRefused | None:
    if s.level == MAJOR and s.plan_missing:
        return MoveRefused("move.plan", "plan", hazard=s.id, status=s.status, missing=list(s.plan_missing))
    return None


def _basis(s: State, move: Move, fields: dict, by: str) -> MoveRefused | None:
    if s.level == MAJOR and (not s.basis or (s.basis == BASIS_OTHER and not s.basis_reason)):
        return MoveRefused("move.basis", "basis", hazard=s.id)
    return None


def _assessment(s: State, move: Move, fields: dict, by: str) -> MoveRefused | None:
    if s.level == MAJOR and not s.assessed:
        return MoveRefused("move.assessment", "assessment", hazard=s.id)
    return None


def _signoff(s: State, move: Move, fields: dict, by: str) -> MoveRefused | None:
    if s.supervisor and not s.signed_off:
        return MoveRefused("move.signoff", "signoff", hazard=s.id, supervisor=s.supervisor)
    return None


def _supervised(s: State, move: Move, fields: dict, by: str) -> MoveRefused | None:
    if not s.supervisor:
        return MoveRefused("move.not_supervised", "action", hazard=s.id)
    return None


def _independent(s: State, move: Move, fields: dict, by: str) -> MoveRefused | None:
    same = sorted(_names(by) & _names(s.rectified_by))
    if same:
        return MoveRefused("move.own_rectification", "by", hazard=s.id, by="、".join(same))
    return None


def _request(s: State, move: Move, fields: dict, by: str) -> MoveRefused | None:
    if s.requested_due is None:
        return MoveRefused("move.no_request", "action", hazard=s.id)
    return None


def _within_deadline(s: State, move: Move, fields: dict, by: str) -> MoveRefused | None:
    due = fields.get("due") if "due" in move.needs else s.requested_due  # a 延期 decided, or the one asked for
    if s.deadline is not None and due is not None and due > s.deadline and not fields.get("supervisor_consent"):
        return MoveRefused(
            "move.past_deadline", "due", hazard=s.id, due=due.isoformat(), deadline=s.deadline.isoformat(), supervisor=s.supervisor
        )
    return None


# What a row may require, by name: each a judge of the hazard (and the move's fields and author)
REQUIRES: dict[str, Callable[[State, Move, dict, str], MoveRefused | None]] = {
    "plan": _plan,  # 重大: the six-part 治理方案 (原国家安监总局令第16号 第十五条)
    "basis": _basis,  # 重大: the grading names its basis (第四条)
    "assessment": _assessment,  # 重大: a recorded 治理评估 (第十二条)
    "signoff": _signoff,  # under 督办: the supervising unit's 督办销号 (第四十条)
    "supervised": _supervised,  # only a hazard under 督办 has a 督办 to sign off
    "independent": _independent,  # not by whoever reported the rectification (第十二条)
    "request": _request,  # a 延期 the unit asked for, not yet decided
    "within_deadline": _within_deadline,  # not past the 督办期限 unless the supervising unit consents (第四十条)
}
assert all(r in REQUIRES for m in MOVES for r in m.requires), "a row requires something REQUIRES does not judge"


def allowed(status: str, level: str | None = None) -> list[Move]:
    """The moves possible from ``status`` (for this level when given)."""
    return [m for m in MOVES if m.status == status and (level is None or not m.major_only or level == MAJOR)]


def blocked(state: State, move: Move, by: str = "") -> MoveRefused | None:
    """What the hazard still lacks for ``move`` before any field is typed (its ``requires``; the
    督办期限 depends on the due date asked for, so it is judged with the fields)."""
    for name in move.requires:
        refused = None if name == "within_deadline" else REQUIRES[name](state, move, {}, by)
        if refused is not None:
            return refused
    return None


def check(state: State, action: str, role: str, fields: dict, by: str = "", on: dt.date | None = None) -> Move:
    """The move for ``action`` from the hazard's status, or MoveRefused saying why, as data: the
    moves the table allows from the status, the roles that may make this one, the fields it still
    needs, the precondition it lacks. On every row, the move's day ``on`` may not precede the day
    of the move it follows."""
    if role not in ROLES:
        raise MoveRefused("move.role_unknown", "role", role=role, roles=list(ROLES))
    s = state
    move = TABLE.get((s.status, action))
    if move is None:
        allowed_now = [m.action for m in allowed(s.status, s.level)]
        raise MoveRefused("move.status", "action", hazard=s.id, status=s.status, action=action, allowed=allowed_now)
    if move.major_only and s.level != MAJOR:
        raise MoveRefused("move.major_only", "action", hazard=s.id, action=action)
    if role not in move.roles:
        raise MoveRefused("move.role", "action", hazard=s.id, action=action, status=s.status, roles=list(move.roles), role=role)
    missing = [f for f in move.needs if not fields.get(f)]
    if "basis" in move.needs and fields.get("basis") == BASIS_OTHER and not fields.get("basis_reason"):
        missing.append("basis_reason")  # "其他" is a basis only with its reason
    if missing:
        raise MoveRefused("move.needs", missing[0], hazard=s.id, action=action, missing=missing)
    for name in move.requires:
        refused = REQUIRES[name](s, move, fields, by)
        if refused is not None:
            raise refused
    if on is not None and s.last_on is not None and on < s.last_on:
        raise MoveRefused("move.date_order", "on", hazard=s.id, on=on.isoformat(), last=s.last_on.isoformat(), last_action=s.last_action)
    return move
