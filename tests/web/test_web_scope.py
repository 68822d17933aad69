"""Access follows the unit, never free text (issue 20, item 6): a hazard is seen and moved by the
users of the unit its audit was made for — by unit id in the hazard's own catalog — whatever the
target was called; a unit user may filter by its own unit under any of its names."""

from __future__ import annotations

import pytest
from web_helpers import TECH, client_as, csrf_of, fail_answer, make_site


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path)


def misleading_hazard(site) -> str:
    """The review: an inspector audits unit 科技处 and names the target “办公室”."""
    c = client_as(site, "张三")
    token = csrf_of(c)
    r = c.post(
        "/api/audits",
        json={"catalog": "bj-rtv-3g3b", "unit": "科技处", "target": "办公室", "inspectors": ["张三"], "date": "2026-11-25"},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 201, r.text
    audit_id, check = r.json["id"], r.json["checks"][0]
    r = c.put(f"/api/audits/{audit_id}/checks/{check}", json=fail_answer("值班记录缺失"), headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    r = c.post(f"/api/audits/{audit_id}/finish", headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    (hid,) = r.json["report"]["added"]
    return hid


def test_a_target_named_like_another_unit_gives_that_unit_nothing(site):
    hid = misleading_hazard(site)
    office = client_as(site, "赵六")  # 办公室's unit user
    assert hid not in office.get("/hazards").text
    assert hid not in {h["id"] for h in office.get("/api/hazards").json["hazards"]}
    for path in (f"/hazards/{hid}", f"/api/hazards/{hid}", f"/hazards/{hid}/notice.pdf"):
        assert office.get(path).status_code == 403, path
    r = office.post(
        f"/api/hazards/{hid}/moves",
        json={"action": "rectify", "version": 1, "measure": "已整改"},
        headers={"X-CSRF-Token": csrf_of(office)},
    )
    assert r.status_code == 403
    import io

    import openpyxl

    ledger = office.get("/register/ledger.xlsx")
    cells = [str(v) for row in openpyxl.load_workbook(io.BytesIO(ledger.data)).active.iter_rows(values_only=True) for v in row if v]
    assert not any(hid in v for v in cells) and any(site.office_hazard in v for v in cells)
    tech = client_as(site, "王五")  # 科技处's: the audit was made for it
    assert tech.get(f"/api/hazards/{hid}").status_code == 200
    r = tech.post(
        f"/api/hazards/{hid}/moves",
        json={"action": "rectify", "version": 1, "measure": "已补齐值班记录"},
        headers={"X-CSRF-Token": csrf_of(tech)},
    )
    assert r.status_code == 200 and r.json["status"] == "待复查"


@pytest.mark.parametrize("name", [TECH, "科技处", "tech", "公共服务处", " 科技处(公共服务处) "])
def test_a_unit_user_may_filter_by_any_name_of_its_own_unit(site, name):
    tech = client_as(site, "王五")
    r = tech.get("/api/hazards", query_string={"unit": name})
    assert r.status_code == 200 and {h["id"] for h in r.json["hazards"]} == set(site.tech_hazards)
    assert tech.get("/hazards", query_string={"unit": name}).status_code == 200


def test_another_units_name_is_still_refused(site):
    tech = client_as(site, "王五")
    for name in ("办公室", "office", "安监办"):
        assert tech.get("/api/hazards", query_string={"unit": name}).status_code == 403
