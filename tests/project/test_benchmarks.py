"""Every benchmark runs at its tiny size and prints its figures (issue 20, item 12): an API change
that breaks one (``Audit.save()``'s signature broke render_reports.py, which then printed 0 pages)
fails here, not months later on a bench run."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from paths import ROOT

pytestmark = pytest.mark.slow

NUMBER = r"\d[\d,]*(?:\.\d+)?"
FIGURES = {  # what each script must print, beside its baseline
    "render_reports.py": [
        rf"^\s+6\s+{NUMBER}\s+{NUMBER}\s+([1-9]\d*)\s+\|\s+{NUMBER}\s+{NUMBER}\s+\|\s+{NUMBER}$",
        rf"batch of 4 x 6 checks: wall {NUMBER} s, process time {NUMBER} s",
    ],
    "validate_large.py": [rf"checklist validate\s+{NUMBER} s", rf"check-jsonschema\s+{NUMBER} s", rf"ratio ours/theirs\s+{NUMBER}"],
    "batch_reports.py": [r"audit batch --report, 3 applicants", rf"amortised per PDF:\s+{NUMBER} s wall", rf"ratio .*wall {NUMBER}×"],
    "register_overdue.py": [r"list --overdue over 12 hazards", rf"register, SQLite\s+{NUMBER} s", rf"ratio YAML / SQLite\s+{NUMBER} ×"],
    "lifecycle_rows.py": [
        r"^lifecycle\.MOVES: \d+ rows, 7 single-row changes \(drop 1, to 1, from 1, roles 1, needs 1, flag 1, requires 1\)$",
        r"^\(a\) with the literal table: 100\.0% killed \((\d+)/\1\) — target 100%",
        r"^\(b\) behaviour only, without test_the_table_is_the_expected_one_row_by_row \(\d+ tests\): 100\.0% killed \((\d+)/\1\) — target 100%",
        r"^survivors of \(b\): 0$",
        rf"^baseline: \(b\) as a pytest process per mutant, a sample of 1: {NUMBER} s a mutant \(the same verdicts: yes\); "
        rf"forked from one session: {NUMBER} s",
    ],
    "web_answers.py": [
        rf"one save in-process \(\d+ checks, validated, atomic\): p50 {NUMBER} ms",
        r"answers: 6 sent by 2 clients, 6 acknowledged, 0 refused",
        r"0 do not \(zero lost\)",
        rf"audit page with \d+ checks: HTML {NUMBER} KB",
    ],
}


OWN_TEST = {  # scripts smoke-run by a test of their own (a browser, mutmut)
    "field_app.py": "test_field_benchmark.py",
    "mutation.py": "test_mutation_benchmark.py",
}


def test_every_script_has_its_figures_listed():
    assert sorted(p.name for p in (ROOT / "benchmarks").glob("*.py")) == sorted([*FIGURES, *OWN_TEST])
    assert all((ROOT / "tests" / "project" / test).is_file() for test in OWN_TEST.values())


@pytest.mark.parametrize("script", sorted(FIGURES))
def test_the_benchmark_runs_at_its_tiny_size(script, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKLIST_")}
    env["PATH"] = f"{os.path.dirname(sys.executable)}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--tiny"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for figure in FIGURES[script]:
        assert re.search(figure, proc.stdout, re.M), f"{script} did not print {figure!r}:\n{proc.stdout}"
