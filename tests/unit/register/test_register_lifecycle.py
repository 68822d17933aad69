"""The lifecycle table, row by row: every legal move goes through on both backends and is logged;
every illegal one is refused naming the moves allowed; roles and required fields are enforced."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from register_helpers import Register, add_plan

from checklist import vocabulary
from checklist.errors import MoveRefused
from checklist.register import lifecycle
from checklist.register.db import reading, writing
from checklist.register.hazards import Request, apply, get
from checklist.register.tables import hazard

FULL = {
    "measure": "已整改",
    "reason": "理由",
    "due": dt.date(2027, 1, 29),
    "approver": "局领导",
    "supervisor_unit": "局办公室(安监办)",
    "deadline": dt.date(2026, 12, 31),
    "number": "京广督〔2026〕1号",
}
MAJOR_ID, GENERAL_ID = "YH-2026-0001", "YH-2026-0002"
ILLEGAL = [(s, a) for s in vocabulary.STATUSES for a in vocabulary.ACTIONS if a != "register" and (s, a) not in lifecycle.TABLE]


@pytest.fixture
def engine(reg, example):
    add_plan(example)
    assert reg("import", example).exit_code == 0
    return reg.engine()


def _put(engine, hazard_id: str, status: str) -> int:
    with engine.begin() as conn:
        conn.execute(sa.update(hazard).where(hazard.c.id == hazard_id).values(status=status))
        return conn.execute(sa.select(hazard.c.version).where(hazard.c.id == hazard_id)).scalar_one()


@pytest.mark.parametrize("move", lifecycle.MOVES, ids=lambda m: f"{m.status}-{m.action}")
def test_every_legal_move(engine, move):
    hid = MAJOR_ID  # the 重大 hazard (with its plan) can make every move
    version = _put(engine, hid, move.status)
    role = move.roles[-1]
    with writing(engine) as conn:
        row = apply(conn, hid, Request(move.action, "王五", role, dt.date(2026, 12, 1), **FULL), version)
    assert row["status"] == move.to and row["version"] == version + 1
    with reading(engine) as conn:
        stored = get(conn, hid)
    assert stored["status"] == move.to
    from checklist.register.log import history

    with reading(engine) as conn:
        last = history(conn, hid)[-1]
    assert (last["action"], last["from_status"], last["to_status"], last["by"], last["role"]) == (
        move.action,
        move.status,
        move.to,
        "王五",
        role,
    )


@pytest.mark.parametrize("status,action", ILLEGAL, ids=lambda x: str(x))
def test_every_illegal_move_is_refused_listing_the_allowed(status, action):
    with pytest.raises(MoveRefused) as e:
        lifecycle.check("YH-2026-0001", status, vocabulary.MAJOR, action, "admin", FULL, [])
    assert (e.value.code, e.value.field) == ("move.status", "action")
    assert e.value.params["status"] == status and e.value.params["action"] == action
    assert e.value.params["allowed"] == [m.action for m in lifecycle.allowed(status, vocabulary.MAJOR)]


@pytest.mark.parametrize("move", lifecycle.MOVES, ids=lambda m: f"{m.status}-{m.action}")
def test_roles_and_fields_of_every_row(move):
    for role in vocabulary.ROLES:
        if role in move.roles:
            assert lifecycle.check("X", move.status, vocabulary.MAJOR, move.action, role, FULL, []) is move
        else:
            with pytest.raises(MoveRefused) as e:
                lifecycle.check("X", move.status, vocabulary.MAJOR, move.action, role, FULL, [])
            assert e.value.code == "move.role" and e.value.params["roles"] == list(move.roles) and e.value.params["role"] == role
    for needed in move.needs:
        with pytest.raises(MoveRefused) as e:
            lifecycle.check("X", move.status, vocabulary.MAJOR, move.action, move.roles[0], dict(FULL, **{needed: ""}), [])
        assert (e.value.code, e.value.field, e.value.params["missing"]) == ("move.needs", needed, [needed])
    if move.needs_plan:
        with pytest.raises(MoveRefused) as e:
            lifecycle.check("X", move.status, vocabulary.MAJOR, move.action, move.roles[0], FULL, ["目标和任务"])
        assert (e.value.code, e.value.field, e.value.params["missing"]) == ("move.plan", "plan", ["目标和任务"])
        assert lifecycle.check("X", move.status, vocabulary.GENERAL, move.action, move.roles[0], FULL, ["目标和任务"]) is move


def test_major_only_rows_refuse_a_general_hazard():
    for move in (m for m in lifecycle.MOVES if m.major_only):
        with pytest.raises(MoveRefused) as e:
            lifecycle.check("X", move.status, vocabulary.GENERAL, move.action, "admin", FULL, [])
        assert e.value.code == "move.major_only"


def test_the_command_line_words_a_refusal_naming_its_options(example, tmp_path):
    """The same refusals, as the terminal says them: the moves allowed by their command names, a
    missing field by the option that gives it."""
    reg = Register(f"sqlite:///{tmp_path / 'r.db'}")
    reg("import", example)
    out = reg("rectify", GENERAL_ID, "--role", "unit", "--measure", "").output
    assert "整改完成 (rectify)需要填写--measure (整改措施)" in out, out
    out = reg("verify", GENERAL_ID, "--pass", "--role", "inspector").output
    assert "当前为待整改：不允许复查通过 (pass)；允许的操作：" in out and "开始整改 (start)" in out, out


def test_closed_statuses_allow_nothing():
    assert lifecycle.allowed(vocabulary.CLOSED) == [] and lifecycle.allowed(vocabulary.REVOKED) == []


def test_extend_must_move_the_due_date_later(engine):
    with writing(engine) as conn, pytest.raises(Exception, match="必须晚于现在的"):
        apply(conn, GENERAL_ID, Request("extend", "王五", "admin", due=dt.date(2026, 12, 1), reason="r", approver="a"))
