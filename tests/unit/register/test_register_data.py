"""Statistics, and export → restore between backends with the chain still valid."""

from __future__ import annotations

import json

import pytest
from register_helpers import Register


@pytest.mark.postgres
def test_export_restore_round_trip_sqlite_to_postgresql(example, tmp_path, request):
    source = Register(f"sqlite:///{tmp_path / 'source.db'}")
    audit = example
    source("import", audit)
    evidence = tmp_path / "evidence" / "manhole-cover.jpg"
    assert source("rectify", "YH-2026-0002", "--measure", "已补开", "--evidence", evidence, "--date", "2026-12-02").exit_code == 0
    assert source("verify", "YH-2026-0002", "--pass", "--by", "李四", "--date", "2026-12-03").exit_code == 0
    dump = tmp_path / "register.jsonl"
    assert source("export", "-o", dump).exit_code == 0
    srv = request.getfixturevalue("pg_server")
    if isinstance(srv, str):
        pytest.skip(f"PostgreSQL not available: {srv}")
    from pg import create_database, drop_database

    name = create_database(srv)
    try:
        target = Register(srv.url(name))
        restored = target("restore", dump)
        assert restored.exit_code == 0, restored.output
        assert "4 个事件，链完整" in restored.output
        assert target("check-log").exit_code == 0
        for hid in ("YH-2026-0001", "YH-2026-0002"):
            assert json.loads(target("show", hid, "--format", "json").output) == json.loads(source("show", hid, "--format", "json").output)
        again = tmp_path / "again.jsonl"
        target("export", "-o", again)
        assert again.read_text(encoding="utf-8") == dump.read_text(encoding="utf-8")  # and back: the same bytes
        assert target("restore", dump).exit_code == 2  # not into a register that holds hazards
    finally:
        drop_database(srv, name)


def test_restore_refuses_an_edited_export(db_url, example, tmp_path):
    source = Register(f"sqlite:///{tmp_path / 'source.db'}")
    source("import", example)
    dump = tmp_path / "register.jsonl"
    source("export", "-o", dump)
    dump.write_text(dump.read_text(encoding="utf-8").replace("未见2026年第三季度", "已见2026年第三季度"), encoding="utf-8")
    target = Register(db_url)
    result = target("restore", dump)
    assert result.exit_code == 8, result.output
    assert "未通过校验" in result.output
    assert target("list").output.startswith("0 条隐患")  # nothing half-loaded


def test_restore_names_the_bad_line(db_url, tmp_path):
    dump = tmp_path / "bad.jsonl"
    dump.write_text(
        '{"format": "checklist-register", "revision": "r0001", "events": 0, "head": "' + "0" * 64 + '"}\n{not json\n', encoding="utf-8"
    )
    result = Register(db_url)("restore", dump)
    assert result.exit_code == 2 and f"{dump}:2:2: 不是 JSON" in result.output


def test_quarterly_and_yearly_statistics(reg, imported):
    reg("rectify", "YH-2026-0002", "--measure", "已补开")
    reg("verify", "YH-2026-0002", "--pass", "--by", "李四")
    stats = json.loads(reg("stats", "--quarter", "2026Q4", "--today", "2026-12-01", "--format", "json").output)
    assert stats["period"] == "2026年第四季度" and stats["report_by"] == "2027-01-15"
    assert stats["total"] == {
        "name": "合计",
        "inspections": 1,
        "found": 2,
        "found_general": 1,
        "found_major": 1,
        "rectified": 1,
        "rectified_major": 0,
        "revoked": 0,
        "open": 1,
        "overdue": 1,  # the 重大 one, due 2026-11-27
        "rectification_rate": 0.5,
        "major_rectification_rate": 0.0,
    }
    assert [u["name"] for u in stats["units"]] == ["科技处(公共服务处)"]
    year = json.loads(reg("stats", "--year", "2026", "--today", "2026-11-26", "--format", "json").output)
    assert year["report_by"] == "2027-01-31" and year["total"]["overdue"] == 0
    empty = json.loads(reg("stats", "--quarter", "2026Q3", "--format", "json", "--today", "2026-12-01").output)
    assert empty["total"]["found"] == 0 and empty["total"]["rectification_rate"] is None
    text = reg("stats", "--quarter", "2026Q4", "--today", "2026-12-01").output
    assert "2026年第四季度隐患排查治理统计" in text and "50.0%" in text
    assert reg("stats", "--quarter", "2026-4").exit_code == 2
