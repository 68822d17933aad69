"""Accessibility in Debian's Chromium: axe-core (installed by ./run into tools/node_modules) finds
no violation on any page at 390 and 768 px, the audit page with photos included; an audit is
answered with Tab, Enter and Space alone; moving backwards, the sticky progress bar never hides
the focused field."""

from __future__ import annotations

import json

import pytest
from paths import ROOT
from web_helpers import PASSWORD, jpeg

AXE = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (./run installs it into tools/node_modules)"),
]
WIDTHS = (390, 768)


def log_in(page, base, name):
    page.goto(base + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def violations(page) -> list[dict]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5], "help": v["help"]} for v in found]


def test_axe_finds_nothing_on_any_page(server, browser):
    site, base = server
    store = site.app.extensions["audit_store"]
    check = store.load(site.office_audit)[0].entries[1].id
    store.add_photo(site.office_audit, check, jpeg((1600, 1200), color="navy"))
    from checklist.register.hazards import Request, move

    move(
        site.engine, site.office_hazard, Request("rectify", by="赵六", role="unit", measure="已补齐"), 1
    )  # 复查 forms, with signature pads
    context = browser.new_context(bypass_csp=True)  # axe is evaluated into the page
    page = context.new_page()
    pages = {
        None: ["/login"],
        "张三": ["/audits", "/audits/new", f"/audits/{site.office_audit}", f"/audits/{site.office_audit}/done", "/hazards",
                 f"/hazards/{site.office_hazard}", "/offline"],
        "赵六": ["/hazards", f"/hazards/{site.office_hazard}"],
        "管理员": ["/users"],
    }  # fmt: skip
    page.goto(base + "/login")  # the tool sees a real fault (an image without a text alternative)
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/favicon.ico\">')")
    assert "image-alt" in {v["id"] for v in violations(page)}
    found = {}
    for user, paths in pages.items():
        context.clear_cookies()
        if user:
            log_in(page, base, user)
        for path in paths:
            page.goto(base + path)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                v = violations(page)
                if v:
                    found[f"{user} {path} @{width}"] = v
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    context.close()


def test_an_audit_is_answered_with_tab_enter_and_space(server, browser):
    site, base = server
    store = site.app.extensions["audit_store"]
    audit_id = store.create({"catalog": "bj-rtv-3g3b", "unit": "办公室", "target": "局办公室", "date": "2026-11-25"}, ["张三"])
    page = browser.new_page(viewport={"width": 390, "height": 800})
    log_in(page, base, "张三")
    page.goto(f"{base}/audits/{audit_id}")

    def tab_to(selector, limit=40, key="Tab"):
        for _ in range(limit):
            page.keyboard.press(key)
            if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
                return
        raise AssertionError(f"{selector} not reached with {limit} × {key}")

    checks = page.locator("form.check")
    ids = [checks.nth(i).get_attribute("data-check") for i in range(3)]
    tab_to(f"#c-{ids[0]} .r-pass")
    page.keyboard.press("Space")
    checks.nth(0).locator(".msg", has_text="已保存").wait_for()
    tab_to(f"#c-{ids[1]} .r-pass", limit=8)
    page.keyboard.press("Enter")
    checks.nth(1).locator(".msg", has_text="已保存").wait_for()
    tab_to(f"#c-{ids[2]} .r-na", limit=8)
    page.keyboard.press("Space")  # 不适用: the reason is asked for, and the focus goes there
    assert page.evaluate("document.activeElement.name") == "reason"
    page.keyboard.type("本单位无此项业务")
    page.keyboard.press("Tab")
    checks.nth(2).locator(".msg", has_text="已保存").wait_for()
    a = store.load(audit_id)[0]
    assert [e.result for e in a.entries[:3]] == ["pass", "pass", "na"]

    page.goto(f"{base}/audits/{audit_id}")  # 完成检查 is a few keys away, not 191
    tab_to("a.jump", limit=12)
    page.keyboard.press("Enter")
    tab_to("#sign canvas, #sign input, #sign button", limit=6)

    page.goto(f"{base}/audits/{audit_id}")  # backwards: the sticky bar never covers the focused field
    page.locator(f"#c-{checks.nth(8).get_attribute('data-check')} textarea[name=note]").focus()
    for _ in range(15):
        page.keyboard.press("Shift+Tab")
        top = page.evaluate("document.activeElement.getBoundingClientRect().top")
        bar = page.evaluate("document.getElementById('progress').getBoundingClientRect().bottom")
        assert top >= bar - 1, page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
