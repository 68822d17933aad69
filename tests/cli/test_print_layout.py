"""Spreadsheets print as offices print them (issue 25, item 3): every XLSX the tool writes, opened
in LibreOffice and printed to PDF, is A4, one page wide (every column on the first page), with the
header row and the title on every page and 第X页 共Y页 at the foot — and no more pages than the
rows need."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from extras import pdfplumber
from paths import ROOT
from register_helpers import Register

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: ./run test installs it"),
]
A4 = (595, 842)  # points, portrait


def printed(xlsx_files, tmp_path):
    """Each workbook printed by LibreOffice headless: {stem: [page text, …]} and the page sizes."""
    out = tmp_path / "printed"
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, xlsx_files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pages = {}
    for f in xlsx_files:
        with pdfplumber.open(out / f"{f.stem}.pdf") as doc:
            pages[f.stem] = [(p.extract_text() or "", (round(p.width), round(p.height))) for p in doc.pages]
    return pages


@pytest.fixture
def workbooks(run, example, tmp_path):
    reg = Register(f"sqlite:///{tmp_path / 'r.db'}")
    assert reg("import", example).exit_code == 0
    books = {
        "ledger": tmp_path / "ledger.xlsx",
        "risk": tmp_path / "risk.xlsx",
        "duties": tmp_path / "duties.xlsx",
        "calendar": tmp_path / "calendar.xlsx",
        "summary": tmp_path / "screened" / "summary.xlsx",
        "hazards": tmp_path / "hazards.xlsx",
    }
    assert reg("list", "--format", "xlsx", "--today", "2026-12-01", "-o", books["hazards"]).exit_code == 0
    batch = ("audit", "batch", "--catalog", "bj-elderly-care-providers", "--kind", "home-care", "--date", "2026-11-20")
    assert run(*batch, "--facts", ROOT / "examples" / "providers" / "providers.csv", "-o", tmp_path / "screened").exit_code == 0
    assert reg("ledger", "--format", "xlsx", "--year", "2026", "-o", books["ledger"]).exit_code == 0
    points = ROOT / "examples" / "risk" / "transmitting-station.yaml"
    assert run("risk", "report", points, "--format", "xlsx", "-o", books["risk"]).exit_code == 0
    assert run("duties", "--catalog", "bj-rtv-3g3b", "--unit", "科技处", "--format", "xlsx", "-o", books["duties"]).exit_code == 0
    cal = ("calendar", "--catalog", "bj-rtv-3g3b", "--unit", "科技处", "--from", "2026-01-01", "--to", "2026-12-31")
    assert run(*cal, "--format", "xlsx", "-o", books["calendar"]).exit_code == 0
    return books


def test_every_workbook_prints_one_page_wide_with_its_header_on_every_page(workbooks, tmp_path):
    from openpyxl import load_workbook

    pages = printed(list(workbooks.values()), tmp_path)
    limits = {"ledger": 1, "risk": 4, "duties": 4, "calendar": 8, "summary": 6, "hazards": 1}  # pages the rows need, one page wide
    for name, path in workbooks.items():
        sheets = load_workbook(path).worksheets
        printed_pages = [p for p in pages[name] if p[1] in (A4, A4[::-1])]
        assert len(printed_pages) == len(pages[name]), f"{name}: not every page is A4: {[p[1] for p in pages[name]]}"
        assert len(sheets) <= len(pages[name]) <= limits[name], f"{name}: {len(pages[name])} pages"
        seen = set()
        for text, size in pages[name]:
            flat = text.replace("\n", "").replace(" ", "")
            heads = [ws for ws in sheets if ws.oddHeader.center.text.replace(" ", "") in flat]  # the sheet's title heads its pages
            ws = max(heads, key=lambda ws: len(ws.oddHeader.center.text))
            seen.add(ws.title)
            missing = [str(c.value) for c in ws[1] if str(c.value).replace(" ", "") not in flat]
            assert not missing, f"{name}[{ws.title}]: columns not on the page: {missing}"
            assert "页共" in flat and f"共{len(pages[name])}页" in flat, f"{name}: no 第X页 共Y页 footer"
            assert (size[0] > size[1]) == (ws.page_setup.orientation == "landscape"), f"{name}[{ws.title}]"
        assert seen == {ws.title for ws in sheets}, name


def test_the_ledger_prints_its_title_and_the_risk_list_its_level_colours(workbooks, tmp_path):
    from openpyxl import load_workbook

    ws = load_workbook(workbooks["ledger"]).worksheets[0]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows.replace("$", "") == "1:1"
    risk = load_workbook(workbooks["risk"]).worksheets[0]
    assert risk.sheet_properties.pageSetUpPr.fitToPage and risk.page_setup.fitToWidth == 1 and risk.page_setup.fitToHeight == 0
