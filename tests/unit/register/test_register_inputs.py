"""What reaches the register's database from a person: NUL and other refused characters are
refused at entry (naming the field) on both backends; a database URL never shows its password;
a bad port is a usage error; commands that only read never create a register, and read one in a
read-only folder; a year out of range is a usage error."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest
from audit_helpers import example_audit
from register_helpers import Register

NUL = "\x00"


@pytest.fixture
def reg(db_url, tmp_path):
    r = Register(db_url)
    assert r("import", example_audit(tmp_path)).exit_code == 0
    return r


@pytest.mark.parametrize(
    "args, option",
    [
        (("list", "--unit", f"科技{NUL}处"), "--unit"),
        (("show", f"YH-2026{NUL}-0001"), "隐患编号"),
        (("ledger", "--unit", f"科技{NUL}处"), "--unit"),
        (("opinion", f"YH-2026-0002{NUL}"), "隐患编号"),
        (("rectify", "YH-2026-0002", "--measure", f"已{NUL}整改"), "--measure"),
        (("rectify", "YH-2026-0002", "--measure", "已整改", "--by", f"赵{NUL}六"), "--by"),
        (("revoke", "YH-2026-0002", "--reason", "误报", "--approver", f"局{NUL}领导"), "--approver"),
    ],
    ids=lambda v: v if isinstance(v, str) else v[0],
)
def test_nul_is_refused_at_entry_naming_the_field(reg, args, option):
    result = reg(*args)
    assert result.exit_code == 2, result.output
    assert option in result.output and "U+0000" in result.output, result.output
    assert "internal error" not in result.output
    assert reg("check-log").exit_code == 0  # nothing was written


def test_nul_in_user_names(db_url):
    from checklist.errors import Refusal
    from checklist.register.db import open_register
    from checklist.register.users import add_user, authenticate, disable_user, new_token

    engine = open_register(db_url)
    add_user(engine, "张三", "admin", None, "correct-horse-42")
    for call in (
        lambda: add_user(engine, f"李{NUL}四", "admin", None, "correct-horse-42"),
        lambda: authenticate(engine, f"张{NUL}三", "correct-horse-42"),
        lambda: disable_user(engine, f"张三{NUL}"),
        lambda: new_token(engine, f"张三{NUL}"),
    ):
        with pytest.raises(Refusal) as refused:
            call()
        assert refused.value.code == "value.character" and refused.value.field == "name"
    with pytest.raises(Refusal) as refused:
        add_user(engine, "李四", "unit", f"科技{NUL}处", "correct-horse-42")
    assert refused.value.code == "value.character" and refused.value.field == "unit"


def test_the_web_answers_400_for_nul_in_filters_and_names(db_url, tmp_path):
    from web_helpers import PASSWORD, login

    from checklist.register.db import open_register
    from checklist.register.users import add_user, new_token
    from checklist.web.app import Settings, create_app

    engine = open_register(db_url)
    add_user(engine, "张三", "admin", None, PASSWORD)
    token = new_token(engine, "张三")
    (tmp_path / "data" / "audits").mkdir(parents=True)
    app = create_app(Settings(engine=engine, data=tmp_path / "data", files=tmp_path / "files", pdf_workers=0))
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/hazards?unit=%E7%A7%91%00", headers=bearer)
    assert listed.status_code == 400 and listed.json["error"]["field"] == "unit", listed.data
    assert client.get("/api/hazards/YH-2026%00-0001", headers=bearer).status_code in (400, 404)
    assert login(app.test_client(), "张\x00三").status_code == 400


SECRET = "s3cret-pw"


@pytest.mark.parametrize(
    "url, code",
    [
        (f"mysql://u:{SECRET}@db.example/reg", 2),
        (f"postgresql://u:{SECRET}@127.0.0.1:notaport/reg", 2),
        (f"postgresql://u:{SECRET}@127.0.0.1:99999/reg", 2),
        (f"postgresql://u:{SECRET}@127.0.0.1:0/reg", 2),
        (f"postgresql://u:{SECRET}@[::1/reg", 2),
        (f"postgresql://u:{SECRET}@127.0.0.1:1/reg", 7),  # nobody listens: the database is unreachable
    ],
)
@pytest.mark.parametrize("command", [("register", "list"), ("register", "upgrade"), ("users", "list")])
def test_a_database_url_never_shows_its_password(run, url, code, command):
    result = run(*command, "--db", url)
    assert result.exit_code == code, result.output
    assert SECRET not in result.output and "internal error" not in result.output
    if code == 7 or url.startswith("mysql"):
        assert "u:***@" in result.output, result.output  # the URL is shown, masked


def test_the_masking_keeps_the_rest_of_the_url():
    from checklist.register.db import safe_url

    assert safe_url(f"postgresql+psycopg://u:{SECRET}@h:5432/reg") == "postgresql+psycopg://u:***@h:5432/reg"
    assert SECRET not in safe_url(f"postgresql://u:{SECRET}@h:notaport/reg")
    assert SECRET not in safe_url(f"what://u:{SECRET}@[::1/reg")


READERS = [
    ("register", "list"),
    ("register", "show", "YH-2026-0001"),
    ("register", "stats", "--year", "2026"),
    ("register", "ledger"),
    ("register", "dashboard"),
    ("register", "check-log"),
    ("register", "export"),
    ("register", "units"),
    ("register", "attention", "--risk-points", "RISK"),
    ("register", "notice", "AUDIT"),
    ("register", "opinion", "YH-2026-0001"),
    ("users", "list"),
]


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:2]))
def test_a_command_that_reads_never_creates_a_register(run, tmp_path, command):
    from paths import ROOT

    missing = tmp_path / "typo.db"
    args = [str(ROOT / "examples/risk/transmitting-station.yaml") if a == "RISK" else a for a in command]
    args = [str(example_audit(tmp_path)) if a == "AUDIT" else a for a in args]
    result = run(*args, "--db", f"sqlite:///{missing}")
    assert result.exit_code == 2, result.output
    assert f"{missing} 处没有隐患台账" in result.output
    assert not missing.exists() and not list(tmp_path.glob("typo.db*"))


@pytest.mark.parametrize(
    "command",
    [("register", "upgrade"), ("register", "import", "AUDIT"), ("users", "add", "张三", "--role", "admin", "--password-stdin")],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_command_that_records_creates_the_register(run, tmp_path, command, monkeypatch):
    monkeypatch.setenv("CHECKLIST_USER", "张三")
    created = tmp_path / "new.db"
    args = [str(example_audit(tmp_path)) if a == "AUDIT" else a for a in command]
    result = run(*args, "--db", f"sqlite:///{created}", input="correct-horse-42\n")
    assert result.exit_code == 0, result.output
    assert created.is_file()


def test_an_unreachable_folder_for_a_new_register_is_exit_7(run, tmp_path):
    result = run("register", "upgrade", "--db", f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.db'}")
    assert result.exit_code == 7 and "无法打开数据库文件" in result.output


def _checklist_as_another_user(args: list[str]) -> list[str]:
    """`checklist ARGS` in a new process, as nobody when we are root (root ignores file modes).
    The interpreter of this venv may live where nobody cannot reach (under /root): nobody then
    runs the system's Python of the same version, with this venv's packages."""
    if os.geteuid() != 0:
        return [sys.executable, "-m", "checklist", *args]
    runuser, python = shutil.which("runuser"), shutil.which("python3", path="/usr/bin")
    if runuser is None or python is None:
        pytest.skip("runuser and /usr/bin/python3 are needed to read as another user than root")
    same = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True).stdout.strip()
    if same != str(sys.version_info[:2]):
        pytest.skip(f"/usr/bin/python3 is {same}, not {sys.version_info[:2]}: it cannot load this venv's packages")
    code = (
        f"import runpy, site, sys; site.addsitedir({sysconfig.get_paths()['purelib']!r}); "
        f"sys.argv = ['checklist', *{args!r}]; runpy.run_module('checklist', run_name='__main__')"
    )
    return [runuser, "-u", "nobody", "--", python, "-c", code]


def test_a_register_in_a_read_only_folder_can_be_read(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="checklist-ro-"))
    try:
        reg = Register(f"sqlite:///{folder / 'register.db'}")
        assert reg("import", example_audit(tmp_path)).exit_code == 0
        for p in folder.rglob("*"):
            p.chmod(0o444 if p.is_file() else 0o555)
        folder.chmod(0o555)
        before = sorted(p.name for p in folder.iterdir())
        env = dict(os.environ, CHECKLIST_USER="张三", HOME=str(folder))
        env.pop("CHECKLIST_DB", None)

        def run(*args):
            cmd = _checklist_as_another_user(["register", *args, "--db", f"sqlite:///{folder / 'register.db'}"])
            return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=folder)

        listed = run("list", "--today", "2026-11-20")
        assert listed.returncode == 0, listed.stderr
        assert "2 条隐患" in listed.stdout and "YH-2026-0001" in listed.stdout
        assert run("check-log").returncode == 0
        moved = run("start", "YH-2026-0002")
        assert moved.returncode in (7, 74), moved.stderr  # a move needs to write: refused plainly
        assert "internal error" not in moved.stderr
        assert sorted(p.name for p in folder.iterdir()) == before  # reading left no lock or journal file behind
    finally:
        folder.chmod(stat.S_IRWXU)
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    "args, option", [(("--year", "0"), "--year"), (("--year", "99999"), "--year"), (("--quarter", "9999Q4"), "--quarter")]
)
def test_a_year_out_of_range_is_a_usage_error(reg, args, option):
    result = reg("stats", *args)
    assert result.exit_code == 2, result.output
    assert option in result.output and "internal error" not in result.output


def test_a_ledger_year_out_of_range_is_a_usage_error(reg):
    result = reg("ledger", "--year", "0")
    assert result.exit_code == 2 and "--year" in result.output, result.output


def test_a_recheck_audit_never_creates_a_register(run, tmp_path):
    missing = tmp_path / "typo.db"
    made = run(
        "audit", "new", "--recheck", "--unit", "科技处", "--inspector", "王", "-o", tmp_path / "r.yaml", "--db", f"sqlite:///{missing}"
    )
    assert made.exit_code == 2 and f"{missing} 处没有隐患台账" in made.output, made.output
    assert not missing.exists()
