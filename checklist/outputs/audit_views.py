"""`checklist audit status`: each audit's progress and results, for people (text) or machines (JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable

from checklist.audits.results import Summary, as_quantity
from checklist.model.amounts import money
from checklist.vocabulary import RESULT_NAMES


def status_text(summaries: list[Summary]) -> str:
    """Per audit: answered / total, the counts, the score, open findings; eligibility and amounts
    with their working when the declared facts decided checks."""
    lines = []
    for s in summaries:
        a, st = s.audit, s.status
        score = "—" if st.score is None else f"{st.score * 100:.1f}%"
        counts = "  ".join(f"{RESULT_NAMES[r]} {n}" for r, n in st.counts.items())
        lines += [
            f"{s.file}: {a.target['name']} {a.date}",
            f"  已检查 {st.answered}/{st.total}   {counts}",
            f"  符合率 {score} (符合 ÷ (符合 + 不符合); 不适用、未检查不计入)",
            f"  未整改隐患 {st.open_findings} (重大事故隐患 {st.major_open})",
        ]
        if s.award is not None:
            aw = s.award
            lines.append(f"  资格 {aw.eligibility}" + (f": {'；'.join(aw.pending)}" if aw.pending else ""))
            for c in aw.items:
                q = as_quantity(c)
                value = money(q) if q else f"{c['value']}{c['unit']}"
                lines.append(f"  {c['title']} {value}: {c['working']} ({a.catalog.get('doc_no', '')} {c['ref']})")
            if aw.total is not None:
                lines.append(f"  合计 {money(aw.total)}" + ("" if aw.eligibility == "符合" else f" ({aw.eligibility}，不予核定)"))
    return "".join(line + "\n" for line in lines)


def status_json(summaries: list[Summary]) -> str:
    return json.dumps([s.as_dict() for s in summaries], ensure_ascii=False, indent=2) + "\n"


REPORTERS: dict[str, Callable[[list[Summary]], str]] = {"text": status_text, "json": status_json}
