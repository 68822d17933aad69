"""Who carries a duty, where documents print it: a bracket at the end of an item.

（X负责） （X、Y负责） （X会同Y负责） （X牵头，Y配合） （X牵头，Y参与） （牵头单位：X；配合单位：Y）
（责任单位：X、Y） — lead and supporting units kept apart. In a 责任单位 list the first named
leads (as the seeds print them); in （X、Y负责） every unit named leads, unless the document
states a rule (排在第一位的为牵头单位, 列第一位为牵头单位，下同): then, from that statement on,
the first named leads and the others support. Words that name no unit (其他有关部门, 等相关单位)
are left out and the printed list kept in a note. A bracket whose words do not look like unit
names is no unit ending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checklist.authoring.unit_lists import unit_names

LEAD_LABELS = ("牵头负责单位", "牵头责任单位", "牵头单位", "牵头部门", "主责部门", "主责单位", "指导部门")
SUPPORT_LABELS = ("配合单位", "配合部门", "参与单位", "参与部门", "协办单位", "协助单位")
DUTY_LABELS = ("责任单位", "责任部门", "负责单位", "责任主体")
_LABEL = re.compile(rf"^\s*({'|'.join(LEAD_LABELS + SUPPORT_LABELS + DUTY_LABELS)})\s*[:：]\s*(.*?)\s*$")
RULE = re.compile(r"[，,；;]?\s*(?:排在|排|列在|列)第一位的?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)(?:[，,；;]\s*下同)?")
ENDING = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]*[)）])+)[)）]\s*[。.；;]?\s*$")
_LEAD_SUPPORT = re.compile(r"^(.+?)牵头(?:负责)?(?:[，,；;]\s*(.+?)(?:等)?(?:配合|参与|协助|协同|按职责分工负责|分工负责|负责)(?:落实)?)?$")
_WITH = re.compile(r"^(.+?)会同(.+?)(?:负责|落实|实施|推进)$")
_RESPONSIBLE = re.compile(r"^(.+?)(?:按职责分工|按职责|分别|共同|)(?:负责|落实)$")
_NOT_UNITS = re.compile(r"^(?:其他|其它|各|)(?:有关|相关)(?:部门|单位)$|^(?:其他|其它)(?:部门|单位)$")
UNIT_ENDINGS = (
    *("部", "委", "局", "办", "厅", "院", "署", "会", "中心", "政府", "行", "处", "室", "队", "站", "组", "所", "馆", "社"),
    *("联", "司", "团", "台", "府", "区", "县", "市", "省", "街道", "乡镇", "单位", "部门", "机构", "公司", "集团", "委员会"),
    *("办公室", "领导小组", "指挥部", "法院", "检察院", "总局", "分局", "支队", "大队", "党委", "党组", "协会", "学会"),
)
MAX_UNIT = 30  # characters: a longer "name" is a sentence


@dataclass
class Duty:
    """The units an item names, lead and supporting apart, as printed."""

    leads: list[str]
    supports: list[str] = field(default_factory=list)
    printed: str = ""
    label: str = ""  # the label printed before the list, if any
    left_out: bool = False  # words that name no unit were left out


def looks_like_unit(name: str) -> bool:
    """Whether a name reads as a unit's: short, no sentence punctuation, a unit's ending."""
    squeezed = "".join(name.split())
    return 0 < len(squeezed) <= MAX_UNIT and not any(c in squeezed for c in "。，；：,;:！？") and squeezed.endswith(UNIT_ENDINGS)


def _names(printed: str) -> tuple[list[str], bool]:
    names, changed = unit_names(printed.replace("\n", "、"))
    kept = [n for n in names if not _NOT_UNITS.match(n)]
    return kept, changed or len(kept) != len(names)


def parse(inner: str, first_leads: bool = False) -> Duty | None:
    """The units a bracket's words name, or None when they name none."""
    text = inner.strip()
    ruled = RULE.search(text)
    if ruled:
        text = (text[: ruled.start()] + text[ruled.end() :]).strip()
        first_leads = True
    parts = [p for p in re.split(r"[；;]", text) if p.strip()]
    labelled = [_LABEL.match(p) for p in parts]
    if parts and all(labelled):
        first = labelled[0]
        assert first is not None
        duty = Duty([], printed=first[2] if len(parts) == 1 else inner.strip(), label=first[1] if len(parts) == 1 else "")
        for m in labelled:
            assert m is not None
            names, changed = _names(m[2])
            duty.left_out |= changed
            if m[1] in SUPPORT_LABELS:
                duty.supports += names
            elif m[1] in LEAD_LABELS:
                duty.leads += names
            else:
                duty.leads += names[:1]
                duty.supports += names[1:]
        return duty if duty.leads or duty.supports else None
    if m := _WITH.match(text):
        leads, supports = _names(m[1]), _names(m[2])
        duty = Duty(leads[0], supports[0], inner.strip(), left_out=leads[1] or supports[1])
    elif (m := _LEAD_SUPPORT.match(text)) and "牵头" in text:
        leads = _names(re.sub(r"(?:分别|共同)$", "", m[1]))
        supports = _names(m[2]) if m[2] else ([], False)
        duty = Duty(leads[0], supports[0], inner.strip(), left_out=leads[1] or supports[1])
    elif m := _RESPONSIBLE.match(text):
        names, changed = _names(m[1])
        duty = (
            Duty(names[:1], names[1:], inner.strip(), left_out=changed) if first_leads else Duty(names, [], inner.strip(), left_out=changed)
        )
    else:
        return None
    every = duty.leads + duty.supports
    return duty if duty.leads and all(looks_like_unit(n) for n in every) else None


def ending(text: str, first_leads: bool = False) -> tuple[int, Duty] | None:
    """Where a paragraph's unit ending starts, and its units; None when it has none."""
    m = ENDING.search(text[-600:])
    if not m:
        return None
    duty = parse(m[1], first_leads)
    return (len(text) - len(text[-600:]) + m.start(), duty) if duty else None


def in_words(cell: str) -> bool:
    """Whether a unit cell says who does what in words (X牵头，Y配合) rather than listing units."""
    return bool(re.search(r"牵头|负责|配合|参与|会同|协助", cell))


def states_rule(text: str) -> bool:
    """Whether a paragraph states that the first unit named leads (排在第一位的为牵头单位)."""
    return bool(RULE.search(text))
