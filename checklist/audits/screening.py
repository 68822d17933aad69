"""Batch screening: one audit per declared target, the rule-checked items decided from its
facts, and a summary table of who passes, who fails what, and what is left to inspect."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from checklist import vocabulary
from checklist.audits import audit as audits
from checklist.audits.results import ELIGIBLE, Award, Status, award, status
from checklist.errors import Refusal, UsageError
from checklist.files import atomic
from checklist.files.spreadsheet import Sheet, write_csv, write_xlsx
from checklist.i18n import _
from checklist.model.catalog import Catalog, nfkc
from checklist.model.facts import Declaration
from checklist.model.rules import Quantity

SUMMARY_HEADER = ["序号", "名称", "类别", "地址", "检查项", "符合", "不符合", "待检查", "不符合的要求", "检查记录"]
AMOUNT_HEADER = ["资格", "金额", "单位", "金额计算及依据"]  # added when the catalog computes amounts
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class Screened:
    n: int
    declaration: Declaration
    path: Path
    status: Status
    failed: list[audits.Entry]
    award: Award

    def row(self, kind_name: str) -> list:
        t = self.declaration.target
        failed = "；".join(f"{e.ref} {e.ask}" for e in self.failed)
        return [
            self.n,
            t.get("name", ""),
            t.get("kind") or kind_name,
            t.get("address", ""),
            self.status.total,
            self.status.counts[vocabulary.PASS],
            self.status.counts[vocabulary.FAIL],
            self.status.counts[vocabulary.UNCHECKED],
            failed,
            self.path.name,
        ]

    def amount_cells(self) -> list:
        """资格, the total (a number; empty unless eligible), its unit, and each item's working and article."""
        a = self.award
        total = a.total if a.total is not None and a.eligibility == ELIGIBLE else None
        working = "；".join([f"{c['working']}（依据：{c['ref']}）" for c in a.items] + [f"待核实：{r}" for r in a.pending])
        return [a.eligibility, _number(total.value) if total else None, total.unit if total else "", working]


def _number(value: Decimal) -> int | Decimal:
    """A spreadsheet number, exact: whole amounts as integers, others as the Decimal itself without
    trailing zeros (370.37034 万元 stays 370.37034 — to the fen, 0.000001 万元 — never rounded to
    0.01 of its unit). The CSV writes it as plain digits, the XLSX as a number."""
    return int(value) if value == value.to_integral_value() else value.normalize()


def file_name(n: int, name: str) -> str:
    """003-某某养老服务有限公司.yaml: numbered, so two targets of one name never collide."""
    safe = _UNSAFE.sub("_", nfkc(name)).strip("._")[:60] or "target"
    return f"{n:03d}-{safe}.yaml"


def screen(
    catalog: Catalog,
    kind: str,
    declarations: list[Declaration],
    out: Path,
    *,
    inspectors: list[str],
    date: dt.date,
    force: bool = False,
    title: str = "",
) -> Iterator[Screened]:
    """Write one audit per declaration into ``out``, yielding each as it is written. All or none:
    if one fails (a row of another kind, a full disk, Ctrl-C), the audits this call created are
    removed again (files it overwrote with --force stay overwritten)."""
    kind_id = catalog.find_kind(kind).id
    paths = [out / file_name(n, d.target.get("name", "")) for n, d in enumerate(declarations, 1)]
    existing = [p for p in paths if atomic.exists(p)]
    if existing and not force:
        raise Refusal("output.exists", "output", path=str(existing[0]), more=len(existing) - 1)
    created: list[Path] = []
    try:
        for n, (d, path) in enumerate(zip(declarations, paths, strict=True), 1):
            given = d.target.get("kind")
            if given and catalog.find_kind(given).id != kind_id:
                raise UsageError(
                    _("{source}: {name} is a {given}, not a {kind}").format(
                        source=d.source, name=d.target.get("name"), given=given, kind=catalog.kinds[kind_id].name
                    )
                )
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
                title=title,
            )
            a.path = path
            a.save(catalog, overwrite=force)
            if path not in existing:
                created.append(path)
            yield Screened(n, d, path, status(a.entries), [e for e in a.entries if e.result == vocabulary.FAIL], award(a.entries))
    except (Exception, KeyboardInterrupt):
        for path in created:
            path.unlink(missing_ok=True)
        raise


def write_summary(rows: list[Screened], out: Path, kind_name: str, amounts: bool = False) -> tuple[Path, Path]:
    """summary.csv and summary.xlsx; with ``amounts``, each row's eligibility and amount, and a 合计 row
    adding up the amounts of the eligible (in the unit of the first)."""
    rows = sorted(rows, key=lambda r: r.n)
    header, table = list(SUMMARY_HEADER), [r.row(kind_name) for r in rows]
    if amounts:
        header += AMOUNT_HEADER
        table = [t + r.amount_cells() for t, r in zip(table, rows, strict=True)]
        total = total_of(rows)
        eligible = sum(1 for r in rows if r.award.eligibility == ELIGIBLE)
        blank = [""] * (len(SUMMARY_HEADER) - 2)
        table.append(
            ["合计", f"{eligible} 个符合条件"] + blank + ["", _number(total.value) if total else 0, total.unit if total else "", ""]
        )
    csv_path, xlsx_path = out / "summary.csv", out / "summary.xlsx"
    write_csv(csv_path, header, table)
    write_xlsx(xlsx_path, [Sheet("筛查汇总", header, table, heading=f"{kind_name} 筛查汇总")])
    return csv_path, xlsx_path


def total_of(rows: list[Screened]) -> Quantity | None:
    """The eligible targets' amounts added up exactly, in the unit of the first."""
    totals = [r.award.total for r in rows if r.award.total is not None and r.award.eligibility == ELIGIBLE]
    if not totals:
        return None
    unit = totals[0].unit
    return Quantity(sum(((q.to(unit) or q).value for q in totals), Decimal(0)), unit)
