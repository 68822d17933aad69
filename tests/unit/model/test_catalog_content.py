"""What the bundled catalogs say: one question per duty, rules that decide what the text decides,
duties given to the units the text names, and the parts of a source a catalog claims transcribed.

The catalogs are read here as plain YAML (with yaml's safe loader), not through the package, so these
tests do not depend on where the package keeps its modules. Only the rule interpreter is imported,
to evaluate rules at their boundaries.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import hashlib
import itertools
from decimal import Decimal

import pytest
import yaml
from paths import ROOT

from checklist.model.rules import FAIL, PASS, UNDECIDED, Quantity, evaluate, parse_quantity

CATALOGS = ROOT / "catalogs"
AUDIT_DATE = dt.date(2026, 11, 20)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def catalog(cid: str) -> dict:
    """A bundled catalog as plain data, read once (callers do not change it)."""
    return yaml.load((CATALOGS / f"{cid}.yaml").read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def clauses(cid: str) -> dict[str, dict]:
    return {c["id"]: c for c in catalog(cid)["clauses"]}


def checks(cid: str) -> dict[str, dict]:
    return {k["id"]: k for c in catalog(cid)["clauses"] for k in c.get("checks", ())}


def squeeze(text: str) -> str:
    return "".join(text.split())


def clause_with(cid: str, words: str) -> dict:
    """The one clause whose text contains ``words`` (whitespace ignored)."""
    found = [c for c in catalog(cid)["clauses"] if squeeze(words) in squeeze(c.get("text", ""))]
    assert len(found) == 1, f"{cid}: {len(found)} clauses contain {words!r}"
    return found[0]


BUNDLED = sorted(p.stem for p in CATALOGS.glob("*.yaml"))

# --- one question per duty ------------------------------------------------------------------------

NEAR_IDENTICAL = 0.9
# A clause's own question against a question of one of its items (第十六条 and 第十六条第1项): the
# item restates the clause's duty for the bodies it names, so a lower likeness is already the same
# duty asked twice (A16-a 宣传管理处是否指导协调广播电视媒体开展…舆论引导 / A16-1-a …北京广播电视台、各区融媒体
# 中心…开展…舆论引导 is 0.73). The highest pair left is 0.64 (A15-a / A15-2-a, 园区内设施和活动 against
# 园区内企事业单位).
RESTATED_ITEM = 0.7

# Pairs of questions that read alike but ask about different duties, reviewed one by one. The
# words that tell them apart are given, so a change that loses them is noticed.
DISTINCT = {
    ("bj-basic-public-services", "S16-1-a", "S16-2-a"): ("寄宿学生", "非寄宿学生"),
    ("bj-basic-public-services", "S38-a", "S42-a"): ("慢性病", "结核病"),
    ("bj-basic-public-services", "S53-1-a", "S53-2-a"): ("死亡", "伤残"),
    ("bj-basic-public-services", "S71-a", "S72-a"): ("托养", "康复"),
    ("bj-rtv-3g3b", "A4-1-b", "A4-1-c"): ("指导协调", "督促落实"),
}


def item_of(clause: str, parent: str) -> bool:
    """Whether clause ``clause`` is an item of clause ``parent`` (A16-1 of A16, E1-1 of E1)."""
    return clause.startswith(parent + "-")


def similarity_at_least(a: str, b: str, bar: float) -> float:
    """difflib's ratio, or 0 when its cheap upper bounds already say it is below ``bar``."""
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < bar or m.quick_ratio() < bar:
        return 0.0
    return m.ratio()


def twins(cid: str, data: dict | None = None) -> list[tuple[str, str, float]]:
    """Pairs of questions asking one duty: near-identical anywhere, or alike between a clause and
    one of its items (the item restating the clause's duty for the bodies it names)."""
    cat = data or catalog(cid)
    clause_of = {k["id"]: c["id"] for c in cat["clauses"] for k in c.get("checks", ())}
    asked = {k["id"]: k for c in cat["clauses"] for k in c.get("checks", ())}
    found = []
    for a, b in itertools.combinations(asked, 2):
        ca, cb = clause_of[a], clause_of[b]
        bar = RESTATED_ITEM if item_of(ca, cb) or item_of(cb, ca) else NEAR_IDENTICAL
        r = similarity_at_least(asked[a]["ask"], asked[b]["ask"], bar)
        if r >= bar and (cid, a, b) not in DISTINCT:
            found.append((a, b, round(r, 3)))
    return found


@pytest.mark.parametrize("cid", BUNDLED)
def test_no_two_checks_ask_the_same_question(cid):
    """A duty asked twice counts twice in the score: no two questions of a catalog may be the same
    or near-identical (or, between a clause and its item, alike), unless the pair was reviewed as
    two different duties (DISTINCT)."""
    assert not twins(cid), f"{cid}: questions asking one duty twice {twins(cid)}"


def test_the_review_s_near_duplicates_are_caught():
    """The pairs the domain review found in bj-rtv-3g3b (a 第十六条/第十七条/第二十一条 question and the
    same duty at the article's item) are caught by the check above when put back."""
    cat = catalog("bj-rtv-3g3b")
    restored = {
        "A16": [
            "宣传管理处是否指导协调广播电视媒体开展安全生产新闻宣传和舆论引导？",
            "宣传管理处是否监督指导在北京市广电局备案的广播电视节目在京拍摄、制作过程中的安全生产工作？",
        ],
        "A17": ["电视剧管理处是否监督指导在北京市广电局备案的电视剧组开展安全生产工作？"],
        "A21": ["科技处(公共服务处)是否监督指导广播电视播出、集成、传输、分发、覆盖业务过程的安全生产工作？"],
    }
    clauses_back = [
        dict(c, checks=[{"id": f"{c['id']}-{'ab'[i]}", "ask": q} for i, q in enumerate(restored[c["id"]])]) if c["id"] in restored else c
        for c in cat["clauses"]
    ]
    found = {(a, b) for a, b, _ in twins("bj-rtv-3g3b", dict(cat, clauses=clauses_back))}
    assert {("A16-a", "A16-1-a"), ("A16-b", "A16-2-a"), ("A17-a", "A17-2-a"), ("A21-a", "A21-1-a")} <= found


@pytest.mark.parametrize("key", sorted(DISTINCT))
def test_reviewed_look_alike_questions_still_differ_in_their_words(key):
    cid, a, b = key
    asked = checks(cid)
    words_a, words_b = DISTINCT[key]
    assert words_a in asked[a]["ask"] and words_b in asked[b]["ask"], key
    assert words_b not in asked[a]["ask"].replace(words_a, ""), key


def test_rtv_parent_clauses_leave_their_items_to_ask():
    """第十四条 (its items 1–8), 第十六条 (items 1 and 2 repeat it), 第十七条 (item 2 repeats it),
    第十八条 (item 1 repeats it), 第十九条 (items 1 and 3 repeat it) and 第二十一条 (item 1 repeats it)
    only introduce their items: their duties are asked once, at the items."""
    rtv = clauses("bj-rtv-3g3b")
    asked = checks("bj-rtv-3g3b")
    for gone in ("A14-a", "A16-a", "A16-b", "A17-a", "A17-b", "A18-a", "A19-a", "A19-b", "A21-a"):
        assert gone not in asked, gone
    for parent in ("A14", "A16", "A17", "A18", "A19", "A21"):
        assert not rtv[parent].get("checks") and not rtv[parent].get("responsible"), parent
        assert "项" in rtv[parent].get("note", ""), parent  # says where its duties are asked
    for kept in [f"A14-{i}-a" for i in range(1, 9)] + [
        "A16-1-a",
        "A16-2-a",
        "A16-3-a",
        "A17-1-a",
        "A17-2-a",
        "A18-1-a",
        "A18-1-b",
        "A19-1-a",
        "A19-2-a",
        "A19-3-a",
        "A21-1-a",
        "A21-2-a",
        "A21-3-a",
        "A21-4-a",
    ]:
        assert kept in asked, kept


def test_rtv_no_question_is_a_catch_all_over_other_clauses():
    assert not [k["id"] for k in checks("bj-rtv-3g3b").values() if "本条所列" in k["ask"]]


def test_rtv_article_13_asks_about_holding_people_accountable():
    a13 = clauses("bj-rtv-3g3b")["A13"]
    assert "依规依纪依法进行责任追究" in a13["text"]
    asking = [k for k in a13["checks"] if "责任追究" in k["ask"]]
    assert len(asking) == 1 and asking[0]["ask"].endswith("？")


def test_rtv_article_49_asks_each_safety_lead_case_on_its_own():
    a49 = clauses("bj-rtv-3g3b")["A49"]
    lead_checks = [k for k in a49["checks"] if "活动安全负责人" in k["ask"]]
    assert len(lead_checks) == len(a49["safety_lead"]) == 2
    national = [k for k in lead_checks if "国家级" in k["ask"]]
    other = [k for k in lead_checks if "其他活动" in k["ask"]]
    assert len(national) == len(other) == 1
    assert "局党组指定" in national[0]["ask"] and "主要负责人" not in national[0]["ask"]
    assert "牵头处室单位主要负责人" in other[0]["ask"] and "国家级" not in other[0]["ask"]


@pytest.mark.parametrize("cid", BUNDLED)
def test_documents_to_file_are_all_asked_about_and_looked_at(cid):
    """A deadline step that lists documents to file (第四十九条's 一案两表: 《安全保障工作方案》,
    《社会稳定风险评估报告备案表》, 《活动安全隐患排查治理表》) has a question naming every one of
    them, and the inspector is told to look at every one."""
    for c in catalog(cid)["clauses"]:
        for step in (c.get("deadline") or {}).get("steps", ()):
            docs = step.get("documents")
            if not docs:
                continue
            asking = [k for k in c.get("checks", ()) if all(f"《{d}》" in k["ask"] for d in docs)]
            assert asking, f"{c['id']}: no question names all of {docs}"
            for k in asking:
                assert set(docs) <= set(k.get("evidence", ())), f"{k['id']} evidence {k.get('evidence')} lacks some of {docs}"


def test_rtv_article_49_files_the_three_documents_of_yi_an_liang_biao():
    (step,) = clauses("bj-rtv-3g3b")["A49"]["deadline"]["steps"]
    assert step["documents"] == ["安全保障工作方案", "社会稳定风险评估报告备案表", "活动安全隐患排查治理表"]


# --- what the register takes from outside the sources ------------------------------------------------

LAW_16 = "原国家安全生产监督管理总局令第16号"


def test_order_16_is_cited_as_outside_the_sources():
    """The six parts of the 治理方案 and the statistics' due dates come from 原国家安全生产监督管理总局令
    第16号, which no source document holds: the catalog and the register guide cite it as such, and
    the seed's articles (第十二条, 第四十条) stay the basis."""
    assert not any("总局令第16号" in p.read_text(encoding="utf-8") for p in (ROOT / "sources").glob("*.txt"))
    rtv = clauses("bj-rtv-3g3b")
    for cid, what in (("A12", "第十四条"), ("A40", "第十五条")):
        note = rtv[cid].get("note", "")
        assert LAW_16 in note and what in note and "不在本目录的来源文件中" in note and "依据" in note, cid
    assert "目标和任务、方法和措施、经费和物资、负责治理的机构和人员、时限和要求、安全措施和应急预案" in rtv["A40"]["note"]
    guide = squeeze((ROOT / "docs" / "guide" / "register.md").read_text(encoding="utf-8"))
    assert squeeze(f"{LAW_16}, 第十五条 and 第十四条), which is not among the source documents") in guide


# --- the example audit stays in step with its catalog -----------------------------------------------


def test_example_audit_matches_its_catalog():
    """examples/tech-2026q4.yaml records the catalog's SHA-256 (else `audit status` says the catalog
    has changed) and has exactly the checks `audit new --unit tech` selects, in catalog order."""
    audit = yaml.safe_load((ROOT / "examples" / "tech-2026q4.yaml").read_text(encoding="utf-8"))
    cid = audit["catalog"]["id"]
    path = CATALOGS / f"{cid}.yaml"
    assert audit["catalog"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    cat = catalog(cid)
    unit = audit["selection"]["unit"]
    groups = {g["id"]: set(g["members"]) for g in cat.get("unit_groups", ())}

    def binds(uid: str) -> bool:
        return uid == unit or unit in groups.get(uid, ())

    def unit_of(r) -> str:
        return r if isinstance(r, str) else r["unit"]

    expected = [
        (k["id"], c["id"], k["ask"])
        for c in cat["clauses"]
        if any(binds(unit_of(r)) for r in c.get("responsible", ()))
        for k in c.get("checks", ())
        if not k.get("applies_to") or any(binds(a) for a in k["applies_to"])
    ]
    assert [(e["id"], e["clause"], e["ask"]) for e in audit["checks"]] == expected
    findings = [e for e in audit["checks"] if e.get("finding")]
    assert [e["id"] for e in findings] == ["A21-2-a", "A26-a"]
    assert findings[0]["evidence"] == ["evidence/manhole-cover.jpg"]
    assert (ROOT / "examples" / "evidence" / "manhole-cover.jpg").is_file()


# --- bj-elderly-care-providers ------------------------------------------------------------------------


def test_elderly_reduced_training_hours_are_not_passed_by_a_credential():
    """附件5 四（二）: 16学时 a year; a credential allows fewer hours (可适当减少), not none. The rule
    never passes an assessor below 16 hours because of a credential: whether the reduction is
    适当 is the inspector's judgement (the question says so)."""
    cat = catalog("bj-elderly-care-providers")
    check = checks("bj-elderly-care-providers")["E4-2-b"]
    hours = lambda h: Quantity(Decimal(h), "学时")  # noqa: E731
    for credential in (True, False):
        for h, expected in (("0", FAIL), ("8", FAIL), ("15.5", FAIL), ("16", PASS), ("24", PASS)):
            facts = {"annual_training_hours": hours(h), "reduced_training_credential": credential}
            got = evaluate(check["rule"], facts, cat["facts"], AUDIT_DATE).outcome
            assert got == expected, (h, credential, got)
    assert evaluate(check["rule"], {"reduced_training_credential": True}, cat["facts"], AUDIT_DATE).outcome == UNDECIDED
    assert "检查人员" in check["ask"]


# The parts of 附件5 the catalog claims (source.part) that it had left out, by where they stand.
ASSESSMENT_DUTIES = {
    "1-1-one-site-per-street": "原则上每个街道(乡镇)设置1个集中定点评估场所。",
    "2-peak-5-working-days": "在集中评估高峰期,失能评估流程原则上不超过5个工作日,确保评估工作不积压。",
    "4-2-exam-and-work-card": "新增评估人员经岗前培训并考试合格的，颁发评估人员工作证。",
    "4-2-signed-undertaking": "在开展评估工作前，区民政局应组织评估人员签署《北京市老年人能力评估人员承诺书》，"
    "承诺内容包括开展评估工作时保证客观公正、未从事依评估结论而开展的相关工作等。",
    "4-2-by-20-january": "原则上此次消费补贴各区新增评估人员岗前培训及考试工作应于1月20日前完成。",
    "5-4-one-percent-spot-check": "对本区内领取消费补贴的老年人能力评估结果进行抽查,抽查比例不低于领取消费补贴失能老年人人数的1%",
}


@pytest.mark.parametrize("words", list(ASSESSMENT_DUTIES.values()), ids=list(ASSESSMENT_DUTIES))
def test_elderly_assessment_duties_are_transcribed_with_questions(words):
    c = clause_with("bj-elderly-care-providers", words)
    assert c.get("checks"), c["id"]
    assert c.get("responsible") or c.get("kinds"), c["id"]


def test_elderly_assessment_questions_carry_the_numbers_of_the_text():
    asks = [k["ask"] for k in checks("bj-elderly-care-providers").values()]
    for words in ("1个集中定点评估场所", "5个工作日", "评估人员工作证", "《北京市老年人能力评估人员承诺书》", "1月20日", "1%"):
        assert any(words in a for a in asks), words


def test_elderly_peak_assessment_limit_is_a_working_day_deadline():
    c = clause_with("bj-elderly-care-providers", "失能评估流程原则上不超过5个工作日")
    (step,) = c["deadline"]["steps"]
    assert step["working_days"] == 5 and step.get("direction", "after") == "after"
    assert "高峰期" in step["note"]


def test_elderly_source_part_names_what_is_transcribed():
    part = catalog("bj-elderly-care-providers")["source"]["part"]
    for words in ("一（一）", "二", "四（二）", "五（四）"):
        assert words in part, words


# --- bj-arts-master-studio ------------------------------------------------------------------------------


def _registered(text: str) -> str:
    cat = catalog("bj-arts-master-studio")
    rule = checks("bj-arts-master-studio")["A4-1-a"]["rule"]
    (name,) = {r["fact"] for r in _leaves(rule)}
    decl = cat["facts"][name]
    value = parse_quantity(text, decl.get("unit", ""))
    return evaluate(rule, {name: value}, cat["facts"], AUDIT_DATE).outcome


def _leaves(rule: dict):
    if "all" in rule or "any" in rule:
        for r in rule.get("all") or rule["any"]:
            yield from _leaves(r)
    elif "not" in rule:
        yield from _leaves(rule["not"])
    else:
        yield rule


def test_arts_registered_three_years_including_three():
    """第四条第（一）项: 注册登记3年以上 — 以上 includes the number (the question says 含3年)."""
    assert "含3年" in checks("bj-arts-master-studio")["A4-1-a"]["ask"]
    assert _registered("3年") == PASS  # exactly three years before the audit
    assert _registered("36个月") == PASS
    assert _registered("5年") == PASS
    one_day_short = Decimal(3) - Decimal(1) / Decimal(366)
    assert _registered(f"{one_day_short:.6f}年") == FAIL
    assert _registered("35个月") == FAIL
    assert (
        evaluate(checks("bj-arts-master-studio")["A4-1-a"]["rule"], {}, catalog("bj-arts-master-studio")["facts"], AUDIT_DATE).outcome
        == UNDECIDED
    )


# --- bj-skills-subsidy --------------------------------------------------------------------------------


def test_skills_employment_center_leads_the_publicity():
    """五（一）: 市就业促进中心负责…公示补助资金申请人信息 — it leads the 公示 of 三（二）, and the
    question on the 公示 is put to it."""
    p32 = clauses("bj-skills-subsidy")["P3-2"]
    assert "employment-center" in p32["responsible"]  # a plain id: lead
    assert {"unit": "employment-center", "role": "support"} not in p32["responsible"]
    publicity = [k for k in p32["checks"] if "公示" in k["ask"] and "公示未通过" not in k["ask"]]
    assert publicity and all(k.get("applies_to") == ["employment-center"] for k in publicity)
    assert clauses("bj-skills-subsidy")["P5-1.2"]["responsible"] == ["employment-center"]
