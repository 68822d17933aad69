"""benchmarks/field_app.py runs at a tiny size (one 3G load, Lighthouse on the login page only),
so it never rots: it prints every figure it promises."""

from __future__ import annotations

import subprocess
import sys

import pytest
from paths import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_field_benchmark_runs():
    r = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "field_app.py"), "--runs", "1", "--pages", "login"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    out = r.stdout
    if (ROOT / "tools" / "node_modules" / ".bin" / "lighthouse").exists():
        assert "/login" in out and "accessibility" in out
    for promised in ("installable (Chromium's own check): yes", "load event", "transferred", "tap 符合 → 已保存"):
        assert promised in out, out
