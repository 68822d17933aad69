"""Answers and files are never lost or replaced by surprise (issue 16, item 1): one lock per audit,
no overwrite of a file changed since it was read, saves through symlinks, no write over anything
that is not a regular file, no temporary file left behind, and an answer cut short is named."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import signal
import stat
import subprocess
import sys
import termios
import time

import pytest
from audit_helpers import EVENT, NEW_AUDIT

from checklist.audits.audit_file import load_audit
from checklist.files import atomic

NEW = [*NEW_AUDIT, *EVENT]
FINDING = "n\n2\n设备带病运行\n\n停用整改\n王五\n2026-12-31\n\n"


def results(path):
    a, _, _ = load_audit(path)
    return [e.result for e in a.entries]


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@contextlib.contextmanager
def session(path):
    """`checklist audit run PATH` in another process, fed through a pipe; stopped on exit. What it
    prints goes to ``proc.log`` (outside the audit's folder), so a test can wait for a prompt."""
    log = path.parent.parent / f"{path.parent.name}-session.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "checklist", "audit", "run", str(path)],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.PIPE,
        )
    proc.log = log
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        proc.stderr.close()


def printed(proc, text):
    return proc.log.read_text(encoding="utf-8", errors="replace").count(text)


def send(proc, text):
    proc.stdin.write(text.encode())
    proc.stdin.flush()


def wait_until(condition, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with contextlib.suppress(Exception):  # a file being replaced or half-written: try again
            if condition():
                return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def lock_holder(path):
    return json.loads((path.parent / f".{path.name}.lock").read_text(encoding="utf-8"))


# --- one writer per audit -----------------------------------------------------------------------


def test_second_session_is_refused_with_the_holder(run, audit_file):
    with session(audit_file) as first:
        wait_until(lambda: lock_holder(audit_file)["pid"] == first.pid)
        second = run("audit", "run", audit_file, input="y\nq\n")
        assert second.exit_code == 75
        holder = lock_holder(audit_file)
        for part in (
            f"{audit_file} 正在使用中",
            "checklist audit run",
            f"{holder['user']} 在 {holder['host']} 上运行的",
            f"（pid {first.pid}）",
        ):
            assert part in second.stderr
        assert f"始于 {holder['since']}" in second.stderr
        assert results(audit_file)[0] == "unchecked"  # the refused session wrote nothing
        send(first, "y\nq\n")
        assert first.wait(timeout=20) == 0
    assert results(audit_file)[0] == "pass"
    assert not (audit_file.parent / ".a.yaml.lock").exists()  # released and removed


def test_every_save_of_the_audit_takes_the_lock(run, audit_file):
    """`audit new --force` over an audit being answered is refused too: the lock is in the save."""
    with session(audit_file) as first:
        wait_until(lambda: lock_holder(audit_file)["pid"] == first.pid)
        result = run(*NEW, "--date", "2026-11-21", "--force", "-o", audit_file)
        assert result.exit_code == 75 and "正在使用中" in result.stderr
    a, _, _ = load_audit(audit_file)
    assert a.date == "2026-11-20"


def test_lock_of_a_dead_process_never_blocks(run, audit_file):
    with session(audit_file) as first:
        wait_until(lambda: lock_holder(audit_file)["pid"] == first.pid)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    assert (audit_file.parent / ".a.yaml.lock").exists()  # left behind by the killed process …
    result = run("audit", "run", audit_file, input="y\nq\n")
    assert result.exit_code == 0, result.stderr  # … and ignored: the OS released its lock
    assert results(audit_file)[0] == "pass"


# --- a file changed since it was read is not overwritten ----------------------------------------


def test_file_changed_during_a_session_keeps_both_versions(audit_file):
    with session(audit_file) as proc:
        send(proc, "y\n")
        wait_until(lambda: results(audit_file)[0] == "pass")
        edited = audit_file.read_text(encoding="utf-8").replace("result: unchecked", "result: na\n    reason: 编辑器里填的", 1)
        audit_file.write_text(edited, encoding="utf-8")  # someone else saves the file meanwhile
        send(proc, FINDING)
        assert proc.wait(timeout=20) == 75
        message = proc.stderr.read().decode()
    kept = [p for p in audit_file.parent.iterdir() if p.name.startswith("a.conflict-")]
    assert len(kept) == 1 and kept[0].suffix == ".yaml"
    assert f"{audit_file} 读取后在磁盘上被修改" in message and str(kept[0]) in message
    assert audit_file.read_text(encoding="utf-8") == edited  # their version untouched
    assert results(audit_file)[:2] == ["pass", "na"]
    assert results(kept[0])[:2] == ["pass", "fail"]  # ours kept, with the answer just given
    assert not leftovers(audit_file.parent)


def test_save_compares_the_digest_read(audit_file):
    from checklist.errors import BusyError

    a, cat, _ = load_audit(audit_file)
    a.entries[0].answer("pass")
    a.save(cat)  # unchanged since read: saved
    audit_file.write_text(audit_file.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")
    a.entries[1].answer("pass")
    with pytest.raises(BusyError, match="读取后在磁盘上被修改"):
        a.save(cat)
    assert audit_file.read_text(encoding="utf-8").endswith("# touched\n")


def test_a_file_that_must_be_new_is_not_overwritten(tmp_path):
    """`audit new` checks first, but a file may appear before the rename: it is kept, ours set aside."""
    from checklist.errors import BusyError

    target = tmp_path / "new.yaml"
    target.write_text("someone else's", encoding="utf-8")
    with pytest.raises(BusyError, match="在此期间被创建") as refused:
        atomic.write_text(target, "ours", expect=atomic.ABSENT)
    (kept,) = tmp_path.glob("new.conflict-*.yaml")
    assert str(kept) in str(refused.value) and kept.read_text(encoding="utf-8") == "ours"
    assert target.read_text(encoding="utf-8") == "someone else's" and not leftovers(tmp_path)


# --- symbolic links -----------------------------------------------------------------------------


def test_session_on_a_symlink_saves_through_to_the_real_file(run, audit_file, tmp_path):
    link = tmp_path / "elsewhere" / "link.yaml"
    link.parent.mkdir()
    link.symlink_to(audit_file)
    result = run("audit", "run", link, input="y\ny\nq\n")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and link.resolve() == audit_file.resolve()
    assert results(audit_file)[:2] == ["pass", "pass"]
    assert not list(link.parent.glob(".*"))  # no lock or temporary file beside the link


# --- outputs that are not regular files ---------------------------------------------------------


def special_targets(tmp_path):
    """A FIFO, a symbolic link to a file, a character device: each must survive any output's -o.
    The device is a copy of /dev/null's node made in the test's folder (tests run as root), so a
    regression replaces that copy, never the machine's /dev/null."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(victim)
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.stat("/dev/null").st_rdev)
    return {"fifo": fifo, "symlink": link, "device": device}


OUTPUTS = {
    "report json": lambda a, o: ["report", a, "--format", "json", "-o", o],
    "report csv": lambda a, o: ["report", a, "--format", "csv", "-o", o],
    "report html": lambda a, o: ["report", a, "--format", "html", "-o", o],
    "audit new": lambda a, o: [*NEW, "--date", "2026-11-20", "--force", "-o", o],
    "duties md": lambda a, o: ["duties", "--catalog", "bj-rtv-3g3b", "--unit", "tech", "--format", "md", "-o", o],
    "duties xlsx": lambda a, o: ["duties", "--catalog", "bj-rtv-3g3b", "--unit", "tech", "--format", "xlsx", "-o", o],
    "sample": lambda a, o: ["sample", a.parent / "p.csv", "--rate", "50%", "--seed", "1", "-o", o],
    "import": lambda a, o: ["import", a.parent / "t.txt", "--layout", "articles", "--force", "-o", o],
}


@pytest.mark.parametrize("command", OUTPUTS)
@pytest.mark.parametrize("kind", ["fifo", "symlink", "device"])
def test_output_over_a_non_regular_file_is_refused(run, audit_file, tmp_path, command, kind):
    (tmp_path / "p.csv").write_text("名称\n甲\n乙\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text("第一条 各处室单位应当建立安全生产责任制。\n", encoding="utf-8")
    target = special_targets(tmp_path)[kind]
    result = run(*OUTPUTS[command](audit_file, target))
    assert result.exit_code == 2, result.output
    assert f"{target} 是" in result.stderr and "不是普通文件：拒绝覆盖" in result.stderr
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo").st_mode)
    assert (tmp_path / "link").is_symlink() and (tmp_path / "victim.txt").read_text(encoding="utf-8") == "keep me"
    assert stat.S_ISCHR(os.lstat(tmp_path / "null").st_mode)
    assert not leftovers(tmp_path)


def test_pdf_report_over_a_fifo_is_refused(run, audit_file, tmp_path):
    fifo = special_targets(tmp_path)["fifo"]
    result = run("report", audit_file, "-o", fifo)
    assert result.exit_code == 2 and "是FIFO（命名管道），不是普通文件" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and not leftovers(tmp_path)


# --- temporary files never outlive a save -------------------------------------------------------


def test_failed_write_removes_its_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old" and not leftovers(tmp_path)


def test_temporary_file_of_a_killed_save_is_removed_by_the_next(run, audit_file):
    """kill -9 in the middle of a save leaves its temporary file: the next save under the lock removes it."""
    stale = audit_file.parent / ".a.yaml.x1y2z3.tmp"
    stale.write_text("half an audit", encoding="utf-8")
    other = audit_file.parent / ".b.yaml.x1y2z3.tmp"  # another file's: not ours to remove
    other.write_text("", encoding="utf-8")
    assert run("audit", "run", audit_file, input="y\nq\n").exit_code == 0
    assert leftovers(audit_file.parent) == [other.name]


def test_sigterm_during_a_save_removes_the_temporary_file(tmp_path):
    """The CLI turns SIGTERM into an exception, so the save unwinds: old file kept, no .tmp left."""
    audit = tmp_path / "a.yaml"
    out = tmp_path / "r.json"
    out.write_text("old", encoding="utf-8")
    script = (
        "import os, signal, sys\n"
        "from checklist.cli import main\n"
        "real = os.fsync\n"
        "def fsync(fd):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    real(fd)\n"
        "os.fsync = fsync\n"
        "sys.argv = ['checklist', *sys.argv[1:]]\n"
        "main()\n"
    )
    subprocess.run([sys.executable, "-m", "checklist", *NEW, "--date", "2026-11-20", "-o", audit], check=True, capture_output=True)
    proc = subprocess.run(
        [sys.executable, "-c", script, "report", str(audit), "--format", "json", "-o", str(out)], capture_output=True, timeout=60
    )
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert out.read_text(encoding="utf-8") == "old" and not leftovers(tmp_path)


# --- an answer cut short is named ---------------------------------------------------------------


def test_ctrl_c_in_the_middle_of_a_finding_piped(audit_file):
    with session(audit_file) as proc:
        send(proc, "y\nn\n1\n隐患描述\n整改措施\n")
        wait_until(lambda: printed(proc, "整改责任人: ") == 1)  # the finding's owner is being asked now
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 130
        message = proc.stderr.read().decode()
    assert "在填写 A30-b (第三十条) 的答案中途中断（Ctrl-C）：该答案未保存" in message
    assert results(audit_file)[:2] == ["pass", "unchecked"]


def test_ctrl_c_between_answers_piped(audit_file):
    with session(audit_file) as proc:
        send(proc, "y\n")
        wait_until(lambda: printed(proc, "保存退出 > ") == 2)  # at the next check's key prompt
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 130
        assert "已中断（Ctrl-C），发生在两项作答之间：已作答的答案均已保存" in proc.stderr.read().decode()
    assert results(audit_file)[:2] == ["pass", "unchecked"]


def test_session_on_a_missing_file_makes_nothing(run, tmp_path):
    result = run("audit", "run", tmp_path / "no" / "such" / "a.yaml")
    assert result.exit_code == 2 and "没有该文件" in result.stderr
    assert not (tmp_path / "no").exists()  # no folder made for a lock file


@pytest.mark.slow
def test_ctrl_c_and_end_of_input_on_a_terminal(audit_file):
    """On a terminal (a pseudo-terminal here): Ctrl-C mid-finding exits 130, Ctrl-D exits 1."""
    for key, code, words in ((b"\x03", 130, "中途中断（Ctrl-C）"), (b"\x04", 1, "中途输入结束")):
        main, secondary = os.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-m", "checklist", "audit", "run", str(audit_file)],
            stdin=secondary,
            stdout=secondary,
            stderr=subprocess.PIPE,
            preexec_fn=_controlling_terminal,
        )
        os.close(secondary)
        try:
            steps = (("保存退出 > ", b"n"), ("隐患等级", b"1"), ("隐患描述: ", "描述\r".encode()), ("整改措施: ", "措施\r".encode()))
            for prompt, chunk in (*steps, ("整改责任人: ", key)):
                _expect(main, prompt)
                time.sleep(0.3)  # a single-key prompt discards what was typed before it switched the terminal to raw mode
                os.write(main, chunk)
            assert proc.wait(timeout=20) == code
            message = proc.stderr.read().decode()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
            os.close(main)
            proc.stderr.close()
        assert words in message and "在填写 A30-a (第三十条) 的答案" in message and "该答案未保存" in message
    assert results(audit_file)[0] == "unchecked"


def _controlling_terminal() -> None:
    """In the child: a new session whose controlling terminal is the pty, so Ctrl-C sends SIGINT."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _expect(fd: int, text: str, timeout: float = 30.0) -> None:
    """Read what the program prints until ``text`` appears (it is then waiting for that answer)."""
    seen = b""
    end = time.monotonic() + timeout
    while text.encode() not in seen:
        assert time.monotonic() < end, f"no {text!r} in {seen.decode(errors='replace')[-300:]!r}"
        if select.select([fd], [], [], 0.2)[0]:
            seen += os.read(fd, 65536)
