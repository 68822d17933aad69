"""Every command in the ```sh blocks of README.md, CONTRIBUTING.md and docs/**/*.md runs as written,
as documentation-testing projects do.

Conventions (also in CONTRIBUTING.md, "Tests of the documentation"):

- Each file's commands run by bash in a fresh copy of the folders the examples read, in the file's
  order — later commands use what earlier ones wrote, as a reader's would — with `checklist` on
  PATH from this venv and no CHECKLIST_* variable set.
- A command must exit 0, or the code its comment states: `# exits 4: a filing is late`.
- A comment's promise is checked: `# … → X` means X appears in the command's output (stdout and
  stderr) as a whole — not inside a longer word or number — or X is a file the command wrote (new,
  or changed). X runs from the arrow to the end of
  the comment or to the first " (" or "; ": `# → 已销号 (with its history)` promises 已销号.
- Commands that default to today's date must fix it (`--date`, `--today`; see DATED).
- They run in the default language (Chinese) and print no English sentence (tests/language.py),
  unless the command itself asks for English (`CHECKLIST_LANG=en checklist …`, `LANG=en_US.UTF-8 …`).
- A block that cannot run here says so in an HTML comment on the line just before its fence,
  which the rendered page does not show: <!-- doctest: skip="REASON" -->. Each of its commands is
  reported as skipped with the reason. Nothing else in the reader's text is meant for the test.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from doc_blocks import DOC_FILES, Command, blocks, commands, relative
from language import english_sentences
from paths import ROOT

COPIED = ("catalogs", "examples", "schemas", "templates", "sources")  # what the examples read
COMMANDS = [c for path in DOC_FILES for c in commands(path)]
# commands that default to today's date, and the option that fixes it
DATED = {
    "checklist audit new": "--date",
    "checklist audit batch": "--date",
    "checklist events check": "--today",
    "checklist register list": "--today",
    "checklist register attention": "--today",
    "checklist register dashboard": "--today",
    "checklist register stats": "--today",
    "checklist register units": "--today",
    "checklist register show": "--today",
    **{f"checklist register {move}": "--date" for move in ("start", "rectify", "verify", "extend", "supervise", "revoke")},
    **{f"checklist register {move}": "--date" for move in ("grade", "plan", "extension", "assess", "signoff", "record")},
    # a paper is issued on its day, and numbered in its year (a --draft is neither)
    **{f"checklist register {paper}": "--date" for paper in ("notice", "opinion", "supervision-notice", "signoff-notice")},
}
UNDATED = {"--draft"}  # options that make a dated command independent of the day


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> dict[str, Path]:
    """One fresh copy per documentation file (made when its first command runs), as after a clone:
    no audits, no reports, no register."""
    return {}


def copy_for(doc: str, copies: dict[str, Path], tmp_path_factory) -> Path:
    if doc not in copies:
        root = tmp_path_factory.mktemp("doc")
        for name in COPIED:
            shutil.copytree(ROOT / name, root / name)
        (root / "reports").mkdir()
        copies[doc] = root
    return copies[doc]


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    venv_bin = Path(sys.executable).parent
    assert (venv_bin / "checklist").exists(), f"no checklist console script in {venv_bin}"
    out = {k: v for k, v in os.environ.items() if not k.startswith("CHECKLIST_") and k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    out["LANG"] = "C.UTF-8"  # the default language, whatever the machine's locale
    out["PATH"] = f"{venv_bin}{os.pathsep}{out.get('PATH', '')}"
    return out


def test_every_doc_file_is_read_and_its_directives_are_well_formed():
    names = {relative(p) for p in DOC_FILES}
    assert {"README.md", "CONTRIBUTING.md", "docs/guide/audits.md", "docs/guide/register.md", "docs/cli.md"} <= names
    problems: list[str] = []
    for path in DOC_FILES:
        blocks(path, problems)
    assert not problems, "\n".join(problems)


def test_the_commands_are_parsed():
    assert len(COMMANDS) >= 80
    shown = {doc: "\n".join(c.text for c in COMMANDS if c.doc == doc) for doc in {c.doc for c in COMMANDS}}
    assert "checklist diff examples/catalogs/old.yaml examples/catalogs/new.yaml" in shown["docs/guide/duties.md"]
    assert "checklist events check examples/events/2026.yaml" in shown["docs/guide/deadlines.md"]
    here_doc = next(c for c in COMMANDS if c.flat.startswith("checklist audit run audits/events-audit.yaml"))
    assert here_doc.text.endswith("\nq\nEND") and here_doc.promise == "本次作答 3 项"
    assert any(c.skip for c in COMMANDS if c.doc == "README.md") and not any(c.skip for c in COMMANDS if c.doc == "docs/guide/duties.md")


def test_promises_and_exit_codes_are_read_from_the_comments():
    c = Command("x.md", 1, "", "checklist register show YH-2026-0002   # → 已销号 (with its history)", None)
    assert c.promise == "已销号" and c.expected == 0
    c = Command("x.md", 1, "", "checklist events check F --today 2026-11-23   # exits 4: late → reports/2026.pdf", None)
    assert c.promise == "reports/2026.pdf" and c.expected == 4
    c = Command("x.md", 1, "", "checklist list --today 2026-12-01   # open hazards, overdue → 逾期2个工作日; and more", None)
    assert c.promise == "逾期2个工作日"
    c = Command("x.md", 1, "", "checklist audit new --catalog c \\\n    --date 2026-11-20 -o a.yaml   # → 58 checks", None)
    assert c.promise == "58 checks" and c.flat == "checklist audit new --catalog c --date 2026-11-20 -o a.yaml"


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        s = path.stat()
    except (OSError, ValueError):
        return None
    return (s.st_ino, s.st_mtime_ns, s.st_size) if path.is_file() else None


@pytest.mark.slow  # ~100 commands, each a process; a file's commands depend on each other, so all or none
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.id)
def test_doc_command_runs_as_written(command: Command, copies: dict[str, Path], tmp_path_factory, env: dict[str, str]):
    if command.skip:
        pytest.skip(f"{command.id} `{command.flat}`: {command.skip}")
    for prefix, option in DATED.items():
        if command.flat.startswith(prefix + " ") and not UNDATED & set(command.flat.split()):
            assert option in command.flat.split(), f"{command.id}: `{prefix}` depends on today's date: give it {option}"
    if command.flat.startswith("checklist calendar ") and "--status" in command.flat.split():
        assert "--today" in command.flat.split(), f"{command.id}: `calendar --status` depends on today's date: give it --today"
    copy = copy_for(command.doc, copies, tmp_path_factory)
    promise = command.promise
    target = copy / promise if promise else None
    before = _stat(target) if target else None
    proc = subprocess.run(
        ["bash", "-c", command.text],
        cwd=copy,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == command.expected, (
        f"{command.id} exited {proc.returncode}, the text says {command.expected}:\n{command.text}\n"
        f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
    )
    if not re.match(r"(CHECKLIST_LANG|LANGUAGE|LC_ALL|LC_MESSAGES|LANG)=en", command.flat):
        try:
            given = tuple(shlex.split(command.text, comments=True))
        except ValueError:
            given = tuple(command.text.split())
        english = english_sentences(proc.stdout + "\n" + proc.stderr, given)
        assert not english, (
            f"{command.id} printed English in the default language: {english}\n--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
        )
    if promise and target:
        written = _stat(target)
        shown = re.search(rf"(?<![\w.]){re.escape(promise)}(?![\w.])", proc.stdout + proc.stderr)
        assert shown or (written and written != before), (
            f"{command.id} promises `{promise}`: neither in its output nor a file it wrote:\n"
            f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
        )
