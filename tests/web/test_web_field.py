"""The field app's routes: paths resolved at start-up, signatures, lists paged and searched, the
new-audit form's choices, downloads named in Chinese, compression and cached assets."""

from __future__ import annotations

import io
import shutil

import pytest
from paths import ROOT
from web_helpers import PASSWORD, TECH, client_as, csrf_of, fetch, jpeg


def test_after_photos_are_served_with_the_default_folders(tmp_path, monkeypatch):
    """The README's set-up: `checklist serve --data data`, the register beside it; relative paths
    are resolved when the app starts, not by send_file inside the package."""
    from checklist.register.importer import import_audits
    from checklist.register.users import add_user
    from checklist.web.app import Settings, create_app

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHECKLIST_DB", raising=False)
    settings = Settings.from_options(None, "data")
    settings.pdf_workers = 0
    assert settings.files.is_absolute() and settings.data.is_absolute()
    add_user(settings.engine, "张三", "inspector", None, PASSWORD)
    add_user(settings.engine, "王五", "unit", TECH, PASSWORD)
    shutil.copytree(ROOT / "examples" / "evidence", tmp_path / "evidence")
    shutil.copyfile(ROOT / "examples" / "tech-2026q4.yaml", tmp_path / "tech-2026q4.yaml")
    added = import_audits(settings.engine, ["tech-2026q4.yaml"], by="张三", role="inspector", files_dir=settings.files).added

    class Site:
        app = create_app(settings)

    unit = client_as(Site, "王五")
    hid = next(h for h in added if unit.get(f"/api/hazards/{h}").json["level"] == "一般隐患")
    r = unit.post(
        f"/hazards/{hid}/moves",
        data={"action": "start", "version": "1", "csrf_token": csrf_of(unit)},
    )
    r = unit.post(
        f"/hazards/{hid}/moves",
        data={
            "action": "rectify",
            "version": "2",
            "measure": "已整改",
            "csrf_token": csrf_of(unit),
            "photo": (io.BytesIO(jpeg(color="green")), "after.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302, r.text
    sha = unit.get(f"/api/hazards/{hid}").json["history"][-1]["evidence"][0]["sha256"]
    status, data = fetch(unit, f"/hazards/{hid}/evidence/{sha}")
    assert status == 200 and data[:2] == b"\xff\xd8"


def signature_png(ink: bool = True) -> str:
    import base64

    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(img).line([(20, 80), (120, 30), (280, 90)], fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    img.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_a_signed_audit_keeps_its_answers_and_prints_its_signatures(tmp_path):
    from extras import pdfplumber
    from web_helpers import make_site

    site = make_site(tmp_path)
    c = client_as(site, "张三")
    token = csrf_of(c)
    store = site.app.extensions["audit_store"]
    audit_id = store.create({"catalog": "bj-rtv-3g3b", "unit": "办公室", "target": "局办公室", "date": "2026-11-25"}, ["张三"])
    first, second = (e.id for e in store.load(audit_id)[0].entries[:2])
    h = {"X-CSRF-Token": token}
    assert c.put(f"/api/audits/{audit_id}/checks/{first}", json={"result": "pass"}, headers=h).status_code == 200
    blank = c.post(
        f"/api/audits/{audit_id}/signatures",
        json={"role": "unit", "name": "李主任", "title": "办公室主任", "image": signature_png(False)},
        headers=h,
    )
    assert blank.status_code == 400 and blank.json["error"]["code"] == "signature.image" and "签名框" in blank.json["error"]["message"]
    no_title = c.post(f"/api/audits/{audit_id}/signatures", json={"role": "unit", "name": "李主任", "image": signature_png()}, headers=h)
    assert no_title.status_code == 400 and no_title.json["error"]["field"] == "signature.title"
    for who in ({"role": "inspector", "name": "张三"}, {"role": "unit", "name": "李主任", "title": "办公室主任"}):
        r = c.post(
            f"/api/audits/{audit_id}/signatures", json=who | {"image": signature_png(), "signed_at": "2026-11-25T10:02:00+08:00"}, headers=h
        )
        assert r.status_code == 201, r.json
    again = c.post(f"/api/audits/{audit_id}/signatures", json={"role": "inspector", "name": "张三", "image": signature_png()}, headers=h)
    assert len(again.json["signatures"]) == 2  # sent twice (a reply lost offline): kept once

    a = store.load(audit_id)[0]
    assert [(s["role"], s["name"], s.get("title")) for s in a.signatures] == [("inspector", "张三", None), ("unit", "李主任", "办公室主任")]
    assert a.signatures[1]["at"] == "2026-11-25T10:02:00+08:00" and (store.folder / a.signatures[1]["image"]).is_file()
    refused = c.put(f"/api/audits/{audit_id}/checks/{second}", json={"result": "pass"}, headers=h)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "audit.signed" and "新的检查" in refused.json["error"]["message"]
    photo = c.post(
        f"/api/audits/{audit_id}/checks/{second}/photos",
        data={"photo": (io.BytesIO(jpeg()), "a.jpg")},
        headers=h,
        content_type="multipart/form-data",
    )
    assert photo.status_code == 409
    name = a.signatures[0]["image"].split("/")[-1]
    assert fetch(c, f"/audits/{audit_id}/evidence/{name}")[1][:8] == b"\x89PNG\r\n\x1a\n"

    pdf = c.get(f"/audits/{audit_id}/report.pdf")
    with pdfplumber.open(io.BytesIO(pdf.data)) as doc:
        last = doc.pages[-1]
        text = last.extract_text()
        assert "李主任" in text and "办公室主任" in text and "2026-11-25 10:02" in text
        assert len(last.images) == 2  # both signatures drawn in the signature block


def test_hazard_lists_are_paged_and_searched(tmp_path):
    from web_helpers import make_site

    site = make_site(tmp_path)
    c = client_as(site, "张三")
    first = c.get("/api/hazards?limit=1").json
    assert first["total"] == 3 and len(first["hazards"]) == 1 and first["limit"] == 1 and first["offset"] == 0
    assert first["next"].endswith("limit=1&offset=1") and sum(first["counts"].values()) == 3
    last = c.get(first["next"].replace("offset=1", "offset=2")).json
    assert len(last["hazards"]) == 1 and last["next"] is None
    found = c.get("/api/hazards", query_string={"q": "值班 办公室"}).json
    assert [h["id"] for h in found["hazards"]] == [site.office_hazard] and found["total"] == 1
    assert c.get("/api/hazards?q=100%25").json["total"] == 0  # a LIKE wildcard is a plain character
    assert c.get("/api/hazards?limit=0").status_code == 400 and c.get("/api/hazards?limit=x").status_code == 400
    page = c.get("/hazards?limit=2").text
    assert "共 3 条，第 1–2 条" in page and "下一页" in page and 'rel="next"' in page
    unit = client_as(site, "赵六")  # a unit user pages through its own unit only
    assert unit.get("/api/hazards?limit=1").json["total"] == 1


def test_the_audits_list_is_searched_and_shows_what_is_signed(tmp_path):
    from web_helpers import make_site

    site = make_site(tmp_path)
    store = site.app.extensions["audit_store"]
    other = store.create({"catalog": "bj-rtv-3g3b", "unit": "科技处", "target": "科技处机房", "date": "2026-11-25"}, ["张三"])
    c = client_as(site, "张三")
    c.post(
        f"/api/audits/{other}/signatures",
        json={"role": "inspector", "name": "张三", "image": signature_png()},
        headers={"X-CSRF-Token": csrf_of(c)},
    )
    page = c.get("/audits").text
    assert "已签字完成" in page and "检查中" in page and "共 2 条" in page
    found = c.get("/audits?q=机房").text
    assert "科技处机房" in found and "局办公室" not in found
    assert "局办公室" in c.get("/audits?show=open").text and "科技处机房" not in c.get("/audits?show=open").text
    assert "没有符合条件的检查记录" in c.get("/audits?q=不存在的名字").text


def test_the_new_audit_form_remembers_the_catalog_and_suggests_units(tmp_path):
    import re

    from web_helpers import make_site

    site = make_site(tmp_path)
    c = client_as(site, "张三")
    form = c.get("/audits/new").text
    assert re.search(r'<option value="bj-rtv-3g3b" selected>', form)  # the last audit's catalog, not the first alphabetically
    assert 'list="units-bj-rtv-3g3b"' in form
    units = re.search(r'<datalist id="units-bj-rtv-3g3b">(.*?)</datalist>', form).group(1)
    names = re.findall(r'value="([^"]+)"', units)
    assert "办公室(安全监管办公室)" in names and len(names) == len(set(names))
    r = c.post(
        "/audits/new",
        data={
            "catalog": "bj-rtv-3g3b",
            "unit": "办工室",
            "target": "x",
            "inspectors": "张三",
            "date": "2026-11-25",
            "csrf_token": csrf_of(c),
        },
    )
    assert r.status_code == 400 and "是否指：办公室(安全监管办公室)？" in r.text


def test_papers_are_named_in_chinese_and_a_notice_is_the_hazards_units(tmp_path):
    """A hazard's 整改通知书 is the one its unit received for its audit (one 文号 per audit and
    unit, as a bureau sends it): the hazard and its unit's other findings, no other unit's."""
    from urllib.parse import unquote

    from extras import pdfplumber
    from web_helpers import make_site

    site = make_site(tmp_path)
    c = client_as(site, "张三")
    one, other = site.tech_hazards
    notice = c.get(f"/hazards/{one}/notice.pdf")
    with pdfplumber.open(io.BytesIO(notice.data)) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
    assert one in text and other in text and "科技处(公共服务处)：" in text  # both are 科技处's, from one audit
    assert c.get(f"/hazards/{one}").status_code == 200 and "办公室" not in text.split("：", 1)[0]
    names = {}
    for url in (f"/hazards/{one}/notice.pdf", "/register/ledger.pdf", "/register/ledger.xlsx", "/register/dashboard.pdf"):
        disposition = c.get(url).headers["Content-Disposition"]
        names[url] = unquote(disposition.split("''", 1)[1])
    assert names["/register/dashboard.pdf"] == "隐患统计看板-2026-11-25.pdf"
    assert names["/register/ledger.xlsx"] == "隐患台账-2026-11-25.xlsx"
    assert all(not n.isascii() for n in names.values())
    with pdfplumber.open(io.BytesIO(c.get("/register/ledger.pdf").data)) as doc:
        assert "编号 单位 排查时间" in doc.pages[0].extract_text() and "YH-2026-0001 科技处(公共" in doc.pages[0].extract_text()


def test_a_recheck_is_signed_and_its_opinion_shows_photos_before_and_after(tmp_path):
    from extras import pdfplumber
    from web_helpers import make_site

    site = make_site(tmp_path)
    hid = site.office_hazard
    unit = client_as(site, "赵六")
    r = unit.post(
        f"/hazards/{hid}/moves",
        data={
            "action": "rectify",
            "version": "1",
            "measure": "已补齐",
            "csrf_token": csrf_of(unit),
            "photo": (io.BytesIO(jpeg(color="green")), "a.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    c = client_as(site, "张三")
    page = c.get(f"/hazards/{hid}").text
    assert "复查意见" in page and "理由 / 复查意见" not in page and 'class="danger"' in page and "复查签字" in page
    r = c.post(
        f"/hazards/{hid}/moves",
        data={
            "action": "pass",
            "version": "2",
            "reason": "记录齐全",
            "csrf_token": csrf_of(c),
            "sign_inspector": signature_png(),
            "sign_unit": signature_png(),
            "sign_unit_name": "李主任",
            "sign_unit_title": "办公室主任",
        },
    )
    assert r.status_code == 302, r.text
    h = c.get(f"/api/hazards/{hid}").json
    names = [e["name"] for e in h["history"][-1]["evidence"]]
    assert names == ["签名-1-检查人员-张三.png", "签名-2-被检查单位负责人-李主任-办公室主任.png"]
    assert len(c.get(f"/hazards/{hid}").text.split('alt="整改完成照片')) == 2  # signatures are not shown as after-photos
    opinion = c.get(f"/hazards/{hid}/opinion.pdf")
    assert opinion.status_code == 200
    with pdfplumber.open(io.BytesIO(opinion.data)) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
        images = sum(len(p.images) for p in doc.pages)
    assert "整改前" in text and "整改后" in text and "李主任 办公室主任" in text
    assert images == 4  # one photo before, one after, two signatures


def test_assets_are_compressed_hashed_and_cached(tmp_path):
    import re

    from PIL import Image
    from web_helpers import make_site

    site = make_site(tmp_path)
    store = site.app.extensions["audit_store"]
    store.add_photo(site.office_audit, store.load(site.office_audit)[0].entries[0].id, jpeg((2000, 1500), color="navy"))
    c = client_as(site, "张三")
    page = c.get(f"/audits/{site.office_audit}", headers={"Accept-Encoding": "br, gzip"})
    assert page.headers["Content-Encoding"] == "br"
    html = c.get(f"/audits/{site.office_audit}").text
    css = re.search(r'href="(/static/app\.[0-9a-f]{10}\.css)"', html).group(1)
    js = re.search(r'src="(/static/app\.[0-9a-f]{10}\.js)"', html).group(1)
    for url in (css, js):
        r = c.get(url, headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200 and "immutable" in r.headers["Cache-Control"] and "max-age=31536000" in r.headers["Cache-Control"]
        assert r.headers["Content-Encoding"] == "gzip"
    assert c.get(css.replace(css.split(".")[1], "0123456789")).status_code == 404  # an old version is not served as new
    assert c.get("/static/app.css").headers["Cache-Control"] == "no-cache"
    sw = c.get("/sw.js")
    assert sw.status_code == 200 and css in sw.text and "no-cache" in sw.headers["Cache-Control"]
    manifest = c.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json" and {i["sizes"] for i in manifest.json["icons"]} == {"192x192", "512x512"}
    assert c.get("/favicon.ico").status_code == 200 and '<link rel="manifest"' in html
    photo = re.findall(r'<img src="([^"]+\?w=192)"', html)[-1]
    small, full = c.get(photo), c.get(photo.split("?")[0])
    assert small.status_code == 200 and len(small.data) < len(full.data) and "immutable" in small.headers["Cache-Control"]
    assert Image.open(io.BytesIO(small.data)).size == (192, 144) and Image.open(io.BytesIO(full.data)).size == (2000, 1500)
    assert 'loading="lazy"' in html
    assert c.get(photo.replace("w=192", "w=5000")).status_code == 404


@pytest.mark.slow
def test_the_first_page_stays_small_with_100000_hazards(tmp_path):
    import datetime as dt

    from web_helpers import make_site

    from checklist.register.tables import hazard
    from checklist.vocabulary import GENERAL, TODO

    site = make_site(tmp_path)
    base = dict(
        audit_path="/x/a.yaml", audit_id="d-bulk", audit_sha256="0" * 64, catalog="bj-rtv-3g3b", catalog_sha256="0" * 64, clause="c", ref="第三条",
        ask="是否落实？", unit="办公室(安全监管办公室)", target="局办公室", place="机房", level=GENERAL, measure="整改", owner="李四",
        found_on=dt.date(2026, 1, 5), inspectors="张三", finding_sha256="0" * 64, status=TODO, version=1,
        created_at="2026-01-05T00:00:00+00:00", updated_at="2026-01-05T00:00:00+00:00",
    )  # fmt: skip
    rows = (
        dict(
            base,
            id=f"YH-2025-{n:05d}",
            check_id=f"K{n}",
            description=f"第 {n} 号隐患：设备接地不良",
            due=dt.date(2026, 1, 5) + dt.timedelta(days=n % 300),
        )
        for n in range(1, 100_001)
    )
    with site.engine.begin() as conn:
        batch: list[dict] = []
        for r in rows:
            batch.append(r)
            if len(batch) == 10_000:
                conn.execute(hazard.insert(), batch)
                batch = []
    c = client_as(site, "张三")
    api = c.get("/api/hazards")
    assert api.json["total"] == 100_003 and len(api.json["hazards"]) == 50 and len(api.data) < 100_000
    page = c.get("/hazards")
    assert page.status_code == 200 and len(page.data) < 100_000 and "共 100003 条" in page.text
    found = c.get("/api/hazards?q=第 99999 号").json
    assert [h["id"] for h in found["hazards"]] == ["YH-2025-99999"]


def test_finishing_again_says_in_page_words_what_the_register_kept(tmp_path):
    from web_helpers import fail_answer, make_site

    site = make_site(tmp_path)
    c = client_as(site, "张三")
    h = {"X-CSRF-Token": csrf_of(c)}
    audit, hid = site.office_audit, site.office_hazard
    check = site.app.extensions["audit_store"].load(audit)[0].entries[0].id
    unit = client_as(site, "赵六")
    assert (
        unit.post(f"/api/hazards/{hid}/moves", json={"action": "start", "version": 1}, headers={"X-CSRF-Token": csrf_of(unit)}).status_code
        == 200
    )
    changed = fail_answer("办公室值班记录缺失", due="2026-12-20")
    assert c.put(f"/api/audits/{audit}/checks/{check}", json=changed, headers=h).status_code == 200
    done = c.post(f"/api/audits/{audit}/finish", headers=h).json
    assert done["notes"] == [
        f"检查记录中 {check} 的隐患信息已修改，但隐患 {hid} 已在“整改中”，台账未改动。如需变更整改要求，请在隐患页面按流程办理。"
    ]
    assert c.put(f"/api/audits/{audit}/checks/{check}", json={"result": "pass"}, headers=h).status_code == 200
    c.post(f"/audits/{audit}/finish", data={"csrf_token": h["X-CSRF-Token"]})
    page = c.get(f"/audits/{audit}/done").text
    assert (
        "已不是不符合项" in page
        and "撤销" in page
        and "checklist" not in page.split("<main", 1)[1]
        and "register" not in page.split("<main", 1)[1]
    )
