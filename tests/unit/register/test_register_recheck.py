"""Re-inspection closes the loop: `audit new --recheck` writes an audit of exactly the open
hazards' checks; importing its answers moves them (符合 → 已销号, 不符合 → 复查不通过)."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner
from register_helpers import add_plan

from checklist.cli import cli


def audit_new(*args):
    return CliRunner(env={"CHECKLIST_DB": None}).invoke(cli, ["audit", "new", *map(str, args)], catch_exceptions=False)


def answer(path, answers: dict) -> None:
    """Fill in a re-check audit as an inspector would (result, note, finding per hazard)."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for c in data["checks"]:
        c.update(answers[c["recheck_of"]])
    head = "\n".join(line for line in text.splitlines() if line.startswith("# yaml-language-server"))
    path.write_text(head + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_recheck_round(reg, db_url, example, tmp_path):
    audit = example
    add_plan(audit)
    reg("import", audit)
    reg("rectify", "YH-2026-0002", "--measure", "已补开分析会")
    out = tmp_path / "recheck.yaml"
    made = audit_new("--recheck", "--unit", "科技处", "--db", db_url, "--inspector", "王检查", "--date", "2026-12-10", "-o", out)
    assert made.exit_code == 0, made.output
    assert "再抽查 科技处(公共服务处) 的 2 条未销号隐患：YH-2026-0001, YH-2026-0002" in made.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [(c["id"], c["recheck_of"], c["result"]) for c in data["checks"]] == [
        ("A21-2-a", "YH-2026-0001", "unchecked"),
        ("A26-a", "YH-2026-0002", "unchecked"),
    ]
    assert data["selection"] == {"unit": "tech"} and data["target"] == {"name": "科技处(公共服务处)"}
    answer(
        out,
        {
            "YH-2026-0002": {"result": "pass", "note": "会议纪要和台账齐全"},
            "YH-2026-0001": {
                "result": "fail",
                "note": "井盖仍未补装",
                "finding": {"hazard": "重大事故隐患", "measure": "三日内补装井盖", "owner": "科技处 王五", "due": "2026-12-15"},
            },
        },
    )
    imported = reg("import", out)
    assert imported.exit_code == 0, imported.output
    assert "再抽查 2 条" in imported.output and "新增隐患 0 条" in imported.output
    closed = json.loads(reg("show", "YH-2026-0002", "--format", "json").output)
    assert closed["status"] == "已销号" and closed["reviewer"] == "王检查" and closed["reviewed_on"] == "2026-12-10"
    assert closed["history"][-1]["action"] == "recheck-pass"
    back = json.loads(reg("show", "YH-2026-0001", "--format", "json").output)
    assert back["status"] == "整改中" and back["due"] == "2026-12-15" and back["review_opinion"] == "井盖仍未补装"
    again = reg("import", out)
    assert again.exit_code == 0 and "1 份检查记录此前已导入" in again.output
    opinion = reg("opinion", "--audit", out, "-o", tmp_path / "op.html", "--format", "html", "--draft")
    assert opinion.exit_code == 0
    page = (tmp_path / "op.html").read_text(encoding="utf-8")
    assert "YH-2026-0001" in page and "YH-2026-0002" in page and "不通过，继续整改" in page and "通过，予以销号" in page


def test_recheck_by_hazard_and_refusals(reg, db_url, imported, tmp_path):
    out = tmp_path / "one.yaml"
    made = audit_new("--recheck", "--hazard", "YH-2026-0002", "--db", db_url, "--inspector", "王检查", "--date", "2026-12-10", "-o", out)
    assert made.exit_code == 0 and "YH-2026-0002" in made.output and "YH-2026-0001" not in made.output
    reg("revoke", "YH-2026-0002", "--reason", "不属于隐患", "--approver", "局领导")
    refused = audit_new("--recheck", "--hazard", "YH-2026-0002", "--db", db_url, "--inspector", "王", "-o", tmp_path / "x.yaml")
    assert refused.exit_code == 2 and "只有未销号的隐患才能再抽查；已关闭：YH-2026-0002 (已撤销)" in refused.output
    neither = audit_new("--recheck", "--db", db_url, "--inspector", "王", "-o", tmp_path / "y.yaml")
    assert neither.exit_code == 2 and "--unit NAME 或 --hazard" in neither.output
    nocat = audit_new("--unit", "科技处", "--inspector", "王", "--target", "x", "-o", tmp_path / "z.yaml")
    assert nocat.exit_code == 2 and "需要 --catalog ID" in nocat.output
    # importing the re-check of a hazard revoked since: refused and reported, nothing else changes
    answer(out, {"YH-2026-0002": {"result": "pass"}})
    late = reg("import", out)
    assert late.exit_code == 5 and "YH-2026-0002 当前为已撤销：不允许再抽查符合 (recheck-pass)；允许的操作：无：已关闭" in late.output


def test_units_with_open_hazards_are_a_population_to_sample(reg, imported, tmp_path, run):
    population = tmp_path / "units.csv"
    made = reg("units", "--today", "2026-12-01", "-o", population)
    assert made.exit_code == 0 and "1 个单位有未销号隐患" in made.output
    lines = population.read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["单位,未销号,重大,逾期,最早整改期限,有重大隐患", "科技处(公共服务处),2,1,1,2026-11-27,是"]
    plan = tmp_path / "plan.csv"
    sampled = run("sample", population, "--rate", "100%", "--stratify-by", "有重大隐患", "--seed", "7", "-o", plan)
    assert sampled.exit_code == 0, sampled.output
    assert "科技处(公共服务处)" in plan.read_text(encoding="utf-8-sig")
