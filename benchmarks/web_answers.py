"""Benchmark: answers saved by the web app under load, and the weight of the audit page.

Starts `checklist serve` (waitress, its default 8 threads) in its own process on a loopback port
with a fresh register and data folder, adds an inspector and takes an API token, creates one audit
per client (bj-rtv-3g3b, 宣传管理处: 60 checks), then runs 20 clients in threads (http.client, one HTTP
request per answer, as the audit page sends them), each answering its own audit 100 times —
2,000 answers, a mix of 符合, 不适用 with a reason and 不符合 with a finding, every one carrying a
unique note; the last 40 of each client answer checks a second time. Afterwards it reads every
audit file with the CLI's loader and checks that each check holds the last answer acknowledged for
it (an answer acknowledged and then missing would be a lost answer).

Then it weighs the audit page of a 60-check audit: its HTML, app.css and app.js together.

    .venv/bin/python benchmarks/web_answers.py [--clients 20] [--answers 100] [--threads 8]

Targets (issue 11): p95 of a save ≤ 100 ms on this 2-core machine, zero answers lost; the audit
page with 60 checks ≤ 150 KB. The baseline in the same run is the median latency of GET /healthz
under the same load (the server's floor: routing, auth, one database read).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST = [sys.executable, "-m", "checklist"]
PASSWORD = "benchmark-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_local = threading.local()


def call(base: str, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict, float]:
    """One request on this thread's keep-alive connection (as a browser keeps one): status, JSON, seconds."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        host, port = base.removeprefix("http://").split(":")
        conn = _local.conn = http.client.HTTPConnection(host, int(port), timeout=60)
    headers = {"Authorization": f"Bearer {token}"}
    data = json.dumps(body).encode() if body is not None else None
    if data is not None:
        headers["Content-Type"] = "application/json"
    start = time.perf_counter()
    try:
        conn.request(method, urllib.parse.quote(path), body=data, headers=headers)
        r = conn.getresponse()
        status, text = r.status, r.read()
    except (OSError, http.client.HTTPException):
        conn.close()
        _local.conn = None
        raise
    return status, json.loads(text or b"{}"), time.perf_counter() - start


def answer(client: int, n: int) -> dict:
    note = f"客户端{client}第{n}次回答"
    if n % 10 == 3:
        return {
            "result": "fail",
            "note": note,
            "finding": {"hazard": "一般隐患", "description": "接地不良", "measure": "限期整改", "owner": "张三", "due": "2026-12-31"},
        }
    if n % 10 == 7:
        return {"result": "na", "note": note, "reason": "本单位无此项业务"}
    return {"result": "pass", "note": note}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--answers", type=int, default=100)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--pause", type=float, default=0.0, help="seconds each client waits between answers (0: as fast as it can)")
    ap.add_argument(
        "--tiny", action="store_true", help="a smoke run at the smallest size (the test suite runs it): figures, not measurements"
    )
    args = ap.parse_args()
    if args.tiny:
        args.clients = 2
        args.answers = 3
        args.threads = 2
    tmp = Path(tempfile.mkdtemp(prefix="checklist-web-bench-"))
    db = f"sqlite:///{tmp / 'register.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKLIST_")}
    subprocess.run(
        [*CHECKLIST, "users", "add", "张三", "--role", "inspector", "--password-stdin", "--db", db],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        env=env,
        capture_output=True,
    )
    token = subprocess.run(
        [*CHECKLIST, "users", "token", "张三", "--db", db], text=True, check=True, env=env, capture_output=True
    ).stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*CHECKLIST, "serve", "--db", db, "--data", str(tmp / "data"), "--port", str(port), "--threads", str(args.threads)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    in_process(tmp / "inproc", 12 if args.tiny else 200)
    try:
        for _ in range(100):
            try:
                if call(base, "GET", "/healthz", token)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        run(base, token, args, tmp)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


def in_process(folder: Path, n: int = 200) -> None:
    """One save without HTTP, as the server makes it, beside the way it was first written (the
    whole file dumped to YAML, parsed back and validated): the baseline of this run."""
    from checklist.audits import yaml_blocks
    from checklist.files.kinds import KINDS, problems_of
    from checklist.files.loader import loads
    from checklist.web.audit_store import Store

    folder.mkdir(parents=True)
    store = Store(folder)
    audit_id = store.create({"catalog": "bj-rtv-3g3b", "unit": "宣传管理处", "target": "x", "date": "2026-11-25"}, ["张三"])
    a, cat = store.load(audit_id)
    ids = [e.id for e in a.entries]
    now = []
    for i in range(n):
        start = time.perf_counter()
        store.answer(audit_id, ids[i % len(ids)], answer(0, i))
        now.append(time.perf_counter() - start)
    before = []
    for i in range(n // 4):
        yaml_blocks._cached_block.cache_clear()  # no memo: every block dumped, as before
        a.entries[i % len(ids)].note = f"旧方法{i}"
        start = time.perf_counter()
        text = a.to_yaml(cat)
        assert not problems_of(loads(text, str(a.path)), KINDS["audit"])
        yaml_blocks._cached_block.cache_clear()
        a.save(cat)  # which dumped the whole file a second time
        before.append(time.perf_counter() - start)
    print(
        f"one save in-process ({len(ids)} checks, validated, atomic): p50 {statistics.median(now) * 1000:.1f} ms; "
        f"dumping and re-parsing the whole file as first written: p50 {statistics.median(before) * 1000:.1f} ms "
        f"({statistics.median(before) / statistics.median(now):.0f}× slower)"
    )


def run(base: str, token: str, args: argparse.Namespace, tmp: Path) -> None:
    from checklist.audits.audit_file import load_audit

    audits = []
    for c in range(args.clients):
        status, body, _ = call(
            base,
            "POST",
            "/api/audits",
            token,
            {"catalog": "bj-rtv-3g3b", "unit": "宣传管理处", "target": f"宣传管理处-{c}", "date": "2026-11-25"},
        )
        assert status == 201, body
        audits.append((body["id"], body["checks"]))
    latencies: list[float] = []
    floor: list[float] = []
    last: dict[tuple[str, str], dict] = {}
    failures: list[str] = []
    lock = threading.Lock()

    def client(c: int) -> None:
        audit_id, checks = audits[c]
        for n in range(args.answers):
            check = checks[n % len(checks)]
            body = answer(c, n)
            status, reply, took = call(base, "PUT", f"/api/audits/{audit_id}/checks/{check}", token, body)
            with lock:
                if status == 200:
                    latencies.append(took)
                    last[(audit_id, check)] = body
                else:
                    failures.append(f"{audit_id} {check}: {status} {reply}")
            if n % 10 == 0:
                floor.append(call(base, "GET", "/healthz", token)[2])
            if args.pause:
                time.sleep(args.pause)

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start

    kept = lost = 0
    for audit_id, _ in audits:
        a, _, _ = load_audit(tmp / "data" / "audits" / f"{audit_id}.yaml")
        for e in a.entries:
            want = last.get((audit_id, e.id))
            if want is None:
                continue
            if e.result == want["result"] and e.note == want["note"]:
                kept += 1
            else:
                lost += 1
    total = args.clients * args.answers
    print(
        f"answers: {total} sent by {args.clients} clients{f' pausing {args.pause} s between answers' if args.pause else ''}, "
        f"{len(latencies)} acknowledged, {len(failures)} refused, in {wall:.1f} s "
        f"({len(latencies) / wall:.0f} answers/s)"
    )
    for f in failures[:5]:
        print("  refused:", f)
    print(
        f"save latency: p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {pct(latencies, 95) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms (target p95 ≤ 100 ms: {'met' if pct(latencies, 95) <= 0.1 else 'NOT met'})"
    )
    print(
        f"baseline GET /healthz under the same load: p50 {statistics.median(floor) * 1000:.0f} ms "
        f"(a save costs {statistics.median(latencies) / statistics.median(floor):.1f}× the floor)"
    )
    print(
        f"in the files: {kept} checks hold their last acknowledged answer, {lost} do not "
        f"({'zero lost' if lost == 0 and not failures else 'ANSWERS LOST'})"
    )
    weigh(base, token, audits[0][0], tmp)


def weigh(base: str, token: str, audit_id: str, tmp: Path) -> None:
    """The audit page as a browser loads it: log in with a session, then the page and its assets."""
    import http.cookiejar
    import re

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = opener.open(base + "/login").read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
    form = urllib.parse.urlencode({"name": "张三", "password": PASSWORD, "csrf_token": csrf}).encode()
    opener.open(base + "/login", data=form).read()
    html = opener.open(f"{base}/audits/{audit_id}").read()
    assets = sum(len(opener.open(base + p).read()) for p in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html) for p in [p.decode()])
    checks = html.count(b'class="check"')
    total = len(html) + assets
    print(
        f"audit page with {checks} checks: HTML {len(html) / 1024:.1f} KB + CSS/JS {assets / 1024:.1f} KB = {total / 1024:.1f} KB "
        f"(target ≤ 150 KB: {'met' if total <= 150 * 1024 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
