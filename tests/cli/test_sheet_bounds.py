"""Spreadsheet bombs (issue 20, item 3): every sheet a person hands in — facts (CSV, XLSX) for
`audit new` / `audit batch` and the new-audit page, risk points, answers CSV, a sampling
population — is read by one streamed, bounded reader, and refused with its place past a bound."""

from __future__ import annotations

import csv
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from paths import EXAMPLES, ROOT

from checklist.files import spreadsheet


@pytest.fixture
def rules_catalog(monkeypatch):
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(EXAMPLES / "catalog" / "valid"))


def far_cell_workbook(path, cell="XFD1048576"):
    """The review's 4.9 KB bomb: a real header and target, and one cell at the sheet's far corner."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["名称", "建筑面积", "从业人数"])
    ws.append(["甲", 100, 7])
    ws[cell] = "x"
    book.save(path)
    assert path.stat().st_size < 6000
    return path


NEW = ["audit", "new", "--catalog", "rules", "--kind", "base", "--inspector", "张三", "--date", "2026-11-20"]


@pytest.mark.parametrize("command", ["new", "batch"])
def test_a_cell_at_the_far_corner_is_refused_at_its_place_without_padding(run, rules_catalog, tmp_path, command):
    facts = far_cell_workbook(tmp_path / "bomb.xlsx")
    out = tmp_path / ("a.yaml" if command == "new" else "out")
    args = NEW + ["--target", "甲"] if command == "new" else ["audit", "batch", *NEW[2:6], "--date", "2026-11-20"]
    result = run(*args, "--facts", facts, "-o", out)
    assert result.exit_code == 1, result.output
    assert f"{facts}[Sheet]:1048576:1: 第 1,048,576 行超出 100,000 行，超出工作表的上限：拒绝读取" in result.output
    assert not out.exists()
    far_right = far_cell_workbook(tmp_path / "wide.xlsx", cell="XFD2")
    result = run(*args, "--facts", far_right, "-o", out)
    assert result.exit_code == 1 and f"{far_right}[Sheet]:2:257: 第 16,384 列超出 256 列" in result.output
    assert not out.exists()


def test_the_bomb_costs_little_memory_in_a_process_of_its_own(tmp_path):
    """Before: 5.2 GB and a MemoryError. Now: refused at the first cell beyond the bounds. (The
    peak is measured from after the imports: /proc/self/clear_refs resets the high-water mark,
    which a process started from a big test run would otherwise inherit.)"""
    facts = far_cell_workbook(tmp_path / "bomb.xlsx")
    code = (
        "import resource, sys; from pathlib import Path; from checklist.files.spreadsheet import read_table\n"
        "import openpyxl, defusedxml.ElementTree, openpyxl.worksheet._reader\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"  # a bomb that goes off fails here, not the machine
        "Path('/proc/self/clear_refs').write_text('5')\n"
        "try:\n    read_table(Path(sys.argv[1]), refuse_formulas=True)\nexcept Exception as e:\n    print(type(e).__name__)\n"
        "print(next(l.split()[1] for l in Path('/proc/self/status').read_text().splitlines() if l.startswith('VmHWM')))"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(facts)], capture_output=True, text=True, timeout=60, check=True)
    kind, peak_kb = proc.stdout.split()
    assert kind == "InvalidFileError" and int(peak_kb) < 150_000, proc.stdout


def test_rows_columns_and_cells_past_the_bounds_are_refused(run, rules_catalog, tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 5)
    monkeypatch.setattr(spreadsheet, "MAX_CELLS", 40)
    book = openpyxl.Workbook()
    book.active.append(["名称", "建筑面积", "从业人数"])
    for i in range(6):
        book.active.append([f"甲{i}", 100, 7])
    book.save(tmp_path / "rows.xlsx")
    result = run("audit", "batch", *NEW[2:6], "--date", "2026-11-20", "--facts", tmp_path / "rows.xlsx", "-o", tmp_path / "o1")
    assert result.exit_code == 1 and "rows.xlsx[Sheet]:6:1: 第 6 行超出 5 行" in result.output, result.output
    with (tmp_path / "rows.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["名称", "建筑面积", "从业人数"], *[[f"甲{i}", 100, 7] for i in range(6)]])
    result = run("audit", "batch", *NEW[2:6], "--date", "2026-11-20", "--facts", tmp_path / "rows.csv", "-o", tmp_path / "o2")
    assert result.exit_code == 1 and "rows.csv:6:1: 超过 5 行或 40 个单元格" in result.output, result.output
    (tmp_path / "commas.csv").write_text("名称,建筑面积\n" + "," * 100 + "\n", encoding="utf-8")
    result = run("audit", "batch", *NEW[2:6], "--date", "2026-11-20", "--facts", tmp_path / "commas.csv", "-o", tmp_path / "o3")
    assert result.exit_code == 1 and "commas.csv:1:1: 超过 40 个单元格" in result.output, result.output
    assert not any((tmp_path / d).exists() for d in ("o1", "o2", "o3"))


def test_a_csv_row_wider_than_a_sheet_may_be_is_refused(run, rules_catalog, tmp_path):
    with (tmp_path / "wide.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["名称", "建筑面积", "从业人数"], ["甲", 100, 7, *["x"] * 300]])
    result = run("audit", "batch", *NEW[2:6], "--date", "2026-11-20", "--facts", tmp_path / "wide.csv", "-o", tmp_path / "out")
    assert result.exit_code == 1 and "wide.csv:2:257: 一行有 303 个单元格，超过 256 列" in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_a_zip_bomb_workbook_is_refused_before_it_is_unzipped(run, rules_catalog, tmp_path):
    path = far_cell_workbook(tmp_path / "zip.xlsx", cell="C3")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * (spreadsheet.MAX_UNPACKED + 1))
    assert path.stat().st_size < 100_000
    result = run(*NEW, "--target", "甲", "--facts", path, "-o", tmp_path / "a.yaml")
    assert result.exit_code == 2 and "该工作簿解压后为" in result.output and "即拒绝读取" in result.output, result.output
    assert not (tmp_path / "a.yaml").exists()


def test_risk_points_answers_and_populations_share_the_bounds(run, tmp_path):
    risk = far_cell_workbook(tmp_path / "points.xlsx")
    result = run("risk", "assess", risk)
    assert result.exit_code == 1 and "points.xlsx[Sheet]:1048576:1: 第 1,048,576 行超出" in result.output, result.output
    wide = ",".join(["x"] * 300) + "\n"
    (tmp_path / "answers.csv").write_text("id,result\n" + wide, encoding="utf-8")
    audit = tmp_path / "a.yaml"
    args = ["audit", "new", "--catalog", "bj-rtv-3g3b", "--unit", "科技处", "--target", "科技处", "--inspector", "张三"]
    assert run(*args, "--date", "2026-11-20", "-o", audit).exit_code == 0
    before = audit.read_bytes()
    result = run("audit", "answer", audit, "--answers", tmp_path / "answers.csv")
    assert result.exit_code == 1 and "answers.csv:2:257: 一行有 300 个单元格" in result.output, result.output
    assert audit.read_bytes() == before
    (tmp_path / "population.csv").write_text("name,district\n" + wide, encoding="utf-8")
    result = run("sample", tmp_path / "population.csv", "--rate", "50%", "--seed", "1", "-o", tmp_path / "plan.csv")
    assert result.exit_code == 1 and "population.csv:2:257: 一行有 300 个单元格" in result.output, result.output
    assert not (tmp_path / "plan.csv").exists()


def test_the_bundled_sheets_still_read(run):
    assert run("risk", "assess", ROOT / "examples" / "risk" / "transmitting-station.xlsx").exit_code == 0
    where, rows = spreadsheet.read_table(ROOT / "examples" / "risk" / "transmitting-station.xlsx")
    assert where.endswith("]") and rows[0][0] == 1 and len(rows) > 3
