"""English on request: with LANG=en_US.UTF-8, or with CHECKLIST_LANG=en, help, summaries, errors,
refusals and click's own messages come out in English (the msgids), with no Chinese translation of
them; CHECKLIST_LANG wins over the locale. The default (Chinese) is what every other test checks."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from paths import ROOT

from checklist.cli import cli

ENGLISH = [{"LANG": "en_US.UTF-8"}, {"CHECKLIST_LANG": "en"}, {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}]
# what the translations say, which English output must not
TRANSLATED = ("用法", "错误", "退出码", "个文件", "检查项", "拒绝", "不允许", "新增隐患", "缺少选项")


@pytest.fixture(params=ENGLISH, ids=lambda env: " ".join(f"{k}={v}" for k, v in env.items()))
def english(request):
    def invoke(*args: object, input: str | None = None):
        result = CliRunner(env=request.param).invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
        out = result.stdout + result.stderr
        assert not [w for w in TRANSLATED if w in out], out
        return result

    return invoke


def test_help_and_clicks_own_messages(english):
    top = english("--help")
    assert top.exit_code == 0 and top.output.startswith("Usage: cli [OPTIONS] COMMAND")
    assert "Show this message and exit." in top.output and "Commands:" in top.output
    sub = english("register", "import", "--help")
    assert "Exit codes:" in sub.output and "Options:" in sub.output
    missing = english("audit", "new", "--unit", "科技处")
    assert missing.exit_code == 2 and "Error: Missing option '--inspector'." in missing.stderr
    assert "Try 'cli audit new --help' for help." in missing.stderr


def test_summaries_and_file_problems(english, tmp_path):
    valid = english("validate", ROOT / "catalogs" / "bj-rtv-3g3b.yaml")
    assert valid.exit_code == 0 and "1 file(s) checked: 1 valid, 0 invalid, 0 unreadable, 0 error(s)" in valid.output
    audit = tmp_path / "a.yaml"
    made = english(
        "audit",
        "new",
        "--catalog",
        "bj-rtv-3g3b",
        "--unit",
        "科技处",
        "--target",
        "T",
        "--inspector",
        "张三",
        "--date",
        "2026-11-20",
        "-o",
        audit,
    )
    assert made.exit_code == 0 and f"{audit}: 57 checks from bj-rtv-3g3b" in made.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("answers:\n  - {id: A30-a, result: ok}\n  - {id: A99-z, result: pass}\n", encoding="utf-8")
    answered = english("audit", "answer", audit, "--answers", bad)
    assert answered.exit_code == 1
    assert f"{bad}:2:25: 'ok' is not one of pass, fail, na" in answered.output
    assert f"{bad}:3:10: {audit} has no check 'A99-z'" in answered.output
    gone = english("validate", tmp_path / "no-such.yaml")
    assert gone.exit_code != 0 and "no such file" in gone.output.lower()


def test_register_summaries_errors_and_refusals(english, example, tmp_path):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    nothing = english("register", "list", "--db", f"sqlite:///{tmp_path / 'none' / 'r.db'}")
    assert nothing.exit_code == 2 and "no register at" in nothing.output
    imported = english("register", "import", example, "--by", "张三", "--db", db)
    assert imported.exit_code == 0 and "1 audit(s): 2 hazard(s) added, 0 updated" in imported.output
    assert "added YH-2026-0001, YH-2026-0002" in imported.output
    refused = english("register", "verify", "YH-2026-0001", "--pass", "--by", "李四", "--db", db, "--date", "2026-12-01")
    assert refused.exit_code == 5 and "YH-2026-0001 is 待整改: 复查通过 (pass) is not allowed; allowed:" in refused.output
    log = english("register", "check-log", "--db", db)
    assert log.exit_code == 0 and "event log intact: 2 events" in log.output


def test_checklist_lang_wins_over_the_locale():
    both = CliRunner(env={"LANG": "en_US.UTF-8", "CHECKLIST_LANG": "zh_CN"}).invoke(cli, ["--help"])
    assert both.output.startswith("用法: cli") and "显示本帮助并退出" in both.output
    english = CliRunner(env={"LANG": "zh_CN.UTF-8", "CHECKLIST_LANG": "en"}).invoke(cli, ["--help"])
    assert english.output.startswith("Usage: cli") and "Show this message and exit." in english.output


def test_dates_in_prose_as_the_reader_writes_them(monkeypatch):
    import datetime as dt

    from checklist.i18n import prose_date, prose_time

    assert prose_date(dt.date(2026, 12, 5)) == prose_date("2026-12-05") == "2026年12月5日"
    assert prose_time("2026-12-06T11:49:10.407534+08:00") == "2026年12月6日 11:49（UTC+08:00）"
    assert prose_date("本周内") == "本周内" and prose_time("不是时间") == "不是时间"
    monkeypatch.setenv("CHECKLIST_LANG", "en")
    assert prose_date(dt.date(2026, 12, 5)) == "2026-12-05"
    assert prose_time("2026-12-06T11:49:10.407534+08:00") == "2026-12-06T11:49:10+08:00"
