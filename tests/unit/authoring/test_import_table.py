"""The table layout, --layout auto, the line-by-line report and the radicals: synthetic documents
for each shape and each failure, and the seeds."""

from __future__ import annotations

import json
import re

import pytest
from paths import SOURCES

import checklist.outputs.validation  # noqa: F401  (registers the catalog cross-checks `valid` runs)
from checklist.authoring.draft_yaml import draft_yaml
from checklist.authoring.import_report import import_document
from checklist.authoring.importer import import_text
from checklist.authoring.radicals import AMBIGUOUS, fold_radicals, parse_fixes
from checklist.authoring.table_widths import display_width
from checklist.errors import UnfitTextError
from checklist.files.kinds import KINDS, problems_of
from checklist.files.loader import load, loads

HEADER = "序号 服务项目 服务对象 服务内容 支出责任 牵头负责单位"
ROWS = "\n".join(
    [
        "关于印发《测试服务标准》的通知",
        "附件",
        HEADER,
        "一、幼有所育",
        "1 孕前检查 准备怀孕的居民 提供检查服务。 市级财政承担。 市卫生健康委",
        "2 生活补助 寄宿学生 每生每年 3000元。 区级财政承担。 市教委、市财政局",
        "二、学有所教",
        "3 学前资助 在园幼儿 减免保育费，",
        "补助伙食费。 区级财政承担。 市教委",  # a row wrapped onto the next line, mid-cell
        "4 助学金 困难学生 每生每年2000元，具体",
        "",
        "— 3 —",
        "",
        "北京市人民政府公报",
        HEADER,  # the header again at the top of the next page
        "标准由各区确定。 市区财政分担。 市教委",
    ]
)


def fields_of(draft, cid: str) -> dict:
    return next(c for c in draft.catalog["clauses"] if c["id"] == cid)


def valid(text: str) -> list:
    return problems_of(loads(text, "draft.yaml"), KINDS["catalog"])


def test_rows_one_per_line_wrapped_and_across_a_page_break():
    draft, report = import_document(ROWS)
    assert report.layout == "table"
    one = fields_of(draft, "S1")
    assert (one["ref"], one["heading"], one["chapter"]) == ("序号1", "孕前检查", "一、幼有所育")
    assert one["fields"] == {"服务对象": "准备怀孕的居民", "服务内容": "提供检查服务。", "支出责任": "市级财政承担。"}
    assert fields_of(draft, "S2")["fields"]["服务内容"] == "每生每年3000元。"  # the extractor's space before a digit dropped
    assert fields_of(draft, "S3")["fields"]["服务内容"] == "减免保育费，补助伙食费。"
    assert fields_of(draft, "S3")["chapter"] == "二、学有所教"
    assert fields_of(draft, "S4")["fields"]["服务内容"] == "每生每年2000元，具体标准由各区确定。"
    names = {u["id"]: u["name"] for u in draft.catalog["units"]}
    assert [names[u] for u in fields_of(draft, "S2")["responsible"]] == ["市教委", "市财政局"]  # 牵头负责单位: all lead
    assert (report.items, report.complete, report.findings) == (4, 4, [])
    assert report.noise == {"page number": [12], "running header": [14], "repeated table header": [15]}
    assert [n for n, _ in report.unplaced] == [2]  # 附件 (the title became the catalog's title)
    assert draft.catalog["title"] == "测试服务标准"
    assert valid(draft_yaml(draft)) == []


RUNS = """序号
服务项目
服务对象
服务内容
牵头负责单位
（一）优孕优生服务
1
免费孕前优生
健康检查

本市常住人口中符合生育政策并准备
怀孕的居民

提供健康教育、健康检查、风险评估
和咨询指导等孕前优生服务。

市卫生健康委
2
儿童健康管理

0—6岁儿童

提供新生儿访视、儿童保健系统管理、

- 7 -

体格检查等服务。

市卫生健康委、市中医局
"""


def test_runs_numbers_alone_cells_wrapped_over_lines_and_a_page_break():
    draft, report = import_document(RUNS)
    assert report.layout == "table"
    one, two = draft.catalog["clauses"]
    assert (one["heading"], one["section"]) == ("免费孕前优生健康检查", "（一）优孕优生服务")
    assert one["fields"] == {
        "服务对象": "本市常住人口中符合生育政策并准备怀孕的居民",
        "服务内容": "提供健康教育、健康检查、风险评估和咨询指导等孕前优生服务。",
    }
    assert two["fields"]["服务内容"] == "提供新生儿访视、儿童保健系统管理、体格检查等服务。"  # joined across the page
    assert (report.items, report.complete) == (2, 2)
    assert report.noise == {"page number": [25]}
    assert report.unplaced == []


def padded(*cells: str) -> str:
    """A line as a layout-keeping extractor prints a table: each cell padded to 16 display columns."""
    return "".join(c + " " * (16 - sum(2 if ord(ch) > 0x2000 else 1 for ch in c)) for c in cells).rstrip()


ALIGNED = "\n".join(
    [
        padded("序号", "服务项目", "服务对象", "服务内容", "牵头负责单位"),
        padded("1", "免费孕前", "准备怀孕的", "提供健康检查", "市卫生健康委、"),
        padded("", "检查", "居民", "服务。"),
        padded("", "", "", "", "市中医局"),
        padded("2", "儿童健康", "0—6岁儿童", "提供访视服务。", "市卫生健康委"),
    ]
)


def test_rows_whose_cells_wrap_inside_their_columns():
    draft, report = import_document(ALIGNED)
    one, two = draft.catalog["clauses"]
    assert one["heading"] == "免费孕前检查"
    assert one["fields"] == {"服务对象": "准备怀孕的居民", "服务内容": "提供健康检查服务。"}
    names = {u["id"]: u["name"] for u in draft.catalog["units"]}
    assert [names[u] for u in one["responsible"]] == ["市卫生健康委", "市中医局"]
    assert two["fields"] == {"服务对象": "0—6岁儿童", "服务内容": "提供访视服务。"}
    assert (report.items, report.complete) == (2, 2)
    # a wrap with a piece in every column is still item 1's, not a row that lost its number
    lines = ALIGNED.split("\n")
    full = "\n".join([*lines[:2], padded("", "检查", "居民", "服务。", "市中医局"), lines[4]])
    draft, report = import_document(full)
    assert draft.catalog["clauses"][0]["fields"]["服务内容"] == "提供健康检查服务。" and report.findings == []


def wrapped(text: str, width: int) -> list[str]:
    """The text wrapped as a PDF wraps it: at ``width`` Chinese characters, a digit half of one."""
    lines, line = [], ""
    for ch in text:
        if display_width(line + ch) > 2 * width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line]


ITEMS = [
    ("免费孕前优生健康检查", "本市常住人口中符合条件的居民", "提供健康教育、健康检查、风险评估服务。", "市卫生健康委"),
    ("儿童健康管理", "0—6岁儿童", "提供新生儿访视、儿童保健系统管理、体格检查等服务。", "市卫生健康委、市中医局"),
    ("孕产妇健康管理", "孕产妇", "提供孕期保健、产后访视服务。", "市卫生健康委"),
    ("老年人健康管理", "65岁及以上老年人", "提供生活方式和健康状况评估服务。", "市卫生健康委"),
]
WIDTHS = (6, 8, 10, 5)  # characters per line of each column


def test_runs_without_blank_lines_are_cut_by_the_widths_of_their_lines():
    """A table extracted column by column, cells wrapped at their column's width, no blank line
    between them: every line of a cell but the last is full."""
    draft, report = import_document(column_text(ITEMS))
    assert report.layout == "table" and (report.items, report.complete) == (4, 4)
    for clause, (heading, target, content, _) in zip(draft.catalog["clauses"], ITEMS, strict=True):
        assert clause["heading"] == heading
        assert clause["fields"] == {"服务对象": target, "服务内容": content}
    # 服务内容's last line (查等服务项) as wide as a full line of 牵头负责单位, and no full stop to
    # say where the cell ends: two cuts fit, so the item is not guessed
    items = [*ITEMS]
    items[1] = (*ITEMS[1][:2], "提供新生儿访视、儿童保健系统管理、体格检查等服务项", ITEMS[1][3])
    draft, report = import_document(column_text(items))
    assert [f.clause for f in report.findings] == ["S2"] and report.complete == 3


def column_text(items: list[tuple[str, ...]]) -> str:
    lines = ["序号", "服务项目", "服务对象", "服务内容", "牵头负责单位"]
    for n, cells in enumerate(items, 1):
        lines.append(str(n))
        lines += [line for cell, width in zip(cells, WIDTHS, strict=True) for line in wrapped(cell, width)]
    return "\n".join(lines)


SPANNING = """序号 领域 服务项目 服务对象 支出责任 责任单位
1 幼有所育 孕前检查 准备怀孕的居民 市级财政承担。 市卫生健康委
2 产前筛查 孕妇 市级财政承担。 市卫生健康委、市财政局
3 学有所教 学前资助 在园幼儿 区级财政承担。 市教委
4 助学金 困难学生 区级财政承担。 市教委
"""


def test_spanning_domain_cells_carry_down_and_a_duty_column_lets_the_first_unit_lead():
    draft, report = import_document(SPANNING)
    chapters = [(c["id"], c["chapter"]) for c in draft.catalog["clauses"]]
    assert chapters == [("S1", "幼有所育"), ("S2", "幼有所育"), ("S3", "学有所教"), ("S4", "学有所教")]
    assert report.complete == 4
    two = fields_of(draft, "S2")
    assert two["heading"] == "产前筛查" and two["fields"]["服务对象"] == "孕妇"
    assert isinstance(two["responsible"][1], dict) and two["responsible"][1]["role"] == "support"  # 责任单位: first leads


def test_spanning_cells_carry_down_in_runs_too():
    text = "序号\n领域\n服务项目\n服务对象\n1\n幼有所育\n\n孕前检查\n\n准备怀孕的居民\n2\n产前筛查\n\n孕妇\n"
    draft, report = import_document(text, "table")
    assert [(c["chapter"], c["heading"], c["fields"]) for c in draft.catalog["clauses"]] == [
        ("幼有所育", "孕前检查", {"服务对象": "准备怀孕的居民"}),
        ("幼有所育", "产前筛查", {"服务对象": "孕妇"}),
    ]
    assert report.complete == 2


def test_a_missing_item_number_is_reported_not_absorbed():
    text = ROWS.replace("2 生活补助", "X 生活补助")  # item 2's number lost in extraction
    draft, report = import_document(text)
    assert [(f.line, f.message) for f in report.findings] == [
        (6, "第 1 项之后有一行缺少条目编号：未归入"),
        (8, "缺少第 2 项：第 3 项紧接在第 1 项之后"),
    ]
    assert fields_of(draft, "S1")["fields"]["服务对象"] == "准备怀孕的居民"  # the orphan row is not glued onto item 1
    assert (6, "X 生活补助 寄宿学生 每生每年 3000元。 区级财政承担。 市教委、市财政局") in report.unplaced
    assert (report.items, report.complete) == (3, 3)


def test_cells_that_cannot_be_told_apart_are_kept_as_text_and_marked():
    text = ROWS.replace("1 孕前检查 准备怀孕的居民 提供检查服务。", "1 孕前检查准备怀孕的居民提供检查服务。")
    draft, report = import_document(text)
    one = fields_of(draft, "S1")
    assert "fields" not in one and one["text"].startswith("孕前检查准备怀孕的居民")
    assert report.complete == 3 and report.filled["服务对象"] == 3
    assert valid(draft_yaml(draft)) == []


def test_a_wrapped_line_starting_like_a_heading_is_not_a_heading():
    text = "第一章 总则\n第一条 本办法所称设施分为\n一、二类设施和其他设施，由区政府管理。\n第二条 另一条。"
    clauses = import_text(text, "articles").catalog["clauses"]
    assert [(c["ref"], c["chapter"], c["text"]) for c in clauses] == [
        ("第一条", "第一章 总则", "本办法所称设施分为一、二类设施和其他设施，由区政府管理。"),
        ("第二条", "第一章 总则", "另一条。"),
    ]
    items = "一、幼有所育\n1.免费检查\n服务对象：本市符合条件的\n一、二类家庭\n服务内容：提供检查。\n"
    [one] = import_text(items, "fields").catalog["clauses"]
    assert one["chapter"] == "一、幼有所育"
    assert one["fields"] == {"服务对象": "本市符合条件的一、二类家庭", "服务内容": "提供检查。"}
    # after a blank line the same words stand as a heading
    two = import_text(items.replace("的\n一、", "的\n\n一、"), "fields")
    assert two.catalog["clauses"][0]["fields"] == {"服务对象": "本市符合条件的"}
    assert [t for _, t in two.unplaced] == ["服务内容：提供检查。"]


def test_numbered_lines_stand_after_their_sibling_or_a_title():
    text = "第三条 下列单位负责：\n（一）市卫生健康委\n（二）市中医局\n第四条 完。"
    texts = [c["text"] for c in import_text(text, "articles").catalog["clauses"]]
    assert texts == ["下列单位负责：", "市卫生健康委", "市中医局", "完。"]  # （二） follows （一）, unfinished as it is
    # a first item after an unfinished line is read as the line's wrap (一、二类 …): a reviewer sees it
    texts = [c["text"] for c in import_text(text.replace("：", ""), "articles").catalog["clauses"]]
    assert texts[0] == "下列单位负责（一）市卫生健康委" and texts[1] == "市中医局"
    text = "北京市测试工作方案\n一、总体要求\n（一）加强领导。（责任单位：市测试局）"
    [measure] = import_text(text, "duty-units").catalog["clauses"]
    assert (measure["chapter"], measure["ref"]) == ("一、总体要求", "（一）")


def test_a_text_no_layout_fits_is_refused(run, tmp_path):
    prose = "这是一段普通的说明文字。\n没有条文，也没有表格。\n第三行。"
    with pytest.raises(UnfitTextError, match="没有适合该文本的版式"):
        import_document(prose)
    src = tmp_path / "prose.txt"
    src.write_text(prose, encoding="utf-8")
    result = run("import", src, "-o", tmp_path / "d.yaml")
    assert result.exit_code == 1 and not (tmp_path / "d.yaml").exists()
    assert "没有适合该文本的版式" in result.output and "articles 0, fields 0, duty-units 0, table 0" in result.output


ODD = [
    "",
    "\x00\x0c\r\u2028",
    "序号 服务对象 支出责任",
    "序号 服务对象 支出责任\n1\n\n2",
    "序号\t项目\t服务对象\n1\t\t\t\t\t",
    "1\n2\n3\n4",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_input_gives_a_valid_draft_or_a_refusal(text):
    try:
        draft, _ = import_document(text)
    except UnfitTextError:
        return
    assert valid(draft_yaml(draft)) == []


SWALLOWED = "1.免费孕前检查\n服务对象：居民\n" + "".join(f"{n}\n第{n}项的文字，没有标签\n" for n in range(2, 7))


def test_a_clause_that_swallows_item_numbers_blocks_the_draft(run, tmp_path):
    draft = import_text(SWALLOWED, "fields")
    assert len(draft.catalog["clauses"]) == 1  # the fields layout took items 2–6 as text of item 1
    src = tmp_path / "swallowed.txt"
    src.write_text(SWALLOWED, encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = run("import", src, "--layout", "fields", "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "S1（序号1）含有条目编号 2–6（第 3–11 行）" in result.output
    assert "--accept-warnings" in result.output
    result = run("import", src, "--layout", "fields", "-o", out, "--accept-warnings")
    assert result.exit_code == 0, result.output
    clause = load(out).data["clauses"][0]
    assert clause["note"].startswith("待核对：S1（序号1）含有条目编号 2–6")
    assert run("validate", out).exit_code == 0


def test_a_clause_far_longer_than_its_siblings_is_flagged():
    long = "很长的条文，" * 700
    text = "\n".join([f"第{n}条 短条文。" for n in "一二三四"] + [f"第五条 {long}。"])
    _, report = import_document(text, "articles")
    [finding] = report.blocking
    assert finding.kind == "oversized" and finding.clause == "A5"


# --- radicals ----------------------------------------------------------------------------------


def test_only_safe_radicals_are_folded_and_ambiguous_ones_reported_with_their_context():
    assert fold_radicals("⼈⼜⼗") == "人⼜十"  # ⼜ (NFKC 又) is not folded: here it means 口
    assert fold_radicals("⼈⼜", {"⼜": "口"}) == "人口"
    assert fold_radicals("⻔⾨") == "⻔⾨"  # no NFKC form / a traditional one: both left
    draft, report = import_document(ROWS.replace("准备怀孕的居民", "准备怀孕的⼈⼜"))
    assert fields_of(draft, "S1")["fields"]["服务对象"] == "准备怀孕的人⼜"
    [s] = report.suspicious
    assert (s.line, s.char, s.nfkc, s.likely) == (5, "⼜", "又", "口")
    assert "准备怀孕的人⼜" in s.context
    draft, report = import_document(ROWS.replace("准备怀孕的居民", "准备怀孕的⼈⼜"), fixes={"⼜": "口"})
    assert fields_of(draft, "S1")["fields"]["服务对象"] == "准备怀孕的人口" and report.suspicious == []


def test_the_ambiguous_table_holds_radicals_nfkc_gets_wrong():
    import unicodedata

    assert AMBIGUOUS["\u2f1c"] == "口"
    for radical, likely in AMBIGUOUS.items():
        assert unicodedata.normalize("NFKC", radical) != likely
    assert parse_fixes(["⼜=口"]) == {"⼜": "口"}
    with pytest.raises(ValueError, match="一个部首"):
        parse_fixes(["口=人"])


def test_fix_radical_option(run, tmp_path):
    src = tmp_path / "t.txt"
    src.write_text(ROWS.replace("准备怀孕的居民", "准备怀孕的⼈⼜"), encoding="utf-8")
    result = run("import", src, "-o", tmp_path / "a.yaml")
    assert result.exit_code == 0 and f"{src}:5:1: “" in result.output and "中的 ⼜ U+2F1C（NFKC 为 又，可能是 口）" in result.output
    result = run("import", src, "-o", tmp_path / "b.yaml", "--fix-radical", "⼜=口")
    assert result.exit_code == 0 and "人口" in (tmp_path / "b.yaml").read_text(encoding="utf-8")
    assert run("import", src, "-o", tmp_path / "c.yaml", "--fix-radical", "口").exit_code == 2


# --- the report --------------------------------------------------------------------------------


def test_json_report_accounts_for_every_line(run, tmp_path):
    src = tmp_path / "rows.txt"
    src.write_text(ROWS + "\nhttp://www.gov.cn/x.htm\n", encoding="utf-8")
    result = run("import", src, "-o", tmp_path / "d.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    lines = report["lines"]
    assert lines["noise"] == {"page number": 1, "running header": 1, "link": 1, "repeated table header": 1}
    parts = lines["placed"] + lines["placed_for_review"] + lines["in_flagged_clauses"] + lines["not_placed"] + lines["blank"]
    assert lines["total"] == 17 == parts + sum(lines["noise"].values())
    assert report["layout"] == "table" and report["scores"]["table"] > report["scores"]["articles"]
    assert report["items"] == {
        "found": 4,
        "complete": 4,
        "filled": {"服务项目": 4, "服务对象": 4, "服务内容": 4, "支出责任": 4, "牵头负责单位": 4},
    }
    assert report["not_placed"] == [{"line": 2, "text": "附件"}] and report["written"] is True


def test_text_report_names_the_layout_and_the_scores(run, tmp_path):
    src = tmp_path / "rows.txt"
    src.write_text(ROWS, encoding="utf-8")
    out = run("import", src, "-o", tmp_path / "d.yaml").output
    assert re.search(r"版式：table——解释了 11 行文本中的 10 行，在所试版式中最多（articles 0, fields \d+", out)
    assert "条目：找到 4 个，完整 4 个" in out and f"{src}:2:1：未归入：附件" in out


# --- the seeds -----------------------------------------------------------------------------------

SEED_002 = (SOURCES / "002_7089cab31d4cc2d1.txt").read_text(encoding="utf-8")


def test_auto_picks_the_layout_of_each_seed():
    gazette = (SOURCES / "001_665f51de318f5560.txt").read_text(encoding="utf-8").split("\n")
    assert import_document((SOURCES / "000_c69016aedb993fcf.txt").read_text(encoding="utf-8"))[1].layout == "fields"
    assert import_document("\n".join(gazette[894:1095]))[1].layout == "articles"
    assert import_document("\n".join(gazette[1096:1191]))[1].layout == "duty-units"
    assert import_document(SEED_002)[1].layout == "table"


def test_seed_002_national_list():
    assert "81个项⽬" in SEED_002  # the plan says how many items its list has
    draft, report = import_document(SEED_002, fixes={"⼜": "口"})
    clauses = {c["id"]: c for c in draft.catalog["clauses"]}
    # items 1–13 are printed one row per line: every cell read
    assert all(all(clauses[f"S{n}"].get("fields", {}).get(k) for k in ("服务对象", "服务指导标准", "支出责任")) for n in range(1, 14))
    nine = clauses["S9"]
    assert (nine["heading"], nine["chapter"]) == ("基本公共就业服务", "二、基本劳动就业创业")
    assert nine["fields"]["服务对象"] == "有就业需求的劳动年龄人口"
    names = {u["id"]: u["name"] for u in draft.catalog["units"]}
    assert [names[u] for u in clauses["S10"]["responsible"]] == ["人力资源社会保障部", "财政部", "人民银行"]
    # the rest of the table came out of the PDF as interleaved columns: its item numbers stand inside
    # the text (⾷品药品45安全保障 …) or alone; each one found there is an item kept with its text and
    # marked, and the numbers the text does not print at all are reported — none lost silently
    assert (report.items, report.complete) == (70, 11)
    assert all(clauses[f.clause]["note"].startswith("待核对") for f in report.findings if f.clause)
    # item 13's units ran into item 14's columns, and item 3's cells are told apart only at the space in
    # 按 5∶5 (its 服务对象 took the standard's first sentence): neither counted complete, both flagged
    assert any(f.clause == "S13" and f.kind == "units unlike unit names" for f in report.findings)
    assert any(f.clause == "S3" and "数字或引号前的单个空格" in f.message for f in report.findings)
    gaps = [f.message for f in report.findings if f.kind == "gap"]
    spans = [re.match(r"缺少第 (\d+)(?:–(\d+))? 项", g).groups() for g in gaps]
    missing = {n for a, b in spans for n in range(int(a), int(b or a) + 1)}
    assert missing == {23, 24, 36, 42, 47, 48, 49, 52, 53, 58, 66}  # numbers printed nowhere in the text
    found = {int(cid[1:]) for cid in clauses}
    assert found | missing == set(range(1, 82)) and not found & missing  # every one of the 81 accounted for
    assert all(clauses[f"S{n}"]["note"].startswith("待核对") for n in found if n > 13)  # their cells not told apart
    assert valid(draft_yaml(draft)) == []


def test_a_tab_separated_table_with_its_own_column_names():
    """京人社能发〔2026〕2号's 目录 in seed 001: tab-separated rows, column names no catalog field
    has, the header repeated on each page, 补助标准 printed once for the rows below (a merged
    cell), and a second table after it."""
    gazette = (SOURCES / "001_665f51de318f5560.txt").read_text(encoding="utf-8").split("\n")
    draft, report = import_document("\n".join(gazette[623:760]), "table")
    one = draft.catalog["clauses"][0]
    assert one["fields"] == {
        "职业(工种)名称": "政务服务办事员",
        "职业(工种)代码": "3-01-01-02",
        "补助档次": "B",
        "补助标准": "B档：初级工(五级)1000元/人、中级工(四级)1500元/人、高级工(三级)及以上2000元/人。A档在B档补助基础上上浮20%。",
    }
    assert report.items == 91 and report.filled["职业(工种)代码"] == 90
    assert report.noise == {"repeated table header": [26, 54, 82]}
    # a merged cell is not guessed: each row below it is reported with the cell empty
    assert [f.message for f in report.findings][:2] == ["第 2 项：为空：补助标准", "第 3 项：为空：补助标准"]
    # the second table (专项职业能力证书, numbered from 1 again) is not swallowed by item 91
    assert report.blocking == [] and not any("母婴照护" in c.get("text", "") for c in draft.catalog["clauses"])
