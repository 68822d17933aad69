"""The wheel carries schemas, catalogs and templates: run from another folder, it needs no checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest
from paths import ROOT


@pytest.mark.slow
def test_wheel_ships_data_and_works_elsewhere(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("checklist-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert "checklist/schemas/catalog.schema.json" in names
        assert "checklist/catalogs/bj-rtv-3g3b.yaml" in names
        assert {"checklist/templates/report.html.j2", "checklist/templates/base.css", "checklist/schemas/audit.schema.json"} <= names
        assert {
            "checklist/web/templates/web/audit.html.j2",
            "checklist/web/static/app.js",
            "checklist/web/static/app.css",
            "checklist/web/static/catalogs.js",
            "checklist/web/templates/web/catalog_draft.html.j2",
        } <= names  # the web app's
        assert "checklist/templates/duties.docx" in names  # the Word template of the 责任清单
        assert "checklist/register/migrations/versions/r0002_users.py" in names
        assert "checklist/register/migrations/versions/r0005_catalogs.py" in names
        z.extractall(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    proc = subprocess.run(
        [sys.executable, "-m", "checklist", "catalogs", "--format", "json"], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert str(tmp_path / "site" / "checklist" / "catalogs") in proc.stdout
    assert "bj-rtv-3g3b" in proc.stdout
