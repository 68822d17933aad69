"""Checks every layout's draft gets, whatever read it: numbers that repeat or go out of order, a
heading glued to the end of an item, units that do not read as unit names, and drafts whose
clauses are mostly headings. Each finding names its clause; the import report marks it 待核对,
and the blocking ones keep the draft from being written unless the user accepts them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from checklist.authoring.duties import looks_like_unit
from checklist.authoring.pdf_text import CHAPTER, DOMAIN, PAREN_NUM, short_heading
from checklist.i18n import _

CLAUSE_ID = re.compile(r"^([A-Z]+)(\d+)((?:-\d+)*)(?:\.(\d+))?$")
SENTENCE_END = "。；;！？!?"
GLUED = re.compile(rf"[{SENTENCE_END}）)]\s*((?:{CHAPTER.pattern[1:-1]}|{DOMAIN.pattern[1:-1]}|{PAREN_NUM.pattern[1:-1]}))$")
MOSTLY = 0.5  # a draft whose clauses are more than this share headings is no reading of the text


@dataclass(frozen=True)
class Finding:
    """Something the reviewer must look at. A blocking one (a clause that swallowed others) keeps
    the draft from being written unless the user accepts it."""

    line: int
    kind: str  # incomplete item, gap, absorbs item numbers, oversized
    message: str
    clause: str = ""
    blocking: bool = False

    def as_dict(self) -> dict:
        return {"line": self.line, "kind": self.kind, "clause": self.clause, "message": self.message, "blocking": self.blocking}


def _finding(line: int, kind: str, message: str, clause: str, blocking: bool) -> Finding:
    return Finding(line, kind, message, clause, blocking)


def _first_line(draft, cid: str) -> int:
    lines = draft.clause_lines.get(cid, [])
    return lines[0] if lines else 1


def numbering(draft) -> list[Finding]:
    """Numbers repeated (an id that needed a suffix .2) or out of order among siblings: each
    number follows the one before it, or starts again at 1 under a new chapter. Items a table
    read are left to the table's own gap report; clauses cited by their line have no number."""
    out = []
    last: dict[tuple[str, str], tuple[int, str]] = {}  # (kind, parent) → (number, chapter) of the last sibling
    for c in draft.catalog["clauses"]:
        m = CLAUSE_ID.match(c["id"])
        if not m or m[1] == "L" or (m[1] == "S" and draft.columns):
            continue
        if m[4]:
            message = _("{id} ({ref}): the number {ref} appears again: a number repeated, or text that cites it read as an item").format(
                id=c["id"], ref=c["ref"]
            )
            out.append(_finding(_first_line(draft, c["id"]), "number repeated", message, c["id"], True))
            continue
        parent = m[2] + m[3].rsplit("-", 1)[0] if m[3] else ""
        key, number, chapter = (m[1], parent), int(m[3].rsplit("-", 1)[-1] if m[3] else m[2]), c.get("chapter", "")
        if key in last:
            before, before_chapter = last[key]
            if number != before + 1 and not (number == 1 and chapter != before_chapter):
                message = _("{id} ({ref}) follows number {before}: numbers out of order").format(id=c["id"], ref=c["ref"], before=before)
                out.append(_finding(_first_line(draft, c["id"]), "numbers out of order", message, c["id"], True))
        last[key] = (number, chapter)
    return out


def glued_headings(draft) -> list[Finding]:
    """Clauses whose text ends with a heading (…（市财政局负责）二、强化保障): the item did not end
    where it should, and the next part's heading was read as its text."""
    out = []
    for c in draft.catalog["clauses"]:
        texts = [c.get("text", "")] + list(c.get("fields", {}).values())
        for text in texts:
            m = GLUED.search(text.rstrip())
            if m and short_heading(m[1]) and m.start(1) > 0:
                message = _("{id} ({ref}) ends with a heading, “{heading}”: the next part was glued onto the item").format(
                    id=c["id"], ref=c["ref"], heading=m[1]
                )
                out.append(_finding(_first_line(draft, c["id"]), "heading glued to an item", message, c["id"], True))
                break
    return out


def unit_names(draft) -> list[Finding]:
    """Clauses whose responsible units do not read as unit names (a sentence, a long phrase): the
    units were read from the wrong place."""
    names = {u["id"]: u["name"] for u in draft.catalog["units"]}
    out = []
    for c in draft.catalog["clauses"]:
        ids = [r if isinstance(r, str) else r["unit"] for r in c.get("responsible", ())]
        odd = [names[i] for i in ids if i in names and not looks_like_unit(names[i])]
        if odd:
            message = _("{id} ({ref}): “{name}” does not read as a unit's name").format(id=c["id"], ref=c["ref"], name=odd[0][:40])
            out.append(_finding(_first_line(draft, c["id"]), "units unlike unit names", message, c["id"], False))
    return out


def mostly_headings(draft) -> bool:
    """Whether most clauses are headings (short words without a sentence): a layout that read the
    document's headings as its clauses."""
    clauses = draft.catalog["clauses"]
    texts = [c["text"] for c in clauses if "text" in c and "fields" not in c]
    return bool(clauses) and sum(short_heading(t.strip()) and not t.strip().endswith(tuple(SENTENCE_END)) for t in texts) > MOSTLY * len(
        clauses
    )
