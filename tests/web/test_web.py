"""The web app through Flask's test client: login and sessions, CSRF, roles and units on every
page, photo and PDF, the JSON API with tokens, answers saved into the audit file, XSS escaped."""

from __future__ import annotations

import html
import io
import re

import pytest
from paths import ROOT
from web_helpers import OFFICE, PASSWORD, TECH, client_as, csrf_of, fail_answer, fetch, jpeg, login, make_site

from checklist.audits.audit_file import load_audit


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path)


def test_healthz_and_security_headers(site):
    r = site.app.test_client().get("/healthz")
    assert r.status_code == 200 and r.json["database"] is True and r.json["version"]
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_need_a_login_and_speak_chinese(site):
    c = site.app.test_client()
    r = c.get("/hazards")
    assert r.status_code == 302 and "/login?next=/hazards" in r.headers["Location"]
    r = c.get("/api/hazards")
    assert r.status_code == 401 and r.json == {"error": {"message": "请先登录"}}
    assert "登录" in c.get("/login").text


def test_login_issues_a_new_httponly_samesite_session(site):
    c = site.app.test_client()
    c.set_cookie("checklist_session", "planted-by-an-attacker")
    r = login(c, "张三")
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("checklist_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "planted-by-an-attacker" not in cookie
    assert c.get("/audits").status_code == 200
    second = site.app.test_client()
    r2 = login(second, "张三")
    assert next(h for h in r2.headers.getlist("Set-Cookie") if h.startswith("checklist_session=")) != cookie


def test_login_without_its_csrf_token_is_refused(site):
    c = site.app.test_client()
    r = c.post("/login", data={"name": "张三", "password": PASSWORD})
    assert r.status_code == 403 and "页面已过期" in r.text


def test_failed_logins_are_rate_limited(site):
    c = site.app.test_client()
    for _ in range(site.settings.login_attempts):
        assert login(c, "张三", "wrong-password").status_code == 401
    r = login(c, "张三")  # the right password, too late
    assert r.status_code == 429 and "登录失败次数过多" in r.text
    assert login(site.app.test_client(), "王五").status_code == 302  # other names are not locked out
    for name in ("甲", "乙", "丙", "丁") * site.settings.login_attempts:  # guessing across names from one address
        login(c, name, "wrong-password")
    assert login(c, "管理员").status_code == 429


def test_unsafe_requests_need_the_csrf_token(site):
    c = client_as(site, "张三")
    url = (
        f"/api/audits/{site.office_audit}/checks/" + load_audit(site.app.extensions["audit_store"].path(site.office_audit))[0].entries[1].id
    )
    assert c.put(url, json={"result": "pass"}).status_code == 403
    assert c.put(url, json={"result": "pass"}, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert c.post("/logout").status_code == 403
    token = csrf_of(c)
    assert c.put(url, json={"result": "pass"}, headers={"X-CSRF-Token": token}).status_code == 200
    assert c.post("/logout", data={"csrf_token": token}).status_code == 302
    assert c.get("/audits").status_code == 302  # the session ended on the server


def test_a_unit_user_gets_403_on_audits(site):
    c = client_as(site, "王五")
    audit = site.office_audit
    name = load_audit(site.app.extensions["audit_store"].path(audit))[0].entries[0].evidence[0].split("/")[-1]
    for path in ("/audits", "/audits/new", f"/audits/{audit}", f"/audits/{audit}/evidence/{name}", f"/audits/{audit}/report.pdf"):
        assert c.get(path).status_code == 403, path
    assert c.put(f"/api/audits/{audit}/checks/x", json={}, headers={"X-CSRF-Token": csrf_of(c)}).status_code == 403
    inspector = client_as(site, "张三")
    assert fetch(inspector, f"/audits/{audit}/evidence/{name}")[0] == 200
    assert inspector.get(f"/audits/{audit}/evidence/{'0' * 64}.jpg").status_code == 404  # only photos its entries name


def test_answers_are_saved_into_the_audit_file(site):
    c = client_as(site, "张三")
    token = csrf_of(c)
    r = c.post(
        "/audits/new",
        data={
            "catalog": "bj-rtv-3g3b",
            "unit": TECH,
            "target": "科技处",
            "inspectors": "张三、李四",
            "date": "2026-11-25",
            "csrf_token": token,
        },
    )
    assert r.status_code == 302
    audit_id = r.headers["Location"].rsplit("/", 1)[1]
    path = site.app.extensions["audit_store"].path(audit_id)
    check = load_audit(path)[0].entries[0].id
    url = f"/api/audits/{audit_id}/checks/{check}"
    headers = {"X-CSRF-Token": token}
    r = c.put(url, json={"result": "fail", "finding": {"hazard": "一般隐患", "owner": "李四", "due": "2026-12-01"}}, headers=headers)
    assert r.status_code == 400 and r.json["error"] == {"message": "请填写整改措施", "field": "finding.measure", "code": "value.required"}
    r = c.put(url, json=fail_answer("消防通道堵塞") | {"previous": "unchecked"}, headers=headers)
    assert r.status_code == 200 and r.json["answered"] == 1
    a = load_audit(path)[0]
    assert a.entries[0].result == "fail" and a.entries[0].finding.measure == "补齐记录" and a.inspectors == ["张三", "李四"]
    r = c.put(url, json={"result": "pass", "previous": "unchecked"}, headers=headers)  # the page showed an old result
    assert r.status_code == 409 and "刚被他人改为“不符合”" in r.json["error"]["message"] and r.json["error"]["current"]["result"] == "fail"
    r = c.put(url, json=fail_answer("x", due="2026-01-01"), headers=headers)
    assert r.status_code == 400 and r.json["error"]["field"] == "finding.due"
    assert load_audit(path)[0].entries[0].finding.due == "2026-12-10"  # the refused answer left nothing behind


def test_notes_are_escaped(site):
    c = client_as(site, "张三")
    token = csrf_of(c)
    audit = site.office_audit
    check = load_audit(site.app.extensions["audit_store"].path(audit))[0].entries[1].id
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert (
        c.put(f"/api/audits/{audit}/checks/{check}", json={"result": "pass", "note": evil}, headers={"X-CSRF-Token": token}).status_code
        == 200
    )
    page = c.get(f"/audits/{audit}").text
    assert evil not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    r = c.post(
        "/audits/new",
        data={"catalog": "bj-rtv-3g3b", "unit": "办公室", "target": evil, "inspectors": "张三", "date": "2026-11-25", "csrf_token": token},
        follow_redirects=True,
    )
    assert r.status_code == 200 and evil not in r.text and "&lt;img src=x onerror=alert(1)&gt;" in r.text


def test_uploads_are_decoded_not_trusted(site):
    c = client_as(site, "张三")
    token = csrf_of(c)
    store = site.app.extensions["audit_store"]
    audit = site.office_audit
    check = load_audit(store.path(audit))[0].entries[1].id
    url = f"/api/audits/{audit}/checks/{check}/photos"
    for name, data in (
        ("../../x.jpg", b"<html><script>alert(1)</script></html>"),
        ("photo.jpg", b"<svg onload=alert(1)>"),
        ("a.gif", b"GIF89a" + b"\0" * 40),
    ):
        r = c.post(url, data={"photo": (io.BytesIO(data), name)}, headers={"X-CSRF-Token": token}, content_type="multipart/form-data")
        assert r.status_code == 400 and r.json["error"]["field"] == "photo", name
    r = c.post(
        url,
        data={"photo": (io.BytesIO(jpeg((40, 20), orientation=6)), "../../x.jpg")},
        headers={"X-CSRF-Token": token},
        content_type="multipart/form-data",
    )
    assert r.status_code == 201 and re.fullmatch(r"[0-9a-f]{64}\.jpg", r.json["name"])
    assert not list(site.settings.data.parent.rglob("x.jpg"))
    from PIL import Image

    with Image.open(store.folder / "evidence" / r.json["name"]) as img:
        assert img.size == (20, 40)  # turned upright by its EXIF orientation
        assert not img.getexif()  # and kept without metadata


def test_token_api(site, tmp_path):
    from checklist.register.users import new_token

    c = site.app.test_client()
    assert c.get("/api/hazards", headers={"Authorization": "Bearer nope"}).status_code == 401
    unit = {"Authorization": f"Bearer {new_token(site.engine, '王五')}"}
    inspector = {"Authorization": f"Bearer {new_token(site.engine, '张三')}"}
    assert c.get(f"/api/hazards/{site.office_hazard}", headers=unit).status_code == 403
    r = c.post("/api/audits", json={"catalog": "bj-rtv-3g3b", "unit": "办公室", "target": "局办公室", "date": "2026-11-25"}, headers=unit)
    assert r.status_code == 403 and r.json["error"]["message"].startswith("无权访问")
    r = c.post(
        "/api/audits", json={"catalog": "bj-rtv-3g3b", "unit": "办公室", "target": "局办公室", "date": "2026-13-01"}, headers=inspector
    )
    assert r.status_code == 400 and r.json["error"] == {
        "message": "检查日期应为日期，格式 YYYY-MM-DD（如 2026-12-31）",
        "field": "date",
        "code": "value.not_date",
    }
    r = c.post(
        "/api/audits", json={"catalog": "bj-rtv-3g3b", "unit": "办公室", "target": "局办公室", "date": "2026-11-25"}, headers=inspector
    )
    assert r.status_code == 201
    first = r.json["checks"][0]
    r = c.put(f"/api/audits/{r.json['id']}/checks/{first}", json={"result": "na", "reason": "本单位无此业务"}, headers=inspector)
    assert r.status_code == 200 and r.json["check"]["result_name"] == "不适用"  # no CSRF with a token
    r = c.get("/api/hazards?status=待整改&level=重大事故隐患", headers=inspector)
    assert r.status_code == 200 and [h["level"] for h in r.json["hazards"]] == ["重大事故隐患"]
    assert c.get("/api/hazards?status=bogus", headers=inspector).json["error"]["field"] == "status"


@pytest.mark.slow
def test_finish_imports_the_findings_and_offers_the_report(site):
    from extras import pdfplumber

    c = client_as(site, "张三")
    token = csrf_of(c)
    audit = site.office_audit
    check = load_audit(site.app.extensions["audit_store"].path(audit))[0].entries[2].id
    c.put(f"/api/audits/{audit}/checks/{check}", json=fail_answer("应急预案未演练"), headers={"X-CSRF-Token": token})
    r = c.post(f"/audits/{audit}/finish", data={"csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/audits/{audit}/done")
    r = c.get(r.headers["Location"])
    assert r.status_code == 200 and "登记的隐患" in r.text
    added = re.findall(r">(YH-\d{4}-\d{4})</a> 一般隐患 · 待整改 · 应急预案未演练", r.text)[0]
    assert c.get(f"/api/hazards/{added}").json["description"] == "应急预案未演练"
    pdf = c.get(f"/audits/{audit}/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
    assert "局办公室" in text and "应急预案未演练" in text
    office = client_as(site, "赵六")
    notice = office.get(f"/hazards/{added}/notice.pdf")
    with pdfplumber.open(io.BytesIO(notice.data)) as doc:
        assert OFFICE in "".join(p.extract_text() or "" for p in doc.pages)


def test_templates_use_no_inline_script_or_style(site):
    c = client_as(site, "张三")
    for path in ("/audits", f"/audits/{site.office_audit}", "/hazards", f"/hazards/{site.office_hazard}", "/audits/new"):
        page = c.get(path).text
        assert "<script>" not in page and " style=" not in page and "<style" not in page and " on" + "click=" not in page, path
        # data for the page's script comes as JSON, which is not run (the CSP allows no inline script)
        assert all(tag == '<script type="application/json" id="page-data">' for tag in re.findall(r"<script(?! src=)[^>]*>", page)), path


def test_the_data_validated_is_the_data_the_file_holds(site):
    """A save validates Audit.as_data() instead of re-parsing the YAML: the two must agree."""
    from checklist.files.loader import load

    store = site.app.extensions["audit_store"]
    path = store.path(site.office_audit)
    a, _ = store.load(site.office_audit)
    assert load(path).data == a.as_data()
    a2, _, _ = load_audit(ROOT / "examples" / "tech-2026q4.yaml")
    assert load(ROOT / "examples" / "tech-2026q4.yaml").data == a2.as_data()


def test_an_answer_that_breaks_the_audit_is_refused_and_forgotten(site):
    """The whole audit is checked at every save: a photo gone from disk (a cross-check) refuses it."""
    c = client_as(site, "张三")
    store = site.app.extensions["audit_store"]
    audit = site.office_audit
    a, _ = store.load(audit)
    (store.folder / a.entries[0].evidence[0]).unlink()
    r = c.put(f"/api/audits/{audit}/checks/{a.entries[1].id}", json={"result": "pass"}, headers={"X-CSRF-Token": csrf_of(c)})
    assert r.status_code == 422 and r.json["error"]["message"].startswith("保存被拒绝：检查记录校验未通过")
    from checklist.files.loader import load

    assert load(store.path(audit)).data["checks"][1]["result"] == "unchecked"  # nothing written
    r = c.get(f"/audits/{audit}")  # the file as it is now is invalid: said in Chinese, with the place
    assert r.status_code == 400 and "请求无法完成" in r.text and "evidence" in r.text


def test_an_audit_of_a_provider_kind_with_declared_facts(site):
    c = client_as(site, "张三")
    facts = (ROOT / "examples" / "providers" / "home-care.yaml").read_bytes()
    r = c.post(
        "/audits/new",
        data={
            "catalog": "bj-elderly-care-providers",
            "kind": "居家社区养老服务企业",
            "inspectors": "张三",
            "date": "2026-11-25",
            "csrf_token": csrf_of(c),
            "facts": (io.BytesIO(facts), "home-care.yaml"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    a, _, _ = load_audit(site.app.extensions["audit_store"].path(r.headers["Location"].rsplit("/", 1)[1]))
    assert a.target["name"] == "示例居家养老服务有限公司"
    assert any(e.decided_by and e.result in ("pass", "fail") for e in a.entries)
    r = c.post(
        "/audits/new",
        data={
            "catalog": "bj-rtv-3g3b",
            "unit": "办公室",
            "inspectors": "张三",
            "date": "2026-11-25",
            "csrf_token": csrf_of(c),
            "facts": (io.BytesIO(facts), "home-care.yaml"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 400 and "事实声明文件有误" in r.text


def test_a_facts_file_is_refused_in_the_page_s_words_whatever_the_server_s_locale(site, monkeypatch):
    """Issue 21: no terminal wording reaches a page. Under an English locale the server's messages
    about an uploaded file are still Chinese, each at its place in the file, without the server's path."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    c = client_as(site, "张三")
    facts = (ROOT / "examples" / "providers" / "home-care.yaml").read_text(encoding="utf-8").replace("1 年", "很多")
    form = {"catalog": "bj-elderly-care-providers", "kind": "居家社区养老服务企业", "inspectors": "张三", "date": "2026-11-25"}
    files = {"facts": (io.BytesIO(facts.encode()), "home-care.yaml")}
    r = c.post("/audits/new", data=form | files | {"csrf_token": csrf_of(c)}, content_type="multipart/form-data")
    page = html.unescape(r.text)
    assert r.status_code == 400 and "事实声明文件有误：第 6 行第 27 列：order_record_retention: '很多' 不是带单位的数字" in page, page
    assert "is not" not in page and str(site.settings.data) not in page  # nor the kept file's path on the server


def test_a_file_changed_by_another_program_is_not_overwritten(site, monkeypatch):
    """Between reading the audit and writing it, `audit run` or an editor saved the file: refused,
    and both versions kept (Audit.save compares the file's digest before the rename)."""
    c = client_as(site, "张三")
    store = site.app.extensions["audit_store"]
    audit = site.office_audit
    a, cat = store.load(audit)
    path = store.path(audit)
    path.write_text(path.read_text(encoding="utf-8") + "# 编辑器里加的一行\n", encoding="utf-8")
    monkeypatch.setattr(store, "load", lambda audit_id: (a, cat))  # this request read it before the edit
    r = c.put(f"/api/audits/{audit}/checks/{a.entries[3].id}", json={"result": "pass"}, headers={"X-CSRF-Token": csrf_of(c)})
    assert r.status_code == 409 and "刚被修改" in r.json["error"]["message"]
    monkeypatch.undo()
    assert "# 编辑器里加的一行" in path.read_text(encoding="utf-8")  # the other writer's version stays
    assert list(path.parent.glob(f"{audit}.conflict-*.yaml"))  # and this answer is kept beside it


def test_admins_manage_users_in_the_browser(site):
    from checklist.register.users import authenticate

    admin = client_as(site, "管理员")
    token = csrf_of(admin, "/users")
    assert "王五" in admin.get("/users").text
    r = admin.post("/users", data={"name": "孙七", "role": "unit", "unit": "", "password": "long-enough-pw", "csrf_token": token})
    assert r.status_code == 400 and "被检查单位用户须填写所属单位" in r.text
    r = admin.post("/users", data={"name": "孙七", "role": "inspector", "password": "short", "csrf_token": token})
    assert r.status_code == 400 and "密码至少 10 个字符" in r.text
    r = admin.post("/users", data={"name": "孙七", "role": "inspector", "password": "long-enough-pw", "csrf_token": token})
    assert r.status_code == 302 and authenticate(site.engine, "孙七", "long-enough-pw").role == "inspector"
    unit = client_as(site, "王五")
    assert unit.get("/users").status_code == 403
    assert admin.post("/users/王五/disable", data={"csrf_token": token}).status_code == 302
    assert unit.get("/hazards").status_code == 302  # its session ended: back to the login page
    assert client_as(site, "张三").post("/users/管理员/disable", data={"csrf_token": "x"}).status_code == 403
