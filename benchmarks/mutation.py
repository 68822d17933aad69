"""Benchmark: mutation testing (mutmut) of the rule and amount interpreters, the working-day
calendar and the register's lifecycle table, each file against the tests that exercise it.
Prints each file's mutation score beside its target.

    .venv/bin/python benchmarks/mutation.py [--only NAME…] [--mutants GLOB] [--tests PATH…] [--survivors]

Each file runs in a fresh copy of the repository (its tracked files), whose ``[tool.mutmut]``
section (pyproject.toml: the shared settings) gets the file to mutate and its test subset, so a
run takes minutes, not the hours the whole suite would. A mutant is killed when a test fails (or
times out) with it; one no test reaches counts as survived. Score = killed ÷ (mutants − skipped).

Targets (issue 25): ≥ 90% for the interpreters and the calendar; 100% for the lifecycle table —
here its functions only: mutmut mutates code, not data, so the rows of ``lifecycle.MOVES`` are
mutated by benchmarks/lifecycle_rows.py (every single-row change, against the lifecycle's tests).
``--mutants 'checklist.model.rules.x__span*' --tests tests/unit/model/test_rules.py`` runs a few
mutants only (the smoke test does).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    path: str
    tests: tuple[str, ...]
    target: float  # percent


TARGETS = {
    "lifecycle": Target(
        "checklist/register/lifecycle.py",
        ("tests/unit/register/test_register_lifecycle.py", "tests/unit/register/test_register.py"),
        100.0,
    ),
    "rules": Target(
        "checklist/model/rules.py",
        ("tests/unit/model/test_rules.py", "tests/unit/model/test_rules_exact.py", "tests/unit/files/test_validate_examples.py"),
        90.0,
    ),
    "amounts": Target(
        "checklist/model/amounts.py",
        (
            "tests/unit/model/test_amounts.py",
            "tests/unit/model/test_amounts_exact.py",
            "tests/unit/files/test_validate_examples.py",
            # two minutes of PDF rendering each time a mutant reaches them; the working they print
            # is checked in text and JSON by the file's other tests
            "--deselect=tests/unit/model/test_amounts.py::test_batch_with_reports_renders_every_pdf_with_its_working",
            "--deselect=tests/unit/model/test_amounts.py::test_batch_report_that_cannot_be_rendered_exits_3_and_names_it",
        ),
        90.0,
    ),
    "calendar": Target(
        "checklist/workdays/calendar.py",
        ("tests/unit/workdays", "tests/unit/files/test_validate_examples.py"),
        90.0,
    ),
}
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
NOT_COUNTED = {"skipped"}


SKIP = {".git", ".venv", "mutants", "reports", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def tracked_files(root: Path) -> list[str]:
    """The repository's files as git sees them (tracked, or new and not ignored; the working tree's
    version of each); in a plain copy without git, every file outside caches, .venv and reports."""
    if (root / ".git").exists():
        args = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        out = subprocess.run(args, cwd=root, capture_output=True, check=True).stdout
        return [p for p in out.decode().split("\0") if p and (root / p).is_file()]
    return [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not SKIP & set(p.relative_to(root).parts)]


def copy_repository(root: Path, into: Path) -> None:
    for rel in tracked_files(root):
        dest = into / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, dest)


def configure(copy: Path, target: Target, tests: list[str]) -> None:
    """Add the file to mutate and its tests to the copy's [tool.mutmut] section."""
    pyproject = copy / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    if "[tool.mutmut]\n" not in text:
        raise SystemExit("pyproject.toml has no [tool.mutmut] section")
    extra = f"only_mutate = {json.dumps([target.path])}\npytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
    pyproject.write_text(text.replace("[tool.mutmut]\n", "[tool.mutmut]\n" + extra, 1), encoding="utf-8")


def mutmut(copy: Path, *args: str, log: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", COLUMNS="200")
    env.pop("CHECKLIST_DB", None)
    out = log.open("w", encoding="utf-8") if log else subprocess.PIPE
    try:
        return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=copy, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    finally:
        if log:
            out.close()  # type: ignore[union-attr]


def statuses(copy: Path) -> dict[str, str]:
    """Each mutant's status, from `mutmut results --all true` (lines "  name: status")."""
    done = mutmut(copy, "results", "--all", "true")
    found = {}
    for line in done.stdout.splitlines():
        m = re.match(r"\s*(\S+__mutmut_\d+): (.+)$", line)
        if m:
            found[m.group(1)] = m.group(2).strip()
    return found


@dataclass
class Score:
    name: str
    target: Target
    counts: dict[str, int]
    seconds: float
    survivors: list[str]

    @property
    def counted(self) -> int:
        return sum(n for s, n in self.counts.items() if s not in NOT_COUNTED and s != "not checked")

    @property
    def killed(self) -> int:
        return sum(n for s, n in self.counts.items() if s in KILLED)

    @property
    def percent(self) -> float | None:
        return 100.0 * self.killed / self.counted if self.counted else None


def run_one(root: Path, name: str, target: Target, tests: list[str], mutants: str | None, keep: Path | None) -> Score:
    work = Path(tempfile.mkdtemp(prefix=f"mutation-{name}-"))
    try:
        copy_repository(root, work)
        configure(work, target, [t for t in tests if t.startswith("-") or (work / t).exists()])  # an older checkout may lack some
        start = time.perf_counter()
        args = ["run", *([mutants] if mutants else [])]
        done = mutmut(work, *args, log=work / "mutmut.log")
        seconds = time.perf_counter() - start
        found = statuses(work)
        if mutants:
            found = {k: v for k, v in found.items() if v != "not checked"}
        if done.returncode != 0 or not found:
            tail = (work / "mutmut.log").read_text(encoding="utf-8", errors="replace")[-3000:]
            raise SystemExit(f"mutmut run failed for {target.path} (exit {done.returncode}):\n{tail}")
        counts: dict[str, int] = {}
        for status in found.values():
            counts[status] = counts.get(status, 0) + 1
        survivors = sorted(k for k, v in found.items() if v not in KILLED | NOT_COUNTED)
        return Score(name, target, counts, seconds, survivors)
    finally:
        if keep:
            shutil.copytree(work, keep / name, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=sorted(TARGETS), help="the files to mutate (default: all four)")
    parser.add_argument("--mutants", help="run only the mutants whose names match this glob (mutmut's MUTANT_NAMES)")
    parser.add_argument("--tests", nargs="+", help="the tests to run instead of each file's subset")
    parser.add_argument("--survivors", action="store_true", help="list the mutants that survived")
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout to copy (default: this one)")
    parser.add_argument("--keep", type=Path, help="keep each run's copy (with mutants/) in this folder, to inspect with `mutmut show`")
    args = parser.parse_args(argv)
    scores = []
    for name in args.only or list(TARGETS):
        target = TARGETS[name]
        score = run_one(args.source.resolve(), name, target, args.tests or list(target.tests), args.mutants, args.keep)
        scores.append(score)
        shown = "—" if score.percent is None else f"{score.percent:.1f}%"
        detail = ", ".join(f"{n} {s}" for s, n in sorted(score.counts.items()))
        print(
            f"{target.path}: {shown} killed ({score.killed}/{score.counted}; {detail}) — target ≥ {target.target:.0f}% [{score.seconds:.0f} s]"
        )
        if args.survivors:
            for s in score.survivors:
                print(f"    {s}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
