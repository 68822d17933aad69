"""The lifecycle table, row by row, against the table as it must be — written out here in full, not
read from ``lifecycle.MOVES`` — and each of its rules judged with the hazard's state given
literally: every legal move goes through on both backends and is logged; every illegal one is
refused naming the moves allowed; roles, fields and preconditions are enforced with their reasons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from register_helpers import Register, add_plan

from checklist import vocabulary
from checklist.errors import MoveRefused
from checklist.register import lifecycle
from checklist.register.db import reading, writing
from checklist.register.hazards import Evidence, Request, apply, get
from checklist.register.tables import hazard, supervision

TODO, DOING, REVIEW, CLOSED, REVOKED = "待整改", "整改中", "待复查", "已销号", "已撤销"
AI, AU, ALL, A = ("admin", "inspector"), ("admin", "unit"), ("admin", "inspector", "unit"), ("admin",)
PLAN = ("plan_goal", "plan_method", "plan_funds", "plan_team", "plan_schedule", "plan_safety", "plan_author")
CLOSING = ("basis", "assessment", "signoff", "independent")
SUPERVISE = ("supervisor_unit", "deadline", "number")

# (from, action, to, roles, needs, major only, requires) — the table as 京广发〔2026〕11号 and the
# register's rules demand it; a change to lifecycle.MOVES must change this too, knowingly
EXPECTED = [
    (TODO, "amend", TODO, AI, (), False, ()),
    (TODO, "start", DOING, AU, (), False, ("plan",)),
    (TODO, "rectify", REVIEW, AU, ("measure",), False, ("plan",)),
    (DOING, "rectify", REVIEW, AU, ("measure",), False, ()),
    (REVIEW, "pass", CLOSED, AI, (), False, CLOSING),
    (REVIEW, "fail", DOING, AI, ("reason",), False, ("independent",)),
    (TODO, "recheck-pass", CLOSED, AI, (), False, ("plan", *CLOSING)),
    (DOING, "recheck-pass", CLOSED, AI, (), False, CLOSING),
    (REVIEW, "recheck-pass", CLOSED, AI, (), False, CLOSING),
    (TODO, "recheck-fail", DOING, AI, ("reason",), False, ("plan", "independent")),
    (DOING, "recheck-fail", DOING, AI, ("reason",), False, ("independent",)),
    (REVIEW, "recheck-fail", DOING, AI, ("reason",), False, ("independent",)),
    (TODO, "request-extension", TODO, AU, ("due", "reason"), False, ()),
    (DOING, "request-extension", DOING, AU, ("due", "reason"), False, ()),
    (TODO, "approve-extension", TODO, AI, (), False, ("request", "within_deadline")),
    (DOING, "approve-extension", DOING, AI, (), False, ("request", "within_deadline")),
    (TODO, "refuse-extension", TODO, AI, ("reason",), False, ("request",)),
    (DOING, "refuse-extension", DOING, AI, ("reason",), False, ("request",)),
    (TODO, "extend", TODO, AI, ("due", "reason"), False, ("within_deadline",)),
    (DOING, "extend", DOING, AI, ("due", "reason"), False, ("within_deadline",)),
    (TODO, "grade", TODO, AI, ("basis",), True, ()),
    (DOING, "grade", DOING, AI, ("basis",), True, ()),
    (REVIEW, "grade", REVIEW, AI, ("basis",), True, ()),
    (TODO, "plan", TODO, AU, PLAN, True, ()),
    (DOING, "plan", DOING, AU, PLAN, True, ()),
    (TODO, "supervise", TODO, A, SUPERVISE, True, ("basis",)),
    (DOING, "supervise", DOING, A, SUPERVISE, True, ("basis",)),
    (REVIEW, "supervise", REVIEW, A, SUPERVISE, True, ("basis",)),
    (REVIEW, "assess", REVIEW, ALL, ("assessor", "conclusion", "attachment"), True, ()),
    (REVIEW, "signoff", REVIEW, A, ("opinion",), True, ("supervised", "assessment")),
    (TODO, "revoke", REVOKED, A, ("reason", "approver"), False, ()),
    (DOING, "revoke", REVOKED, A, ("reason", "approver"), False, ()),
    (REVIEW, "revoke", REVOKED, A, ("reason", "approver"), False, ()),
]

FULL = {
    "measure": "已整改",
    "reason": "理由",
    "due": dt.date(2026, 12, 20),
    "approver": "局领导",
    "supervisor_unit": "局办公室(安监办)",
    "deadline": dt.date(2026, 12, 31),
    "number": "京广督〔2026〕1号",
    "basis": "特征清单第3项",
    "basis_reason": "",
    **{k: "有" for k in PLAN},
    "assessor": "检测中心",
    "conclusion": "已消除",
    "attachment": "评估报告.pdf",
    "opinion": "同意",
    "supervisor_consent": "",
}
# a 重大 hazard that holds everything any row may require
READY = lifecycle.State(
    "YH-2026-0001",
    TODO,
    vocabulary.MAJOR,
    basis="特征清单第3项",
    assessed=True,
    supervisor="局办公室(安监办)",
    deadline=dt.date(2026, 12, 31),
    signed_off=True,
    rectified_by="王五",
    last_on=dt.date(2026, 11, 20),
    last_action="register",
    requested_due=dt.date(2026, 12, 20),
)
ON = dt.date(2026, 12, 1)
MAJOR_ID, GENERAL_ID = "YH-2026-0001", "YH-2026-0002"


def row_of(m: lifecycle.Move) -> tuple:
    return (m.status, m.action, m.to, m.roles, m.needs, m.major_only, m.requires)


def test_the_table_is_the_expected_one_row_by_row():
    assert [row_of(m) for m in lifecycle.MOVES] == EXPECTED
    assert set(lifecycle.TABLE) == {(r[0], r[1]) for r in EXPECTED}


def at(status: str, **changes) -> lifecycle.State:
    from dataclasses import replace

    return replace(READY, status=status, **changes)


def refused(state: lifecycle.State, action: str, role: str = "admin", fields: dict | None = None, by: str = "李四", on=ON) -> MoveRefused:
    with pytest.raises(MoveRefused) as e:
        lifecycle.check(state, action, role, FULL if fields is None else fields, by=by, on=on)
    return e.value


def allowed_ok(state: lifecycle.State, action: str, role: str = "admin", fields: dict | None = None, by: str = "李四", on=ON):
    return lifecycle.check(state, action, role, FULL if fields is None else fields, by=by, on=on)


@pytest.mark.parametrize("row", EXPECTED, ids=lambda r: f"{r[0]}-{r[1]}")
def test_each_row_allows_its_roles_only(row):
    status, action, to, roles = row[:4]
    for role in vocabulary.ROLES:
        if role in roles:
            assert allowed_ok(at(status), action, role).to == to
        else:
            e = refused(at(status), action, role)
            assert (e.code, e.params["roles"], e.params["role"], e.params["status"]) == ("move.role", list(roles), role, status)


@pytest.mark.parametrize("row", EXPECTED, ids=lambda r: f"{r[0]}-{r[1]}")
def test_each_row_needs_its_fields(row):
    status, action, _, roles, needs, _, _ = row
    for needed in needs:
        e = refused(at(status), action, roles[0], dict(FULL, **{needed: ""}))
        assert (e.code, e.field, e.params["missing"], e.params["action"]) == ("move.needs", needed, [needed], action)
    empty = {k: "" for k in FULL} | {"due": None, "deadline": None}
    if needs:
        assert refused(at(status), action, roles[0], empty).params["missing"] == list(needs)
    else:
        assert allowed_ok(at(status, deadline=None), action, roles[0], empty).action == action


@pytest.mark.parametrize("row", [r for r in EXPECTED if r[5]], ids=lambda r: f"{r[0]}-{r[1]}")
def test_major_only_rows_refuse_a_general_hazard(row):
    e = refused(at(row[0], level=vocabulary.GENERAL), row[1])
    assert (e.code, e.params["action"], e.params["hazard"]) == ("move.major_only", row[1], "YH-2026-0001")


ILLEGAL = [
    (s, a)
    for s in vocabulary.STATUSES
    for a in vocabulary.ACTIONS
    if a not in ("register", "baseline", "issue", "issuer", "notify", "interview", "handover", "business") and (s, a) not in lifecycle.TABLE
]
ALLOWED = {
    TODO: ["amend", "start", "rectify", "recheck-pass", "recheck-fail", "request-extension", "approve-extension"]
    + ["refuse-extension", "extend", "grade", "plan", "supervise", "revoke"],
    DOING: ["rectify", "recheck-pass", "recheck-fail", "request-extension", "approve-extension", "refuse-extension", "extend"]
    + ["grade", "plan", "supervise", "revoke"],
    REVIEW: ["pass", "fail", "recheck-pass", "recheck-fail", "grade", "supervise", "assess", "signoff", "revoke"],
    CLOSED: [],
    REVOKED: [],
}


@pytest.mark.parametrize("status,action", ILLEGAL, ids=lambda x: str(x))
def test_every_illegal_move_is_refused_listing_the_allowed(status, action):
    e = refused(at(status), action)
    assert (e.code, e.field) == ("move.status", "action")
    assert e.params == {"hazard": "YH-2026-0001", "status": status, "action": action, "allowed": ALLOWED[status]}


def test_allowed_by_level():
    assert [m.action for m in lifecycle.allowed(REVIEW, vocabulary.GENERAL)] == ["pass", "fail", "recheck-pass", "recheck-fail", "revoke"]
    assert [m.action for m in lifecycle.allowed(REVIEW, vocabulary.MAJOR)] == ALLOWED[REVIEW]
    assert [m.action for m in lifecycle.allowed(REVIEW)] == ALLOWED[REVIEW]
    assert lifecycle.allowed(CLOSED) == [] and lifecycle.allowed(REVOKED) == []


def test_an_unknown_role_is_refused_first():
    e = refused(at(TODO), "nonsense", "boss")
    assert (e.code, e.field, e.params) == ("move.role_unknown", "role", {"role": "boss", "roles": ["admin", "inspector", "unit", "editor"]})


# --- each requirement, on its own -------------------------------------------------------------


def test_a_major_hazard_leaves_todo_only_with_its_plan():
    lacking = at(TODO, plan_missing=("目标和任务",))
    for action in ("start", "rectify", "recheck-pass", "recheck-fail"):
        e = refused(lacking, action)
        assert (e.code, e.field, e.params["missing"], e.params["status"]) == ("move.plan", "plan", ["目标和任务"], TODO)
    assert allowed_ok(lacking, "revoke").to == REVOKED and allowed_ok(lacking, "plan").to == TODO
    assert allowed_ok(at(TODO, plan_missing=("目标和任务",), level=vocabulary.GENERAL), "start").to == DOING
    assert allowed_ok(at(DOING, plan_missing=("目标和任务",)), "rectify").to == REVIEW  # the row from 整改中 does not ask


def test_a_major_hazard_is_supervised_and_closed_only_with_its_grading_basis():
    for basis, reason in (("", ""), ("其他", "")):
        unfounded = at(REVIEW, basis=basis, basis_reason=reason)
        for action in ("supervise", "pass", "recheck-pass"):
            e = refused(unfounded, action, "admin")
            assert (e.code, e.field, e.params) == ("move.basis", "basis", {"hazard": "YH-2026-0001"})
    assert allowed_ok(at(REVIEW, basis="其他", basis_reason="井盖缺失"), "pass").to == CLOSED
    assert allowed_ok(at(REVIEW, basis="", level=vocabulary.GENERAL, supervisor=""), "pass").to == CLOSED


def test_grading_other_needs_its_reason():
    e = refused(at(TODO), "grade", fields=dict(FULL, basis="其他", basis_reason=""))
    assert (e.code, e.field, e.params["missing"]) == ("move.needs", "basis_reason", ["basis_reason"])
    assert allowed_ok(at(TODO), "grade", fields=dict(FULL, basis="其他", basis_reason="井盖缺失")).action == "grade"
    assert allowed_ok(at(TODO), "grade", fields=dict(FULL, basis="特征清单第3项", basis_reason="")).action == "grade"


def test_a_major_hazard_is_closed_only_on_a_recorded_assessment():
    for status, action in ((REVIEW, "pass"), (TODO, "recheck-pass"), (DOING, "recheck-pass"), (REVIEW, "recheck-pass")):
        e = refused(at(status, assessed=False), action)
        assert (e.code, e.field, e.params) == ("move.assessment", "assessment", {"hazard": "YH-2026-0001"})
    e = refused(at(REVIEW, assessed=False), "signoff")
    assert e.code == "move.assessment"
    general = at(REVIEW, assessed=False, level=vocabulary.GENERAL, supervisor="")
    assert allowed_ok(general, "pass").to == CLOSED


def test_a_supervised_hazard_is_closed_only_after_its_signoff():
    for status, action in ((REVIEW, "pass"), (DOING, "recheck-pass"), (REVIEW, "recheck-pass")):
        e = refused(at(status, signed_off=False), action)
        assert (e.code, e.field, e.params) == ("move.signoff", "signoff", {"hazard": "YH-2026-0001", "supervisor": "局办公室(安监办)"})
    assert allowed_ok(at(REVIEW, signed_off=False, supervisor=""), "pass").to == CLOSED  # not supervised: nothing to sign off
    e = refused(at(REVIEW, supervisor=""), "signoff")
    assert (e.code, e.field, e.params) == ("move.not_supervised", "action", {"hazard": "YH-2026-0001"})
    assert allowed_ok(at(REVIEW, signed_off=False), "signoff").to == REVIEW


def test_the_rectifier_cannot_make_its_review():
    for status, action in ((REVIEW, "pass"), (REVIEW, "fail"), (DOING, "recheck-pass"), (REVIEW, "recheck-fail")):
        e = refused(at(status), action, by="王五")
        assert (e.code, e.field, e.params) == ("move.own_rectification", "by", {"hazard": "YH-2026-0001", "by": "王五"})
        e = refused(at(status), action, by="张三、王五")  # a re-check audit's inspectors
        assert e.params["by"] == "王五"
        assert allowed_ok(at(status), action, by="张三、李四").action == action
    assert allowed_ok(at(REVIEW, rectified_by=""), "pass", by="王五").to == CLOSED
    assert allowed_ok(at(REVIEW, rectified_by="王五、赵六", level=vocabulary.GENERAL), "pass", by="李四").to == CLOSED
    assert refused(at(REVIEW, rectified_by="王五、赵六"), "pass", by="赵六").params["by"] == "赵六"


def test_an_extension_is_decided_only_when_requested():
    for status in (TODO, DOING):
        for action in ("approve-extension", "refuse-extension"):
            e = refused(at(status, requested_due=None), action, "inspector")
            assert (e.code, e.field, e.params) == ("move.no_request", "action", {"hazard": "YH-2026-0001"})
        assert allowed_ok(at(status), "approve-extension", "inspector").to == status
        assert allowed_ok(at(status), "refuse-extension", "inspector").to == status


def test_an_extension_never_passes_the_supervision_deadline_without_the_supervisors_consent():
    deadline = dt.date(2026, 12, 10)
    e = refused(at(TODO, deadline=deadline), "extend", "inspector", dict(FULL, due=dt.date(2026, 12, 11)))
    assert (e.code, e.field) == ("move.past_deadline", "due")
    assert e.params == {"hazard": "YH-2026-0001", "due": "2026-12-11", "deadline": "2026-12-10", "supervisor": "局办公室(安监办)"}
    assert allowed_ok(at(TODO, deadline=deadline), "extend", "inspector", dict(FULL, due=deadline)).action == "extend"  # on the day: within
    consent = dict(FULL, due=dt.date(2027, 1, 10), supervisor_consent="局办公室同意")
    assert allowed_ok(at(TODO, deadline=deadline), "extend", "inspector", consent).action == "extend"
    # the approval judges the due date asked for
    asked = at(DOING, deadline=deadline, requested_due=dt.date(2026, 12, 11))
    assert refused(asked, "approve-extension", "inspector").params["due"] == "2026-12-11"
    assert allowed_ok(asked, "approve-extension", "inspector", dict(FULL, supervisor_consent="同意")).action == "approve-extension"
    assert allowed_ok(at(DOING, deadline=deadline, requested_due=deadline), "approve-extension", "inspector").action == "approve-extension"
    # not supervised: no deadline to pass
    assert allowed_ok(at(TODO, deadline=None, supervisor=""), "extend", "inspector", dict(FULL, due=dt.date(2030, 1, 1))).to == TODO


def test_a_move_never_precedes_the_move_it_follows():
    e = refused(at(REVIEW, last_on=dt.date(2026, 11, 25), last_action="rectify"), "pass", on=dt.date(2026, 11, 24))
    assert (e.code, e.field) == ("move.date_order", "on")
    assert e.params == {"hazard": "YH-2026-0001", "on": "2026-11-24", "last": "2026-11-25", "last_action": "rectify"}
    assert allowed_ok(at(REVIEW, last_on=dt.date(2026, 11, 25)), "pass", on=dt.date(2026, 11, 25)).to == CLOSED  # the same day
    assert allowed_ok(at(REVIEW, last_on=dt.date(2026, 11, 25)), "pass", on=None).to == CLOSED  # no day given: not judged
    assert allowed_ok(at(REVIEW, last_on=None), "pass", on=dt.date(2000, 1, 1)).to == CLOSED
    for row in EXPECTED:  # every row, not only the 复查
        e = refused(at(row[0], last_on=dt.date(2026, 12, 2)), row[1], row[3][0], on=dt.date(2026, 12, 1))
        assert e.code == "move.date_order", row


def test_what_a_hazard_lacks_before_any_field_is_typed():
    pass_row = lifecycle.TABLE[(REVIEW, "pass")]
    assert lifecycle.blocked(at(REVIEW, assessed=False), pass_row) is not None
    assert lifecycle.blocked(at(REVIEW, assessed=False), pass_row).code == "move.assessment"
    assert lifecycle.blocked(at(REVIEW, basis=""), pass_row).code == "move.basis"  # in the row's order
    assert lifecycle.blocked(at(REVIEW), pass_row, "王五").code == "move.own_rectification"
    assert lifecycle.blocked(at(REVIEW), pass_row, "李四") is None
    approve = lifecycle.TABLE[(TODO, "approve-extension")]
    past = at(TODO, deadline=dt.date(2026, 12, 1), requested_due=dt.date(2026, 12, 20))
    assert lifecycle.blocked(past, approve) is None  # the 督办期限 is judged with the consent the form may carry
    assert lifecycle.blocked(at(TODO, requested_due=None), approve).code == "move.no_request"


# --- what each lack blocks, and nothing else ---------------------------------------------------------
# READY holds everything a row may require. Each case takes one thing away (or has the move made by
# the rectifier) and names every move it blocks, from any status, with its refusal: every other
# legal move must still go through. A rule that reaches too far (a 一般隐患 that cannot ask for a
# 延期, a 督办 refused for want of an assessment) fails here as surely as one that falls short.
CLOSINGS = {(REVIEW, "pass"), (TODO, "recheck-pass"), (DOING, "recheck-pass"), (REVIEW, "recheck-pass")}
REVIEWS = CLOSINGS | {(REVIEW, "fail"), (TODO, "recheck-fail"), (DOING, "recheck-fail"), (REVIEW, "recheck-fail")}
SUPERVISING = {(TODO, "supervise"), (DOING, "supervise"), (REVIEW, "supervise")}
DECIDING = {(s, a) for s in (TODO, DOING) for a in ("approve-extension", "refuse-extension")}
LACKS = {  # what is missing → (the state's changes, who moves, the refusal, the moves refused)
    # 挂牌督办 and the other 重大 records are for 重大事故隐患 only (第四十条); a 一般隐患 makes every other move
    "a general hazard": (
        {"level": vocabulary.GENERAL},
        "李四",
        "move.major_only",
        {(TODO, "grade"), (DOING, "grade"), (REVIEW, "grade"), (TODO, "plan"), (DOING, "plan")}
        | SUPERVISING
        | {(REVIEW, "assess"), (REVIEW, "signoff")},
    ),
    # 16号令 第十五条: a 重大事故隐患 leaves 待整改 only with its six-part plan — or by 撤销
    "a part of the plan": (
        {"plan_missing": ("目标和任务",)},
        "李四",
        "move.plan",
        {(TODO, "start"), (TODO, "rectify"), (TODO, "recheck-pass"), (TODO, "recheck-fail")},
    ),
    # 第四条: no 督办 and no 销号 of a 重大 grading that names no basis
    "the grading's basis": ({"basis": ""}, "李四", "move.basis", SUPERVISING | CLOSINGS),
    "the reason for 其他": ({"basis": "其他", "basis_reason": ""}, "李四", "move.basis", SUPERVISING | CLOSINGS),
    # 第十二条: 销号, and the supervising unit's 督办销号, only on a recorded 治理评估
    "the assessment": ({"assessed": False}, "李四", "move.assessment", CLOSINGS | {(REVIEW, "signoff")}),
    # 第四十条: a supervised hazard is closed only after its 督办销号
    "the signoff": ({"signed_off": False}, "李四", "move.signoff", CLOSINGS),
    # only a hazard under 督办 has a 督办 to sign off (and, not supervised, nothing else waits for one)
    "a supervisor": ({"supervisor": "", "signed_off": False}, "李四", "move.not_supervised", {(REVIEW, "signoff")}),
    # 第十二条: the rectifier passes or fails no 复查 or 再抽查 of its own rectification
    "an independent reviewer": ({}, "王五", "move.own_rectification", REVIEWS),
    # a 延期 is granted or refused only when the unit has asked for one
    "a request": ({"requested_due": None}, "李四", "move.no_request", DECIDING),
    # 第四十条: no 延期 (granted or decided by the office) past the 督办期限 without the supervisor's consent
    "time before the deadline": (
        {"deadline": dt.date(2026, 12, 10)},
        "李四",
        "move.past_deadline",
        {(TODO, "approve-extension"), (DOING, "approve-extension"), (TODO, "extend"), (DOING, "extend")},
    ),
}


@pytest.mark.parametrize("lack", LACKS)
def test_what_a_hazard_lacks_blocks_those_moves_and_no_other(lack):
    changes, by, code, blocks = LACKS[lack]
    assert blocks <= {(r[0], r[1]) for r in EXPECTED}
    for status, action, to, roles, *_ in EXPECTED:
        state = at(status, **changes)
        for role in roles:
            if (status, action) in blocks:
                assert refused(state, action, role, by=by).code == code, (status, action, role)
            else:
                assert allowed_ok(state, action, role, by=by).to == to, (status, action, role)


@pytest.mark.parametrize("lack", [k for k, v in LACKS.items() if v[2] not in ("move.major_only", "move.past_deadline")])
def test_the_moves_offered_are_those_the_hazard_can_make(lack):
    """What a page offers (``blocked``, before any field is typed) agrees with ``check``, for every
    lack it can judge (the level is the page's filter, the 督办期限 depends on the due date typed)."""
    changes, by, code, blocks = LACKS[lack]
    for status, action, *_ in EXPECTED:
        found = lifecycle.blocked(at(status, **changes), lifecycle.TABLE[(status, action)], by)
        assert (found and found.code) == (code if (status, action) in blocks else None), (status, action)


def test_a_general_hazard_holding_nothing_goes_every_general_way():
    """A 一般隐患 with nothing recorded — no plan, basis, assessment, 督办 or rectifier — makes every
    move but the 重大 ones (and a decision on a 延期 nobody asked for)."""
    for status, action, to, roles, _, major_only, _ in EXPECTED:
        bare = lifecycle.State("YH-2026-0002", status, vocabulary.GENERAL, plan_missing=("目标和任务",))
        if major_only:
            assert refused(bare, action, roles[0]).code == "move.major_only"
        elif (status, action) in DECIDING:
            assert refused(bare, action, roles[0]).code == "move.no_request"
        else:
            assert allowed_ok(bare, action, roles[0]).to == to, (status, action)


def test_a_move_s_texts_are_held_to_their_limits():
    lifecycle.check_fields({"measure": "x" * 2000, "basis": "y" * 200, "plan_author": "z" * 100, "due": dt.date(2026, 1, 1)})
    for name, limit in (("measure", 2000), ("basis", 200), ("plan_goal", 2000), ("plan_author", 100), ("opinion", 2000), ("assessor", 200)):
        with pytest.raises(Exception) as e:
            lifecycle.check_fields({name: "x" * (limit + 1)})
        assert e.value.code == "value.too_long" and e.value.params["limit"] == limit, name
    assert set(lifecycle.FIELD_LIMITS) >= set(PLAN) | {"basis_reason", "conclusion", "supervisor_consent", "number"}


# --- through the register, on both backends ------------------------------------------------------


@pytest.fixture
def engine(reg, example):
    add_plan(example)
    assert reg("import", example).exit_code == 0
    return reg.engine()


def _ready(engine, hazard_id: str, status: str) -> int:
    """Put the hazard in ``status`` holding everything a row may require (a 督办, an assessment, a
    signoff, a 延期 asked for, a rectifier other than the one who moves): the version to move from."""
    with engine.begin() as conn:
        conn.execute(
            sa.update(hazard)
            .where(hazard.c.id == hazard_id)
            .values(
                status=status,
                assessed_on=dt.date(2026, 11, 28),
                assessor="检测中心",
                signoff_on=dt.date(2026, 11, 29),
                ext_due=dt.date(2026, 12, 20),
                rectified_by="赵六",
                moved_on=dt.date(2026, 11, 30),
            )
        )
        conn.execute(sa.delete(supervision).where(supervision.c.hazard_id == hazard_id))
        conn.execute(
            supervision.insert().values(hazard_id=hazard_id, supervisor_unit="局办公室", number="1", deadline=dt.date(2026, 12, 31))
        )
        return conn.execute(sa.select(hazard.c.version).where(hazard.c.id == hazard_id)).scalar_one()


@pytest.mark.parametrize("row", [r for r in EXPECTED if r[1] != "amend"], ids=lambda r: f"{r[0]}-{r[1]}")  # amend: by an import
def test_every_legal_move(engine, row):
    from checklist.register.log import history

    status, action, to, roles, _, _, _ = row
    version = _ready(engine, MAJOR_ID, status)
    role = roles[-1]
    fields = {k: v for k, v in FULL.items() if k in ("measure", "reason", "due", "approver", "supervisor_unit", "deadline", "number")}
    more = {"basis": "其他", "basis_reason": "井盖缺失", "assessor": "检测中心", "conclusion": "已消除", "opinion": "同意"}
    plan = {k: "有" for k in PLAN}
    attachment = Evidence("评估报告.pdf", "ab" * 32, Path("评估报告.pdf"))
    req = Request(action, "王五", role, dt.date(2026, 12, 1), **fields, **more, plan=plan, attachment=attachment)
    with writing(engine) as conn:
        moved = apply(conn, MAJOR_ID, req, version)
    assert moved["status"] == to and moved["version"] == version + 1 and moved["moved_on"] == dt.date(2026, 12, 1)
    with reading(engine) as conn:
        assert get(conn, MAJOR_ID)["status"] == to
        last = history(conn, MAJOR_ID)[-1]
    assert (last["action"], last["from_status"], last["to_status"], last["by"], last["role"]) == (action, status, to, "王五", role)
    assert last["data"]["on"] == "2026-12-01" and last["data"]["set"]["moved_on"] == "2026-12-01"


def test_the_command_line_words_a_refusal_naming_its_options(example, tmp_path):
    """The same refusals, as the terminal says them: the moves allowed by their command names, a
    missing field by the option that gives it."""
    reg = Register(f"sqlite:///{tmp_path / 'r.db'}")
    reg("import", example)
    out = reg("rectify", GENERAL_ID, "--role", "unit", "--measure", "").output
    assert "整改完成 (rectify)需要填写 --measure (整改措施)" in out, out
    out = reg("verify", GENERAL_ID, "--pass", "--role", "inspector").output
    assert "当前为待整改：不允许复查通过 (pass)；允许的操作：" in out and "开始整改 (start)" in out, out
    out = reg("rectify", GENERAL_ID, "--role", "unit", "--measure", "m", "--date", "2026-11-19").output
    assert "--date (办理日期) 2026年11月19日 早于其前一步操作（登记 (register)）的日期 2026年11月20日" in out, out


def test_extend_must_move_the_due_date_later(engine):
    with writing(engine) as conn, pytest.raises(Exception, match="必须晚于现在的"):
        apply(conn, GENERAL_ID, Request("extend", "王五", "admin", dt.date(2026, 11, 25), due=dt.date(2026, 12, 1), reason="r"))
    with writing(engine) as conn, pytest.raises(Exception, match="必须晚于现在的"):
        apply(conn, GENERAL_ID, Request("request-extension", "赵六", "unit", dt.date(2026, 11, 25), due=dt.date(2026, 12, 15), reason="r"))
