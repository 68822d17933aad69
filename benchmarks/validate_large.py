"""Benchmark: `checklist validate` on a generated 10,000-clause catalog, beside check-jsonschema
on the same file with the same schema, in the same run. Prints both wall times and the ratio.

    .venv/bin/python benchmarks/validate_large.py [--clauses N] [--repeat R]

Target (issue 2): checklist at most half of check-jsonschema's time, despite its extra checks.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "catalog.schema.json"
NUMERALS = "一二三四五六七八九"


def article(n: int) -> str:
    tens, ones = divmod(n % 99 + 1, 10)
    return ("" if tens < 2 else NUMERALS[tens - 1]) + ("十" if tens else "") + (NUMERALS[ones - 1] if ones else "")


def generate(path: Path, clauses: int) -> None:
    lines = [
        "# yaml-language-server: $schema=../schemas/catalog.schema.json",
        "id: bench",
        "title: 基准测试目录",
        'source: {doc_no: 京测发〔2026〕1号, issuer: 测试局, issued: "2026-02-10"}',
        "units:",
    ]
    for u in range(20):
        lines.append(f"  - {{id: u{u}, name: 测试处{u}, aliases: [处{u}], type: 处室}}")
    lines += ["unit_groups:", "  - {id: all, name: 各处室, members: [" + ", ".join(f"u{u}" for u in range(20)) + "]}", "clauses:"]
    for i in range(clauses):
        lines += [
            f"  - id: C{i}",
            f"    ref: 第{article(i)}条第{i % 9 + 1}项",
            "    chapter: 第一章 总则",
            f"    text: 各处室单位应每季度研究分析所管辖业务领域的安全生产形势，制定针对性措施并组织实施（第{i}项）。",
            f"    responsible: [u{i % 20}, {{unit: all, role: support}}]",
            "    frequency: 每季度",
            "    tags: [形势分析, 监督检查]",
            "    checks:",
            f"      - {{id: C{i}-a, ask: 是否每季度研究分析安全生产形势？, evidence: [会议纪要, 工作记录]}}",
            f"      - {{id: C{i}-b, ask: 是否制定针对性措施并组织实施？, evidence: [措施清单]}}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clauses", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--tiny", action="store_true", help="a smoke run at the smallest size (the test suite runs it): figures, not measurements"
    )
    args = ap.parse_args()
    if args.tiny:
        args.clauses = 20
        args.repeat = 1
    bindir = Path(sys.executable).parent
    ours = shutil.which("checklist", path=str(bindir)) or "checklist"
    theirs = shutil.which("check-jsonschema", path=str(bindir))
    if theirs is None:
        sys.exit("check-jsonschema is not installed: pip install -e '.[bench]'")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        generate(path, args.clauses)
        size = path.stat().st_size
        t_ours = timed([ours, "validate", str(path)], args.repeat)
        t_theirs = timed([theirs, "--schemafile", str(SCHEMA), str(path)], args.repeat)
    print(f"catalog: {args.clauses:,} clauses, {size / 1e6:.1f} MB; median of {args.repeat} runs (whole process)")
    print(f"  checklist validate   {t_ours:7.2f} s  (schema + cross-reference checks)")
    print(f"  check-jsonschema     {t_theirs:7.2f} s  (schema only)")
    print(f"  ratio ours/theirs    {t_ours / t_theirs:7.2f}  (target <= 0.50)")


if __name__ == "__main__":
    main()
