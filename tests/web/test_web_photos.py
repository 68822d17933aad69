"""Photos (issue 20, item 4): the pixel limit is exact and counted before decoding; no metadata —
not even the JPEG comment — is kept; phones' multi-picture JPEGs are accepted (the primary picture);
a refused move or answer leaves no photo behind; the guide and the server state one size limit."""

from __future__ import annotations

import io
import re

import pytest
from paths import ROOT
from web_helpers import client_as, csrf_of, jpeg, make_site

from checklist.web import photos


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path)


def png(size, mode="1", **info) -> bytes:
    from PIL import Image, PngImagePlugin

    meta = PngImagePlugin.PngInfo()
    for k, v in info.items():
        meta.add_text(k, v)
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG", pnginfo=meta)
    return out.getvalue()


def test_a_photo_one_pixel_over_the_limit_is_refused_before_it_is_decoded(monkeypatch):
    """Pillow itself refuses only beyond twice MAX_IMAGE_PIXELS: 40–80 MP images were decoded."""
    from PIL import Image

    data = png((8000, 5001))  # 40,008,000 pixels, a few KB as a 1-bit PNG
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    with pytest.raises(photos.PhotoRefused, match="像素过多（8000×5001，上限 4000 万像素）"):
        photos.clean(data)
    assert decoded == []


def test_the_pixel_limit_is_the_exact_one(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 40 * 20)
    assert photos.clean(jpeg((40, 20)))[1] == ".jpg"
    with pytest.raises(photos.PhotoRefused, match="像素过多"):
        photos.clean(jpeg((41, 20)))


def test_no_comment_text_or_profile_survives(tmp_path):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(out, "JPEG", comment=b"secret comment: GPS 39.9N", icc_profile=b"\0" * 128 + b"secret profile")
    cleaned, ext = photos.clean(out.getvalue())
    assert ext == ".jpg" and b"secret" not in cleaned and b"\xff\xfe" not in cleaned  # no COM segment
    with Image.open(io.BytesIO(cleaned)) as img:
        assert "comment" not in img.info and "icc_profile" not in img.info and "exif" not in img.info
    cleaned, ext = photos.clean(png((40, 20), "RGB", Author="secret author", Comment="secret"))
    assert ext == ".png" and b"secret" not in cleaned and b"tEXt" not in cleaned


def test_a_multi_picture_jpeg_from_a_phone_is_kept_as_its_primary_picture(site):
    from PIL import Image

    out = io.BytesIO()
    primary, depth = Image.new("RGB", (40, 20), "red"), Image.new("RGB", (40, 20), "blue")
    primary.save(out, "MPO", save_all=True, append_images=[depth])
    with Image.open(io.BytesIO(out.getvalue())) as probe:
        assert probe.format == "MPO" and probe.n_frames == 2
    c = client_as(site, "张三")
    store = site.app.extensions["audit_store"]
    check = store.load(site.office_audit)[0].entries[1].id
    r = c.post(
        f"/api/audits/{site.office_audit}/checks/{check}/photos",
        data={"photo": (io.BytesIO(out.getvalue()), "IMG_0001.jpg")},
        headers={"X-CSRF-Token": csrf_of(c)},
        content_type="multipart/form-data",
    )
    assert r.status_code == 201, r.text
    kept = store.folder / "evidence" / r.json["name"]
    with Image.open(kept) as img:
        assert img.format == "JPEG" and getattr(img, "n_frames", 1) == 1
        red, _, blue = img.convert("RGB").getpixel((20, 10))
        assert red > 200 and blue < 60


def test_a_refused_move_leaves_no_photo_behind(site, monkeypatch):
    """The move is judged before any photo is decoded; if it is refused after all (someone moved the
    hazard between the check and the write), the photos it stored are removed."""
    from checklist.register import hazards

    unit = client_as(site, "王五")
    hid = next(h for h in site.tech_hazards if unit.get(f"/api/hazards/{h}").json["level"] == "一般隐患")
    before = sorted(p for p in site.settings.files.rglob("*") if p.is_file())
    real_move = hazards.move

    def someone_else_first(engine, hazard_id, req, expected_version=None):
        real_move(engine, hazard_id, hazards.Request("start", "赵六", "admin", req.on), None)  # meanwhile, elsewhere
        return real_move(engine, hazard_id, req, expected_version)

    monkeypatch.setattr(hazards, "move", someone_else_first)
    r = unit.post(
        f"/hazards/{hid}/moves",
        data={
            "action": "rectify",
            "version": "1",
            "measure": "已整改",
            "csrf_token": csrf_of(unit),
            "photo": (io.BytesIO(jpeg(color="green")), "a.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 409, r.text
    assert sorted(p for p in site.settings.files.rglob("*") if p.is_file()) == before
    monkeypatch.undo()
    decoded = []
    monkeypatch.setattr(photos, "clean", lambda data: decoded.append(data) or (b"", ".jpg"))
    r = unit.post(  # a stale version: refused before the photo is even decoded
        f"/hazards/{hid}/moves",
        data={
            "action": "rectify",
            "version": "1",
            "measure": "已整改",
            "csrf_token": csrf_of(unit),
            "photo": (io.BytesIO(jpeg()), "a.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 409 and decoded == []


def test_a_photo_whose_answer_is_not_saved_is_not_kept(site, monkeypatch):
    from checklist.web.audit_store import AnswerRefused, Store

    c = client_as(site, "张三")
    store = site.app.extensions["audit_store"]
    check = store.load(site.office_audit)[0].entries[1].id
    before = sorted((store.folder / "evidence").iterdir())

    def busy(self, *args):
        raise AnswerRefused("检查记录正被其他程序编辑", status=409)

    monkeypatch.setattr(Store, "save", busy)
    r = c.post(
        f"/api/audits/{site.office_audit}/checks/{check}/photos",
        data={"photo": (io.BytesIO(jpeg(color="blue")), "b.jpg")},
        headers={"X-CSRF-Token": csrf_of(c)},
        content_type="multipart/form-data",
    )
    assert r.status_code == 409 and sorted((store.folder / "evidence").iterdir()) == before


def test_the_guide_and_the_server_state_the_same_size_limits(site):
    from checklist.web.app import MAX_UPLOAD

    guide = (ROOT / "docs" / "guide" / "web.md").read_text(encoding="utf-8")
    per_photo, per_request = photos.MAX_BYTES // 2**20, MAX_UPLOAD // 2**20
    assert re.search(rf"\b{per_photo} MB\b[^.]*photo|photo[^.]*\b{per_photo} MB\b", guide, re.I)
    assert re.search(rf"\b{per_request} MB\b", guide)
    c = client_as(site, "张三")
    store = site.app.extensions["audit_store"]
    url = f"/api/audits/{site.office_audit}/checks/{store.load(site.office_audit)[0].entries[1].id}/photos"
    big = b"\xff\xd8" + b"\0" * (photos.MAX_BYTES + 1)
    r = upload(c, url, big)
    assert r.status_code == 400 and f"上限 {per_photo} MB" in r.json["error"]["message"]
    r = upload(c, url, b"\0" * (MAX_UPLOAD + 1))
    assert r.status_code == 413 and f"上限 {per_request} MB" in r.json["error"]["message"]


def upload(c, url, data):
    """POST a large file as a body built in memory (the test client would spool it to a temporary
    file it never closes)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart({"photo": FileStorage(io.BytesIO(data), "a.jpg", "photo", "image/jpeg")})
    return c.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}", headers={"X-CSRF-Token": csrf_of(c)})
