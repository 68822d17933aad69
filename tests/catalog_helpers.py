"""Documents a department receives, made in the test with python-docx: a 工作任务分工 table whose
third row names no unit (the importer flags it), and its revision (a task reworded, a unit moved,
a task added, a new 文号)."""

from __future__ import annotations

from pathlib import Path

HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
TITLE = "示例区安全生产工作任务分工方案"
FIRST = [
    ["1", "建立安全生产责任制，明确各部门职责。", "区应急局", "区财政局", "2026年6月底前"],
    ["2", "每季度开展一次安全生产大检查。", "区应急局", "各街道办事处", "每季度"],
    ["3", "加强重点行业领域监管执法。", "按照职责分工抓好落实并定期报告进展情况", "", "持续推进"],
    ["4", "组织安全生产培训。", "区人力社保局", "区应急局", "2026年底前"],
]
REVISED = [
    ["1", "建立安全生产责任制，明确各部门职责。", "区应急局", "区财政局", "2026年6月底前"],
    ["2", "每季度开展一次安全生产大检查和隐患排查。", "区应急局", "各街道办事处", "每季度"],
    ["3", "加强重点行业领域监管执法。", "区应急局", "", "持续推进"],
    ["4", "组织安全生产培训。", "区人力社保局", "区财政局", "2026年底前"],
    ["5", "建立安全生产举报奖励制度。", "区财政局", "区应急局", "2026年9月底前"],
]
DOC_NO, REVISED_DOC_NO = "示安发〔2026〕3号", "示安发〔2026〕5号"


def plan_docx(path: Path, rows: list[list[str]] = FIRST, doc_no: str = DOC_NO) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph(doc_no)
    table = d.add_table(rows=1, cols=len(HEADER))
    for k, h in enumerate(HEADER):
        table.rows[0].cells[k].text = h
    for row in rows:
        cells = table.add_row().cells
        for k, value in enumerate(row):
            cells[k].text = value
    d.save(path)
    return path
