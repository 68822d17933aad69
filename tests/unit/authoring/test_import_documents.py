"""Documents as they are published — web pages, Word files, PDFs, Markdown — made here with known
items and units, in each shape the importer reads; and the honesty checks every layout gets."""

from __future__ import annotations

import json

import pytest

import checklist.outputs.validation  # noqa: F401  (registers the catalog cross-checks `valid` runs)
from checklist.authoring.document import render
from checklist.authoring.draft_yaml import draft_yaml
from checklist.authoring.duties import parse
from checklist.authoring.import_report import import_document
from checklist.authoring.readers import read_document
from checklist.errors import UnfitTextError
from checklist.files.kinds import KINDS, problems_of
from checklist.files.loader import load, loads


def valid(text: str) -> list:
    return problems_of(loads(text, "draft.yaml"), KINDS["catalog"])


def imported(path, layout: str = "auto"):
    rendered = render(read_document(str(path)))
    return import_document(rendered.text, layout, rendered=rendered)


def who(draft, cid: str) -> list[str]:
    """A clause's units by name, supporting ones marked +."""
    names = {u["id"]: u["name"] for u in draft.catalog["units"]}
    clause = next(c for c in draft.catalog["clauses"] if c["id"] == cid)
    return [names[r] if isinstance(r, str) else "+" + names[r["unit"]] for r in clause.get("responsible", ())]


def clause(draft, cid: str) -> dict:
    return next(c for c in draft.catalog["clauses"] if c["id"] == cid)


# --- tables in web pages -------------------------------------------------------------------------

# (header cells, whether the third column leads all or lists units the first of which leads)
HEADERS = [
    (("序号", "工作任务", "牵头单位", "配合单位", "完成时限"), "lead"),
    (("序号", "改革举措", "牵头部门", "参与单位", "时间节点"), "lead"),
    (("序号", "主要任务", "主责部门", "协办单位", "完成时间"), "lead"),
    (("编号", "事项", "指导部门", "配合部门", "完成时限"), "lead"),
]


def task_page(header: tuple[str, ...], charset: str = "utf-8") -> bytes:
    cells = "".join(f"<th>{h}</th>" for h in header)
    page = f"""<html><head><meta charset="{charset}"><title>t</title><script>var menu = "一、不是正文";</script>
<style>td {{ color: black }}</style></head><body>
<nav><ul><li>首页</li><li>政策文件</li></ul></nav>
<div role="navigation">当前位置：首页 &gt; 政策</div>
<p>关于印发《测试工作任务分工方案》的通知</p>
<p>各区人民政府：</p>
<table border="1">
<tr>{cells}</tr>
<tr><td colspan="5">一、加强组织领导</td></tr>
<tr><td>1</td><td>建立工作专班，统筹推进。</td><td rowspan="2">市发展改革委</td><td>市财政局、市人力资源社会保障局</td><td>2026年6月</td></tr>
<tr><td>2</td><td>制定年度工作计划。</td><td>各区政府</td><td>每年3月</td></tr>
<tr><td colspan="5">二、强化保障</td></tr>
<tr><td>3</td><td>落实经费保障。</td><td>市财政局</td><td></td><td>持续推进</td></tr>
</table>
<footer>网站地图 | 联系我们</footer></body></html>"""
    return page.encode(charset)


@pytest.mark.parametrize("header, _role", HEADERS)
def test_a_web_page_table_is_read_by_its_header_with_groups_and_merged_cells(tmp_path, header, _role):
    page = tmp_path / "page.html"
    page.write_bytes(task_page(header))
    draft, report = imported(page)
    assert report.layout == "table" and (report.items, report.complete) == (3, 3)
    one, _two, three = draft.catalog["clauses"]
    assert one["fields"][header[1]] == "建立工作专班，统筹推进。" and one["fields"][header[4]] == "2026年6月"
    assert (one["chapter"], three["chapter"]) == ("一、加强组织领导", "二、强化保障")  # group rows as chapters
    assert who(draft, "S1") == ["市发展改革委", "+市财政局", "+市人力资源社会保障局"]
    assert who(draft, "S2") == ["市发展改革委", "+各区政府"]  # the lead cell merged down over two rows
    assert who(draft, "S3") == ["市财政局"]
    assert one["source_place"] == {"kind": "table", "table": 1, "row": 3}
    text = render(read_document(str(page))).text
    assert "首页" not in text and "不是正文" not in text and "网站地图" not in text and "当前位置" not in text
    assert draft.catalog["title"] == "测试工作任务分工方案"
    assert valid(draft_yaml(draft)) == []


def test_a_page_in_gbk_is_read_by_its_declared_charset(tmp_path):
    page = tmp_path / "gbk.htm"
    page.write_bytes(task_page(HEADERS[0][0], "gbk"))
    draft, report = imported(page)
    assert report.items == 3 and clause(draft, "S3")["fields"]["工作任务"] == "落实经费保障。"


def test_unknown_column_names_are_accepted_when_numbered_rows_follow(tmp_path):
    page = tmp_path / "own.html"
    page.write_text(
        "<table><tr><td>序</td><td>举措名称</td><td>具体做法</td></tr>"
        "<tr><td>1</td><td>甲举措</td><td>做法一。</td></tr><tr><td>2</td><td>乙举措</td><td>做法二。</td></tr></table>",
        encoding="utf-8",
    )
    draft, _report = imported(page, "table")
    assert [c["fields"] for c in draft.catalog["clauses"]] == [
        {"举措名称": "甲举措", "具体做法": "做法一。"},
        {"举措名称": "乙举措", "具体做法": "做法二。"},
    ]


def test_a_table_that_breaks_says_where_it_stopped_and_what_follows(tmp_path):
    rows = "".join(f"<tr><td>{n}</td><td>任务{n}。</td><td>市财政局</td></tr>" for n in (1, 2, 3, 1, 2, 9))
    page = tmp_path / "broken.html"
    page.write_text(f"<table><tr><th>序号</th><th>工作任务</th><th>责任单位</th></tr>{rows}</table>", encoding="utf-8")
    _draft, report = imported(page, "table")
    assert report.items == 3
    [stop] = [f for f in report.findings if f.kind == "gap"]
    assert stop.message.startswith("在第 3 项处停止；编号 1, 2, 9 出现在后文（表 1 第 5 行）")
    assert len(report.unplaced) == 3  # the rows after the break are listed, not dropped


def test_a_row_without_a_number_continues_the_item_above(tmp_path):
    page = tmp_path / "cont.html"
    page.write_text(
        "<table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>完成时限</th></tr>"
        "<tr><td>1</td><td>第一段。</td><td>市教委</td><td>2026年</td></tr>"
        "<tr><td></td><td>第二段。</td><td></td><td></td></tr>"
        "<tr><td>2</td><td>另一项。</td><td>市财政局</td><td>2027年</td></tr></table>",
        encoding="utf-8",
    )
    draft, _ = imported(page, "table")
    assert clause(draft, "S1")["fields"]["工作任务"] == "第一段。\n第二段。"
    assert clause(draft, "S1")["source_place"] == {"kind": "table", "table": 1, "row": 2, "to": 3}


# --- units at the end of an item ------------------------------------------------------------------

ENDINGS = [
    ("市发展改革委负责", ["市发展改革委"], []),
    ("市财政局、市教委负责", ["市财政局", "市教委"], []),
    ("市财政局会同市发展改革委负责", ["市财政局"], ["市发展改革委"]),
    ("市政务服务局牵头，各区政府配合", ["市政务服务局"], ["各区政府"]),
    ("市卫生健康委牵头，市医保局、市中医局参与", ["市卫生健康委"], ["市医保局", "市中医局"]),
    ("国家发展改革委牵头，其他有关部门按职责分工负责", ["国家发展改革委"], []),
    ("牵头单位：市委宣传部；配合单位：市广电局、市网信办", ["市委宣传部"], ["市广电局", "市网信办"]),
    ("责任单位：市政府督查室、市发展改革委", ["市政府督查室"], ["市发展改革委"]),
    ("各区人民政府按职责分工负责", ["各区人民政府"], []),
]


@pytest.mark.parametrize("inner, leads, supports", ENDINGS)
def test_unit_endings_keep_lead_and_supporting_units_apart(inner, leads, supports):
    duty = parse(inner)
    assert duty is not None and (duty.leads, duty.supports) == (leads, supports)


@pytest.mark.parametrize("inner", ["2026年底前完成", "详见附件1", "由个人负责", "含县城", "以下简称《规划》"])
def test_brackets_that_name_no_unit_are_no_unit_ending(inner):
    assert parse(inner) is None


@pytest.mark.parametrize("bracket", ["（）", "()"])
@pytest.mark.parametrize("numbering", ["一、", "（一）", "1.", "1、"])
def test_thirty_measures_each_ending_in_its_units(numbering, bracket):
    from checklist.model.refs import to_chinese

    def number(n: int) -> str:
        return {"一、": f"{to_chinese(n)}、", "（一）": f"（{to_chinese(n)}）", "1.": f"{n}.", "1、": f"{n}、"}[numbering]

    units = ["市发展改革委", "市财政局、市教委", "市财政局会同市发展改革委", "市政务服务局牵头，各区政府配合"]
    lines = ["关于印发《测试若干措施》的通知", "为推动工作，制定以下措施。"]
    for n in range(1, 31):
        u = units[n % 4] + ("" if "配合" in units[n % 4] else "负责")
        lines.append(f"{number(n)}第{n}项措施的内容，\n要求落实到位。{bracket[0]}{u}{bracket[1]}")
    draft, report = import_document("\n".join(lines))
    assert report.layout == "duty-units" and (report.items, report.complete) == (30, 30)
    assert report.blocking == []
    texts = [c["text"] for c in draft.catalog["clauses"]]
    assert texts[0] == "第1项措施的内容，要求落实到位。"
    ids = [c["id"] for c in draft.catalog["clauses"]]
    assert who(draft, ids[0]) == ["市财政局", "市教委"]  # both lead: no rule stated
    assert who(draft, ids[1]) == ["市财政局", "+市发展改革委"]
    assert who(draft, ids[2]) == ["市政务服务局", "+各区政府"]
    assert who(draft, ids[3]) == ["市发展改革委"]


def test_a_stated_rule_makes_the_first_unit_lead_from_then_on():
    text = "\n".join(
        [
            "一、总体要求",
            "（一）明确目标。到2027年基本建成。（市发展改革委、市财政局负责）",
            "（二）坚持原则。统筹推进。（市人力资源社会保障局、市教委负责，排在第一位的为牵头单位，下同）",
            "二、重点任务",
            "（三）推进改革。深化改革。（市委编办、市司法局负责）",
        ]
    )
    draft, _report = import_document(text)
    assert who(draft, "M1") == ["市发展改革委", "市财政局"]  # before the rule: both lead
    assert who(draft, "M2") == ["市人力资源社会保障局", "+市教委"]
    assert who(draft, "M3") == ["市委编办", "+市司法局"]
    assert clause(draft, "M3")["chapter"] == "二、重点任务"  # the unit ending closed M2: the heading is not glued on


# --- numbering --------------------------------------------------------------------------------------

ARTICLES = """第一章 总则
第一条 为了测试，制定本办法。
第二条 本办法适用于下列单位：
（一）甲单位；
（二）乙单位，包括：
1. 丙部门；
2. 丁部门。
（三）戊单位。
前款所列单位应当遵守本办法。
第二章 附则
第三条 本办法自发布之日起施行。
"""


def test_articles_items_sub_items_and_a_closing_paragraph_that_stays_with_its_article():
    draft, report = import_document(ARTICLES)
    assert report.layout == "articles"
    refs = [(c["id"], c["ref"]) for c in draft.catalog["clauses"]]
    assert refs == [
        ("A1", "第一条"),
        ("A2", "第二条"),
        ("A2-1", "第二条第（一）项"),
        ("A2-2", "第二条第（二）项"),
        ("A2-2-1", "第二条第（二）项第1目"),
        ("A2-2-2", "第二条第（二）项第2目"),
        ("A2-3", "第二条第（三）项"),
        ("A3", "第三条"),
    ]
    assert clause(draft, "A2")["text"] == "本办法适用于下列单位：\n前款所列单位应当遵守本办法。"
    assert clause(draft, "A2-3")["text"] == "戊单位。"


@pytest.mark.parametrize("marks", ["#", "##", "###"])
def test_markdown_chapters_and_articles_after_hashes(tmp_path, marks):
    md = tmp_path / "rules.md"
    md.write_text(
        f"# 测试条例\n\n{marks} 第一章 总则\n\n**第一条** 为了测试，\n制定本条例。\n\n{marks} 第二章 附则\n\n第二条 本条例自公布之日起施行。\n",
        encoding="utf-8",
    )
    draft, report = imported(md)
    assert report.layout == "articles"
    assert [(c["ref"], c["chapter"], c["text"]) for c in draft.catalog["clauses"]] == [
        ("第一条", "第一章 总则", "为了测试，制定本条例。"),
        ("第二条", "第二章 附则", "本条例自公布之日起施行。"),
    ]
    assert clause(draft, "A1")["source_place"] == {"kind": "lines", "from": 5, "to": 6}


# --- Word files ---------------------------------------------------------------------------------------


def word_file(path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("测试管理办法", level=1)
    d.add_heading("第一章 总则", level=2)
    d.add_paragraph("第一条 为了测试，制定本办法。")
    d.add_paragraph("第二条 各单位应当：")
    d.add_paragraph("建立制度；", style="List Number")  # numbered by Word: the text has no number
    d.add_paragraph("落实责任。", style="List Number")
    rows = [("序号", "工作任务", "牵头单位", "配合单位"), ("一、加强领导", "", "", ""), ("1", "建立专班。", "市发展改革委", "市财政局")]
    rows += [("2", "制定计划。", "", "各区政府"), ("3", "落实经费。", "市财政局", "")]
    table = d.add_table(rows=len(rows), cols=4)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    table.cell(1, 0).merge(table.cell(1, 3)).text = "一、加强领导"  # a group row across the table
    table.cell(2, 2).merge(table.cell(3, 2))  # 市发展改革委 leads items 1 and 2
    d.save(str(path))


def test_a_word_file_numbering_headings_and_merged_cells(tmp_path):
    path = tmp_path / "rules.docx"
    word_file(path)
    draft, report = imported(path, "articles")
    assert [(c["id"], c["text"]) for c in draft.catalog["clauses"]] == [
        ("A1", "为了测试，制定本办法。"),
        ("A2", "各单位应当："),
        ("A2-1", "建立制度；"),
        ("A2-2", "落实责任。"),
    ]
    assert clause(draft, "A2-1")["source_place"] == {"kind": "paragraphs", "from": 5, "to": 5}
    draft, report = imported(path, "table")
    assert (report.items, report.complete) == (3, 3)
    assert who(draft, "S2") == ["市发展改革委", "+各区政府"] and clause(draft, "S2")["chapter"] == "一、加强领导"


# --- PDFs ---------------------------------------------------------------------------------------------

PDF_ROWS = [
    ("1", "孕前检查", "准备怀孕的居民", "提供检查服务。", "市卫生健康委"),
    ("2", "生活补助", "寄宿学生", "每生每年3000元，由区级财政承担，具体标准由各区结合实际确定。", "市教委、市财政局"),
    ("3", "学前资助", "在园幼儿", "减免保育费。", "市教委"),
]


def pdf_of(path, border: bool) -> None:
    import weasyprint

    css = "table{border-collapse:collapse} td,th{padding:3px 6px;" + ("border:1px solid black;" if border else "") + "}"
    css += "body{font-family:'Noto Sans CJK SC';font-size:10pt}"
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in PDF_ROWS)
    html = (
        f"<html><head><style>{css}</style></head><body><p>关于印发《测试服务标准》的通知</p><p>各区人民政府：</p>"
        "<table><tr><th>序号</th><th>服务项目</th><th>服务对象</th><th>服务内容</th><th>牵头负责单位</th></tr>"
        f"<tr><td colspan=5>一、幼有所育</td></tr>{rows}</table><p>本标准自印发之日起施行。</p></body></html>"
    )
    weasyprint.HTML(string=html).write_pdf(str(path))


@pytest.mark.parametrize("border", [True, False], ids=["ruled", "by word positions"])
def test_a_pdf_table_with_and_without_ruling_lines(tmp_path, border):
    path = tmp_path / "standard.pdf"
    pdf_of(path, border)
    draft, report = imported(path)
    assert report.layout == "table" and (report.items, report.complete) == (3, 3)
    for c, (_, name, target, content, _units) in zip(draft.catalog["clauses"], PDF_ROWS, strict=True):
        assert (c["heading"], c["fields"]["服务对象"], c["fields"]["服务内容"], c["chapter"]) == (name, target, content, "一、幼有所育")
    assert who(draft, "S2") == ["市教委", "市财政局"]  # 牵头负责单位: every unit leads
    assert clause(draft, "S1")["source_place"]["page"] == 1
    assert draft.catalog["title"] == "测试服务标准"


def test_an_unreadable_document_is_refused_naming_the_file(run, tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    result = run("import", bad, "-o", tmp_path / "d.yaml")
    assert result.exit_code == 2 and "无法按" in result.output and "bad.docx" in result.output


# --- honest by construction ----------------------------------------------------------------------------


def test_a_giant_clause_is_blocked_in_the_fields_layout_however_few_its_siblings(run, tmp_path):
    stacked = "\n".join(["1.第一项", "服务对象：居民。"] + [f"第{n}格的文字，" for n in range(1, 800)] + ["2.第二项", "服务对象：学生。"])
    src = tmp_path / "stacked.txt"
    src.write_text(stacked, encoding="utf-8")
    result = run("import", src, "--layout", "fields", "-o", tmp_path / "d.yaml")
    assert result.exit_code == 1 and "过长" in result.output and not (tmp_path / "d.yaml").exists()


def test_numbers_repeated_or_out_of_order_are_flagged():
    text = "第一条 甲。\n第二条 乙。\n第二条 丙。\n第五条 丁。\n第六条 戊。"
    _, report = import_document(text, "articles")
    kinds = {(f.clause, f.kind) for f in report.findings}
    assert kinds == {("A2.2", "number repeated"), ("A5", "numbers out of order")}
    assert all(f.blocking for f in report.findings)


def test_a_heading_glued_to_the_end_of_an_item_is_flagged():
    text = "第一条 本办法的目的。二、保障措施\n第二条 乙。"
    _, report = import_document(text, "articles")
    [glued] = report.findings
    assert glued.kind == "heading glued to an item" and glued.clause == "A1" and glued.blocking


def test_units_that_do_not_read_as_unit_names_make_an_item_incomplete(tmp_path):
    page = tmp_path / "odd.html"
    page.write_text(
        "<table><tr><th>序号</th><th>工作任务</th><th>牵头单位</th></tr>"
        "<tr><td>1</td><td>甲。</td><td>市教委</td></tr>"
        "<tr><td>2</td><td>乙。</td><td>按照有关规定，由各地结合实际确定具体办法并组织实施</td></tr></table>",
        encoding="utf-8",
    )
    _, report = imported(page, "table")
    assert report.complete == 1 and [f.clause for f in report.findings if f.kind == "units unlike unit names"] == ["S2"]


def test_auto_never_accepts_a_layout_of_headings():
    text = "\n".join(f"第{n}条 标题{n}" for n in "一二三四五六")
    with pytest.raises(UnfitTextError):
        import_document(text)


def test_a_cell_stacked_table_is_read_as_a_table_or_refused(run, tmp_path):
    lines = ["序号", "服务项目", "服务对象", "服务内容", "牵头负责单位"]
    for n in range(1, 6):
        lines += [str(n), f"项目{n}", "", f"对象{n}的", "说明", "", f"提供第{n}项", "服务的内容。", "", "市卫生健康委"]
    src = tmp_path / "stacked.txt"
    src.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "d.yaml"
    result = run("import", src, "-o", out, "--format", "json")
    report = json.loads(result.stdout) if result.exit_code == 0 else None
    if report is None:
        assert result.exit_code == 1 and not out.exists()
        return
    assert report["layout"] == "table" and report["items"]["found"] == 5
    assert all(len(c.get("text", "")) < 200 for c in load(out).data["clauses"])


def test_an_id_the_schema_refuses_is_a_usage_error_naming_the_option(run, tmp_path):
    src = tmp_path / "t.txt"
    src.write_text("第一条 条文。\n第二条 条文。", encoding="utf-8")
    result = run("import", src, "--id", "docB", "-o", tmp_path / "d.yaml")
    assert result.exit_code == 2 and "--id" in result.output and "no layout fits" not in result.output


@pytest.mark.parametrize("border", [True, False], ids=["ruled", "by word positions"])
def test_a_pdf_table_over_several_pages_loses_no_item_silently(tmp_path, border):
    import weasyprint

    css = "table{border-collapse:collapse} td,th{padding:3px 6px;" + ("border:1px solid black;" if border else "") + "}"
    css += "body{font-family:'Noto Sans CJK SC';font-size:10pt} @page{size:A5; @bottom-center{content: counter(page)}}"
    rows = "".join(
        f"<tr><td>{n}</td><td>任务{n}的名称</td><td>对象{n}</td><td>第{n}项服务的内容。</td><td>市教委</td></tr>" for n in range(1, 41)
    )
    head = "<tr><th>序号</th><th>服务项目</th><th>服务对象</th><th>服务内容</th><th>牵头单位</th></tr>"
    html = f"<html><head><style>{css}</style></head><body><p>说明。</p><table><thead>{head}</thead>{rows}</table><p>完。</p></body></html>"
    path = tmp_path / "long.pdf"
    weasyprint.HTML(string=html).write_pdf(str(path))
    draft, report = imported(path)
    numbers = {int(c["id"][1:]) for c in draft.catalog["clauses"]}
    gaps = [f.message for f in report.findings if f.kind == "gap"]
    missing = {n for n in range(1, 41) if n not in numbers}
    assert all(any(f"缺少第 {n} 项" in g for g in gaps) for n in missing)  # a row a page break cut is reported
    assert len(numbers) >= 39 and report.noise.get("page number")
    marked = {f.clause for f in report.findings if f.clause}  # a row a page break cut: its item marked, never silently joined
    assert all(c["fields"]["服务内容"] == f"第{c['id'][1:]}项服务的内容。" for c in draft.catalog["clauses"] if c["id"] not in marked)
    assert [t for _, t in report.unplaced if t in ("说明。", "完。")] == ["说明。", "完。"]
    if not border:
        assert numbers == set(range(1, 41))  # read by word positions over the pages


BROKEN = [
    ("articles", "第一条 甲。\n第二条 乙。\n第四条 丙。", "numbers out of order"),
    ("articles", "第一条 甲。\n第二条 乙。二、附则", "heading glued to an item"),
    ("duty-units", "（一）甲。（市教委负责）\n（三）乙。（市财政局负责）", "numbers out of order"),
    ("duty-units", "（一）甲。（市教委负责）\n（二）乙。三、保障措施", "heading glued to an item"),
    ("duty-units", "（一）甲。（市教委负责）\n（一）乙。（市财政局负责）", "number repeated"),
    ("fields", "1.甲\n服务对象：居民。\n2.乙\n服务对象：" + "很长的文字，" * 1200, "oversized"),
    ("fields", "1.甲\n服务对象：居民。\n牵头负责单位：按有关规定由各地结合实际确定并组织实施。", "units unlike unit names"),
    ("table", "序号 服务项目 服务对象 牵头负责单位\n1 甲 居民 市教委\n2 乙 学生 市财政局\n4 丙 老人 市民政局", "gap"),
]


@pytest.mark.parametrize("layout, text, kind", BROKEN)
def test_every_layout_flags_what_it_got_wrong(layout, text, kind):
    _, report = import_document(text, layout)
    assert kind in {f.kind for f in report.findings}


def test_a_page_laid_out_in_tables_is_read_as_its_flow(tmp_path):
    page = tmp_path / "layout.html"
    page.write_text(
        "<html><body><table width='100%'><tr><td><a href='/'>首页</a></td></tr><tr><td>"
        "<table><tr><td><p>第一章 总则</p><p>第一条 为了测试，制定本办法。</p><p>第二条 各单位应当落实责任。</p>"
        "<table border='1'><tr><th>序号</th><th>工作任务</th><th>牵头单位</th></tr><tr><td>1</td><td>甲。</td><td>市教委</td></tr></table>"
        "</td></tr></table></td></tr></table></body></html>",
        encoding="utf-8",
    )
    blocks = read_document(str(page)).blocks
    assert [b.text for b in blocks if b.kind == "paragraph"][1:] == [
        "第一章 总则",
        "第一条 为了测试，制定本办法。",
        "第二条 各单位应当落实责任。",
    ]
    [table] = [b for b in blocks if b.kind == "table"]
    assert table.number == 1 and [r.cells for r in table.rows][1] == ["1", "甲。", "市教委"]
    draft, _report = imported(page, "articles")
    assert [c["ref"] for c in draft.catalog["clauses"]] == ["第一条", "第二条"]


def test_a_table_without_numbers_and_units_said_in_words(tmp_path):
    page = tmp_path / "division.html"
    page.write_text(
        "<p>重点任务分工方案</p><table border='1'><tr><th>重点任务</th><th>责任单位</th></tr>"
        "<tr><td colspan='2'>一、基本公共教育</td></tr>"
        "<tr><td>推进义务教育均衡发展。</td><td>教育部牵头，其他有关部门按职责分工负责</td></tr>"
        "<tr><td>完善学生资助体系。</td><td>教育部、财政部分别牵头，其他有关部门按职责分工负责</td></tr>"
        "<tr><td>推进就业创业服务。</td><td>人力资源社会保障部会同财政部负责</td></tr>"
        "<tr><td>健全公共就业服务。</td><td>人力资源社会保障部、财政部</td></tr></table>",
        encoding="utf-8",
    )
    draft, report = imported(page)
    assert report.layout == "table" and (report.items, report.complete) == (4, 4)
    assert [c["ref"] for c in draft.catalog["clauses"]] == ["第1项", "第2项", "第3项", "第4项"]
    assert who(draft, "S1") == ["教育部"] and clause(draft, "S1")["note"] == "责任单位原文：教育部牵头，其他有关部门按职责分工负责"
    assert who(draft, "S2") == ["教育部", "财政部"]
    assert who(draft, "S3") == ["人力资源社会保障部", "+财政部"]
    assert who(draft, "S4") == ["人力资源社会保障部", "+财政部"]  # a 责任单位 list: the first named leads


def test_a_markdown_pipe_table(tmp_path):
    md = tmp_path / "tasks.md"
    md.write_text(
        "# 分工\n\n| 序号 | 工作任务 | 牵头单位 | 配合单位 |\n| --- | --- | --- | --- |\n"
        "| 1 | 建立机制。 | 市发展改革委 | 市财政局 |\n| 2 | 完善政策。 | 市财政局 | |\n",
        encoding="utf-8",
    )
    draft, report = imported(md)
    assert report.layout == "table" and report.complete == 2
    assert who(draft, "S1") == ["市发展改革委", "+市财政局"]
    assert clause(draft, "S2")["source_place"] == {"kind": "lines", "from": 6, "to": 6}


@pytest.mark.parametrize("name", ["notice.doc", "notice.wps"])
def test_an_old_office_file_is_refused_with_what_to_do(run, tmp_path, name):
    src = tmp_path / name
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    result = run("import", src, "-o", tmp_path / "d.yaml")
    assert result.exit_code == 2 and "另存为 .docx" in result.output and not (tmp_path / "d.yaml").exists()


def test_measures_with_sub_measures_of_another_numbering():
    text = "\n".join(
        [
            "一、重点任务",
            "（一）完善服务体系。具体包括：",
            "1.建立机制。（市发展改革委负责）",
            "2.完善政策。（市财政局负责）",
            "（二）加强保障。（市委编办负责）",
            "二、组织实施",
            "（三）强化督导。一是定期检查；二是通报进展。（市政府督查室负责）",
        ]
    )
    draft, report = import_document(text, "duty-units")
    assert [(c["id"], c["ref"]) for c in draft.catalog["clauses"]] == [
        ("M1", "（一）"),
        ("M1-1", "（一）1."),
        ("M1-2", "（一）2."),
        ("M2", "（二）"),
        ("M3", "（三）"),
    ]
    assert report.blocking == [] and who(draft, "M1-2") == ["市财政局"]


@pytest.mark.parametrize(
    "cell, text",
    [
        ("市卫生健\n康委", "市卫生健康委"),  # a name wrapped by its column
        ("市教委、市财\n政局", "市教委、市财政局"),
        ("提供健康教育、健康检\n查等服务。", "提供健康教育、健康检查等服务。"),
        ("市教委\n市财政局", "市教委\n市财政局"),  # units one per line: kept apart
    ],
)
def test_a_ruled_pdf_cell_joins_its_wrapped_lines(cell, text):
    from checklist.authoring.read_pdf import _unwrapped

    assert _unwrapped(cell) == text
