"""Risks meet hazards (issue 12, part 4): a finding names its risk point, the register keeps it,
lists hazards with their risk level, and puts a 重大风险 point with open hazards first for the
unit's 主要负责人. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import sqlalchemy as sa
from audit_helpers import example_audit
from paths import ROOT
from register_helpers import Register

POINTS = ROOT / "examples" / "risk" / "transmitting-station.yaml"
TODAY = "2026-11-20"


def name_points(audit: Path, first: str | None, second: str | None) -> Path:
    """The example audit's two findings (重大 due 2026-11-27, 一般 due 2026-12-15) naming these risk points."""
    text = audit.read_text(encoding="utf-8")
    for owner, point in (("      owner: 科技处 王五\n", first), ("      owner: 科技处 赵六\n", second)):
        assert owner in text
        if point:
            text = text.replace(owner, owner + f"      risk_point: {point}\n", 1)
    audit.write_text(text, encoding="utf-8")
    return audit


def second_audit(folder: Path, first: str | None, second: str | None) -> Path:
    """Another audit (its own id, so other hazards) with the same two findings."""
    other = folder / "again" / "tech-2026q4.yaml"
    other.parent.mkdir()
    shutil.copytree(folder / "evidence", other.parent / "evidence")
    text = example_audit(folder).read_text(encoding="utf-8")
    other.write_text(re.sub(r"(?m)^id: .*$", "id: another-audit-of-tech", text), encoding="utf-8")
    return name_points(other, first, second)


def test_import_keeps_the_risk_point_and_a_changed_one_is_logged(reg, example):
    audit = name_points(example, "ZH-01", None)
    assert reg("import", audit).exit_code == 0
    first = json.loads(reg("show", "YH-2026-0001", "--format", "json").output)
    second = json.loads(reg("show", "YH-2026-0002", "--format", "json").output)
    assert first["risk_point"] == "ZH-01" and second["risk_point"] is None
    # the audit now names another point: the hazard (still 待整改) is amended, and the log says what changed
    audit.write_text(audit.read_text(encoding="utf-8").replace("risk_point: ZH-01", "risk_point: TK-01"), encoding="utf-8")
    again = reg("import", audit)
    assert again.exit_code == 0 and "更新 1 条" in again.output, again.output
    shown = json.loads(reg("show", "YH-2026-0001", "--format", "json").output)
    assert shown["risk_point"] == "TK-01" and shown["version"] == 2
    amend = shown["history"][-1]
    assert amend["action"] == "amend" and "risk_point" in amend["note"]
    assert reg("check-log").exit_code == 0


def test_list_shows_risk_levels_and_orders_by_them(reg, example):
    # the 重大 finding (due first) names a 低风险 point, the 一般 one (due later) a 重大风险 point
    assert reg("import", name_points(example, "FS-02", "ZH-01")).exit_code == 0
    plain = json.loads(reg("list", "--format", "json", "--today", TODAY).output)["hazards"]
    assert [h["id"] for h in plain] == ["YH-2026-0001", "YH-2026-0002"] and "risk" not in plain[0]
    listed = reg("list", "--risk-points", POINTS, "--today", TODAY)
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()[1:]
    assert lines[0].startswith("YH-2026-0001") and lines[0].endswith("风险等级 FS-02 低风险")
    assert lines[1].startswith("YH-2026-0002") and lines[1].endswith("风险等级 ZH-01 重大风险")
    ranked = reg("list", "--risk-points", POINTS, "--by-risk", "--today", TODAY, "--format", "csv")
    rows = list(csv.reader(io.StringIO(ranked.stdout)))
    assert rows[0][-1] == "风险等级"
    assert [(r[0], r[-1]) for r in rows[1:]] == [("YH-2026-0002", "ZH-01 重大风险"), ("YH-2026-0001", "FS-02 低风险")]
    refused = reg("list", "--by-risk")
    assert refused.exit_code == 2 and "--by-risk 需要 --risk-points" in refused.output


def test_an_unknown_risk_point_is_reported_not_dropped(reg, example):
    assert reg("import", name_points(example, "XX-99", None)).exit_code == 0
    listed = reg("list", "--risk-points", POINTS, "--by-risk", "--today", TODAY, "--format", "json")
    assert listed.exit_code == 0
    assert f"以下风险点不在 {POINTS} 中：XX-99" in listed.stderr
    hazards = json.loads(listed.stdout)["hazards"]
    # both hazards still listed; the unknown point after every known level, like one with no point
    assert [(h["id"], h["risk"]) for h in hazards] == [("YH-2026-0001", "XX-99 (不在风险点清单)"), ("YH-2026-0002", "")]
    shown = reg("attention", "--risk-points", POINTS, "--today", TODAY)
    assert shown.exit_code == 0 and "XX-99" in shown.stderr and "0 个风险点有未销号隐患" in shown.stdout


def test_attention_puts_a_major_point_with_open_hazards_first(reg, example, tmp_path):
    assert reg("import", name_points(example, "FS-02", "ZH-01")).exit_code == 0
    assert reg("import", second_audit(tmp_path, "FS-02", None)).exit_code == 0
    result = reg("attention", "--risk-points", POINTS, "--today", "2026-12-01", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # ZH-01 (重大, one open hazard) before FS-02 (低, two); the other 28 points, 重大 ones too, have none and are left out
    assert [(p["point"], p["level_name"], p["open"]) for p in data["points"]] == [("ZH-01", "重大风险", 1), ("FS-02", "低风险", 2)]
    assert [(h["id"], h["due"]) for h in data["points"][0]["hazards"]] == [("YH-2026-0002", "2026-12-15")]
    fs02 = data["points"][1]["hazards"]
    assert [(h["id"], h["due"]) for h in fs02] == [("YH-2026-0001", "2026-11-27"), ("YH-2026-0003", "2026-11-27")]
    assert fs02[0]["overdue_days"] == 2  # 11-30 and 12-01 are working days after the due date
    text = reg("attention", "--risk-points", POINTS, "--today", "2026-12-01").stdout
    assert (
        text.splitlines()[1].startswith("ZH-01  重大风险 (红)")
        and "YH-2026-0001  待整改  重大事故隐患  整改期限 2026-11-27  逾期2个工作日" in text
    )
    # a unit's 主要负责人 sees that unit's points only
    unit = json.loads(reg("attention", "--risk-points", POINTS, "--unit", "发射部", "--format", "json").stdout)
    assert [p["point"] for p in unit["points"]] == ["FS-02"]
    # a hazard no longer open leaves its point's list
    revoked = reg("revoke", "YH-2026-0002", "--reason", "不是隐患", "--approver", "李四", "--date", "2026-11-21")
    assert revoked.exit_code == 0, revoked.output
    after = json.loads(reg("attention", "--risk-points", POINTS, "--format", "json").stdout)
    assert [p["point"] for p in after["points"]] == ["FS-02"]


def test_a_bad_risk_point_file_is_refused_with_its_place(reg, tmp_path):
    bad = tmp_path / "points.yaml"
    bad.write_text("points: 3\n", encoding="utf-8")
    result = reg("attention", "--risk-points", bad)
    assert result.exit_code == 1 and str(bad) in result.output


def test_r0003_upgrades_an_r0002_register(db_url):
    from alembic import command

    from checklist.register.db import _alembic_config, head_revision, make_engine

    engine = make_engine(db_url if db_url.startswith("sqlite") else db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn, conn.begin():
        command.upgrade(_alembic_config(conn), "r0002")
    with engine.connect() as conn:
        assert "risk_point" not in {c["name"] for c in sa.inspect(conn).get_columns("hazard")}
    refused = Register(db_url)("list")
    assert refused.exit_code == 7 and "结构版本为 r0002" in refused.output
    result = Register(db_url)("upgrade")
    assert result.exit_code == 0 and f"已从 r0002 升级到结构版本 {head_revision()}" in result.output
    with engine.connect() as conn:
        column = {c["name"]: c for c in sa.inspect(conn).get_columns("hazard")}["risk_point"]
        assert column["nullable"]


def test_the_dashboard_counts_open_hazards_by_risk_level(reg, example, tmp_path):
    assert reg("import", name_points(example, "ZH-01", "XX-99")).exit_code == 0
    assert reg("import", second_audit(tmp_path, "FS-02", None)).exit_code == 0
    plain = tmp_path / "plain.html"
    assert reg("dashboard", "--today", "2026-12-01", "-o", plain).exit_code == 0
    assert "按风险等级" not in plain.read_text(encoding="utf-8")
    html = tmp_path / "d.html"
    result = reg("dashboard", "--risk-points", POINTS, "--today", "2026-12-01", "-o", html)
    assert result.exit_code == 0 and "XX-99" in result.stderr
    page = " ".join(html.read_text(encoding="utf-8").split())
    assert "未销号隐患（按风险等级）" in page
    assert '<td class="level" style="background: #E60012; color: #FFFFFF">重大风险（红）</td><td>1</td>' in page
    assert "较大风险（橙）</td><td>0</td>" in page and "低风险（蓝）</td><td>1</td>" in page
    assert "<td>未关联风险点</td><td>1</td>" in page and "<td>风险点不在清单</td><td>1</td>" in page
