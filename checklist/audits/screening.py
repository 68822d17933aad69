"""Batch screening: one audit per declared target, the rule-checked items decided from its
facts, and a summary table of who passes, who fails what, and what is left to inspect."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from checklist.audits import audit as audits
from checklist.errors import UsageError
from checklist.files import atomic
from checklist.files.spreadsheet import Sheet, write_csv, write_xlsx
from checklist.model.catalog import Catalog, nfkc
from checklist.model.facts import Declaration

SUMMARY_HEADER = ["序号", "名称", "类别", "地址", "检查项", "符合", "不符合", "待检查", "不符合的要求", "检查记录"]
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class Screened:
    n: int
    declaration: Declaration
    path: Path
    status: audits.Status
    failed: list[audits.Entry]

    def row(self, kind_name: str) -> list:
        t = self.declaration.target
        failed = "；".join(f"{e.ref} {e.ask}" for e in self.failed)
        return [
            self.n,
            t.get("name", ""),
            t.get("kind") or kind_name,
            t.get("address", ""),
            self.status.total,
            self.status.counts[audits.PASS],
            self.status.counts[audits.FAIL],
            self.status.counts[audits.UNCHECKED],
            failed,
            self.path.name,
        ]


def file_name(n: int, name: str) -> str:
    """003-某某养老服务有限公司.yaml: numbered, so two targets of one name never collide."""
    safe = _UNSAFE.sub("_", nfkc(name)).strip("._")[:60] or "target"
    return f"{n:03d}-{safe}.yaml"


def screen(
    catalog: Catalog, kind: str, declarations: list[Declaration], out: Path, *, inspectors: list[str], date: dt.date, force: bool = False
) -> Iterator[Screened]:
    """Write one audit per declaration into ``out``, yielding each as it is written. All or none:
    if one fails (a row of another kind, a full disk, Ctrl-C), the audits this call created are
    removed again (files it overwrote with --force stay overwritten)."""
    kind_id = catalog.find_kind(kind).id
    paths = [out / file_name(n, d.target.get("name", "")) for n, d in enumerate(declarations, 1)]
    existing = [p for p in paths if atomic.exists(p)]
    if existing and not force:
        raise UsageError(f"{existing[0]} exists (and {len(existing) - 1} more): they may hold answers; use --force to overwrite")
    created: list[Path] = []
    try:
        for n, (d, path) in enumerate(zip(declarations, paths, strict=True), 1):
            given = d.target.get("kind")
            if given and catalog.find_kind(given).id != kind_id:
                raise UsageError(f"{d.source}: {d.target.get('name')} is a {given}, not a {catalog.kinds[kind_id].name}")
            a = audits.new(
                catalog,
                unit=None,
                kind=kind_id,
                tags=[],
                chapters=[],
                target={"name": d.target.get("name", ""), "address": d.target.get("address", ""), "kind": catalog.kinds[kind_id].name},
                inspectors=inspectors,
                date=date,
                declaration=d,
            )
            a.path = path
            a.save(catalog, overwrite=force)
            if path not in existing:
                created.append(path)
            yield Screened(n, d, path, audits.status(a.entries), [e for e in a.entries if e.result == audits.FAIL])
    except (Exception, KeyboardInterrupt):
        for path in created:
            path.unlink(missing_ok=True)
        raise


def write_summary(rows: list[Screened], out: Path, kind_name: str) -> tuple[Path, Path]:
    table = [r.row(kind_name) for r in sorted(rows, key=lambda r: r.n)]
    csv_path, xlsx_path = out / "summary.csv", out / "summary.xlsx"
    write_csv(csv_path, SUMMARY_HEADER, table)
    write_xlsx(xlsx_path, [Sheet("筛查汇总", SUMMARY_HEADER, table)])
    return csv_path, xlsx_path
