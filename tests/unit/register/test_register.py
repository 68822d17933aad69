"""The hazard register on SQLite and PostgreSQL: migrations, import, the lifecycle through the
CLI, the log chain, and the cheap-command rule."""

from __future__ import annotations

import json

import sqlalchemy as sa
from register_helpers import Register, add_plan

from checklist.i18n import gettext


def test_migrations_from_an_empty_database(reg):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from checklist.register.db import head_revision
    from checklist.register.tables import metadata

    result = reg("upgrade")
    assert result.exit_code == 0, result.output
    assert f"已从 （空） 升级到结构版本 {head_revision()}" in result.output
    engine = reg.engine()
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []  # the migrations build exactly tables.py
    assert "已是结构版本" in reg("upgrade").output


def test_the_revision_list_matches_the_migrations():
    """db.REVISIONS (read without importing Alembic) is Alembic's own list, oldest first."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from checklist.register.db import MIGRATIONS, REVISIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    walked = [s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()]
    assert tuple(reversed(walked)) == REVISIONS


def test_a_newer_schema_is_refused(reg):
    engine = reg.engine()
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'r9999'"))
    result = reg("list")
    assert result.exit_code == 7
    assert "的结构版本为 r9999，比本程序所知的更新" in result.output


def test_import_is_idempotent(reg, example, tmp_path):
    audit = example
    first = reg("import", audit)
    assert first.exit_code == 0, first.output
    assert "新增隐患 2 条" in first.output and "YH-2026-0001, YH-2026-0002" in first.output
    again = reg("import", audit, tmp_path)  # the file, and the folder holding it
    assert again.exit_code == 0 and "新增隐患 0 条，更新 0 条" in again.output
    listed = json.loads(reg("list", "--format", "json", "--today", "2026-11-20").output)
    assert [(h["id"], h["level"], h["status"]) for h in listed["hazards"]] == [
        ("YH-2026-0001", "重大事故隐患", "待整改"),
        ("YH-2026-0002", "一般隐患", "待整改"),
    ]
    shown = json.loads(reg("show", "YH-2026-0001", "--format", "json").output)
    assert shown["audit_path"] == audit.resolve().as_posix() and len(shown["audit_sha256"]) == 64
    assert shown["catalog"] == "bj-rtv-3g3b" and shown["ref"] == "第二十一条第2项" and shown["check_id"] == "A21-2-a"
    assert shown["owner"] == "科技处 王五" and shown["due"] == "2026-11-27" and shown["photos"] == "evidence/manhole-cover.jpg"
    (registered,) = shown["history"]
    assert registered["action"] == "register" and registered["evidence"][0]["name"] == "manhole-cover.jpg"


def test_a_changed_audit_updates_open_hazards_and_reports_acted_on_ones(reg, imported):
    audit = imported
    assert reg("rectify", "YH-2026-0002", "--measure", "已补开分析会").exit_code == 0
    text = audit.read_text(encoding="utf-8")
    text = text.replace("立即设置围挡和警示标志；", "立即设置硬质围挡和警示标志；").replace("补开季度安全生产形势分析会", "补开季度分析会")
    audit.write_text(text, encoding="utf-8")
    result = reg("import", audit)
    assert result.exit_code == 6, result.output
    assert "更新 1 条" in result.output
    assert "YH-2026-0002：检查记录中 A26-a 的隐患信息已变更，但该隐患已是待复查" in result.output
    updated = json.loads(reg("show", "YH-2026-0001", "--format", "json").output)
    assert updated["measure"].startswith("立即设置硬质围挡") and updated["version"] == 2
    assert [e["action"] for e in updated["history"]] == ["register", "amend"]
    kept = json.loads(reg("show", "YH-2026-0002", "--format", "json").output)
    assert kept["measure"].startswith("补开季度安全生产形势分析会")  # acted on: not overwritten


def test_a_major_hazard_needs_its_plan_before_leaving_todo(reg, imported):
    refused = reg("start", "YH-2026-0001")
    assert refused.exit_code == 5
    assert "治理方案" in refused.output and "目标和任务" in refused.output
    supervise = (
        "supervise",
        "YH-2026-0001",
        "--supervisor",
        "局办公室(安监办)",
        "--deadline",
        "2026-12-31",
        "--number",
        "京广督〔2026〕1号",
    )
    unfounded = reg(*supervise, "--date", "2026-11-21")
    assert unfounded.exit_code == 5 and "其定级未写明依据" in unfounded.output, unfounded.output  # 第四条
    assert reg("grade", "YH-2026-0001", "--basis", "其他", "--reason", "井盖缺失，随时可能坠落", "--date", "2026-11-21").exit_code == 0
    assert reg(*supervise, "--date", "2026-11-21").exit_code == 0
    # the unit draws up the plan itself (its 主要负责人), on the hazard: no audit to re-import
    parts = ("--goal", "补装井盖，消除坠落隐患", "--method", "督促歌华有线补装井盖", "--funds", "歌华有线维护经费", "--team", "科技处 王五")
    parts += ("--schedule", "11月27日前", "--safety", "围挡和警示标志", "--author", "科技处处长 周八")
    half = reg("plan", "YH-2026-0001", *parts[:-2], "--by", "王五", "--role", "unit", "--date", "2026-11-22")
    assert half.exit_code == 2 and "--author" in half.output
    planned = reg("plan", "YH-2026-0001", *parts, "--by", "王五", "--role", "unit", "--date", "2026-11-22")
    assert planned.exit_code == 0, planned.output
    started = reg("start", "YH-2026-0001", "--by", "王五", "--role", "unit", "--date", "2026-11-23")
    assert started.exit_code == 0, started.output
    shown = json.loads(reg("show", "YH-2026-0001", "--format", "json").output)
    assert shown["plan_goal"] == "补装井盖，消除坠落隐患" and shown["plan_author"] == "科技处处长 周八" and shown["status"] == "整改中"
    assert shown["supervision"]["number"] == "京广督〔2026〕1号" and shown["basis"] == "其他"
    assert reg("check-log").exit_code == 0


def test_supervise_is_for_major_hazards_only(reg, imported):
    result = reg("supervise", "YH-2026-0002", "--supervisor", "局办公室(安监办)", "--deadline", "2026-12-31", "--number", "1")
    assert result.exit_code == 5 and "挂牌督办 (supervise)仅适用于重大事故隐患" in result.output


def test_rectify_verify_close_with_evidence_and_history(reg, imported, tmp_path):
    photo = tmp_path / "evidence" / "manhole-cover.jpg"
    done = reg(
        "rectify",
        "YH-2026-0002",
        "--measure",
        "已补开分析会并建立台账",
        "--evidence",
        photo,
        "--files",
        tmp_path / "kept",
        "--date",
        "2026-12-01",
        env={"CHECKLIST_ROLE": "unit", "CHECKLIST_USER": "赵六"},
    )
    assert done.exit_code == 0, done.output
    assert "待复查（记录版本 2）" in done.output
    import hashlib

    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert sha in done.output
    assert (tmp_path / "kept" / sha[:2] / f"{sha}.jpg").read_bytes() == photo.read_bytes()
    failed = reg("verify", "YH-2026-0002", "--fail", "--by", "李四", "--role", "inspector")
    assert failed.exit_code == 5 and "理由" in failed.output  # 复查不通过 needs a reason
    failing = ("verify", "YH-2026-0002", "--fail", "--opinion", "台账不全", "--by", "李四", "--role", "inspector", "--date", "2026-12-02")
    assert reg(*failing).exit_code == 0
    assert reg("rectify", "YH-2026-0002", "--measure", "台账已补全", "--date", "2026-12-04", env={"CHECKLIST_ROLE": "unit"}).exit_code == 0
    closed = reg("verify", "YH-2026-0002", "--pass", "--by", "李四", "--role", "inspector", "--date", "2026-12-05")
    assert closed.exit_code == 0 and "已销号" in closed.output
    shown = reg("show", "YH-2026-0002")
    assert "已销号" in shown.output and "复查 李四 2026-12-05" in shown.output and "销号日期 2026-12-05" in shown.output
    assert [line.split()[4] for line in shown.output.splitlines() if line.startswith("    #")] == [
        "登记",
        "整改完成",
        "复查不通过",
        "整改完成",
        "复查通过",
    ]
    again = reg("verify", "YH-2026-0002", "--pass", "--by", "李四")
    assert again.exit_code == 5 and "允许的操作：无：已关闭" in again.output


def test_moves_need_an_author(reg, imported):
    result = reg("rectify", "YH-2026-0002", "--measure", "x", env={"CHECKLIST_USER": None})
    assert result.exit_code == 2 and "--by NAME 或设置 CHECKLIST_USER" in result.output


def test_unknown_hazard_is_a_usage_error(reg):
    assert reg("upgrade").exit_code == 0
    result = reg("show", "YH-2026-9999")
    assert result.exit_code == 2 and "隐患台账中没有隐患 YH-2026-9999" in result.output


def test_evidence_must_be_a_regular_file(reg, imported, tmp_path):
    result = reg("rectify", "YH-2026-0002", "--measure", "x", "--evidence", tmp_path)
    assert result.exit_code == 2 and "普通文件" in result.output


def test_check_log_detects_a_changed_event(reg, imported):
    from checklist.register.tables import event

    reg("rectify", "YH-2026-0002", "--measure", "已补开分析会")
    ok = reg("check-log")
    assert ok.exit_code == 0 and "事件日志完整：3 个事件" in ok.output
    engine = reg.engine()
    with engine.begin() as conn:
        conn.execute(sa.update(event).where(event.c.seq == 2).values(note="改过的记录"))
    broken = reg("check-log")
    assert broken.exit_code == 8
    assert "事件 2（YH-2026-0002，register）写入后被改动" in broken.output


def test_check_log_detects_a_removed_last_event(reg, imported):
    from checklist.register.tables import event

    reg("rectify", "YH-2026-0002", "--measure", "已补开分析会")
    with reg.engine().begin() as conn:
        conn.execute(sa.delete(event).where(event.c.seq == 3))
    broken = reg("check-log")
    assert broken.exit_code == 8 and "有事件被删除" in broken.output


def test_list_filters(reg, imported):
    by_unit = reg("list", "--unit", "科技处", "--level", "一般隐患", "--today", "2026-11-20")
    assert by_unit.exit_code == 0 and "YH-2026-0002" in by_unit.output and "YH-2026-0001" not in by_unit.output
    nobody = reg("list", "--unit", "办公室", "--today", "2026-11-20")
    assert nobody.output.startswith("0 条隐患")
    overdue = reg("list", "--overdue", "--today", "2026-12-01")
    assert "YH-2026-0001" in overdue.output and "逾期2个工作日" in overdue.output and "YH-2026-0002" not in overdue.output
    soon = reg("list", "--due-within", "5", "--today", "2026-12-08")
    assert "YH-2026-0002" in soon.output and "YH-2026-0001" not in soon.output


def test_list_csv_and_xlsx(reg, imported, tmp_path):
    csv_out = reg("list", "--format", "csv", "--today", "2026-11-20").output
    assert csv_out.startswith("\ufeff编号,状态,等级") and "YH-2026-0001,待整改,重大事故隐患" in csv_out
    assert reg("list", "--format", "xlsx").exit_code == 2
    target = tmp_path / "list.xlsx"
    assert reg("list", "--format", "xlsx", "-o", target, "--today", "2026-11-20").exit_code == 0
    from openpyxl import load_workbook

    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and rows[1][0] == "YH-2026-0001"


def test_audit_files_keep_the_new_finding_fields_when_saved(example):
    """`audit run` saves the whole file from the model: 部位, 临时措施, 治理方案 and recheck_of survive."""
    from checklist.audits.audit_file import load_audit

    audit = example
    add_plan(audit)
    a, cat, _ = load_audit(audit)
    a.entries[0].recheck_of = "YH-2026-0007"
    a.save(cat)
    again, _, _ = load_audit(audit)
    major = next(e for e in again.entries if e.finding and e.finding.hazard == "重大事故隐患")
    assert major.finding.place == "东城区某路口有线电视窨井" and major.finding.interim_measures.startswith("设置围挡")
    assert major.finding.plan is not None and major.finding.plan["safety"].startswith("围挡")
    assert again.entries[0].recheck_of == "YH-2026-0007"


def test_an_invalid_audit_is_refused_with_its_place_and_nothing_imported(reg, example):
    audit = example
    audit.write_text(audit.read_text(encoding="utf-8").replace("hazard: 一般隐患", "hazard: 严重隐患"), encoding="utf-8")
    result = reg("import", audit)
    assert result.exit_code == 1
    assert f"{audit}:" in result.output and "'严重隐患' 不是以下之一：一般隐患, 重大事故隐患" in result.output
    assert reg("list").output.startswith("0 条隐患")


def test_a_database_url_of_another_kind_is_a_usage_error(tmp_path):
    result = Register("mysql://somewhere/db")("list")
    assert result.exit_code == 2 and "sqlite:///FILE 或 postgresql://" in result.output


def test_the_lifecycle_command_prints_the_table(run):
    from checklist.register.lifecycle import MOVES

    lines = run("register", "lifecycle").output.splitlines()
    assert len(lines) == len(MOVES)
    assert "待复查  复查不通过 (fail)  → 整改中  [admin/inspector]  需要理由  (不得由报告整改完成的人办理)" in lines


def test_every_register_command_lists_the_exit_codes(run):
    from checklist.cli.register import register

    for name in register.commands:
        out = run("register", name, "--help").output
        assert gettext("Exit codes:") in out, name
        # every command but the printed table opens the database; moves can also be refused or lose a race
        assert name == "lifecycle" or "7  隐患台账：无法连接数据库" in out, name
        if name in ("start", "rectify", "verify", "extend", "supervise", "revoke", "import"):
            assert "5  隐患台账：操作被拒绝" in out and "6  隐患台账：他人已先修改该隐患" in out, name


def test_check_log_detects_a_row_changed_behind_the_log(reg, imported):
    from checklist.register.tables import hazard

    reg("rectify", "YH-2026-0002", "--measure", "已补开分析会")
    with reg.engine().begin() as conn:
        conn.execute(sa.update(hazard).where(hazard.c.id == "YH-2026-0002").values(status="已销号"))
    broken = reg("check-log")
    assert broken.exit_code == 8
    assert "YH-2026-0002：status 在隐患台账中为 '已销号'，但按其事件应为 '待复查'" in broken.output


def test_database_urls():
    from checklist.register.db import database_url

    assert database_url("postgresql://u@127.0.0.1:5432/reg") == "postgresql+psycopg://u@127.0.0.1:5432/reg"


def test_the_default_database_is_checklist_db_here(monkeypatch):
    from checklist.register.db import database_url

    monkeypatch.delenv("CHECKLIST_DB", raising=False)
    assert database_url(None) == "sqlite:///checklist.db"
    monkeypatch.setenv("CHECKLIST_DB", "postgres://u@h/db")
    assert database_url(None) == "postgresql+psycopg://u@h/db"
