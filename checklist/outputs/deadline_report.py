"""`checklist deadline`: working-day deadlines with their reasoning, for people (text: each
deadline, the working days counted and the days skipped) or machines (JSON)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from checklist.dates import weekday
from checklist.workdays.calendar import Count, Day
from checklist.workdays.deadlines import Reckoning, calendar_lines


def explain(count: Count) -> list[str]:
    """Lines naming the working days counted and the days passed over (holidays grouped)."""
    lines = []
    if count.counted:
        made_up = [d for d in count.counted if d.makeup]
        lines.append(
            f"计入的工作日 ({len(count.counted)}): "
            + ", ".join(f"{d.date:%m-%d}" + (f" {d.label}" if d.makeup else "") for d in count.counted)
        )
        if made_up:
            lines.append("其中调休上班日: " + ", ".join(f"{d.date} {d.label}" for d in made_up))
    if count.skipped:
        lines.append(f"跳过的非工作日 ({len(count.skipped)}): " + ", ".join(_runs(count.skipped)))
    return lines


def _runs(days: list[Day]) -> list[str]:
    """Consecutive holidays of one name become one entry: 10-01 至 10-07 国庆节 (7天)."""
    ordered = sorted(days, key=lambda d: d.date)
    out: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while (
            j + 1 < len(ordered)
            and ordered[i].holiday
            and ordered[j + 1].holiday == ordered[i].holiday
            and ordered[j + 1].date - ordered[j].date == dt.timedelta(days=1)
        ):
            j += 1
        first, last = ordered[i], ordered[j]
        if j > i:
            out.append(f"{first.date:%m-%d} 至 {last.date:%m-%d} {first.holiday} ({j - i + 1}天)")
        else:
            out.append(f"{first.date:%m-%d} {first.label}")
        i = j + 1
    return out


def headline(day: Day) -> str:
    return f"{day.date.isoformat()} {weekday(day.date)}" + (f"（{day.label.split(' ', 1)[1]}）" if " " in day.label else "")


def deadline_text(reckoning: Reckoning) -> str:
    """A plain count: the deadline, the rule in words, the days counted and skipped; a catalog
    rule: each step's deadline and why it falls there."""
    if reckoning.clause is None:
        return _count_text(reckoning)
    return _rule_text(reckoning)


def _count_text(reckoning: Reckoning) -> str:
    r, start = reckoning.results[0], reckoning.start
    n = r.step["working_days"]
    title = (
        f"提前{n}个工作日: {start} {weekday(start)} 之前的第{n}个工作日（{start} 当日不计，截止日计入）"
        if r.step["direction"] == "before"
        else f"{n}个工作日内: {start} {weekday(start)} 之后的第{n}个工作日（{start} 当日不计）"
    )
    lines = [headline(r.due), title, *explain(r.count), *calendar_lines(reckoning.cal)]
    return "".join(line + "\n" for line in lines)


def _rule_text(reckoning: Reckoning) -> str:
    """The steps of a rule as a person reads them: each deadline, and why it falls there."""
    catalog, clause, cal = reckoning.catalog, reckoning.clause, reckoning.cal
    assert catalog is not None and clause is not None and clause.deadline is not None
    anchor = reckoning.start
    lines = [f"{catalog.cited}{clause.ref}", f"{clause.deadline['anchor']}: {anchor} {weekday(anchor)}"]
    for r in reckoning.results:
        lines.append("")
        lines.append(
            f"[{r.step['id']}] {r.step['action']} — {r.rule}"
            + (f"（自 {r.start} 起算）" if r.step.get("from", "anchor") != "anchor" else "")
        )
        lines.append(f"  截止: {headline(r.due)}" + ("（当日或之前）" if r.step.get("direction") == "before" else "（当日或之前完成）"))
        if r.step.get("file_with") and catalog:
            lines.append(f"  报送: {catalog.units[r.step['file_with']].name}")
        if r.step.get("documents"):
            lines.append("  材料: " + "".join(f"《{d}》" for d in r.step["documents"]))
        if r.adjusted:
            lines.append(f"  调整: {r.adjusted}")
        lines += ["  " + line for line in explain(r.count)]
        for when, extra, due in r.extensions:
            lines.append(f"  {when}: 另加{extra} → {headline(due)}")
        if r.step.get("note"):
            lines.append(f"  说明: {r.step['note']}")
    lines.append("")
    lines += calendar_lines(cal)
    return "\n".join(lines) + "\n"


def deadline_json(reckoning: Reckoning) -> str:
    """What was counted from what (the rule's catalog and clause, or the count asked for), each
    step with the days counted and skipped, and the calendars used."""
    start, cal = reckoning.start, reckoning.cal
    if reckoning.catalog is None or reckoning.clause is None:
        r = reckoning.results[0]
        head = {"direction": r.step["direction"], "working_days": r.step["working_days"], "from": start.isoformat()}
    else:
        clause = reckoning.clause
        assert clause.deadline is not None
        head = {"catalog": reckoning.catalog.id, "clause": clause.id, "ref": clause.ref, "anchor": clause.deadline["anchor"]}
        head["from"] = start.isoformat()
    data = {
        **head,
        "steps": [s.as_dict() for s in reckoning.results],
        "calendar": {str(y): s for y, s in sorted(cal.years_used.items())},
        "assumed_weekends": cal.assume_weekends,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


REPORTERS: dict[str, Callable[[Reckoning], str]] = {"text": deadline_text, "json": deadline_json}
