"""Editors can validate what the tool writes (issue 16, item 10): every written file's modeline
names a schema file an editor can open, checked with check-jsonschema, a client nobody here wrote."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from audit_helpers import NEW_AUDIT
from extras import need
from paths import ROOT

from checklist.files.resources import data_dir

NEW = [*NEW_AUDIT, "--date", "2026-11-20"]
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def schema_of(path: Path) -> Path:
    """The schema the file's first line names, resolved as yaml-language-server does: relative to
    the file's folder unless absolute. No URL is accepted: no editor could fetch it offline."""
    m = MODELINE.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert m, path.read_text(encoding="utf-8")[:200]
    ref = m.group(1)
    assert "://" not in ref
    return path.parent / ref


def check_jsonschema(schema: Path, instance: Path) -> subprocess.CompletedProcess:
    need("check_jsonschema", "as a schema client nobody here wrote")
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(instance)], capture_output=True, text=True, timeout=120
    )


def test_export_copies_every_shipped_schema(run, tmp_path):
    result = run("schemas", "export", tmp_path / "s")
    assert result.exit_code == 0, result.output
    shipped = sorted(p.name for p in data_dir("schemas").glob("*.schema.json"))
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == shipped
    assert all((tmp_path / "s" / n).read_bytes() == (data_dir("schemas") / n).read_bytes() for n in shipped)
    assert run("schemas", "export", tmp_path / "s").exit_code == 0  # an older export is replaced


@pytest.mark.slow
@pytest.mark.parametrize("where", ["schemas-up-the-tree", "--schemas", "installed"])
def test_fresh_audit_validates_against_the_schema_its_modeline_names(run, new_audit, tmp_path, where):
    project = tmp_path / "project"
    extra = []
    if where != "installed":
        assert run("schemas", "export", project / ("schemas" if where == "schemas-up-the-tree" else "elsewhere")).exit_code == 0
    if where == "--schemas":
        extra = ["--schemas", project / "elsewhere"]
    out = new_audit(project / "audits" / "2026" / "tech.yaml", *extra)
    schema = schema_of(out)
    expected = {
        "schemas-up-the-tree": project / "schemas" / "audit.schema.json",
        "--schemas": project / "elsewhere" / "audit.schema.json",
        "installed": data_dir("schemas") / "audit.schema.json",
    }[where]
    assert schema.resolve() == expected.resolve()
    assert (where == "installed") == Path(MODELINE.match(out.read_text(encoding="utf-8").splitlines()[0]).group(1)).is_absolute()
    checked = check_jsonschema(schema, out)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # and the client does check: an audit with no inspector fails against the same schema
    broken = out.with_name("broken.yaml")
    broken.write_text(re.sub(r"inspectors:\n- 张三\n", "inspectors: []\n", out.read_text(encoding="utf-8")), encoding="utf-8")
    assert check_jsonschema(schema, broken).returncode == 1
    # the tool itself still tells the kind from the modeline
    assert run("validate", out).exit_code == 0


def test_saving_keeps_a_modeline_that_resolves_and_replaces_an_unreachable_url(run, tmp_path):
    assert run("schemas", "export", tmp_path / "elsewhere").exit_code == 0
    out = tmp_path / "a" / "tech.yaml"
    assert run(*NEW, "--schemas", tmp_path / "elsewhere", "-o", out).exit_code == 0
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert run("audit", "run", out, input="y\nq\n").exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == first  # kept, though no schemas/ is up the tree
    old = out.read_text(encoding="utf-8").replace(
        first, "# yaml-language-server: $schema=https://checklist.local/schemas/audit.schema.json"
    )
    out.write_text(old, encoding="utf-8")
    assert run("audit", "run", out, input="y\nq\n").exit_code == 0
    assert schema_of(out).resolve() == (data_dir("schemas") / "audit.schema.json").resolve()


@pytest.mark.slow
def test_batch_audits_and_import_drafts_name_a_reachable_schema(run, monkeypatch, tmp_path):
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(ROOT / "tests" / "examples" / "catalog" / "valid"))
    assert run("schemas", "export", tmp_path / "schemas").exit_code == 0
    (tmp_path / "p.csv").write_text("名称,建筑面积\n甲,120\n", encoding="utf-8")
    result = run("audit", "batch", "--catalog", "rules", "--kind", "base", "--facts", tmp_path / "p.csv", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    audit = next((tmp_path / "out").glob("001-*.yaml"))
    assert schema_of(audit) == tmp_path / "out" / "../schemas/audit.schema.json"
    assert check_jsonschema(schema_of(audit), audit).returncode == 0

    source = tmp_path / "text.txt"
    source.write_text("第一条 本办法自发布之日起施行。\n", encoding="utf-8")
    draft = tmp_path / "drafts" / "d.yaml"
    assert run("import", source, "--layout", "articles", "-o", draft).exit_code == 0
    assert schema_of(draft).resolve() == (tmp_path / "schemas" / "catalog.schema.json").resolve()
    checked = check_jsonschema(schema_of(draft), draft)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_schemas_folder_without_the_schema_is_a_usage_error(run, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run(*NEW, "--schemas", tmp_path / "empty", "-o", tmp_path / "a.yaml")
    assert result.exit_code == 2 and "checklist schemas export" in result.output
    assert not (tmp_path / "a.yaml").exists()
