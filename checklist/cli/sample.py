"""`checklist sample`: a reproducible stratified sampling plan (抽查)."""

from __future__ import annotations

import click

from checklist.cli.common import EXIT_CODES, command, fail
from checklist.i18n import _


@command(epilog=EXIT_CODES)
@click.argument("population", type=click.Path(dir_okay=False), required=False)
@click.option(
    "--businesses",
    is_flag=True,
    help="Draw from the register's businesses (`register businesses import`; columns 统一社会信用代码, 名称, 行业, 分级分类, 联系人) instead of a file.",
)
@click.option("--db", "db", metavar="URL", help="The register, with --businesses [default: $CHECKLIST_DB, else sqlite:///checklist.db].")
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
def sample(population, businesses, db, rate, stratify_by, min_per_stratum, rounding, seed, output):
    """A reproducible stratified random sample of POPULATION.csv (one row per unit to sample), or
    of the register's businesses (--businesses, stratified for instance by 分级分类).

    Each stratum gets rate × its size (rounded up by default: the documents' rates are minimums,
    不低于), at least --min-per-stratum, at most its size. The plan lists the chosen rows with their
    stratum and line, after '#' lines recording the population's size and SHA-256, the rate and its
    rounding, and the seed, so the draw can be repeated and checked.
    """
    from pathlib import Path

    from checklist.audits.sampling import make_plan, parse_rate, plan_csv, plan_of, table_digest
    from checklist.errors import UsageError
    from checklist.files import atomic

    options = {"stratify_by": stratify_by, "minimum": min_per_stratum, "seed": seed, "rounding": rounding}
    if businesses == bool(population):
        fail(UsageError(_("give a POPULATION file or --businesses, one of the two")))
    if businesses:
        from checklist.register import businesses as register_businesses
        from checklist.register.db import open_register, reading

        with reading(open_register(db, create=False)) as conn:
            header, records = register_businesses.population(conn)
        plan = plan_of("register businesses", header, records, table_digest(header, records), parse_rate(rate), **options)
    else:
        plan = make_plan(Path(population), parse_rate(rate), **options)
    atomic.write_text(output, plan_csv(plan))
    click.echo(
        _("{path}: {size} of {rows} rows, seed {seed}").format(path=output, size=plan.size, rows=len(plan.records), seed=plan.seed)
        + ("" if seed is not None else _(" (chosen now: pass --seed to repeat this draw)"))
    )
    for s in plan.strata:
        click.echo(f"  {s.value}: {len(s.chosen)}/{len(s.rows)}")
