"""Policy text → a draft catalog.

The texts come out of PDFs: lines wrapped mid-sentence, page numbers and running headers between
them, Kangxi-radical look-alikes for ordinary characters. ``import_text`` repairs that, reads the
clauses of one layout, and lists every line it could not place, so the reviewer sees what the draft
leaves out. A draft is where a transcription starts: its questions and placeholders are for a
person to rewrite.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from checklist.authoring.pdf_text import (
    ARTICLE,
    CHAPTER,
    DIGIT_ITEM,
    DUTY,
    LABEL,
    LEAD_LABELS,
    ORDINAL,
    PAREN_DIGIT,
    PAREN_NUM,
    Cleaned,
    Paragraph,
    clean,
    closed,
    heading_of,
    numeral,
    paragraphs,
)
from checklist.authoring.source_details import TODO, source_details
from checklist.authoring.table_layout import CATEGORY_COL, DOMAIN_COL, HEADING, LEAD, NUMBER, SPAN_ROLES, read_table
from checklist.authoring.table_layout import DUTY as DUTY_COL
from checklist.authoring.unit_lists import unit_names
from checklist.errors import UsageError
from checklist.model.catalog import nfkc
from checklist.vocabulary import SUPPORT

LAYOUTS = ("articles", "fields", "duty-units", "table")


@dataclass
class Draft:
    """A catalog to review, and the input lines (1-based number, text) it did not place; with
    what the quality report needs: the cleaned text, each clause's lines (by clause id), the
    columns a table promised, and the layout's own findings (line, message)."""

    catalog: dict
    unplaced: list[tuple[int, str]]
    layout: str = ""
    cleaned: Cleaned | None = None
    clause_lines: dict[str, list[int]] = field(default_factory=dict)
    columns: list[tuple[str, str]] = field(default_factory=list)  # a table's (column, what fills it)
    findings: list[tuple[int, str, str]] = field(default_factory=list)  # (line, clause id or "", message)


def import_text(text: str, layout: str, *, catalog_id: str = "draft", fixes: dict[str, str] | None = None) -> Draft:
    """Read policy text in one of ``LAYOUTS`` into a draft catalog. A UsageError when the layout
    is unknown or finds no clause: a draft with nothing in it would only hide the mistake."""
    if layout not in LAYOUTS:
        raise UsageError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", catalog_id):
        raise UsageError(f"catalog id {catalog_id!r}: use lower-case letters, digits and '-'")
    cleaned = clean(text, fixes)
    lines = cleaned.lines
    builder = _Builder()
    builder.end = lines[-1][0] + 1 if lines else 1
    columns: list[tuple[str, str]] = []
    if layout == "table":
        columns = _table(cleaned, builder)
    else:
        _READERS[layout](paragraphs(lines, cleaned.after_blank), builder)
    clauses, units = builder.clauses_and_units()
    if not clauses:
        raise UsageError(f"no clauses found with layout {layout!r}; is another layout ({', '.join(LAYOUTS)}) right?")
    unplaced = sorted(builder.unplaced)
    title, source, used = source_details(lines, {number for number, _ in unplaced})
    catalog = {
        "id": catalog_id,
        "title": title,
        "source": source,
        "units": units or [{"id": "unit-todo", "name": f"{TODO}：本文件所涉单位"}],
        "clauses": clauses,
    }
    kept = {c["id"] for c in clauses}
    spans = {c.id: c.lines for c in builder.clauses if c.id in kept}
    findings = [f for f in builder.findings if not f[1] or f[1] in kept]
    return Draft(catalog, [line for line in unplaced if line[0] not in used], layout, cleaned, spans, columns, findings)


# --- clauses ------------------------------------------------------------------------------------


@dataclass
class _Clause:
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
    ask: Callable[[_Clause], str] | None = None
    lines: list[int] = field(default_factory=list)  # every line the clause holds, when known


class _Builder:
    def __init__(self) -> None:
        self.clauses: list[_Clause] = []
        self.unplaced: list[tuple[int, str]] = []
        self.chapter = self.section = ""
        self._ids: dict[str, int] = {}  # id → how many clauses asked for it
        self.findings: list[tuple[int, str, str]] = []
        self.end = 1  # one past the last line of the text

    def add(self, cid: str, ref: str, origin: Paragraph, **kw) -> _Clause:
        """A new clause in the current chapter and section; a repeated id gets a suffix (.2, .3)."""
        n = self._ids[cid] = self._ids.get(cid, 0) + 1
        unique = cid if n == 1 else f"{cid}.{n}"  # ids are built with "-"; ".N" marks only repeats
        clause = _Clause(unique, ref, origin.lines, self.chapter, self.section, **kw)
        self.clauses.append(clause)
        return clause

    def heading(self, level: str, printed: str) -> None:
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
        unplaced = {n for n, _ in self.unplaced}
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
            if d := _as_dict(c, units):
                clauses.append(d)
            else:
                self.unplaced += c.origin
        return clauses, list(units.values())


def _as_dict(c: _Clause, units: dict[str, dict]) -> dict:
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
    if c.duty:
        names, changed = unit_names(c.duty)
        ids = list(dict.fromkeys(_declare(name, units) for name in names))
        out["responsible"] = [uid if c.all_lead or i == 0 else {"unit": uid, "role": SUPPORT} for i, uid in enumerate(ids)]
        if changed:
            out["note"] = f"{c.duty_label}原文：{c.duty}"
        if ids and c.ask:
            out["checks"] = [{"id": f"{c.id}-a", "ask": c.ask(c)}]
    return out


def _declare(name: str, units: dict[str, dict]) -> str:
    """The unit's id, declaring it on first sight; names match after NFKC and without spaces."""
    key = nfkc(name)
    if key not in units:
        units[key] = {"id": "u-" + hashlib.sha1(key.encode()).hexdigest()[:8], "name": name.strip()}
    return units[key]["id"]


def _name(text: str) -> str:
    return text.strip().rstrip("。.").strip()


# --- layouts -------------------------------------------------------------------------------------


def _articles(paras: list[Paragraph], b: _Builder) -> None:
    """第X章 chapters, 第X条【heading】 articles, and their numbered items (1. or （一）) as clauses."""
    article = current = None
    for p in paras:
        text = p.text
        if (h := heading_of(text)) and CHAPTER.match(text):
            b.heading(*h)
            article = current = None
            continue
        m = ARTICLE.match(text)
        if m and (n := numeral(m[1])):
            article = current = b.add(f"A{n}", f"第{m[1]}条", p, heading=(m[2] or "").strip(), parts=[m[3].strip()])
            continue
        item = _item(text) if article else None
        if item and article:
            k, ref, rest = item
            current = b.add(f"{article.id}-{k}", f"{article.ref}第{ref}项", p, parts=[rest])
        elif current and closed(text):
            current.parts.append(text)
        else:  # a loose line after a clause ends it: a signature or title, not more of its text
            current = None
            b.skip(p)


def _item(text: str) -> tuple[int, str, str] | None:
    """(number, as cited, text) of a numbered item: 1. → (1, "1", …), （一） → (1, "（一）", …)."""
    if (m := DIGIT_ITEM.match(text)) and int(m[1]):
        return int(m[1]), str(int(m[1])), m[2].strip()
    if (m := PAREN_NUM.match(text)) and (n := numeral(m[1])):
        return n, f"（{m[1]}）", m[2].strip()
    return None


def _fields(paras: list[Paragraph], b: _Builder) -> None:
    """Items numbered 1.–N. through the document, each with labelled fields (服务对象：…), under
    domain headings (一、) and categories (（一）); an item may have sub-items （1）… of its own."""
    item = target = None
    label = ""
    number = sub = 0
    for p in paras:
        text = p.text
        if h := heading_of(text):
            b.heading(*h)
            item = target = None
            continue
        m = DIGIT_ITEM.match(text)
        if m and int(m[1]) == number + 1:
            number, sub, label = number + 1, 0, ""
            item = target = b.add(f"S{number}", f"序号{number}", p, heading=_name(m[2]), parts=[m[2]], all_lead=True, ask=_service_question)
            continue
        m = PAREN_DIGIT.match(text)
        if m and item and not item.fields and int(m[1]) == sub + 1:
            sub, label = sub + 1, ""
            target = b.add(
                f"{item.id}-{sub}", f"{item.ref}（{sub}）", p, heading=_name(m[2]), parts=[m[2]], all_lead=True, ask=_service_question
            )
            continue
        m = LABEL.match(text)
        if m and target:
            label = m[1]
            if label in LEAD_LABELS:
                target.duty, target.duty_label, label = m[2], label, ""
            elif label in target.fields:
                target.fields[label] += "\n" + text
            else:
                target.fields[label] = m[2]
        elif target and label:
            target.fields[label] += "\n" + text
        elif target and not target.fields and not target.duty and closed(text):
            target.parts.append(text)
        else:
            b.skip(p)


def _service_question(c: _Clause) -> str:
    return f"是否按服务标准向服务对象提供{c.heading}{'' if c.heading.endswith('服务') else '服务'}？"


def _duty_units(paras: list[Paragraph], b: _Builder) -> None:
    """Measures ending in （责任单位：A、B、C）: A leads, B and C support. Measures are numbered
    （一）, 1. or 一是; a paragraph with 责任单位 but no number is a clause cited by its line."""
    current = None
    for p in paras:
        text = p.text
        if h := heading_of(text):
            b.heading(*h)
            current = None
            continue
        measure = _measure(text)
        if measure:
            cid, ref, rest = measure
            current = b.add(cid, ref, p, heading=_lead_sentence(rest), parts=[rest], ask=_duty_question)
        elif current and closed(text):
            current.parts.append(text)
        elif DUTY.search(text):
            current = b.add(f"L{p.line}", f"第{p.line}行", p, parts=[text], ask=_duty_question)
        else:
            current = None
            b.skip(p)
            continue
        if m := DUTY.search(current.parts[-1]):
            current.parts[-1] = current.parts[-1][: m.start()].rstrip()
            current.duty, current.duty_label = m[2], m[1]
            current = None


def _measure(text: str) -> tuple[str, str, str] | None:
    """(id, ref, text) of a numbered measure: （一） → M1, 1. → M1, 一是 → M1."""
    if (m := PAREN_NUM.match(text)) and (n := numeral(m[1])):
        return f"M{n}", f"（{m[1]}）", m[2].strip()
    if (m := DIGIT_ITEM.match(text)) and int(m[1]):
        return f"M{int(m[1])}", f"{int(m[1])}.", m[2].strip()
    if (m := ORDINAL.match(text)) and (n := numeral(m[1])):
        return f"M{n}", f"{m[1]}是", m[2].strip()
    return None


def _lead_sentence(text: str) -> str:
    """A measure's opening sentence when it is a title (推进医保医疗数据开发利用。…)."""
    end = text.find("。")
    return text[:end] if 0 < end <= 30 and end < len(text) - 1 else ""


def _duty_question(c: _Clause) -> str:
    return f"是否按职责分工落实“{c.heading}”？" if c.heading else "是否按职责分工落实本项措施？"


def _table(cleaned: Cleaned, b: _Builder) -> list[tuple[str, str]]:
    """The items of the first table as clauses (序号N) with their cells as fields; returns the
    columns each item should fill. An item whose cells could not be told apart keeps its text."""
    table = read_table(cleaned)
    if table is None:
        return []
    text = dict(cleaned.lines) | cleaned.bare
    lead = next((c for c in table.columns if c.role in (LEAD, DUTY_COL)), None)
    spans = {c.role: c.name for c in table.columns if c.role in SPAN_ROLES}
    for item in table.items:
        b.chapter = item.cells.get(spans.get(DOMAIN_COL, ""), "") or item.chapter
        b.section = item.cells.get(spans.get(CATEGORY_COL, ""), "") or item.section
        origin = Paragraph(item.lines[0], text[item.lines[0]])
        heading = next((item.cells.get(c.name, "") for c in table.columns if c.role == HEADING), "")
        fields = {c.name: item.cells[c.name] for c in table.columns if c.role == c.name and item.cells.get(c.name)}
        c = b.add(f"S{item.number}", f"序号{item.number}", origin, heading=_name(heading), lines=item.lines, fields=fields)
        c.parts = [item.text] if item.text else []
        if lead and item.cells.get(lead.name):
            c.duty, c.duty_label, c.all_lead = item.cells[lead.name], lead.name, lead.role == LEAD
            c.ask = _service_question
        if item.problem:
            b.findings.append((item.lines[0], c.id, f"item {item.number}: {item.problem}"))
    b.findings += [(line, "", message) for line, message in table.gaps]
    placed = set(table.header + table.headings) | {n for item in table.items for n in item.lines}
    b.unplaced += [(n, t) for n, t in cleaned.lines if n not in placed and n not in table.repeated]
    if table.repeated:
        cleaned.noise["repeated table header"] = table.repeated
    if table.numbers:  # item numbers, not page numbers after all
        pages = [n for n in cleaned.noise["page number"] if n not in set(table.numbers)]
        cleaned.noise["page number"] = pages
        if not pages:
            del cleaned.noise["page number"]
    keys = {HEADING: "heading", LEAD: "responsible", DUTY_COL: "responsible"}
    return [(c.name, keys.get(c.role, f"fields.{c.name}")) for c in table.columns if c.role not in (NUMBER, *SPAN_ROLES)]


_READERS: dict[str, Callable[[list[Paragraph], _Builder], None]] = {
    "articles": _articles,
    "fields": _fields,
    "duty-units": _duty_units,
}
