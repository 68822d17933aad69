"""Benchmark: mutation testing of the lifecycle table's rows. mutmut (benchmarks/mutation.py)
mutates code, not data: its 100% for register/lifecycle.py says nothing of the rows of
``lifecycle.MOVES``. This script makes every single-row change to the table and runs the
lifecycle's unit tests against each, reporting the mutants killed and those that survive.

    .venv/bin/python benchmarks/lifecycle_rows.py [--tiny] [--kinds KIND…] [--sample N]

The changes, for each row: drop it; send it to each other status; move it to each other status
it may start from (one with no row for its action yet); drop each role it allows and add each
role it does not (``vocabulary.ROLES``); drop each field it needs and add each field of the
table's vocabulary (every field some row needs) it does not; flip each flag of ``Move``
(``major_only``); drop each precondition it requires and add each one of ``REQUIRES`` it does not.

One pytest session collects the tests once (TESTS, without the slow ones and those on a database:
the ``db_url`` fixture, a register on SQLite and PostgreSQL, a second a test); then, for each
mutant, a child forked from it puts the mutant in ``lifecycle.MOVES`` and in every structure
built from it at import (``lifecycle.TABLE``, ``hazards.MOVE_ACTIONS``), runs the tests until the
first failure (-x: a failure kills) and exits, so nothing leaks from one mutant to the next. The
table as it is, put in place the same way, must pass first.

Two scores: (a) with the literal table (test_the_table_is_the_expected_one_row_by_row compares
``MOVES`` with the table written out in the tests: any change fails it), (b) without it — whether
the tests of behaviour (``lifecycle.check``, ``allowed``, ``blocked``, the command line) catch a
wrong row; (b) is the honest figure, and its survivors are listed. Baseline in the same run: (b)
as a `python -m pytest` process per mutant (Python's start, the imports and the collection each
time), timed on a sample spread over the kinds, whose verdicts must be the same. Target (issue
25): 100% for the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ("tests/unit/register/test_register_lifecycle.py",)
LITERAL = "tests/unit/register/test_register_lifecycle.py::test_the_table_is_the_expected_one_row_by_row"
PYTEST = ["-q", "--tb=line", "-p", "no:cacheprovider", "-m", "not slow and not postgres"]
KINDS = ("drop", "to", "from", "roles", "needs", "flag", "requires")
TIMEOUT = 60  # seconds a mutant's run may take: one that hangs is killed (as a timeout is, by mutmut)


@dataclass(frozen=True)
class Mutant:
    kind: str
    name: str
    moves: tuple  # the table with one row changed (or dropped)


def mutants(moves: tuple, statuses: tuple, roles: tuple, requires: tuple) -> list[Mutant]:
    """Every single-row change to ``moves``."""
    fields = tuple(dict.fromkeys(f for m in moves for f in m.needs))  # the table's field vocabulary, in its order
    keys = {(m.status, m.action) for m in moves}
    flags = [f.name for f in dataclasses.fields(moves[0]) if isinstance(getattr(moves[0], f.name), bool)]
    found: list[Mutant] = []
    for i, m in enumerate(moves):

        def add(kind: str, what: str, row=None) -> None:
            changed = (*moves[:i], *([row] if row else []), *moves[i + 1 :])  # noqa: B023 (used at once)
            found.append(Mutant(kind, f"{m.status} {m.action}: {what}", changed))  # noqa: B023

        add("drop", "row dropped")
        for s in statuses:
            if s != m.to:
                add("to", f"to {s} (not {m.to})", dataclasses.replace(m, to=s))
        for s in statuses:
            if s != m.status and (s, m.action) not in keys:
                add("from", f"from {s} instead", dataclasses.replace(m, status=s))
        for r in roles:
            if r in m.roles:
                add("roles", f"roles − {r}", dataclasses.replace(m, roles=tuple(x for x in m.roles if x != r)))
            else:
                add("roles", f"roles + {r}", dataclasses.replace(m, roles=tuple(x for x in roles if x in m.roles or x == r)))
        for f in fields:
            if f in m.needs:
                add("needs", f"needs − {f}", dataclasses.replace(m, needs=tuple(x for x in m.needs if x != f)))
            else:
                add("needs", f"needs + {f}", dataclasses.replace(m, needs=(*m.needs, f)))
        for flag in flags:
            value = getattr(m, flag)
            add("flag", f"{flag} {value} → {not value}", dataclasses.replace(m, **{flag: not value}))
        for r in requires:
            if r in m.requires:
                add("requires", f"requires − {r}", dataclasses.replace(m, requires=tuple(x for x in m.requires if x != r)))
            else:
                add("requires", f"requires + {r}", dataclasses.replace(m, requires=(*m.requires, r)))
    return found


def use(moves: tuple) -> None:
    """Put ``moves`` in the lifecycle and in every structure built from it at import."""
    from checklist.register import hazards, lifecycle

    lifecycle.MOVES = moves
    lifecycle.TABLE = {(m.status, m.action): m for m in moves}
    hazards.MOVE_ACTIONS = tuple(sorted({m.action for m in moves}))


def without_databases(config, items) -> None:
    """Leave out the tests on a database (a register on each backend: a second a test)."""
    dropped = [item for item in items if "db_url" in getattr(item, "fixturenames", ())]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


@dataclass
class Score:
    killed: list[str]
    survived: list[str]
    seconds: float
    tests: int  # the tests each mutant meets (until the first failure)

    @property
    def percent(self) -> float:
        total = len(self.killed) + len(self.survived)
        return 100.0 * len(self.killed) / total if total else 0.0


class Rows:
    """A pytest plugin: the tests collected once; then, instead of running them, each mutant in a
    forked child for each selection — (a) every test, (b) all but the literal table."""

    def __init__(self, original: tuple, found: list[Mutant], work: Path):
        self.original, self.found, self.work = original, found, work
        self.scores: dict[str, Score] = {}
        self.clean: dict[str, tuple[int, float]] = {}

    def pytest_collection_modifyitems(self, config, items):
        without_databases(config, items)

    def pytest_runtestloop(self, session):
        if session.testsfailed or session.config.option.collectonly:
            return None  # pytest's own loop reports the errors of collection
        selections = {"a": list(session.items), "b": [item for item in session.items if item.nodeid != LITERAL]}
        if len(selections["b"]) != len(selections["a"]) - 1:
            raise SystemExit(f"{LITERAL} is not among the tests collected")
        for label, items in selections.items():
            start = time.perf_counter()
            code = self.run(session, items, self.original)
            self.clean[label] = (code, time.perf_counter() - start)
            if code != 0:
                return True  # the table as it is fails: no score
            killed, survived = [], []
            start = time.perf_counter()
            for mutant in self.found:
                code = self.run(session, items, mutant.moves)
                if code not in (0, 1):
                    raise SystemExit(f"the tests could not run on {mutant.name!r} (child exit {code}); see {self.work / 'tests.log'}")
                (killed if code == 1 else survived).append(mutant.name)
            self.scores[label] = Score(killed, survived, time.perf_counter() - start, len(items))
        return True

    def run(self, session, items: list, moves: tuple) -> int:
        """Run ``items`` on the table ``moves`` in a forked child: 0 passed, 1 failed (or hung)."""
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 3
            try:
                signal.alarm(TIMEOUT)
                use(moves)
                for i, item in enumerate(items):
                    item.config.hook.pytest_runtest_protocol(item=item, nextitem=items[i + 1] if i + 1 < len(items) else None)
                    if session.shouldfail or session.shouldstop:
                        break
                code = 1 if session.testsfailed else 0
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            return 1 if os.WTERMSIG(status) == signal.SIGALRM else -os.WTERMSIG(status)
        return os.waitstatus_to_exitcode(status)


def quietly(work: Path, call):
    """Run ``call`` with this process's stdout and stderr (and its children's) in work/tests.log."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    log = os.open(work / "tests.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.dup2(log, 1)
        os.dup2(log, 2)
        return call()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (log, *saved):
            os.close(fd)


def baseline(sample: list[Mutant], args: list[str], work: Path) -> tuple[float, dict[str, bool]]:
    """Run (b) on each mutant of ``sample`` in a fresh `python -m pytest` process, the table put in
    place by a plugin module given with -p: the seconds they took, and whether each was killed."""
    plugin = work / "lifecycle_mutant.py"
    total, killed = 0.0, {}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(work), os.environ.get("PYTHONPATH")])))
    for mutant in sample:
        plugin.write_text(
            "import sys\n"
            f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
            "from lifecycle_rows import use, without_databases\n"
            "from checklist.register.lifecycle import Move\n"
            f"use(tuple(Move(*row) for row in {[dataclasses.astuple(m) for m in mutant.moves]!r}))\n"
            "pytest_collection_modifyitems = without_databases\n",
            encoding="utf-8",
        )
        start = time.perf_counter()
        command = [sys.executable, "-m", "pytest", *args, "-x", f"--deselect={LITERAL}", "-p", "lifecycle_mutant"]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        total += time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"the baseline could not run {mutant.name!r} (pytest exit {done.returncode}):\n{done.stdout[-3000:]}")
        killed[mutant.name] = done.returncode == 1
    return total, killed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="+", choices=KINDS, help="only these kinds of change (default: all)")
    parser.add_argument("--sample", type=int, default=10, help="mutants run as a pytest process each, for the baseline")
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="a smoke run: one change of each kind to one row (the test suite runs it): figures, not measurements",
    )
    args = parser.parse_args(argv)
    os.chdir(ROOT)

    import pytest

    from checklist import vocabulary
    from checklist.register import lifecycle

    original = lifecycle.MOVES
    found = mutants(original, vocabulary.STATUSES, vocabulary.ROLES, tuple(lifecycle.REQUIRES))
    if args.kinds:
        found = [m for m in found if m.kind in args.kinds]
    if args.tiny:  # the first change of each kind to the row that rectifies a hazard from 待整改
        found = list({m.kind: m for m in reversed(found) if m.name.startswith("待整改 rectify: ")}.values())[::-1]
        args.sample = 1
    if not found:
        raise SystemExit("no mutants")
    counts = {k: sum(1 for m in found if m.kind == k) for k in KINDS}
    print(
        f"lifecycle.MOVES: {len(original)} rows, {len(found)} single-row changes ("
        + ", ".join(f"{k} {n}" for k, n in counts.items() if n)
        + ")"
    )
    sys.stdout.flush()

    with tempfile.TemporaryDirectory(prefix="lifecycle-rows-") as tmp:
        work = Path(tmp)
        base = [*PYTEST, f"--basetemp={work / 'pytest'}", *(str(ROOT / t) for t in TESTS)]
        session = [*base, "-x"]  # a failure kills: the rest need not run
        rows = Rows(original, found, work)
        start = time.perf_counter()
        exit_code = quietly(work, lambda: pytest.main(session, plugins=[rows]))
        seconds = time.perf_counter() - start
        if exit_code not in (0, pytest.ExitCode.OK) or any(code != 0 for code, _ in rows.clean.values()):
            log = (work / "tests.log").read_text(encoding="utf-8", errors="replace")
            raise SystemExit(f"the tests fail on the table as it is, or could not be collected (pytest exit {exit_code}):\n{log[-4000:]}")
        a, b = rows.scores["a"], rows.scores["b"]
        n = len(found)
        print(
            f"tests: {', '.join(TESTS)}, not slow, no database: {a.tests}; the table as it is passes them in "
            f"{rows.clean['a'][1]:.2f} s; the whole run {seconds:.0f} s"
        )
        print(
            f"(a) with the literal table: {a.percent:.1f}% killed ({len(a.killed)}/{n}) — target 100% [{a.seconds:.1f} s, {a.seconds / n:.3f} s a mutant]"
        )
        print(
            f"(b) behaviour only, without {LITERAL.split('::')[1]} ({b.tests} tests): {b.percent:.1f}% killed "
            f"({len(b.killed)}/{n}) — target 100% [{b.seconds:.1f} s, {b.seconds / n:.3f} s a mutant]"
        )
        print(f"survivors of (b): {len(b.survived)}")
        for name in b.survived:
            print(f"    {name}")
        sys.stdout.flush()

        sample = found[:: max(1, n // args.sample)][: args.sample]  # spread over the kinds
        seconds, verdicts = baseline(sample, base, work)
        agree = all(verdicts[m.name] == (m.name in b.killed) for m in sample)
        per_process, forked = seconds / len(sample), b.seconds / n
        print(
            f"baseline: (b) as a pytest process per mutant, a sample of {len(sample)}: {per_process:.2f} s a mutant "
            f"(the same verdicts: {'yes' if agree else 'NO'}); forked from one session: {forked:.3f} s, {per_process / forked:.0f}× faster"
        )
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
