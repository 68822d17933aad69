"""Inputs are checked before anything is written (issue 16, item 4): options by the schema's rules,
unknown units with suggestions, empty folders, refused characters with line:col, glyphs only from
the pinned font, length limits, and facts sheets' duplicate columns, formulas and impossible numbers.
(Invalid files of each kind are also in tests/examples/*/invalid with their exact messages.)"""

from __future__ import annotations

import csv
import re
import zipfile

import openpyxl
import pytest
from audit_helpers import EVENT
from paths import EXAMPLES, ROOT

NEW = ["audit", "new", "--catalog", "bj-rtv-3g3b", "--unit", "科技处", "--date", "2026-11-20"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--target", "科技处", "--inspector", ""], "--inspector (检查人员)：不得为空"),
        (["--target", "   ", "--inspector", "张三"], "--target (被检查对象名称)：不得为空"),
        (["--target", "", "--inspector", "张三"], "--target (被检查对象名称)：不得为空"),
        (["--inspector", "张三"], "请给出 --target NAME，或使用写明被检查对象的事实声明文件"),
        (
            ["--target", "科技处", "--inspector", "张三", "--title", "检" * 201],
            "--title (报告标题)：共 201 个字符，超过允许的 200 个",
        ),
        (
            ["--target", "科技\u202e处", "--inspector", "张三"],
            "--target (被检查对象名称)：不可见的文字方向控制符 U+202E（第 3 个字符）",
        ),
        (["--target", "科技处", "--inspector", "张\u200b三"], "--inspector (检查人员)：不可见的格式字符 U+200B（第 2 个字符）"),
    ],
)
def test_audit_new_checks_options_by_the_schema_before_writing(run, tmp_path, args, message):
    out = tmp_path / "a.yaml"
    result = run(*NEW, *args, "-o", out)
    assert result.exit_code == 2 and message in result.output, result.output
    assert not out.exists()


def test_what_audit_new_writes_its_own_validate_accepts(run, tmp_path):
    out = tmp_path / "a.yaml"
    assert run(*NEW, "--target", " 科技处 ", "--inspector", "张三", "-o", out).exit_code == 0
    assert run("validate", out).exit_code == 0


@pytest.mark.parametrize(
    "unit, message",
    [
        ("不存在处", "未知单位：检查目录 bj-rtv-3g3b 中没有单位 '不存在处'；已有："),
        ("科技科", "未知单位：检查目录 bj-rtv-3g3b 中没有单位 '科技科'；是否指 科技处(公共服务处)？"),
        ("人事科", "是否指 人事处？"),
        ("ｐｅｒｓｏｎｎｅｌ1", "是否指 人事处？"),  # ids and names compared after NFKC
    ],
)
def test_unknown_unit_is_named_before_the_target_is_asked_for(run, tmp_path, unit, message):
    result = run("audit", "new", "--catalog", "bj-rtv-3g3b", "--unit", unit, "--inspector", "张三", "-o", tmp_path / "a.yaml")
    assert result.exit_code == 2 and message in result.output, result.output


def test_unknown_kind_suggests_close_names(run, tmp_path):
    result = run(
        "audit", "new", "--catalog", "bj-elderly-care-providers", "--kind", "home-car", "--inspector", "张三", "-o", tmp_path / "a.yaml"
    )
    assert result.exit_code == 2 and "未知对象类型" in result.output and "是否指 居家社区养老服务企业？" in result.output


def test_validate_a_folder_without_checklist_files(run, tmp_path):
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "notes.txt").write_text("x", encoding="utf-8")
    result = run("validate", tmp_path / "empty")
    assert result.exit_code == 2 and f"{tmp_path / 'empty'}:1:1: 未找到文件" in result.output
    both = run("validate", tmp_path / "empty", ROOT / "examples")
    assert both.exit_code == 2  # the valid files beside it do not hide the empty folder


@pytest.mark.parametrize("char", ["\uffff", "\x07", "\x85", "\ufdd0"])
def test_yaml_reader_errors_have_line_and_column(run, tmp_path, char):
    f = tmp_path / "c.yaml"
    f.write_text(f"id: x\ntitle: 中文标题\nunits: [a{char}b]\n", encoding="utf-8")
    result = run("validate", f)
    assert result.exit_code == 1 and f"{f}:3:10: " in result.output and f"U+{ord(char):04X}" in result.output
    assert "position" not in result.output


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*/valid/*.yaml")) + [ROOT / "examples" / "tech-2026q4.yaml"], ids=lambda p: p.stem)
@pytest.mark.parametrize("char", ["\u202a", "\u202e", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_invisible_characters_are_refused_in_every_file_kind(run, tmp_path, monkeypatch, path, char):
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(EXAMPLES / "catalog" / "valid"))
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    f = tmp_path / path.name
    f.write_text("\n".join([*lines, f"# 备注：看似{char}无害"]) + "\n", encoding="utf-8")
    result = run("validate", f)
    assert result.exit_code == 1
    assert f"{f}:{len(lines) + 1}:8: " in result.output and f"U+{ord(char):04X}" in result.output


def test_emoji_typed_into_a_file_is_refused_at_its_place_before_the_render(run, new_audit, tmp_path):
    out = new_audit()
    text = out.read_text(encoding="utf-8").replace("result: unchecked", "result: pass\n    note: 现场良好😀", 1)
    out.write_text(text, encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "😀" in x)
    result = run("report", out, "-o", tmp_path / "a.pdf")
    assert result.exit_code == 1, result.output
    assert f"a.yaml:{line}:" in result.output and "“😀”（U+1F600）" in result.output and "Noto Sans CJK SC" in result.output
    assert not (tmp_path / "a.pdf").exists()


def test_the_renderer_still_refuses_a_glyph_its_font_lacks(tmp_path):
    """Defence in depth: whatever reaches the renderer with a character the pinned font lacks
    (an emoji DejaVu would draw, a private-use character no font has) writes nothing."""
    from checklist.errors import RenderError
    from checklist.outputs.pdf import write_pdf

    for text, shown in (("现场良好😀", "U+1F600"), ("记录\U000f0000齐全", "U+F0000")):
        out = tmp_path / "a.pdf"
        with pytest.raises(RenderError, match=re.escape(shown)):
            write_pdf(f"<p style=\"font-family: 'Noto Sans CJK SC'\">{text}</p>", out, allowed=[])
        assert not out.exists()


# --- facts sheets ---------------------------------------------------------------------------


@pytest.fixture
def rules_catalog(monkeypatch):
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(EXAMPLES / "catalog" / "valid"))


def batch(run, tmp_path, sheet):
    return run("audit", "batch", "--catalog", "rules", "--kind", "base", "--facts", sheet, "--date", "2026-11-20", "-o", tmp_path / "out")


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.mark.parametrize(
    "header, where, message",
    [
        (["名称", "建筑面积", "floor_area"], "1:3", "第 C 列（floor_area）与第 B 列（建筑面积）重复：两列都给出 floor_area"),
        (["名称", "单位名称", "建筑面积"], "1:2", "第 B 列（单位名称）与第 A 列（名称）重复：两列都给出 name"),
    ],
)
def test_a_column_given_twice_is_an_error(run, rules_catalog, tmp_path, header, where, message):
    sheet = write_csv(tmp_path / "p.csv", [header, ["甲", "120", "80"]])
    result = batch(run, tmp_path, sheet)
    assert result.exit_code == 1 and f"{sheet}:{where}: {message}" in result.output, result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "cells, where, message",
    [
        (["甲", "-1年", "5"], "2:2", "-1 年 是负数，但时长不能为负"),
        (["甲", "2", "-3"], "2:3", "-3 人 是负数，但数量不能为负"),
        (["甲\u202e乙", "2", "3"], "2:1", "不可见的文字方向控制符 U+202E"),
        (["甲" * 201, "2", "3"], "2:1", "共 201 个字符，超过允许的 200 个"),
    ],
)
def test_impossible_csv_cells_are_located(run, rules_catalog, tmp_path, cells, where, message):
    sheet = write_csv(tmp_path / "p.csv", [["名称", "订单服务记录存储期限", "从业人数"], cells])
    result = batch(run, tmp_path, sheet)
    assert result.exit_code == 1 and f"{sheet}:{where}: " in result.output and message in result.output, result.output


def xlsx_with(path, value, cell="C2"):
    """A sheet whose cell holds ``value`` as a number in its XML (openpyxl itself cannot write NaN or infinity)."""
    book = openpyxl.Workbook()
    book.active.append(["名称", "建筑面积", "从业人数"])
    book.active.append(["甲", 100, 7])
    book.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'(<c r="' + cell.encode() + rb'" t="n"><v>)[^<]*(</v>)', rb"\g<1>" + value.encode() + rb"\2", parts[sheet])
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("value, message", [("NaN", "2:1: 该行有单元格无法读取"), ("1e999", "2:3: 第 C 列（从业人数）：inf 不是有限的数")])
def test_xlsx_nan_and_infinity_are_errors(run, rules_catalog, tmp_path, value, message):
    result = batch(run, tmp_path, xlsx_with(tmp_path / "p.xlsx", value))
    assert result.exit_code == 1 and f"{tmp_path / 'p.xlsx'}[Sheet]:{message}" in result.output, result.output


def test_xlsx_formula_cells_are_errors_not_undeclared(run, rules_catalog, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "申报"
    ws.append(["名称", "建筑面积", "从业人数", "订单服务记录存储期限"])
    ws.append(["甲", "=100+50", 3, 2])
    ws.append(["乙", 120, 5, "=1/0"])
    book.save(tmp_path / "p.xlsx")
    result = batch(run, tmp_path, tmp_path / "p.xlsx")
    assert result.exit_code == 1, result.output
    where = f"{tmp_path / 'p.xlsx'}[申报]"
    for place, text in [("2:2", "公式 =100+50"), ("3:4", "公式 =1/0")]:
        assert f"{where}:{place}: " in result.output and text in result.output, (place, result.output)
    assert not (tmp_path / "out").exists()


def test_negative_money_is_still_a_number(rules_catalog):
    from checklist.model.facts import parse

    assert str(parse({"type": "number", "unit": "万元"}, "-5")) == "-5 万元"


def test_audit_run_asks_again_for_a_text_the_file_would_refuse(run, new_audit, tmp_path):
    """What `audit run` records passes the same rules as the file: no hidden characters, no
    over-long note; the prompt says why and asks again."""
    from checklist.audits.audit_file import load_audit

    out = new_audit(tmp_path / "a.yaml", *EVENT)
    answers = "n\n2\n舞台未经验收\n\n立即整改\n王\u200b五\n王五\n2026-12-31\n" + "备" * 2001 + "\n现场发现问题\nq\n"
    result = run("audit", "run", out, input=answers)
    assert result.exit_code == 0, result.output
    assert "不可见的格式字符 U+200B" in result.output and "共 2,001 个字符，超过允许的 2,000 个" in result.output
    entry = load_audit(out)[0].entries[0]  # and the file still loads: it was never written invalid
    assert (entry.finding.owner, entry.note) == ("王五", "现场发现问题")
