"""Responsibility lists and matrices, in every format, and catalog diffs."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
from extras import pypdf
from paths import EXAMPLES, ROOT

from checklist.lists.duties import LEAD_MARK, SUPPORT_MARK, matrix, unit_list
from checklist.model.library import load_catalog
from checklist.vocabulary import LEAD, SUPPORT


@pytest.fixture(scope="module")
def rtv():
    return load_catalog("bj-rtv-3g3b")


def expected_duties(cat, unit_id):
    """Straight from the catalog: clauses naming the unit, or a group holding it."""
    return {c.id for c in cat.clauses for a in c.responsible if a.unit == unit_id or unit_id in cat.units[a.unit].members}


def test_every_duty_of_a_unit_appears_exactly_once(rtv):
    for unit in (u for u in rtv.units.values() if not u.is_group):
        ids = [d.clause.id for d in unit_list([rtv], unit.id).duties]
        assert len(ids) == len(set(ids)), unit.id
        assert set(ids) == expected_duties(rtv, unit.id), unit.id


def test_tech_duties_include_its_article_and_the_ones_binding_every_division(rtv):
    ul = unit_list([rtv], "科技处")
    refs = {d.clause.ref: d for d in ul.duties}
    assert {"第二十一条第1项", "第二十一条第4项"} <= set(refs)
    assert "第二十一条" not in refs  # it only introduces its items, which carry the duties
    every = {
        f"第{n}条"
        for n in [
            "二十六",
            "二十七",
            "二十八",
            "二十九",
            "三十",
            "三十一",
            "三十二",
            "三十三",
            "三十四",
            "三十九",
            "四十",
            "四十一",
            "四十二",
            "四十三",
            "四十四",
            "四十九",
        ]
    }
    assert every <= set(refs)
    assert refs["第二十六条"].via.name == "各处室单位及各区广电归口管理单位"
    assert refs["第二十一条第1项"].via is None and refs["第二十一条第1项"].role == LEAD
    assert refs["第五条"].role == SUPPORT
    assert [k.id for k in refs["第五条"].checks] == ["A5-b"]  # the office's question is not its


def test_matrix_equals_the_catalog(rtv):
    m = matrix(rtv)
    for c in rtv.clauses:
        for u in m.units:
            mark = m.cells.get((c.id, u.id), "")
            roles = [a.role for a in c.responsible if a.unit == u.id or u.id in rtv.units[a.unit].members]
            assert mark == ({LEAD: LEAD_MARK, SUPPORT: SUPPORT_MARK}[roles[0]] if roles else ""), (c.id, u.id)
    assert [c.id for c in m.clauses] == [c.id for c in rtv.clauses if c.responsible]


def test_unknown_unit(run, tmp_path):
    result = run("duties", "--catalog", "bj-rtv-3g3b", "--unit", "不存在处", "--format", "md", "-o", tmp_path / "x.md")
    assert result.exit_code == 2 and "没有单位 '不存在处'" in result.output
    assert not (tmp_path / "x.md").exists()


def test_pdf_list(run, tmp_path):
    out = tmp_path / "tech.pdf"
    result = run("duties", "--catalog", "bj-rtv-3g3b", "--unit", "tech", "-o", out)
    assert result.exit_code == 0, result.output
    text = "".join("".join(p.extract_text().split()) for p in pypdf.PdfReader(out).pages)
    assert "科技处(公共服务处)责任清单" in text
    assert "歌华有线管辖的北京市有线电视线缆、杆塔、窨井(有限空间)的安全生产工作" in text
    assert "作为各处室单位及各区广电归口管理单位" in text and "每季度" in text
    assert "牵头处室单位报送“一案两表”备案（提前10个工作日）" in text


def test_xlsx_reads_back_to_the_same_rows(run, rtv, tmp_path):
    out = tmp_path / "d.xlsx"
    assert run("duties", "--catalog", "bj-rtv-3g3b", "--format", "xlsx", "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    m = matrix(rtv)
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    got = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert got == [m.header] + m.rows
    tech = book[unit_list([rtv], "tech").name]
    rows = [["" if v is None else v for v in r] for r in tech.iter_rows(values_only=True)]
    assert rows[1:] == unit_list([rtv], "tech").rows
    assert tech.column_dimensions["E"].width > 20 and tech["E2"].alignment.wrap_text


def test_csv_has_bom_and_every_unit(run, rtv, tmp_path):
    out = tmp_path / "d.csv"
    assert run("duties", "--catalog", "bj-rtv-3g3b", "--format", "csv", "-o", out).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    units = {r[0] for r in rows[1:]}
    assert "科技处(公共服务处)" in units and "办公室(安全监管办公室)" in units
    assert sum(1 for r in rows[1:] if r[0] == "科技处(公共服务处)") == len(unit_list([rtv], "tech").duties)


def test_markdown_and_html(run, tmp_path):
    assert run("duties", "--catalog", "bj-rtv-3g3b", "--unit", "office", "--format", "md", "-o", tmp_path / "d.md").exit_code == 0
    md = (tmp_path / "d.md").read_text(encoding="utf-8")
    assert md.startswith("# 办公室(安全监管办公室) 责任清单") and "| 第十四条第3项 |" in md
    assert run("duties", "--catalog", "bj-rtv-3g3b", "--format", "html", "-o", tmp_path / "d.html").exit_code == 0
    html = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert "职责矩阵" in html and LEAD_MARK in html


def test_several_catalogs_match_units_by_name(run, tmp_path, monkeypatch):
    """The same unit under another id and an alias in a second catalog: one list across both."""
    other = tmp_path / "cats"
    other.mkdir()
    (other / "other.yaml").write_text(
        """id: other
title: 另一文件
source: {doc_no: 京测发〔2026〕9号, issuer: 测试局, issued: "2026-02-10"}
units:
  - {id: kejichu, name: 科技处（公共服务处）, aliases: [科技处]}
clauses:
  - id: X1
    ref: 第一条
    text: 科技处负责测试职责。
    responsible: [kejichu]
    checks: [{id: X1-a, ask: 是否履行测试职责？}]
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(other))
    ul = unit_list([load_catalog("bj-rtv-3g3b"), load_catalog("other")], "科技处(公共服务处)")
    assert [c.id for c, _ in ul.units] == ["bj-rtv-3g3b", "other"]
    assert ul.duties[-1].clause.id == "X1"


# --- diff ---------------------------------------------------------------------------------------


def test_diff_finds_planted_changes(run, tmp_path):
    text = (ROOT / "catalogs" / "bj-rtv-3g3b.yaml").read_text(encoding="utf-8")
    new = text.replace("应每季度研究分析所管辖业务领域", "应每月研究分析所管辖业务领域", 1)
    new = new.replace("      - districts\n    tags: [组织保障", "      - tech\n    tags: [组织保障", 1)
    start = new.index("  - id: A50\n")
    new = new[:start] + new[start:].replace("本实施细则自发布之日起实施", "本实施细则自2026年3月1日起实施", 1)
    new = new.replace("  - id: A45\n", "  - id: A45-new\n", 1)  # renumbered: still paired by reference
    new += """  - id: A51
    ref: 第五十一条
    chapter: 第八章 附则
    text: 本实施细则由局办公室负责解释。
"""
    removed = new.index("  - id: A47\n")
    new = new[:removed] + new[new.index("  - id: A48\n") :]
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    result = run("diff", ROOT / "catalogs" / "bj-rtv-3g3b.yaml", tmp_path / "new.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)["changes"]
    kinds = sorted((c["kind"], c["new_ref"] or c["old_ref"]) for c in changes)
    assert kinds == [
        ("added", "第五十一条"),
        ("reassigned", "第四十六条"),
        ("removed", "第四十七条"),
        ("reworded", "第二十六条"),
        ("reworded", "第五十条"),
    ]
    q = next(c for c in changes if c["new_ref"] == "第二十六条")
    assert [d for d in q["text_diff"] if d["op"] != "equal"] == [{"op": "delete", "text": "季度"}, {"op": "insert", "text": "月"}]
    re = next(c for c in changes if c["kind"] == "reassigned")
    assert re["old_units"] == ["各区广电归口管理单位（牵头）"] and re["new_units"] == ["科技处(公共服务处)（牵头）"]
    text_out = run("diff", ROOT / "catalogs" / "bj-rtv-3g3b.yaml", tmp_path / "new.yaml").output
    assert "应每[-季度-]{+月+}研究分析" in text_out and "新增 1，删除 1，修改文字 2，调整责任单位 1" in text_out


def test_diff_of_identical_catalogs_is_empty(run):
    path = ROOT / "catalogs" / "bj-rtv-3g3b.yaml"
    assert json.loads(run("diff", path, path, "--format", "json").output)["changes"] == []


def test_health_commission_leads_basic_public_services(run, tmp_path):
    """The issue's example: the services 市卫生健康委 leads, found by its abbreviation too."""
    cat = load_catalog("bj-basic-public-services")
    out = tmp_path / "health.xlsx"
    result = run("duties", "--catalog", "bj-basic-public-services", "--unit", "市卫健委", "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    led = [c for c in cat.clauses if any(a.unit == "city-health" for a in c.responsible)]
    assert [r[3] for r in rows[1:]] == [c.ref for c in led]
    assert all(r[5] == "牵头" for r in rows[1:])
    assert "免费孕前优生健康检查" in rows[1][4]


def test_import_command_writes_a_valid_draft(run, tmp_path):
    from paths import SOURCES

    lines = (SOURCES / "001_665f51de318f5560.txt").read_text(encoding="utf-8").splitlines()
    text = tmp_path / "rtv.txt"
    text.write_text("\n".join(lines[894:1095]), encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = run("import", text, "--layout", "articles", "--id", "rtv-draft", "-o", out)
    assert result.exit_code == 0, result.output
    assert "77 条条款" in result.output
    assert f"{text}:" in result.output and "未归入" in result.output  # listed with line numbers
    assert run("validate", out).exit_code == 0
    assert run("import", text, "--layout", "articles", "-o", out).exit_code == 2  # never overwrites silently
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("第一条 测试。".encode("gbk"))
    bad = run("import", gbk, "--layout", "articles", "-o", tmp_path / "x.yaml")
    assert bad.exit_code == 2 and "GBK" in bad.output


def test_diff_reports_every_field_of_a_clause_and_its_checks_in_words(run, tmp_path):
    """A deadline step, a question, a rule, applies_to, tags, chapter and a role: each change named."""
    text = (ROOT / "catalogs" / "bj-rtv-3g3b.yaml").read_text(encoding="utf-8")
    new = text.replace("working_days: 10\n", "working_days: 5\n", 1).replace("file_with: office", "file_with: tech", 1)
    new = new.replace("ask: 对本部门职责领域内在京举办的行业活动，是否履行安全生产监督管理责任？", "ask: 是否履行行业活动监管责任？", 1)
    new = new.replace("tags: [大型活动, 一案两表, 主体责任]", "tags: [大型活动, 一案两表, 监督管理]", 1)
    new = new.replace("chapter: 第七章 大型活动安全工作措施", "chapter: 第七章 大型活动", 1)
    new = new.replace("      - {level: 国家级, designated_by: party-group}", "      - {level: 国家级, designated_by: office}", 1)
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    result = run("diff", ROOT / "catalogs" / "bj-rtv-3g3b.yaml", tmp_path / "new.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    [change] = json.loads(result.output)["changes"]
    assert (change["kind"], change["new_ref"]) == ("changed", "第四十九条")
    words = [f["words"] for f in change["fields"]]
    assert "章: 由 第七章 大型活动安全工作措施 改为 第七章 大型活动" in words
    assert "标签: 删除 主体责任，新增 监督管理" in words
    assert (
        "检查问题 › A49-b › 提问: 由 对本部门职责领域内在京举办的行业活动，是否履行安全生产监督管理责任？ 改为 是否履行行业活动监管责任？"
        in words
    )
    assert "时限 › 步骤 › A49-filing › 工作日数: 由 10 改为 5" in words
    assert "时限 › 步骤 › A49-filing › 报送对象: 由 办公室(安全监管办公室) 改为 科技处(公共服务处)" in words
    assert any(w.startswith("安全负责人规定: 由 ") and "局党组" in w and "办公室(安全监管办公室)" in w for w in words)
    assert len(words) == 6
    text_out = run("diff", ROOT / "catalogs" / "bj-rtv-3g3b.yaml", tmp_path / "new.yaml").output
    assert "修改其他内容 1" in text_out and "  时限 › 步骤 › A49-filing › 工作日数: 由 10 改为 5" in text_out


def test_diff_reports_rules_applies_to_roles_and_added_questions(run, tmp_path):
    old = EXAMPLES / "catalog" / "valid" / "rules.yaml"
    text = old.read_text(encoding="utf-8")
    new = text.replace('rule: {fact: staff, op: ">=", value: 3}', 'rule: {fact: staff, op: ">=", value: 5}')
    new = new.replace(
        "      - {id: B2-c, ask: 场地是否整洁？}",
        "      - {id: B2-c, ask: 场地是否整洁？, evidence: [现场照片]}\n      - {id: B2-d, ask: 是否有消防设施？}",
    )
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    result = run("diff", old, tmp_path / "new.yaml", "--format", "json")
    [change] = json.loads(result.output)["changes"]
    assert [f["words"] for f in change["fields"]] == [
        "检查问题 › B2-b › 判定规则 › value: 由 3 改为 5",
        "检查问题 › B2-c › 查阅材料: 新增 现场照片",
        "检查问题 › B2-d: 新增 提问: 是否有消防设施？",
    ]


def test_the_same_catalog_given_twice_counts_once(run, tmp_path):
    once = run("duties", "--catalog", "bj-rtv-3g3b", "--unit", "科技处", "--format", "csv", "-o", tmp_path / "once.csv")
    twice = run(
        "duties",
        "--catalog",
        "bj-rtv-3g3b",
        "--catalog",
        ROOT / "catalogs" / "bj-rtv-3g3b.yaml",
        "--catalog",
        "bj-rtv-3g3b",
        "--unit",
        "科技处",
        "--format",
        "csv",
        "-o",
        tmp_path / "twice.csv",
    )
    assert twice.exit_code == 0, twice.output
    assert once.output.replace(str(tmp_path / "once.csv"), "") == twice.output.replace(str(tmp_path / "twice.csv"), "")  # the counts
    assert (tmp_path / "once.csv").read_bytes() == (tmp_path / "twice.csv").read_bytes()
