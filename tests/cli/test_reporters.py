"""--format chooses a reporter from a registry in outputs/: the choices are the registry's keys,
and every reporter gives what its command prints (text for people, JSON for machines, CSV/XLSX
for spreadsheets)."""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
import subprocess
import sys

import click
import pytest
from audit_helpers import example_audit
from click.testing import CliRunner
from openpyxl import load_workbook
from paths import ROOT

from checklist.cli import cli
from checklist.cli.common import Formats

RISK_POINTS = ROOT / "examples" / "risk" / "transmitting-station.yaml"
NOT_YET = {"import", "diff"}  # cli/authoring.py: the importer is being rewritten


def commands(group: click.Group = cli, prefix: str = ""):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def format_options():
    for name, command in commands():
        for param in command.params:
            if isinstance(param, click.Option) and "--format" in param.opts:
                yield name, param


def registry(where: str):
    module, name = where.split(":")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize(("name", "option"), list(format_options()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_format_is_a_key_of_a_registry_in_outputs(name, option):
    if name in NOT_YET:
        return
    assert isinstance(option.type, Formats), f"{name}: --format should read its choices from a registry (common.format_option)"
    keys = [k for where in option.type.registries for k in registry(where)]
    assert list(option.type.choices) == keys and len(set(keys)) == len(keys)
    assert option.default in keys
    for where in option.type.registries:
        assert where.startswith("checklist.outputs."), where
        found = registry(where)
        if isinstance(found, dict):  # reporters and writers; a tuple names the formats a writer takes
            assert all(callable(f) for f in found.values()), where


def test_a_new_reporter_shows_in_help_by_itself(monkeypatch, run):
    from checklist.outputs import catalog_views

    monkeypatch.setitem(catalog_views.REPORTERS, "names", lambda rows: "".join(r["id"] + "\n" for r in rows))
    assert "[text|json|names]" in run("catalogs", "--help").output
    listed = run("catalogs", "--format", "names")
    assert listed.exit_code == 0 and "bj-rtv-3g3b\n" in listed.output


def test_the_registries_are_read_only_when_a_command_needs_them():
    code = (
        "import sys\n"
        "from checklist.cli import cli\n"
        "try:\n"
        "    cli(['--help'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in sys.modules if m.startswith('checklist.outputs')]\n"
        "assert not loaded, loaded\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_an_unknown_format_names_the_choices(run):
    wrong = run("risk", "assess", RISK_POINTS, "--format", "yaml")
    assert wrong.exit_code == 2 and "'yaml' 不是 'text', 'json' 之一" in wrong.output


# --- each reporter, through its command --------------------------------------------------------


def both(run, *args, code: int = 0):
    """The command's text and its JSON (parsed)."""
    text, data = run(*args, "--format", "text"), run(*args, "--format", "json")
    assert text.exit_code == code and data.exit_code == code, text.output + data.output
    return text.stdout, json.loads(data.stdout)


def test_validate(run):
    text, data = both(run, "validate", ROOT / "examples" / "catalogs", ROOT / "catalogs" / "bj-rtv-3g3b.yaml")
    assert text.endswith("检查了 3 个文件：有效 3 个，无效 0 个，无法读取 0 个，错误 0 个\n")
    assert data["summary"] == {"files": 3, "valid": 3, "invalid": 0, "unreadable": 0, "errors": 0}
    assert all(f["valid"] for f in data["files"])


def test_validate_reports_each_problem(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1\n", encoding="utf-8")
    text, data = both(run, "validate", bad, code=1)
    assert text.startswith(f"{bad}:2:1: YAML 语法错误") and text.endswith("有效 0 个，无效 1 个，无法读取 0 个，错误 1 个\n")
    (problem,) = data["files"][0]["problems"]
    assert problem["path"] == str(bad) and problem["line"] == 2 and data["summary"]["invalid"] == 1


def test_catalogs(run):
    text, data = both(run, "catalogs")
    rtv = next(line for line in text.splitlines() if line.startswith("bj-rtv-3g3b "))
    assert "京广发〔2026〕11号" in rtv and " 条款 " in rtv and " 检查项 " in rtv and rtv.endswith("实施细则(试行)")
    assert len(text.splitlines()) == len(data) and "bj-rtv-3g3b" in [c["id"] for c in data]


def test_audit_status(run):
    text, data = both(run, "audit", "status", ROOT / "examples" / "tech-2026q4.yaml")
    assert "符合率 95.7%" in text and "未整改隐患 2 (重大事故隐患 1)" in text
    (one,) = data
    assert one["file"] == str(ROOT / "examples" / "tech-2026q4.yaml") and round(one["score"], 3) == 0.957
    assert one["open_findings"] == 2 and "award" not in one


def test_audit_status_with_amounts(run, tmp_path):
    made = run(
        "audit", "batch", "--catalog", "bj-skills-subsidy", "--kind", "person",
        "--facts", ROOT / "examples" / "applicants" / "skills.csv", "--date", "2026-11-20", "-o", tmp_path,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    audit = next(tmp_path.glob("001-*.yaml"))
    text, data = both(run, "audit", "status", audit)
    assert "补助金额 1,800元" in text and "合计 1,800元" in text
    assert data[0]["award"]["eligibility"] == "符合" and data[0]["award"]["total"] == {"value": "1800", "unit": "元"}


def test_deadline_counted(run):
    text, data = both(run, "deadline", "--before", "2026-10-08", "--working-days", "10")
    assert text.splitlines()[:2] == [
        "2026-09-17 周四",
        "提前10个工作日: 2026-10-08 周四 之前的第10个工作日（2026-10-08 当日不计，截止日计入）",
    ]
    assert "跳过的非工作日" in text and text.splitlines()[-1].startswith("日历 2026: ")
    assert {k: data[k] for k in ("direction", "working_days", "from")} == {"direction": "before", "working_days": 10, "from": "2026-10-08"}
    assert data["steps"][0]["due"]["date"] == "2026-09-17" and data["assumed_weekends"] is False


def test_deadline_by_rule(run):
    text, data = both(run, "deadline", "--rule", "bj-rtv-3g3b:A49", "--from", "2026-10-08")
    assert "截止: 2026-09-17 周四（当日或之前）" in text and text.splitlines()[0].endswith("第四十九条")
    assert data["catalog"] == "bj-rtv-3g3b" and data["clause"] == "A49" and data["from"] == "2026-10-08"
    assert data["steps"][0]["due"]["date"] == "2026-09-17"


def test_events_check(run):
    text, data = both(run, "events", "check", ROOT / "examples" / "events" / "2026.yaml", "--today", "2026-11-23", code=4)
    assert "3 项有问题" in text and "日历 2026:" in text
    assert data["exit_code"] == 4 and data["today"] == "2026-11-23" and data["calendar"][0].startswith("日历 2026:")
    assert data["file"] == str(ROOT / "examples" / "events" / "2026.yaml") and len(data["events"]) == 4


def test_risk_assess_and_list(run):
    text, data = both(run, "risk", "assess", RISK_POINTS)
    assert text.splitlines()[-1].startswith("30 个风险点") and len(data["points"]) == 30
    text, data = both(run, "risk", "list", RISK_POINTS, "--level", "重大")
    lines = text.splitlines()
    assert all(line.startswith("重大风险（红）\t") for line in lines[:-1]) and len(lines) - 1 == len(data["points"])
    assert {p["level"] for p in data["points"]} == {"重大"} and data["totals"]["重大"] == len(data["points"])


def test_report_json_and_csv(run, tmp_path):
    audit = ROOT / "examples" / "tech-2026q4.yaml"
    for fmt in ("json", "csv"):
        done = run("report", audit, "--format", fmt, "-o", tmp_path / f"r.{fmt}")
        assert done.exit_code == 0 and done.stdout == f"{tmp_path / f'r.{fmt}'}\n"
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == len(data["checks"]) and rows[0][:2] == ["序号", "条款"]


# --- the register's reporters ---------------------------------------------------------------


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    """A register holding the example audit's two hazards (one rectified) and the risk example's."""
    folder = tmp_path_factory.mktemp("register")
    audit = example_audit(folder)
    risky = folder / "tech-2026q4-risk.yaml"  # as another inspection (an id of its own), so its findings are hazards of their own
    text = (ROOT / "examples" / "tech-2026q4-risk.yaml").read_text(encoding="utf-8")
    risky.write_text(re.sub(r"(?m)^id: .*$", "id: 2f1d8f0e-6a3b-4d1c-9c55-0b7e2a1f9e01", text, count=1), encoding="utf-8")
    url = f"sqlite:///{folder / 'register.db'}"

    def reg(*args):
        env = {"CHECKLIST_USER": "张三", "CHECKLIST_ROLE": "admin", "CHECKLIST_DB": None}
        return CliRunner(env=env).invoke(cli, ["register", *map(str, args), "--db", url], catch_exceptions=False)

    first, again = reg("import", audit), reg("import", audit, risky, "--format", "json")
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    reg.imported = (first.stdout, json.loads(again.stdout))
    assert reg("rectify", "YH-2026-0002", "--measure", "已补开", "--date", "2026-12-02").exit_code == 0
    return reg


def test_register_import(register):
    text, data = register.imported
    assert (
        text
        == "1 份检查记录：新增隐患 2 条，更新 0 条，未变 0 条，再抽查 0 条，0 份检查记录此前已导入\n  新增 YH-2026-0001, YH-2026-0002\n"
    )
    assert data["audits"] == 2 and data["unchanged_audits"] == 1 and data["added"] == ["YH-2026-0003", "YH-2026-0004"]
    assert data["conflicts"] == [] and data["refused"] == []


def test_register_import_notes_go_to_standard_error_in_text_only():
    from checklist.errors import Refusal
    from checklist.outputs.register_views import IMPORT_REPORTERS
    from checklist.register.importer import ImportReport

    report = ImportReport(
        audits=1, conflicts=["YH-2026-0002: changed"], refused=[("a.yaml: A26-a", Refusal("hazard.unknown", "hazard", hazard="YH-1"))]
    )
    out, notes = IMPORT_REPORTERS["text"](report, lambda e: f"said {e.code}")
    assert out.startswith("1 份检查记录：新增隐患 0 条") and "冲突" not in out
    assert notes == "checklist：冲突：YH-2026-0002: changed\nchecklist：拒绝：a.yaml: A26-a：said hazard.unknown\n"
    out, notes = IMPORT_REPORTERS["json"](report, lambda e: f"said {e.code}")
    data = json.loads(out)
    assert notes == "" and data["conflicts"] == ["YH-2026-0002: changed"]
    assert data["refused"] == [{"at": "a.yaml: A26-a", "code": "hazard.unknown", "message": "said hazard.unknown"}]


def test_register_list(register, tmp_path):
    text, data = both(register, "list", "--today", "2026-12-01")
    assert text.splitlines()[0] == "4 条隐患（今天 2026年12月1日；逾期按工作日计）"
    assert data["count"] == 4 and [h["id"] for h in data["hazards"]] == [line.split()[0] for line in text.splitlines()[1:]]
    listed = register("list", "--today", "2026-12-01", "--format", "csv")
    rows = list(csv.reader(io.StringIO(listed.stdout.lstrip("\ufeff"))))
    assert rows[0][:3] == ["编号", "状态", "等级"] and [r[0] for r in rows[1:]] == [h["id"] for h in data["hazards"]]
    written = register("list", "--today", "2026-12-01", "--format", "csv", "-o", tmp_path / "list.csv")
    assert written.stdout == "" and (tmp_path / "list.csv").read_bytes() == listed.stdout_bytes


def test_register_list_xlsx_needs_a_file(register, tmp_path):
    refused = register("list", "--format", "xlsx")
    assert refused.exit_code == 2 and "--format xlsx 需要 -o FILE.xlsx" in refused.output
    made = register("list", "--today", "2026-12-01", "--format", "xlsx", "-o", tmp_path / "list.xlsx")
    assert made.exit_code == 0 and made.stdout == ""
    sheet = load_workbook(tmp_path / "list.xlsx").active
    assert sheet.title == "隐患 2026-12-01" and [c.value for c in sheet[1]][:2] == ["编号", "状态"] and sheet.max_row == 5


def test_register_show(register):
    text, data = both(register, "show", "YH-2026-0002", "--today", "2026-12-05")
    assert text.startswith("YH-2026-0002  待复查  一般隐患  记录版本 2\n") and "  历史:\n" in text
    assert data["id"] == "YH-2026-0002" and data["status"] == "待复查" and len(data["history"]) == 2


def test_register_attention(register):
    text, data = both(register, "attention", "--risk-points", RISK_POINTS, "--today", "2026-12-01")
    assert text.startswith("1 个风险点有未销号隐患（今天 2026年12月1日）\nZH-01  重大风险 (红)")
    assert data["today"] == "2026-12-01" and data["unit"] is None and [p["point"] for p in data["points"]] == ["ZH-01"]


def test_register_stats(register):
    text, data = both(register, "stats", "--year", "2026", "--today", "2026-12-31")
    assert text.startswith("2026年隐患排查治理统计（2026年1月1日 至 2026年12月31日") and "重大整改率" in text
    assert data["total"]["found"] == 4 and data["total"]["found_major"] == 2


def test_register_units_lifecycle_check_log_and_a_move(register, run, tmp_path):
    units = register("units", "--today", "2026-12-05")
    assert units.stdout_bytes.decode("utf-8").startswith("\ufeff单位,未销号,重大,逾期,最早整改期限,有重大隐患\r\n")
    written = register("units", "--today", "2026-12-05", "-o", tmp_path / "units.csv")
    assert written.stdout == f"{tmp_path / 'units.csv'}：1 个单位有未销号隐患\n"
    assert (tmp_path / "units.csv").read_bytes() == units.stdout_bytes
    assert register("check-log").stdout.startswith("事件日志完整：5 个事件，链头 ")
    assert "待复查  复查通过 (pass)  → 已销号  [admin/inspector]  (重大：已记录定级依据)" in run("register", "lifecycle").stdout
    moved = register("verify", "YH-2026-0002", "--pass", "--by", "李四", "--role", "inspector", "--date", "2026-12-03")
    assert moved.exit_code == 0 and moved.stdout == "YH-2026-0002：已销号（记录版本 3）\n"
