"""Risk methods as data: the bundled LEC and LS tables and bands, every band boundary, and method
files whose bands leave a gap or overlap refused with their line and column."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from paths import EXAMPLES, ROOT

from checklist.risk.methods import Band, load_methods

OWN_LEC = EXAMPLES / "risk-methods" / "valid" / "own-lec.yaml"


@pytest.fixture(scope="module")
def methods():
    return load_methods()


def test_bundled_tables_are_the_published_ones(methods):
    lec, ls = methods.methods["LEC"], methods.methods["LS"]
    assert [f.symbol for f in lec.factors] == ["L", "E", "C"]
    assert [[float(v) for v in f.values] for f in lec.factors] == [
        [10, 6, 3, 1, 0.5, 0.2, 0.1],
        [10, 6, 3, 2, 1, 0.5],
        [100, 40, 15, 7, 3, 1],
    ]
    assert lec.factors[0].values[Decimal(6)] == "相当可能"
    assert lec.factors[1].values[Decimal(10)] == "连续暴露"
    assert lec.factors[2].values[Decimal(15)] == "非常严重，一人死亡"
    assert [[int(v) for v in f.values] for f in ls.factors] == [[5, 4, 3, 2, 1]] * 2
    assert lec.note and ls.note and "Graham" in lec.note
    assert [(lv.id, lv.colour, lv.control) for lv in methods.levels.values()] == [
        ("重大", "红", "单位"),
        ("较大", "橙", "部门"),
        ("一般", "黄", "班组"),
        ("低", "蓝", "岗位"),
    ]


def test_gb6441_has_its_twenty_accident_types(methods):
    assert len(methods.accident_types) == 20
    assert methods.accident_types[0] == "物体打击" and methods.accident_types[-1] == "其它伤害"
    assert methods.accident("其他伤害") == "其它伤害"  # both spellings
    assert methods.accident("触电") == "触电"
    assert methods.accident("电击") is None


LEC_BOUNDARIES = [
    (69, "低"),
    (70, "低"),
    (71, "一般"),
    (159, "一般"),
    (160, "一般"),
    (161, "较大"),
    (319, "较大"),
    (320, "较大"),
    (321, "重大"),
    (Decimal("0.001"), "低"),
    (100_000, "重大"),
]
LS_BOUNDARIES = [
    (1, "低"),
    (2, "低"),
    (7, "低"),
    (8, "低"),
    (9, "一般"),
    (10, "一般"),
    (11, "一般"),
    (12, "一般"),
    (14, None),
    (15, "较大"),
    (16, "较大"),
    (17, None),
    (19, None),
    (20, "重大"),
    (21, "重大"),
    (24, "重大"),
    (25, "重大"),
    (26, None),
    (0, None),
]


@pytest.mark.parametrize(("method", "score", "level"), [("LEC", *c) for c in LEC_BOUNDARIES] + [("LS", *c) for c in LS_BOUNDARIES])
def test_every_band_boundary(methods, method, score, level):
    """One below, on and one above each limit; LS scores no product reaches (13, 14, 17–19) lie in no band."""
    m = methods.methods[method]
    if level is None:
        with pytest.raises(ValueError, match="的任何分级区间内"):
            m.band_of(Decimal(score))
    else:
        assert m.band_of(Decimal(score)).level == level


@pytest.mark.parametrize(
    ("method", "factors", "score", "level"),
    [
        ("LEC", {"L": 3, "E": 3, "C": 7}, 63, "低"),
        ("LEC", {"L": 1, "E": 10, "C": 7}, 70, "低"),  # on the limit: D ≤ 70
        ("LEC", {"L": 6, "E": 2, "C": 7}, 84, "一般"),
        ("LEC", {"L": 1, "E": 10, "C": 15}, 150, "一般"),
        ("LEC", {"L": 6, "E": 2, "C": 15}, 180, "较大"),
        ("LEC", {"L": 1, "E": 3, "C": 100}, 300, "较大"),
        ("LEC", {"L": 3, "E": 3, "C": 40}, 360, "重大"),
        ("LEC", {"L": 0.1, "E": 0.5, "C": 1}, 0.05, "低"),
        ("LS", {"L": 2, "S": 4}, 8, "低"),
        ("LS", {"L": 3, "S": 3}, 9, "一般"),
        ("LS", {"L": 3, "S": 4}, 12, "一般"),
        ("LS", {"L": 3, "S": 5}, 15, "较大"),
        ("LS", {"L": 4, "S": 4}, 16, "较大"),
        ("LS", {"L": 4, "S": 5}, 20, "重大"),
    ],
)
def test_reachable_scores_near_the_limits(methods, method, factors, score, level):
    got, _, lv = methods.grade(method, {k: Decimal(str(v)) for k, v in factors.items()})
    assert got == Decimal(str(score)) and lv.id == level


def test_every_possible_score_has_exactly_one_band(methods):
    for m in methods.methods.values():
        for score in m.possible_scores():
            assert sum(b.holds(score) for b in m.bands) == 1, (m.id, score)
    assert [int(s) for s in methods.methods["LS"].possible_scores()] == [1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25]


def test_band_limits_open_and_closed():
    b = Band("较大", Decimal(160), True, Decimal(320), False)
    assert not b.holds(Decimal(160)) and b.holds(Decimal("160.01")) and b.holds(Decimal(320)) and not b.holds(Decimal("320.01"))
    assert b.text("D") == "160 < D ≤ 320"
    assert Band("重大", Decimal(320), True).text("D") == "D > 320"
    assert Band("低", None, False, Decimal(70)).text("D") == "D ≤ 70"
    assert b.overlaps(Band("x", Decimal(320), False, None))  # shares 320
    assert not b.overlaps(Band("x", Decimal(320), True, None))
    assert Band("x", Decimal(3), False, Decimal(3), True).empty()


def test_own_method_file_replaces_a_method_by_id(methods):
    own = load_methods(OWN_LEC)
    assert own.methods["LS"] is not None and own.files[-1] == str(OWN_LEC)
    d240 = {"L": Decimal(1), "E": Decimal(6), "C": Decimal(40)}
    assert methods.grade("LEC", d240)[2].id == "较大"
    assert own.grade("LEC", d240)[2].id == "重大"  # its bands: D ≥ 240 重大


@pytest.mark.parametrize(
    ("name", "where", "message"),
    [
        ("gap", "gap.yaml:15:7", "没有区间包含 R = 9 (L 3 × S 3)：区间之间有空缺"),
        ("overlap", "overlap.yaml:17:9", "一般（9 ≤ R ≤ 12）与第 16 行的 较大（12 ≤ R ≤ 16）重叠"),
        ("order", "order.yaml:16:9", "R = 15 分为 一般，低于较小的 R = 9 所分的 较大"),
    ],
)
def test_bad_bands_refused_with_line_and_column(run, name, where, message, tmp_path):
    """The command refuses a bad --methods file before it grades anything (exit 1)."""
    bad = EXAMPLES / "risk-methods" / "invalid" / f"{name}.yaml"
    result = run("risk", "assess", EXAMPLES / "risk-points" / "valid" / "points.yaml", "--methods", bad)
    assert result.exit_code == 1
    assert f"{bad.parent}/{where}: {message}" in result.output


def test_bundled_methods_file_names_its_schema_and_validates(run):
    path = ROOT / "catalogs" / "risk" / "risk-methods.yaml"
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["files"][0]["kind"] == "risk-methods"


def test_own_levels_must_cover_the_methods_kept(run, tmp_path):
    """A file that replaces the levels but keeps the bundled LEC (graded into 重大 …) is refused."""
    own = tmp_path / "three-levels.yaml"
    own.write_text(
        OWN_LEC.read_text(encoding="utf-8").replace(
            "methods:",
            "levels:\n"
            "  - {id: 重大, name: 重大风险, colour: 红, rgb: '#E60012', text_rgb: '#FFFFFF', control: 单位}\n"
            "  - {id: 较大, name: 较大风险, colour: 橙, rgb: '#F39800', text_rgb: '#000000', control: 部门}\n"
            "  - {id: 一般, name: 一般风险, colour: 黄, rgb: '#FFF100', text_rgb: '#000000', control: 班组}\n"
            "  - {id: 低, name: 低风险, colour: 绿, rgb: '#00A040', text_rgb: '#FFFFFF', control: 岗位}\n"
            "methods:",
        ),
        encoding="utf-8",
    )
    assert load_methods(own).levels["低"].colour == "绿"  # every method still grades into known levels
    renamed = (
        own.read_text(encoding="utf-8")
        .replace("{id: 低, name: 低风险", "{id: 轻微, name: 轻微风险")
        .replace("{level: 低,", "{level: 轻微,")
    )
    own.write_text(renamed, encoding="utf-8")
    result = run("risk", "assess", EXAMPLES / "risk-points" / "valid" / "points.yaml", "--methods", own)
    assert result.exit_code == 2
    assert "评价方法 LS 分出的等级 低 不在等级 重大、较大、一般、轻微 之列；请一并替换该方法" in result.output
