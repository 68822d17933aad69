"""An audit's identity is the id written in it at `audit new`, not where its file lies: a moved or
renamed audit is the same audit, a new audit written over an old file is another one, and the
register keys findings by (audit id, check id). Audits made before ids are known by their content
(or, if imported before, by the path they were imported from)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import sqlalchemy as sa
import yaml
from audit_helpers import example_audit
from click.testing import CliRunner
from paths import ROOT
from register_helpers import Register, add_plan

from checklist.cli import cli

LEGACY = ROOT / "tests" / "unit" / "register" / "data" / "legacy-r0003.jsonl"


def audit_new(*args):
    return CliRunner(env={"CHECKLIST_DB": None}).invoke(cli, ["audit", "new", *map(str, args)], catch_exceptions=False)


def test_audit_new_writes_a_stable_id(tmp_path, run):
    out = tmp_path / "a.yaml"
    made = audit_new(
        "--catalog", "bj-rtv-3g3b", "--unit", "科技处", "--target", "科技处", "--inspector", "张三", "--date", "2026-11-20", "-o", out
    )
    assert made.exit_code == 0, made.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", data["id"])
    assert run("validate", out).exit_code == 0
    again = tmp_path / "b.yaml"
    audit_new(
        "--catalog", "bj-rtv-3g3b", "--unit", "科技处", "--target", "科技处", "--inspector", "张三", "--date", "2026-11-20", "-o", again
    )
    assert yaml.safe_load(again.read_text(encoding="utf-8"))["id"] != data["id"]  # every audit its own


def test_the_schema_refuses_an_id_that_is_not_one(tmp_path, run):
    audit = example_audit(tmp_path)
    audit.write_text(re.sub(r"(?m)^id: .*$", "id: 'two words'", audit.read_text(encoding="utf-8")), encoding="utf-8")
    result = run("validate", audit)
    assert result.exit_code == 1 and f"{audit}:" in result.output and "id" in result.output


def test_a_moved_and_renamed_audit_is_the_same_audit(db_url, tmp_path):
    reg = Register(db_url)
    audit = example_audit(tmp_path)
    assert "新增隐患 2 条" in reg("import", audit).output
    moved = tmp_path / "archive" / "科技处-第四季度.yaml"
    moved.parent.mkdir()
    shutil.move(audit, moved)
    shutil.copytree(tmp_path / "evidence", moved.parent / "evidence")
    again = reg("import", moved)
    assert again.exit_code == 0, again.output
    assert "新增隐患 0 条" in again.output and "1 份检查记录此前已导入" in again.output
    # answered further where it now lies: the same hazards are amended
    add_plan(moved)
    amended = reg("import", moved)
    assert "新增隐患 0 条，更新 1 条" in amended.output
    shown = json.loads(reg("show", "YH-2026-0001", "--format", "json").output)
    assert shown["audit_path"] == moved.resolve().as_posix() and shown["plan_goal"]
    assert reg("notice", moved, "-o", tmp_path / "notices", "--format", "html", "--draft").exit_code == 0
    assert reg("notice", shown["audit_id"], "-o", tmp_path / "by-id", "--format", "html", "--draft").exit_code == 0  # or by its id
    assert reg("check-log").exit_code == 0


def test_the_risk_version_of_the_example_is_the_same_audit(db_url, tmp_path):
    """tech-2026q4-risk.yaml is tech-2026q4.yaml with the manhole's risk point written in: importing
    both registers the manhole once, with its risk point."""
    reg = Register(db_url)
    reg("import", example_audit(tmp_path))
    risk = tmp_path / "tech-2026q4-risk.yaml"
    shutil.copyfile(ROOT / "examples" / "tech-2026q4-risk.yaml", risk)
    second = reg("import", risk)
    assert second.exit_code == 0, second.output
    assert "新增隐患 0 条，更新 1 条，未变 1 条" in second.output
    listed = json.loads(reg("list", "--format", "json", "--today", "2026-11-20").output)
    assert [(h["id"], h["risk_point"]) for h in listed["hazards"]] == [("YH-2026-0001", "ZH-01"), ("YH-2026-0002", None)]


def test_a_new_audit_written_over_an_old_file_is_another_audit(db_url, tmp_path):
    reg = Register(db_url)
    audit = example_audit(tmp_path)
    reg("import", audit)
    text = audit.read_text(encoding="utf-8")
    for old, new in (("2026-11-20", "2027-02-20"), ("2026-11-27", "2027-02-27"), ("2026-12-15", "2027-03-15")):
        text = text.replace(old, new)
    audit.write_text(re.sub(r"(?m)^id: .*$", "id: 2027q1-tech", text), encoding="utf-8")
    next_quarter = reg("import", audit)
    assert next_quarter.exit_code == 0, next_quarter.output
    assert "新增隐患 2 条" in next_quarter.output and "YH-2027-0001, YH-2027-0002" in next_quarter.output
    assert reg("check-log").exit_code == 0


def test_an_audit_without_an_id_is_known_by_its_content(db_url, tmp_path):
    reg = Register(db_url)
    audit = example_audit(tmp_path)
    audit.write_text(re.sub(r"(?m)^id: .*\n", "", audit.read_text(encoding="utf-8")), encoding="utf-8")
    first = reg("import", audit)
    assert first.exit_code == 0 and "新增隐患 2 条" in first.output
    assert "没有编号" in first.output and "按其内容识别为 c-" in first.output
    moved = tmp_path / "elsewhere" / "renamed.yaml"
    moved.parent.mkdir()
    shutil.copytree(tmp_path / "evidence", moved.parent / "evidence")
    shutil.move(audit, moved)
    add_plan(moved)  # answered further: its content as made (catalog, target, date, inspectors, checks) is the same
    again = reg("import", moved)
    assert "新增隐患 0 条，更新 1 条" in again.output, again.output


def test_a_recheck_audit_names_the_audits_it_rechecks(db_url, tmp_path):
    reg = Register(db_url)
    audit = example_audit(tmp_path)
    reg("import", audit)
    out = tmp_path / "recheck.yaml"
    made = audit_new("--recheck", "--unit", "科技处", "--db", db_url, "--inspector", "王检查", "--date", "2026-12-10", "-o", out)
    assert made.exit_code == 0, made.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    original = yaml.safe_load(audit.read_text(encoding="utf-8"))["id"]
    assert data["rechecks"] == [original] and data["id"] != original


def _legacy_register(url: str, audit_path: str) -> None:
    """A register as checklist left it at schema r0003: its tables made by the migrations up to
    r0003, its rows those of an r0003 export (the hazards' audit path where the test keeps the audit)."""
    from alembic import command

    from checklist.register.db import _alembic_config, make_engine
    from checklist.register.tables import metadata

    engine = make_engine(url)
    with engine.connect() as conn, conn.begin():
        command.upgrade(_alembic_config(conn), "r0003")
    lines = [json.loads(line) for line in LEGACY.read_text(encoding="utf-8").splitlines()]
    header = lines[0]
    legacy = sa.MetaData()
    legacy.reflect(engine)
    with engine.begin() as conn:
        for item in lines[1:]:
            table = legacy.tables[item["table"]]
            row = dict(item["row"])
            if item["table"] == "hazard":
                row["audit_path"] = audit_path
            if item["table"] == "audit_import":
                row["path"] = audit_path
            for name, column in table.c.items():
                if isinstance(column.type, sa.Date) and row.get(name):
                    import datetime as dt

                    row[name] = dt.date.fromisoformat(row[name])
            conn.execute(table.insert().values(**row))
        conn.execute(sa.text("UPDATE chain_head SET seq = :s, hash = :h"), {"s": header["events"], "h": header["head"]})
    assert metadata  # the current tables are not used: the database is as r0003 made it


def legacy_audit(tmp_path):
    """The example audit as it was when the legacy register imported it (the catalog has changed
    since, so the file is kept here as it was): no id, with its plan."""
    audit = example_audit(tmp_path)
    shutil.copyfile(Path(__file__).parent / "data" / "tech-2026q4-r0003.yaml", audit)
    audit.write_text(re.sub(r"(?m)^id: .*\n", "", audit.read_text(encoding="utf-8")), encoding="utf-8")
    add_plan(audit, basis=False)
    return audit


def test_a_register_made_before_ids_is_upgraded_and_keeps_its_audits(db_url, tmp_path):
    audit = legacy_audit(tmp_path)
    _legacy_register(db_url, audit.resolve().as_posix())
    reg = Register(db_url)
    assert reg("list").exit_code == 7  # at r0003: needs an upgrade
    upgraded = reg("upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert "已从 r0003 升级" in upgraded.output and "2 条隐患按当时状态存证" in upgraded.output
    checked = reg("check-log")
    assert checked.exit_code == 0 and "9 个事件" in checked.output, checked.output
    again = reg("import", audit)  # the same file where it was: known by its path, as before
    assert again.exit_code == 0 and "1 份检查记录此前已导入" in again.output, again.output
    assert reg("extend", "YH-2026-0001", "--due", "2026-12-30", "--reason", "井盖未到货", "--by", "局领导").exit_code == 0
    assert reg("check-log").exit_code == 0
    with reg.engine().begin() as conn:  # a change behind the log, after the upgrade, is caught
        conn.execute(sa.text("UPDATE hazard SET owner = '无人' WHERE id = 'YH-2026-0002'"))
    assert reg("check-log").exit_code == 8


def test_an_upgrade_refuses_a_register_whose_log_is_broken(db_url, tmp_path):
    audit = legacy_audit(tmp_path)
    _legacy_register(db_url, audit.resolve().as_posix())
    from checklist.register.db import make_engine

    with make_engine(db_url).begin() as conn:
        conn.execute(sa.text("UPDATE hazard SET status = '已销号' WHERE id = 'YH-2026-0001'"))
    reg = Register(db_url)
    refused = reg("upgrade")
    assert refused.exit_code == 8, refused.output
    assert "YH-2026-0001" in refused.output and "未作任何改动" in refused.output
    assert reg("list").exit_code == 7  # still at r0003


def test_the_importer_and_the_migration_give_old_imports_the_same_id():
    import importlib

    migration = importlib.import_module("checklist.register.migrations.versions.r0004_audit_id")
    from checklist.register.importer import legacy_id

    for path in ("/srv/audits/tech-2026q4.yaml", "/tmp/科技处 第四季度.yaml"):
        assert legacy_id(path) == migration.legacy_id(path) and legacy_id(path).startswith("path-")


def test_a_register_downgraded_and_upgraded_again_keeps_its_audit_ids(db_url, tmp_path):
    from alembic import command

    from checklist.register.db import _alembic_config, make_engine

    reg = Register(db_url)
    audit = example_audit(tmp_path)
    assert reg("import", audit).exit_code == 0
    with make_engine(db_url).connect() as conn:
        if db_url.startswith("sqlite"):
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        with conn.begin():
            command.downgrade(_alembic_config(conn), "r0003")
    upgraded = reg("upgrade")
    assert upgraded.exit_code == 0 and "已从 r0003 升级" in upgraded.output, upgraded.output
    assert reg("check-log").exit_code == 0  # the ids the events recorded, not ids by path
    assert "1 份检查记录此前已导入" in reg("import", audit).output
