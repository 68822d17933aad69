"""`checklist validate` through the CLI: exit codes, summary, JSON, folders."""

from __future__ import annotations

import json
import subprocess
import sys

from paths import EXAMPLES, ROOT

from checklist.i18n import gettext


def test_bundled_catalogs_are_valid(run):
    result = run("validate", ROOT / "catalogs")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith("无效 0 个，无法读取 0 个，错误 0 个")


def test_folder_lists_every_error_of_every_file(run):
    result = run("validate", EXAMPLES / "catalog" / "invalid")
    assert result.exit_code == 2  # some files are unreadable: the worst outcome wins
    expected = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (EXAMPLES / "catalog" / "invalid").glob("*.expected"))
    assert len(result.output.splitlines()) == expected + 1


def test_invalid_only_exits_1(run):
    result = run("validate", EXAMPLES / "catalog" / "invalid" / "duplicate-id.yaml", EXAMPLES / "catalog" / "valid")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "检查了 5 个文件：有效 4 个，无效 1 个，无法读取 0 个，错误 2 个"


def test_missing_file_exits_2_with_its_name(run, tmp_path):
    result = run("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert result.output.startswith(f"{tmp_path / 'nope.yaml'}:1:1: 没有该文件")


def test_no_arguments_is_a_usage_error(run):
    assert run("validate").exit_code == 2


def test_json_format(run):
    path = EXAMPLES / "catalog" / "invalid" / "lead-not-first.yaml"
    result = run("validate", "--format", "json", path)
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["summary"] == {"files": 1, "valid": 0, "invalid": 1, "unreadable": 0, "errors": 1}
    (f,) = report["files"]
    assert f["kind"] == "catalog" and f["valid"] is False
    assert f["problems"] == [
        {
            "path": str(path),
            "line": 11,
            "column": 50,
            "schema_path": "lead-first",
            "message": "牵头单位 'tech' 列在第 1 个配合单位之后：请先列牵头单位",
        }
    ]


def test_catalogs_lists_the_bundled_catalog(run):
    result = run("catalogs")
    assert result.exit_code == 0
    assert "bj-rtv-3g3b" in result.output and "京广发〔2026〕11号" in result.output


def test_help_lists_exit_codes(run):
    result = run("--help")
    assert gettext("Exit codes:") in result.output and "path:line:col" in result.output


def test_cheap_commands_never_import_weasyprint_sqlalchemy_or_flask():
    code = (
        "import sys\n"
        "from checklist.cli import cli\n"
        f"for args in (['--help'], ['register', '--help'], ['register', 'list', '--help'], ['users', '--help'], ['users', 'add', '--help'], ['serve', '--help'], ['validate', {str(ROOT / 'catalogs')!r}], ['catalogs']):\n"
        "    try:\n"
        "        cli(args, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n"
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy imported'\n"
        "assert 'flask' not in sys.modules and 'PIL' not in sys.modules, 'flask or PIL imported'\n"
        "assert 'fontTools' not in sys.modules, 'fontTools imported: the glyph coverage is read from its disk cache'\n"
    )
    from checklist.files import glyphs

    glyphs.coverage()  # the disk cache is warm (the first process on a machine reads the font once)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_python_dash_m_runs(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "checklist", "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0 and "checklist" in proc.stdout


def test_internal_errors_are_one_line(tmp_path, monkeypatch):
    """A bug must not print a traceback at a user; CHECKLIST_DEBUG=1 shows it."""
    code = (
        "import checklist.outputs.validation as v\n"
        "def boom(paths): raise RuntimeError('boom')\n"
        "v.validate_paths = boom\n"
        "from checklist.cli import main\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, "validate", "x"], capture_output=True, text=True)
    assert proc.returncode == 70
    assert "Traceback" not in proc.stderr and "内部错误：RuntimeError：boom" in proc.stderr
