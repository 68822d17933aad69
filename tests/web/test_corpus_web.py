"""The corpus (issue 20) through the web app: every text field of the JSON API (answers, moves,
new audits) and of the forms (new audit, a move, a new user). Each value is refused — 400 with
the field named, nothing written — or stored, read back, validated and printed to PDF."""

from __future__ import annotations

import json

import pytest
from corpus import CORPUS, pdf_text
from web_helpers import client_as, csrf_of, make_site

from checklist.audits.audit_file import load_audit
from checklist.vocabulary import field_name


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path)


def put_raw(c, url, data: dict, token: str):
    """JSON as a client may send it: lone surrogates as escapes (json.dumps keeps them so)."""
    return c.put(url, data=json.dumps(data), headers={"X-CSRF-Token": token, "Content-Type": "application/json"})


def post_raw(c, url, data: dict, token: str):
    return c.post(url, data=json.dumps(data), headers={"X-CSRF-Token": token, "Content-Type": "application/json"})


def _finding(key: str, value: str, level: str = "一般隐患") -> dict:
    finding = {"hazard": level, "description": "未见值班记录", "measure": "补齐", "owner": "李四", "due": "2026-12-10"}
    if key.startswith("plan."):
        return {"result": "fail", "finding": finding | {"plan": {key[5:]: value}}}
    return {"result": "fail", "finding": finding | {key: value}}


ANSWERS = {
    "note": lambda v: {"result": "pass", "note": v},
    "reason": lambda v: {"result": "na", "reason": v},
    "finding.description": lambda v: _finding("description", v),
    "finding.measure": lambda v: _finding("measure", v),
    "finding.owner": lambda v: _finding("owner", v),
    "finding.place": lambda v: _finding("place", v),
    "finding.interim_measures": lambda v: _finding("interim_measures", v),
    "finding.plan.goal": lambda v: _finding("plan.goal", v, "重大事故隐患"),
}


@pytest.mark.parametrize("field", ANSWERS)
def test_answers(site, field):
    c = client_as(site, "张三")
    token = csrf_of(c)
    store = site.app.extensions["audit_store"]
    path = store.path(site.office_audit)
    check = store.load(site.office_audit)[0].entries[2].id
    for kind, value in CORPUS.items():
        before = path.read_bytes()
        r = put_raw(c, f"/api/audits/{site.office_audit}/checks/{check}", ANSWERS[field](value), token)
        if kind != "printable":
            assert r.status_code == 400 and r.json["error"]["field"] == field, (kind, r.text)
            assert field_name(field) in r.json["error"]["message"] and path.read_bytes() == before, kind
        else:
            assert r.status_code == 200, r.text
            a, _, _ = load_audit(path)  # read back and validated
            assert any(value in json.dumps(e.as_dict(), ensure_ascii=False) for e in a.entries)
            report = c.get(f"/audits/{site.office_audit}/report.pdf")
            assert report.status_code == 200 and report.data.startswith(b"%PDF")


MOVES = {  # field -> (who, hazard picker, the move's other fields)
    "measure": ("王五", "general", {"action": "rectify"}),
    "reason": ("王五", "general", {"action": "request-extension", "due": "2026-12-31"}),
    "approver": ("管理员", "general", {"action": "revoke", "reason": "误报"}),
    "supervisor_unit": ("管理员", "major", {"action": "supervise", "deadline": "2026-12-31", "number": "督〔2026〕1号"}),
    "number": ("管理员", "major", {"action": "supervise", "deadline": "2026-12-31", "supervisor_unit": "局安监办"}),
}


@pytest.mark.parametrize("field", MOVES)
def test_moves(site, field):
    who, pick, others = MOVES[field]
    c = client_as(site, who)
    token = csrf_of(c)
    levels = {h: c.get(f"/api/hazards/{h}").json["level"] for h in site.tech_hazards}
    hid = next(h for h, level in levels.items() if (level == "重大事故隐患") == (pick == "major"))
    if pick == "major":  # a 重大事故隐患 names its grading's basis before 挂牌督办
        admin = client_as(site, "管理员")
        graded = {
            "action": "grade",
            "basis": "其他",
            "basis_reason": "井盖缺失",
            "version": admin.get(f"/api/hazards/{hid}").json["version"],
        }
        assert post_raw(admin, f"/api/hazards/{hid}/moves", graded, csrf_of(admin)).status_code == 200
    for kind, value in CORPUS.items():
        before = c.get(f"/api/hazards/{hid}").json
        r = post_raw(c, f"/api/hazards/{hid}/moves", others | {"version": before["version"], field: value}, token)
        if kind != "printable":
            assert r.status_code == 400 and r.json["error"]["field"] == field, (kind, r.text)
            assert c.get(f"/api/hazards/{hid}").json == before, kind
        else:
            assert r.status_code == 200, r.text
            ledger = client_as(site, "管理员").get("/register/ledger.pdf")
            assert ledger.status_code == 200 and hid in pdf_text(ledger.data)


NEW_AUDIT = {"target": "target.name", "address": "target.address", "title": "title", "inspectors": "inspectors"}


@pytest.mark.parametrize("key", NEW_AUDIT)
def test_new_audits_through_the_api_and_the_form(site, key):
    c = client_as(site, "张三")
    token = csrf_of(c)
    folder = site.settings.data / "audits"
    base = {"catalog": "bj-rtv-3g3b", "unit": "科技处", "target": "科技处", "date": "2026-11-25", "inspectors": ["张三"]}
    for kind, value in CORPUS.items():
        before = sorted(folder.glob("*.yaml"))
        r = post_raw(c, "/api/audits", base | {key: [value] if key == "inspectors" else value}, token)
        form = {k: v for k, v in base.items() if k != "inspectors"} | {"inspectors": "张三", "csrf_token": token}
        typed = value.replace("\ud83d", "\ufffd")  # a form is UTF-8: it cannot carry a lone surrogate (the API can)
        page = c.post("/audits/new", data=form | {key: typed})
        if kind != "printable":
            assert r.status_code == 400 and r.json["error"]["field"] == NEW_AUDIT[key], (kind, r.text)
            assert page.status_code == 400 and field_name(NEW_AUDIT[key]) in page.text, (kind, page.text[:300])
            assert sorted(folder.glob("*.yaml")) == before, kind
        else:
            assert r.status_code == 201 and page.status_code == 302, (r.text, page.text[:300])
            report = c.get(f"/audits/{r.json['id']}/report.pdf")
            assert report.status_code == 200 and report.data.startswith(b"%PDF")


def test_the_move_form_and_the_users_form(site):
    unit, admin = client_as(site, "王五"), client_as(site, "管理员")
    hid = next(h for h in site.tech_hazards if unit.get(f"/api/hazards/{h}").json["level"] == "一般隐患")
    for kind, value in CORPUS.items():
        form_value = value.replace("\ud83d", "\ufffd") if kind == "lone surrogate" else value  # a form is UTF-8: it cannot carry one
        r = unit.post(
            f"/hazards/{hid}/moves", data={"action": "rectify", "version": "1", "measure": form_value, "csrf_token": csrf_of(unit)}
        )
        assert (r.status_code == 302) == (kind == "printable"), (kind, r.status_code)
        if kind != "printable":
            assert "整改措施" in r.text
        for fields, named in (
            ({"name": form_value, "role": "inspector"}, "用户名"),
            ({"name": f"单位用户{len(kind)}", "role": "unit", "unit": form_value}, "被检查单位"),
        ):
            r = admin.post("/users", data=fields | {"password": "correct-horse-42", "csrf_token": csrf_of(admin, "/users")})
            if kind != "printable":
                assert r.status_code == 400 and named in r.text, (kind, fields, r.text[:300])
    ledger = admin.get("/register/ledger.pdf")
    assert ledger.status_code == 200 and hid in pdf_text(ledger.data)
