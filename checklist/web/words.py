"""The web app's words for the domain's refusals: made for a page or a phone, in Chinese, naming the
field as the form labels it and the step the user can take here — never an option or a command.
Each code also has its HTTP status. The command line words the same codes its own way."""

from __future__ import annotations

from typing import Any

from checklist.errors import Refusal
from checklist.vocabulary import ACTIONS, ROLE_NAMES, field_name

# {field} is the field's Chinese name; the rest are the refusal's parameters (shown by SHOW)
WORDS: dict[str, str] = {
    "value.required": "请填写{field}",
    "value.too_long": "{field}过长：{length} 字，上限 {limit} 字",
    "value.character": "{field}第 {position} 个字符（{char}，{why}）无法保存和打印，请删除",
    "value.unprintable": "{field}第 {position} 个字符“{glyph}”（{char}）无法打印（报告字体中没有这个字），请删除或改用文字",
    "value.not_text": "{field}应为文字",
    "value.not_date": "{field}应为日期，格式 YYYY-MM-DD（如 2026-12-31）",
    "value.date_before": "{field}不能早于 {earliest}",
    "value.choice": "{field}应为 {allowed} 之一",
    "audit.catalog": "没有这个检查依据（目录）：{name}",
    "audit.unit_or_kind": "被检查单位与对象类型只能选其一",
    "audit.unknown_unit": "所选目录中没有单位“{name}”{suggestion}",
    "audit.unknown_kind": "所选目录中没有对象类型“{name}”{suggestion}",
    "audit.unknown_tag": "所选目录中没有标签 {tags}",
    "audit.unknown_chapter": "所选目录中没有章节“{chapter}”",
    "audit.no_checks": "所选单位或类型在该目录中没有适用的检查项",
    "audit.facts_targets": "事实声明表中有 {count} 个对象：请填写被检查对象名称，与表中名称一致",
    "audit.facts_file": "事实声明文件应为 .yaml、.csv 或 .xlsx",
    "answer.unknown_check": "该检查记录中没有此检查项",
    "answer.changed": "此项刚被他人改为“{current}”，请刷新后再改",
    "move.role_unknown": "角色无效",
    "move.status": "当前状态为“{status}”，不能办理“{action}”",
    "move.major_only": "“{action}”仅适用于重大事故隐患",
    "move.role": "“{action}”须由{roles}办理",
    "move.needs": "请填写{missing}",
    "move.plan": "重大事故隐患须先填全治理方案才能办理此项，尚缺：{missing}",
    "move.due_not_later": "新的整改期限须晚于当前期限 {current}",
    "move.changed": "该隐患刚被{by}修改（{action}），您的修改未保存，请刷新后重试",
    "hazard.unknown": "未找到隐患 {hazard}",
    "hazard.not_open": "只能复查未销号的隐患；已关闭：{hazards}",
    "hazard.none_open": "{unit}没有待复查的隐患",
    "recheck.selection": "请选择被检查单位或要复查的隐患（二者选一）",
    "recheck.several": "所选隐患分属多个{what}（{values}），请逐个复查",
    "recheck.duplicate": "{first} 与 {second} 是同一检查项 {check} 的未销号隐患，请分开复查",
    "audit.not_imported": "该检查记录的隐患尚未登记入台账",
    "span.backwards": "结束日期 {last} 早于开始日期 {first}",
    "stats.period": "请选择季度或年度（二者选一）",
    "stats.quarter": "季度格式应为 2026Q4",
    "sample.rate": "抽查比例应大于 0 且不超过 100%（如 0.01 或 1%）",
    "users.unknown": "没有用户 {name}",
    "users.exists": "用户 {name} 已存在",
    "users.unit_needed": "被检查单位用户须填写所属单位",
    "users.unit_not_allowed": "只有被检查单位用户属于某个单位",
    "users.password_short": "密码至少 {limit} 个字符",
    "register.url": "数据库地址无效",
    "register.not_empty": "恢复须在空台账中进行",
    "output.exists": "{path} 已存在",
    "calendar.no_year": "尚未收录{year}年的法定节假日安排，无法按工作日计算",
}
STATUS: dict[str, int] = {
    "answer.unknown_check": 404,
    "hazard.unknown": 404,
    "answer.changed": 409,
    "move.status": 409,
    "move.major_only": 409,
    "move.plan": 409,
    "move.changed": 409,
    "move.role": 403,
    "users.unknown": 404,
    "users.exists": 409,
}
WHY = {
    "control character": "控制字符",
    "invisible bidirectional control": "不可见的文字方向控制符",
    "invisible format character": "不可见的格式字符",
    "noncharacter": "非字符",
    "lone surrogate": "不成对的代理码元，无法存储",
    "line or paragraph separator": "行或段落分隔符",
}
SHOW: dict[str, Any] = {
    "action": lambda a: ACTIONS.get(a, a),
    "roles": lambda v: "或".join(ROLE_NAMES.get(r, r) for r in v),
    "missing": lambda v: "、".join(field_name(f) for f in v),
    "why": lambda v: WHY.get(v, v),
    "allowed": lambda v: "、".join(ACTIONS.get(a, a) for a in v),
}


def word(error: Refusal) -> str:
    params = {k: SHOW.get(k, _plain)(v) for k, v in error.params.items()}
    if "close" in error.params:
        close = list(error.params["close"])
        params["suggestion"] = f"，是否指：{'、'.join(close)}？" if close else ""
    return WORDS[error.code].format(field=field_name(error.field), **params)


def status(error: Refusal) -> int:
    return STATUS.get(error.code, 400)


def _plain(value: Any) -> str:
    return "、".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
