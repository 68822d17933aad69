"""Reproducible stratified random samples: the 1% spot check of 京民发〔2026〕6号 and the
分层随机采样 of 京广发〔2026〕11号 第十二条.

Each stratum gets a share proportional to its size (rate × size), raised to a minimum and capped
at the stratum's size. The share is rounded up by default, because a rate in these documents is a
floor (抽查比例不低于1%: 1% of 349 is 4, not 3); ``half-up`` is there for a rate meant as a target.
The same seed and population always give the same sample; the plan records the seed, the
rounding, the population's size and SHA-256, so it can be repeated and checked."""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from checklist.errors import InvalidFileError, Problem, Refusal, UsageError
from checklist.files.loader import read_text
from checklist.files.spreadsheet import csv_rows, csv_text
from checklist.i18n import N_, _
from checklist.model.catalog import nfkc

# --rounding: how rate × stratum size becomes a whole number of rows
ROUNDINGS = {"up": ROUND_CEILING, "half-up": ROUND_HALF_UP}
ROUNDING_TEXT = {"up": N_("rounded up (不低于)"), "half-up": N_("rounded half up")}


def parse_rate(text: str) -> Decimal:
    """0.01 or 1%: a share in (0, 1]."""
    t = nfkc(text)
    try:
        rate = Decimal(t[:-1]) / 100 if t.endswith("%") else Decimal(t)
    except InvalidOperation as e:
        raise Refusal("sample.rate", "rate", value=text) from e
    if not rate.is_finite() or not 0 < rate <= 1:  # NaN and infinity are numbers to Decimal
        raise Refusal("sample.rate", "rate", value=text)
    return rate


@dataclass
class Stratum:
    value: str
    rows: list[int]  # indexes into the population
    chosen: list[int] = field(default_factory=list)


@dataclass
class Plan:
    source: str
    header: list[str]
    records: list[tuple[int, list[str]]]  # (line number, cells) of every population row
    sha256: str
    rate: Decimal
    seed: int
    stratify_by: str | None
    minimum: int
    strata: list[Stratum]
    rounding: str = "up"

    @property
    def size(self) -> int:
        return sum(len(s.chosen) for s in self.strata)


def load_population(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    text, raw = read_text(path)
    rows = [(n, r) for n, r in csv_rows(text, str(path)) if any(c.strip() for c in r)]
    if not rows:
        raise InvalidFileError([Problem(str(path), 1, 1, _("empty: the first row must name the columns"), "population")])
    (_line, header), records = rows[0], rows[1:]
    bad = [
        Problem(str(path), n, 1, _("{cells} cells, but the header has {columns}").format(cells=len(r), columns=len(header)), "population")
        for n, r in records
        if len(r) != len(header)
    ]
    if bad:
        raise InvalidFileError(bad)
    return header, records, hashlib.sha256(raw).hexdigest()


def make_plan(
    path: Path, rate: Decimal, *, stratify_by: str | None = None, minimum: int = 1, seed: int | None = None, rounding: str = "up"
) -> Plan:
    header, records, digest = load_population(path)
    return plan_of(str(path), header, records, digest, rate, stratify_by=stratify_by, minimum=minimum, seed=seed, rounding=rounding)


def table_digest(header: list[str], records: list[tuple[int, list[str]]]) -> str:
    """The SHA-256 of a population given as a table (the register's businesses): of its CSV text."""
    return hashlib.sha256(csv_text(header, [r for _, r in records]).encode("utf-8")).hexdigest()


def plan_of(
    source: str,
    header: list[str],
    records: list[tuple[int, list[str]]],
    digest: str,
    rate: Decimal,
    *,
    stratify_by: str | None = None,
    minimum: int = 1,
    seed: int | None = None,
    rounding: str = "up",
) -> Plan:
    """The plan for a population given as a header and (number, cells) rows."""
    path = source
    if stratify_by is not None and stratify_by not in header:
        raise UsageError(
            _("{path} has no column {column!r}; columns: {columns}").format(path=path, column=stratify_by, columns=", ".join(header))
        )
    column = header.index(stratify_by) if stratify_by is not None else None
    groups: dict[str, list[int]] = {}
    for i, (_line, row) in enumerate(records):
        groups.setdefault(nfkc(row[column]) if column is not None else "全部", []).append(i)
    seed = secrets.randbelow(2**31) if seed is None else seed
    rng = random.Random(seed)
    strata = []
    for value in sorted(groups):
        members = groups[value]
        share = int((rate * len(members)).quantize(Decimal(1), rounding=ROUNDINGS[rounding]))
        k = min(len(members), max(minimum, share))
        strata.append(Stratum(value, members, sorted(rng.sample(members, k))))
    return Plan(source, header, records, digest, rate, seed, stratify_by, minimum, strata, rounding)


def plan_csv(plan: Plan) -> str:
    """The plan as CSV: '#' lines first (how to repeat it), then the chosen rows with their stratum
    and their line in the population file."""
    notes = [
        "# "
        + _("checklist sample: population {file}; {rows} rows; SHA-256 {sha256}").format(
            file=Path(plan.source).name, rows=len(plan.records), sha256=plan.sha256
        ),
        "# "
        + _(
            "rate {rate} ({rounding}); stratified by {column}; at least {minimum} per stratum; seed {seed}: the same seed and file"
            " give the same sample"
        ).format(
            rate=f"{plan.rate.normalize():f}",
            rounding=_(ROUNDING_TEXT[plan.rounding]),
            column=plan.stratify_by or _("(none)"),
            minimum=plan.minimum,
            seed=plan.seed,
        ),
        "# " + _("strata: {strata}").format(strata="; ".join(f"{s.value} {len(s.chosen)}/{len(s.rows)}" for s in plan.strata)),
    ]
    rows = [[s.value, plan.records[i][0], *plan.records[i][1]] for s in plan.strata for i in s.chosen]
    return csv_text(["层", "原行号", *plan.header], rows, notes=notes)
