"""`checklist audit run`: answers from piped input, saved one by one, resumable, never lost."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

from checklist.audits.audit_file import load_audit


def results(path):
    a, _, _ = load_audit(path)
    return [e.result for e in a.entries]


def test_answers_findings_and_reasons(run, audit_file):
    answers = "y\nn\n2\n舞台未经验收投入使用\n其他\n可致群死群伤\n立即整改\n王五\n2026-12-31\n现场发现问题\na\n未办活动\nq\n"
    result = run("audit", "run", audit_file, input=answers)
    assert result.exit_code == 0, result.output
    assert "本次作答 3 项" in result.output
    a, _, _ = load_audit(audit_file)
    first, second, third = a.entries[:3]
    assert first.result == "pass"
    assert second.result == "fail" and second.note == "现场发现问题"
    assert (second.finding.hazard, second.finding.measure, second.finding.owner, second.finding.due) == (
        "重大事故隐患",
        "立即整改",
        "王五",
        "2026-12-31",
    )
    assert (second.finding.description, second.finding.basis, second.finding.basis_reason) == (
        "舞台未经验收投入使用",
        "其他",
        "可致群死群伤",
    )
    assert third.result == "na" and third.reason == "未办活动"
    assert all(e.result == "unchecked" for e in a.entries[3:])


def test_shows_reference_clause_text_and_question(run, audit_file):
    result = run("audit", "run", audit_file, input="q\n")
    assert "第三十条" in result.output
    assert "条文: 各处室单位及各区广电归口管理单位应围绕重要时期、重点时段、重大活动等" in result.output
    assert "检查: " in result.output


def test_resume_starts_at_first_unanswered(run, audit_file):
    run("audit", "run", audit_file, input="y\nq\n")
    result = run("audit", "run", audit_file, input="q\n")
    a, _, _ = load_audit(audit_file)
    assert f"[2/{len(a.entries)}]" in result.output and "[1/" not in result.output


def test_skip_and_back(run, audit_file):
    # skip the first, answer the second, go back to it and change it, quit
    result = run("audit", "run", audit_file, input="s\ny\nb\na\n不涉及\nq\n")
    assert result.exit_code == 0
    assert results(audit_file)[:3] == ["unchecked", "na", "unchecked"]


def test_bad_date_and_empty_reason_are_asked_again(run, audit_file):
    answers = "a\n\n理由\nn\n1\n\n描述\n措施\n责任人\n2026-02-30\n2026-01-01\n2026-12-01\n\nq\n"
    result = run("audit", "run", audit_file, input=answers)
    assert "理由：不得为空" in result.output and "隐患描述：不得为空" in result.output
    assert "整改期限：'2026-02-30' 不是日期" in result.output
    assert "整改期限：'2026-01-01' 早于 2026-11-20" in result.output
    a, _, _ = load_audit(audit_file)
    assert a.entries[1].finding.due == "2026-12-01" and a.entries[1].finding.hazard == "一般隐患"


def test_input_ending_mid_answer_records_nothing_half_done(run, audit_file):
    before = audit_file.read_text(encoding="utf-8")
    result = run("audit", "run", audit_file, input="y\nn\n1\n措施")  # ends before owner and due date
    assert result.exit_code == 1
    assert "在填写 A30-b (第三十条) 的答案中途输入结束：该答案未保存" in result.stderr
    assert "本次作答 1 项" in result.stdout
    assert results(audit_file)[:2] == ["pass", "unchecked"]
    assert audit_file.read_text(encoding="utf-8") != before


def test_invalid_audit_is_refused(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("catalog: {id: bj-rtv-3g3b, sha256: x}\ntarget: {name: x}\ninspectors: []\ndate: x\nchecks: []\n", encoding="utf-8")
    result = run("audit", "run", bad)
    assert result.exit_code == 1
    assert f"{bad}:1:" in result.output


def test_killed_mid_session_keeps_every_answer_given(audit_file):
    """SIGKILL between answers: the file is valid and holds all answers saved before the kill."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "checklist", "audit", "run", str(audit_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for i, answer in enumerate(["y\n", "n\n2\n设备带病运行\n\n停用整改\n王五\n2026-12-31\n\n", "y\n"], start=1):
            proc.stdin.write(answer.encode())
            proc.stdin.flush()
            _wait_until(lambda i=i: sum(r != "unchecked" for r in results(audit_file)) == i)
        proc.stdin.write(b"n\n1\n")  # a fourth answer half typed when the kill comes
        proc.stdin.flush()
        time.sleep(0.2)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    assert results(audit_file)[:4] == ["pass", "fail", "pass", "unchecked"]
    assert not list(audit_file.parent.glob(".a.yaml.*.tmp"))


def _wait_until(condition, timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if condition():
                return
        except Exception:  # the file is being replaced: try again
            pass
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


# --- the piped protocol: words, whole lines, no shifting ---------------------------------------


@pytest.mark.parametrize(
    ("word", "hazard"),
    [
        ("1", "一般隐患"),
        ("一般", "一般隐患"),
        ("一般隐患", "一般隐患"),
        ("2", "重大事故隐患"),
        ("重大", "重大事故隐患"),
        ("重大事故隐患", "重大事故隐患"),
        ("２", "重大事故隐患"),
    ],
)
def test_hazard_level_accepts_the_words(run, audit_file, word, hazard):
    basis = "\n" if hazard == "重大事故隐患" else ""  # 重大: 定级依据 is asked (left empty)
    result = run("audit", "run", audit_file, input=f"n\n{word}\n描述\n{basis}措施\n王五\n2026-12-31\n\nq\n")
    assert result.exit_code == 0, result.output
    a, _, _ = load_audit(audit_file)
    assert a.entries[0].finding.hazard == hazard


def test_rejected_line_is_echoed_in_full_and_never_cut_to_its_first_character(run, audit_file):
    """A date where the level was asked is not read as 2 (重大事故隐患): it is refused, and the next line is the level."""
    result = run("audit", "run", audit_file, input="n\n2026-12-31\n1\n描述\n措施\n王五\n2026-12-31\n\nyes\ny\nq\n")
    assert "'2026-12-31' 不是有效的回答" in result.output
    assert "'yes' 不是有效的回答" in result.output  # not taken as y
    a, _, _ = load_audit(audit_file)
    assert a.entries[0].finding.hazard == "一般隐患"
    assert [e.result for e in a.entries[:3]] == ["fail", "pass", "unchecked"]


@pytest.mark.parametrize("key", ["y", "Ｙ"])
def test_a_script_that_leaves_out_the_note_does_not_shift_later_answers(run, audit_file, key):
    result = run("audit", "run", audit_file, input=f"n\n重大\n描述\n特征清单第2项\n措施\n王五\n2026-12-31\n{key}\na\n不涉及\nq\n")
    assert result.exit_code == 0, result.output
    a, _, _ = load_audit(audit_file)
    assert [e.result for e in a.entries[:3]] == ["fail", "pass", "na"]
    assert a.entries[0].note == "" and a.entries[2].reason == "不涉及" and a.entries[0].finding.basis == "特征清单第2项"


def test_every_prompt_is_listed_in_order_in_help_and_readme(run):
    from paths import ROOT

    from checklist.audits.session import HELP, PROMPTS

    labels = [HELP] + [p.split(" [")[0].split(" (YYYY")[0].rstrip(": >") for p in PROMPTS[1:]]
    assert labels[-1] == "备注 (可空)"
    guide = ROOT.joinpath("docs", "guide", "audits.md").read_text(encoding="utf-8")
    for text in (run("audit", "run", "--help").output, guide[guide.index("## The `audit run` protocol") :]):
        positions = [text.find(label) for label in labels]
        assert -1 not in positions, [label for label, p in zip(labels, positions, strict=True) if p == -1]
        assert positions[2:] == sorted(positions[2:])  # after n: level, description, basis, reason, measure, owner, due date, note
