"""The clauses a layout finds, as catalog entries: a builder that keeps the current chapter and
section, numbers repeated ids, lists the lines it could not place, and declares each unit once."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from checklist.authoring.duties import Duty
from checklist.authoring.pdf_text import Paragraph
from checklist.authoring.unit_lists import unit_names
from checklist.model.catalog import nfkc
from checklist.vocabulary import SUPPORT


@dataclass
class Clause:
    id: str
    ref: str
    origin: list[tuple[int, str]]  # the lines that opened it, reported as unplaced if it stays empty
    chapter: str = ""
    section: str = ""
    heading: str = ""
    parts: list[str] = field(default_factory=list)  # paragraphs of text
    fields: dict[str, str] = field(default_factory=dict)
    duty: str = ""  # the printed unit list, e.g. 市医保局、北京金融监管局
    duty_label: str = ""
    all_lead: bool = False  # every unit named leads (牵头负责单位); else the first leads
    ask: Callable[[Clause], str] | None = None
    support: str = ""  # the printed supporting units (a 配合单位 column)
    parsed: Duty | None = None  # the units of a unit ending, lead and supporting apart
    lines: list[int] = field(default_factory=list)  # every line the clause holds, when known


class Builder:
    def __init__(self) -> None:
        self.clauses: list[Clause] = []
        self.unplaced: list[tuple[int, str]] = []
        self.chapter = self.section = ""
        self._ids: dict[str, int] = {}  # id → how many clauses asked for it
        self.findings: list[tuple[int, str, str]] = []
        self.end = 1  # one past the last line of the text
        self.heading_lines: set[int] = set()

    def add(self, cid: str, ref: str, origin: Paragraph, **kw) -> Clause:
        """A new clause in the current chapter and section; a repeated id gets a suffix (.2, .3)."""
        n = self._ids[cid] = self._ids.get(cid, 0) + 1
        unique = cid if n == 1 else f"{cid}.{n}"  # ids are built with "-"; ".N" marks only repeats
        clause = Clause(unique, ref, origin.lines, self.chapter, self.section, **kw)
        self.clauses.append(clause)
        return clause

    def heading(self, level: str, printed: str, paragraph: Paragraph | None = None) -> None:
        """A chapter or section heading: the clauses after it stand in it (its lines are no clause's)."""
        if paragraph is not None:
            self.heading_lines |= {n for n, _ in paragraph.lines}
        if level == "chapter":
            self.chapter, self.section = printed, ""
        else:
            self.section = printed

    def skip(self, paragraph: Paragraph) -> None:
        self.unplaced += paragraph.lines

    def clauses_and_units(self) -> tuple[list[dict], list[dict]]:
        """The clauses as catalog entries and the units they name; a clause left without text
        is dropped and its opening lines reported as unplaced. A clause whose lines the layout
        did not list holds those from its first line up to the next clause's, less the unplaced."""
        unplaced = {n for n, _ in self.unplaced} | self.heading_lines
        starts = sorted(c.origin[0][0] for c in self.clauses)
        for c in self.clauses:
            if not c.lines:
                first = c.origin[0][0]
                i = bisect.bisect_right(starts, first)
                end = starts[i] if i < len(starts) else self.end
                c.lines = [n for n in range(first, end) if n not in unplaced]
        units: dict[str, dict] = {}
        clauses = []
        for c in self.clauses:
            if d := as_dict(c, units):
                clauses.append(d)
            else:
                self.unplaced += c.origin
        return clauses, list(units.values())


def as_dict(c: Clause, units: dict[str, dict]) -> dict:
    out: dict = {"id": c.id, "ref": c.ref}
    for key in ("heading", "chapter", "section"):
        if getattr(c, key):
            out[key] = getattr(c, key)
    text = "\n".join(p for p in c.parts if p)
    fields = {label: value.strip() for label, value in c.fields.items() if value.strip()}
    if fields:
        out["fields"] = fields
    elif text:
        out["text"] = text
    else:
        return {}
    duty = c.parsed
    if duty is None and c.duty:
        names, changed = unit_names(c.duty.replace("\n", "、"))
        duty = Duty(names if c.all_lead else names[:1], [] if c.all_lead else names[1:], c.duty, c.duty_label, changed)
    if c.support:
        more, changed = unit_names(c.support.replace("\n", "、"))
        duty = duty or Duty([], label=c.duty_label)
        duty.supports += more
        duty.left_out |= changed
    if duty and (duty.leads or duty.supports):
        leads = list(dict.fromkeys(_declare(name, units) for name in duty.leads))
        supports = [u for u in dict.fromkeys(_declare(name, units) for name in duty.supports) if u not in leads]
        out["responsible"] = leads + [{"unit": uid, "role": SUPPORT} for uid in supports]
        if duty.left_out:
            out["note"] = f"{duty.label}原文：{duty.printed}"
        if c.ask:
            out["checks"] = [{"id": f"{c.id}-a", "ask": c.ask(c)}]
    return out


def _declare(name: str, units: dict[str, dict]) -> str:
    """The unit's id, declaring it on first sight; names match after NFKC and without spaces."""
    key = nfkc(name)
    if key not in units:
        units[key] = {"id": "u-" + hashlib.sha1(key.encode()).hexdigest()[:8], "name": name.strip()}
    return units[key]["id"]
