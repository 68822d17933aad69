"""The field app in Debian's Chromium: an audit answered with no connection (reload, close and
reopen included) reaches the audit file when the connection returns, a change made elsewhere
meanwhile is shown as a conflict and not overwritten; signatures drawn with pointer events end
up in the report PDF; a camera-sized photo is shrunk and stamped before upload. Each page fits
390 px and 768 px without horizontal scrolling."""

from __future__ import annotations

import os

import pytest
from web_helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def log_in(page, base, name="张三"):
    page.goto(base + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/audits")


def fits(page, *widths):
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{page.url} overflows at {width}px"


def new_audit(site, target="局办公室"):
    store = site.app.extensions["audit_store"]
    return store, store.create({"catalog": "bj-rtv-3g3b", "unit": "办公室", "target": target, "date": "2026-11-25"}, ["张三"])


def controlled(page, url):
    """Open ``url`` with the service worker in control (its first load installs it)."""
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller")


def until(found, seconds=15.0):
    """What ``found()`` returns once it is true, asked every 50 ms (a queue sends when it can)."""
    import time

    end = time.monotonic() + seconds
    while not (value := found()):
        assert time.monotonic() < end, "not there in time"
        time.sleep(0.05)
    return value


def waiting(page):
    loc = page.locator("#waiting")
    return loc.inner_text() if loc.is_visible() else ""


def test_an_audit_answered_offline_reaches_the_file(server, browser, tmp_path):
    from PIL import Image

    site, base = server
    store, audit_id = new_audit(site)
    url = f"{base}/audits/{audit_id}"
    photo = tmp_path / "site.jpg"
    Image.new("RGB", (800, 600), "orange").save(photo, "JPEG")
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    log_in(page, base)
    controlled(page, url)

    context.set_offline(True)
    page.reload()  # no connection: the page comes from the service worker's cache
    checks = page.locator("form.check")
    first, second, third, fourth = (checks.nth(i) for i in range(4))
    first.locator(".r-pass").click()
    second.locator(".r-na").click()
    second.locator("textarea[name=reason]").fill("本单位无此项业务")
    second.locator("textarea[name=reason]").blur()
    third.locator(".r-fail").click()
    third.locator("textarea[name=description]").fill("未见值班记录")
    third.locator("textarea[name=measure]").fill("补齐值班记录")
    third.locator("input[name=owner]").fill("李四")
    third.locator("input[name=due]").fill("2026-12-10")
    third.locator("input[name=due]").blur()
    third.locator("input[type=file]").set_input_files(str(photo))
    fourth.locator(".r-pass").click()
    page.locator("#waiting", has_text="待发送：4 个答案、1 张照片（离线）").wait_for()
    fits(page, 390, 768)
    page.close()

    # meanwhile someone else answers the fourth check (another device, online)
    c = site.app.test_client()
    from web_helpers import csrf_of, login

    login(c, "张三")
    check4 = store.load(audit_id)[0].entries[3].id
    r = c.put(
        f"/api/audits/{audit_id}/checks/{check4}", json={"result": "na", "reason": "他人判定不适用"}, headers={"X-CSRF-Token": csrf_of(c)}
    )
    assert r.status_code == 200

    page = context.new_page()  # the tab is reopened, still with no connection
    page.goto(url)
    checks = page.locator("form.check")
    from playwright.sync_api import expect  # waits while the queue is read back into the page

    expect(checks.nth(0).locator(".r-pass")).to_have_attribute("aria-pressed", "true")
    expect(checks.nth(1).locator("textarea[name=reason]")).to_have_value("本单位无此项业务")
    expect(checks.nth(2).locator(".r-fail")).to_have_attribute("aria-pressed", "true")
    expect(checks.nth(2).locator(".thumbs li.queued img")).to_have_count(1)
    assert "4 个答案、1 张照片" in waiting(page)

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    checks.nth(3).locator(".msg", has_text="冲突").wait_for()
    page.locator("#waiting", has_text="待发送：1 个答案、0 张照片").wait_for()  # the conflict waits for the inspector
    a = store.load(audit_id)[0]
    e1, e2, e3, e4 = a.entries[:4]
    assert (e1.result, e2.result, e2.reason, e3.result) == ("pass", "na", "本单位无此项业务", "fail")
    assert e3.finding.measure == "补齐值班记录" and len(e3.evidence) == 1 and (store.folder / e3.evidence[0]).is_file()
    assert (e4.result, e4.reason) == ("na", "他人判定不适用")  # not overwritten
    checks.nth(3).locator(".retry").click()  # the inspector keeps their own answer, knowingly
    checks.nth(3).locator(".msg", has_text="已保存").wait_for()
    assert store.load(audit_id)[0].entries[3].result == "pass"
    page.locator("#waiting").wait_for(state="hidden")
    context.close()


def draw(page, canvas):
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(x + i * box["width"] / 14, y + (15 if i % 2 else -15), steps=2)
    page.mouse.up()


def test_signatures_are_drawn_on_the_device_and_printed_in_the_report(server, browser):
    from extras import pdfplumber

    site, base = server
    store, audit_id = new_audit(site, "局办公室（签字）")
    page = browser.new_page(viewport={"width": 768, "height": 1000}, accept_downloads=True)
    log_in(page, base)
    page.goto(f"{base}/audits/{audit_id}")
    first = page.locator("form.check").nth(0)
    first.locator(".r-pass").click()
    first.locator(".msg", has_text="已保存").wait_for()

    unit = page.locator("form.pad[data-role=unit]")
    unit.locator(".save-sign").click()
    assert unit.locator(".msg").inner_text() == "请填写姓名"
    unit.locator("input[name=name]").fill("李主任")
    unit.locator("input[name=title]").fill("办公室主任")
    unit.locator(".save-sign").click()
    assert unit.locator(".msg").inner_text() == "请先在签名框内签名"
    draw(page, unit.locator("canvas"))
    unit.locator(".save-sign").click()
    inspector = page.locator("form.pad[data-role=inspector]")
    draw(page, inspector.locator("canvas"))
    inspector.locator(".save-sign").click()
    a = until(lambda: (a := store.load(audit_id)[0]).signatures[1:] and a)  # queued, then sent: the file says when
    page.locator("#waiting").wait_for(state="hidden")
    fits(page, 390, 768)
    assert [(s["role"], s["name"]) for s in a.signatures] == [("unit", "李主任"), ("inspector", "张三")]

    page.reload()
    assert page.locator("form.check").nth(1).locator(".r-pass").is_disabled()  # signed: answers no longer change
    assert "李主任（办公室主任）" in page.inner_text("#signed-list")
    page.click("#finish button")
    page.wait_for_url(f"{base}/audits/{audit_id}/done")
    with page.expect_download() as download:
        page.click("text=下载检查报告（PDF）")
    assert download.value.suggested_filename == f"检查报告-{audit_id}.pdf"
    with pdfplumber.open(download.value.path()) as pdf:
        last = pdf.pages[-1]
        assert "李主任" in last.extract_text() and len(last.images) == 2


def test_a_recheck_is_signed_on_the_hazard_page(server, browser):
    from checklist.register.hazards import Request, move

    site, base = server
    hid = site.office_hazard
    move(site.engine, hid, Request("rectify", by="赵六", role="unit", on=site.settings.today(), measure="已补齐值班记录"), 1)
    page = browser.new_page(viewport={"width": 390, "height": 900})
    log_in(page, base)
    page.goto(f"{base}/hazards/{hid}")
    form = page.locator("form.move", has=page.locator("input[value=pass]"))
    form.locator("textarea[name=reason]").fill("记录齐全")
    draw(page, form.locator(".pad[data-role=inspector] canvas"))
    form.locator("input[name=sign_unit_name]").fill("李主任")
    form.locator("input[name=sign_unit_title]").fill("办公室主任")
    draw(page, form.locator(".pad[data-role=unit] canvas"))
    fits(page, 390, 768)
    form.locator("button[type=submit]").click()
    page.locator(".badge", has_text="已销号").wait_for()
    from checklist.register.db import reading
    from checklist.register.log import history

    with reading(site.engine) as conn:
        last = history(conn, hid)[-1]
    assert [e["name"] for e in last["evidence"]] == ["签名-1-检查人员-张三.png", "签名-2-被检查单位负责人-李主任-办公室主任.png"]


def test_a_camera_photo_is_shrunk_and_stamped_before_upload(server, browser, tmp_path):
    from PIL import Image, ImageStat

    site, base = server
    store, audit_id = new_audit(site, "发射台机房")
    big = tmp_path / "camera.jpg"
    Image.frombytes("RGB", (4032, 3024), os.urandom(4032 * 3024 * 3)).save(big, "JPEG", quality=96)
    assert big.stat().st_size > 12 * 1024 * 1024  # more than the server takes in one request
    page = browser.new_page(viewport={"width": 390, "height": 900})
    log_in(page, base)
    page.goto(f"{base}/audits/{audit_id}")
    check = page.locator("form.check").nth(0)
    check.locator("input[type=file]").set_input_files(str(big))
    check.locator(".msg", has_text="照片已保存").wait_for(timeout=60_000)
    fits(page, 390, 768)
    (kept,) = store.load(audit_id)[0].entries[0].evidence
    with Image.open(store.folder / kept) as img:
        assert img.format == "JPEG" and max(img.size) == 2560 and img.size == (2560, 1920)
        h = img.size[1]
        band = ImageStat.Stat(img.crop((0, h - 40, 300, h - 5)).convert("L")).mean[0]
        rest = ImageStat.Stat(img.crop((0, 0, 300, 300)).convert("L")).mean[0]
    assert band < rest - 40  # the stamp's dark band with the time and the target
    assert (store.folder / kept).stat().st_size < 10 * 1024 * 1024
