"""Printed unit lists (市医保局、市卫生健康委等相关单位) → the unit names they hold."""

from __future__ import annotations

import re

_ETC = re.compile(r"等(?:相关|有关|其他)?(?:单位|部门)?$")
_QUALIFIED = re.compile(r"^(.+?)[（(]([^（）()]+)[)）]$")
_UNIT_SUFFIX = ("处", "局", "委", "办", "室", "中心", "会", "部", "厅", "院", "所", "队", "站", "府", "组")


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
