"""A web app on a throwaway register for the tests: three users (an inspector, a unit user of
科技处 and one of 办公室), the bundled example audit imported (two hazards of 科技处, one with a
photo) and one hazard of 办公室, on a fixed day."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from audit_helpers import example_audit

TODAY = dt.date(2026, 11, 25)
PASSWORD = "correct-horse-42"
TECH = "科技处(公共服务处)"
OFFICE = "办公室(安全监管办公室)"


@dataclass
class Site:
    app: object
    settings: object
    engine: object
    tech_hazards: list[str]
    office_hazard: str
    office_audit: str


def make_site(tmp: Path, pdf_workers: int = 0) -> Site:
    from checklist.register.db import open_register
    from checklist.register.importer import import_audits
    from checklist.register.users import add_user
    from checklist.web.app import Settings, create_app

    engine = open_register(f"sqlite:///{tmp / 'register.db'}")
    add_user(engine, "张三", "inspector", None, PASSWORD)
    add_user(engine, "王五", "unit", TECH, PASSWORD)
    add_user(engine, "赵六", "unit", "办公室", PASSWORD)
    add_user(engine, "管理员", "admin", None, PASSWORD)
    settings = Settings(engine=engine, data=tmp / "data", files=tmp / "files", today=lambda: TODAY, pdf_workers=pdf_workers)
    (settings.data / "audits").mkdir(parents=True)
    app = create_app(settings)
    tech = import_audits(engine, [str(example_audit(tmp / "examples"))], by="张三", role="inspector", files_dir=settings.files).added
    store = app.extensions["audit_store"]  # type: ignore[attr-defined]
    office_audit = store.create({"catalog": "bj-rtv-3g3b", "unit": "办公室", "target": "局办公室", "date": "2026-11-24"}, ["张三"])
    check = store.load(office_audit)[0].entries[0].id
    store.answer(office_audit, check, fail_answer("办公室值班记录缺失"))
    store.add_photo(office_audit, check, jpeg())
    office = import_audits(engine, [str(store.path(office_audit))], by="张三", role="inspector", files_dir=settings.files).added
    return Site(app, settings, engine, tech, office[0], office_audit)


def fail_answer(note: str, due: str = "2026-12-10") -> dict:
    finding = {"hazard": "一般隐患", "description": note, "measure": "补齐记录", "owner": "李四", "due": due}
    return {"result": "fail", "note": note, "finding": finding}


def jpeg(size: tuple[int, int] = (40, 20), orientation: int | None = None, color: str = "red") -> bytes:
    from PIL import Image

    img = Image.new("RGB", size, color)
    out = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        exif[0x010F] = "Camera maker with a secret"
        img.save(out, "JPEG", exif=exif)
    else:
        img.save(out, "JPEG")
    return out.getvalue()


def login(client, name: str, password: str = PASSWORD):
    """Log in through the form; the response of the POST."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token})


def csrf_of(client, path: str = "/hazards") -> str:
    """The session's CSRF token, as a page carries it for its scripts."""
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get(path).text).group(1)


def client_as(site, name):
    c = site.app.test_client()
    assert login(c, name).status_code == 302
    return c


def fetch(c, path):
    """GET a file (closing the response, which holds the file open): (status, bytes)."""
    with c.get(path) as r:
        return r.status_code, r.data
