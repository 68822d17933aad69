"""The audits many tests start from: a copy of the bundled example audit, and the `audit new`
command of a fresh audit of 科技处 (the fixtures `example` and `new_audit` in conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from paths import ROOT

EXAMPLE = ROOT / "examples" / "tech-2026q4.yaml"
# `audit new` of 科技处 under bj-rtv-3g3b by 张三: its 58 checks (add EVENT for the 8 of a large event)
NEW_AUDIT = ["audit", "new", "--catalog", "bj-rtv-3g3b", "--unit", "科技处", "--target", "科技处", "--inspector", "张三"]
EVENT = ["--tag", "大型活动"]


def example_audit(folder: Path) -> Path:
    """The example audit (two findings, one 重大事故隐患, one photo) copied into ``folder``."""
    shutil.copytree(ROOT / "examples" / "evidence", folder / "evidence", dirs_exist_ok=True)
    target = folder / EXAMPLE.name
    shutil.copyfile(EXAMPLE, target)
    return target
