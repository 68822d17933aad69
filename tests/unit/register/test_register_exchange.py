"""Export and restore: a whole register, its users included, moves between SQLite and PostgreSQL
and back byte for byte; restore proves every hazard row from its events before it commits, reads
within bounds, and still takes the exports of older versions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from audit_helpers import example_audit
from register_helpers import Register, add_plan, set_issuers

LEGACY = Path(__file__).parent / "data" / "legacy-r0003.jsonl"  # written by checklist at schema r0003
PASSWORD = "correct-horse-42"


def busy_register(url: str, tmp_path: Path) -> Register:
    """A register with every kind of move, and users of every role (one disabled, one with a token)."""
    from checklist.register.users import add_user, disable_user, new_token

    reg = Register(url)
    audit = example_audit(tmp_path)
    assert reg("import", audit).exit_code == 0
    add_plan(audit)  # the grading's basis and the plan, amended in before anyone acts
    assert reg("import", audit).exit_code == 0
    supervise = ("--supervisor", "局办公室(安监办)", "--deadline", "2026-12-31", "--number", "京广督〔2026〕1号", "--date", "2026-11-21")
    assert reg("supervise", "YH-2026-0001", *supervise).exit_code == 0
    evidence = tmp_path / "evidence" / "manhole-cover.jpg"
    assert reg("rectify", "YH-2026-0002", "--measure", "已补开", "--evidence", evidence, "--date", "2026-12-01").exit_code == 0
    assert reg("verify", "YH-2026-0002", "--pass", "--by", "李四", "--date", "2026-12-03").exit_code == 0
    set_issuers(reg)  # and the papers' issuers, a record and a business: every table the log proves
    assert reg("notice", audit, "-o", tmp_path / "papers", "--format", "html", "--date", "2026-11-20").exit_code == 0
    record = (
        "--unit",
        "科技处",
        "--organiser",
        "局安全生产工作领导小组",
        "--whom",
        "科技处",
        "--matter",
        "整改不到位",
        "--date",
        "2026-12-04",
    )
    assert reg("record", "notify", *record).exit_code == 0
    sheet = tmp_path / "businesses.csv"
    sheet.write_text("名称,统一社会信用代码,分级分类\n歌华有线,91350100M000100Y43,A\n", encoding="utf-8")
    assert reg("businesses", "import", sheet).exit_code == 0
    engine = reg.engine()
    add_user(engine, "管理员", "admin", None, PASSWORD)
    add_user(engine, "王五", "unit", "科技处(公共服务处)", PASSWORD)
    add_user(engine, "Zhang", "inspector", None, PASSWORD)
    add_user(engine, "赵六", "inspector", None, PASSWORD)
    disable_user(engine, "赵六")
    busy_register.token = new_token(engine, "王五")  # type: ignore[attr-defined]
    publish_a_catalog(engine, tmp_path / "published")
    return reg


def publish_a_catalog(engine, folder: Path) -> None:
    """A catalog made in the web app: version 1 published, a draft of version 2 under review."""
    import yaml
    from paths import ROOT

    from checklist.register import catalog_drafts, catalog_versions

    data = yaml.safe_load((ROOT / "catalogs" / "bj-commercial-health-insurance.yaml").read_text(encoding="utf-8"))
    draft = catalog_drafts.start(engine, "my-health", {"catalog": data, "findings": [], "report": {}, "source": {}}, "管理员")
    catalog_versions.publish(engine, "my-health", draft.version, "管理员", folder)
    catalog_drafts.start_from_version(engine, "my-health", "管理员")


def test_a_register_with_its_users_moves_sqlite_postgresql_sqlite_byte_for_byte(tmp_path, request):
    from checklist.register.users import authenticate, by_token

    srv = request.getfixturevalue("pg_server")
    if isinstance(srv, str):
        pytest.skip(f"PostgreSQL not available: {srv}")
    from pg import create_database, drop_database

    source = busy_register(f"sqlite:///{tmp_path / 'source.db'}", tmp_path)
    first = tmp_path / "first.jsonl"
    assert source("export", "-o", first).exit_code == 0
    name = create_database(srv)
    try:
        pg = Register(srv.url(name))
        restored = pg("restore", first)
        assert restored.exit_code == 0, restored.output
        assert "4 个用户" in restored.output
        assert '"table": "catalog_version"' in first.read_text(encoding="utf-8") and '"table": "catalog_draft"' in first.read_text(
            encoding="utf-8"
        )
        second = tmp_path / "second.jsonl"
        assert pg("export", "-o", second).exit_code == 0
        assert second.read_bytes() == first.read_bytes()
        back = Register(f"sqlite:///{tmp_path / 'back.db'}")
        assert back("restore", second).exit_code == 0
        third = tmp_path / "third.jsonl"
        assert back("export", "-o", third).exit_code == 0
        assert third.read_bytes() == first.read_bytes()
        for reg in (pg, back):
            engine = reg.engine()
            assert authenticate(engine, "管理员", PASSWORD).role == "admin"
            assert authenticate(engine, "王五", "wrong password!") is None
            assert authenticate(engine, "赵六", PASSWORD) is None  # still disabled
            assert by_token(engine, busy_register.token).name == "王五"  # type: ignore[attr-defined]
            assert reg("check-log").exit_code == 0
    finally:
        drop_database(srv, name)


def test_an_export_never_holds_a_plain_password_or_token(tmp_path):
    source = busy_register(f"sqlite:///{tmp_path / 'source.db'}", tmp_path)
    dump = tmp_path / "dump.jsonl"
    source("export", "-o", dump)
    text = dump.read_text(encoding="utf-8")
    assert PASSWORD not in text and busy_register.token not in text  # type: ignore[attr-defined]
    users = [json.loads(line)["row"] for line in text.splitlines() if '"table": "app_user"' in line]
    assert sorted(u["name"] for u in users) == ["Zhang", "王五", "管理员", "赵六"]
    assert all(u["password_hash"].startswith("$argon2id$") for u in users)


def _edit_row(dump: Path, table: str, key: str, value, **changes) -> None:
    lines = dump.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        item = json.loads(line)
        if item.get("table") == table and item["row"].get(key) == value:
            item["row"].update(changes)
            lines[i] = json.dumps(item, ensure_ascii=False)
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    "table, key, value, changes, named",
    [
        ("hazard", "id", "YH-2026-0001", {"due": "2027-06-30"}, "YH-2026-0001：due"),
        ("hazard", "id", "YH-2026-0002", {"reviewer": "王五"}, "YH-2026-0002：reviewer"),
        ("supervision", "hazard_id", "YH-2026-0001", {"number": "京广督〔2026〕9号"}, "YH-2026-0001：督办的 number"),
        ("hazard", "id", "YH-2026-0001", {"basis": "特征清单第1项"}, "YH-2026-0001：basis"),
        ("oversight", "kind", "notify", {"matter": "从未约谈"}, "matter 在隐患台账中为 '从未约谈'"),
        ("paper", "kind", "notice", {"body": "别的机关"}, "body 在隐患台账中为 '别的机关'"),
        ("business", "credit_code", "91350100M000100Y43", {"grade": "D"}, "生产经营单位 91350100M000100Y43：grade"),
        ("issuer", "kind", "notice", {"prefix": "京广伪"}, "发文机关 notice：prefix"),
    ],
)
def test_restore_refuses_rows_its_events_do_not_give(db_url, tmp_path, table, key, value, changes, named):
    source = busy_register(f"sqlite:///{tmp_path / 'source.db'}", tmp_path)
    dump = tmp_path / "register.jsonl"
    source("export", "-o", dump)
    _edit_row(dump, table, key, value, **changes)
    target = Register(db_url)
    result = target("restore", dump)
    assert result.exit_code == 8, result.output
    assert named in result.output and "未恢复任何内容" in result.output
    assert target("list").output.startswith("0 条隐患")


def test_restore_refuses_what_is_not_a_regular_file(db_url, tmp_path):
    target = Register(db_url)
    for special in ("/dev/zero", tmp_path):
        result = target("restore", special)
        assert result.exit_code == 2, result.output
        assert "不是普通文件" in result.output or "是目录" in result.output
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = target("restore", fifo)
    assert result.exit_code == 2 and "不是普通文件" in result.output


def test_restore_refuses_an_overlong_line(db_url, tmp_path, monkeypatch):
    from checklist.register import exchange

    monkeypatch.setattr(exchange, "LONGEST_LINE", 1000)
    dump = tmp_path / "long.jsonl"
    header = {"format": "checklist-register", "revision": "r0004", "events": 0, "head": "0" * 64}
    dump.write_text(json.dumps(header) + "\n" + '{"table": "counter", "row": {"year": 2026, "last": "' + "9" * 5000 + '"}}\n')
    result = Register(db_url)("restore", dump)
    assert result.exit_code == 2 and f"{dump}:2:" in result.output and "超过 1,000 个字符" in result.output


def test_restore_refuses_an_oversized_file(db_url, tmp_path, monkeypatch):
    from checklist.register import exchange

    monkeypatch.setattr(exchange, "LARGEST_EXPORT", 2000)
    source = busy_register(f"sqlite:///{tmp_path / 'source.db'}", tmp_path)
    dump = tmp_path / "register.jsonl"
    source("export", "-o", dump)
    result = Register(db_url)("restore", dump)
    assert result.exit_code == 2 and "超过导出文件允许的" in result.output, result.output


def test_restore_refuses_text_a_database_cannot_hold(db_url, tmp_path):
    source = busy_register(f"sqlite:///{tmp_path / 'source.db'}", tmp_path)
    dump = tmp_path / "register.jsonl"
    source("export", "-o", dump)
    _edit_row(dump, "app_user", "name", "王五", unit="科技处\x00")
    result = Register(db_url)("restore", dump)
    assert result.exit_code == 2, result.output
    assert "U+0000" in result.output and "internal error" not in result.output


def test_an_export_of_an_older_version_still_restores(db_url, tmp_path):
    """An export made at r0003 (before events carried the whole finding): its chain and each row's
    status and version are checked as then; each hazard's row is then recorded in the log (a
    `baseline` event), so from there on the log proves it."""
    target = Register(db_url)
    restored = target("restore", LEGACY)
    assert restored.exit_code == 0, restored.output
    assert "7 个事件" in restored.output and "2 条隐患按当时状态存证" in restored.output
    checked = target("check-log")
    assert checked.exit_code == 0 and "事件日志完整：9 个事件" in checked.output
    shown = json.loads(target("show", "YH-2026-0001", "--format", "json").output)
    assert [e["action"] for e in shown["history"]] == ["register", "supervise", "amend", "extend", "baseline"]
    assert shown["due"] == "2026-12-20" and shown["audit_id"].startswith("path-") and shown["version"] == 4
    assert target("revoke", "YH-2026-0001", "--reason", "误报", "--approver", "局领导").exit_code == 0
    assert target("check-log").exit_code == 0


def test_an_edited_older_export_is_refused(db_url, tmp_path):
    dump = tmp_path / "legacy.jsonl"
    dump.write_text(LEGACY.read_text(encoding="utf-8").replace('"status": "已销号"', '"status": "待整改"'), encoding="utf-8")
    result = Register(db_url)("restore", dump)
    assert result.exit_code == 8 and "YH-2026-0002" in result.output, result.output
