"""The whole round in a real browser: Debian's headless Chromium driven by Playwright against the
app served by waitress on a loopback port. An inspector starts an audit, answers three checks
(one 不符合 with a photo), reloads and finds them kept, finishes; the unit reports the hazard
rectified with a photo; the inspector verifies it; the report PDF names the target. The pages
fit 390 px and 768 px wide without horizontal scrolling."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from extras import need
from web_helpers import PASSWORD, jpeg

pytestmark = [pytest.mark.browser, pytest.mark.slow]
pdfplumber = need("pdfplumber", "to read the report back")
need("playwright.sync_api", "to drive Chromium")

TARGET = "广电大厦东配楼值班室"


def log_in(page, base, name):
    page.goto(base + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


def log_out(page):
    page.click("text=退出")
    page.wait_for_url(re.compile(r".*/login$"))


def fits(page, width, shot):
    page.set_viewport_size({"width": width, "height": 900})
    page.screenshot(path=str(shot), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{page.url} overflows at {width}px"


def test_inspection_and_rectification_in_the_browser(server, browser, tmp_path):
    site, base = server
    photo = tmp_path / "site.jpg"
    photo.write_bytes(jpeg((64, 48), orientation=6))
    page = browser.new_page(viewport={"width": 768, "height": 1000}, accept_downloads=True)
    shots = Path(os.environ.get("CHECKLIST_SCREENSHOTS", tmp_path))

    log_in(page, base, "张三")
    page.wait_for_url(base + "/audits")
    page.click("text=开始新的检查")
    fits(page, 390, shots / "new-390.png")
    page.select_option("#catalog", "bj-rtv-3g3b")
    page.fill("#unit", "办公室")
    page.fill("#target", TARGET)
    assert page.input_value("#date") == "2026-11-25"
    page.click("text=开始检查")
    page.wait_for_url(re.compile(r".*/audits/20261125-\d{3}$"))
    audit_url = page.url

    checks = page.locator("form.check")
    first, second, third = checks.nth(0), checks.nth(1), checks.nth(2)
    first.locator(".r-pass").click()
    first.locator(".msg", has_text="已保存").wait_for()
    second.locator(".r-na").click()
    assert "请填写不适用理由" in second.locator(".msg").inner_text()
    assert "unsaved" not in second.locator(".state").get_attribute("class")  # a hint, not an alarm
    second.locator("textarea[name=reason]").fill("本单位无此项业务")
    second.locator(".msg", has_text="已保存").wait_for()
    third.locator(".r-fail").click()
    third.locator("textarea[name=description]").fill("值班记录缺失三天")
    third.locator("textarea[name=measure]").fill("补齐值班记录并建立检查台账")
    third.locator("input[name=owner]").fill("办公室 李四")
    third.locator("input[name=due]").fill("2026-12-10")
    third.locator("textarea[name=note]").fill("值班记录缺失三天")
    third.locator(".msg", has_text="已保存").wait_for()
    third.locator("input[type=file]").set_input_files(str(photo))
    third.locator(".msg", has_text="照片已保存").wait_for()
    assert page.locator("#answered").inner_text() == "3"
    assert not third.locator(".retry").is_visible()

    fourth = checks.nth(3)  # the connection drops: the answer waits and is sent when it can be
    page.context.set_offline(True)
    fourth.locator(".r-pass").click()
    page.locator("#waiting", has_text="待发送：1 个答案、0 张照片（离线）").wait_for()
    page.context.set_offline(False)
    fourth.locator(".msg", has_text="已保存").wait_for()
    page.locator("#waiting").wait_for(state="hidden")
    fifth = checks.nth(4)  # offline, then back online: the page sends it by itself
    page.context.set_offline(True)
    fifth.locator(".r-na").click()
    fifth.locator("textarea[name=reason]").fill("本单位无此项业务")
    fifth.locator(".msg", has_text="已存本机，待发送").wait_for()
    page.context.set_offline(False)
    fifth.locator(".msg", has_text="已保存").wait_for()
    assert page.locator("#answered").inner_text() == "5"
    fits(page, 390, shots / "audit-390.png")
    fits(page, 768, shots / "audit-768.png")

    page.reload()
    assert first.locator(".r-pass").get_attribute("aria-pressed") == "true"
    assert second.locator("textarea[name=reason]").input_value() == "本单位无此项业务"
    assert third.locator(".r-fail").get_attribute("aria-pressed") == "true"
    assert third.locator("textarea[name=measure]").input_value() == "补齐值班记录并建立检查台账"
    assert third.locator(".thumbs img").count() == 1
    assert fourth.locator(".r-pass").get_attribute("aria-pressed") == "true"
    assert fifth.locator(".r-na").get_attribute("aria-pressed") == "true"

    page.click("#finish button")
    page.wait_for_url(audit_url + "/done")
    hazard_id = re.search(r"(YH-\d{4}-\d{4}) 一般隐患", page.inner_text("main")).group(1)
    with page.expect_download() as download:
        page.click("text=下载检查报告（PDF）")
    with pdfplumber.open(download.value.path()) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert TARGET in text and "值班记录缺失三天" in text

    page.click("text=隐患台账")
    page.click(f"text={hazard_id}")
    assert "值班记录缺失三天" in page.inner_text("main")
    log_out(page)

    log_in(page, base, "赵六")  # the 办公室 unit user
    page.wait_for_url(base + "/hazards")
    fits(page, 390, shots / "hazards-390.png")
    fits(page, 768, shots / "hazards-768.png")
    page.click(f"text={hazard_id}")
    rectify = page.locator("form.move", has=page.locator("input[value=rectify]"))
    rectify.locator("textarea[name=measure]").fill("已补齐值班记录")
    rectify.locator("input[type=file]").set_input_files(str(photo))
    rectify.locator("button[type=submit]").click()
    page.locator(".badge", has_text="待复查").wait_for()
    assert page.locator(".after img").count() == 1 and page.locator(".before img").count() == 1
    fits(page, 390, shots / "hazard-390.png")
    fits(page, 768, shots / "hazard-768.png")
    log_out(page)

    log_in(page, base, "张三")
    page.goto(f"{base}/hazards/{hazard_id}")
    page.locator("form.move", has=page.locator("input[value=pass]")).locator("button[type=submit]").click()
    page.locator(".badge", has_text="已销号").wait_for()
    timeline = page.inner_text(".timeline")
    assert "整改完成 赵六（被检查单位）" in timeline and "复查通过 张三（检查员）" in timeline
    assert site.app  # the server ran the whole round
