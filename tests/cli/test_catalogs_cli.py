"""Published catalogs on the command line (the folder the web app publishes into, on
$CHECKLIST_CATALOGS): `catalogs` lists each with its versions, `catalogs export` writes one as
the bundled catalogs are kept, `audit new` names the version it used and keeps reading it after
the next is published, `diff ID@1 ID@2` says what changed for each unit, and the 责任清单 in Word
opens in python-docx and in LibreOffice."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from catalog_helpers import DOC_NO, FIRST, REVISED, REVISED_DOC_NO, TITLE, plan_docx

from checklist.authoring.review import import_for_review
from checklist.register import catalog_drafts as drafts
from checklist.register import catalog_versions as versions
from checklist.register.db import open_register


@pytest.fixture
def published(run, tmp_path, monkeypatch):
    """plan@1 published into tmp/catalogs (which the command line searches), an audit made on
    it with `audit new`, then plan@2 published: (the folder, the audit)."""
    engine = open_register(f"sqlite:///{tmp_path / 'r.db'}")
    folder, audit = tmp_path / "catalogs", tmp_path / "first-audit.yaml"
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(folder))
    for rows, doc_no in ((FIRST, DOC_NO), (REVISED, REVISED_DOC_NO)):
        data = import_for_review(str(plan_docx(tmp_path / f"plan-{doc_no}.docx", rows, doc_no)), "plan")
        d = drafts.start(engine, "plan", data, "编辑甲")
        d = drafts.change(engine, "plan", {"op": "meta", "field": "title", "value": TITLE}, d.version, "编辑甲")
        if d.open_findings:
            unit = next(u["id"] for u in d.catalog["units"] if u["name"] == "区应急局")
            d = drafts.change(
                engine, "plan", {"op": "clause", "clause": "S3", "field": "responsible", "value": [unit]}, d.version, "编辑甲"
            )
            d = drafts.change(engine, "plan", {"op": "review", "finding": 1}, d.version, "编辑甲")
        quarterly = {"every": "quarter", "due": {"last_working_day": True}}
        d = drafts.change(engine, "plan", {"op": "clause", "clause": "S2", "field": "recurrence", "value": quarterly}, d.version, "编辑甲")
        versions.publish(engine, "plan", d.version, "编辑甲", folder)
        if doc_no == DOC_NO:
            made = run(
                "audit",
                "new",
                "--catalog",
                "plan",
                "--unit",
                "区应急局",
                "--target",
                "区应急局",
                "--inspector",
                "张三",
                "--date",
                "2026-11-25",
                "-o",
                audit,
            )
            assert made.exit_code == 0, made.output
    yield folder, audit


def test_catalogs_lists_the_latest_version_and_every_version(run, published):
    result = run("catalogs")
    line = next(x for x in result.output.splitlines() if x.startswith("plan "))
    assert REVISED_DOC_NO in line and "第 2 版（已发布版本：1, 2）" in line
    rows = json.loads(run("catalogs", "--format", "json").output)
    assert next(r for r in rows if r["id"] == "plan")["versions"] == [1, 2]


def test_export_writes_a_version_as_the_bundled_catalogs_are(run, published, tmp_path):
    out = tmp_path / "out" / "plan-1.yaml"
    result = run("catalogs", "export", "plan@1", "-o", out)
    assert result.exit_code == 0 and "plan 第 1 版，4 条条款" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=") and "\nversion: 1\n" in text and DOC_NO in text
    assert run("validate", out).exit_code == 0
    assert run("catalogs", "export", "plan@1", "-o", out).exit_code == 2  # never over a file without --force
    assert run("catalogs", "export", "plan@3", "-o", tmp_path / "x.yaml").exit_code == 2


def test_an_audit_keeps_the_version_it_was_made_from(run, published):
    _, audit = published
    assert "version: 1" in audit.read_text(encoding="utf-8")
    status = run("audit", "status", audit)
    assert status.exit_code == 0 and "has changed since" not in status.output
    assert run("validate", audit).exit_code == 0


def test_the_duty_calendar_reads_the_latest_version(run, published):
    result = run("calendar", "--catalog", "plan", "--unit", "区应急局", "--from", "2026-01-01", "--to", "2026-12-31")
    assert result.exit_code == 0 and result.output.count("每季度开展一次安全生产大检查和隐患排查") == 4


def test_diff_of_two_versions_says_what_changed_for_each_unit(run, published):
    result = run("diff", "plan@1", "plan@2")
    assert result.exit_code == 0
    by_unit = result.output[result.output.index("按单位:") :]
    assert "区财政局\n" in by_unit and "序号5: 新增职责（牵头）" in by_unit and "序号4: 不再承担（配合）" in by_unit
    data = json.loads(run("diff", "plan@1", "plan@2", "--format", "json").output)
    assert {"kind": "gained", "ref": "序号5", "words": "新增职责（牵头）"} in data["units"]["区财政局"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: ./run test installs it")
def test_the_duties_in_word_open_in_an_office(run, published, tmp_path):
    import docx
    import pdfplumber

    out = tmp_path / "duties.docx"
    assert run("duties", "--catalog", "plan", "--format", "docx", "-o", out).exit_code == 0
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "区应急局责任清单" in text and "区财政局责任清单" in text and f"{REVISED_DOC_NO}）第2版" in text
    assert "建立安全生产举报奖励制度。" in "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    with pdfplumber.open(tmp_path / "duties.pdf") as pdf:
        printed = "".join((p.extract_text() or "") for p in pdf.pages)
        assert round(pdf.pages[0].width) > round(pdf.pages[0].height)  # landscape A4, as the template sets it
    squeezed = "".join(printed.split())
    assert "区应急局责任清单" in squeezed and "建立安全生产举报奖励制度" in squeezed and "示安发〔2026〕5号" in squeezed
