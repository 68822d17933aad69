"""Risk-point files (YAML, CSV, XLSX): every bad cell at file:row:col, the working shown by
`risk assess`, `risk list` filters, and the questions the hazard register will ask."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook
from paths import EXAMPLES, ROOT

from checklist.i18n import gettext
from checklist.risk.grading import assess

EXAMPLE_XLSX = ROOT / "examples" / "risk" / "transmitting-station.xlsx"
EXAMPLE_YAML = ROOT / "examples" / "risk" / "transmitting-station.yaml"
POINTS = EXAMPLES / "risk-points" / "valid" / "points.yaml"

HEADER = [
    "编号",
    "风险点",
    "位置",
    "单位",
    "作业活动",
    "设备设施",
    "危险因素",
    "事故类型",
    "评价方法",
    "L",
    "E",
    "C",
    "S",
    "管控措施",
    "管控层级",
    "调整理由",
    "责任人",
    "应急处置措施",
]
GOOD = [
    "FS-01",
    "发射机高压部分",
    "发射机房",
    "发射部",
    "值机",
    "",
    "高压",
    "触电、灼烫",
    "LEC",
    "6",
    "3",
    "15",
    "",
    "联锁",
    "",
    "",
    "王建国",
    "断电",
]


def _csv(tmp_path, rows, header=HEADER):
    path = tmp_path / "points.csv"
    lines = [",".join(header)] + [",".join(r) for r in rows]
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _row(**changes):
    row = dict(zip(HEADER, GOOD, strict=True))
    row.update(changes)
    return [row[h] for h in HEADER]


def test_the_example_sheet_grades_thirty_points_of_every_level():
    g = assess(EXAMPLE_XLSX)
    assert len(g.assessments) == 30
    assert g.totals() == {"重大": 3, "较大": 6, "一般": 11, "低": 10}
    assert {a.method.id for a in g.assessments} == {"LEC", "LS"}
    # the sheet and the YAML are the same table
    assert [a.as_dict() | {"source": ""} for a in g.assessments] == [a.as_dict() | {"source": ""} for a in assess(EXAMPLE_YAML).assessments]


def test_assess_shows_the_working(run, tmp_path):
    path = _csv(tmp_path, [_row()])
    result = run("risk", "assess", path)
    assert result.exit_code == 0, result.output
    assert "FS-01 发射机高压部分（发射部）：D = 6 × 3 × 15 = 270 → 较大风险 (橙)；管控层级 部门" in result.output
    assert "1 个风险点：重大 0，较大 1，一般 0，低 0" in result.output


def test_assess_json(run):
    result = run("risk", "assess", POINTS, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    first = data["points"][0]
    assert (first["id"], first["score"], first["level"], first["colour"], first["control_level"]) == ("TK-01", 360, "重大", "红", "单位")
    assert first["working"] == "D = 3 × 3 × 40 = 360 → 重大风险 (红)"
    pd = data["points"][1]
    assert (pd["control_level"], pd["control_derived"], pd["control_reason"]) == ("单位", "部门", "高压倒闸操作由台长审批")
    assert data["points"][2]["accidents"] == ["其它伤害"]  # 其他伤害 as written, the standard's spelling kept
    assert data["totals"] == {"重大": 1, "较大": 1, "一般": 0, "低": 1}


def test_bad_cells_each_at_row_and_column(run, tmp_path):
    path = _csv(
        tmp_path,
        [
            _row(),
            _row(**{"编号": "FS-02", "评价方法": "HAZOP"}),
            _row(**{"编号": "FS-03", "L": "4", "S": "2"}),
            _row(**{"编号": "FS-04", "事故类型": "触电、电击"}),
            _row(**{"编号": "FS-05", "危险因素": ""}),
            _row(**{"编号": "FS-01"}),
            _row(**{"编号": "FS-06", "管控层级": "岗位"}),
            _row(**{"编号": "FS-07", "作业活动": ""}),
            _row(**{"编号": "FS-08", "评价方法": "LS", "L": "2", "E": "", "C": "", "S": "六"}),
        ],
    )
    result = run("risk", "assess", path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    where = str(path)
    assert lines == [
        f"{where}:3:9: 评价方法: 未知评价方法 'HAZOP'；已有：LEC、LS [risk-points]",
        f"{where}:4:10: L: L = 4 不在 LEC 的取值表中（事故发生的可能性：10、6、3、1、0.5、0.2、0.1） [risk-points]",
        f"{where}:4:13: S: S 不是 LEC（D = L × E × C）的因素 [risk-points]",
        f"{where}:5:8: 事故类型: '电击' 不是 GB 6441 规定的事故类型（{'、'.join(assess(POINTS).methods.accident_types)}） [risk-points]",
        f"{where}:6:7: “危险因素”为空 [risk-points]",
        f"{where}:7:1: 编号 'FS-01' 重复：编号必须唯一，隐患会引用它 [risk-points]",
        f"{where}:8:15: 管控层级: 管控层级 岗位 与按风险等级得出的 部门 不同：请给出理由（control_reason / 调整理由） [risk-points]",
        f"{where}:9:5: 作业活动/设备设施: 请给出作业活动或设备设施，或两者都给出 [risk-points]",
        f"{where}:10:13: S: S：'六' 不是数字 [risk-points]",
    ]


def test_a_changed_control_level_with_its_reason_is_kept(tmp_path):
    g = assess(_csv(tmp_path, [_row(**{"管控层级": "单位", "调整理由": "台长直接管控"})]))
    a = g.assessments[0]
    assert (a.control, a.derived_control, a.overridden, a.point.control_reason) == ("单位", "部门", True, "台长直接管控")


def test_unknown_and_missing_columns(run, tmp_path):
    header = [h for h in HEADER if h != "责任人"] + ["备注"]
    path = _csv(tmp_path, [GOOD[:-2] + GOOD[-1:] + [""]], header=header)
    result = run("risk", "assess", path)
    assert result.exit_code == 1
    assert f"{path}:1:18: 未知列 '备注'" in result.output
    assert f"{path}:1:1: 没有“责任人”列" in result.output


def test_xlsx_errors_name_the_sheet(run, tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "风险点"
    ws.append(HEADER)
    ws.append(_row(**{"C": 16}))
    ws.append(_row(**{"编号": "FS-02", "L": 0.5, "E": 6, "C": 40}))
    path = tmp_path / "points.xlsx"
    book.save(path)
    result = run("risk", "assess", path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}[风险点]:2:12: C: C = 16 不在 LEC 的取值表中（发生事故可能造成的后果：100、40、15、7、3、1） [risk-points]"
    ]
    path.write_bytes(b"not a zip")
    result = run("risk", "assess", path)
    assert result.exit_code == 2 and "不是可读取的 XLSX 工作簿" in result.output


def test_numbers_typed_as_numbers_in_xlsx(tmp_path):
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(_row(**{"编号": 7, "L": 0.5, "E": 6.0, "C": 40}))
    book.save(tmp_path / "p.xlsx")
    a = assess(tmp_path / "p.xlsx").assessments[0]
    assert a.point.id == "7" and a.working == "D = 0.5 × 6 × 40 = 120 → 一般风险 (黄)"


def test_unreadable_and_unknown_files(run, tmp_path):
    assert run("risk", "assess", tmp_path / "none.csv").exit_code == 2
    (tmp_path / "p.txt").write_text("x", encoding="utf-8")
    result = run("risk", "assess", tmp_path / "p.txt")
    assert result.exit_code == 2 and "必须是 .yaml、.csv 或 .xlsx 文件" in result.output
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    assert run("risk", "assess", tmp_path / "empty.csv").exit_code == 1


def test_list_filters_by_unit_and_level(run):
    result = run("risk", "list", EXAMPLE_XLSX, "--unit", "动力部", "--level", "较大")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split("\t")[1] for line in lines[:-1]] == ["PD-01", "YL-02"]  # D 240 before R 15: order within a level is by score
    assert lines[-1] == "2 个风险点：重大 0，较大 2，一般 0，低 0"
    result = run("risk", "list", EXAMPLE_XLSX, "--level", "红")
    assert [line.split("\t")[1] for line in result.output.splitlines()[:-1]] == ["TK-01", "YL-01", "ZH-01"]
    assert run("risk", "list", EXAMPLE_XLSX, "--unit", "财务部").exit_code == 2
    assert "未知等级" in run("risk", "list", EXAMPLE_XLSX, "--level", "紫").output


def test_what_the_register_asks():
    """A hazard names a risk point by id; the register asks its level and a unit's points, highest first."""
    g = assess(EXAMPLE_YAML)
    assert g.level_of("TK-01").name == "重大风险"
    assert g.level_of(" ＴＫ-01 ").id == "重大"  # NFKC and spaces, as typed
    assert g.level_of("XX-99") is None
    power = g.by_unit()["动力部"]
    assert [a.level.rank for a in power] == sorted(a.level.rank for a in power)
    assert power[0].point.id == "YL-01" and power[0].control == "单位"
    assert list(g.by_unit()) == ["发射部", "天馈部", "动力部", "综合办公室"]


def test_methods_option_changes_the_grade(run):
    own = EXAMPLES / "risk-methods" / "valid" / "own-lec.yaml"
    result = run("risk", "assess", EXAMPLES / "risk-points" / "valid" / "own-methods.yaml")
    assert "D = 1 × 6 × 40 = 240 → 重大风险 (红)" in result.output  # the file's own methods_file
    result = run("risk", "assess", POINTS, "--methods", own)
    assert "PD-01 高压配电室（动力部）：D = 1 × 6 × 40 = 240 → 重大风险 (红)；管控层级 单位" in result.output
    result = run("risk", "assess", POINTS)
    assert "D = 1 × 6 × 40 = 240 → 较大风险 (橙)；管控层级 单位（由 部门 调整：高压倒闸操作由台长审批）" in result.output


@pytest.mark.parametrize("command", ["assess", "list", "report", "cards"])
def test_help_lists_exit_codes(run, command):
    result = run("risk", command, "--help")
    assert result.exit_code == 0 and gettext("Exit codes:") in result.output


def test_attention_puts_major_points_with_open_hazards_first():
    g = assess(EXAMPLE_YAML)
    assert g.unknown(["TK-01", "XX-99", "ｐｄ-01"]) == ["XX-99", "ｐｄ-01"]  # ids are case-sensitive, NFKC-folded
    order = g.attention({"YL-01": 1, "FS-01": 3, "KT-02": 5})
    assert [(a.point.id, n) for a, n in order[:4]] == [("YL-01", 1), ("TK-01", 0), ("ZH-01", 0), ("FS-01", 3)]
    assert order[-1][0].level.id == "低" and len(order) == 30
    power = g.attention({"KT-02": 2}, unit="动力部")
    assert power[0][0].point.id == "YL-01"  # 重大 without open hazards still before 较大
    assert next((a.point.id, n) for a, n in power if n) == ("KT-02", 2)


def test_list_json(run):
    result = run("risk", "list", POINTS, "--format", "json", "--level", "低")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [p["id"] for p in data["points"]] == ["KT-02"] and data["totals"]["低"] == 1 and data["organisation"] == "示例发射台"
