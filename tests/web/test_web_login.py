"""Login (issue 20, item 5): only same-site paths after login; a line break in ``next`` is a 400;
failed logins counted by the folded name, the check and the count one atomic step, in the database
(shared by every server process, on SQLite and PostgreSQL); a named proxy's forwarded address
believed only when asked; HSTS with --https."""

from __future__ import annotations

import re
import threading
from urllib.parse import unquote

import pytest
from web_helpers import PASSWORD, login, make_site

from checklist.register.users import add_user


@pytest.fixture
def site(tmp_path):
    s = make_site(tmp_path)
    add_user(s.engine, "admin", "admin", None, PASSWORD)
    return s


def form_of(c, query=""):
    page = c.get("/login" + query)
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


@pytest.mark.parametrize(
    "target", ["/%09/evil.example", "/%0a/evil.example", "/%0d%0aSet-Cookie:%20x=1", "/\\evil.example", "//evil.example"]
)
def test_a_next_that_is_not_a_path_of_this_site_is_refused(site, target):
    c = site.app.test_client()
    r = c.get("/login?next=" + target)
    assert r.status_code == 400 and "跳转的地址无效" in r.text
    token = form_of(c)
    r = c.post("/login", data={"name": "张三", "password": PASSWORD, "csrf_token": token, "next": unquote(target)})
    assert r.status_code == 400 and "Location" not in r.headers and "Set-Cookie: x" not in str(r.headers)
    assert not any(h.startswith("checklist_session=") for h in r.headers.getlist("Set-Cookie"))


def test_a_path_of_this_site_is_followed(site):
    c = site.app.test_client()
    token = form_of(c, "?next=/hazards%3Fstatus%3D待整改")
    r = c.post("/login", data={"name": "张三", "password": PASSWORD, "csrf_token": token, "next": "/hazards?status=待整改"})
    assert r.status_code == 302 and unquote(r.headers["Location"]) == "/hazards?status=待整改"
    r = login(site.app.test_client(), "张三")
    assert r.status_code == 302 and r.headers["Location"] == "/"


@pytest.mark.parametrize("spelling", ["ａｄｍｉｎ", "𝐚𝐝𝐦𝐢𝐧", " admin "])
def test_the_limit_counts_the_name_as_login_reads_it(site, spelling):
    c = site.app.test_client()
    for _ in range(site.settings.login_attempts):
        assert login(c, spelling, "wrong-password").status_code == 401
    assert login(c, "admin").status_code == 429  # the same name, however it was written


def test_parallel_guesses_get_no_more_checks_than_the_limit(site, monkeypatch):
    """30 wrong passwords at once used to get 12 checks through a limit of 5."""
    from checklist.register import users

    checks = []
    real = users.authenticate

    def counted(*args):
        checks.append(1)
        return real(*args)

    monkeypatch.setattr(users, "authenticate", counted)
    clients = [site.app.test_client() for _ in range(30)]
    tokens = [form_of(c) for c in clients]
    start, statuses = threading.Barrier(30), []

    def guess(c, token):
        start.wait()
        statuses.append(c.post("/login", data={"name": "张三", "password": "wrong", "csrf_token": token}).status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checks) == site.settings.login_attempts
    assert sorted(statuses) == [401] * 5 + [429] * 25


def test_every_server_process_shares_the_count(site):
    """A second app on the same register (another process behind the same proxy) sees the failures."""
    from checklist.register.db import open_register
    from checklist.web.app import Settings, create_app

    other = create_app(Settings(engine=open_register(str(site.engine.url)), data=site.settings.data, files=site.settings.files))
    first, second = site.app.test_client(), other.test_client()
    for i in range(site.settings.login_attempts):
        assert login(first if i % 2 else second, "张三", "wrong").status_code == 401
    assert login(second, "张三").status_code == 429 and login(first, "张三").status_code == 429


def test_a_right_password_clears_the_names_failures(site):
    for _ in range(site.settings.login_attempts - 1):
        login(site.app.test_client(), "张三", "wrong")
    assert login(site.app.test_client(), "张三").status_code == 302
    for _ in range(site.settings.login_attempts - 1):
        assert login(site.app.test_client(), "张三", "wrong").status_code == 401
    assert login(site.app.test_client(), "张三").status_code == 302


def test_a_named_proxys_forwarded_address_is_believed_and_no_one_elses(tmp_path):
    s = make_site(tmp_path)
    s.settings.trusted_proxy = "10.0.0.1"
    from checklist.web.app import create_app

    app = create_app(s.settings)

    def client(peer, forwarded):
        c = app.test_client()
        c.environ_base.update(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
        return c

    guesser = client("10.0.0.1", "203.0.113.7")
    for name in ("甲", "乙", "丙", "丁") * s.settings.login_attempts:  # 20 failures across names from one person
        login(guesser, name, "wrong")
    assert login(guesser, "张三").status_code == 429
    assert login(client("10.0.0.1", "198.51.100.9"), "张三").status_code == 302  # another person behind the proxy
    spoofer = client("192.0.2.50", "198.51.100.9")  # not the proxy: its header is not believed
    for _ in range(s.settings.login_attempts):
        login(spoofer, "王五", "wrong")
    assert login(client("10.0.0.1", "198.51.100.9"), "王五").status_code == 302
    (tmp_path / "default").mkdir()
    default = make_site(tmp_path / "default")  # without --trust-proxy every forwarded header is ignored
    c = default.app.test_client()
    c.environ_base.update(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    for name in ("甲", "乙", "丙", "丁") * default.settings.login_attempts:
        login(c, name, "wrong")
    other = default.app.test_client()
    other.environ_base.update(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert login(other, "张三").status_code == 429


def test_hsts_is_sent_over_https_only(tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "https").mkdir()
    plain = make_site(tmp_path / "plain")
    assert "Strict-Transport-Security" not in plain.app.test_client().get("/login").headers
    s = make_site(tmp_path / "https")
    s.settings.secure_cookies = True
    r = s.app.test_client().get("/login")
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_limiter_is_atomic_on_both_backends(db_url):
    from checklist.register.db import open_register
    from checklist.register.login_limits import reserve

    engine = open_register(db_url)
    start, results = threading.Barrier(20), []

    def attempt(i):
        start.wait()
        results.append(reserve(engine, "192.0.2.1", "ａｄｍｉｎ" if i % 2 else "admin", 5, 20, 900))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(1 for r in results if r.wait == 0) == 5 and all(r.wait > 0 for r in results if r.id is None)
    engine.dispose()


def test_an_r0003_register_upgrades_to_the_login_table(db_url):
    import sqlalchemy as sa
    from alembic import command
    from register_helpers import Register

    from checklist.register.db import _alembic_config, head_revision, make_engine

    engine = make_engine(db_url if db_url.startswith("sqlite") else db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn, conn.begin():
        command.upgrade(_alembic_config(conn), "r0003")
    assert Register(db_url)("list").exit_code == 7  # asks for the upgrade
    result = Register(db_url)("upgrade")
    assert result.exit_code == 0 and f"升级到结构版本 {head_revision()}" in result.output, result.output
    with engine.connect() as conn:
        assert "login_attempt" in sa.inspect(conn).get_table_names()
    with engine.connect() as conn, conn.begin():
        command.downgrade(_alembic_config(conn), "r0003")
    with engine.connect() as conn:
        assert "login_attempt" not in sa.inspect(conn).get_table_names()
    engine.dispose()
