"""`checklist audit new` and `audit status`: selecting checks, writing a fillable file, counting."""

from __future__ import annotations

import json

import pytest
from paths import ROOT

from checklist.audits.audit_file import load_audit

NEW = [
    "audit",
    "new",
    "--catalog",
    "bj-rtv-3g3b",
    "--target",
    "科技处(公共服务处)",
    "--inspector",
    "张三",
    "--inspector",
    "李四",
    "--date",
    "2026-11-20",
]


def test_new_audit_has_every_applicable_check_unanswered(run, tmp_path):
    out = tmp_path / "a.yaml"
    result = run(*NEW, "--unit", "科技处", "-o", out)
    assert result.exit_code == 0, result.output
    a, _, notice = load_audit(out)
    assert notice is None
    assert a.date == "2026-11-20" and a.inspectors == ["张三", "李四"]
    assert all(e.result == "unchecked" for e in a.entries)
    clauses = {e.clause for e in a.entries}
    assert {"A21-1", "A21-2", "A26", "A49"} <= clauses  # its own article's items and the ones binding every 处室
    assert "A21" not in clauses  # 第二十一条 only introduces its items
    assert "A14-1" not in clauses  # the office's duties are not
    assert "A5-a" not in {e.id for e in a.entries}  # put to the office only
    assert "A5-b" in {e.id for e in a.entries}
    assert run("validate", out).exit_code == 0


def test_new_audit_file_is_readable(run, tmp_path):
    out = tmp_path / "a.yaml"
    run(*NEW, "--unit", "tech", "--chapter", "第三章", "-o", out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "  # 第二十一条第2项 歌华有线管辖的北京市有线电视线缆、杆塔、窨井(有限空间)的安全生产工作" in text
    assert "result: unchecked" in text


def test_selection_by_tag_and_chapter(run, tmp_path):
    out = tmp_path / "a.yaml"
    assert run(*NEW, "--unit", "tech", "--tag", "大型活动", "-o", out).exit_code == 0
    a, _, _ = load_audit(out)
    assert {e.clause for e in a.entries} == {"A30", "A49"}  # 第三十条 speaks of 重大活动 too
    assert a.selection == {"unit": "tech", "tags": ["大型活动"]}
    out2 = tmp_path / "b.yaml"
    assert run(*NEW, "--chapter", "第七章", "-o", out2).exit_code == 0
    assert {e.clause for e in load_audit(out2)[0].entries} == {"A49"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--unit", "不存在处"], "中没有单位 '不存在处'"),
        (["--unit", "tech", "--tag", "无此标签"], "中没有标签 无此标签"),
        (["--chapter", "第九章"], "中没有章节 '第九章'"),
        (["--unit", "tech", "--date", "2026-02-30"], "不是有效日期"),
    ],
)
def test_bad_selection_is_a_usage_error(run, tmp_path, args, message):
    result = run(*NEW, *args, "-o", tmp_path / "a.yaml")
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "a.yaml").exists()


def test_unknown_catalog(run, tmp_path):
    result = run("audit", "new", "--catalog", "nope", "--target", "x", "--inspector", "y", "-o", tmp_path / "a.yaml")
    assert result.exit_code == 2 and "没有检查目录 'nope'" in result.output


def test_existing_audit_is_never_overwritten_without_force(run, tmp_path):
    out = tmp_path / "a.yaml"
    out.write_text("answers typed by hand\n", encoding="utf-8")
    result = run(*NEW, "--unit", "tech", "-o", out)
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_text(encoding="utf-8") == "answers typed by hand\n"
    assert run(*NEW, "--unit", "tech", "-o", out, "--force").exit_code == 0


def test_status_counts_and_score(run):
    result = run("audit", "status", "--format", "json", ROOT / "examples" / "tech-2026q4.yaml")
    assert result.exit_code == 0, result.output
    (s,) = json.loads(result.output)
    assert s["counts"] == {"pass": 44, "fail": 2, "na": 4, "unchecked": 7}
    assert s["total"] == 57 and s["answered"] == 50
    assert s["score"] == pytest.approx(44 / 46)
    assert s["open_findings"] == 2 and s["major_open_findings"] == 1


def test_status_text(run):
    result = run("audit", "status", ROOT / "examples" / "tech-2026q4.yaml")
    assert "已检查 50/57" in result.output and "符合率 95.7%" in result.output
    assert "未整改隐患 2 (重大事故隐患 1)" in result.output


def test_status_without_judged_checks_has_no_score(run, tmp_path):
    out = tmp_path / "a.yaml"
    run(*NEW, "--unit", "tech", "-o", out)
    result = run("audit", "status", "--format", "json", out)
    assert json.loads(result.output)[0]["score"] is None
    assert "符合率 —" in run("audit", "status", out).output


def test_changed_catalog_is_noticed(run, tmp_path, monkeypatch):
    catalogs = tmp_path / "catalogs"
    catalogs.mkdir()
    text = (ROOT / "catalogs" / "bj-rtv-3g3b.yaml").read_text(encoding="utf-8").replace("id: bj-rtv-3g3b", "id: copy", 1)
    (catalogs / "copy.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(catalogs))
    out = tmp_path / "a.yaml"
    assert (
        run(
            "audit", "new", "--catalog", "copy", "--unit", "tech", "--target", "x", "--inspector", "y", "--date", "2026-11-20", "-o", out
        ).exit_code
        == 0
    )
    (catalogs / "copy.yaml").write_text(text + "# edited\n", encoding="utf-8")
    result = run("audit", "status", out)
    assert result.exit_code == 0
    assert "检查目录 copy 在本检查记录创建后已有变化" in result.stderr


def test_example_audit_matches_the_bundled_catalog():
    """The demo's audit must be re-made (or its sha256 updated) when the catalog changes."""
    _, _, notice = load_audit(ROOT / "examples" / "tech-2026q4.yaml")
    assert notice is None, notice
