"""The web app's words for the domain's refusals: made for a page or a phone, in Chinese, naming the
field as the form labels it and the step the user can take here — never an option or a command.
Each code also has its HTTP status. The command line words the same codes its own way."""

from __future__ import annotations

from typing import Any

from checklist.errors import ChecklistError, InvalidFileError, Refusal
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
    "value.credit_code": "{field} {value} 不是有效的统一社会信用代码",
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
    "audit.signed": "本次检查已由 {signers} 签字确认，答案不能再修改；如需再查，请开始新的检查（复查）",
    "signature.image": "签名无效：请在签名框内手写签名后再提交",
    "move.role_unknown": "角色无效",
    "move.status": "当前状态为“{status}”，不能办理“{action}”",
    "move.major_only": "“{action}”仅适用于重大事故隐患",
    "move.role": "“{action}”须由{roles}办理",
    "move.needs": "请填写{missing}",
    "move.plan": "重大事故隐患须先填全治理方案才能办理此项，尚缺：{missing}",
    "move.basis": "重大事故隐患须先写明定级依据（重大事故隐患特征清单的条目，或“其他”并说明理由）",
    "move.assessment": "重大事故隐患销号前须录入治理评估（评估人、日期、结论和评估报告）",
    "move.signoff": "该隐患由{supervisor}挂牌督办，须先经督办单位督办销号才能销号",
    "move.not_supervised": "该隐患未挂牌督办，无需督办销号",
    "move.own_rectification": "{by}报告了整改完成，不能复查本人的整改，请由其他人员复查",
    "move.no_request": "被检查单位尚未申请延期",
    "move.past_deadline": "新的整改期限 {due} 超过督办期限 {deadline}，须经督办单位{supervisor}同意（请填写督办单位同意延期意见）",
    "move.date_order": "办理日期 {on} 早于上一步（{last_action}）的日期 {last}",
    "move.attachment": "评估报告应为 PDF、JPEG 或 PNG 文件",
    "record.role": "{kind}记录须由{roles}录入",
    "record.subject": "请选择该记录针对的单位或隐患",
    "record.unknown": "未找到记录 {record}",
    "paper.kind": "没有这种文书",
    "paper.role": "{paper}须由{roles}签发",
    "paper.no_issuer": "尚未设置{paper}的发文机关和文号前缀，请管理员先设置",
    "paper.nothing": "{hazard} 尚无可出具{paper}的{what}",
    "business.unknown": "生产经营单位信息台账中没有 {business}",
    "move.due_not_later": "新的整改期限须晚于当前期限 {current}",
    "move.changed": "该隐患刚被{by}修改（{action}），您的修改未保存，请刷新后重试",
    "hazard.unknown": "未找到隐患 {hazard}",
    "hazard.not_open": "只能复查未销号的隐患；已关闭：{hazards}",
    "hazard.none_open": "{unit}没有待复查的隐患",
    "recheck.selection": "请选择被检查单位或要复查的隐患（二者选一）",
    "recheck.several": "所选隐患分属多个{what}（{values}），请逐个复查",
    "recheck.duplicate": "{first} 与 {second} 是同一检查项 {check} 的未销号隐患，请分开复查",
    "audit.not_imported": "该检查记录的隐患尚未登记入台账",
    "review.none": "尚无复查记录：{hazards}",
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
    "register.not_empty": "恢复须在空台账中进行（不能已有隐患或用户）",
    "output.exists": "{path} 已存在",
    "file.exists": "{path} 已存在",
    "import.catalog_id": "目录编号“{value}”不可用：请用小写字母、数字和连字符（如 my-draft）",
    "import.unreadable": "无法读取文件 {value}（{format}）：{reason}",
    "calendar.no_year": "尚未收录{year}年的法定节假日安排，无法按工作日计算",
    "register.missing": "找不到隐患台账数据库",
    "register.port": "数据库地址的端口应为 1 至 65535 的数字",
    "stats.year": "{field}应在 {first} 至 {last} 年之间",
    "log.anchor": "{field}应为台账上印出的链头（{shortest} 至 64 位十六进制数字）",
    "catalog.op": "无法识别的修改：{op}",
    "catalog.unknown_clause": "草稿中没有条款 {clause}（可能已被他人删除或合并），请刷新",
    "catalog.unknown_finding": "草稿中没有这条核对意见，请刷新",
    "catalog.unknown_unit": "草稿中没有这个单位，请刷新",
    "catalog.unit_in_use": "单位仍被条款 {clauses} 引用，请先从这些条款中移除",
    "catalog.split": "请在条款内容中间选择拆分位置（前后都须有文字）",
    "catalog.merge": "{clause} 已是最后一条，后面没有可合并的条款",
    "catalog.changed": "草稿刚被{by}修改（{at}），您的修改未保存，请刷新后重试",
    "catalog.no_draft": "目录 {catalog} 没有草稿",
    "catalog.draft_exists": "目录 {catalog} 已有草稿（{by}创建），请先发布或放弃该草稿",
    "catalog.id_taken": "目录编号 {catalog} 已被内置目录使用，请另选编号",
    "catalog.not_ready": "暂不能发布：尚有 {errors} 处错误需改正、{findings} 条核对意见未核对",
    "catalog.published": "{catalog} 第 {version} 版已发布，已发布的版本不能修改；请新建下一版草稿",
    "catalog.unknown": "没有已发布的目录 {catalog}",
    "catalog.upload": "请选择要导入的文件（.html、.docx、.pdf、.md 或 .txt）",
}
STATUS: dict[str, int] = {
    "answer.unknown_check": 404,
    "hazard.unknown": 404,
    "answer.changed": 409,
    "audit.signed": 409,
    "move.status": 409,
    "move.major_only": 409,
    "move.plan": 409,
    "move.basis": 409,
    "move.assessment": 409,
    "move.signoff": 409,
    "move.not_supervised": 409,
    "move.own_rectification": 403,
    "move.no_request": 409,
    "move.past_deadline": 409,
    "record.unknown": 404,
    "record.role": 403,
    "paper.role": 403,
    "paper.no_issuer": 409,
    "paper.nothing": 409,
    "move.changed": 409,
    "move.role": 403,
    "users.unknown": 404,
    "users.exists": 409,
    "catalog.unknown_clause": 409,
    "catalog.unknown_finding": 409,
    "catalog.unknown_unit": 409,
    "catalog.unit_in_use": 409,
    "catalog.changed": 409,
    "catalog.no_draft": 404,
    "catalog.draft_exists": 409,
    "catalog.id_taken": 409,
    "catalog.not_ready": 409,
    "catalog.published": 409,
    "catalog.unknown": 404,
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
    "at": lambda v: _beijing(str(v)),
    "last_action": lambda a: ACTIONS.get(a, a),
}


def problems(error: ChecklistError) -> str:
    """What is wrong with a file, as a page says it: each problem at its place in the file
    (第 3 行第 5 列), without the path it has on the server; any other error's words as they are."""
    found = error.problems if isinstance(error, InvalidFileError) else [error]
    return "；".join(
        f"第 {p.line} 行第 {p.column} 列：{p.message}" if p.path and (p.line, p.column) != (1, 1) else p.message for p in found
    )


def word(error: Refusal) -> str:
    params = {k: SHOW.get(k, _plain)(v) for k, v in error.params.items()}
    if "close" in error.params:
        close = list(error.params["close"])
        params["suggestion"] = f"，是否指：{'、'.join(close)}？" if close else ""
    return WORDS[error.code].format(field=field_name(error.field), **params)


def status(error: Refusal) -> int:
    return STATUS.get(error.code, 400)


def _beijing(stamp: str) -> str:
    """A stored time (ISO, UTC) as people at the bureau read it."""
    import datetime as dt

    from checklist.dates import zone

    try:
        return dt.datetime.fromisoformat(stamp).astimezone(zone()).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def _plain(value: Any) -> str:
    return "、".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
