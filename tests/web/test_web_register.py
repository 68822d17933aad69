"""The register in the browser through Flask's test client: a unit user held to its own unit's
hazards on every page, photo, PDF and API call; moves in the user's name, refused in Chinese;
the register's paper as downloads."""

from __future__ import annotations

import io

import pytest
from web_helpers import TECH, client_as, csrf_of, fetch, jpeg, make_site


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path)


def test_a_unit_user_sees_only_its_own_units_hazards(site):
    c = client_as(site, "王五")
    page = c.get("/hazards").text
    assert all(h in page for h in site.tech_hazards) and site.office_hazard not in page
    listed = c.get("/api/hazards").json["hazards"]
    assert {h["id"] for h in listed} == set(site.tech_hazards)
    assert c.get("/api/hazards?unit=办公室").status_code == 403
    own, other = site.tech_hazards[0], site.office_hazard
    assert c.get(f"/hazards/{own}").status_code == 200
    for path in (
        f"/hazards/{other}",
        f"/api/hazards/{other}",
        f"/hazards/{other}/photos/0",
        f"/hazards/{other}/notice.pdf",
        f"/hazards/{other}/opinion.pdf",
    ):
        r = c.get(path)
        assert r.status_code == 403, path
        assert "无权访问" in r.text
    token = csrf_of(c)
    r = c.post(f"/hazards/{other}/moves", data={"action": "start", "version": "1", "csrf_token": token})
    assert r.status_code == 403


def test_photos_before_are_served_to_their_unit(site):
    c = client_as(site, "王五")
    major = next(h for h in site.tech_hazards if c.get(f"/api/hazards/{h}").json["photos"])
    status, data = fetch(c, f"/hazards/{major}/photos/0")
    assert status == 200 and data[:2] == b"\xff\xd8"
    assert c.get(f"/hazards/{major}/photos/1").status_code == 404


def test_the_ledger_of_a_unit_user_holds_its_unit_only(site):
    from openpyxl import load_workbook

    c = client_as(site, "王五")
    r = c.get("/register/ledger.xlsx")
    assert r.status_code == 200
    cells = [str(v) for row in load_workbook(io.BytesIO(r.data)).active.iter_rows(values_only=True) for v in row if v]
    assert any(site.tech_hazards[0] in v for v in cells) and not any(site.office_hazard in v for v in cells)
    assert c.get("/register/dashboard.pdf").status_code == 403


def test_moves_carry_the_user_and_refuse_a_stale_version(site):
    c = c_unit = client_as(site, "王五")
    hid = next(h for h in site.tech_hazards if c.get(f"/api/hazards/{h}").json["level"] == "一般隐患")
    token = csrf_of(c)
    r = c.post(
        f"/hazards/{hid}/moves",
        data={
            "action": "rectify",
            "version": "1",
            "measure": "已补开分析会",
            "csrf_token": token,
            "photo": (io.BytesIO(jpeg(color="green")), "after.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    h = c.get(f"/api/hazards/{hid}").json
    assert h["status"] == "待复查" and h["history"][-1]["by"] == "王五" and h["history"][-1]["role"] == "unit"
    sha = h["history"][-1]["evidence"][0]["sha256"]
    assert fetch(c, f"/hazards/{hid}/evidence/{sha}")[1][:2] == b"\xff\xd8"
    inspector = client_as(site, "张三")
    assert "复查通过" in inspector.get(f"/hazards/{hid}").text
    r = inspector.post(f"/hazards/{hid}/moves", data={"action": "pass", "version": "1", "csrf_token": csrf_of(inspector)})
    assert r.status_code == 409 and "该隐患刚被王五修改（整改完成），您的修改未保存" in r.text
    r = inspector.post(
        f"/api/hazards/{hid}/moves", json={"action": "pass", "version": h["version"]}, headers={"X-CSRF-Token": csrf_of(inspector)}
    )
    assert r.status_code == 200 and r.json["status"] == "已销号" and r.json["reviewer"] == "张三"
    r = c_unit.post(f"/api/hazards/{hid}/moves", json={"action": "pass", "version": r.json["version"]}, headers={"X-CSRF-Token": token})
    assert r.status_code == 409 and r.json["error"] == {
        "message": "当前状态为“已销号”，不能办理“复查通过”",
        "field": "action",
        "code": "move.status",
    }
    major = next(h for h in site.tech_hazards if h != hid)
    r = c_unit.post(f"/api/hazards/{major}/moves", json={"action": "start", "version": 1}, headers={"X-CSRF-Token": token})
    assert r.status_code == 409 and r.json["error"]["message"].startswith("重大事故隐患须先填全治理方案才能办理此项，尚缺：目标和任务")
    r = inspector.post(f"/api/hazards/{major}/moves", json={"action": "start", "version": 1}, headers={"X-CSRF-Token": csrf_of(inspector)})
    assert r.status_code == 403 and r.json["error"]["message"] == "“开始整改”须由管理员或被检查单位办理"


def pdf_text(data: bytes) -> str:
    from extras import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as doc:
        return "".join(p.extract_text() or "" for p in doc.pages)


@pytest.mark.slow
def test_the_register_paper_downloads(site):
    c = client_as(site, "张三")
    hid = site.office_hazard
    r = c.post(f"/api/hazards/{hid}/moves", json={"action": "rectify", "version": 1, "measure": "x"}, headers={"X-CSRF-Token": csrf_of(c)})
    assert r.status_code == 403  # inspectors do not rectify
    unit = client_as(site, "赵六")
    unit.post(
        f"/api/hazards/{hid}/moves",
        json={"action": "rectify", "version": 1, "measure": "已补齐值班记录"},
        headers={"X-CSRF-Token": csrf_of(unit)},
    )
    c.post(f"/api/hazards/{hid}/moves", json={"action": "pass", "version": 2, "reason": "记录齐全"}, headers={"X-CSRF-Token": csrf_of(c)})
    opinion = unit.get(f"/hazards/{hid}/opinion.pdf")
    assert opinion.status_code == 200 and "记录齐全" in pdf_text(opinion.data)
    ledger = unit.get("/register/ledger.pdf")
    text = pdf_text(ledger.data)
    assert hid in text and site.tech_hazards[0] not in text
    dashboard = c.get("/register/dashboard.pdf")
    assert dashboard.status_code == 200 and dashboard.headers["Content-Disposition"].startswith("attachment;")
    assert f"{TECH} 2" in pdf_text(dashboard.data)  # the open hazards by unit (the office one is closed now)
    from checklist.register.log import head

    with site.engine.connect() as conn:
        events, last = head(conn)
    for paper in (text, pdf_text(dashboard.data)):  # the log's head, to keep with the paper
        assert f"共 {events} 条事件" in paper and last in "".join(paper.split())
