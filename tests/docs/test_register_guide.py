"""The register guide's session (its first ```sh block) runs as written, in a copy of examples/ on a
fresh SQLite file, and does what the guide says: a hazard rectified, verified and closed, the log
intact, the 整改通知书 issued under its 文号 and the 台账 written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from doc_blocks import blocks
from paths import ROOT

GUIDE = ROOT / "docs" / "guide" / "register.md"


def session() -> str:
    first = next(b for b in blocks(GUIDE) if b.info == "sh")
    assert first.skip is None, f"{first.doc}:{first.line}: the session is skipped: {first.skip}"
    return "\n".join(first.body)


@pytest.mark.slow
def test_the_guide_session_runs(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKLIST_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # `checklist` as the guide writes it
    proc = subprocess.run(["sh", "-e", "-c", session()], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "YH-2026-0002  已销号  一般隐患" in proc.stdout and "复查通过 待复查 → 已销号" in proc.stdout
    assert "事件日志完整：7 个事件" in proc.stdout and "1 份文书、1 个发文机关" in proc.stdout
    assert "京广安改〔2026〕1号" in proc.stdout
    assert (tmp_path / "reports" / "隐患整改通知书-京广安改〔2026〕1号-科技处(公共服务处).pdf").is_file()
    assert (tmp_path / "reports" / "隐患台账.pdf").is_file() and (tmp_path / "reports" / "隐患台账.xlsx").is_file()
