"""Catalog pages and their API through Flask's test client: only editors and admins reach them; an
upload becomes a draft with its findings; a draft is invisible to a new audit until it is
published; a published version is never changed; the 责任清单 downloads name the 文号 and version."""

from __future__ import annotations

import io
import re

import pytest
from catalog_helpers import DOC_NO, TITLE, plan_docx
from web_helpers import PASSWORD, client_as, csrf_of, fetch, make_site

from checklist.register.users import add_user

PAGES = ("/catalogs", "/catalogs/bj-rtv-3g3b", "/catalogs/bj-rtv-3g3b/duties.xlsx")


@pytest.fixture
def site(tmp_path):
    site = make_site(tmp_path)
    add_user(site.engine, "编辑甲", "editor", None, PASSWORD)
    yield site
    from checklist.model.library import use_published

    use_published(None)


def upload(c, path, catalog_id="plan", name=None):
    data = {"csrf_token": csrf_of(c, "/catalogs"), "catalog_id": catalog_id, "document": (io.BytesIO(path.read_bytes()), name or path.name)}
    return c.post("/catalogs/import", data=data, content_type="multipart/form-data")


def change(c, op, version, cid="plan"):
    return c.post(f"/api/catalogs/{cid}/draft/changes", json={"version": version} | op, headers={"X-CSRF-Token": csrf_of(c, "/catalogs")})


def publishable(c):
    """The draft of plan put right through the API, as the page does; its version."""
    state = c.get("/api/catalogs/plan/draft").json
    v = change(c, {"op": "meta", "field": "title", "value": TITLE}, state["version"]).json["version"]
    unit = next(u["id"] for u in state["catalog"]["units"] if u["name"] == "区应急局")
    v = change(c, {"op": "clause", "clause": "S3", "field": "responsible", "value": [unit]}, v).json["version"]
    return change(c, {"op": "review", "finding": 1}, v).json


def published(site, tmp_path):
    c = client_as(site, "编辑甲")
    assert upload(c, plan_docx(tmp_path / "plan.docx")).status_code == 302
    state = publishable(c)
    r = c.post("/api/catalogs/plan/publish", json={"version": state["version"]}, headers={"X-CSRF-Token": csrf_of(c, "/catalogs")})
    assert r.status_code == 201 and r.json["version"] == 1
    return c


def test_only_editors_and_admins_reach_catalogs(site):
    for name in ("张三", "王五"):  # an inspector, a unit user
        c = client_as(site, name)
        assert all(c.get(path).status_code == 403 for path in PAGES), name
        assert c.get("/api/catalogs/plan/draft").status_code == 403
        assert "目录管理" not in c.get("/hazards").text
    for name in ("编辑甲", "管理员"):
        c = client_as(site, name)
        assert all(fetch(c, path)[0] == 200 for path in PAGES), name
        assert "目录管理" in c.get("/catalogs").text
    anonymous = site.app.test_client()
    assert anonymous.get("/catalogs").status_code == 302 and anonymous.get("/api/catalogs/plan/draft").status_code == 401
    editor = client_as(site, "编辑甲")
    assert editor.get("/").headers["Location"].endswith("/catalogs")
    assert editor.get("/audits").status_code == 403 and "检查记录" not in editor.get("/catalogs").text
    move = editor.post(
        f"/api/hazards/{site.office_hazard}/moves", json={"action": "start", "version": 1}, headers={"X-CSRF-Token": csrf_of(editor)}
    )
    assert move.status_code == 403 and move.json["error"]["code"] == "move.role"  # lifecycle moves stay with admin, inspector, unit


def test_an_upload_becomes_a_draft_with_its_findings_beside_its_source(site, tmp_path):
    c = client_as(site, "编辑甲")
    r = upload(c, plan_docx(tmp_path / "plan.docx"))
    assert r.status_code == 302 and r.headers["Location"].endswith("/catalogs/plan/draft")
    page = c.get("/catalogs/plan/draft").text
    assert "责任单位存疑" in page and "加强重点行业领域监管执法" in page and "表1第4行" in page
    assert "请替换导入时留下的占位内容" in page  # the title the import could not find, on its field
    assert all(tag == '<script type="application/json" id="page-data">' for tag in re.findall(r"<script(?! src=)[^>]*>", page))
    assert " style=" not in page and "<style" not in page
    state = c.get("/api/catalogs/plan/draft").json
    assert (state["version"], state["open"], state["publishable"]) == (1, 1, False)
    assert state["catalog"]["source"] == {"doc_no": DOC_NO}


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("plan.doc", b"\xd0\xcf\x11\xe0", "请选择要导入的文件"),
        ("plan.docx", b"not a zip", "无法读取文件"),
        ("plan.txt", "随便写的一句话。".encode(), "未能从该文件中识别出条款"),
    ],
)
def test_an_upload_that_cannot_be_read_is_refused_in_chinese(site, tmp_path, name, content, words):
    c = client_as(site, "编辑甲")
    path = tmp_path / name
    path.write_bytes(content)
    r = upload(c, path)
    assert r.status_code in (400, 422) and words in r.text
    assert c.get("/api/catalogs/plan/draft").status_code == 404


def test_an_id_is_checked_and_a_bundled_one_is_not_taken(site, tmp_path):
    c = client_as(site, "编辑甲")
    assert "目录编号" in upload(c, plan_docx(tmp_path / "plan.docx"), "Plan 1").text
    r = upload(c, plan_docx(tmp_path / "plan.docx"), "bj-rtv-3g3b")
    assert r.status_code == 409 and "已被内置目录使用" in r.text


def test_changes_are_checked_as_validate_checks_them_and_a_stale_one_is_refused(site, tmp_path):
    c = client_as(site, "编辑甲")
    upload(c, plan_docx(tmp_path / "plan.docx"))
    r = change(c, {"op": "clause", "clause": "S1", "field": "checks", "value": [{"id": "S1-a", "ask": ""}]}, 1)
    assert r.status_code == 200 and r.json["version"] == 2
    (p,) = [p for p in r.json["problems"] if p["clause"] == "S1"]
    assert (p["field"], p["words"]) == ("checks", "检查问题不能为空")
    stale = change(c, {"op": "clause", "clause": "S1", "field": "text", "value": "别人的修改"}, 1)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "catalog.changed" and "编辑甲" in stale.json["error"]["message"]
    refused = change(c, {"op": "clause", "clause": "S1", "field": "note", "value": "说明\u0007"}, 2)
    assert refused.status_code == 400 and "无法保存和打印" in refused.json["error"]["message"]
    assert c.get("/api/catalogs/plan/draft").json["version"] == 2


def test_a_draft_is_invisible_to_audit_new_until_it_is_published(site, tmp_path):
    editor = client_as(site, "编辑甲")
    upload(editor, plan_docx(tmp_path / "plan.docx"))
    inspector = client_as(site, "张三")
    assert 'value="plan"' not in inspector.get("/audits/new").text
    form = {
        "csrf_token": csrf_of(inspector, "/audits/new"),
        "catalog": "plan",
        "unit": "区应急局",
        "target": "区应急局",
        "date": "2026-11-25",
    }
    refused = inspector.post("/audits/new", data=form | {"inspectors": "张三"})
    assert refused.status_code == 400 and "没有这个检查依据" in refused.text

    state = publishable(editor)
    early = editor.post("/catalogs/plan/publish", data={"csrf_token": csrf_of(editor, "/catalogs"), "version": state["version"] - 1})
    assert early.status_code == 409 and "草稿刚被" in early.text
    done = editor.post("/catalogs/plan/publish", data={"csrf_token": csrf_of(editor, "/catalogs"), "version": state["version"]})
    assert done.headers["Location"].endswith("/catalogs/plan/versions/1")
    assert 'value="plan"' in inspector.get("/audits/new").text
    made = inspector.post("/audits/new", data=form | {"csrf_token": csrf_of(inspector, "/audits/new"), "inspectors": "张三"})
    assert made.status_code == 302
    audit = site.settings.data / "audits" / (made.headers["Location"].rsplit("/", 1)[1] + ".yaml")
    assert "version: 1" in audit.read_text(encoding="utf-8")


def test_publishing_needs_every_finding_reviewed(site, tmp_path):
    c = client_as(site, "编辑甲")
    upload(c, plan_docx(tmp_path / "plan.docx"))
    v = change(c, {"op": "meta", "field": "title", "value": TITLE}, 1).json["version"]
    r = c.post("/api/catalogs/plan/publish", json={"version": v}, headers={"X-CSRF-Token": csrf_of(c, "/catalogs")})
    assert r.status_code == 409 and r.json["error"]["message"] == "暂不能发布：尚有 0 处错误需改正、1 条核对意见未核对"


def test_a_published_version_cannot_be_changed(site, tmp_path):
    c = published(site, tmp_path)
    file = site.settings.data / "catalogs" / "plan@1.yaml"
    first = file.read_bytes()
    late = change(c, {"op": "meta", "field": "title", "value": "改过的标题"}, 4)
    assert late.status_code == 409 and late.json["error"]["code"] == "catalog.published"
    direct = c.post("/api/catalogs/plan/versions/1/changes", json={"op": "meta"}, headers={"X-CSRF-Token": csrf_of(c, "/catalogs")})
    assert direct.status_code == 409 and "已发布的版本不能修改" in direct.json["error"]["message"]
    assert c.put("/catalogs/plan/versions/1", headers={"X-CSRF-Token": csrf_of(c, "/catalogs")}).status_code == 405
    assert c.post("/catalogs/plan/draft", data={"csrf_token": csrf_of(c, "/catalogs")}).status_code == 302  # the next version's draft
    assert c.get("/api/catalogs/plan/draft").json["catalog"]["title"] == TITLE
    assert file.read_bytes() == first


def test_the_duties_downloads_name_the_document_and_its_version(site, tmp_path):
    import docx
    import openpyxl

    c = published(site, tmp_path)
    status, data = fetch(c, "/catalogs/plan@1/duties.docx?unit=区应急局")
    assert status == 200
    (tmp_path / "duties.docx").write_bytes(data)
    document = docx.Document(str(tmp_path / "duties.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "区应急局责任清单" in text and DOC_NO in text and "第1版" in text
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "加强重点行业领域监管执法。" in "\n".join(cells) and "牵头" in cells
    status, data = fetch(c, "/catalogs/plan/duties.xlsx")
    (tmp_path / "duties.xlsx").write_bytes(data)
    book = openpyxl.load_workbook(tmp_path / "duties.xlsx")
    assert f"{DOC_NO} 第1版" in str(book.worksheets[0].oddHeader.right.text)
    assert fetch(c, "/catalogs/plan/duties.docx?unit=没有这个单位")[0] == 404
    status, data = fetch(c, "/catalogs/plan@1/catalog.yaml")
    assert status == 200 and b"version: 1" in data


def test_the_duty_calendar_of_a_published_version(site, tmp_path):
    import openpyxl

    c = published(site, tmp_path)
    assert c.post("/catalogs/plan/draft", data={"csrf_token": csrf_of(c, "/catalogs")}).status_code == 302
    quarterly = {"every": "quarter", "due": {"last_working_day": True}}
    v = change(c, {"op": "clause", "clause": "S2", "field": "recurrence", "value": quarterly}, 1).json
    assert v["publishable"]
    r = c.post("/api/catalogs/plan/publish", json={"version": v["version"]}, headers={"X-CSRF-Token": csrf_of(c, "/catalogs")})
    assert r.json["version"] == 2
    assert "履职日历" in c.get("/catalogs/plan/versions/2").text
    status, data = fetch(c, "/catalogs/plan/calendar.xlsx?unit=区应急局&year=2026")
    assert status == 200
    (tmp_path / "calendar.xlsx").write_bytes(data)
    cells = [str(cell.value) for ws in openpyxl.load_workbook(tmp_path / "calendar.xlsx") for row in ws.iter_rows() for cell in row]
    assert sum("每季度开展一次安全生产大检查" in x for x in cells) == 4
    late = c.get("/catalogs/plan/calendar.xlsx?unit=区应急局&year=2099")
    assert late.status_code == 400 and "尚未收录2099年的法定节假日安排" in late.text
    assert c.get("/catalogs/plan/calendar.xlsx?unit=没有这个单位").status_code == 404


def test_a_catalog_is_named_by_its_id_never_by_a_path(site, tmp_path):
    c = client_as(site, "编辑甲")
    (tmp_path / "data" / "x.yaml").write_text("id: x\n", encoding="utf-8")
    for path in (
        "/catalogs/x.yaml/duties.pdf",
        "/catalogs/..yaml/catalog.yaml",
        "/catalogs/Plan/versions/1",
        "/catalogs/x.yaml/calendar.xlsx?unit=a",
    ):
        assert c.get(path).status_code == 404, path
