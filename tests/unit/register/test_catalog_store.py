"""Catalog drafts and published versions in the register, on SQLite and PostgreSQL: a draft is
changed one change at a time under an optimistic version, published only when it has no problem
and every finding is reviewed, and a published version is never changed — its file written once,
written again from the register when the folder lacks it, never overwritten."""

from __future__ import annotations

import hashlib

import pytest
from catalog_helpers import FIRST, REVISED, REVISED_DOC_NO, TITLE, plan_docx

from checklist.authoring.review import import_for_review
from checklist.errors import ConcurrentChangeError, Refusal
from checklist.model import library
from checklist.register import catalog_drafts as drafts
from checklist.register import catalog_versions as versions
from checklist.register.db import open_register


@pytest.fixture
def store(db_url, tmp_path):
    engine = open_register(db_url)
    folder = tmp_path / "catalogs"
    library.use_published(folder)
    yield engine, folder
    library.use_published(None)


def imported(tmp_path, rows=FIRST, doc_no="示安发〔2026〕3号"):
    return import_for_review(str(plan_docx(tmp_path / f"plan-{len(rows)}.docx", rows, doc_no)), "plan", "plan.docx")


def ready(engine, d):
    """Put the draft right as the reviewer would: a title, the flagged clause's unit, its finding reviewed."""
    d = drafts.change(engine, "plan", {"op": "meta", "field": "title", "value": TITLE}, d.version, "编辑甲")
    lead = next(u["id"] for u in d.catalog["units"] if u["name"] == "区应急局")
    d = drafts.change(engine, "plan", {"op": "clause", "clause": "S3", "field": "responsible", "value": [lead]}, d.version, "编辑甲")
    for f in d.open_findings:
        d = drafts.change(engine, "plan", {"op": "review", "finding": f["id"]}, d.version, "编辑甲")
    return d


def test_a_draft_is_published_as_version_one(store, tmp_path):
    engine, folder = store
    d = drafts.start(engine, "plan", imported(tmp_path), "编辑甲")
    assert d.version == 1 and d.base is None and not d.publishable
    assert [p["check"] for p in d.problems] == ["placeholder"] and [f["clause"] for f in d.open_findings] == ["S3"]
    with pytest.raises(Refusal) as refused:
        versions.publish(engine, "plan", d.version, "编辑甲", folder)
    assert refused.value.code == "catalog.not_ready" and refused.value.params == {"catalog": "plan", "errors": 1, "findings": 1}

    d = ready(engine, d)
    assert d.publishable and d.version == 4
    v = versions.publish(engine, "plan", d.version, "编辑甲", folder)
    assert (v.version, v.doc_no, v.title) == (1, "示安发〔2026〕3号", TITLE)
    path = folder / "plan@1.yaml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == v.sha256
    cat = library.load_catalog("plan")
    assert (cat.version, cat.ref, cat.doc_no) == (1, "plan@1", "示安发〔2026〕3号")
    assert library.known_ids().count("plan") == 1 and library.versions("plan") == [1]
    with pytest.raises(Refusal) as gone:  # the draft is gone: its page says the version is published
        drafts.get(engine, "plan")
    assert gone.value.code == "catalog.published"


def test_a_change_made_on_an_older_version_is_refused_and_nothing_is_written(store, tmp_path):
    engine, _ = store
    d = drafts.start(engine, "plan", imported(tmp_path), "编辑甲")
    drafts.change(engine, "plan", {"op": "meta", "field": "title", "value": "甲的标题"}, d.version, "编辑甲")
    with pytest.raises(ConcurrentChangeError) as late:
        drafts.change(engine, "plan", {"op": "meta", "field": "title", "value": "乙的标题"}, d.version, "编辑乙")
    assert late.value.code == "catalog.changed" and late.value.params["by"] == "编辑甲" and late.value.params["version"] == 2
    assert drafts.get(engine, "plan").catalog["title"] == "甲的标题"


def test_a_published_version_is_never_changed(store, tmp_path):
    engine, folder = store
    v1 = versions.publish(
        engine, "plan", ready(engine, drafts.start(engine, "plan", imported(tmp_path), "编辑甲")).version, "编辑甲", folder
    )
    first = (folder / "plan@1.yaml").read_bytes()
    with pytest.raises(Refusal) as refused:
        drafts.change(engine, "plan", {"op": "meta", "field": "title", "value": "改"}, 5, "编辑甲")
    assert refused.value.code == "catalog.published"

    d = drafts.start(engine, "plan", imported(tmp_path, REVISED, REVISED_DOC_NO), "编辑甲")
    assert d.base == 1 and d.catalog["title"] == TITLE  # the revision keeps what the document does not print
    v2 = versions.publish(engine, "plan", d.version, "编辑甲", folder)
    assert v2.version == 2 and (folder / "plan@1.yaml").read_bytes() == first
    assert [v.version for v in versions.versions(engine, "plan")] == [1, 2]
    assert library.load_catalog("plan@1").sha256 == v1.sha256 and library.load_catalog("plan").version == 2
    assert library.load_catalog("plan").doc_no == REVISED_DOC_NO


def test_the_folder_is_written_again_from_the_register(store, tmp_path):
    engine, folder = store
    v = versions.publish(
        engine, "plan", ready(engine, drafts.start(engine, "plan", imported(tmp_path), "编辑甲")).version, "编辑甲", folder
    )
    (folder / "plan@1.yaml").unlink()
    assert versions.sync(engine, folder) == ["plan@1.yaml"]
    assert hashlib.sha256((folder / "plan@1.yaml").read_bytes()).hexdigest() == v.sha256
    assert versions.sync(engine, folder) == []


def test_a_draft_from_the_latest_version_and_its_discarding(store, tmp_path):
    engine, folder = store
    versions.publish(engine, "plan", ready(engine, drafts.start(engine, "plan", imported(tmp_path), "编辑甲")).version, "编辑甲", folder)
    d = drafts.start_from_version(engine, "plan", "编辑乙")
    assert d.base == 1 and "version" not in d.catalog and d.publishable and d.source["name"] == "plan.docx"
    with pytest.raises(Refusal) as twice:
        drafts.start_from_version(engine, "plan", "编辑甲")
    assert twice.value.code == "catalog.draft_exists" and twice.value.params["by"] == "编辑乙"
    drafts.discard(engine, "plan", d.version)
    assert library.versions("plan") == [1]


def test_an_id_of_a_catalog_kept_as_a_file_is_not_taken(store, tmp_path):
    engine, _ = store
    with pytest.raises(Refusal) as taken:
        drafts.start(engine, "bj-rtv-3g3b", imported(tmp_path), "编辑甲")
    assert taken.value.code == "catalog.id_taken"
    with pytest.raises(Refusal) as bad:
        drafts.start(engine, "Plan 2", imported(tmp_path), "编辑甲")
    assert bad.value.code == "import.catalog_id"
