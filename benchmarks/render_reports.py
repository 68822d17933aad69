"""Benchmark: `checklist report` on audits of 60, 600 and 3,000 checks — process time and PDF
size — beside a plain WeasyPrint rendering of a simple HTML table of the same rows, in the
same run; then a batch of four audits, to show both cores at work.

    .venv/bin/python benchmarks/render_reports.py [--sizes 60 600 3000]

Targets (issue 3, on a 2-core machine): 600 checks ≤ 2.5 s process time and ≤ 600 KB;
3,000 checks ≤ 12 s; a batch uses both cores (process time / wall time near 2).
"""

from __future__ import annotations

import argparse
import html
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checklist import vocabulary  # noqa: E402
from checklist.audits import audit as audits  # noqa: E402
from checklist.model.library import load_catalog  # noqa: E402

CLAUSE = "各处室单位及各区广电归口管理单位应依法依规开展安全生产监督检查或抽查,指导督促管辖业务领域生产经营单位执行有关安全生产的法律法规和国家标准。"
ASK = "是否依法依规开展安全生产监督检查或抽查，指导督促管辖业务领域生产经营单位执行有关法律法规和国家标准？"
NUM = "一二三四五六七八九"


def numeral(n: int) -> str:
    tens, ones = divmod(n % 99 + 1, 10)
    return ("" if tens < 2 else NUM[tens - 1]) + ("十" if tens else "") + (NUM[ones - 1] if ones else "")


def make_catalog(folder: Path, checks: int) -> None:
    lines = [
        "id: bench",
        "title: 基准测试目录",
        'source: {doc_no: 京测发〔2026〕1号, issuer: 测试局, issued: "2026-02-10"}',
        "units: [{id: u, name: 测试处}]",
        "clauses:",
    ]
    for i in range(checks // 2):
        lines += [
            f"  - id: C{i}",
            f"    ref: 第{numeral(i // 9)}条第{i % 9 + 1}项",
            f"    chapter: 第{NUM[i % 6]}章 测试章节",
            f"    text: {CLAUSE}",
            "    responsible: [u]",
            "    checks:",
            f"      - {{id: C{i}-a, ask: {ASK}}}",
            f"      - {{id: C{i}-b, ask: 是否建立台账并及时更新？}}",
        ]
    (folder / "bench.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_audit(path: Path) -> list[tuple[str, str, str, str]]:
    cat = load_catalog(str(path.parent / "bench.yaml"))
    rng = random.Random(1)
    a = audits.new(
        cat,
        unit="u",
        tags=[],
        chapters=[],
        target={"name": "基准测试单位"},
        inspectors=["张三", "李四"],
        date=__import__("datetime").date(2026, 11, 20),
    )
    for e in a.entries:
        r = rng.random()
        if r < 0.8:
            e.answer(vocabulary.PASS, note="查阅记录齐全。" if r < 0.2 else "")
        elif r < 0.85:
            e.answer(
                vocabulary.FAIL,
                note="现场发现问题。",
                finding=audits.Finding(vocabulary.MAJOR if r < 0.81 else vocabulary.GENERAL, "限期整改并复查。", "王五", "2026-12-31"),
            )
        elif r < 0.9:
            e.answer(vocabulary.NA, reason="不涉及此项业务。")
    a.path = path
    a.save(cat)
    return [(e.ref, e.ask, e.result_name, e.note) for e in a.entries]


def plain_html(rows) -> str:
    body = "".join(
        f"<tr><td>{html.escape(r)}</td><td>{html.escape(a)}</td><td>{s}</td><td>{html.escape(n)}</td></tr>" for r, a, s, n in rows
    )
    return (
        "<html><head><style>@page{size:A4} body{font-family:'Noto Sans CJK SC';font-size:9.5pt}"
        "table{border-collapse:collapse;width:100%} td{border:0.5pt solid #888}</style></head>"
        f"<body><table>{body}</table></body></html>"
    )


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall time and process time (user + system of the child) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"{' '.join(cmd[:3])} failed:\n{proc.stdout}{proc.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[60, 600, 3000])
    ap.add_argument(
        "--tiny", action="store_true", help="a smoke run at the smallest size (the test suite runs it): figures, not measurements"
    )
    args = ap.parse_args()
    if args.tiny:
        args.sizes = [6]
    checklist = str(Path(sys.executable).parent / "checklist")
    print(f"{'checks':>7} {'checklist s':>12} {'KB':>7} {'pages':>6} | {'plain WeasyPrint s':>18} {'KB':>7} | {'time ratio':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "CHECKLIST_CATALOGS": str(tmp)}
        for n in args.sizes:
            folder = tmp / f"n{n}"
            folder.mkdir()
            make_catalog(folder, n)
            (tmp / "bench.yaml").write_text((folder / "bench.yaml").read_text(encoding="utf-8"), encoding="utf-8")
            rows = make_audit(folder / "audit.yaml")
            out = folder / "report.pdf"
            _, ours = run([checklist, "report", str(folder / "audit.yaml"), "-o", str(out)], env)
            page_count = _pages(out)
            (folder / "plain.html").write_text(plain_html(rows), encoding="utf-8")
            plain_out = folder / "plain.pdf"
            _, plain = run(
                [
                    sys.executable,
                    "-c",
                    "import sys, weasyprint; weasyprint.HTML(sys.argv[1]).write_pdf(sys.argv[2])",
                    str(folder / "plain.html"),
                    str(plain_out),
                ]
            )
            print(
                f"{n:>7} {ours:>12.2f} {out.stat().st_size / 1024:>7.0f} {page_count:>6} | {plain:>18.2f} "
                f"{plain_out.stat().st_size / 1024:>7.0f} | {ours / plain:>10.2f}"
            )
        batch_n = 600 if 600 in args.sizes else args.sizes[0]
        folder = tmp / f"n{batch_n}"
        (tmp / "bench.yaml").write_text((folder / "bench.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        batch = []
        for i in range(4):
            p = folder / f"batch{i}.yaml"
            p.write_text((folder / "audit.yaml").read_text(encoding="utf-8"), encoding="utf-8")
            batch.append(str(p))
        wall, cpu = run([checklist, "report", *batch, "-o", str(folder / "batch")], env)
        print(
            f"batch of 4 x {batch_n} checks: wall {wall:.2f} s, process time {cpu:.2f} s, cores busy {cpu / wall:.2f} of {os.cpu_count()}"
        )


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader  # in the bench and test extras: a count of 0 would hide a broken render

    return len(PdfReader(pdf).pages)


if __name__ == "__main__":
    main()
