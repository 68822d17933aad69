"""Benchmark: the field app by the field's yardsticks.

Starts `checklist serve` in its own process on a loopback port with a fresh register and data
folder, adds an inspector, makes a 60-check audit (bj-rtv-3g3b, 宣传管理处) with three camera-sized
photos (4032×3024) and one 不符合, finishes it (so the register has a hazard), then:

1. Lighthouse (npm `lighthouse`, installed by ./run into tools/node_modules; Debian's Chromium via
   CHROME_PATH; mobile, its default simulated throttling) on every page — the login page, the
   audits list, the new-audit form, the audit page with photos, the hazard list and a hazard's
   page — printing performance, accessibility and best-practices scores beside the targets
   (≥ 95, 100, 100). Installability (Lighthouse 12 no longer audits it) is asked of Chromium
   itself: `Page.getInstallabilityErrors` with the service worker in control.
2. The 60-check audit page on emulated 3G (Chromium's network conditions through CDP in
   Playwright, DevTools' "Fast 3G": 562.5 ms round trip, 1.44 Mbit/s down, 675 kbit/s up), cold
   cache: time to the load event (target ≤ 1.5 s), bytes transferred (target ≤ 40 KB compressed),
   and the time from a tap on 符合 to 已保存 (target ≤ 0.8 s). The baseline in the same run is the
   same page loaded with no throttling.

    .venv/bin/python benchmarks/field_app.py [--runs 3] [--no-lighthouse] [--pages audit,hazards]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))
from web_answers import CHECKLIST, PASSWORD, call, free_port  # noqa: E402

LIGHTHOUSE = ROOT / "tools" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.44e6 / 8, "uploadThroughput": 675e3 / 8}
# the time a person waits: from the tap (the click event) to 已保存 on the check, measured in the page
TAP = """(sel) => new Promise(resolve => {
  const form = document.querySelector(sel), msg = form.querySelector('.msg'), button = form.querySelector('.r-pass');
  let t0 = 0;
  button.addEventListener('click', () => { t0 = performance.now(); }, {capture: true, once: true});
  new MutationObserver(() => { if (msg.textContent.startsWith('已保存')) resolve(performance.now() - t0); })
    .observe(msg, {childList: true, characterData: true, subtree: true});
  button.click();
})"""
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}


def photo(seed: int) -> bytes:
    """A camera-sized JPEG (4032×3024) with detail, so it weighs what a phone's does."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (4032, 3024), (40 + seed * 30, 90, 140))
    d = ImageDraw.Draw(img)
    for i in range(0, 4032, 24):
        d.line([(i, 0), (4032 - i, 3024)], fill=((i * 7 + seed * 50) % 255, (i * 3) % 255, 200 - (i % 150)), width=9)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def set_up(tmp: Path, port: int) -> tuple[subprocess.Popen, str, str, str, str]:
    db = f"sqlite:///{tmp / 'register.db'}"
    env = dict(os.environ, CHECKLIST_DB=db)
    subprocess.run(
        [*CHECKLIST, "users", "add", "张三", "--role", "inspector", "--password-stdin"],
        input=PASSWORD + "\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
    )
    token = subprocess.run([*CHECKLIST, "users", "token", "张三"], env=env, check=True, capture_output=True, text=True).stdout.split()[-1]
    server = subprocess.Popen(
        [*CHECKLIST, "serve", "--data", str(tmp / "data"), "--port", str(port)],
        env=env,
        stderr=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    status, body, _ = call(
        base, "POST", "/api/audits", token, {"catalog": "bj-rtv-3g3b", "unit": "宣传管理处", "target": "发射台机房", "date": "2026-11-25"}
    )
    assert status == 201, body
    audit_id, checks = body["id"], body["checks"]
    finding = {"hazard": "一般隐患", "description": "接地不良", "measure": "更换接地线", "owner": "李四", "due": "2026-12-10"}
    assert (
        call(base, "PUT", f"/api/audits/{audit_id}/checks/{checks[0]}", token, {"result": "fail", "note": "接地不良", "finding": finding})[
            0
        ]
        == 200
    )
    for n in range(3):
        req = urllib.request.Request(
            f"{base}/api/audits/{audit_id}/checks/{checks[1]}/photos",
            data=multipart(photo(n)),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "multipart/form-data; boundary=BOUNDARY"},
        )
        urllib.request.urlopen(req).read()
    _, done, _ = call(base, "POST", f"/api/audits/{audit_id}/finish", token, {})
    hazard_id = done["report"]["added"][0]
    return server, base, token, audit_id, hazard_id


def multipart(data: bytes) -> bytes:
    return (
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="photo"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        + data
        + b"\r\n--BOUNDARY--\r\n"
    )


def session_cookie(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = opener.open(base + "/login").read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
    opener.open(base + "/login", data=urllib.parse.urlencode({"name": "张三", "password": PASSWORD, "csrf_token": csrf}).encode()).read()
    return next(c.value for c in jar if c.name == "checklist_session")


def lighthouse(url: str, cookie: str | None, tmp: Path) -> dict[str, float]:
    headers = tmp / "headers.json"
    headers.write_text(json.dumps({"Cookie": f"checklist_session={cookie}"} if cookie else {}))
    out = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet", "--only-categories=performance,accessibility,best-practices",
         f"--extra-headers={headers}", "--chrome-flags=--headless=new " + " ".join(FLAGS)],
        env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    report = json.loads(out.stdout)
    scores = {k: round((v["score"] or 0) * 100) for k, v in report["categories"].items()}
    failed = [
        a for a, r in report["audits"].items() if r.get("score") is not None and r["score"] < 0.9 and r.get("scoreDisplayMode") == "binary"
    ]
    scores["lcp_ms"] = report["audits"]["largest-contentful-paint"]["numericValue"]
    scores["tbt_ms"] = report["audits"]["total-blocking-time"]["numericValue"]
    scores["failed"] = failed  # type: ignore[assignment]
    return scores


def browser_figures(base: str, cookie: str, audit_id: str, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    figures: dict[str, list] = {"load": [], "bytes": [], "saved": [], "plain_load": [], "plain_saved": []}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        host = urllib.parse.urlsplit(base).hostname
        # installable: the manifest and the service worker, as Chromium judges them
        with tempfile.TemporaryDirectory(prefix="checklist-profile-") as profile:  # not incognito: an app is installed into a profile
            ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=FLAGS, headless=True)
            ctx.add_cookies([{"name": "checklist_session", "value": cookie, "domain": host, "path": "/"}])
            page = ctx.new_page()
            page.goto(f"{base}/audits/{audit_id}")
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            page.reload()
            cdp = ctx.new_cdp_session(page)
            errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
            ctx.close()
        for run in range(runs * 2):
            throttled = run % 2 == 0
            ctx = b.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
            ctx.add_cookies([{"name": "checklist_session", "value": cookie, "domain": host, "path": "/"}])
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            if throttled:
                cdp.send("Network.emulateNetworkConditions", FAST_3G)
            sizes: dict[str, int] = {}
            cdp.on("Network.loadingFinished", lambda e, sizes=sizes: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
            start = time.perf_counter()
            page.goto(f"{base}/audits/{audit_id}", wait_until="load")
            loaded = time.perf_counter() - start
            weight = sum(sizes.values())
            check = page.locator("form.check").nth(5 + run).get_attribute("id")
            saved = page.evaluate(TAP, "#" + check) / 1000
            ctx.close()
            if throttled:
                figures["load"].append(loaded)
                figures["bytes"].append(weight)
                figures["saved"].append(saved)
            else:
                figures["plain_load"].append(loaded)
                figures["plain_saved"].append(saved)
        b.close()
    figures["installability_errors"] = errors
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3, help="3G page loads (each with an unthrottled one beside it)")
    ap.add_argument("--no-lighthouse", action="store_true")
    ap.add_argument("--pages", default="login,audits,new,audit,hazards,hazard")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="checklist-field-") as t:
        tmp = Path(t)
        server, base, _token, audit_id, hazard_id = set_up(tmp, free_port())
        try:
            cookie = session_cookie(base)
            pages = {
                "login": ("/login", None),
                "audits": ("/audits", cookie),
                "new": ("/audits/new", cookie),
                "audit": (f"/audits/{audit_id}", cookie),
                "hazards": ("/hazards", cookie),
                "hazard": (f"/hazards/{hazard_id}", cookie),
            }
            if not args.no_lighthouse:
                if not LIGHTHOUSE.exists():
                    print("lighthouse: not installed (./run bench installs it into tools/node_modules); skipped")
                else:
                    print(f"Lighthouse (mobile), targets: performance ≥ {TARGETS['performance']}, accessibility 100, best practices 100")
                    for name in args.pages.split(","):
                        path, ck = pages[name]
                        s = lighthouse(base + path, ck, tmp)
                        met = all(s[k] >= v for k, v in TARGETS.items())
                        print(
                            f"  {path:<32} performance {s['performance']:>3}  accessibility {s['accessibility']:>3}  "
                            f"best practices {s['best-practices']:>3}  LCP {s['lcp_ms'] / 1000:.1f} s  TBT {s['tbt_ms']:.0f} ms  "
                            f"{'met' if met else 'NOT met'}{'  failing: ' + ', '.join(s['failed']) if s['failed'] else ''}"
                        )
            f = browser_figures(base, cookie, audit_id, args.runs)
            errors = f["installability_errors"]
            print(f"installable (Chromium's own check): {'yes' if not errors else 'NO: ' + '; '.join(e['errorId'] for e in errors)}")
            med = statistics.median
            print(f"60-check audit page on emulated 3G (DevTools Fast 3G: 562.5 ms RTT, 1.44 Mbit/s), median of {args.runs}, cold cache:")
            print(
                f"  load event {med(f['load']):.2f} s (target ≤ 1.5 s: {'met' if med(f['load']) <= 1.5 else 'NOT met'}); baseline unthrottled {med(f['plain_load']):.2f} s"
            )
            print(f"  transferred {med(f['bytes']) / 1024:.1f} KB (target ≤ 40 KB: {'met' if med(f['bytes']) <= 40 * 1024 else 'NOT met'})")
            print(
                f"  tap 符合 → 已保存 {med(f['saved']):.2f} s (target ≤ 0.8 s: {'met' if med(f['saved']) <= 0.8 else 'NOT met'}); "
                f"baseline unthrottled {med(f['plain_saved']):.2f} s"
            )
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
