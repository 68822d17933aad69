"""The catalog pages' words: a problem ``validate`` finds in a draft, said in Chinese on its field
(the check's own words kept as the detail), a finding of the import's quality report by its
kind, and a line's place in the source document as the review page labels it."""

from __future__ import annotations

from checklist.vocabulary import field_name

# by the schema keyword that failed, or the name of the catalog cross-check
PROBLEMS = {
    "minLength": "{field}不能为空",
    "minItems": "{field}不能为空",
    "minProperties": "{field}不能为空",
    "required": "缺少必填项{field}",
    "pattern": "{field}格式不对：编号只能用字母、数字和 . _ -",
    "enum": "{field}的取值不在允许范围内",
    "const": "{field}的取值不在允许范围内",
    "type": "{field}的写法不对",
    "oneOf": "{field}的写法不对，请按页面上的选项填写",
    "anyOf": "{field}的写法不对，请按页面上的选项填写",
    "additionalProperties": "{field}中有无法识别的项",
    "minimum": "{field}的数值过小",
    "maximum": "{field}的数值过大",
    "format": "{field}应为日期，格式 YYYY-MM-DD",
    "unique-ids": "编号重复：每个条款和检查问题的编号须唯一",
    "known-units": "单位未在本目录中登记",
    "lead-first": "牵头单位应排在配合单位之前",
    "article-ref": "条款号无法识别（如 第三条、第十四条第2项）",
    "duty-checks": "本条有责任单位，须至少有一个检查问题",
    "applies-to": "提问对象须是本条的责任单位",
    "recurrence": "周期与本条不符：须有责任单位，按时限计算的周期须有时限规则",
    "step-order": "时限步骤须从起算日或前一步骤起算",
    "known-kinds": "对象类别未在本目录中登记",
    "placeholder": "请替换导入时留下的占位内容：{value}",
}
FINDING_KINDS = {
    "incomplete item": "条目不完整",
    "gap": "编号缺失",
    "absorbs item numbers": "吞并了其他条目的编号",
    "oversized": "条款过长",
    "number repeated": "编号重复",
    "numbers out of order": "编号顺序不对",
    "heading glued to an item": "标题粘连在条目末尾",
    "units unlike unit names": "责任单位存疑",
    "ambiguous radical": "字形存疑（康熙部首）",
}
CLAUSE_FIELDS = {"checks", "responsible", "text", "ref", "id", "chapter", "section", "heading", "tags", "recurrence", "note", "fields"}


def problem(p: dict) -> dict:
    """A problem of ``authoring.draft_check.problems`` with its Chinese words (``words``) and the
    field the page shows it on (``field``: a clause's field, or title, source.doc_no, units.ID …)."""
    field = p["field"]
    if p["clause"] is not None:
        top = field.split(".", 1)[0] if field else ""
        field = top if top in CLAUSE_FIELDS else ""
        name = field_name(f"clause.{field}") if field else "条款"
    elif field.startswith("source."):
        name = field_name(f"catalog.{field.split('.')[1]}")
    elif field.startswith("units"):
        name = field_name("unit.name")
    else:
        name = field_name(f"catalog.{field}") if field else "目录"
    value = p["message"].split(": ", 1)[-1]
    words = PROBLEMS.get(p["check"], "{field}校验未通过").format(field=name, value=value)
    return {"clause": p["clause"], "field": field, "words": words, "detail": p["message"], "path": p["path"]}


def place(p: dict) -> str:
    """A line's place in the source as the page shows it: 第3段, 表1第4行, 第2页第12行, 第12行."""
    page = f"第{p['page']}页" if p.get("page") else ""
    if p["kind"] == "table":
        return f"{page}表{p.get('table', '')}第{p['index']}行"
    if p["kind"] == "paragraphs":
        return f"第{p['index']}段"
    end = p.get("end", 0)
    return f"{page}第{p['index']}行" + (f"至第{end}行" if end and end != p["index"] else "")


def source_place(sp: dict | None) -> str:
    """A clause's ``source_place`` in words: 表1第3至4行, 第5段, 第12至15行."""
    if not isinstance(sp, dict) or "kind" not in sp:
        return ""
    page = f"第{sp['page']}页" if sp.get("page") else ""
    if sp["kind"] == "table":
        rows = f"{sp['row']}至{sp['to']}" if sp.get("to") and sp["to"] != sp["row"] else str(sp["row"])
        return f"{page}表{sp['table']}第{rows}行"
    span = f"{sp['from']}至{sp['to']}" if sp.get("to") and sp["to"] != sp["from"] else str(sp["from"])
    return f"{page}第{span}{'段' if sp['kind'] == 'paragraphs' else '行'}"
