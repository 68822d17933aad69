"""Policy text → a draft catalog.

The texts come out of PDFs: lines wrapped mid-sentence, page numbers and running headers between
them, Kangxi-radical look-alikes for ordinary characters. ``import_text`` repairs that, reads the
clauses of one layout, and lists every line it could not place, so the reviewer sees what the draft
leaves out. A draft is where a transcription starts: its questions and placeholders are for a
person to rewrite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

import yaml

from .catalog import SUPPORT, nfkc
from .errors import UsageError
from .refs import from_chinese

LAYOUTS = ("articles", "fields", "duty-units")
MODELINE = "# yaml-language-server: $schema=../schemas/catalog.schema.json"
TODO = "待填写"  # prefix of every placeholder a reviewer must replace
SOURCE_FIELDS = {"doc_no": "文号", "issuer": "发文机关", "issued": "日期"}
FIELD_LABELS = ("服务对象", "服务内容", "服务标准", "支出责任")
LEAD_LABELS = ("牵头负责单位", "牵头责任单位")  # the second is how one item of the seed prints it

_NUM = "[一二三四五六七八九十百零]+"
_RADICALS = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")
# control characters and line separators: not text, and YAML would refuse them or break lines at them
_UNPRINTABLE = re.compile("[^\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DASHES = "-—–－―"
_PAGE_NUMBER = re.compile(rf"^[{_DASHES}]*(?:第)?\d{{1,4}}(?:页(?:共\d+页)?)?[{_DASHES}]*$")
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$")  # link annotations the extractor put between lines
_RUNNING_HEADERS = frozenset({"北京市人民政府公报", "中华人民共和国国务院公报", "国务院公报"})
_TITLE_ENDINGS = ("的通知", "若干措施", "实施细则", "办法", "规划", "方案", "意见", "规定")
_ENDS = tuple("。；;：:！？!?")
_CLOSERS = "”’」』\"'）)"

_CHAPTER = re.compile(rf"^第({_NUM})(章|节|部分)\s*(.*)$")
_ARTICLE = re.compile(rf"^第({_NUM})条(?=[\s【]|$)\s*(?:【([^】]*)】)?\s*(.*)$")
_DOMAIN = re.compile(rf"^({_NUM})、\s*(.+)$")
_PAREN_NUM = re.compile(rf"^[（(]({_NUM})[)）]\s*(.+)$")
_DIGIT_ITEM = re.compile(r"^(\d{1,3})[.．、](?!\d)\s*(.*)$")
_PAREN_DIGIT = re.compile(r"^[（(](\d{1,2})[)）]\s*(.+)$")
_ORDINAL = re.compile(rf"^({_NUM})是\s*(.+)$")
_LABEL = re.compile(rf"^({'|'.join(FIELD_LABELS + LEAD_LABELS)})\s*[:：]\s*(.*)$")
_DUTY = re.compile(r"[（(]\s*(责任单位|责任部门)\s*[:：]\s*((?:[^（）()]|[（(][^（）()]*[)）])*?)\s*[)）][。.]?$")

_TAIL = 500  # characters at a paragraph's end that say whether it is complete: more than any 责任单位 list
_HEADING_MAX = 50  # characters: a longer paragraph is no heading

_DOC_NO = re.compile(r"^[\u4e00-\u9fff]{1,16}〔\d{4}〕\d+号$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_NOTICE = re.compile(r"^.*?关于印发《?(.+?)》?的通知$")
_ORG = re.compile(r"^[\u4e00-\u9fff、]{2,40}(?:局|委员会|办公室|政府|管理委员会|厅|部|院|中心|会)$")
_ETC = re.compile(r"等(?:相关|有关|其他)?(?:单位|部门)?$")
_QUALIFIED = re.compile(r"^(.+?)[（(]([^（）()]+)[)）]$")
_UNIT_SUFFIX = ("处", "局", "委", "办", "室", "中心", "会", "部", "厅", "院", "所", "队", "站", "府", "组")


@dataclass
class Draft:
    """A catalog to review, and the input lines (1-based number, text) it did not place."""

    catalog: dict
    unplaced: list[tuple[int, str]]


def import_text(text: str, layout: str, *, catalog_id: str = "draft") -> Draft:
    """Read policy text in one of ``LAYOUTS`` into a draft catalog. A UsageError when the layout
    is unknown or finds no clause: a draft with nothing in it would only hide the mistake."""
    if layout not in LAYOUTS:
        raise UsageError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", catalog_id):
        raise UsageError(f"catalog id {catalog_id!r}: use lower-case letters, digits and '-'")
    lines = clean_lines(text)
    builder = _Builder()
    _READERS[layout](paragraphs(lines), builder)
    clauses, units = builder.clauses_and_units()
    if not clauses:
        raise UsageError(f"no clauses found with layout {layout!r}; is another layout ({', '.join(LAYOUTS)}) right?")
    unplaced = sorted(builder.unplaced)
    title, source, used = _source(lines, {number for number, _ in unplaced})
    catalog = {"id": catalog_id, "title": title, "source": source,
               "units": units or [{"id": "unit-todo", "name": f"{TODO}：本文件所涉单位"}], "clauses": clauses}
    return Draft(catalog, [line for line in unplaced if line[0] not in used])


# --- repairing the extraction -----------------------------------------------------------------


def fold_radicals(text: str) -> str:
    """Kangxi radicals and CJK compatibility ideographs → the ordinary characters they stand for
    (⼗ → 十). Nothing else is normalised: full-width punctuation is part of the verbatim text."""
    return _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def is_debris(line: str) -> bool:
    """Page furniture, not text: page numbers (— 12 —, - 3 -, 第3页), running headers, bare links."""
    squeezed = "".join(line.split())
    return bool(_PAGE_NUMBER.match(squeezed) or _BARE_URL.match(squeezed)) or squeezed in _RUNNING_HEADERS


def clean_lines(text: str) -> list[tuple[int, str]]:
    """The non-empty lines that are text, numbered from 1 as in the input, radicals folded.
    A document title met again (at the top of a later page) is debris too."""
    out, titles = [], set()
    for number, raw in enumerate(text.split("\n"), 1):
        line = _UNPRINTABLE.sub(" ", fold_radicals(raw)).strip()
        if not line or is_debris(line):
            continue
        squeezed = "".join(line.split())
        if squeezed.endswith(_TITLE_ENDINGS) and not any(c in squeezed for c in "。，；：,;:"):
            if squeezed in titles:
                continue
            titles.add(squeezed)
        out.append((number, line))
    return out


class Paragraph:
    """Lines the PDF wrapped, joined again; ``lines`` keeps their numbers for reporting. Its end
    (``tail``) and length are kept as lines are added, so joining stays linear."""

    def __init__(self, number: int, line: str) -> None:
        self.lines = [(number, line)]
        self.tail = line[-_TAIL:]
        self.length = len(line)

    def add(self, number: int, line: str) -> None:
        self.lines.append((number, line))
        self.tail = (self.tail + line)[-_TAIL:]
        self.length += len(line)

    @property
    def text(self) -> str:
        return "".join(t for _, t in self.lines)

    @property
    def line(self) -> int:
        return self.lines[0][0]


def paragraphs(lines: list[tuple[int, str]]) -> list[Paragraph]:
    """Join each line that does not end a sentence or field to the next one, unless that one
    starts something new (an article, heading, item or field label)."""
    out: list[Paragraph] = []
    for number, line in lines:
        last = out[-1] if out else None
        heading = last is not None and last.length <= _HEADING_MAX and _heading(last.text)
        if last and not closed(last.tail) and not heading and not _opens(line):
            last.add(number, line)
        else:
            out.append(Paragraph(number, line))
    return out


def closed(text: str) -> bool:
    """Whether a paragraph (or its end) is complete: it ends a sentence or field, or with its 责任单位."""
    return text.rstrip(_CLOSERS).endswith(_ENDS) or bool(_DUTY.search(text[-_TAIL:]))


def _opens(line: str) -> bool:
    return any(p.match(line) for p in (_CHAPTER, _ARTICLE, _DOMAIN, _PAREN_NUM, _DIGIT_ITEM, _PAREN_DIGIT, _LABEL))


def _short(rest: str) -> bool:
    """A heading's words: short and without sentence punctuation."""
    return len(rest) <= 30 and not any(c in rest for c in "。；;，,：:！？!?")


def _heading(text: str) -> tuple[str, str] | None:
    """("chapter" or "section", the heading as printed) when the paragraph is a heading."""
    m = _CHAPTER.match(text)
    if m and _short(m[3]) and _numeral(m[1]):
        printed = f"第{m[1]}{m[2]} {''.join(m[3].split())}".strip()
        return ("section" if m[2] == "节" else "chapter"), printed
    for pattern, level in ((_DOMAIN, "chapter"), (_PAREN_NUM, "section")):
        m = pattern.match(text)
        if m and _short(m[2]) and _numeral(m[1]):
            return level, text.strip()
    return None


def _numeral(text: str) -> int | None:
    try:
        return from_chinese(text)
    except ValueError:
        return None


# --- the document's own details ----------------------------------------------------------------


def _source(lines: list[tuple[int, str]], unplaced: set[int]) -> tuple[str, dict, set[int]]:
    """Title, source details and the lines they came from. Only lines outside every clause are
    read: a notice's title line (关于印发《…》的通知), its number line, its date line and the
    signature above it. What the text does not print is left out (and listed for the reviewer)."""
    found: dict[str, str] = {}
    used: set[int] = set()
    for i, (number, line) in enumerate(lines):
        if number not in unplaced:
            continue
        squeezed = "".join(line.split())
        if "title" not in found and (m := _NOTICE.match(squeezed)):
            found["title"] = m[1]
            used.add(number)
        elif "doc_no" not in found and _DOC_NO.match(squeezed):
            found["doc_no"] = squeezed
            used.add(number)
        elif "issued" not in found and (m := _DATE.match(squeezed)) and (day := _date(*m.groups())):
            found["issued"] = day
            used.add(number)
            signers = []
            for before, name in reversed(lines[:i]):
                if before not in unplaced or not _ORG.match("".join(name.split())):
                    break
                signers.insert(0, name)
                used.add(before)
            if signers:
                found["issuer"] = "、".join(signers)
    source = {key: found[key] for key in SOURCE_FIELDS if key in found}
    return found.get("title", f"{TODO}：文件标题"), source, used


def _date(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


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
    ask: Callable[["_Clause"], str] | None = None


class _Builder:
    def __init__(self) -> None:
        self.clauses: list[_Clause] = []
        self.unplaced: list[tuple[int, str]] = []
        self.chapter = self.section = ""
        self._ids: dict[str, int] = {}  # id → how many clauses asked for it

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
        is dropped and its opening lines reported as unplaced."""
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
        out["responsible"] = [uid if c.all_lead or i == 0 else {"unit": uid, "role": SUPPORT}
                              for i, uid in enumerate(ids)]
        if changed:
            out["note"] = f"{c.duty_label}原文：{c.duty}"
        if ids and c.ask:
            out["checks"] = [{"id": f"{c.id}-a", "ask": c.ask(c)}]
    return out


def unit_names(printed: str) -> tuple[list[str], bool]:
    """The units of a list such as 市医保局、市卫生健康委等相关单位, and whether words were left
    out: 等相关单位, or a scope in brackets (市住房城乡建设委（国有土地项目）). A bracket that is
    another unit name, 科技处(公共服务处), belongs to the name."""
    names, changed = [], False
    for part in _split_outside_brackets(printed.strip().rstrip("。.")):
        name = _ETC.sub("", part)
        m = _QUALIFIED.match(name)
        if m and not m[2].endswith(_UNIT_SUFFIX):
            name = m[1]
        changed |= name != part
        if name:
            names.append(name)
    return names, changed


def _split_outside_brackets(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "（("
        depth -= ch in "）)"
        if ch in "、，,；;" and depth <= 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    return [p for p in parts + [current.strip()] if p]


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
        if (h := _heading(text)) and _CHAPTER.match(text):
            b.heading(*h)
            article = current = None
            continue
        m = _ARTICLE.match(text)
        if m and (n := _numeral(m[1])):
            article = current = b.add(f"A{n}", f"第{m[1]}条", p, heading=(m[2] or "").strip(), parts=[m[3].strip()])
            continue
        item = _item(text) if article else None
        if item:
            k, ref, rest = item
            current = b.add(f"{article.id}-{k}", f"{article.ref}第{ref}项", p, parts=[rest])
        elif current and closed(text):
            current.parts.append(text)
        else:  # a loose line after a clause ends it: a signature or title, not more of its text
            current = None
            b.skip(p)


def _item(text: str) -> tuple[int, str, str] | None:
    """(number, as cited, text) of a numbered item: 1. → (1, "1", …), （一） → (1, "（一）", …)."""
    if (m := _DIGIT_ITEM.match(text)) and int(m[1]):
        return int(m[1]), str(int(m[1])), m[2].strip()
    if (m := _PAREN_NUM.match(text)) and (n := _numeral(m[1])):
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
        if h := _heading(text):
            b.heading(*h)
            item = target = None
            continue
        m = _DIGIT_ITEM.match(text)
        if m and int(m[1]) == number + 1:
            number, sub, label = number + 1, 0, ""
            item = target = b.add(f"S{number}", f"序号{number}", p, heading=_name(m[2]), parts=[m[2]],
                                  all_lead=True, ask=_service_question)
            continue
        m = _PAREN_DIGIT.match(text)
        if m and item and not item.fields and int(m[1]) == sub + 1:
            sub, label = sub + 1, ""
            target = b.add(f"{item.id}-{sub}", f"{item.ref}（{sub}）", p, heading=_name(m[2]), parts=[m[2]],
                           all_lead=True, ask=_service_question)
            continue
        m = _LABEL.match(text)
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
        if h := _heading(text):
            b.heading(*h)
            current = None
            continue
        measure = _measure(text)
        if measure:
            cid, ref, rest = measure
            current = b.add(cid, ref, p, heading=_lead_sentence(rest), parts=[rest], ask=_duty_question)
        elif current and closed(text):
            current.parts.append(text)
        elif _DUTY.search(text):
            current = b.add(f"L{p.line}", f"第{p.line}行", p, parts=[text], ask=_duty_question)
        else:
            current = None
            b.skip(p)
            continue
        if m := _DUTY.search(current.parts[-1]):
            current.parts[-1] = current.parts[-1][: m.start()].rstrip()
            current.duty, current.duty_label = m[2], m[1]
            current = None


def _measure(text: str) -> tuple[str, str, str] | None:
    """(id, ref, text) of a numbered measure: （一） → M1, 1. → M1, 一是 → M1."""
    if (m := _PAREN_NUM.match(text)) and (n := _numeral(m[1])):
        return f"M{n}", f"（{m[1]}）", m[2].strip()
    if (m := _DIGIT_ITEM.match(text)) and int(m[1]):
        return f"M{int(m[1])}", f"{int(m[1])}.", m[2].strip()
    if (m := _ORDINAL.match(text)) and (n := _numeral(m[1])):
        return f"M{n}", f"{m[1]}是", m[2].strip()
    return None


def _lead_sentence(text: str) -> str:
    """A measure's opening sentence when it is a title (推进医保医疗数据开发利用。…)."""
    end = text.find("。")
    return text[:end] if 0 < end <= 30 and end < len(text) - 1 else ""


def _duty_question(c: _Clause) -> str:
    return f"是否按职责分工落实“{c.heading}”？" if c.heading else "是否按职责分工落实本项措施？"


_READERS: dict[str, Callable[[list[Paragraph], _Builder], None]] = {
    "articles": _articles,
    "fields": _fields,
    "duty-units": _duty_units,
}


# --- the YAML a reviewer gets -------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Written as the bundled catalogs are: lists indented under their key, and multi-line texts
    as literal blocks, so paragraphs read as paragraphs."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)


def draft_yaml(draft: Draft) -> str:
    """The draft as a catalog file: the schema modeline, what to fill in, the lines not placed (with
    their numbers), then the catalog."""
    head = [MODELINE, "# Draft from `checklist import`: check every clause against the source; questions are drafts."]
    todo = _placeholders(draft.catalog)
    if todo:
        head.append("# Placeholders to replace: " + ", ".join(todo))
    if draft.unplaced:
        head.append(f"# Lines not placed ({len(draft.unplaced)}):")
        head += [f"#   {number}: {text}" for number, text in draft.unplaced]
    else:
        head.append("# Every line was placed.")
    body = yaml.dump(draft.catalog, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 16)
    return "\n".join(head) + "\n" + body


def _placeholders(catalog: dict) -> list[str]:
    values = {"title": catalog["title"], "units": catalog["units"][0]["name"]}
    todo = [key for key, v in values.items() if v.startswith(TODO)]
    return todo + [f"source.{k} ({name}: not found in the text)" for k, name in SOURCE_FIELDS.items() if k not in catalog["source"]]
