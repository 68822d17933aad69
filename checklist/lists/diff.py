"""What changed between two versions of a catalog: clauses added, removed, reworded (with a
character-level diff) and reassigned to other units — for a department whose document was revised.

Clauses are paired by id, then by article reference, then by the most similar text (a revision
often renumbers); units are compared by name, so a renamed id is not a reassignment."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from checklist.model.catalog import ROLE_NAMES, Catalog, Clause

SIMILAR = 0.6  # below this, an unpaired clause counts as removed and another as added


@dataclass
class Change:
    kind: str  # added, removed, reworded, reassigned (a clause can be reworded and reassigned)
    old: Clause | None
    new: Clause | None
    segments: list[tuple[str, str]] = field(default_factory=list)  # (op, text): equal, delete, insert
    old_units: list[str] = field(default_factory=list)  # "科技处(公共服务处)（牵头）"
    new_units: list[str] = field(default_factory=list)

    @property
    def clause(self) -> Clause:
        """The new version, or the old one of a removed clause."""
        clause = self.new or self.old
        assert clause is not None, "a change has an old or a new clause"
        return clause

    @property
    def ref(self) -> str:
        return self.clause.ref

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "old_id": self.old.id if self.old else None,
            "new_id": self.new.id if self.new else None,
            "old_ref": self.old.ref if self.old else None,
            "new_ref": self.new.ref if self.new else None,
            "text_diff": [{"op": op, "text": t} for op, t in self.segments] or None,
            "old_units": self.old_units or None,
            "new_units": self.new_units or None,
            "old_text": self.old.text if self.old else None,
            "new_text": self.new.text if self.new else None,
        }


def diff(old: Catalog, new: Catalog) -> list[Change]:
    pairs, removed, added = _pair(old.clauses, new.clauses)
    changes = [Change("removed", c, None, old_units=_units(old, c)) for c in removed]
    for a, b in pairs:
        if a.text != b.text:
            changes.append(Change("reworded", a, b, segments=char_diff(a.text, b.text)))
        ua, ub = _units(old, a), _units(new, b)
        if ua != ub:
            changes.append(Change("reassigned", a, b, old_units=ua, new_units=ub))
    changes += [Change("added", None, c, new_units=_units(new, c)) for c in added]
    # document order: the new version's, with removed clauses near where they stood
    order = {c.id: i - 0.5 for i, c in enumerate(old.clauses)} | {c.id: i for i, c in enumerate(new.clauses)}
    return sorted(changes, key=lambda ch: order.get(ch.clause.id, 0))


def _pair(old: list[Clause], new: list[Clause]) -> tuple[list[tuple[Clause, Clause]], list[Clause], list[Clause]]:
    pairs = []
    left, right = list(old), list(new)
    for key in (lambda c: c.id, lambda c: c.ref):
        by_key = {key(c): c for c in right}
        for a in list(left):
            b = by_key.get(key(a))
            if b is not None and b in right:
                pairs.append((a, b))
                left.remove(a)
                right.remove(b)
    for a in list(left):
        scored = [(difflib.SequenceMatcher(None, a.text, b.text).ratio(), i) for i, b in enumerate(right)]
        if scored:
            score, i = max(scored)
            if score >= SIMILAR:
                pairs.append((a, right.pop(i)))
                left.remove(a)
    return pairs, left, right


def char_diff(a: str, b: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", a[i1:i2]))
        else:
            if i2 > i1:
                out.append(("delete", a[i1:i2]))
            if j2 > j1:
                out.append(("insert", b[j1:j2]))
    return out


def _units(cat: Catalog, clause: Clause) -> list[str]:
    return [f"{cat.units[a.unit].name}（{ROLE_NAMES[a.role]}）" for a in clause.responsible]


def report_text(old: Catalog, new: Catalog, changes: list[Change]) -> str:
    lines = [f"旧: {old.cited} {old.path}", f"新: {new.cited} {new.path}"]
    counts = {k: sum(1 for c in changes if c.kind == k) for k in ("added", "removed", "reworded", "reassigned")}
    lines.append("新增 {added}，删除 {removed}，修改文字 {reworded}，调整责任单位 {reassigned}".format(**counts))
    names = {"added": "新增", "removed": "删除", "reworded": "修改", "reassigned": "调整责任单位"}
    for ch in changes:
        lines.append("")
        where = ch.ref if not (ch.old and ch.new and ch.old.ref != ch.new.ref) else f"{ch.old.ref} → {ch.new.ref}"
        lines.append(f"[{names[ch.kind]}] {where}")
        if ch.kind == "added":
            lines.append(f"  + {ch.clause.text}")
        elif ch.kind == "removed":
            lines.append(f"  - {ch.clause.text}")
        elif ch.kind == "reworded":
            lines.append("  " + "".join(t if op == "equal" else f"[-{t}-]" if op == "delete" else f"{{+{t}+}}" for op, t in ch.segments))
        else:
            lines.append(f"  {'、'.join(ch.old_units) or '（无）'} → {'、'.join(ch.new_units) or '（无）'}")
    return "\n".join(lines)
