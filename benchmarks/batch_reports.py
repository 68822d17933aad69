"""Benchmark: `checklist audit batch --report` on generated skills-subsidy applicants — the
amortised wall time per PDF — beside running `checklist report` once per audit (a new process
each, as a reviewer's script would), measured in the same run on a sample of the same audits.

    .venv/bin/python benchmarks/batch_reports.py [--applicants 200] [--sample 10]

Target (issue 14): the batch's time per PDF at least 3× faster than one `checklist report` per
audit. The batch screens every row, then renders in worker processes that import WeasyPrint once
each; the baseline pays Python's start, the imports and WeasyPrint's set-up for every PDF.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST = [sys.executable, "-m", "checklist"]
HEADER = [
    "名称",
    "人员类别",
    "证书类别",
    "发证机构",
    "证书核发日期",
    "申请日期",
    "职业(工种)或专项职业能力项目",
    "证书等级",
    "是否已享受过本补助",
    "是否已通过该证书享受其他政策补贴",
]
OCCUPATIONS = ["养老护理员", "4-01-02-04", "电工", "家政服务员", "人工智能训练师", "6-18-01-01", "保育师", "收银员"]
LEVELS = ["初级工(五级)", "中级工(四级)", "高级工(三级)", "技师(二级)"]


def write_applicants(path: Path, n: int) -> None:
    rng = random.Random(14)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(1, n + 1):
            w.writerow(
                [
                    f"申请人{i:04d}",
                    "本市登记失业人员",
                    "职业技能等级证书",
                    "北京市人力资源和社会保障局备案评价机构",
                    "2026-03-01",
                    "2026-06-01",
                ]
                + [rng.choice(OCCUPATIONS), rng.choice(LEVELS), "是" if rng.random() < 0.1 else "否", "否"]
            )


def timed(args: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, of the process and its workers) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=200)
    parser.add_argument("--sample", type=int, default=10, help="audits rendered one process each for the baseline")
    parser.add_argument(
        "--tiny", action="store_true", help="a smoke run at the smallest size (the test suite runs it): figures, not measurements"
    )
    args = parser.parse_args()
    if args.tiny:
        args.applicants = 3
        args.sample = 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sheet, out = folder / "applicants.csv", folder / "out"
        write_applicants(sheet, args.applicants)
        batch, batch_cpu = timed(
            CHECKLIST
            + ["audit", "batch", "--catalog", "bj-skills-subsidy", "--kind", "person", "--facts", str(sheet), "--date", "2026-11-20"]
            + ["-o", str(out), "--report"]
        )
        pdfs = sorted(out.glob("*.pdf"))
        assert len(pdfs) == args.applicants, f"{len(pdfs)} PDFs"
        audits = sorted(out.glob("*.yaml"))[:: max(1, args.applicants // args.sample)][: args.sample]
        single = [timed(CHECKLIST + ["report", str(a), "-o", str(folder / f"single-{a.stem}.pdf")]) for a in audits]
    n = args.applicants
    per_pdf, per_pdf_cpu = batch / n, batch_cpu / n
    baseline, baseline_cpu = (sum(x) / len(single) for x in zip(*single, strict=True))
    print(f"audit batch --report, {n} applicants on {os.cpu_count()} cores: {batch:.1f} s wall, {batch_cpu:.1f} s CPU")
    print(f"  amortised per PDF:  {per_pdf:.3f} s wall  {per_pdf_cpu:.3f} s CPU")
    print(f"checklist report once per audit ({len(single)} sampled, one process each), per PDF:")
    print(f"                      {baseline:.3f} s wall  {baseline_cpu:.3f} s CPU  (extrapolated to {n}: {baseline * n:.1f} s wall)")
    print(f"ratio (one process per audit ÷ batch): wall {baseline / per_pdf:.1f}×, CPU {baseline_cpu / per_pdf_cpu:.1f}× (target ≥ 3×)")


if __name__ == "__main__":
    main()
