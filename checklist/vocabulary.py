"""The words of the domain, once: results, hazard levels, statuses, actions, plan parts, roles and
the names of the fields people fill in. The values are the ones files and the register store (the
source documents' own terms); click choices, templates and the browser's script all read them
from here (the pages get ``as_data()`` as JSON), so no surface keeps a copy."""

from __future__ import annotations

# Results of a check
PASS, FAIL, NA, UNCHECKED = "pass", "fail", "na", "unchecked"
RESULTS = (PASS, FAIL, NA, UNCHECKED)
RESULT_NAMES = {PASS: "符合", FAIL: "不符合", NA: "不适用", UNCHECKED: "未检查"}

# Hazard levels (京广发〔2026〕11号 第四条), and the words accepted for them at a prompt or in a file
GENERAL, MAJOR = "一般隐患", "重大事故隐患"
LEVELS = (GENERAL, MAJOR)
HAZARD_WORDS = {"1": GENERAL, "一般": GENERAL, GENERAL: GENERAL, "2": MAJOR, "重大": MAJOR, MAJOR: MAJOR}
# What a 重大事故隐患's grading rests on (第四条): an item of 《广播电视行业安全生产重大事故隐患特征清单》,
# or BASIS_OTHER with the reason
CRITERIA = "《广播电视行业安全生产重大事故隐患特征清单》"
BASIS_OTHER = "其他"

# The six parts of a 重大事故隐患's 治理方案, by the key a finding uses: 原国家安全生产监督管理总局令第16号
# 第十五条, which is not among the sources (the catalog's note on 第四十条 says so; the basis is 京广发〔2026〕11号)
PLAN_PARTS = {
    "goal": "目标和任务",
    "method": "方法和措施",
    "funds": "经费和物资",
    "team": "负责治理的机构和人员",
    "schedule": "时限和要求",
    "safety": "安全措施和应急预案",
}

# Statuses of a hazard in the register
TODO, DOING, REVIEW, CLOSED, REVOKED = "待整改", "整改中", "待复查", "已销号", "已撤销"
STATUSES = (TODO, DOING, REVIEW, CLOSED, REVOKED)
OPEN = (TODO, DOING, REVIEW)

# Moves of a hazard: the name a command uses → its Chinese name in the log and on paper
ACTIONS = {
    "register": "登记",
    "amend": "更新登记",
    "start": "开始整改",
    "rectify": "整改完成",
    "pass": "复查通过",
    "fail": "复查不通过",
    "recheck-pass": "再抽查符合",
    "recheck-fail": "再抽查不符合",
    "extend": "延期",
    "supervise": "挂牌督办",
    "revoke": "撤销",
    "grade": "定级依据",
    "plan": "治理方案",
    "request-extension": "申请延期",
    "approve-extension": "批准延期",
    "refuse-extension": "不予延期",
    "assess": "治理评估",
    "signoff": "督办销号",
    "issue": "发文",
    "issuer": "设置发文机关",  # a paper issued under its 文号 (not a move: the hazard stays as it is)
    "notify": "通报",  # records of 第九条 and 第十三条 (not moves)
    "interview": "约谈",
    "handover": "线索移交",
    "business": "企业信息",  # a business of the 生产经营单位信息台账 (第三十二条), added or changed
    "baseline": "基线存证",  # a row as it stood when its register was upgraded (or restored) from before r0004
}

# Records the seed requires beside the moves: 通报 and 约谈 (第九条), a lead handed to the 纪检监察 body (第十三条)
RECORD_KINDS = {"notify": "通报", "interview": "约谈", "handover": "线索移交"}
HANDOVER_BODIES = ("局机关纪委", "驻局纪检组")  # 第十三条: "按程序移交局机关纪委或驻局纪检组"
# The papers a bureau sends, each under its own 文号
PAPERS = {
    "notice": "隐患整改通知书",
    "opinion": "整改复查意见书",
    "supervision": "重大事故隐患督办通知书",
    "signoff": "重大事故隐患督办销号通知书",
}

# Who may do what (the register's lifecycle table and the web app's users); an editor makes and
# publishes catalogs in the web app and makes no lifecycle move
ROLES = ("admin", "inspector", "unit", "editor")
ROLE_NAMES = {"admin": "管理员", "inspector": "检查员", "unit": "被检查单位", "editor": "编辑"}
HAZARD_ROLES = ROLES[:3]  # the roles the lifecycle table names
# Who signs a record on the device (an audit's ``signatures``, a 复查's signatures)
SIGNER_ROLES = {"inspector": "检查人员", "unit": "被检查单位负责人"}

# A unit's part in a duty (catalog ``responsible``)
LEAD, SUPPORT = "lead", "support"
DUTY_ROLE_NAMES = {LEAD: "牵头", SUPPORT: "配合"}

# The fields people fill in, by the name refusals give them (dotted inside a record)
FIELD_NAMES = {
    "catalog": "检查依据",
    "catalog_id": "目录编号",
    "source_file": "来源文件",
    "unit": "被检查单位",
    "kind": "对象类型",
    "target": "被检查对象",
    "target.name": "被检查对象名称",
    "target.address": "地址",
    "target.kind": "对象类别",
    "inspectors": "检查人员",
    "date": "检查日期",
    "title": "报告标题",
    "inspecting_body": "检查单位",
    "facts": "事实声明文件",
    "check": "检查项",
    "result": "检查结果",
    "note": "备注",
    "reason": "理由",
    "finding": "隐患信息",
    "finding.hazard": "隐患等级",
    "finding.measure": "整改措施",
    "finding.owner": "整改责任人",
    "finding.due": "整改期限",
    "finding.place": "隐患部位",
    "finding.interim_measures": "临时安全措施",
    "finding.description": "隐患描述",
    "finding.basis": "定级依据",
    "finding.basis_reason": "定级理由",
    **{f"finding.plan.{k}": f"治理方案·{v}" for k, v in PLAN_PARTS.items()},
    "action": "操作",
    "version": "记录版本",
    "measure": "整改措施",
    "due": "新的整改期限",
    "approver": "批准人",
    "supervisor_unit": "督办单位",
    "deadline": "督办期限",
    "number": "督办编号",
    "plan": "治理方案",
    **{f"plan_{k}": f"治理方案·{v}" for k, v in PLAN_PARTS.items()},
    "plan_author": "方案制定人（主要负责人）",
    "basis": "定级依据",
    "basis_reason": "定级理由",
    "assessment": "治理评估",
    "assessor": "评估人（单位）",
    "conclusion": "评估结论",
    "attachment": "评估报告附件",
    "signoff": "督办销号",
    "opinion": "督办销号意见",
    "supervisor_consent": "督办单位同意延期意见",
    "organiser": "组织单位",
    "whom": "对象",
    "matter": "事由",
    "follow_up": "后续要求",
    "on": "办理日期",
    "held_on": "日期",
    "description": "隐患描述",
    "credit_code": "统一社会信用代码",
    "industry": "行业",
    "grade": "分级分类",
    "contact": "联系人及电话",
    "business": "企业",
    "business.name": "企业名称",
    "business.industry": "行业",
    "business.grade": "分级分类",
    "business.contact": "联系人",
    "body": "发文机关",
    "prefix": "文号前缀",
    "paper": "文书",
    "photo": "照片",
    "signature": "签名",
    "signature.name": "签字人姓名",
    "signature.title": "职务",
    "signature.role": "签字身份",
    "name": "用户名",
    "by": "办理人",
    "role": "角色",
    "password": "密码",
    "quarter": "季度",
    "year": "年度",
    "rate": "抽查比例",
    "db": "数据库",
    "output": "输出文件",
    "audit": "检查记录",
    "hazard": "隐患编号",
    "tags": "标签",
    "chapters": "章节",
    "last": "结束日期",
    "anchor": "链头校验值",
    # a catalog draft, as the review page labels its fields
    "draft": "目录草稿",
    "clause": "条款",
    "clause.id": "条款编号",
    "clause.ref": "条款号",
    "clause.chapter": "章",
    "clause.section": "节",
    "clause.heading": "标题",
    "clause.text": "条款内容",
    "clause.fields": "分项内容",
    "clause.responsible": "责任单位",
    "clause.checks": "检查问题",
    "clause.tags": "标签",
    "clause.recurrence": "周期",
    "clause.note": "说明",
    "clause.split": "拆分位置",
    "catalog.title": "文件标题",
    "catalog.doc_no": "文号",
    "catalog.issuer": "发文机关",
    "catalog.issued": "发文日期",
    "unit.name": "单位名称",
    "unit.aliases": "别名",
    "review": "核对意见",
}


def field_name(field: str | None) -> str:
    """The Chinese name of a field as people see it on a form (the last part when not listed)."""
    if not field:
        return ""
    return FIELD_NAMES.get(field) or FIELD_NAMES.get(field.rsplit(".", 1)[-1], field)


def as_data() -> dict:
    """Everything above as plain data, for a page's script."""
    return {
        "results": RESULT_NAMES,
        "levels": list(LEVELS),
        "statuses": list(STATUSES),
        "open": list(OPEN),
        "actions": ACTIONS,
        "plan_parts": PLAN_PARTS,
        "roles": ROLE_NAMES,
        "fields": FIELD_NAMES,
    }
