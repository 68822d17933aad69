"""A document imported for review: every clause keeps its place and the page finds the lines it
was read from; findings stand on their clauses (not in the notes); each change a reviewer makes
is data, checked on its way in, and the draft is then checked as `validate` checks a catalog,
each problem on the field it is about; a revision keeps what the reviewer wrote where the
document did not change."""

from __future__ import annotations

import pytest
from catalog_helpers import FIRST, REVISED, plan_docx
from paths import ROOT

from checklist.authoring.draft_check import catalog_yaml, problems
from checklist.authoring.editing import apply
from checklist.authoring.review import import_for_review, place_lines
from checklist.authoring.revision import carry_over
from checklist.errors import Refusal
from checklist.files.kinds import load_valid


@pytest.fixture
def plan(tmp_path):
    return import_for_review(str(plan_docx(tmp_path / "plan.docx")), "plan", "plan.docx")


def test_a_word_table_is_read_with_each_row_beside_its_clause(plan):
    clauses = {c["id"]: c for c in plan["catalog"]["clauses"]}
    assert clauses["S3"]["source_place"] == {"kind": "table", "table": 1, "row": 4}
    lines = place_lines(plan["source"]["lines"], clauses["S3"]["source_place"])
    assert [line[1] for line in lines] == ["3\t加强重点行业领域监管执法。\t按照职责分工抓好落实并定期报告进展情况\t\t持续推进"]
    assert plan["source"]["format"] == "docx" and plan["source"]["name"] == "plan.docx"
    (finding,) = plan["findings"]
    assert (finding["clause"], finding["kind"], finding["blocking"], finding["id"]) == ("S3", "units unlike unit names", False, 1)
    assert "note" not in clauses["S3"]  # the finding is on the clause, not written into its note


@pytest.mark.parametrize(
    ("name", "clause", "words"),
    [
        ("task-list.html", "S1", "建立工作专班"),
        ("measures.md", "T2", "完善配套政策"),
        ("regulation.docx", "A2", "各单位应当履行下列职责"),
    ],
)
def test_every_reader_gives_each_clause_its_lines(name, clause, words):
    d = import_for_review(str(ROOT / "examples" / "import" / name), "x", name)
    c = next(c for c in d["catalog"]["clauses"] if c["id"] == clause)
    assert any(words in line[1] for line in place_lines(d["source"]["lines"], c["source_place"]))


def test_a_text_keeps_its_own_line_numbers():
    d = import_for_review(str(ROOT / "sources" / "002_7089cab31d4cc2d1.txt"), "x")
    c = next(c for c in d["catalog"]["clauses"] if c["id"] == "S3")
    (line,) = place_lines(d["source"]["lines"], c["source_place"])
    assert line[0] == c["source_place"]["from"] and line[1].startswith("3 ")
    assert any(f["clause"] == "S3" and f["kind"] == "incomplete item" for f in d["findings"])


def draft_of(plan):
    return {"catalog": plan["catalog"], "findings": plan["findings"]}


def test_changes_are_data_and_the_old_draft_is_left_as_it_was(plan):
    before = draft_of(plan)
    after = apply(
        before,
        {"op": "clause", "clause": "S1", "field": "checks", "value": [{"id": "S1-a", "ask": "是否建立？"}, {"ask": "是否明确？"}]},
        "甲",
        "t",
    )
    assert [k["id"] for k in after["catalog"]["clauses"][0]["checks"]] == ["S1-a", "S1-b"]
    assert before["catalog"]["clauses"][0]["checks"] == [{"id": "S1-a", "ask": "是否按职责分工落实本项措施？"}]
    after = apply(after, {"op": "clause", "clause": "S1", "field": "tags", "value": ["责任制", "责任制", " "]}, "甲", "t")
    assert after["catalog"]["clauses"][0]["tags"] == ["责任制"]
    units = [u["id"] for u in plan["catalog"]["units"]]
    after = apply(
        after,
        {"op": "clause", "clause": "S1", "field": "responsible", "value": [{"unit": units[1], "role": "support"}, units[0]]},
        "甲",
        "t",
    )
    assert after["catalog"]["clauses"][0]["responsible"] == [units[0], {"unit": units[1], "role": "support"}]  # lead first
    after = apply(after, {"op": "review", "finding": 1}, "甲", "t")
    assert after["findings"][0]["reviewed_by"] == "甲"
    with pytest.raises(Refusal) as hidden:
        apply(after, {"op": "clause", "clause": "S1", "field": "note", "value": "说明\u202e"}, "甲", "t")
    assert hidden.value.code == "value.character" and hidden.value.field == "clause.note"
    with pytest.raises(Refusal) as unknown:
        apply(after, {"op": "delete", "clause": "S9"}, "甲", "t")
    assert unknown.value.code == "catalog.unknown_clause"


def test_split_merge_add_and_delete():
    d = import_for_review(str(ROOT / "examples" / "import" / "regulation.docx"), "reg")
    draft = draft_of(d)
    text = next(c for c in draft["catalog"]["clauses"] if c["id"] == "A1")["text"]
    cut = text.index("，") + 1
    split = apply(draft, {"op": "split", "clause": "A1", "at": cut}, "甲", "t")
    a1, a1b = split["catalog"]["clauses"][:2]
    assert (a1["text"], a1b["id"], a1b["text"], a1b["ref"]) == (text[:cut], "A1.2", text[cut:], a1["ref"])
    assert a1b["source_place"] == a1["source_place"]
    merged = apply(split, {"op": "merge", "clause": "A1"}, "甲", "t")
    assert merged["catalog"]["clauses"][0]["text"] == f"{text[:cut]}\n{text[cut:]}" and merged["catalog"]["clauses"][1]["id"] == "A2"
    with pytest.raises(Refusal) as nowhere:
        apply(draft, {"op": "split", "clause": "A1", "at": 0}, "甲", "t")
    assert nowhere.value.code == "catalog.split"
    added = apply(draft, {"op": "add", "after": "A1", "ref": "第一条之一", "text": "新增的条文。"}, "甲", "t")
    assert [c["id"] for c in added["catalog"]["clauses"][:2]] == ["A1", "N1"]
    with pytest.raises(Refusal) as empty:
        apply(draft, {"op": "add", "after": "A1", "ref": "第一条之一", "text": " "}, "甲", "t")
    assert (empty.value.code, empty.value.field) == ("value.required", "clause.text")
    deleted = apply(draft, {"op": "delete", "clause": "A1"}, "甲", "t")
    assert "A1" not in [c["id"] for c in deleted["catalog"]["clauses"]]


def test_problems_are_those_of_validate_each_on_its_field(plan):
    draft = apply(draft_of(plan), {"op": "meta", "field": "title", "value": "示例方案"}, "甲", "t")
    assert problems(draft["catalog"]) == []
    draft = apply(draft, {"op": "clause", "clause": "S2", "field": "checks", "value": [{"ask": ""}]}, "甲", "t")
    draft = apply(
        draft, {"op": "clause", "clause": "S4", "field": "checks", "value": [{"ask": "问？", "applies_to": ["nobody"]}]}, "甲", "t"
    )
    draft = apply(draft, {"op": "clause", "clause": "S1", "field": "ref", "value": "第十零条"}, "甲", "t")
    found = {(p["clause"], p["field"], p["check"]) for p in problems(draft["catalog"])}
    assert found == {("S2", "checks", "minLength"), ("S4", "checks", "applies-to"), ("S1", "ref", "article-ref")}


def test_the_yaml_published_is_a_catalog_validate_accepts(plan, tmp_path):
    draft = apply(draft_of(plan), {"op": "meta", "field": "title", "value": "示例方案"}, "甲", "t")
    path = tmp_path / "plan.yaml"
    path.write_text(catalog_yaml(draft["catalog"] | {"version": 3}, ["a head"]), encoding="utf-8")
    doc = load_valid(path, "catalog")
    assert doc.data["version"] == 3 and doc.text.startswith("# a head\nid: plan\nversion: 3\ntitle: 示例方案\n")


def test_a_revision_keeps_what_the_reviewer_wrote_where_the_document_did_not_change(plan, tmp_path):
    earlier = apply(draft_of(plan), {"op": "meta", "field": "title", "value": "示例方案"}, "甲", "t")
    for cid in ("S1", "S2"):
        earlier = apply(earlier, {"op": "clause", "clause": cid, "field": "tags", "value": ["检查"]}, "甲", "t")
    revised = import_for_review(str(plan_docx(tmp_path / "plan-2.docx", REVISED)), "plan")["catalog"]
    kept = carry_over(revised, earlier["catalog"])
    assert kept == ["S1", "S3", "S4"] and revised["title"] == "示例方案"
    tags = {c["id"]: c.get("tags") for c in revised["clauses"]}
    assert tags["S1"] == ["检查"] and tags["S2"] is None  # S2 was reworded: as the new document has it
    assert len(FIRST) == 4 and len(revised["clauses"]) == 5
