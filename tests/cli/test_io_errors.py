"""Every ordinary failure is an error with a documented exit code, never "internal error" (issue 16,
item 2): a write the OS refuses exits 74 with the path and the reason and leaves nothing behind;
out-of-range dates, a rate that is not a number and an XLSX entity bomb are usage or input errors."""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
import tempfile
import zipfile

import pytest
from audit_helpers import EVENT, NEW_AUDIT

from checklist.cli import main
from checklist.errors import os_reason

NEW = [*NEW_AUDIT, *EVENT]
BATCH = ["audit", "batch", "--catalog", "bj-elderly-care-providers", "--kind", "home-care", "--date", "2026-11-20"]

# Each command that writes, as (arguments with {out} for its output, what {out} is).
COMMANDS = {
    "report pdf": (["report", "{audit}", "--format", "pdf", "-o", "{out}"], "file"),
    "report html": (["report", "{audit}", "--format", "html", "-o", "{out}"], "file"),
    "report json": (["report", "{audit}", "--format", "json", "-o", "{out}"], "file"),
    "report csv": (["report", "{audit}", "--format", "csv", "-o", "{out}"], "file"),
    "audit new": ([*NEW, "--date", "2026-11-20", "-o", "{out}"], "file"),
    "audit batch": ([*BATCH, "--facts", "{facts}", "-o", "{out}"], "folder"),
    "duties pdf": (["duties", "--catalog", "bj-rtv-3g3b", "--unit", "tech", "--format", "pdf", "-o", "{out}"], "file"),
    "duties html": (["duties", "--catalog", "bj-rtv-3g3b", "--unit", "tech", "--format", "html", "-o", "{out}"], "file"),
    "duties md": (["duties", "--catalog", "bj-rtv-3g3b", "--unit", "tech", "--format", "md", "-o", "{out}"], "file"),
    "duties csv": (["duties", "--catalog", "bj-rtv-3g3b", "--unit", "tech", "--format", "csv", "-o", "{out}"], "file"),
    "duties xlsx": (["duties", "--catalog", "bj-rtv-3g3b", "--unit", "tech", "--format", "xlsx", "-o", "{out}"], "file"),
    "sample": (["sample", "{population}", "--rate", "50%", "--seed", "1", "-o", "{out}"], "file"),
    "import": (["import", "{text}", "--layout", "articles", "-o", "{out}"], "file"),
}
# the PDF commands render before they meet the refusal: ~0.4 s each, so they are `slow`
COMMAND_PARAMS = [pytest.param(c, marks=pytest.mark.slow) if c.endswith(" pdf") else c for c in COMMANDS]


@pytest.fixture
def inputs(new_audit, tmp_path):
    """The files the commands read, in a folder of their own."""
    folder = tmp_path / "in"
    folder.mkdir()
    audit = new_audit(folder / "a.yaml", *EVENT)
    (folder / "p.csv").write_text("名称,区\n甲,朝阳\n乙,海淀\n", encoding="utf-8")
    (folder / "t.txt").write_text("第一条 各处室单位应当建立安全生产责任制。\n", encoding="utf-8")
    (folder / "facts.csv").write_text("名称,地址\n某某养老服务有限公司,北京市朝阳区\n", encoding="utf-8")
    return {"audit": audit, "population": folder / "p.csv", "text": folder / "t.txt", "facts": folder / "facts.csv"}


def arguments(command, inputs, out):
    args, _ = COMMANDS[command]
    return [a.format(out=out, **inputs) for a in args]


def everything_under(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --- the OS refuses the write: exit 74, the path and the reason, nothing written ----------------


@pytest.mark.parametrize("command", COMMAND_PARAMS)
def test_output_under_a_file(run, inputs, tmp_path, command):
    """-o a/b where a is a file (ENOTDIR): one of the ordinary failures, for every command."""
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    out = tmp_path / "plain" / "sub" / "out"
    result = run(*arguments(command, inputs, out))
    assert result.exit_code == 74, result.output
    assert "plain" in result.stderr and ("不是目录" in result.stderr or "有同名文件占用" in result.stderr)
    assert "internal error" not in result.output + result.stderr
    assert (tmp_path / "plain").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("command", COMMAND_PARAMS)
def test_output_name_too_long(run, inputs, tmp_path, command):
    """A name over the file system's limit (ENAMETOOLONG), refused at the first look-up."""
    out = tmp_path / ("名" * 100)  # 300 bytes in UTF-8
    result = run(*arguments(command, inputs, out))
    assert result.exit_code == 74, result.output
    assert f"{out}" in result.stderr and "文件名过长" in result.stderr


OS_FAULTS = {  # the OS's refusal, and the system call that gives it
    "disk full": (OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), os, "fsync"),  # shows when data reaches the disk
    "read-only folder": (OSError(errno.EROFS, os.strerror(errno.EROFS)), tempfile, "mkstemp"),
    "permission denied": (PermissionError(errno.EACCES, os.strerror(errno.EACCES)), tempfile, "mkstemp"),
    "rename refused": (PermissionError(errno.EPERM, os.strerror(errno.EPERM), ".out.file.x1y2.tmp"), os, "replace"),
}


def refuse(monkeypatch, fault):
    """Tests run as root, which ignores permission bits: the OS's answer is simulated at one of
    the system calls every save makes."""
    error, module, name = OS_FAULTS[fault]

    def refused(*args, **kwargs):
        raise error

    monkeypatch.setattr(module, name, refused)
    return error


@pytest.mark.parametrize("fault", OS_FAULTS)
@pytest.mark.parametrize("command", COMMAND_PARAMS)
def test_os_refusal_is_exit_74(run, inputs, tmp_path, monkeypatch, command, fault):
    out = tmp_path / "out" / ("x" if COMMANDS[command][1] == "folder" else "out.file")
    before = everything_under(tmp_path)
    error = refuse(monkeypatch, fault)
    result = run(*arguments(command, inputs, out))
    assert result.exit_code == 74, result.output
    assert f"无法写入：{os_reason(error)}" in result.stderr
    assert str(out) in result.stderr and ".tmp" not in result.stderr  # the path asked for, not a temporary name
    assert "internal error" not in result.output + result.stderr
    written = [p for p in everything_under(tmp_path) if p not in before]
    assert all(p == "out" or (p.startswith(f"out{os.sep}x") and not p.endswith((".tmp", ".csv", ".xlsx"))) for p in written), written


@pytest.mark.parametrize("fault", OS_FAULTS)
def test_audit_run_save_refused(run, inputs, monkeypatch, fault):
    audit = inputs["audit"]
    original = audit.read_bytes()
    error = refuse(monkeypatch, fault)
    result = run("audit", "run", audit, input="y\ny\nq\n")
    assert result.exit_code == 74
    assert f"{audit}: 无法写入：{os_reason(error)}" in result.stderr
    assert "A30-a (第三十条) 的答案未保存" in result.stderr
    assert audit.read_bytes() == original
    assert not [p for p in audit.parent.iterdir() if p.name.startswith(".")]  # no lock, no temporary file


def test_audit_run_in_a_read_only_folder_stops_before_the_first_question(run, inputs, monkeypatch):
    """The lock file cannot be made (EROFS): said at once, before any answer is asked for."""
    real_open = os.open

    def open_(path, *args, **kwargs):
        if str(path).endswith(".lock"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    audit = inputs["audit"]
    result = run("audit", "run", audit, input="y\nq\n")
    assert result.exit_code == 74
    lock = os.path.join(os.path.realpath(audit.parent), ".a.yaml.lock")
    assert f"{lock}: 无法创建锁文件：只读文件系统" in result.stderr
    assert "[1/" not in result.stdout


def test_batch_that_fails_half_way_leaves_no_audit(run, inputs, tmp_path, monkeypatch):
    """The disk fills at the second of three audits: the first one is removed again, exit 74."""
    facts = tmp_path / "three.csv"
    facts.write_text("名称,地址\n甲养老服务有限公司,朝阳\n乙养老服务有限公司,海淀\n丙养老服务有限公司,丰台\n", encoding="utf-8")
    calls = []
    real = os.fsync

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 3:  # the first audit's file and folder are flushed, then the second's file fails
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    out = tmp_path / "out"
    result = run(*BATCH, "--facts", facts, "-o", out)
    assert result.exit_code == 74, result.output
    assert "002-乙养老服务有限公司.yaml: 无法写入：设备上没有剩余空间" in result.stderr
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_real_write_failure_file_too_large(inputs, tmp_path):
    """A real refusal from the kernel, not a simulated one: a file-size limit (EFBIG) stops the
    PDF's write half way; the temporary file is removed and nothing is left at the target."""
    out = tmp_path / "r.pdf"

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    proc = subprocess.run(
        [sys.executable, "-m", "checklist", "report", str(inputs["audit"]), "-o", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=120,
    )
    assert proc.returncode == 74, proc.stderr
    assert f"{out}: 无法写入：文件过大" in proc.stderr
    assert not out.exists() and not list(tmp_path.glob(".r.pdf.*"))


def test_stray_os_error_is_exit_74_with_path_and_reason(monkeypatch, capsys):
    """The last resort in main(): an OSError no core module turned into an IOFailure."""
    import checklist.outputs.report as report

    def render_many(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", "/some/where.pdf")

    monkeypatch.setattr(report, "render_many", render_many)
    monkeypatch.setattr(sys, "argv", ["checklist", "report", "x.yaml"])
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 74
    assert "checklist：错误：/some/where.pdf: 权限不足" in capsys.readouterr().err


# --- bad numbers and dates are usage errors ------------------------------------------------------


@pytest.mark.parametrize(
    "args, named",
    [
        (["--after", "2026-01-05", "-n", "10000000", "--assume-weekends"], "--after 2026-01-05 -n 10000000"),
        (["--after", "2026-01-05", "-n", "10000000"], "--after 2026-01-05 -n 10000000"),
        (["--after", "9999-12-30", "-n", "3", "--assume-weekends"], "--after 9999-12-30 -n 3"),
        (["--after", "9999-12-24", "-n", "6", "--assume-weekends"], "--after 9999-12-24 -n 6"),  # fits in days, not in working days
        (["--before", "0001-01-03", "-n", "3", "--assume-weekends"], "--before 0001-01-03 -n 3"),
        (["--rule", "bj-rtv-3g3b:A49", "--from", "0001-01-02", "--assume-weekends"], "--rule bj-rtv-3g3b:A49 --from 0001-01-02"),
    ],
)
def test_deadline_out_of_the_calendar_is_a_usage_error(run, args, named):
    result = run("deadline", *args)
    assert result.exit_code == 2, result.output
    assert f"checklist：错误：{named}:" in result.stderr
    assert "0001-01-01" in result.stderr or "9999-12-31" in result.stderr


@pytest.mark.parametrize("rate", ["nan", "NaN", "sNaN", "inf", "-Infinity", "-1", "0", "200%", "1.5"])
def test_sample_rate_that_is_not_a_share(run, inputs, tmp_path, rate):
    result = run("sample", inputs["population"], "--rate", rate, "-o", tmp_path / "plan.csv")
    assert result.exit_code == 2, result.output
    assert f"--rate (抽查比例)：{rate!r} 不是比例" in result.stderr
    assert not (tmp_path / "plan.csv").exists()


# --- an XLSX entity bomb is an invalid input ----------------------------------------------------

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook {_NS} xmlns:r="{_REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": '{dtd}<worksheet {ns}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '</row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="inlineStr"><is><t>{address}</t></is></c></row></sheetData></worksheet>',
    "xl/sharedStrings.xml": '{dtd}<sst {ns} count="3" uniqueCount="3"><si><t>名称</t></si><si><t>地址</t></si><si><t>{name}</t></si></sst>',
}
# "Billion laughs": ten levels of ten references each, 3 × 10⁹ characters once expanded.
LAUGHS = '<!DOCTYPE x [<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)) + "]>"


def workbook(path, bomb_in=None):
    """A minimal XLSX with a header (名称, 地址) and one target; ``bomb_in``: the part that carries the bomb."""
    name = "&l9;" if bomb_in == "xl/sharedStrings.xml" else "某某养老服务有限公司"
    address = "&l9;" if bomb_in == "xl/worksheets/sheet1.xml" else "北京市朝阳区"
    with zipfile.ZipFile(path, "w") as z:
        for part, text in _PARTS.items():
            body = text.replace("{ns}", _NS).replace("{name}", name).replace("{address}", address)
            z.writestr(
                part, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body.replace("{dtd}", LAUGHS if part == bomb_in else "")
            )
    return path


def test_the_crafted_workbook_reads_without_a_bomb(run, tmp_path):
    out = tmp_path / "out"
    result = run(*BATCH, "--facts", workbook(tmp_path / "ok.xlsx"), "-o", out)
    assert result.exit_code == 0, result.output
    assert (out / "001-某某养老服务有限公司.yaml").is_file()


@pytest.mark.parametrize("bomb_in", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
@pytest.mark.parametrize("command", ["audit batch", "audit new"])
def test_xlsx_entity_bomb_is_refused_as_invalid_input(run, tmp_path, bomb_in, command):
    facts = workbook(tmp_path / "bomb.xlsx", bomb_in)
    out = tmp_path / "out"
    if command == "audit batch":
        result = run(*BATCH, "--facts", facts, "-o", out)
    else:
        result = run(
            "audit",
            "new",
            "--catalog",
            "bj-elderly-care-providers",
            "--kind",
            "home-care",
            "--inspector",
            "张三",
            "--facts",
            facts,
            "-o",
            out,
        )
    assert result.exit_code == 2, result.output
    assert f"{facts}:1:1: 拒绝：该工作簿的 XML 声明了实体" in result.stderr
    assert "XML 实体扩展炸弹" in result.stderr
    assert not out.exists()
