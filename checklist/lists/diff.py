"""What changed between two versions of a catalog: clauses added, removed, reworded (with a
character-level diff), reassigned to other units, and every other field of a clause and its
checks (deadline steps, questions, rules, tags, chapter, applies_to …) — for a department whose
document was revised.

Clauses are paired by id, then by article reference, then by the most similar text (a revision
often renumbers); units are compared by name, so a renamed id is not a reassignment."""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from checklist.model.catalog import Catalog, Clause
from checklist.vocabulary import DUTY_ROLE_NAMES

SIMILAR = 0.6  # below this, an unpaired clause counts as removed and another as added

# What each field of a clause is called in the report; text and responsible have kinds of their own.
FIELD_NAMES = {
    "ref": "条款号",
    "chapter": "章",
    "section": "节",
    "heading": "标题",
    "fields": "分项",
    "kinds": "适用对象类别",
    "kind": "条款类型",
    "frequency": "频次",
    "tags": "标签",
    "checks": "检查问题",
    "deadline": "时限",
    "safety_lead": "安全负责人规定",
    "note": "说明",
    "steps": "步骤",
    "ask": "提问",
    "evidence": "查阅材料",
    "applies_to": "适用单位",
    "rule": "判定规则",
    "anchor": "起算事件",
    "action": "事项",
    "working_days": "工作日数",
    "days": "天数",
    "months": "月数",
    "years": "年数",
    "direction": "方向",
    "documents": "材料",
    "file_with": "报送对象",
    "extensions": "延长情形",
    "level": "级别",
    "designated_by": "指定",
    "principal_of": "主要负责人所在",
    "post": "职务",
}
_OWN_KINDS = (
    "id",
    "text",
    "fields",
    "responsible",
)  # the id pairs; text (and the labelled fields it is made of) and units are reworded / reassigned


@dataclass
class FieldChange:
    """One field of a clause or of one of its checks, before and after (None: absent)."""

    path: tuple[str, ...]  # ("checks", "A49-d", "ask"), ("deadline", "steps", "A49-filing", "working_days")
    old: object
    new: object

    @property
    def name(self) -> str:
        """检查问题 › A49-d › 提问; 时限 › 步骤 › A49-filing › 工作日数."""
        return " › ".join(FIELD_NAMES.get(p, p) for p in self.path)

    @property
    def words(self) -> str:
        if self.old is None:
            return f"{self.name}: 新增 {_show(self.new)}"
        if self.new is None:
            return f"{self.name}: 删除 {_show(self.old)}"
        if isinstance(self.old, list) and isinstance(self.new, list) and all(isinstance(x, str) for x in self.old + self.new):
            gone, came = [x for x in self.old if x not in self.new], [x for x in self.new if x not in self.old]
            if gone or came:
                parts = ([f"删除 {'、'.join(gone)}"] if gone else []) + ([f"新增 {'、'.join(came)}"] if came else [])
                return f"{self.name}: " + "，".join(parts)
            return f"{self.name}: 顺序由 {'、'.join(self.old)} 改为 {'、'.join(self.new)}"
        return f"{self.name}: 由 {_show(self.old)} 改为 {_show(self.new)}"

    def as_dict(self) -> dict:
        return {"field": ".".join(self.path), "name": self.name, "old": self.old, "new": self.new, "words": self.words}


def _show(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return "、".join(value)
    if isinstance(value, dict):  # a question or a step added or removed: its fields in words
        return "；".join(f"{FIELD_NAMES.get(k, k)}: {_show(v)}" for k, v in value.items())
    if isinstance(value, list) and all(isinstance(x, dict) for x in value):
        return " / ".join(f"（{_show(x)}）" for x in value)
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Change:
    kind: str  # added, removed, reworded, reassigned, changed (a clause can have several kinds of change)
    old: Clause | None
    new: Clause | None
    segments: list[tuple[str, str]] = field(default_factory=list)  # (op, text): equal, delete, insert
    old_units: list[str] = field(default_factory=list)  # "科技处(公共服务处)（牵头）"
    new_units: list[str] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)  # for "changed": every other field that differs

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
            "fields": [f.as_dict() for f in self.fields] or None,
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
        fields = list(field_changes(old, a, new, b))
        if fields:
            changes.append(Change("changed", a, b, fields=fields))
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


def field_changes(old_cat: Catalog, a: Clause, new_cat: Catalog, b: Clause) -> Iterator[FieldChange]:
    """Every field of two versions of a clause that differs, checks and deadline steps paired by id."""
    old, new = _plain(old_cat, a), _plain(new_cat, b)
    for key in dict.fromkeys([*old, *new]):
        if key not in _OWN_KINDS:
            yield from _compare((key,), old.get(key), new.get(key))


_UNIT_KEYS = ("file_with", "applies_to", "designated_by")  # fields naming units: compared by name


def _plain(cat: Catalog, clause: Clause) -> dict:
    """A clause as plain data, empty fields left out (absent and empty mean the same)."""
    d = dataclasses.asdict(clause)
    d["checks"] = {k["id"]: {n: v for n, v in k.items() if n != "id" and v not in ((), [], None)} for k in d["checks"]}
    d["fields"] = dict(d["fields"])
    return {k: _lists(cat, k, v) for k, v in d.items() if v not in ("", (), [], {}, None)}


def _lists(cat: Catalog, key: str, value: object) -> object:
    """Tuples as lists (one kind of sequence for comparing and JSON), unit ids as unit names."""
    if isinstance(value, dict):
        return {k: _lists(cat, k, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(cat, key, v) for v in value]
    if key in _UNIT_KEYS and isinstance(value, str) and value in cat.units:
        return cat.units[value].name
    return value


def _by_id(value: object) -> dict | None:
    """A list of objects each with an id (deadline steps) as a dict by id, else None."""
    if isinstance(value, list) and value and all(isinstance(x, dict) and "id" in x for x in value):
        return {x["id"]: {k: v for k, v in x.items() if k != "id"} for x in value}
    return None


def _compare(path: tuple[str, ...], a: object, b: object) -> Iterator[FieldChange]:
    if a == b:
        return
    ia, ib = _by_id(a), _by_id(b)
    if ia is not None and ib is not None:
        a, b = ia, ib
    if isinstance(a, dict) and isinstance(b, dict):
        for key in dict.fromkeys([*a, *b]):
            yield from _compare((*path, str(key)), a.get(key), b.get(key))
        return
    yield FieldChange(path, a, b)


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
    return [f"{cat.units[a.unit].name}（{DUTY_ROLE_NAMES[a.role]}）" for a in clause.responsible]


def _bound(cat: Catalog, clause: Clause | None) -> dict[str, str]:
    """The units a clause binds, by name (a group's members each), with their role's name."""
    out: dict[str, str] = {}
    for a in clause.responsible if clause else ():
        for uid in cat.expand(a.unit):
            out.setdefault(cat.units[uid].name, DUTY_ROLE_NAMES[a.role])
    return out


def unit_changes(old: Catalog, new: Catalog, changes: list[Change]) -> dict[str, list[dict]]:
    """For a revised document, what changed for each unit (by name, a group's members each): the
    duties it gained or lost, a role changed, a duty's text or its other fields (questions, time
    limits) changed — each ``{"kind", "ref", "words"}`` in the diff's order."""
    per: dict[str, list[dict]] = {}

    def note(name: str, kind: str, ch: Change, words: str) -> None:
        per.setdefault(name, []).append({"kind": kind, "ref": ch.ref, "words": words})

    for ch in changes:
        before, after = _bound(old, ch.old), _bound(new, ch.new)
        if ch.kind == "added":
            for name, role in after.items():
                note(name, "gained", ch, f"新增职责（{role}）")
        elif ch.kind == "removed":
            for name, role in before.items():
                note(name, "lost", ch, f"删除职责（{role}）")
        elif ch.kind == "reassigned":
            for name, role in after.items():
                if name not in before:
                    note(name, "gained", ch, f"新承担（{role}）")
                elif before[name] != role:
                    note(name, "role", ch, f"角色由{before[name]}改为{role}")
            for name, role in before.items():
                if name not in after:
                    note(name, "lost", ch, f"不再承担（{role}）")
        else:
            fields = "、".join(dict.fromkeys(FIELD_NAMES.get(f.path[0], f.path[0]) for f in ch.fields))
            words = "职责内容修改" if ch.kind == "reworded" else f"修改{fields}"
            for name in after:
                if name in before:
                    note(name, ch.kind, ch, words)
    return per


def report_text(old: Catalog, new: Catalog, changes: list[Change]) -> str:
    lines = [f"旧: {old.cited} {old.path}", f"新: {new.cited} {new.path}"]
    counts = {k: sum(1 for c in changes if c.kind == k) for k in ("added", "removed", "reworded", "reassigned", "changed")}
    lines.append("新增 {added}，删除 {removed}，修改文字 {reworded}，调整责任单位 {reassigned}，修改其他内容 {changed}".format(**counts))
    names = {"added": "新增", "removed": "删除", "reworded": "修改", "reassigned": "调整责任单位", "changed": "修改其他内容"}
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
        elif ch.kind == "reassigned":
            lines.append(f"  {'、'.join(ch.old_units) or '（无）'} → {'、'.join(ch.new_units) or '（无）'}")
        else:
            lines += [f"  {f.words}" for f in ch.fields]
    per = unit_changes(old, new, changes)
    if per:
        lines += ["", "按单位:"]
        for name, items in per.items():
            lines.append(f"  {name}")
            lines += [f"    {item['ref']}: {item['words']}" for item in items]
    return "\n".join(lines)
