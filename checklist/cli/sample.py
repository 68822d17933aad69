"""`checklist sample`: a reproducible stratified sampling plan (抽查)."""

from __future__ import annotations

import click

from checklist.cli.common import EXIT_CODES, command
from checklist.i18n import _


@command(epilog=EXIT_CODES)
@click.argument("population", type=click.Path(dir_okay=False))
@click.option("--rate", required=True, help="Share to sample: 0.01 or 1%.")
@click.option("--stratify-by", metavar="COLUMN", help="Sample each value of this column separately (分层).")
@click.option(
    "--min-per-stratum", type=click.IntRange(0), default=1, show_default=True, help="Raise each stratum's share to at least this."
)
@click.option(
    "--rounding",
    type=click.Choice(["up", "half-up"]),
    default="up",
    show_default=True,
    help="How rate × stratum size becomes whole rows: up for a minimum rate (不低于1%: 1% of 349 → 4), half-up for a target.",
)
@click.option("--seed", type=click.IntRange(0), help="Random seed; the same seed gives the same sample [default: chosen and printed].")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The sampling plan (CSV).")
def sample(population, rate, stratify_by, min_per_stratum, rounding, seed, output):
    """A reproducible stratified random sample of POPULATION.csv (one row per unit to sample).

    Each stratum gets rate × its size (rounded up by default: the documents' rates are minimums,
    不低于), at least --min-per-stratum, at most its size. The plan lists the chosen rows with their
    stratum and line, after '#' lines recording the population's size and SHA-256, the rate and its
    rounding, and the seed, so the draw can be repeated and checked.
    """
    from pathlib import Path

    from checklist.audits.sampling import make_plan, parse_rate, plan_csv
    from checklist.files import atomic

    plan = make_plan(Path(population), parse_rate(rate), stratify_by=stratify_by, minimum=min_per_stratum, seed=seed, rounding=rounding)
    atomic.write_text(output, plan_csv(plan))
    click.echo(
        _("{path}: {size} of {rows} rows, seed {seed}").format(path=output, size=plan.size, rows=len(plan.records), seed=plan.seed)
        + ("" if seed is not None else _(" (chosen now: pass --seed to repeat this draw)"))
    )
    for s in plan.strata:
        click.echo(f"  {s.value}: {len(s.chosen)}/{len(s.rows)}")
