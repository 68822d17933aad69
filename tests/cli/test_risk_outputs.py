"""The 风险分级管控清单 and the 岗位风险告知卡 as printed: PDF text and the level's colour behind its
cell (read back with pdfplumber), XLSX fills (openpyxl), HTML, and the render refusals."""

from __future__ import annotations

import pytest
from extras import pdfplumber
from openpyxl import load_workbook
from paths import ROOT

from checklist.risk.grading import assess

EXAMPLE = ROOT / "examples" / "risk" / "transmitting-station.yaml"
LEVEL_RGB = {"重大风险": "E60012", "较大风险": "F39800", "一般风险": "FFF100", "低风险": "0068B7"}


def _rgb(color) -> str | None:
    """pdfplumber's fill colour (floats 0–1, RGB) as RRGGBB."""
    if not isinstance(color, (tuple, list)) or len(color) != 3:
        return None
    return "".join(f"{round(c * 255):02X}" for c in color)


def _level_cells(page):
    """(text, fill) of every cell whose text is a level name: the fill is the rect behind its words."""
    words = page.extract_words()
    cells = []
    for w in words:
        if w["text"] in LEVEL_RGB:
            behind = [
                _rgb(r["non_stroking_color"])
                for r in page.rects
                if r["x0"] <= w["x0"] and r["x1"] >= w["x1"] and r["top"] <= w["top"] and r["bottom"] >= w["bottom"] and r.get("fill")
            ]
            cells.append((w["text"], [b for b in behind if b not in ("E6E9EE", "FFFFFF")]))  # not the table heads
    return cells


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from click.testing import CliRunner

    from checklist.cli import cli

    out = tmp_path_factory.mktemp("risk")
    runner = CliRunner()
    results = {
        "pdf": runner.invoke(cli, ["risk", "report", str(EXAMPLE), "-o", str(out / "list.pdf")]),
        "cards": runner.invoke(cli, ["risk", "cards", str(EXAMPLE), "-o", str(out / "cards.pdf"), "--size", "A5"]),
    }
    for r in results.values():
        assert r.exit_code == 0, r.output
    return out


@pytest.mark.slow
def test_list_pdf_is_landscape_with_every_point(rendered):
    with pdfplumber.open(rendered / "list.pdf") as pdf:
        first = pdf.pages[0]
        assert first.width > first.height  # A4 landscape
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "示例广播电视发射台安全风险分级管控清单" in text
    g = assess(EXAMPLE)
    for a in g.assessments:
        assert a.point.id in text
    assert "D = 3 × 3 × 40" in text and "风险统计" in text and "评价方法及分级标准" in text
    assert "来源：Graham 与 Kinney" in text.replace("\n", "")


@pytest.mark.slow
def test_list_pdf_level_cells_are_filled_in_their_colour(rendered):
    with pdfplumber.open(rendered / "list.pdf") as pdf:
        cells = [c for page in pdf.pages for c in _level_cells(page)]
    seen = set()
    for text, behind in cells:
        if behind:  # legend and chart labels stand on white, column titles on grey
            assert LEVEL_RGB[text] in behind, (text, behind)
            seen.add(text)
    assert seen == set(LEVEL_RGB)
    # the 清单 rows: 3 重大 cells in red, highest level first
    with pdfplumber.open(rendered / "list.pdf") as pdf:
        first = [c for c in _level_cells(pdf.pages[0]) if c[1]]
    assert [t for t, _ in first[:3]] == ["重大风险"] * 3
    assert all("E60012" in b for _, b in first[:3])


@pytest.mark.slow
def test_cards_one_page_a_point_in_its_colour(rendered):
    g = assess(EXAMPLE)
    with pdfplumber.open(rendered / "cards.pdf") as pdf:
        assert len(pdf.pages) == len(g.assessments) == 30
        page = pdf.pages[4]
        assert round(page.width) == 420 and round(page.height) == 595  # A5
        text = page.extract_text().replace("\n", "").replace(" ", "")  # titles are letter-spaced
        a = g.assessments[4]
        for part in (
            "岗位安全风险告知卡",
            a.point.name,
            "重大风险",
            "高处坠落",
            "登塔作业审批",
            "启动高处救援预案",
            "陈立军（台长）",
            "火警119",
            "台总值班室8000",
        ):
            assert part in text, part
        fills = {_rgb(r["non_stroking_color"]) for r in page.rects if r.get("fill")}
        assert "E60012" in fills
        low = pdf.pages[1]  # FS-02, 低风险
        assert "0068B7" in {_rgb(r["non_stroking_color"]) for r in low.rects if r.get("fill")}
        assert "E60012" not in {_rgb(r["non_stroking_color"]) for r in low.rects if r.get("fill")}
        first = pdf.pages[0].extract_text().replace("\n", "")
        assert "供电抢修 95598" in first  # the point's own number before the file's


@pytest.mark.slow
def test_cards_emergency_numbers_option_and_folder(run, tmp_path):
    points = ROOT / "tests" / "examples" / "risk-points" / "valid" / "points.yaml"
    result = run("risk", "cards", points, "-o", tmp_path / "cards", "--emergency-numbers", "火警 119；值班室 6666")
    assert result.exit_code == 0, result.output
    files = sorted(f.name for f in (tmp_path / "cards").glob("*.pdf"))
    assert files == ["KT-02.pdf", "PD-01.pdf", "TK-01.pdf"]
    with pdfplumber.open(tmp_path / "cards" / "TK-01.pdf") as pdf:
        text = pdf.pages[0].extract_text()
        assert len(pdf.pages) == 1 and round(pdf.pages[0].height) == 842  # A4
    assert "值班室 6666" in text and "急救 120" not in text


def test_cards_html(run, tmp_path):
    out = tmp_path / "cards.html"
    assert run("risk", "cards", EXAMPLE, "-o", out, "--emergency-numbers", "火警 119").exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert html.count('<section class="card a4">') == 30
    assert 'style="background: #E60012; color: #FFFFFF"' in html


def test_report_xlsx_level_cells_filled_and_text_stays_text(run, tmp_path):
    src = tmp_path / "points.yaml"
    src.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("name: 发射机高压部分", 'name: =HYPERLINK("http://x","发射机")'), encoding="utf-8"
    )
    out = tmp_path / "list.xlsx"
    result = run("risk", "report", src, "-o", out, "--format", "xlsx")
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    ws = book["风险分级管控清单"]
    header = [c.value for c in ws[1]]
    level_col = header.index("风险等级") + 1
    levels = []
    for row in ws.iter_rows(min_row=2):
        cell = row[level_col - 1]
        levels.append(cell.value)
        assert cell.fill.fgColor.rgb == "FF" + LEVEL_RGB[cell.value]
        assert row[0].fill.fgColor.rgb != "FF" + LEVEL_RGB[cell.value]  # only the level cell is coloured
    assert levels[:3] == ["重大风险"] * 3 and levels[-1] == "低风险" and len(levels) == 30
    injected = next(r for r in ws.iter_rows(min_row=2) if str(r[2].value).startswith("="))
    assert injected[2].data_type == "s"  # a formula-looking name is written as text
    stats = book["统计"]
    assert [c.value for c in stats[1]] == ["单位", "重大风险", "较大风险", "一般风险", "低风险", "合计"]
    assert [c.value for c in stats[stats.max_row]] == ["合计", 3, 6, 11, 10, 30]


def test_report_html_inline_colours_and_escaping(run, tmp_path):
    src = tmp_path / "points.yaml"
    src.write_text(EXAMPLE.read_text(encoding="utf-8").replace("name: 发射机高压部分", "name: <b>发射机</b>"), encoding="utf-8")
    out = tmp_path / "list.html"
    assert run("risk", "report", src, "-o", out, "--format", "html", "--org", "某台").exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "某台安全风险分级管控清单" in html
    assert '<td class="level" style="background: #E60012; color: #FFFFFF">重大风险</td>' in html
    assert "&lt;b&gt;发射机&lt;/b&gt;" in html and "<b>发射机" not in html
    assert "<svg" in html and 'fill="#F39800"' in html  # the chart by unit and level


@pytest.mark.slow
def test_missing_glyph_fails_and_writes_nothing(run, tmp_path):
    src = tmp_path / "points.yaml"
    src.write_text(EXAMPLE.read_text(encoding="utf-8").replace("name: 发射机高压部分", "name: 发射机\U000f0000"), encoding="utf-8")
    out = tmp_path / "cards.pdf"
    result = run("risk", "cards", src, "-o", out)
    assert result.exit_code == 1  # refused when the file is read, at its place
    assert "U+F0000" in result.output and "points.yaml:" in result.output and not out.exists()


def test_unwritable_output_is_an_io_failure(run, tmp_path):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = run("risk", "report", EXAMPLE, "-o", tmp_path / "taken" / "list.html", "--format", "html")
    assert result.exit_code == 74 and "无法写入" in result.output
    result = run("risk", "cards", EXAMPLE, "-o", tmp_path / "taken")
    assert result.exit_code == 2 and "请给出 .pdf 或 .html 文件，或每个风险点一份 PDF 的文件夹" in result.output
