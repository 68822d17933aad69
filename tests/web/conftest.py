"""Fixtures of the browser tests: the app served by waitress on a loopback port, and Debian's
headless Chromium driven by Playwright."""

from __future__ import annotations

import threading

import pytest
from web_helpers import make_site

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


@pytest.fixture
def server(tmp_path):
    from waitress import create_server

    site = make_site(tmp_path, pdf_workers=1)
    srv = create_server(site.app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{srv.effective_port}"
    srv.close()
    thread.join(5)
    site.app.extensions["pdf_pool"].close()


@pytest.fixture
def browser():
    from extras import need

    sync_playwright = need("playwright.sync_api", "to drive Chromium").sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()
