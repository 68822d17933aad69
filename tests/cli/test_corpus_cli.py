"""The corpus (issue 20) through the command line: every text option of `audit new`, every text
option of the register's moves (and who acts), `users add`, answers files (YAML and CSV) and facts
files (YAML, CSV, XLSX). Each value is refused — exit 1 or 2, its option or field named, nothing
written — or stored, read back, validated and printed to PDF."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
from audit_helpers import example_audit
from corpus import CORPUS, pdf_text
from paths import EXAMPLES, ROOT
from register_helpers import Register

from checklist.vocabulary import field_name

NEW = {"--catalog": "bj-rtv-3g3b", "--unit": "科技处", "--target": "科技处", "--inspector": "张三", "--date": "2026-11-20"}


def refused(result, *names: str) -> bool:
    """Exit 1 or 2 and the field named — by its option or its Chinese name — with no traceback."""
    return result.exit_code in (1, 2) and any(n in result.output for n in names) and "Traceback" not in result.output


def printable(run, audit, tmp_path) -> None:
    assert run("validate", audit).exit_code == 0
    result = run("report", audit, "-o", tmp_path / "r.pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "option, field",
    [
        ("--target", "target.name"),
        ("--address", "target.address"),
        ("--target-kind", "target.kind"),
        ("--inspector", "inspectors"),
        ("--title", "title"),
        ("--inspecting-body", "inspecting_body"),
    ],
)
def test_audit_new_options(run, tmp_path, option, field):
    for kind, value in CORPUS.items():
        out = tmp_path / f"{kind}.yaml"
        args = [x for k, v in (NEW | {option: value}).items() for x in (k, v)]
        result = run("audit", "new", *args, "-o", out)
        if kind != "printable":
            assert refused(result, option, field_name(field)), (kind, result.output)
            assert not out.exists(), kind
        else:
            assert result.exit_code == 0, result.output
            printable(run, out, tmp_path)


MOVES = [  # (move, option, hazard, other options)
    ("rectify", "--measure", "YH-2026-0002", []),
    ("start", "--note", "YH-2026-0002", []),
    ("extend", "--reason", "YH-2026-0002", ["--due", "2026-12-31"]),
    ("extend", "--consent", "YH-2026-0001", ["--reason", "设备到货延迟", "--due", "2026-12-08"]),
    ("revoke", "--reason", "YH-2026-0002", ["--approver", "局长"]),
    ("revoke", "--approver", "YH-2026-0002", ["--reason", "误报"]),
    ("supervise", "--supervisor", "YH-2026-0001", ["--deadline", "2026-12-31", "--number", "督〔2026〕1号"]),
    ("supervise", "--number", "YH-2026-0001", ["--deadline", "2026-12-31", "--supervisor", "局安监办"]),
    ("rectify", "--by", "YH-2026-0002", ["--measure", "已补开分析会"]),
]


@pytest.mark.parametrize("move, option, hazard, others", MOVES, ids=[f"{m}{o}" for m, o, _, _ in MOVES])
def test_register_move_options(tmp_path, move, option, hazard, others):
    reg = Register(f"sqlite:///{tmp_path / 'r.db'}")
    assert reg("import", example_audit(tmp_path)).exit_code == 0
    if move == "supervise":  # a 重大事故隐患 names its grading's basis before 挂牌督办
        assert reg("grade", hazard, "--basis", "其他", "--reason", "井盖缺失", "--date", "2026-11-21").exit_code == 0
    for kind, value in CORPUS.items():
        before = json.loads(reg("show", hazard, "--format", "json").output)
        result = reg(move, hazard, option, value, *others)
        if kind != "printable":
            assert refused(result, option), (kind, result.output)
            assert json.loads(reg("show", hazard, "--format", "json").output) == before, kind
        else:
            assert result.exit_code == 0, result.output
            assert reg("check-log").exit_code == 0
            ledger = tmp_path / "ledger.pdf"
            result = reg("ledger", "-o", ledger)
            assert result.exit_code == 0, result.output
            assert hazard in pdf_text(ledger.read_bytes())


def test_users_add(tmp_path):
    from click.testing import CliRunner

    from checklist.cli import cli

    db = f"sqlite:///{tmp_path / 'r.db'}"
    for kind, value in CORPUS.items():
        for args, option in (
            ([value, "--role", "inspector"], "用户名"),
            (["王五" + kind[:2], "--role", "unit", "--unit", value], "--unit"),
        ):
            result = CliRunner().invoke(cli, ["users", "add", *args, "--password-stdin", "--db", db], input="correct-horse-42\n")
            if kind != "printable":
                assert refused(result, option, "--unit"), (kind, result.output)
            else:
                assert result.exit_code == 0, result.output
    listed = CliRunner().invoke(cli, ["users", "list", "--db", db]).output
    assert CORPUS["printable"] in listed and "甲" not in listed


ANSWER_FIELDS = ["note", "reason", "measure", "owner"]  # what an answers file holds (its schema)


def _answer(field: str, value: str) -> dict:
    base = {"id": "A21-2-a", "result": "fail", "hazard": "一般隐患", "measure": "补装井盖", "owner": "王五", "due": "2026-12-31"}
    if field == "reason":
        return {"id": "A21-2-a", "result": "na", "reason": value}
    return base | {field: value}


@pytest.mark.parametrize("shape", ["yaml", "csv"])
@pytest.mark.parametrize("field", ANSWER_FIELDS)
def test_answers_files(run, tmp_path, shape, field):
    audit = tmp_path / "a.yaml"
    assert run("audit", "new", *[x for kv in NEW.items() for x in kv], "-o", audit).exit_code == 0
    for kind, value in CORPUS.items():
        before = audit.read_bytes()
        answer = _answer(field, value)
        answers = tmp_path / f"answers.{shape}"
        if shape == "yaml":
            flat = {k: v for k, v in answer.items() if k in ("id", "result", "note", "reason")}
            finding = {k: v for k, v in answer.items() if k not in flat}
            item = flat | ({"finding": finding} if finding else {})
            if kind == "lone surrogate":
                continue  # a file cannot hold it: not UTF-8 (the loader's decode refuses those bytes)
            answers.write_text(json.dumps({"answers": [item]}, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
        else:
            if kind == "lone surrogate":
                continue
            with answers.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows([list(answer), list(answer.values())])
        result = run("audit", "answer", audit, "--answers", answers)
        if kind != "printable":
            assert result.exit_code in (1, 2) and f"answers.{shape}:" in result.output, (kind, result.output)
            assert audit.read_bytes() == before, kind
        else:
            assert result.exit_code == 0, result.output
            printable(run, audit, tmp_path)


@pytest.fixture
def rules_catalog(monkeypatch):
    monkeypatch.setenv("CHECKLIST_CATALOGS", str(EXAMPLES / "catalog" / "valid"))


@pytest.mark.parametrize("shape", ["yaml", "csv", "xlsx"])
@pytest.mark.parametrize("column", ["名称", "地址"])
def test_facts_files(run, rules_catalog, tmp_path, shape, column):
    for kind, value in CORPUS.items():
        if kind == "lone surrogate" or (shape == "xlsx" and kind in ("C0 control", "NUL")):
            continue  # not in a UTF-8 file; XML 1.0 (an XLSX) cannot hold these at all
        row = {"名称": "甲", "地址": "北京市", "建筑面积": 100, "从业人数": 7} | {column: value}
        facts = tmp_path / f"facts.{shape}"
        if shape == "yaml":
            target = {"name": row["名称"], "address": row["地址"]}
            facts.write_text(
                json.dumps({"catalog": "rules", "target": target, "facts": {"建筑面积": 100, "从业人数": 7}}, ensure_ascii=False),
                encoding="utf-8",
            )
        elif shape == "csv":
            with facts.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows([list(row), list(row.values())])
        else:
            book = openpyxl.Workbook()
            book.active.append(list(row))
            book.active.append(list(row.values()))
            book.save(facts)
        out = tmp_path / f"{kind}.yaml"
        args = ["--catalog", "rules", "--kind", "base", "--inspector", "张三", "--date", "2026-11-20", "--facts", facts]
        result = run("audit", "new", *args, "-o", out)
        if kind != "printable":
            assert result.exit_code in (1, 2) and f"facts.{shape}" in result.output, (kind, result.output)
            assert not out.exists(), kind
        else:
            assert result.exit_code == 0, result.output
            printable(run, out, tmp_path)


def test_the_bundled_examples_pass_the_same_checks(run):
    assert run("validate", ROOT / "examples", ROOT / "catalogs").exit_code == 0


@pytest.mark.parametrize("shape", ["csv", "xlsx"])
def test_risk_point_sheets(run, tmp_path, shape):
    from checklist.files.spreadsheet import read_table

    _, rows = read_table(ROOT / "examples" / "risk" / "transmitting-station.xlsx")
    for kind, value in CORPUS.items():
        if kind == "lone surrogate" or (shape == "xlsx" and kind in ("C0 control", "NUL")):
            continue  # not in a UTF-8 file; XML 1.0 (an XLSX) cannot hold these at all
        table = [list(r) for _, r in rows]
        table[1][1] = value  # 风险点 of the first point
        sheet = tmp_path / f"points.{shape}"
        if shape == "csv":
            with sheet.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f).writerows(table)
        else:
            book = openpyxl.Workbook()
            for r in table:
                book.active.append(r)
            book.save(sheet)
        cards = tmp_path / f"cards-{len(kind)}.pdf"
        result = run("risk", "cards", sheet, "-o", cards)
        if result.exit_code == 0:  # taken (a risk point's name has no length limit): then it prints
            assert kind in ("printable", "10,000 characters"), (kind, result.output)
            assert value[:4] in pdf_text(cards.read_bytes())
        else:
            where = f"points.{shape}" + ("[Sheet]" if shape == "xlsx" else "")
            assert result.exit_code in (1, 2) and f"{where}:2:" in result.output, (kind, result.output)
            assert not cards.exists(), kind
