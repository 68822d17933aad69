"""The bundled catalogs: valid, verbatim from their source documents, complete."""

from __future__ import annotations

import re
import unicodedata

import pytest
from paths import SOURCES

from checklist.model.library import known_ids, load_catalog
from checklist.model.refs import parse_ref
from checklist.vocabulary import LEAD, SUPPORT

# Which source text each bundled catalog transcribes.
SOURCE_OF = {
    "bj-rtv-3g3b": "001_665f51de318f5560.txt",
    "bj-elderly-care-providers": "001_665f51de318f5560.txt",
    "bj-skills-subsidy": "001_665f51de318f5560.txt",
    "bj-water-planning-consent": "001_665f51de318f5560.txt",
    "bj-arts-master-studio": "001_665f51de318f5560.txt",
    "bj-commercial-health-insurance": "001_665f51de318f5560.txt",
    "bj-cdmo-support": "001_665f51de318f5560.txt",
    "bj-basic-public-services": "000_c69016aedb993fcf.txt",
}
_RADICALS = re.compile("[\u2e80-\u2ef3\u2f00-\u2fd5]")
_LINK_LINE = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$", re.MULTILINE)


def squeeze(text: str) -> str:
    """What "verbatim" is compared on: no whitespace (the PDF wrapped lines anywhere), no lines
    that are only a link (annotations the extraction put between the lines of a sentence), and
    Kangxi/CJK radical code points folded to the ordinary characters they stand for. All other
    characters, punctuation included, must match exactly."""
    text = _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), _LINK_LINE.sub("", text))
    return "".join(text.split())


def test_every_bundled_catalog_has_a_source():
    assert set(known_ids()) == set(SOURCE_OF)


@pytest.mark.parametrize("cid", sorted(SOURCE_OF))
def test_clause_texts_are_verbatim(cid):
    source = squeeze((SOURCES / SOURCE_OF[cid]).read_text(encoding="utf-8"))
    cat = load_catalog(cid)
    missing = [c.id for c in cat.clauses if any(squeeze(t) not in source for t in ([v for _, v in c.fields] if c.fields else [c.text]))]
    assert not missing, f"not found verbatim in {SOURCE_OF[cid]}: {missing}"


@pytest.mark.parametrize("cid", sorted(SOURCE_OF))
def test_doc_no_and_unit_names_occur_in_source(cid):
    source = squeeze((SOURCES / SOURCE_OF[cid]).read_text(encoding="utf-8"))
    cat = load_catalog(cid)
    assert not cat.doc_no or squeeze(cat.doc_no) in source  # a document that prints none has none
    for unit in cat.units.values():
        assert squeeze(unit.name) in source, unit


@pytest.fixture(scope="module")
def rtv():
    return load_catalog("bj-rtv-3g3b")


def test_rtv_has_all_fifty_articles_in_order_with_chapters(rtv):
    articles = [parse_ref(c.ref).article for c in rtv.clauses]
    assert sorted(set(articles)) == list(range(1, 51))
    assert articles == sorted(articles)
    assert all(c.chapter.startswith("第") and "章 " in c.chapter for c in rtv.clauses)
    assert {c.chapter for c in rtv.clauses if parse_ref(c.ref).article == 49} == {"第七章 大型活动安全工作措施"}


def test_rtv_declares_the_units_the_text_names(rtv):
    names = {u.name for u in rtv.units.values()}
    for name in [
        "局安全生产工作领导小组",
        "办公室(安全监管办公室)",
        "规划发展处(产业促进处)",
        "宣传管理处",
        "电视剧管理处",
        "传媒机构管理处",
        "网络视听节目管理处",
        "媒体融合发展处",
        "科技处(公共服务处)",
        "人事处",
        "综合中心",
        "发展中心",
        "政策法规处",
        "行政审批处",
        "财务处",
        "各区广电归口管理单位",
        "局党组",
        "各处室单位及各区广电归口管理单位",
    ]:
        assert name in names, name
    assert rtv.find_unit("局办公室（安监办）").id == rtv.find_unit("安监办").id  # full-width parentheses, NFKC


# The unit each article of chapter three names, and how many numbered items it has.
CHAPTER_THREE = {
    14: ("办公室(安全监管办公室)", 8),
    15: ("规划发展处(产业促进处)", 2),
    16: ("宣传管理处", 3),
    17: ("电视剧管理处", 2),
    18: ("传媒机构管理处", 2),
    19: ("网络视听节目管理处", 3),
    20: ("媒体融合发展处", 0),
    21: ("科技处(公共服务处)", 4),
    22: ("人事处", 0),
    23: ("综合中心", 0),
    24: ("发展中心", 0),
}


# Articles whose opening sentence only introduces its items (or repeats them): the duties are asked
# once, at the items, so that they do not count twice in the score.
PARENT_ASKS_NOTHING = {14: True, 16: True, 17: True, 18: True, 19: True, 21: True}


@pytest.mark.parametrize("article", sorted(CHAPTER_THREE))
def test_rtv_items_of_chapter_three_are_clauses_with_their_unit(rtv, article):
    name, items = CHAPTER_THREE[article]
    clauses = [c for c in rtv.clauses if parse_ref(c.ref).article == article]
    numbered = [c for c in clauses if parse_ref(c.ref).item is not None]
    assert [parse_ref(c.ref).item for c in numbered] == list(range(1, items + 1))
    for c in clauses:
        if c in numbered or not PARENT_ASKS_NOTHING.get(article):
            assert [rtv.units[a.unit].name for a in c.responsible] == [name], c.id
            assert c.checks, c.id
        else:  # it only introduces its items, which carry the duties and their questions
            assert not c.responsible and not c.checks, c.id


def test_rtv_frequencies(rtv):
    freq = {c.ref: c.frequency for c in rtv.clauses if c.frequency}
    assert freq["第八条"] == "每半年至少一次"
    assert freq["第二十六条"] == "每季度"
    assert freq["第十四条第2项"] == freq["第十四条第3项"] == "每年"


def test_rtv_every_duty_has_a_question(rtv):
    for c in rtv.clauses:
        if c.responsible:
            assert c.checks and all(k.ask.endswith(("？", "?")) for k in c.checks), c.id


def test_rtv_article_49_filing_rule_is_data(rtv):
    a49 = next(c for c in rtv.clauses if c.ref == "第四十九条")
    (step,) = a49.deadline["steps"]
    assert step["working_days"] == 10 and step["direction"] == "before"
    assert step["documents"] == ["安全保障工作方案", "社会稳定风险评估报告备案表", "活动安全隐患排查治理表"]
    assert rtv.units[step["file_with"]].name == "办公室(安全监管办公室)"
    cases = {c["level"]: c for c in a49.safety_lead}
    assert rtv.units[cases["国家级"]["designated_by"]].name == "局党组"
    assert "主要负责人" in cases["其他"]["post"]


def test_rtv_duties_of_tech_include_group_articles(rtv):
    tech = rtv.find_unit("科技处")
    refs = {c.ref: role for c, role in rtv.duties_of(tech.id)}
    assert {"第二十一条第1项", "第二十一条第2项", "第二十六条", "第三十四条", "第三十九条", "第四十四条", "第四十九条"} <= set(refs)
    assert refs["第二十一条第1项"] == LEAD
    assert "第二十一条" not in refs  # it only introduces its items, which carry the duties
    assert refs.get("第五条") == SUPPORT  # 各配合处室… support the office
