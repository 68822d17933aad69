"""How an import went, line by line, and the choice of layout when none is given.

Every line of the text is accounted for: placed in a clause, a heading or the source details;
placed in a clause marked for review (an item whose cells could not be told apart, a clause
that swallowed item numbers or is far longer than its siblings); dropped as noise (page number,
running header, link, repeated title or table header, by kind); not placed (listed with its
number); or blank. ``--layout auto`` runs every layout and keeps the one that explains the most
lines; a text no layout reads is refused, never turned into a misleading draft.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from checklist.authoring.document import Rendered
from checklist.authoring.honesty import Finding, glued_headings, mostly_headings, numbering, unit_names
from checklist.authoring.importer import LAYOUTS, Draft, check_id, import_text
from checklist.authoring.radicals import Suspicious
from checklist.errors import Refusal, UnfitTextError, UsageError, os_reason
from checklist.i18n import N_, _, language

AUTO = "auto"
# The kinds of finding and of noise, and the field labels, as the report names them (translated when shown)
KINDS = (
    N_("incomplete item"),
    N_("gap"),
    N_("absorbs item numbers"),
    N_("oversized"),
    N_("number repeated"),
    N_("numbers out of order"),
    N_("heading glued to an item"),
    N_("units unlike unit names"),
    N_("mostly headings"),
    N_("page number"),
    N_("link"),
    N_("running header"),
    N_("repeated title"),
    N_("repeated table header"),
    N_("text"),
    N_("responsible units"),
)
REVIEW = "待核对："  # starts the note on a clause the report flags
MIN_SHARE = 0.1  # a layout must explain this share of the text lines, in at least one sound clause
OVERSIZE_MIN, OVERSIZE_RATIO = 3000, 10  # characters; times the median clause: far longer than its siblings
OVERSIZE_FEW = 6000  # characters: with fewer than four clauses to compare, a clause longer than this is far too long
ABSORBED_MIN, ABSORBED_SPACING = 3, 15  # consecutive item numbers inside one clause, at most this many lines apart
NUMBER_LINE = re.compile(r"^(\d{1,3})(?:[ \t\u3000]|$)")


@dataclass
class Report:
    layout: str
    why: str = ""
    scores: dict[str, int] = field(default_factory=dict)  # lines each layout tried explains
    lines: int = 0  # in the text, blank ones included
    blank: int = 0
    placed: list[int] = field(default_factory=list)
    review: list[int] = field(default_factory=list)  # placed in clauses marked for review
    swallowed: list[int] = field(default_factory=list)  # in clauses that swallowed item numbers or grew far too long
    noise: dict[str, list[int]] = field(default_factory=dict)
    unplaced: list[tuple[int, str]] = field(default_factory=list)
    items: int = 0
    complete: int = 0
    filled: dict[str, int] = field(default_factory=dict)  # per field: items with it filled
    findings: list[Finding] = field(default_factory=list)
    suspicious: list[Suspicious] = field(default_factory=list)
    written: bool = False
    headings_only: bool = False  # most clauses are headings: the layout read the wrong things
    places: dict[int, str] = field(default_factory=dict)  # line → its place in a published document

    def _place(self, line: int) -> dict:
        return {"place": self.places[line]} if line in self.places else {}

    def where(self, path: str, line: int) -> str:
        """A line as the report names it: ``path:line:1`` in a text, ``path: table 1 row 3`` in a document."""
        return f"{path}: {self.places[line]}" if line in self.places else f"{path}:{line}:1"

    @property
    def explained(self) -> int:
        """Lines the layout placed, in sound clauses or in items marked for review (not in swallowers)."""
        return len(self.placed) + len(self.review)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    def as_dict(self) -> dict:
        return {
            "layout": self.layout,
            "why": self.why,
            "scores": self.scores,
            "lines": {
                "total": self.lines,
                "blank": self.blank,
                "placed": len(self.placed),
                "placed_for_review": len(self.review),
                "in_flagged_clauses": len(self.swallowed),
                "noise": {kind: len(numbers) for kind, numbers in self.noise.items()},
                "not_placed": len(self.unplaced),
            },
            "items": {"found": self.items, "complete": self.complete, "filled": self.filled},
            "findings": [f.as_dict() | self._place(f.line) for f in self.findings],
            "suspicious_characters": [s.as_dict() for s in self.suspicious],
            "not_placed": [{"line": n, "text": t} | self._place(n) for n, t in self.unplaced],
            "written": self.written,
        }


def import_document(
    text: str, layout: str = AUTO, *, catalog_id: str = "draft", fixes: dict[str, str] | None = None, rendered: Rendered | None = None
) -> tuple[Draft, Report]:
    """The draft and its report, in the layout given or (``auto``) the one that explains the most
    lines. An UnfitTextError when no layout reads a sound clause and explains ``MIN_SHARE`` of the lines."""
    check_id(catalog_id)
    if layout != AUTO:
        draft = import_text(text, layout, catalog_id=catalog_id, fixes=fixes, rendered=rendered)
        report = assess(draft)
        report.scores = {layout: report.explained}
        report.why = _("the layout asked for")
        mark(draft, report)
        return draft, report
    tried: list[tuple[Draft, Report]] = []
    scores: dict[str, int] = {}
    for name in LAYOUTS:
        try:
            draft = import_text(text, name, catalog_id=catalog_id, fixes=fixes, rendered=rendered)
        except UsageError:
            scores[name] = 0
            continue
        report = assess(draft)
        scores[name] = report.explained
        tried.append((draft, report))
    fitting = [(d, r) for d, r in tried if r.items > _unsound(r) and r.explained >= MIN_SHARE * _text_lines(r) and not r.headings_only]
    listed = ", ".join(f"{name} {score}" for name, score in scores.items())
    if not fitting:
        raise UnfitTextError(
            _(
                "no layout fits this text: none reads a sound clause and explains {share} of its lines (lines explained: {listed});"
                " a draft from it would mislead. Check the text, or choose a layout to see what it finds"
            ).format(share=f"{MIN_SHARE:.0%}", listed=listed),
            code="import.unfit",
        )
    draft, report = max(fitting, key=lambda dr: (scores[dr[1].layout], dr[1].complete, _with_units(dr[0])))
    report.scores = scores
    report.why = _("explains {explained} of {lines} text lines, the most of the layouts tried ({listed})").format(
        explained=scores[report.layout], lines=_text_lines(report), listed=listed
    )
    mark(draft, report)
    return draft, report


def _with_units(draft: Draft) -> int:
    """Clauses that name their units: between layouts that read as much, the one that finds who is responsible."""
    return sum(1 for c in draft.catalog["clauses"] if c.get("responsible"))


def _text_lines(report: Report) -> int:
    return report.explained + len(report.swallowed) + len(report.unplaced)


def _unsound(report: Report) -> int:
    return len({f.clause for f in report.findings if f.clause})


def assess(draft: Draft) -> Report:
    """The report of one draft: its lines counted, its items checked, its clauses flagged."""
    cleaned = draft.cleaned
    assert cleaned is not None  # every draft import_text makes carries its cleaned text
    report = Report(draft.layout, noise={k: v for k, v in cleaned.noise.items() if v}, suspicious=cleaned.suspicious)
    report.findings = [Finding(line, "incomplete item" if cid else "gap", message, cid) for line, cid, message in draft.findings]
    report.findings += _swallowers(draft)
    flagged = {f.clause for f in report.findings if f.clause}
    report.findings += [f for f in glued_headings(draft) + numbering(draft) + unit_names(draft) if f.clause not in flagged]
    report.headings_only = mostly_headings(draft)
    marked = {f.clause for f in report.findings if f.clause}
    blocked = {f.clause for f in report.blocking}
    noise = {n for numbers in report.noise.values() for n in numbers}
    text = ({n for n, _ in cleaned.lines} | set(cleaned.bare)) - noise
    unplaced = {n for n, _ in draft.unplaced}
    swallowed = {n for cid in blocked for n in draft.clause_lines.get(cid, ())} & text - unplaced
    review = {n for cid in marked - blocked for n in draft.clause_lines.get(cid, ())} & text - unplaced - swallowed
    report.placed = sorted(text - unplaced - review - swallowed)
    report.review = sorted(review)
    report.swallowed = sorted(swallowed)
    report.unplaced = draft.unplaced
    report.lines = cleaned.total + cleaned.blank
    report.blank = cleaned.blank
    keys = _expected(draft)
    clauses = draft.catalog["clauses"]
    report.items = len(clauses)
    report.filled = {label: sum(1 for c in clauses if _filled(c, key)) for label, key in keys.items()}
    report.complete = sum(1 for c in clauses if c["id"] not in marked and all(_filled(c, k) for k in keys.values()))
    return report


def _expected(draft: Draft) -> dict[str, str]:
    """What every item should have, by the name the report gives it: a table's columns, else the
    field labels seen (or the text) and the responsible units when any clause names them."""
    if draft.columns:
        return dict(draft.columns)
    clauses = draft.catalog["clauses"]
    labels = list(dict.fromkeys(label for c in clauses for label in c.get("fields", {})))
    keys = {label: f"fields.{label}" for label in labels} or {"text": "text"}
    if any(c.get("responsible") for c in clauses):
        keys["responsible units"] = "responsible"
    return keys


def _filled(clause: dict, key: str) -> bool:
    if key.startswith("fields."):
        return bool(clause.get("fields", {}).get(key.removeprefix("fields.")))
    return bool(clause.get(key))


def _swallowers(draft: Draft) -> list[Finding]:
    """Clauses that hold item numbers of their own (three or more in a row, lines apart) or are
    far longer than their siblings: the layout did not see where items begin."""
    assert draft.cleaned is not None
    raw = draft.cleaned.raw | draft.cleaned.bare
    clauses = draft.catalog["clauses"]
    sizes = {c["id"]: len(c.get("text", "")) + sum(len(v) for v in c.get("fields", {}).values()) for c in clauses}
    limit = max(OVERSIZE_MIN, OVERSIZE_RATIO * statistics.median(sizes.values())) if len(sizes) >= 4 else OVERSIZE_FEW
    incomplete = {cid for _, cid, _ in draft.findings if cid}
    out = []
    for c in clauses:
        lines = draft.clause_lines.get(c["id"], [])
        numbers = [(n, int(m[1])) for n in lines[1:] if (m := NUMBER_LINE.match(raw.get(n, "").strip()))]
        run = _longest_run(numbers)
        if len(run) >= ABSORBED_MIN:
            shown = f"{run[0][1]}–{run[-1][1]}"
            message = _("{id} ({ref}) holds item numbers {numbers} (lines {first}–{last}): items the layout did not see").format(
                id=c["id"], ref=c["ref"], numbers=shown, first=run[0][0], last=run[-1][0]
            )
            out.append(Finding(run[0][0], "absorbs item numbers", message, c["id"], blocking=True))
        elif sizes[c["id"]] > limit and c["id"] not in incomplete:
            message = _("{id} ({ref}) has {size} characters, over {limit} (far longer than its siblings)").format(
                id=c["id"], ref=c["ref"], size=sizes[c["id"]], limit=int(limit)
            )
            out.append(Finding(lines[0] if lines else 1, "oversized", message, c["id"], blocking=True))
    return out


def _longest_run(numbers: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of numbers counting up by one, each within ``ABSORBED_SPACING`` lines of the last."""
    best: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for line, value in numbers:
        if run and value == run[-1][1] + 1 and line - run[-1][0] <= ABSORBED_SPACING:
            run.append((line, value))
        else:
            run = [(line, value)]
        best = max(best, run, key=len)
    return best


def mark(draft: Draft, report: Report) -> None:
    """Write each finding on its clause (note: 待核对：…), so the draft never hides one."""
    by_id = {c["id"]: c for c in draft.catalog["clauses"]}
    for f in report.findings:
        if f.clause in by_id:
            clause = by_id[f.clause]
            clause["note"] = "；".join(x for x in (f"{REVIEW}{f.message}", clause.get("note", "")) if x)


def report_text(report: Report, path: str, output: str) -> str:
    """The report for a person: the layout and why, every line accounted for, the items and
    their fields, then each finding, ambiguous radical and line not placed, with its place."""
    noise = ", ".join(f"{_(kind)} {len(numbers)}" for kind, numbers in report.noise.items()) or _("none")
    filled = ", ".join(f"{_(label)} {n}/{report.items}" for label, n in report.filled.items())
    out = [
        _("layout: {layout} — {why}").format(layout=report.layout, why=report.why),
        _(
            "lines: {lines} — {placed} placed, {review} placed in items marked 待核对, {swallowed} in flagged clauses,"
            " {noise} noise ({kinds}), {unplaced} not placed, {blank} blank"
        ).format(
            lines=report.lines,
            placed=len(report.placed),
            review=len(report.review),
            swallowed=len(report.swallowed),
            noise=sum(len(n) for n in report.noise.values()),
            kinds=noise,
            unplaced=len(report.unplaced),
            blank=report.blank,
        ),
        _("items: {items} found, {complete} complete; filled: {filled}").format(
            items=report.items, complete=report.complete, filled=filled
        ),
    ]
    if report.findings:
        out.append(_("findings ({count}, {blocking} blocking):").format(count=len(report.findings), blocking=len(report.blocking)))
        blocking = _(" (blocking)")
        out += [f"  {report.where(path, f.line)}: {_(f.kind)}{blocking if f.blocking else ''}: {f.message}" for f in report.findings]
    if report.suspicious:
        out.append(_("ambiguous radicals left as they are ({count}):").format(count=len(report.suspicious)))
        out += [f"  {report.where(path, s.line)}: {s}" for s in report.suspicious]
    if report.unplaced:
        out.append(_("not placed ({count}):").format(count=len(report.unplaced)))
        out += ["  " + _("{place}: not placed: {text}").format(place=report.where(path, n), text=t) for n, t in report.unplaced]
    written = _("written") if report.written else _("not written")
    out.append(f"{output}: {written}")
    return "\n".join(out)


def import_file(
    path: str,
    output: str,
    *,
    layout: str = AUTO,
    catalog_id: str = "draft",
    fixes: dict[str, str] | None = None,
    accept: bool = False,
    force: bool = False,
    schemas: str | None = None,
) -> tuple[Draft | None, Report]:
    """`checklist import`: read ``path``, import it, and write the draft to ``output`` unless a
    clause swallowed others (then only with ``accept``, the clauses marked). The report says
    whether the draft was written. The draft's modeline names the catalog schema as an editor can
    resolve it from ``output`` (``schemas``: a folder of exported schemas)."""
    from pathlib import Path

    from checklist.authoring.draft_yaml import draft_yaml
    from checklist.files import atomic

    if atomic.exists(output) and not force:
        raise Refusal("file.exists", "output", path=str(output))
    check_id(catalog_id)
    source, rendered = read_source(path)
    draft, report = import_document(source, layout, catalog_id=catalog_id, fixes=fixes, rendered=rendered)
    report.places = draft.places
    if report.blocking and not accept:
        return draft, report
    atomic.write_text(output, draft_yaml(draft, Path(output), Path(schemas) if schemas else None, _notes(report)))
    report.written = True
    return draft, report


def read_source(path: str) -> tuple[str, Rendered | None]:
    """The text to import from ``path`` and, for a published document (by its suffix), its model
    written out as lines with their places; a Refusal when it cannot be read."""
    from checklist.authoring.readers import format_of
    from checklist.files.loader import read_text

    if (kind := format_of(path)) == "text":
        return read_text(path)[0], None
    rendered = _read(path, kind)
    return rendered.text, rendered


def _read(path: str, kind: str) -> Rendered:
    """A published document's model, written out as lines; a Refusal when the file cannot be read as its suffix says."""
    import os
    import zipfile

    from checklist.authoring.document import render
    from checklist.authoring.readers import read_document

    if kind == "binary":
        reason = _("a Word 97, WPS or other binary office file: save it as .docx (or as a web page or PDF) first")
        raise Refusal("import.unreadable", "source_file", value=path, format=kind, reason=reason)
    if not os.path.isfile(path):
        raise Refusal("import.unreadable", "source_file", value=path, format=kind, reason=_("no such file"))
    try:
        return render(read_document(path))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
        raise Refusal("import.unreadable", "source_file", value=path, format=kind, reason=_unreadable(e)) from None
    except Exception as e:  # the PDF and Word parsers raise their own kinds on a broken file
        if type(e).__module__.split(".")[0] in ("pdfminer", "pdfplumber", "docx", "lxml", "pypdfium2"):
            raise Refusal("import.unreadable", "source_file", value=path, format=kind, reason=_unreadable(e)) from None
        raise


def _unreadable(e: Exception) -> str:
    """Why a parser could not read a file: the OS's reason, else the parser's own words in English,
    and in other languages that the file is damaged (with the parser's name for the fault)."""
    if isinstance(e, OSError) and e.errno is not None:
        return os_reason(e)
    if language() == "en":
        return str(e) or type(e).__name__
    return _("the file is damaged or not in this format ({error})").format(error=type(e).__name__)


def _notes(report: Report) -> list[str]:
    """The report's head for the draft file: layout, items, findings, ambiguous radicals."""
    notes = [
        _("Layout: {layout} — {why}").format(layout=report.layout, why=report.why),
        _("Items: {items} found, {complete} complete").format(items=report.items, complete=report.complete),
    ]
    if report.findings:
        notes.append(
            _("Findings ({count}; each flagged clause has a note starting {review}):").format(count=len(report.findings), review=REVIEW)
        )
        notes += [f"  {f.line}: {f.message}" for f in report.findings]
    if report.suspicious:
        notes.append(_("Ambiguous radicals left as they are ({count}):").format(count=len(report.suspicious)))
        notes += [f"  {s.line}: {s}" for s in report.suspicious]
    return notes
