"""Grading: each risk point's score with its working, its level and colour, and its control level
(derived from the level, or overridden with a reason); and the questions others ask of the
graded list — the level of point X, the points of a unit highest first, counts by unit and level.

The hazard register joins here: a hazard names a risk point by its id, and asks
:meth:`Grading.level_of`, :meth:`Grading.by_unit`, :meth:`Grading.unknown` (ids that name no
point) and :meth:`Grading.attention` (points with open hazards, 重大 first)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from checklist.errors import UsageError
from checklist.i18n import _
from checklist.model.catalog import nfkc
from checklist.risk.methods import Band, Level, Method, Methods, shown
from checklist.risk.points import PointFile, RiskPoint, load_points


@dataclass(frozen=True)
class Assessment:
    point: RiskPoint
    method: Method
    score: Decimal
    band: Band
    level: Level
    control: str  # the control level in force
    derived_control: str  # the one the level gives

    @property
    def overridden(self) -> bool:
        return self.control != self.derived_control

    @property
    def product(self) -> str:
        """6 × 3 × 15"""
        return " × ".join(shown(v) for v in self.point.factors.values())

    @property
    def working(self) -> str:
        """D = 6 × 3 × 15 = 270 → 较大风险 (橙)"""
        return f"{self.method.score} = {self.product} = {shown(self.score)} → {self.level.name} ({self.level.colour})"

    def as_dict(self) -> dict:
        p = self.point
        return {
            "id": p.id,
            "name": p.name,
            "location": p.location,
            "unit": p.unit,
            "activity": p.activity,
            "equipment": p.equipment,
            "hazards": p.hazards,
            "accidents": p.accidents,
            "method": self.method.id,
            "factors": {k: float(v) if v != v.to_integral_value() else int(v) for k, v in p.factors.items()},
            "score": float(self.score) if self.score != self.score.to_integral_value() else int(self.score),
            "band": self.band.text(self.method.score),
            "level": self.level.id,
            "level_name": self.level.name,
            "colour": self.level.colour,
            "rgb": self.level.rgb,
            "control_level": self.control,
            "control_derived": self.derived_control,
            "control_reason": p.control_reason if self.overridden else "",
            "measures": p.measures,
            "owner": p.owner,
            "emergency": p.emergency,
            "emergency_numbers": p.emergency_numbers,
            "working": self.working,
            "source": p.source,
        }


def assess_point(point: RiskPoint, methods: Methods) -> Assessment:
    score, band, level = methods.grade(point.method, point.factors)
    return Assessment(point, methods.methods[point.method], score, band, level, point.control_level or level.control, level.control)


@dataclass
class Grading:
    """A file's risk points, graded, in file order."""

    path: str
    organisation: str
    emergency_numbers: list[str]
    methods: Methods
    assessments: list[Assessment]

    def __post_init__(self) -> None:
        self._by_id = {a.point.id: a for a in self.assessments}

    def get(self, point_id: str) -> Assessment | None:
        return self._by_id.get(nfkc(str(point_id)).strip())

    def level_of(self, point_id: str) -> Level | None:
        """The level of risk point ``point_id`` (None: no such point)."""
        a = self.get(point_id)
        return a.level if a else None

    def ordered(self, assessments: list[Assessment] | None = None) -> list[Assessment]:
        """Highest level first, then highest score, then file order."""
        items = self.assessments if assessments is None else assessments
        order = {id(a): n for n, a in enumerate(self.assessments)}
        return sorted(items, key=lambda a: (a.level.rank, -a.score, order[id(a)]))

    def unknown(self, point_ids: Iterable[str]) -> list[str]:
        """The ids among ``point_ids`` that name no point here (a hazard naming a risk point that is not there)."""
        return [pid for pid in point_ids if self.get(pid) is None]

    def attention(self, open_hazards: Mapping[str, int], unit: str | None = None) -> list[tuple[Assessment, int]]:
        """Points with their open hazards (point id -> count, from the register) in the order the unit's
        主要负责人 reads them: a top-level (重大) point with open hazards first, then by level, more open
        hazards, higher score."""
        counts: dict[str, int] = {}
        for pid, n in open_hazards.items():
            a = self.get(pid)
            if a is not None:
                counts[a.point.id] = counts.get(a.point.id, 0) + n
        items = self.select(unit) if unit is not None else self.assessments
        order = {id(a): n for n, a in enumerate(self.assessments)}

        def key(a: Assessment) -> tuple:
            n = counts.get(a.point.id, 0)
            return (not (a.level.rank == 0 and n > 0), a.level.rank, -n, -a.score, order[id(a)])

        return [(a, counts.get(a.point.id, 0)) for a in sorted(items, key=key)]

    def units(self) -> list[str]:
        return list(dict.fromkeys(a.point.unit for a in self.assessments))

    def by_unit(self) -> dict[str, list[Assessment]]:
        """Each unit's points, highest level first (units in file order)."""
        return {u: self.ordered([a for a in self.assessments if a.point.unit == u]) for u in self.units()}

    def select(self, unit: str | None = None, level: str | None = None) -> list[Assessment]:
        """The points of a unit and/or a level (id, name or colour: 重大, 重大风险, 红), highest first."""
        items = self.assessments
        if unit is not None:
            key = nfkc(unit).strip()
            if key not in self.units():
                raise UsageError(
                    _("no unit {unit!r} in {path}; its units: {units}").format(unit=unit, path=self.path, units="、".join(self.units()))
                )
            items = [a for a in items if a.point.unit == key]
        if level is not None:
            lv = self.methods.level(level)
            if lv is None:
                raise UsageError(
                    _("unknown level {level!r}; the levels: {levels}").format(level=level, levels="、".join(self.methods.levels))
                )
            items = [a for a in items if a.level.id == lv.id]
        return self.ordered(items)

    def counts(self) -> dict[str, dict[str, int]]:
        """Unit -> level id -> number of points (every level present, zeros too)."""
        out = {u: dict.fromkeys(self.methods.levels, 0) for u in self.units()}
        for a in self.assessments:
            out[a.point.unit][a.level.id] += 1
        return out

    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(self.methods.levels, 0)
        for a in self.assessments:
            totals[a.level.id] += 1
        return totals


def grade(points: PointFile) -> Grading:
    return Grading(
        points.path, points.organisation, points.emergency_numbers, points.methods, [assess_point(p, points.methods) for p in points.points]
    )


def assess(path: str | Path, methods_file: str | Path | None = None) -> Grading:
    """Load a risk-point file (YAML, CSV or XLSX), check it, and grade every point."""
    return grade(load_points(path, methods_file))
