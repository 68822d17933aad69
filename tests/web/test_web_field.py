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
