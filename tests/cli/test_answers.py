"""`checklist audit answer`: answers from a YAML or CSV file, every one checked before one save."""

from __future__ import annotations

import pytest
from paths import ROOT

from checklist.audits.audit_file import load_audit


def answers_of(path):
    a, _, _ = load_audit(path)
    return {e.id: e for e in a.entries}


@pytest.mark.parametrize("name", ["events-audit.yaml", "events-audit.csv"])
def test_the_examples_are_recorded(run, audit_file, name):
    result = run("audit", "answer", audit_file, "--answers", ROOT / "examples" / "answers" / name)
    assert result.exit_code == 0, result.output
    assert "已记录 4 个答案，8 项中仍有 4 项未检查" in result.output
    e = answers_of(audit_file)
    assert [e[i].result for i in ("A30-a", "A30-b", "A49-a", "A49-b", "A49-c")] == ["pass", "fail", "na", "pass", "unchecked"]
    f = e["A30-b"].finding
    assert (f.hazard, f.measure, f.owner, f.due) == ("一般隐患", "更新值班表并报局办公室", "科技处 王五", "2026-12-15")
    assert e["A30-b"].note == "重点时段值班表未更新" and e["A49-a"].reason == "本季度未举办大型活动"
    assert run("validate", audit_file).exit_code == 0


def test_writes_once_through_the_audits_save(run, audit_file, monkeypatch):
    from checklist.audits.audit import Audit

    calls = []
    real = Audit.save
    monkeypatch.setattr(Audit, "save", lambda self, *a, **k: (calls.append(1), real(self, *a, **k))[1])
    assert run("audit", "answer", audit_file, "--answers", ROOT / "examples" / "answers" / "events-audit.yaml").exit_code == 0
    assert calls == [1]


BAD_YAML = """answers:
  - {id: A30-a, result: ok}
  - {id: A99-z, result: pass}
  - {id: A30-b, result: fail, finding: {hazard: 重大, measure: 整改, owner: 王五}}
  - {id: A49-a, result: na}
  - {id: A49-b, result: fail, finding: {hazard: 一般, measure: 整改, owner: 王五, due: 2026-02-30}}
  - {id: A49-c, result: fail, finding: {hazard: 一般, measure: 整改, owner: 王五, due: 2026-11-01}}
  - {id: A30-a, result: pass}
"""


def test_every_bad_answer_is_located_and_nothing_is_written(run, audit_file, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_YAML, encoding="utf-8")
    before = audit_file.read_bytes()
    result = run("audit", "answer", audit_file, "--answers", bad)
    assert result.exit_code == 1
    out = result.output
    assert f"{bad}:2:25: 'ok' 不是以下之一：pass, fail, na, 符合, 不符合, 不适用" in out
    assert f"{bad}:4:40: 'due' 为必填属性" in out
    assert f"{bad}:5:5: 检查结果为 'na' 时，'reason' 为必填属性" in out
    assert f"{bad}:6:82: '2026-02-30' 不是有效日期" in out
    assert f"{bad}:8:10: 检查项 'A30-a' 作答了两次（首次在第 2 行）" in out
    assert f"{bad}:3:10: {audit_file} 中没有检查项 'A99-z'" in out  # what only the audit can tell, in the same run
    assert f"{bad}:7:82: 整改期限 2026-11-01 早于检查日期 2026-11-20" in out
    assert audit_file.read_bytes() == before


def test_bad_csv_cells_are_reported_by_row_and_column(run, audit_file, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "检查项,结果,备注,隐患等级,整改措施,整改责任人,整改期限,颜色\n"
        "A30-a,maybe,,,,,,\n"
        "A30-b,不符合,,特大,整改,,2026-12-01,\n"
        "A49-a,不适用,,,,,,\n"
        "A49-b,符合,,,,,,\n"
        "A99-z,符合,,,,,,\n",
        encoding="utf-8",
    )
    before = audit_file.read_bytes()
    result = run("audit", "answer", audit_file, "--answers", bad)
    assert result.exit_code == 1
    out = result.output
    assert f"{bad}:1:8: 未知列 '颜色'" in out
    assert f"{bad}:2:2: 'maybe' 不是以下之一" in out
    assert f"{bad}:3:4: '特大' 不是以下之一：一般隐患, 重大事故隐患, 一般, 重大" in out
    assert f"{bad}:3:4: " in out and "owner" in out  # the finding (from its first cell) lacks its owner
    assert f"{bad}:4:1: " in out and "reason" in out
    assert f"{bad}:6:1: {audit_file} 中没有检查项 'A99-z'" in out
    assert audit_file.read_bytes() == before


def test_csv_without_id_column_is_refused(run, audit_file, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("结果\n符合\n", encoding="utf-8")
    result = run("audit", "answer", audit_file, "--answers", bad)
    assert result.exit_code == 1
    assert f"{bad}:1:1: 没有 id 列（id / 检查项 / 检查项编号）" in result.output


def test_other_suffixes_are_refused(run, audit_file, tmp_path):
    other = tmp_path / "a.txt"
    other.write_text("x", encoding="utf-8")
    result = run("audit", "answer", audit_file, "--answers", other)
    assert result.exit_code == 2 and "答案文件必须是 .yaml、.yml 或 .csv 文件" in result.output
