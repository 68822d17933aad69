"""Benchmark: the hazard register against today's only other way, reading the audit files.

Generates 2 × 1,000 audits of 50 findings each (bj-rtv-3g3b check ids) into a temporary folder,
times `checklist register import` of the first 1,000 (50,000 findings) and of the second (to
100,000 hazards), then times whole `checklist register list --overdue --today …` processes on
SQLite beside a process that finds the same overdue findings by loading every YAML audit file
(load_audit, as `audit status` does) — and checks both found the same number of hazards and
working days overdue. With PostgreSQL installed, the register is moved there (export/restore)
and listed too.

    .venv/bin/python benchmarks/register_overdue.py [--audits N] [--findings F] [--repeat R]

Targets (issue 10): list --overdue over 100,000 hazards ≤ 0.5 s on SQLite, ≥ 20× faster than
the YAML files. About 85% of the findings carry `rectified` in their audit (closed); the register
gets the same state by a bulk UPDATE of those rows with their 再抽查符合 events (the benchmark's
shortcut past one move at a time; the log still proves every row).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the throwaway PostgreSQL server of the test suite
CHECKLIST = [sys.executable, "-m", "checklist"]
TODAY = dt.date(2026, 12, 1)
FIRST_DAY = dt.date(2025, 1, 6)

BASELINE = """
import sys, datetime as dt
from pathlib import Path
from checklist.audits.audit_file import load_audit
from checklist.register.queries import WorkingDays
from checklist.workdays.calendar import load_calendar
today = dt.date.fromisoformat(sys.argv[1])
days = WorkingDays(load_calendar(), today)
rows = []
for path in sorted(Path(sys.argv[2]).rglob("*.yaml")):
    audit, _, _ = load_audit(path)
    for e in audit.entries:
        f = e.finding
        if e.result == "fail" and f and f.open:
            late = days.since(dt.date.fromisoformat(f.due))
            if late:
                rows.append((f.due, str(path), e.id, late))
rows.sort()
print(len(rows), sum(r[3] for r in rows))
"""


def generate(folder: Path, audits: int, findings: int, seed: int) -> list[tuple[str, str, str]]:
    """Write the audits; return (audit path, check id, rectified date) of the closed findings."""
    from checklist.audits.audit import Audit, Entry, Finding
    from checklist.model.library import load_catalog

    cat = load_catalog("bj-rtv-3g3b")
    checks = [(c, k) for c in cat.clauses for k in c.checks]
    rng = random.Random(seed)
    span = (dt.date(2026, 11, 20) - FIRST_DAY).days
    closed = []
    folder.mkdir(parents=True)
    for n in range(audits):
        date = FIRST_DAY + dt.timedelta(days=rng.randrange(span))
        entries = []
        path = folder / f"audit-{n:04d}.yaml"
        for c, k in sorted(rng.sample(checks, findings), key=lambda ck: checks.index(ck)):
            due = date + dt.timedelta(days=rng.randint(5, 45))
            rectified = None
            if rng.random() < 0.85 and due < TODAY:
                rectified = min(TODAY, date + dt.timedelta(days=rng.randint(1, 50))).isoformat()
                closed.append((path.resolve().as_posix(), k.id, rectified))
            level = "重大事故隐患" if rng.random() < 0.05 else "一般隐患"
            finding = Finding(level, f"按要求整改第{n}-{k.id}项", f"责任人{rng.randrange(500)}", due.isoformat(), rectified)
            entries.append(Entry(k.id, c.id, c.ref, k.ask, result="fail", note=f"检查发现问题 {n}-{k.id}", finding=finding))
        unit = f"测试单位{n % 200:03d}"
        audit = Audit(
            catalog={"id": cat.id, "title": cat.title, "doc_no": cat.doc_no, "sha256": cat.sha256},
            target={"name": unit},
            inspectors=["检查员甲", "检查员乙"],
            date=date.isoformat(),
            entries=entries,
            id=f"bench-{seed}-{n:04d}",  # as `audit new` gives every audit its own
        )
        path.write_text(audit.to_yaml(cat), encoding="utf-8")
    return closed


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Wall time, CPU time (user + sys of the child) and standard output of one whole process."""
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    after = os.times()
    if proc.returncode not in (0, 6):
        sys.exit(f"{' '.join(cmd[:6])}… failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system), proc.stdout


def best(cmd: list[str], repeat: int) -> tuple[float, float, float, str]:
    runs = [run(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), statistics.median(r[0] for r in runs), min(r[1] for r in runs), runs[0][2]


def close_findings(url: str, closed: list[tuple[str, str, str]]) -> None:
    """Close the findings rectified in their audits as a 再抽查符合 would — the row and its event —
    in one bulk transaction (the benchmark's shortcut past one move at a time): the log still
    proves every row, so the register moves to PostgreSQL (restore checks it) as a real one would."""
    import sqlalchemy as sa

    from checklist.register.db import open_register, writing
    from checklist.register.log import NewEvent, append, now
    from checklist.register.tables import hazard

    engine = open_register(url)
    rectified = {(p, c): d for p, c, d in closed}
    opinion, reviewer = "复查合格，同意销号", "基准测试"
    with writing(engine) as conn:
        at, updates, events = now(), [], []
        for r in conn.execute(sa.select(hazard.c.id, hazard.c.audit_path, hazard.c.check_id, hazard.c.status)).all():
            day = rectified.get((r.audit_path, r.check_id))
            if day is None:
                continue
            updates.append({"i": r.id, "d": dt.date.fromisoformat(day)})
            changes = {"closed_on": day, "reviewer": reviewer, "reviewed_on": day, "review_opinion": opinion}
            events.append(NewEvent(r.id, reviewer, "inspector", "recheck-pass", r.status, "已销号", opinion, {"set": changes}))
        stmt = (
            sa.update(hazard)
            .where(hazard.c.id == sa.bindparam("i"))
            .values(
                status="已销号",
                closed_on=sa.bindparam("d", type_=sa.Date),
                reviewed_on=sa.bindparam("d", type_=sa.Date),
                reviewer=reviewer,
                review_opinion=opinion,
                version=hazard.c.version + 1,
                updated_at=at,
            )
        )
        conn.execute(stmt, updates)
        append(conn, events, at)


def overdue_summary(url: str) -> tuple[int, int]:
    import json

    _, _, out = run(CHECKLIST + ["register", "list", "--overdue", "--today", TODAY.isoformat(), "--format", "json", "--db", url])
    data = json.loads(out)
    return data["count"], sum(h["overdue_days"] for h in data["hazards"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--audits", type=int, default=1000, help="audits per import batch (two batches)")
    ap.add_argument("--findings", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--tiny", action="store_true", help="a smoke run at the smallest size (the test suite runs it): figures, not measurements"
    )
    args = ap.parse_args()
    if args.tiny:
        args.audits = 3
        args.findings = 2
        args.repeat = 1
    with tempfile.TemporaryDirectory(prefix="register-bench-") as tmp:
        base = Path(tmp)
        url = f"sqlite:///{base / 'register.db'}"
        t0 = time.perf_counter()
        closed = generate(base / "audits" / "a", args.audits, args.findings, 1)
        closed += generate(base / "audits" / "b", args.audits, args.findings, 2)
        total = 2 * args.audits * args.findings
        print(f"generated 2 × {args.audits} audits, {total:,} findings ({len(closed):,} rectified) in {time.perf_counter() - t0:.1f} s")
        env = dict(os.environ, CHECKLIST_USER="基准测试")
        rows = []
        for batch in ("a", "b"):
            wall, cpu, out = run(CHECKLIST + ["register", "import", str(base / "audits" / batch), "--db", url], env)
            rows.append((f"import {args.audits} audits ({args.audits * args.findings:,} findings)", wall, cpu, out.splitlines()[0]))
        close_findings(url, closed)
        listing = CHECKLIST + ["register", "list", "--overdue", "--today", TODAY.isoformat(), "--db", url]
        fast, median, cpu, out = best(listing, args.repeat)
        count, late_days = overdue_summary(url)
        b_wall, b_cpu, b_out = run([sys.executable, "-c", BASELINE, TODAY.isoformat(), str(base / "audits")])
        b_count, b_days = map(int, b_out.split())
        assert (count, late_days) == (b_count, b_days), f"register {count}/{late_days} ≠ YAML {b_count}/{b_days}"
        print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times include waiting for a core)")
        for name, wall, cpu_s, note in rows:
            print(f"{name:<44} {wall:7.2f} s wall {cpu_s:7.2f} s CPU   {note}")
        print(f"\nlist --overdue over {total:,} hazards: {count:,} overdue, {late_days:,} working days late in all (same in both)")
        print(f"{'':<28} {'wall (best)':>12} {'wall (median)':>14} {'CPU':>8}")
        print(f"{'register, SQLite':<28} {fast:10.3f} s {median:12.3f} s {cpu:6.3f} s   target ≤ 0.5 s")
        print(f"{'YAML audit files':<28} {b_wall:10.3f} s {'':>14} {b_cpu:6.3f} s")
        print(f"{'ratio YAML / SQLite':<28} {b_wall / fast:10.1f} × {'':>14} {b_cpu / cpu:6.1f} ×   target ≥ 20×")
        postgres(base, url, args.repeat, b_wall, (count, late_days))


def postgres(base: Path, sqlite_url: str, repeat: int, baseline: float, expected: tuple[int, int]) -> None:
    try:
        import pg
    except ImportError as e:
        print(f"\nPostgreSQL: skipped ({e})")
        return
    try:
        with pg.server() as srv:
            name = pg.create_database(srv)
            url = srv.url(name)
            dump = base / "register.jsonl"
            e_wall, _, _ = run(CHECKLIST + ["register", "export", "-o", str(dump), "--db", sqlite_url])
            r_wall, _, _ = run(CHECKLIST + ["register", "restore", str(dump), "--db", url])
            listing = CHECKLIST + ["register", "list", "--overdue", "--today", TODAY.isoformat(), "--db", url]
            fast, median, cpu, _ = best(listing, repeat)
            assert overdue_summary(url) == expected
            print(
                f"{'register, PostgreSQL':<28} {fast:10.3f} s {median:12.3f} s {cpu:6.3f} s   ratio YAML / PostgreSQL {baseline / fast:.1f} ×"
            )
            print(f"(export from SQLite {e_wall:.2f} s, restore into PostgreSQL with the chain and every row checked {r_wall:.2f} s)")
    except RuntimeError as e:
        print(f"\nPostgreSQL: skipped ({e})")


if __name__ == "__main__":
    main()
