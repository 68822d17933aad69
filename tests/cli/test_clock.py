"""One clock: with the machine on UTC at 23:30 (07:30 the next morning in Beijing), every default
date is Beijing's. The machine's clock is moved with libfaketime (Debian's faketime, installed by
./run) in a separate process, so nothing inside checklist is patched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

FAKETIME = shutil.which("faketime")
pytestmark = pytest.mark.skipif(FAKETIME is None, reason="faketime is not installed (./run installs it)")
AT = "2026-11-24 23:30:00"  # UTC; Beijing: 2026-11-25 07:30


def at_2330_utc(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CHECKLIST_TZ"} | {"TZ": "UTC"}
    return subprocess.run([FAKETIME, AT, *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_machine_is_on_the_day_before(tmp_path):
    r = at_2330_utc(sys.executable, "-c", "import datetime; print(datetime.date.today())", cwd=tmp_path)
    assert r.stdout.strip() == "2026-11-24", r.stderr


def test_audit_new_dates_the_audit_in_beijing(tmp_path):
    out = tmp_path / "a.yaml"
    r = at_2330_utc(
        sys.executable, "-m", "checklist", "audit", "new", "--catalog", "bj-rtv-3g3b", "--unit", "办公室",
        "--target", "局办公室", "--inspector", "张三", "-o", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["date"] == "2026-11-25"


def test_the_web_app_defaults_to_beijing_today(tmp_path):
    script = (
        "from checklist.register.db import open_register\n"
        "from checklist.web.app import Settings\n"
        f"s = Settings(engine=open_register('sqlite:///{tmp_path / 'r.db'}'), data='d', files='f')\n"
        "print(s.today().isoformat())\n"
    )
    r = at_2330_utc(sys.executable, "-c", script, cwd=tmp_path)
    assert r.stdout.strip() == "2026-11-25", r.stderr
