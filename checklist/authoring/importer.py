"""Policy text → a draft catalog.

The texts come out of PDFs: lines wrapped mid-sentence, page numbers and running headers between
them, Kangxi-radical look-alikes for ordinary characters. ``import_text`` repairs that, reads the
clauses of one layout, and lists every line it could not place, so the reviewer sees what the draft
leaves out. A published document (web page, Word file, PDF) comes as its model's lines
(``document.render``): each paragraph and table row a line that starts a block of its own, and the
table layout reads its tables cell by cell. Every clause keeps its place in the source
(``source_place``). A draft is where a transcription starts: its questions and placeholders are
for a person to rewrite.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from checklist.authoring.clauses import Builder, Clause
from checklist.authoring.document import Rendered, place_of, text_places
from checklist.authoring.duties import ending, in_words, parse, states_rule
from checklist.authoring.pdf_text import (
    ARTICLE,
    CHAPTER,
    DIGIT_ITEM,
    DOMAIN,
    HEADING_MAX,
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
from checklist.authoring.table_layout import CATEGORY_COL, DOMAIN_COL, HEADING, LEAD, NUMBER, SPAN_ROLES, SUPPORT, read_table
from checklist.authoring.table_layout import DUTY as DUTY_COL
from checklist.errors import Refusal, UsageError
from checklist.i18n import _

LAYOUTS = ("articles", "fields", "duty-units", "table")


@dataclass
class Draft:
    """A catalog to review, and the input lines (1-based number, text) it did not place; with
    what the quality report needs: the cleaned text, each clause's lines (by clause id), the
    columns a table promised, the layout's own findings (line, message), and each line's place
    in a published document (empty for a text)."""

    catalog: dict
    unplaced: list[tuple[int, str]]
    layout: str = ""
    cleaned: Cleaned | None = None
    clause_lines: dict[str, list[int]] = field(default_factory=dict)
    columns: list[tuple[str, str]] = field(default_factory=list)  # a table's (column, what fills it)
    findings: list[tuple[int, str, str]] = field(default_factory=list)  # (line, clause id or "", message)
    places: dict[int, str] = field(default_factory=dict)  # line → its place in the document, as words


def check_id(catalog_id: str) -> None:
    """A Refusal unless the id is one the catalog schema accepts."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", catalog_id):
        raise Refusal("import.catalog_id", "catalog_id", value=catalog_id)


def import_text(
    text: str, layout: str, *, catalog_id: str = "draft", fixes: dict[str, str] | None = None, rendered: Rendered | None = None
) -> Draft:
    """Read policy text in one of ``LAYOUTS`` into a draft catalog (``rendered``: the text is a
    published document's model, written out). A UsageError when the layout is unknown or finds no
    clause: a draft with nothing in it would only hide the mistake."""
    if layout not in LAYOUTS:
        raise UsageError(_("unknown layout {layout!r}; known: {known}").format(layout=layout, known=", ".join(LAYOUTS)))
    check_id(catalog_id)
    cleaned = clean(text, fixes, keep=set(rendered.rows) if rendered else set())
    if rendered:
        cleaned.starts = rendered.starts
    lines = cleaned.lines
    builder = Builder()
    builder.end = lines[-1][0] + 1 if lines else 1
    columns: list[tuple[str, str]] = []
    if layout == "table":
        columns = _table(cleaned, builder, rendered)
    else:
        _READERS[layout](paragraphs(lines, cleaned.after_blank, cleaned.starts), builder)
    clauses, units = builder.clauses_and_units()
    if not clauses:
        raise UsageError(
            _("no clauses found with layout {layout!r}; is another layout ({known}) right?").format(layout=layout, known=", ".join(LAYOUTS))
        )
    unplaced = sorted(builder.unplaced)
    title, source, used = source_details(lines, {number for number, _t in unplaced})
    catalog = {
        "id": catalog_id,
        "title": title,
        "source": source,
        "units": units or [{"id": "unit-todo", "name": f"{TODO}：本文件所涉单位"}],
        "clauses": clauses,
    }
    kept = {c["id"] for c in clauses}
    spans = {c.id: c.lines for c in builder.clauses if c.id in kept}
    for c in clauses:
        where = place_of(rendered.places, spans[c["id"]]) if rendered else text_places(spans[c["id"]])
        if where:
            c["source_place"] = where
    findings = [f for f in builder.findings if not f[1] or f[1] in kept]
    places = {n: str(p) for n, p in rendered.places.items()} if rendered else {}
    return Draft(catalog, [line for line in unplaced if line[0] not in used], layout, cleaned, spans, columns, findings, places)


# --- clauses ------------------------------------------------------------------------------------


def _name(text: str) -> str:
    return text.strip().rstrip("。.").strip()


# --- layouts -------------------------------------------------------------------------------------


def _articles(paras: list[Paragraph], b: Builder) -> None:
    """第X章 chapters, 第X条【heading】 articles, and their numbered items as clauses: （一）, 1. /
    1、, （1）, each kind one level (the first met under an article is its items, the next its
    items' sub-items). A paragraph after an article's items that is not numbered is the article's
    closing paragraph: it stays with the article, not with its last item."""
    article = current = None
    levels: list[str] = []  # the item kinds met under the current article, outermost first
    parents: list[Clause] = []
    for p in paras:
        text = p.text
        if (h := heading_of(text)) and CHAPTER.match(text):
            b.heading(*h, p)
            article = current = None
            continue
        m = ARTICLE.match(text)
        if m and (n := numeral(m[1])):
            article = current = b.add(f"A{n}", f"第{m[1]}条", p, heading=(m[2] or "").strip(), parts=[m[3].strip()])
            levels, parents = [], []
            continue
        item = _item(text) if article else None
        if item and article:
            k, ref, rest, kind = item
            if kind not in levels:
                levels.append(kind)
            depth = levels.index(kind)
            parents = parents[:depth]
            parent = parents[-1] if parents else article
            cited = f"{parent.ref}第{ref}项" if parent is article else f"{parent.ref}第{ref}目"
            current = b.add(f"{parent.id}-{k}", cited, p, parts=[rest])
            parents.append(current)
        elif current and closed(text):
            if current is not article and article and not _continues(current, text):
                current = article  # the article's closing paragraph
                levels, parents = [], []
            current.parts.append(text)
        else:  # a loose line after a clause ends it: a signature or title, not more of its text
            current = None
            b.skip(p)


def _continues(item: Clause, text: str) -> bool:
    """Whether a paragraph after an item goes on with it: the item's text ends with a colon."""
    return bool(item.parts) and item.parts[-1].rstrip().endswith(("：", ":"))


def _item(text: str) -> tuple[int, str, str, str] | None:
    """(number, as cited, text, kind) of a numbered item: 1. → (1, "1", …), （一） → (1, "（一）", …), （1） → (1, "（1）", …)."""
    if (m := DIGIT_ITEM.match(text)) and int(m[1]):
        return int(m[1]), str(int(m[1])), m[2].strip(), "digit"
    if (m := PAREN_NUM.match(text)) and (n := numeral(m[1])):
        return n, f"（{m[1]}）", m[2].strip(), "paren"
    if (m := PAREN_DIGIT.match(text)) and int(m[1]):
        return int(m[1]), f"（{int(m[1])}）", m[2].strip(), "paren-digit"
    return None


def _fields(paras: list[Paragraph], b: Builder) -> None:
    """Items numbered 1.–N. through the document, each with labelled fields (服务对象：…), under
    domain headings (一、) and categories (（一）); an item may have sub-items （1）… of its own."""
    item = target = None
    label = ""
    number = sub = 0
    for p in paras:
        text = p.text
        if h := heading_of(text):
            b.heading(*h, p)
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


def _service_question(c: Clause) -> str:
    return f"是否按服务标准向服务对象提供{c.heading}{'' if c.heading.endswith('服务') else '服务'}？"


def _duty_units(paras: list[Paragraph], b: Builder) -> None:
    """Measures ending in their units — （责任单位：A、B、C）, （A负责）, （A会同B负责）, （A牵头，B配合）,
    （牵头单位：A；配合单位：B） …: lead and supporting units apart. Measures are numbered （一）, 1.,
    一是, or 一、 when no deeper number follows; the first kind met numbers the measures, another
    kind under a measure its sub-measures (（三）1. → M3-1). A paragraph with a unit ending but no
    number is a clause cited by its line. A unit ending closes its measure. A stated rule (排在第一位
    的为牵头单位) makes the first unit named lead in every measure after it."""
    current = top = None
    first_leads = False
    top_kind = ""
    deeper = any(PAREN_NUM.match(p.text) or DIGIT_ITEM.match(p.text) or ORDINAL.match(p.text) for p in paras)
    for p in paras:
        text = p.text
        first_leads = first_leads or states_rule(text)
        found = ending(text, first_leads)
        measure = _measure(text, domains=not deeper)
        if (h := heading_of(text)) and not (measure and found):
            b.heading(*h, p)
            current = top = None
            continue
        if measure:
            cid, ref, rest, kind, n = measure
            top_kind = top_kind or kind
            if top is not None and kind != top_kind:
                current = b.add(f"{top.id}-{n}", f"{top.ref}{ref}", p, heading=_lead_sentence(rest), parts=[rest], ask=_duty_question)
            else:
                current = top = b.add(cid, ref, p, heading=_lead_sentence(rest), parts=[rest], ask=_duty_question)
        elif current and (closed(text) or found):
            current.parts.append(text)
        elif found:
            current = b.add(f"L{p.line}", f"第{p.line}行", p, parts=[text], ask=_duty_question)
        else:
            current = None
            b.skip(p)
            continue
        if found and (end := ending(current.parts[-1], first_leads)):
            at, duty = end
            current.parts[-1] = current.parts[-1][:at].rstrip()
            current.parsed = duty
            current = None


def _measure(text: str, domains: bool = False) -> tuple[str, str, str, str, int] | None:
    """(id, ref, text, kind, number) of a numbered measure: （一） → M1, 1. → M1, 一是 → Y1; with
    ``domains``, 一、 → T1 too (a document whose 一、 numbers its measures)."""
    if domains and (m := DOMAIN.match(text)) and (n := numeral(m[1])):
        return f"T{n}", f"{m[1]}、", m[2].strip(), "domain", n
    if (m := PAREN_NUM.match(text)) and (n := numeral(m[1])):
        return f"M{n}", f"（{m[1]}）", m[2].strip(), "paren", n
    if (m := DIGIT_ITEM.match(text)) and (n := int(m[1])):
        return f"M{n}", f"{n}.", m[2].strip(), "digit", n
    if (m := ORDINAL.match(text)) and (n := numeral(m[1])):
        return f"Y{n}", f"{m[1]}是", m[2].strip(), "ordinal", n
    return None


def _lead_sentence(text: str) -> str:
    """A measure's opening sentence when it is a title (推进医保医疗数据开发利用。…)."""
    end = text.find("。")
    return text[:end] if 0 < end <= 30 and end < len(text) - 1 else ""


def _duty_question(c: Clause) -> str:
    return f"是否按职责分工落实“{c.heading}”？" if c.heading else "是否按职责分工落实本项措施？"


def _table(cleaned: Cleaned, b: Builder, rendered: Rendered | None = None) -> list[tuple[str, str]]:
    """The items of the first table as clauses (序号N) with their cells as fields; returns the
    columns each item should fill. An item whose cells could not be told apart keeps its text.
    A published document's tables are read cell by cell (``table_grid``)."""
    from checklist.authoring.table_grid import read_grid

    table = read_grid(rendered, cleaned) if rendered and rendered.rows else read_table(cleaned)
    if table is None:
        return []
    text = dict(cleaned.lines) | cleaned.bare
    lead = next((c for c in table.columns if c.role in (LEAD, DUTY_COL)), None)
    support = next((c for c in table.columns if c.role == SUPPORT), None)
    spans = {c.role: c.name for c in table.columns if c.role in SPAN_ROLES}
    ask = _service_question if any("服务" in c.name for c in table.columns) else _duty_question
    tasks = False
    for item in table.items:
        b.chapter = item.cells.get(spans.get(DOMAIN_COL, ""), "") or item.chapter
        b.section = item.cells.get(spans.get(CATEGORY_COL, ""), "") or item.section
        origin = Paragraph(item.lines[0], text[item.lines[0]])
        named = next((c for c in table.columns if c.role == HEADING), None)
        heading = item.cells.get(named.name, "") if named else ""
        fields = {c.name: item.cells[c.name] for c in table.columns if c.role == c.name and item.cells.get(c.name)}
        if named and heading and (len(heading) > HEADING_MAX or any(ch in heading for ch in "。；;")):  # a task, not a name
            fields = {named.name: heading} | fields
            heading, tasks = _lead_sentence(heading), True
        ref = f"序号{item.number}" if table.numbered else f"第{item.number}项"
        c = b.add(f"S{item.number}", ref, origin, heading=_name(heading), lines=item.lines, fields=fields)
        c.parts = [item.text] if item.text else []
        if lead and item.cells.get(lead.name):
            cell = item.cells[lead.name]
            said = parse(cell, first_leads=lead.role == DUTY_COL) if in_words(cell) else None
            if said:
                said.label = said.label or lead.name
            c.duty, c.duty_label, c.all_lead, c.parsed = cell, lead.name, lead.role == LEAD, said
            c.ask = ask
        if support and item.cells.get(support.name):
            c.support, c.ask = item.cells[support.name], ask
        if item.problem:
            b.findings.append((item.lines[0], c.id, _("item {n}: {problem}").format(n=item.number, problem=item.problem)))
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
    if tasks:  # the heading column holds the tasks themselves: they are fields
        keys[HEADING] = next(f"fields.{c.name}" for c in table.columns if c.role == HEADING)
    return [(c.name, keys.get(c.role, f"fields.{c.name}")) for c in table.columns if c.role not in (NUMBER, SUPPORT, *SPAN_ROLES)]


_READERS: dict[str, Callable[[list[Paragraph], Builder], None]] = {
    "articles": _articles,
    "fields": _fields,
    "duty-units": _duty_units,
}
