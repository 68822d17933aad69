"""Nothing typed on a page or sent to the API breaks a record (issue 20, items 1, 2 and 11): the
review's reproductions answer 400 naming the field, write nothing, and every paper still renders."""

from __future__ import annotations

import io

import pytest
from web_helpers import client_as, csrf_of, make_site

from checklist.web.audit_store import Store


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path)


def pdf_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as doc:
        return "".join(p.extract_text() or "" for p in doc.pages)


RAW = {  # as the review sent them: raw JSON escapes
    "lone surrogate": ('"a\\ud83db"', "U+D83D"),
    "NEL": ('"a\\u0085b"', "U+0085"),
    "line separator": ('"a\\u2028b"', "U+2028"),
    "paragraph separator": ('"a\\u2029b"', "U+2029"),
    "emoji": ('"已整改\\ud83d\\udc4d"', "U+1F44D"),
    "astral CJK": ('"\\ud840\\udc00"', "U+20000"),
}


@pytest.mark.parametrize("raw, char", RAW.values(), ids=RAW.keys())
def test_an_answer_with_a_character_no_file_or_report_holds_is_refused_and_nothing_written(site, raw, char):
    c = client_as(site, "张三")
    store = site.app.extensions["audit_store"]
    path = store.path(site.office_audit)
    before = path.read_bytes()
    check = store.load(site.office_audit)[0].entries[1].id
    r = c.put(
        f"/api/audits/{site.office_audit}/checks/{check}",
        data='{"result": "pass", "note": ' + raw + "}",
        headers={"X-CSRF-Token": csrf_of(c), "Content-Type": "application/json"},
    )
    assert r.status_code == 400, r.text
    assert r.json["error"]["field"] == "note" and char in r.json["error"]["message"] and "备注" in r.json["error"]["message"]
    assert path.read_bytes() == before
    restarted = Store(store.folder)  # as after a restart of the server: the audit is still there
    assert site.office_audit in [s["id"] for s in restarted.summaries()]


def test_rectifying_with_an_emoji_is_refused_on_its_field_and_the_ledger_still_renders(site):
    """The review: a unit user types 已整改👍 and from then on the bureau's 隐患台账 fails for everyone."""
    unit = client_as(site, "王五")
    hid = next(h for h in site.tech_hazards if unit.get(f"/api/hazards/{h}").json["level"] == "一般隐患")
    r = unit.post(f"/hazards/{hid}/moves", data={"action": "rectify", "version": "1", "measure": "已整改👍", "csrf_token": csrf_of(unit)})
    assert r.status_code == 400 and "整改措施" in r.text and "“👍”" in r.text and "U+1F44D" in r.text
    r = unit.post(
        f"/api/hazards/{hid}/moves",
        json={"action": "rectify", "version": 1, "measure": "已整改👍"},
        headers={"X-CSRF-Token": csrf_of(unit)},
    )
    assert r.status_code == 400 and r.json["error"]["field"] == "measure" and r.json["error"]["code"] == "value.unprintable"
    assert unit.get(f"/api/hazards/{hid}").json["status"] == "待整改"  # nothing written
    r = unit.post(f"/hazards/{hid}/moves", data={"action": "rectify", "version": "1", "measure": "已整改", "csrf_token": csrf_of(unit)})
    assert r.status_code == 302
    for who in ("王五", "管理员"):
        ledger = client_as(site, who).get("/register/ledger.pdf")
        assert ledger.status_code == 200 and hid in pdf_text(ledger.data)


def test_a_new_audits_fields_are_refused_on_their_own_field(site):
    """An over-long inspector name, or a control character in it, is named as 检查人员 — not as
    the unit's “no checks apply” (item 11)."""
    c = client_as(site, "张三")
    audits = sorted((site.settings.data / "audits").glob("*.yaml"))
    form = {"catalog": "bj-rtv-3g3b", "unit": "科技处", "target": "科技处", "date": "2026-11-25", "csrf_token": csrf_of(c)}
    for inspectors, words in (("张" * 300, "过长"), ("张\x01三", "U+0001"), ("张三😀", "U+1F600")):
        r = c.post("/audits/new", data=form | {"inspectors": inspectors})
        assert r.status_code == 400 and "检查人员" in r.text and words in r.text, r.text
        assert "没有适用的检查项" not in r.text
        r = c.post(
            "/api/audits",
            json={k: v for k, v in form.items() if k != "csrf_token"} | {"inspectors": [inspectors]},
            headers={"X-CSRF-Token": csrf_of(c)},
        )
        assert r.status_code == 400 and r.json["error"]["field"] == "inspectors", r.json
    for field in ("target", "address", "title"):
        r = c.post(
            "/api/audits",
            json={"catalog": "bj-rtv-3g3b", "unit": "科技处", "target": "科技处", "date": "2026-11-25", field: "甲\u2028乙"},
            headers={"X-CSRF-Token": csrf_of(c)},
        )
        assert r.status_code == 400 and r.json["error"]["field"].endswith(field.replace("target", "name")), (field, r.json)
    assert sorted((site.settings.data / "audits").glob("*.yaml")) == audits  # nothing written


def test_a_spreadsheet_bomb_as_the_facts_of_a_new_audit_is_refused_and_nothing_kept(site, tmp_path, monkeypatch):
    import openpyxl
    from paths import EXAMPLES

    monkeypatch.setenv("CHECKLIST_CATALOGS", str(EXAMPLES / "catalog" / "valid"))
    book = openpyxl.Workbook()
    book.active.append(["名称", "建筑面积", "从业人数"])
    book.active.append(["甲", 100, 7])
    book.active["XFD1048576"] = "x"
    book.save(tmp_path / "bomb.xlsx")
    c = client_as(site, "张三")
    audits = sorted(p for p in (site.settings.data / "audits").rglob("*") if p.is_file())
    form = {"catalog": "rules", "kind": "base", "target": "甲", "date": "2026-11-25", "inspectors": "张三", "csrf_token": csrf_of(c)}
    r = c.post(
        "/audits/new",
        data=form | {"facts": (io.BytesIO((tmp_path / "bomb.xlsx").read_bytes()), "bomb.xlsx")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 400 and "事实声明文件有误" in r.text and "1,048,576" in r.text, r.text
    assert sorted(p for p in (site.settings.data / "audits").rglob("*") if p.is_file()) == audits  # the upload was not kept
