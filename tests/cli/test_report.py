"""`checklist report`: the PDF's content read back from the file, the other formats, and the
guarantees: no missing glyphs, nothing fetched from outside the audit's folder."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest
from audit_helpers import EVENT, example_audit
from extras import pdfplumber, pypdf
from paths import ROOT

EXAMPLE = ROOT / "examples" / "tech-2026q4.yaml"


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def distinct_images(reader: pypdf.PdfReader) -> set[bytes]:
    """Images drawn in the PDF (pages share one resource dictionary, so count each image once)."""
    return {hashlib.sha256(img.data).digest() for page in reader.pages for img in page.images}


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory):
    from click.testing import CliRunner

    from checklist.cli import cli

    out = tmp_path_factory.mktemp("pdf") / "report.pdf"
    result = CliRunner().invoke(cli, ["report", str(EXAMPLE), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def example_copy(tmp_path):
    """The example audit and its photo in a folder of the test's own."""
    return example_audit(tmp_path / "ex")


@pytest.mark.slow
def test_pdf_is_a4_with_cover_and_page_footer(example_pdf):
    reader = pypdf.PdfReader(example_pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    pages = pdf_text(example_pdf)
    cover = squeeze(pages[0])
    for text in [
        "2026年第四季度安全生产检查报告",
        "被检查单位科技处(公共服务处)",
        "2026年11月20日",
        "张三、李四",
        "《北京市广电局“三管三必须”实施细则(试行)》",
        "京广发〔2026〕11号",
    ]:
        assert squeeze(text) in cover, text
    assert "检查单位北京市广播电视局" in cover  # no --inspecting-body: the catalog's issuer
    assert "第1页" not in cover and "页共" not in cover  # the cover carries no page number
    for n, page in enumerate(pages[1:], 2):
        assert f"第{n}页共{len(pages)}页" in squeeze(page)


@pytest.mark.slow
def test_pdf_footer_carries_the_audit_fingerprint(example_pdf):
    digest = hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    pages = pdf_text(example_pdf)
    assert all(digest in squeeze(p) for p in pages)


@pytest.mark.slow
def test_pdf_has_summary_checks_and_clause_text(example_pdf):
    text = squeeze("".join(pdf_text(example_pdf)))
    assert "符合率" in text and "95.7%" in text
    assert "按章节统计" in text
    assert squeeze("歌华有线管辖的北京市有线电视线缆、杆塔、窨井(有限空间)的安全生产工作") in text
    assert "第二十一条第2项" in text
    assert "不适用理由：2026年第四季度本处室未牵头主（承）办大型活动。" in text
    assert "签字确认" in text and "检查人员（签字）" in text and "被检查单位负责人（签字）" in text


@pytest.mark.slow
def test_pdf_findings_major_first(example_pdf):
    text = squeeze("".join(pdf_text(example_pdf)))
    findings = text[text.index("三、发现问题及整改要求") :]
    assert findings.index("重大事故隐患") < findings.index("一般隐患")
    assert "立即设置围挡和警示标志" in findings and "2026-11-27" in findings
    assert "补开季度安全生产形势分析会" in findings and "2026-12-15" in findings


@pytest.mark.slow
def test_pdf_table_cells_and_repeated_header(example_pdf):
    with pdfplumber.open(example_pdf) as pdf:
        rows = [row for page in pdf.pages[1:] for table in page.extract_tables() for row in table]
        headers = [p for p in pdf.pages[1:] if any(t and t[0][:2] == ["序号", "条款"] for t in p.extract_tables())]
    row = next(r for r in rows if r[1] and "第二十一条第2" in r[1].replace("\n", ""))
    assert row[3] == "不符合"
    assert len(headers) >= 3  # the table header is repeated on every page the table runs over


@pytest.mark.slow
def test_pdf_embeds_the_photo_and_the_pinned_font(example_pdf):
    reader = pypdf.PdfReader(example_pdf)
    assert len(distinct_images(reader)) == 1
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all(re.match(r"^/[A-Z]{6}\+Noto-Sans-CJK-SC", f) for f in fonts), fonts  # subset, pinned


def test_default_output_is_reports_folder(run, example_copy, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = run("report", example_copy, "--format", "json")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "tech-2026q4.json").is_file()


def test_json_and_csv(run, tmp_path):
    assert run("report", EXAMPLE, "--format", "json", "-o", tmp_path / "r.json").exit_code == 0
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["status"]["counts"] == {"pass": 44, "fail": 2, "na": 4, "unchecked": 7}
    assert data["fingerprint"]["sha256"] == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    assert data["findings"] == ["A21-2-a", "A26-a"]
    assert run("report", EXAMPLE, "--format", "csv", "-o", tmp_path / "r.csv").exit_code == 0
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:5] == ["序号", "条款", "章节", "检查内容", "结果"]
    assert len(rows) == 58
    fail = next(r for r in rows if r[1] == "第二十一条第2项")
    assert fail[4] == "不符合" and fail[8] == "重大事故隐患" and fail[11] == "2026-11-27"


def test_html_is_standalone_and_escaped(run, example_copy, tmp_path):
    text = example_copy.read_text(encoding="utf-8").replace(
        "note: 查阅2026年监督检查记录12份。", "note: '<img src=\"file:///etc/passwd\"><script>alert(1)</script>'"
    )
    example_copy.write_text(text, encoding="utf-8")
    out = tmp_path / "r.html"
    assert run("report", example_copy, "--format", "html", "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;&lt;script&gt;" in html
    assert "<script>" not in html and '<link rel="stylesheet"' not in html  # CSS inlined
    assert 'src="evidence/manhole-cover.jpg"' not in html  # relative to the output file, not the audit
    assert re.search(r'src="[^"]*ex/evidence/manhole-cover.jpg"', html)


@pytest.mark.slow
def test_markup_in_a_note_prints_as_text(run, example_copy, tmp_path):
    text = example_copy.read_text(encoding="utf-8").replace(
        "note: 查阅2026年监督检查记录12份。", "note: '<img src=\"file:///etc/passwd\">'"
    )
    example_copy.write_text(text, encoding="utf-8")
    out = tmp_path / "r.pdf"
    result = run("report", example_copy, "-o", out)
    assert result.exit_code == 0, result.output
    assert '<imgsrc="file:///etc/passwd">' in squeeze("".join(pdf_text(out)))
    assert len(distinct_images(pypdf.PdfReader(out))) == 1  # only the real photo


@pytest.mark.parametrize(
    "evidence, message",
    [
        ("../../secret.jpg", "超出了检查记录所在的文件夹"),
        ("/etc/passwd", "是绝对路径"),
        ("http://example.com/x.jpg", "是网址"),
    ],
)
def test_evidence_outside_the_folder_is_refused(run, example_copy, tmp_path, evidence, message):
    (tmp_path / "secret.jpg").write_bytes((ROOT / "examples" / "evidence" / "manhole-cover.jpg").read_bytes())
    text = example_copy.read_text(encoding="utf-8").replace("evidence/manhole-cover.jpg", evidence)
    example_copy.write_text(text, encoding="utf-8")
    out = tmp_path / "r.pdf"
    result = run("report", example_copy, "-o", out)
    assert result.exit_code == 1
    assert message in result.output and f"{example_copy}:" in result.output
    assert not out.exists()


def test_symlink_out_of_the_folder_is_refused(run, example_copy, tmp_path):
    link = example_copy.parent / "evidence" / "link.jpg"
    link.symlink_to(tmp_path.parent)
    text = example_copy.read_text(encoding="utf-8").replace("evidence/manhole-cover.jpg", "evidence/link.jpg")
    example_copy.write_text(text, encoding="utf-8")
    result = run("report", example_copy, "-o", tmp_path / "r.pdf")
    assert result.exit_code == 1 and "超出了检查记录所在的文件夹" in result.output


@pytest.mark.slow
def test_missing_glyph_fails_and_writes_nothing(run, example_copy, tmp_path):
    text = example_copy.read_text(encoding="utf-8").replace("note: 查阅2026年监督检查记录12份。", "note: 记录\U000f0000齐全")
    example_copy.write_text(text, encoding="utf-8")
    out = tmp_path / "r.pdf"
    result = run("report", example_copy, "-o", out)
    assert result.exit_code == 1  # refused when the audit is read, at its place: the render never starts
    assert "U+F0000" in result.output and "无法打印" in result.output and f"{example_copy}:" in result.output
    assert not out.exists()


def test_restricted_fetcher_serves_only_allowed_files(tmp_path):
    from checklist.outputs.pdf import RestrictedFetcher

    allowed = tmp_path / "audit"
    allowed.mkdir()
    (allowed / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    fetcher = RestrictedFetcher([allowed])
    assert fetcher.fetch((allowed / "ok.png").as_uri()).read() == b"\x89PNG\r\n\x1a\n"
    for url in [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/",
        (allowed / ".." / "x").as_uri(),
        "data:text/plain,hi",
        "file://otherhost/etc/passwd",
    ]:
        with pytest.raises(ValueError, match="拒绝读取"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def test_missing_font_is_reported_before_rendering(monkeypatch):
    from checklist.errors import RenderError
    from checklist.outputs import pdf

    with pytest.raises(RenderError, match="apt-get install fonts-noto-cjk"):
        pdf.check_font.__wrapped__("No Such Font CJK XYZ")


@pytest.mark.slow
def test_several_audits_render_in_parallel(run, example_copy, tmp_path):
    second = example_copy.with_name("second.yaml")
    second.write_text(example_copy.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    result = run("report", example_copy, second, "-o", out, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["second.pdf", "tech-2026q4.pdf"]
    assert squeeze("科技处(公共服务处)") in squeeze(pdf_text(out / "second.pdf")[0])


def test_one_bad_audit_does_not_stop_the_others(run, example_copy, tmp_path):
    bad = example_copy.with_name("bad.yaml")
    bad.write_text("target: {name: x}\nchecks: []\n", encoding="utf-8")
    result = run("report", bad, example_copy, "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 1
    assert (tmp_path / "out" / "tech-2026q4.json").is_file()
    assert f"{bad}:1:1:" in result.output


# --- reading right: chart, signatures, owners, the inspecting body -----------------------------------


@pytest.mark.slow
def test_chart_labels_are_never_under_a_bar_and_full_names_are_in_the_table(example_pdf):
    with pdfplumber.open(example_pdf) as pdf:
        page = pdf.pages[1]
        text = squeeze(page.extract_text())
        chart_top = next(w["bottom"] for w in page.extract_words() if w["text"] == "按章节统计")
        legend = min(w["top"] for w in page.extract_words() if w["text"].startswith("符合") and w["top"] > chart_top)
        bars = [r for r in page.rects if chart_top < r["top"] < legend and r["width"] < page.width * 0.9]
        labels = [c for c in page.chars if chart_top < c["top"] < legend and not c["text"].isdigit()]
    assert bars and labels
    hidden = [
        c["text"]
        for c in labels
        for r in bars
        if c["x0"] < r["x1"] and c["x1"] > r["x0"] and c["top"] < r["bottom"] and c["bottom"] > r["top"]
    ]
    assert hidden == []
    assert text.count("第六章督促生产经营单位落实安全生产主体责任工作措施") == 2  # the chart's label and the table's row


@pytest.mark.slow
def test_signature_block_has_a_line_for_the_units_principal_not_the_units_name(example_pdf):
    last = squeeze(pdf_text(example_pdf)[-1])
    signed = last[last.index("被检查单位负责人（签字）：") :]
    assert signed.startswith("被检查单位负责人（签字）：日期：")


@pytest.mark.slow
def test_owner_is_not_broken_inside_a_name(example_pdf):
    with pdfplumber.open(example_pdf) as pdf:
        rows = [r for page in pdf.pages for t in page.extract_tables() if t and t[0][5:6] == ["责任人"] for r in t[1:]]
    assert [r[5] for r in rows] == ["科技处王五", "科技处赵六"]  # one line each: no break inside 王五


def test_inspecting_body_from_audit_new_and_from_report(run, new_audit, tmp_path):
    audit = new_audit(tmp_path / "a.yaml", *EVENT, "--inspecting-body", "北京市广播电视局安全监管办公室")
    assert "inspecting_body: 北京市广播电视局安全监管办公室" in audit.read_text(encoding="utf-8")
    assert run("validate", audit).exit_code == 0
    out = tmp_path / "a.pdf"
    assert run("report", audit, "-o", out).exit_code == 0
    assert "检查单位北京市广播电视局安全监管办公室" in squeeze(pdf_text(out)[0])
    result = run("report", audit, "-o", tmp_path / "a.json", "--format", "json", "--inspecting-body", "市广电局第二检查组")
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["inspecting_body"] == "市广电局第二检查组", result.output


def test_progress_words_and_blank_lines_stay_off_a_stderr_that_is_not_a_terminal(run, example_copy, tmp_path):
    second = example_copy.with_name("second.yaml")
    second.write_text(example_copy.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("report", example_copy, second, "-o", tmp_path / "out", "--format", "json")
    assert result.exit_code == 0
    assert "rendering" not in result.stderr and result.stderr.strip("\n") == result.stderr
    assert sorted(result.stdout.splitlines()) == [str(tmp_path / "out" / "second.json"), str(tmp_path / "out" / "tech-2026q4.json")]
