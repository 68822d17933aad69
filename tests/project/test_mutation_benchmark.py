"""benchmarks/mutation.py at a tiny size, so it never rots: the ten mutants of one small function
of the rule interpreter, against the tests written to kill them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from paths import ROOT


@pytest.mark.slow
def test_mutation_benchmark_scores_a_few_mutants():
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/mutation.py",
            "--only",
            "rules",
            "--mutants",
            "checklist.model.rules.x__span*",
            "--tests",
            "tests/unit/model/test_rules_exact.py",
            "--survivors",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    m = re.search(r"^checklist/model/rules\.py: (\d+\.\d)% killed \((\d+)/(\d+); (.+)\) — target ≥ 90% \[\d+ s\]$", result.stdout, re.M)
    assert m, result.stdout
    killed, counted = int(m.group(2)), int(m.group(3))
    assert counted >= 5 and killed == counted and m.group(1) == "100.0", result.stdout
