"""The review's reproductions against a live `checklist serve` (waitress, a PDF worker process):
hostile answers refused and the audit still there after a restart; an emoji on the rectify form
refused and the ledger PDF rendered by the worker; ``next`` kept on this site; parallel guesses held
to the limit; a trusted proxy's forwarded address; HSTS; the PDF worker dies with a killed server."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from paths import ROOT
from web_helpers import PASSWORD, TECH, fail_answer

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m checklist serve` on a free port, with --https and --trust-proxy 127.0.0.1."""

    def __init__(self, tmp: Path):
        self.tmp, self.port, self.proc = tmp, free_port(), None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKLIST_")}
        args = ["--db", f"sqlite:///{self.tmp / 'register.db'}", "--data", str(self.tmp / "data"), "--files", str(self.tmp / "files")]
        command = [sys.executable, "-m", "checklist", "serve", *args, "--port", str(self.port), "--https", "--trust-proxy", "127.0.0.1"]
        self.proc = subprocess.Popen(command, cwd=self.tmp, env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.url + "/healthz") as r:
                    assert json.load(r)["database"] is True
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(self.proc.stderr.read() if self.proc.poll() is not None else "the server did not start")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(15)
        if self.proc is not None:
            self.proc.stderr.close()
        self.proc = None

    def call(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def form_login(server: Server, name: str, password: str, nxt: str = "", forwarded: str = "") -> tuple[int, dict]:
    """The login form as a browser sends it (its CSRF cookie by hand: the cookies are Secure)."""
    extra = {"X-Forwarded-For": forwarded} if forwarded else {}
    _, _, page = server.call("GET", "/login", headers=extra)
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    fields = urllib.parse.urlencode({"name": name, "password": password, "csrf_token": token, "next": nxt}).encode()
    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(
        server.url + "/login",
        data=fields,
        method="POST",
        headers={"Cookie": f"checklist_login_csrf={token}", "Content-Type": "application/x-www-form-urlencoded", **extra},
    )
    try:
        with opener.open(req) as r:
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers)


@pytest.fixture
def server(tmp_path):
    from checklist.register.db import open_register
    from checklist.register.importer import import_audits
    from checklist.register.users import add_user, new_token

    engine = open_register(f"sqlite:///{tmp_path / 'register.db'}")
    for name, role, unit in (("张三", "inspector", None), ("王五", "unit", TECH), ("管理员", "admin", None)):
        add_user(engine, name, role, unit, PASSWORD)
    shutil.copytree(ROOT / "examples" / "evidence", tmp_path / "examples" / "evidence")
    shutil.copyfile(ROOT / "examples" / "tech-2026q4.yaml", tmp_path / "examples" / "tech-2026q4.yaml")
    import_audits(engine, [str(tmp_path / "examples" / "tech-2026q4.yaml")], by="张三", role="inspector", files_dir=tmp_path / "files")
    srv = Server(tmp_path)
    srv.tokens = {name: new_token(engine, name) for name in ("张三", "王五", "管理员")}
    engine.dispose()
    srv.start()
    yield srv
    srv.stop()


def bearer(server, name, extra=None):
    return {"Authorization": f"Bearer {server.tokens[name]}", "Content-Type": "application/json", **(extra or {})}


def test_hostile_answers_are_refused_and_the_audit_survives_a_restart(server):
    new = {"catalog": "bj-rtv-3g3b", "unit": "科技处", "target": "科技处", "inspectors": ["张三"], "date": "2026-11-25"}
    status, _, body = server.call("POST", "/api/audits", json.dumps(new).encode(), bearer(server, "张三"))
    assert status == 201, body
    audit_id, check = json.loads(body)["id"], json.loads(body)["checks"][0]
    for raw in ('"a\\ud83db"', '"a\\u0085b"', '"a\\u2028b"', '"已整改\\ud83d\\udc4d"', '"\\ud840\\udc00"'):
        status, _, body = server.call(
            "PUT", f"/api/audits/{audit_id}/checks/{check}", b'{"result": "pass", "note": ' + raw.encode() + b"}", bearer(server, "张三")
        )
        assert status == 400 and json.loads(body)["error"]["field"] == "note", (raw, body)
    status, _, _ = server.call(
        "PUT", f"/api/audits/{audit_id}/checks/{check}", json.dumps(fail_answer("未见记录")).encode(), bearer(server, "张三")
    )
    assert status == 200
    server.stop(signal.SIGKILL)
    server.start()
    status, _, body = server.call("GET", f"/api/audits/{audit_id}", headers=bearer(server, "张三"))
    assert status == 200 and json.loads(body)["checks"][0]["result"] == "fail"


def test_an_emoji_on_the_rectify_form_is_refused_and_the_ledger_pdf_renders(server):
    status, _, body = server.call("GET", "/api/hazards/YH-2026-0002", headers=bearer(server, "王五"))
    move = {"action": "rectify", "version": json.loads(body)["version"], "measure": "已整改👍"}
    status, _, body = server.call("POST", "/api/hazards/YH-2026-0002/moves", json.dumps(move).encode(), bearer(server, "王五"))
    assert status == 400 and json.loads(body)["error"]["code"] == "value.unprintable" and "整改措施" in json.loads(body)["error"]["message"]
    move["measure"] = "已整改"
    assert server.call("POST", "/api/hazards/YH-2026-0002/moves", json.dumps(move).encode(), bearer(server, "王五"))[0] == 200
    status, headers, pdf = server.call("GET", "/register/ledger.pdf", headers=bearer(server, "管理员"))
    assert status == 200 and pdf.startswith(b"%PDF") and headers["Strict-Transport-Security"].startswith("max-age=")


def test_login_keeps_next_on_this_site_and_holds_parallel_guesses_to_the_limit(server):
    assert server.call("GET", "/login?next=/%09/evil.example")[0] == 400
    assert server.call("GET", "/login?next=/%0a/x")[0] == 400
    status, headers = form_login(server, "张三", PASSWORD, "/\t/evil.example")
    assert status == 400 and "Location" not in headers
    status, headers = form_login(server, "张三", PASSWORD, "/hazards")
    assert status == 302 and headers["Location"].endswith("/hazards")
    statuses = []
    start = threading.Barrier(30)

    def guess():
        start.wait()
        statuses.append(form_login(server, "王五", "wrong-password", forwarded="203.0.113.7")[0])

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(401) == 5 and statuses.count(429) == 25, statuses
    assert form_login(server, "ｗａｎｇ", "x", forwarded="203.0.113.7")[0] == 401
    assert form_login(server, "王五", PASSWORD, forwarded="203.0.113.7")[0] == 429  # locked, however spelt
    assert form_login(server, "王五", PASSWORD, forwarded="198.51.100.9")[0] == 302  # someone else behind the proxy


def test_the_pdf_worker_dies_with_a_killed_server(server):
    assert server.call("GET", "/register/ledger.pdf", headers=bearer(server, "管理员"))[0] == 200  # starts the worker
    children = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(int(p.name)) == server.proc.pid]
    workers = [pid for pid in children if b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert workers, children
    server.stop(signal.SIGKILL)
    deadline = time.time() + 10
    while time.time() < deadline and any(Path(f"/proc/{pid}").exists() and b"Z" not in _state(pid) for pid in workers):
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() and b"Z" not in _state(pid) for pid in workers)


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _state(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return b"Z"


def test_photos_and_unit_scope_on_the_live_server(server):
    """Item 4 and 6 through waitress: a photo one pixel over the limit is refused before it is
    decoded; a multi-picture JPEG is kept as its primary picture; a unit user filters by any name
    of its own unit and gets 403 for another's."""
    import io

    from PIL import Image
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    new = {"catalog": "bj-rtv-3g3b", "unit": "科技处", "target": "科技处", "inspectors": ["张三"], "date": "2026-11-25"}
    status, _, body = server.call("POST", "/api/audits", json.dumps(new).encode(), bearer(server, "张三"))
    audit_id, check = json.loads(body)["id"], json.loads(body)["checks"][0]

    def upload(data: bytes):
        boundary, payload = encode_multipart({"photo": FileStorage(io.BytesIO(data), "a.jpg", "photo", "image/jpeg")})
        headers = {"Authorization": f"Bearer {server.tokens['张三']}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
        return server.call("POST", f"/api/audits/{audit_id}/checks/{check}/photos", payload, headers)

    big = io.BytesIO()
    Image.new("1", (8000, 5001)).save(big, "PNG")
    status, _, body = upload(big.getvalue())
    assert status == 400 and "像素过多" in json.loads(body)["error"]["message"]
    mpo = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(mpo, "MPO", save_all=True, append_images=[Image.new("RGB", (40, 20), "blue")])
    status, _, body = upload(mpo.getvalue())
    assert status == 201, body
    kept = server.tmp / "data" / "audits" / "evidence" / json.loads(body)["name"]
    with Image.open(kept) as img:
        assert img.format == "JPEG" and img.convert("RGB").getpixel((20, 10))[0] > 200
    for name in (TECH, "科技处", "tech"):
        status, _, body = server.call("GET", "/api/hazards?unit=" + urllib.parse.quote(name), headers=bearer(server, "王五"))
        assert status == 200 and len(json.loads(body)["hazards"]) == 2, (name, body)
    assert server.call("GET", "/api/hazards?unit=" + urllib.parse.quote("办公室"), headers=bearer(server, "王五"))[0] == 403
