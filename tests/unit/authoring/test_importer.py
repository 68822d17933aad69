"""The importer: PDF text repaired, three layouts read, and the bundled catalogs reproduced from their seeds."""

from __future__ import annotations

import pytest
from paths import ROOT, SOURCES

import checklist.outputs.validation  # noqa: F401  (registers the catalog cross-checks `valid` runs)
from checklist.authoring.draft_yaml import draft_yaml
from checklist.authoring.importer import LAYOUTS, import_text
from checklist.authoring.pdf_text import fold_radicals
from checklist.errors import UsageError
from checklist.files.kinds import KINDS, problems_of
from checklist.files.loader import load, loads

GAZETTE = (SOURCES / "001_665f51de318f5560.txt").read_text(encoding="utf-8").split("\n")
# The gazette holds seven documents; these are the line ranges (1-based, inclusive) of two of them.
RTV_LINES = (895, 1095)  # 京广发〔2026〕11号, from its notice to 第五十条
MEDICAL_LINES = (1097, 1191)  # 京医保发〔2026〕1号, from its issuers to measure （十八）


def part(first: int, last: int) -> str:
    return "\n".join(GAZETTE[first - 1 : last])


def committed(cid: str) -> dict:
    return load(ROOT / "catalogs" / f"{cid}.yaml").data


def shape(catalog: dict) -> list[dict]:
    """What the importer decides: ids, refs, headings, chapters, texts, fields, and who is
    responsible in what role (by unit name, since reviewed catalogs give units readable ids)."""
    names = {u["id"]: u["name"] for u in catalog["units"]}

    def who(entry: str | dict) -> tuple[str, str]:
        return (names[entry], "lead") if isinstance(entry, str) else (names[entry["unit"]], entry["role"])

    keys = ("id", "ref", "heading", "chapter", "section", "text", "fields")
    return [{k: c.get(k) for k in keys} | {"responsible": [who(r) for r in c.get("responsible", ())]} for c in catalog["clauses"]]


def squeezed(text: str) -> str:
    return "".join(text.split())


def valid(text: str) -> list:
    return problems_of(loads(text, "draft.yaml"), KINDS["catalog"])


# --- the seeds --------------------------------------------------------------------------------


def test_seed_parts_are_where_the_tests_expect_them():
    assert GAZETTE[RTV_LINES[0] - 1].startswith("北京市广电局关于印发")
    assert GAZETTE[RTV_LINES[1] - 1].startswith("第五十条")
    assert GAZETTE[MEDICAL_LINES[0] - 1] == "北京市医疗保障局"
    assert GAZETTE[MEDICAL_LINES[1]] == "政府公报查询方式"


def test_reproduces_basic_public_services():
    text = (SOURCES / "000_c69016aedb993fcf.txt").read_text(encoding="utf-8")
    draft = import_text(text, "fields")
    assert shape(draft.catalog) == shape(committed("bj-basic-public-services"))
    assert draft.unplaced == []


def test_basic_public_services_has_all_89_items_with_four_fields():
    clauses = committed("bj-basic-public-services")["clauses"]
    items = [c for c in clauses if "-" not in c["id"]]
    assert [c["ref"] for c in items] == [f"序号{n}" for n in range(1, 90)]
    with_fields = [c for c in clauses if "fields" in c]
    assert len(with_fields) == 93  # 86 items, and items 16, 53, 64 as 2 + 3 + 2 sub-items
    assert all(list(c["fields"]) == ["服务对象", "服务内容", "服务标准", "支出责任"] for c in with_fields)
    assert all(c["responsible"] and c["checks"] for c in with_fields)
    s60 = next(c for c in clauses if c["id"] == "S60")
    assert s60["responsible"] == ["city-housing", "city-planning"]  # two leads, in the printed order


def test_reproduces_commercial_health_insurance():
    draft = import_text(part(*MEDICAL_LINES), "duty-units")
    catalog = committed("bj-commercial-health-insurance")
    assert shape(draft.catalog) == shape(catalog)
    assert len(catalog["clauses"]) == 18
    assert draft.catalog["title"] == catalog["title"]
    assert {k: draft.catalog["source"][k] for k in ("doc_no", "issuer", "issued")} == {
        k: catalog["source"][k] for k in ("doc_no", "issuer", "issued")
    }
    # not placed: the issuers listed above the notice, its salutation and sentence, the title, the preamble
    offset = MEDICAL_LINES[0] - 1
    assert [n + offset for n, _ in draft.unplaced] == [*range(1097, 1106), 1111, 1113, 1130, 1132]


def test_reproduces_the_articles_of_the_rtv_catalog():
    draft = import_text(part(*RTV_LINES), "articles")
    catalog = committed("bj-rtv-3g3b")
    mine = [(c["id"], c["ref"], c.get("heading"), c["chapter"], squeezed(c["text"])) for c in draft.catalog["clauses"]]
    theirs = [(c["id"], c["ref"], c.get("heading"), c["chapter"], squeezed(c["text"])) for c in catalog["clauses"]]
    assert mine == theirs  # all 77 clauses: 50 articles and the 27 numbered items of 第四条, 第十四条–第二十一条
    assert draft.catalog["title"] == catalog["title"]
    assert draft.catalog["source"] == {"doc_no": "京广发〔2026〕11号", "issuer": "北京市广播电视局", "issued": "2026-02-10"}
    assert [t for _, t in draft.unplaced] == [
        "行业各单位：",
        "经研究审议，现将《北京市广电局“三管三必须”实施细则(试行)》印发给你们，请认真遵照执行。",
        "北京市广电局“三管三必须”实施细则",
        "(试行)",
    ]


@pytest.mark.parametrize("layout, lines", [("articles", RTV_LINES), ("duty-units", MEDICAL_LINES)])
def test_drafts_of_the_seeds_validate(layout, lines):
    assert valid(draft_yaml(import_text(part(*lines), layout))) == []


# --- repairing the extraction ----------------------------------------------------------------


def test_wrapped_lines_are_joined_and_complete_ones_kept_apart():
    text = "第一条 本条的文字在\n\n换行处继续。\n第二条 第一句。\n第二句另起一段。\n第三条 未完的条文\n第四条 下一条。"
    texts = {c["ref"]: c["text"] for c in import_text(text, "articles").catalog["clauses"]}
    assert texts == {
        "第一条": "本条的文字在换行处继续。",
        "第二条": "第一句。\n第二句另起一段。",
        "第三条": "未完的条文",
        "第四条": "下一条。",
    }


def test_page_debris_is_dropped():
    text = "\n".join(
        [
            "北京市测试工作实施细则",
            "第一条 本条跨",
            "",
            "— 12 —",
            "",
            "- 3 -",
            "15",
            "第 4 页",
            "北京市人民政府公报",
            "北京市测试工作实施细则",  # the title again at the top of the next page
            "http://www.gov.cn/flfg/2011-10/30/content_1982299.htm",  # a link the extractor set between lines
            "页继续。",
        ]
    )
    draft = import_text(text, "articles")
    assert draft.catalog["clauses"][0]["text"] == "本条跨页继续。"
    assert draft.unplaced == [(1, "北京市测试工作实施细则")]


def test_kangxi_radicals_are_folded_and_full_width_punctuation_kept():
    assert fold_radicals("⼗三五（⼀）：⼈民，") == "十三五（一）：人民，"
    assert fold_radicals("\uf900") == "\u8c48"  # a CJK compatibility ideograph
    assert fold_radicals("ＡＢ１２，。（）：") == "ＡＢ１２，。（）："  # NFKC would fold these: they stay
    draft = import_text("第⼗条 ⼈员须全⾯落实，（⼀）：到位。", "articles")
    assert draft.catalog["clauses"][0]["ref"] == "第十条"
    assert draft.catalog["clauses"][0]["text"] == "人员须全面落实，（一）：到位。"


def test_unplaced_lines_are_reported_with_their_line_numbers():
    text = "关于某事的说明\n\n各有关单位：\n第一条 条文。\n\n北京市某某局"
    draft = import_text(text, "articles")
    assert draft.unplaced == [(1, "关于某事的说明"), (3, "各有关单位："), (6, "北京市某某局")]
    out = draft_yaml(draft)
    assert "#   3: 各有关单位：\n" in out and "#   6: 北京市某某局\n" in out


def test_source_details_come_only_from_lines_outside_the_clauses():
    text = "关于印发《测试办法》的通知\n京测发〔2026〕3号\n北京市测试局\n2026年2月30日\n第一条 依据\n京政发〔2020〕1号\n执行。"
    draft = import_text(text, "articles")
    assert draft.catalog["clauses"][0]["text"] == "依据京政发〔2020〕1号执行。"
    assert draft.catalog["title"] == "测试办法"
    assert draft.catalog["source"] == {"doc_no": "京测发〔2026〕3号"}  # what the text does not print is left out
    assert draft.unplaced == [(3, "北京市测试局"), (4, "2026年2月30日")]  # not a real date: not taken


def test_unknown_layout_and_empty_results_are_usage_errors():
    with pytest.raises(UsageError, match="未知版式 'tables'"):
        import_text("第一条 条文。", "tables")
    with pytest.raises(UsageError, match="未找到条款"):
        import_text("没有条文的一段话。", "articles")
    with pytest.raises(UsageError, match="目录编号"):
        import_text("第一条 条文。", "articles", catalog_id="Not An Id")


@pytest.mark.parametrize("text", ["", "\x00\x0c\r\u2028", "第十十条 x", "（责任单位：）", "1.\n（1）\n服务对象：", "第一条【"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_odd_input_gives_a_draft_or_a_usage_error(text, layout):
    try:
        draft = import_text(text, layout)
    except UsageError:
        return
    assert valid(draft_yaml(draft)) == []


# --- the layouts ---------------------------------------------------------------------------------


def test_articles_with_chapters_headings_and_items():
    text = "第一章 总 则\n第一条【目的】 为了测试。\n第二章 职责\n第二条 办公室主要职责为:\n1. 甲；\n2. 乙。\n第三条 各单位应当：\n(一)丙；\n（二）丁。"
    clauses = import_text(text, "articles").catalog["clauses"]
    assert [(c["id"], c["ref"], c.get("heading", ""), c["chapter"]) for c in clauses] == [
        ("A1", "第一条", "目的", "第一章 总则"),
        ("A2", "第二条", "", "第二章 职责"),
        ("A2-1", "第二条第1项", "", "第二章 职责"),
        ("A2-2", "第二条第2项", "", "第二章 职责"),
        ("A3", "第三条", "", "第二章 职责"),
        ("A3-1", "第三条第（一）项", "", "第二章 职责"),
        ("A3-2", "第三条第（二）项", "", "第二章 职责"),
    ]
    assert [c["text"] for c in clauses[-2:]] == ["丙；", "丁。"]


FIELDS = """一、幼有所育
（一）优孕优生服务
1.免费孕前优生健康
检查。
服务对象：本市常住人口中符合生育政策并准备怀孕的居
民。
服务内容：提供检查服务。
服务标准：按照有关
规定执行。
支出责任：市级财政承担支出责任。
牵头负责单位：市卫生健康委、市 中医局。
2.生活补助。
（1）寄宿学生生活补助。
服务对象：寄宿学生。
服务内容：提供生活补助。
服务标准：每生每年 3000元。
支出责任：区级财政承担支出责任。
牵头负责单位：市住房城乡建设委（国有土地项目）、市中医局。
"""


def test_fields_items_sub_items_and_lead_units():
    draft = import_text(FIELDS, "fields")
    catalog = draft.catalog
    assert [u["name"] for u in catalog["units"]] == ["市卫生健康委", "市 中医局", "市住房城乡建设委"]
    one, two, two_one = catalog["clauses"]
    assert one["ref"] == "序号1" and one["heading"] == "免费孕前优生健康检查"
    assert (one["chapter"], one["section"]) == ("一、幼有所育", "（一）优孕优生服务")
    assert one["fields"] == {
        "服务对象": "本市常住人口中符合生育政策并准备怀孕的居民。",
        "服务内容": "提供检查服务。",
        "服务标准": "按照有关规定执行。",
        "支出责任": "市级财政承担支出责任。",
    }
    assert "text" not in one
    ids = [u["id"] for u in catalog["units"]]
    assert one["responsible"] == [ids[0], ids[1]]  # every 牵头负责单位 leads
    assert two == {
        "id": "S2",
        "ref": "序号2",
        "heading": "生活补助",
        "chapter": "一、幼有所育",
        "section": "（一）优孕优生服务",
        "text": "生活补助。",
        "source_place": {"kind": "lines", "from": 12, "to": 12},  # the lines it was read from
    }
    assert (two_one["id"], two_one["ref"], two_one["heading"]) == ("S2-1", "序号2（1）", "寄宿学生生活补助")
    assert two_one["responsible"] == [ids[2], ids[1]]  # 市中医局 matched to 市 中医局 without spaces
    assert two_one["note"] == "牵头负责单位原文：市住房城乡建设委（国有土地项目）、市中医局。"
    assert draft.unplaced == []
    assert valid(draft_yaml(draft)) == []


DUTIES = """一、加强供给
(一)推进数据利用。在确保安全前提下,探索建立共享
机制。(责任单位:市医保局、市卫生健康委、市政务和数据局)
（二）支持产品创新。支持开发保险产品。
鼓励开发团体产品。（责任单位：北京金融监管局、市医保局）
二、强化保障
加强组织协调，形成合力。（责任单位：市医保局、市卫生健康委等相关单位）
一是做好宣传。（责任单位：市委宣传部）
"""


def test_duty_units_first_named_leads_the_others_support():
    draft = import_text(DUTIES, "duty-units")
    catalog = draft.catalog
    ids = {u["name"]: u["id"] for u in catalog["units"]}
    one, two, loose, shi = catalog["clauses"]
    assert (one["id"], one["ref"], one["heading"], one["chapter"]) == ("M1", "（一）", "推进数据利用", "一、加强供给")
    assert one["text"] == "推进数据利用。在确保安全前提下,探索建立共享机制。"
    assert one["responsible"] == [
        ids["市医保局"],
        {"unit": ids["市卫生健康委"], "role": "support"},
        {"unit": ids["市政务和数据局"], "role": "support"},
    ]
    assert two["text"] == "支持产品创新。支持开发保险产品。\n鼓励开发团体产品。"
    assert two["responsible"] == [ids["北京金融监管局"], {"unit": ids["市医保局"], "role": "support"}]
    assert (loose["id"], loose["ref"], loose["chapter"]) == ("L7", "第7行", "二、强化保障")
    assert loose["note"] == "责任单位原文：市医保局、市卫生健康委等相关单位"
    assert [r if isinstance(r, str) else r["unit"] for r in loose["responsible"]] == [ids["市医保局"], ids["市卫生健康委"]]
    assert (shi["ref"], shi["text"]) == ("一是", "做好宣传。")
    assert all(c["checks"] for c in catalog["clauses"])
    assert len(catalog["units"]) == 5  # each name declared once


# --- the YAML --------------------------------------------------------------------------------------


def test_draft_yaml_starts_with_the_modeline_lists_placeholders_and_validates():
    draft = import_text("前言一行\n第一条 条文。", "articles", catalog_id="my-draft")
    out = draft_yaml(draft)
    assert out.startswith("# yaml-language-server: $schema=")
    assert (
        "# 待替换的占位内容：title, units, source.doc_no（文号：原文中未找到）, "
        "source.issuer（发文机关：原文中未找到）, source.issued（日期：原文中未找到）\n"
    ) in out
    assert "#   1: 前言一行\n" in out
    doc = loads(out, "draft.yaml")
    assert doc.data["id"] == "my-draft"
    assert problems_of(doc, KINDS["catalog"]) == []


def test_draft_yaml_keeps_paragraphs_as_literal_blocks():
    out = draft_yaml(import_text("第一条 第一段。\n第二段。", "articles"))
    assert out.endswith(
        "  - id: A1\n    ref: 第一条\n    text: |-\n      第一段。\n      第二段。\n    source_place: {kind: lines, from: 1, to: 2}\n"
    )


def test_import_writes_a_schema_path_that_resolves_from_where_the_draft_is(run, tmp_path, monkeypatch):
    from paths import ROOT

    from checklist.files.resources import data_dir

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "drafts" / "2026" / "draft.yaml"
    out.parent.mkdir(parents=True)
    result = run("import", ROOT / "sources" / "000_c69016aedb993fcf.txt", "--layout", "fields", "-o", "drafts/2026/draft.yaml")
    assert result.exit_code == 0, result.output
    first = out.read_text(encoding="utf-8").splitlines()[0]
    schema = first.split("$schema=", 1)[1]
    assert (out.parent / schema).resolve() == (data_dir("schemas") / "catalog.schema.json").resolve()
