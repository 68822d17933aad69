"""Risk methods as data: each factor's table, the bands that turn a score into one of the four
levels, the levels with their colours and default control levels, and GB 6441's accident types.

The bundled ``catalogs/risk/risk-methods.yaml`` is read first; a user's own method file adds
methods or replaces them by id (band limits differ between guidelines). Bands are checked
against every score the factor tables can make: each falls in exactly one band, bands never
overlap, and a higher score never grades lower."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from checklist.errors import ChecklistError, Problem, UsageError
from checklist.files.kinds import cross_check, load_valid
from checklist.files.loader import Document, file_stamp
from checklist.files.resources import data_dir
from checklist.i18n import _
from checklist.model.catalog import nfkc

MAX_COMBINATIONS = 100_000  # factor tables whose product has more rows are refused (the bands are checked on every one)


def bundled_path() -> Path:
    return data_dir("catalogs") / "risk" / "risk-methods.yaml"


def number(value: Any) -> Decimal:
    """A factor value or limit as an exact decimal (0.1 × 3 is 0.3, not 0.30000000000000004)."""
    return Decimal(str(value))


def shown(value: Decimal) -> str:
    """270, 0.5, 1.5 — never 2.7E+2 or 270.0."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class Level:
    id: str  # 重大
    name: str  # 重大风险
    colour: str  # 红
    rgb: str
    text_rgb: str
    control: str  # default control level
    rank: int  # 0 = highest


@dataclass(frozen=True)
class Band:
    level: str
    low: Decimal | None = None
    low_open: bool = False  # "above" rather than "min"
    high: Decimal | None = None
    high_open: bool = False  # "below" rather than "max"

    def holds(self, score: Decimal) -> bool:
        if self.low is not None and (score < self.low or (self.low_open and score == self.low)):
            return False
        return not (self.high is not None and (score > self.high or (self.high_open and score == self.high)))

    def empty(self) -> bool:
        if self.low is None or self.high is None:
            return False
        return self.low > self.high or (self.low == self.high and (self.low_open or self.high_open))

    def overlaps(self, other: Band) -> bool:
        lows = [(b.low, b.low_open) for b in (self, other) if b.low is not None]
        highs = [(b.high, b.high_open) for b in (self, other) if b.high is not None]
        if not lows or not highs:
            return not (self.empty() or other.empty())
        low, low_open = max(lows, key=lambda x: (x[0], x[1]))  # at a tie the open limit is the tighter one
        high, high_open = min(highs, key=lambda x: (x[0], not x[1]))
        return low < high or (low == high and not (low_open or high_open))

    def text(self, symbol: str) -> str:
        """The range as printed: 160 < D ≤ 320, D > 320, 20 ≤ R ≤ 25."""
        left = f"{shown(self.low)} {'<' if self.low_open else '≤'} " if self.low is not None else ""
        right = f" {'<' if self.high_open else '≤'} {shown(self.high)}" if self.high is not None else ""
        if left and not right:
            return f"{symbol} {'>' if self.low_open else '≥'} {shown(self.low)}"  # type: ignore[arg-type]
        return f"{left}{symbol}{right}" if left or right else f"任意 {symbol}"


@dataclass(frozen=True)
class Factor:
    symbol: str
    name: str
    values: dict[Decimal, str]  # allowed value -> description, in the table's order


@dataclass(frozen=True)
class Method:
    id: str
    name: str
    score: str  # D, R
    note: str
    factors: tuple[Factor, ...]
    bands: tuple[Band, ...]

    @property
    def formula(self) -> str:
        return f"{self.score} = " + " × ".join(f.symbol for f in self.factors)

    def band_of(self, score: Decimal) -> Band:
        for band in self.bands:
            if band.holds(score):
                return band
        # the method file was checked against every possible score; a score outside is not one
        raise ValueError(_("{symbol} = {score} is in no band of {method}").format(symbol=self.score, score=shown(score), method=self.id))

    def possible_scores(self) -> dict[Decimal, tuple[Decimal, ...]]:
        """Every score the tables can make, smallest first, with one set of factors making it."""
        scores: dict[Decimal, tuple[Decimal, ...]] = {}
        for combo in itertools.product(*(f.values for f in self.factors)):
            scores.setdefault(math.prod(combo, start=Decimal(1)), combo)
        return dict(sorted(scores.items()))


@dataclass
class Methods:
    """Everything grading needs, merged from the bundled file and a user's own."""

    levels: dict[str, Level]  # by id, highest first
    control_levels: list[str]  # highest first
    accident_types: list[str]  # canonical names, the standard's order
    accident_source: str
    methods: dict[str, Method]
    files: list[str] = field(default_factory=list)  # the method files read, bundled first
    _accident_names: dict[str, str] = field(default_factory=dict)  # NFKC name or alias -> canonical

    def accident(self, name: str) -> str | None:
        return self._accident_names.get(nfkc(name).strip())

    def method(self, name: str) -> Method | None:
        key = nfkc(name).strip().upper()
        return next((m for m in self.methods.values() if m.id.upper() == key or nfkc(m.name) == nfkc(name).strip()), None)

    def grade(self, method_id: str, factors: dict[str, Decimal]) -> tuple[Decimal, Band, Level]:
        """The score of checked factors, its band and its level."""
        method = self.methods[method_id]
        score = math.prod((factors[f.symbol] for f in method.factors), start=Decimal(1))
        band = method.band_of(score)
        return score, band, self.levels[band.level]

    def level(self, text: str) -> Level | None:
        key = nfkc(text).strip()
        return next((lv for lv in self.levels.values() if key in (lv.id, lv.name, lv.colour, lv.colour + "色")), None)


def _levels(data: list[dict]) -> dict[str, Level]:
    return {d["id"]: Level(d["id"], d["name"], d["colour"], d["rgb"], d["text_rgb"], d["control"], i) for i, d in enumerate(data)}


def _band(d: dict) -> Band:
    low = d.get("min", d.get("above"))
    high = d.get("max", d.get("below"))
    return Band(
        d["level"],
        None if low is None else number(low),
        "above" in d,
        None if high is None else number(high),
        "below" in d,
    )


def _method(d: dict) -> Method:
    factors = tuple(Factor(f["symbol"], f["name"], {number(v["value"]): v["text"] for v in f["values"]}) for f in d["factors"])
    return Method(d["id"], d["name"], d["score"], d["note"], factors, tuple(_band(b) for b in d["bands"]))


def _merge(base: Methods | None, doc: Document) -> Methods:
    d = doc.data
    levels = _levels(d["levels"]) if "levels" in d else base.levels if base else {}
    controls = list(d["control_levels"]) if "control_levels" in d else base.control_levels if base else []
    if "accident_types" in d:
        types = d["accident_types"]["types"]
        names = [t["name"] for t in types]
        aliases = {nfkc(a): t["name"] for t in types for a in [t["name"], *t.get("aliases", [])]}
        source = d["accident_types"]["source"]
    else:
        names, aliases, source = (base.accident_types, base._accident_names, base.accident_source) if base else ([], {}, "")
    methods = dict(base.methods) if base else {}
    methods.update({m["id"]: _method(m) for m in d["methods"]})
    files = (base.files if base else []) + [doc.path]
    return Methods(levels, controls, names, source, methods, files, aliases)


@lru_cache(maxsize=8)
def _load(bundled: Path, stamp: tuple[int, int], own: Path | None, own_stamp: tuple[int, int], own_resolved: Path | None) -> Methods:
    """Loaded once per file version (``own`` as given, for messages; ``own_resolved`` keys the cache)."""
    merged = _merge(None, load_valid(bundled, "risk-methods"))
    if own is not None:
        merged = _merge(merged, load_valid(own, "risk-methods"))
    return merged


def load_methods(own: str | Path | None = None) -> Methods:
    """The bundled methods, with a user's method file (if given) adding or replacing methods by id."""
    bundled = bundled_path()
    own_path = Path(own) if own is not None else None
    stamp = file_stamp(own_path) if own_path else (0, 0)
    merged = _load(bundled, file_stamp(bundled), own_path, stamp, own_path.resolve() if own_path else None)
    if not merged.levels or not merged.control_levels or not merged.accident_types:
        raise UsageError(_("{path}: the bundled method file lacks levels, control levels or accident types").format(path=bundled))
    for m in merged.methods.values():
        unknown = sorted({b.level for b in m.bands} - set(merged.levels))
        if unknown:  # the own file replaced the levels, and a method it kept still names the old ones
            raise UsageError(
                _("{path}: method {method} grades into {unknown}, not among the levels {levels}; replace it too").format(
                    path=own, method=m.id, unknown="、".join(unknown), levels="、".join(merged.levels)
                )
            )
    return merged


# --- the checks a schema cannot express ------------------------------------------------------


@cross_check("risk-methods")
def check(doc: Document) -> list[Problem]:
    """Levels, control levels and accident types consistent; every method's bands hold every
    possible score exactly once, in order."""
    d = doc.data if isinstance(doc.data, dict) else {}
    problems: list[Problem] = []
    # a user's file may lean on the bundled levels; the bundled file has its own, so this never recurses
    base = None if ("levels" in d and "control_levels" in d) else _bundled_or_none()
    levels = _levels(d["levels"]) if "levels" in d else base.levels if base else {}
    controls = d.get("control_levels") or (base.control_levels if base else [])
    problems += _duplicates(doc, ("levels",), [lv["id"] for lv in d.get("levels", [])], _("level"))
    problems += _duplicates(doc, ("control_levels",), d.get("control_levels", []), _("control level"), key=None)
    for i, lv in enumerate(d.get("levels", [])):
        if controls and lv["control"] not in controls:
            problems.append(
                doc.problem(
                    ("levels", i, "control"),
                    _("control level {level!r} is not one of {known}").format(level=lv["control"], known="、".join(controls)),
                    "risk-levels",
                )
            )
    types = (d.get("accident_types") or {}).get("types", [])
    problems += _duplicates(doc, ("accident_types", "types"), [[t["name"], *t.get("aliases", [])] for t in types], _("accident type"))
    problems += _duplicates(doc, ("methods",), [m["id"] for m in d.get("methods", [])], _("method id"))
    for i, m in enumerate(d.get("methods", [])):
        problems += _method_problems(doc, i, m, levels)
    return problems


def _bundled_or_none() -> Methods | None:
    try:
        return load_methods()
    except ChecklistError:  # the bundled file's own problems are reported when it is validated
        return None


def _duplicates(doc: Document, where: tuple, names: list, what: str, key: str | None = "id") -> list[Problem]:
    """Names (or groups of names: a type and its aliases) that occur twice, at the second place."""
    seen: dict[str, int] = {}
    out = []
    for i, group in enumerate(names):
        for name in group if isinstance(group, list) else [group]:
            k = nfkc(str(name)).casefold()
            if k in seen and seen[k] != i:
                out.append(
                    doc.problem(
                        (*where, i),
                        _("duplicate {what} {name!r} (first in item {item})").format(what=what, name=name, item=seen[k] + 1),
                        "risk-unique",
                    )
                )
            seen.setdefault(k, i)
    return out


def _method_problems(doc: Document, i: int, m: dict, levels: dict[str, Level]) -> list[Problem]:
    where: tuple = ("methods", i)
    problems = _duplicates(doc, (*where, "factors"), [f["symbol"] for f in m["factors"]], "factor")
    for j, f in enumerate(m["factors"]):
        problems += _duplicates(
            doc,
            (*where, "factors", j, "values"),
            [shown(number(v["value"])) for v in f["values"]],
            _("value of {symbol}").format(symbol=f["symbol"]),
        )
    symbol = m["score"]
    bands: list[tuple[int, Band]] = []
    for j, b in enumerate(m["bands"]):
        at = (*where, "bands", j)
        if levels and b["level"] not in levels:
            problems.append(
                doc.problem(
                    (*at, "level"),
                    _("unknown level {level!r}; the levels are {levels}").format(level=b["level"], levels="、".join(levels)),
                    "risk-bands",
                )
            )
            continue
        both = [pair for pair in (("min", "above"), ("max", "below")) if all(k in b for k in pair)]
        if both:
            problems.append(
                doc.problem(at, _("give {first} or {second}, not both").format(first=both[0][0], second=both[0][1]), "risk-bands")
            )
            continue
        band = _band(b)
        if band.empty():
            problems.append(doc.problem(at, _("the band {band} holds no score").format(band=band.text(symbol)), "risk-bands"))
            continue
        for k, earlier in bands:
            if band.overlaps(earlier):
                line = doc.position(("methods", i, "bands", k))[0]
                problems.append(
                    doc.problem(
                        at,
                        _("{level} ({band}) overlaps {other} ({other_band}) at line {line}").format(
                            level=band.level, band=band.text(symbol), other=earlier.level, other_band=earlier.text(symbol), line=line
                        ),
                        "risk-bands",
                    )
                )
        bands.append((j, band))
    if problems:
        return problems
    combinations = math.prod(len(f["values"]) for f in m["factors"])
    if combinations > MAX_COMBINATIONS:
        return [
            doc.problem(
                (*where, "factors"),
                _("the factor tables make {combinations} combinations; at most {most} are checked").format(
                    combinations=f"{combinations:,}", most=f"{MAX_COMBINATIONS:,}"
                ),
                "risk-bands",
            )
        ]
    method = _method(m)
    possible = method.possible_scores()
    uncovered = [(s, combo) for s, combo in possible.items() if not any(b.holds(s) for _, b in bands)]
    if uncovered:
        examples = "；".join(
            f"{symbol} = {shown(s)} ({' × '.join(f'{f.symbol} {shown(v)}' for f, v in zip(method.factors, c, strict=True))})"
            for s, c in uncovered[:3]
        )
        more = _(" and {n} more").format(n=len(uncovered) - 3) if len(uncovered) > 3 else ""
        problems.append(
            doc.problem(
                (*where, "bands"),
                _("no band holds {examples}{more}: a gap between the bands").format(examples=examples, more=more),
                "risk-bands",
                key="bands",
            )
        )
    for j, band in bands:
        if not any(band.holds(s) for s in possible):
            problems.append(
                doc.problem(
                    (*where, "bands", j),
                    _("no possible {symbol} falls in {level} ({band})").format(symbol=symbol, level=band.level, band=band.text(symbol)),
                    "risk-bands",
                )
            )
    if levels and not problems:
        problems += _order_problems(doc, where, method, possible, levels)
    return problems


def _order_problems(doc: Document, where: tuple, method: Method, possible: dict, levels: dict[str, Level]) -> list[Problem]:
    """A higher score never grades a lower level."""
    worst: tuple[Decimal, Level] | None = None
    for score in possible:
        level = levels[method.band_of(score).level]
        if worst and level.rank > worst[1].rank:
            j = method.bands.index(method.band_of(score))
            return [
                doc.problem(
                    (*where, "bands", j),
                    _("{symbol} = {score} grades {level}, lower than {other} for the smaller {symbol} = {smaller}").format(
                        symbol=method.score, score=shown(score), level=level.id, other=worst[1].id, smaller=shown(worst[0])
                    ),
                    "risk-bands",
                )
            ]
        if worst is None or level.rank < worst[1].rank:
            worst = (score, level)
    return []
