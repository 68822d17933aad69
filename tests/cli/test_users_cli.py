"""`checklist users …` and `checklist serve` on the command line."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from checklist.cli import cli


def users(url, *args, input=None):
    return CliRunner().invoke(cli, ["users", *args, "--db", url], input=input, catch_exceptions=False)


def test_users_add_list_disable_token(tmp_path):
    from checklist.register.db import open_register
    from checklist.register.users import authenticate, by_token

    url = f"sqlite:///{tmp_path / 'r.db'}"
    r = users(url, "add", "王五", "--role", "unit", "--unit", "科技处(公共服务处)", "--password-stdin", input="a-long-password\n")
    assert r.exit_code == 0 and "王五: 被检查单位 (科技处(公共服务处))" in r.output
    r = users(url, "add", "张三", "--role", "inspector", "--password-stdin", input="another-password\n")
    assert r.exit_code == 0
    assert users(url, "add", "张三", "--role", "inspector", "--password-stdin", input="another-password\n").exit_code == 2
    r = users(url, "add", "李四", "--role", "inspector", "--password-stdin", input="short\n")
    assert r.exit_code == 2 and "至少需要 10 个字符" in r.output
    r = users(url, "add", "赵六", "--role", "unit", "--password-stdin", input="a-long-password\n")
    assert r.exit_code == 2 and "--unit" in r.output
    listing = users(url, "list").output
    assert "王五" in listing and "张三" in listing and "inspector" in listing
    engine = open_register(url)
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM app_user WHERE name = '张三'").scalar()
    assert stored.startswith("$argon2id$") and "another-password" not in stored
    assert authenticate(engine, "张三", "another-password").role == "inspector"
    assert authenticate(engine, "张三", "wrong-password") is None and authenticate(engine, "nobody", "x") is None
    first = users(url, "token", "张三").output.strip()
    second = users(url, "token", "张三").output.strip()
    assert first != second and by_token(engine, first) is None and by_token(engine, second).name == "张三"
    assert users(url, "disable", "张三").exit_code == 0
    assert authenticate(engine, "张三", "another-password") is None and by_token(engine, second) is None
    assert "已停用" in users(url, "list").output
    assert users(url, "disable", "nobody").exit_code == 2
    engine.dispose()


def test_serve_says_when_the_port_is_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = CliRunner().invoke(
            cli,
            ["serve", "--db", f"sqlite:///{tmp_path / 'r.db'}", "--data", str(tmp_path / "d"), "--port", str(port)],
            catch_exceptions=False,
        )
    assert r.exit_code == 2 and f"无法监听 127.0.0.1:{port}" in r.output
