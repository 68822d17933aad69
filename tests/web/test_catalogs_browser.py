"""A department makes its own catalog in a real browser (Debian's Chromium through Playwright,
the app served by waitress, imports and papers in the worker pool): an editor uploads a Word file
made here, fixes the clause the import flagged (a unit cell that names no unit), publishes it;
an inspector starts an audit on it; the document is revised, imported again and published as
version 2; the comparison says what changed for each unit; the audit still names version 1;
the 责任清单 downloads in Word. Every page fits 390 and 768 px without horizontal scrolling."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from catalog_helpers import REVISED, REVISED_DOC_NO, TITLE, plan_docx
from web_helpers import PASSWORD, make_site

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


@pytest.fixture
def server(tmp_path):
    from waitress import create_server

    from checklist.register.users import add_user

    site = make_site(tmp_path, pdf_workers=1)
    add_user(site.engine, "编辑甲", "editor", None, PASSWORD)
    srv = create_server(site.app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{srv.effective_port}"
    srv.close()
    thread.join(5)
    site.app.extensions["pdf_pool"].close()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def log_in(page, base, name):
    page.goto(base + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


def fits(page, shots, name):
    for width in (390, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{page.url} overflows at {width}px"
    page.set_viewport_size({"width": 1200, "height": 900})


def saved(page):
    page.locator("#save-state", has_text="已保存").wait_for()


def import_document(page, base, path, catalog_id):
    page.goto(base + "/catalogs")
    page.set_input_files("#document", str(path))
    page.fill("#catalog_id", catalog_id)
    page.click("text=导入并生成草稿")
    page.wait_for_url(re.compile(rf".*/catalogs/{catalog_id}/draft$"))


def test_a_department_publishes_its_catalog_and_its_revision(server, browser, tmp_path):
    site, base = server
    shots = Path(os.environ.get("CHECKLIST_SCREENSHOTS", tmp_path))
    page = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)

    log_in(page, base, "编辑甲")
    page.wait_for_url(base + "/catalogs")
    fits(page, shots, "catalogs")
    import_document(page, base, plan_docx(tmp_path / "plan.docx"), "plan")
    fits(page, shots, "draft")
    assert page.inner_text("#n-open") == "1" and page.locator("#publish").is_disabled()

    # the import found no title: its placeholder is an error on the title's field, until it is put right
    assert "请替换导入时留下的占位内容" in page.inner_text("#meta")
    page.fill("#m-title", TITLE)
    saved(page)
    assert page.inner_text("#n-problems") == "0" and "占位" not in page.inner_text("#meta")
    assert page.input_value("#m-doc_no") == "示安发〔2026〕3号"

    # the flagged clause, beside its table row: its unit cell names no unit
    flagged = page.locator(".clause-card", has=page.locator(".finding"))
    assert flagged.get_attribute("data-clause") == "S3"
    assert "加强重点行业领域监管执法" in flagged.locator(".source").inner_text()
    assert "责任单位存疑" in flagged.locator(".finding").inner_text()
    flagged.locator("details.pick summary").click()
    flagged.locator('input[data-role="lead"][data-name="区应急局"]').check()
    saved(page)
    assert "区应急局（牵头）" in flagged.locator(".picked").inner_text()
    bogus = flagged.locator('input[data-role="lead"]:checked:not([data-name="区应急局"])')
    assert bogus.count() == 1
    bogus.uncheck()
    saved(page)
    flagged.locator("input[data-finding]").check()
    saved(page)
    assert page.inner_text("#n-open") == "0"

    # a question left empty is an error on its field; writing it puts it right
    card = page.locator('.clause-card[data-clause="S1"]')
    card.locator(".check-row .ask").fill("")
    saved(page)
    assert "检查问题不能为空" in card.locator('.field-error[data-field="checks"]').inner_text()
    assert page.locator("#publish").is_disabled()
    card.locator(".check-row .ask").fill("是否建立安全生产责任制并明确各部门职责？")
    saved(page)
    assert card.locator('.field-error[data-field="checks"]').inner_text() == ""

    # a question added to a clause, then its evidence: one question, with the id it was given
    s4 = page.locator('.clause-card[data-clause="S4"]')
    s4.locator("button[data-action=check_add]").click()
    s4.locator(".check-row .ask").nth(1).fill("是否组织安全生产培训？")
    saved(page)
    s4.locator(".check-row .evidence").nth(1).fill("培训记录、签到表")
    saved(page)
    assert s4.locator(".check-row").nth(1).get_attribute("data-check") == "S4-b"

    # the unit the import made of the sentence is no unit: delete it (the page is drawn again)
    row = page.locator(".unit-row", has=page.locator('input[value="按照职责分工抓好落实并定期报告进展情况"]'))
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():  # saved, then drawn again (its script running before the next step)
        row.locator("button[data-action=unit_delete]").click()
    assert page.locator('input[value="按照职责分工抓好落实并定期报告进展情况"]').count() == 0

    # a lost connection: the change waits, says so, and is sent when the browser is back online
    page.context.set_offline(True)
    page.locator('.clause-card[data-clause="S2"] input[data-field="tags"]').fill("大检查")
    page.locator("#save-state", has_text="网络中断").wait_for()
    page.context.set_offline(False)
    saved(page)

    assert not page.locator("#publish").is_disabled()
    page.click("#publish")
    page.wait_for_url(re.compile(r".*/catalogs/plan/versions/1$"))
    assert "第 1 版" in page.inner_text("main") and "示安发〔2026〕3号" in page.inner_text("main")
    assert "是否组织安全生产培训？查阅：培训记录、签到表" in page.inner_text("main").replace("\n", "")
    fits(page, shots, "version")
    page.click("text=退出")

    # the inspector starts an audit on the new catalog
    log_in(page, base, "张三")
    page.goto(base + "/audits/new")
    page.select_option("#catalog", "plan")
    page.fill("#unit", "区应急局")
    page.fill("#target", "区应急局")
    page.click("text=开始检查")
    page.wait_for_url(re.compile(r".*/audits/\d{8}-\d{3}$"))
    assert "是否建立安全生产责任制并明确各部门职责？" in page.inner_text("main")
    audit_file = site.settings.data / "audits" / (page.url.rsplit("/", 1)[1] + ".yaml")
    assert "version: 1" in audit_file.read_text(encoding="utf-8")
    page.click("text=退出")

    # the document is revised: imported again under the same id, reviewed, published as version 2
    log_in(page, base, "编辑甲")
    page.wait_for_url(base + "/catalogs")
    import_document(page, base, plan_docx(tmp_path / "plan-2.docx", REVISED, REVISED_DOC_NO), "plan")
    assert "修订第 1 版" in page.inner_text("main")
    assert page.input_value("#m-title") == TITLE  # kept from version 1: the document prints none
    assert page.input_value('.clause-card[data-clause="S1"] .check-row .ask') == "是否建立安全生产责任制并明确各部门职责？"
    assert page.inner_text("#n-problems") == "0" and page.inner_text("#n-open") == "0"
    page.click("#publish")
    page.wait_for_url(re.compile(r".*/catalogs/plan/versions/2$"))

    page.click("text=与第 1 版比较")
    page.wait_for_url(re.compile(r".*/catalogs/plan/diff\?old=1&new=2$"))
    summary = page.inner_text("#diff-summary")
    assert "新增 1" in summary and "修改文字 1" in summary
    by_unit = page.inner_text("#by-unit")
    assert "区财政局" in by_unit and "新增职责（牵头）" in by_unit and "不再承担（配合）" in by_unit
    assert "和隐患排查" in page.inner_text(".change-reworded ins")
    fits(page, shots, "diff")

    page.goto(base + "/catalogs/plan")
    page.select_option("#unit", "区应急局")
    with page.expect_download() as download:
        page.click("text=下载 Word")
    import docx

    text = "\n".join(p.text for p in docx.Document(download.value.path()).paragraphs)
    assert "区应急局责任清单" in text and REVISED_DOC_NO in text and "第2版" in text

    # the audit still names the version it was made from
    assert "version: 1" in audit_file.read_text(encoding="utf-8")
