"""The field app's routes: paths resolved at start-up, signatures, lists paged and searched, the
new-audit form's choices, downloads named in Chinese, compression and cached assets."""

from __future__ import annotations

import io
import shutil

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
    import pdfplumber
    from web_helpers import make_site

    site = make_site(tmp_path)
    c = client_as(site, "张三")
    token = csrf_of(c)
    store = site.app.extensions["audit_store"]
    audit_id = store.create({"catalog": "bj-rtv-3g3b", "unit": "办公室", "target": "局办公室", "date": "2026-11-25"}, ["张三"])
    first, second = (e.id for e in store.load(audit_id)[0].entries[:2])
    h = {"X-CSRF-Token": token}
    assert c.put(f"/api/audits/{audit_id}/checks/{first}", json={"result": "pass"}, headers=h).status_code == 200
    blank = c.post(f"/api/audits/{audit_id}/signatures", json={"role": "unit", "name": "李主任", "title": "办公室主任", "image": signature_png(False)}, headers=h)
    assert blank.status_code == 400 and blank.json["error"]["code"] == "signature.image" and "签名框" in blank.json["error"]["message"]
    no_title = c.post(f"/api/audits/{audit_id}/signatures", json={"role": "unit", "name": "李主任", "image": signature_png()}, headers=h)
    assert no_title.status_code == 400 and no_title.json["error"]["field"] == "signature.title"
    for who in ({"role": "inspector", "name": "张三"}, {"role": "unit", "name": "李主任", "title": "办公室主任"}):
        r = c.post(f"/api/audits/{audit_id}/signatures", json=who | {"image": signature_png(), "signed_at": "2026-11-25T10:02:00+08:00"}, headers=h)
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
