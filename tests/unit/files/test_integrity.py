"""Nothing a user types can break a record (issue 20, items 1, 2 and 11): the one check of a typed
text refuses what a file cannot hold or a report cannot print; the loader refuses the same at its
line:col; the glyph coverage is the renderer's font's own; an atomic save reads back what it
wrote before it replaces the old file, and cleans what a killed writer left."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from checklist.errors import InvalidFileError, IOFailure, Refusal, UsageError
from checklist.files import atomic, glyphs, values
from checklist.files.loader import loads

HIDDEN = {
    "lone surrogate": "a\ud83db",
    "C0 control": "a\x01b",
    "NUL": "a\x00b",
    "C1 control NEL": "a\x85b",
    "line separator": "a\u2028b",
    "paragraph separator": "a\u2029b",
    "bidi override": "a\u202eb",
    "bidi isolate": "a\u2066b",
    "noncharacter": "a\uffffb",
    "noncharacter FDD0": "a\ufdd0b",
}
UNPRINTABLE = {"emoji": ("已整改👍", "👍", 4), "astral CJK": ("𠀀字", "𠀀", 1), "private use": ("记录\U000f0000", "\U000f0000", 3)}


@pytest.mark.parametrize("value", HIDDEN.values(), ids=HIDDEN.keys())
def test_a_hidden_character_is_refused_naming_the_field_and_its_place(value):
    with pytest.raises(Refusal) as e:
        values.text("note", value)
    assert e.value.code == "value.character" and e.value.field == "note" and e.value.params["position"] == 2
    assert e.value.params["char"] == f"U+{ord(value[1]):04X}"


@pytest.mark.parametrize("value, char, position", UNPRINTABLE.values(), ids=UNPRINTABLE.keys())
def test_a_character_the_report_font_lacks_is_refused_as_unprintable(value, char, position):
    with pytest.raises(Refusal) as e:
        values.text("measure", value)
    assert e.value.code == "value.unprintable" and e.value.field == "measure"
    assert e.value.params == {"char": f"U+{ord(char):04X}", "glyph": char, "position": position}


def test_what_the_font_draws_is_accepted():
    text = "已整改：更换灭火器 3 具（①②），费用 ¥1,200 — “合格”\t完毕\n第二行　全角空格"
    assert values.text("measure", text) == text


IN_FILES = {k: (v, 1) for k, v in HIDDEN.items() if k != "lone surrogate"} | {"emoji": ("现场良好😀", 4), "astral CJK": ("𠀀", 0)}


@pytest.mark.parametrize("value, index", IN_FILES.values(), ids=IN_FILES.keys())
def test_the_loader_refuses_the_same_characters_at_line_and_column(value, index):
    """(A lone surrogate cannot be in a file: its bytes are not UTF-8, refused by decode — below.)"""
    text = f"target:\n  name: 科技处\nnote: {value}\n"
    with pytest.raises(InvalidFileError) as e:
        loads(text, "a.yaml")
    first = e.value.problems[0]
    assert (first.path, first.line, first.column) == ("a.yaml", 3, 7 + index)
    assert f"U+{ord(value[index]):04X}" in first.message


def test_a_file_that_is_not_utf8_is_refused_where_the_bad_byte_is(tmp_path):
    from checklist.errors import InputFileError
    from checklist.files.loader import load

    p = tmp_path / "a.yaml"
    p.write_bytes(b"note: a\xed\xa0\xbdb\n")  # a lone surrogate encoded as if it were a character
    with pytest.raises(InputFileError) as e:
        load(p)
    assert (e.value.line, e.value.column) == (1, 8)


# --- the glyph coverage is the renderer's font's ---------------------------------------------


def test_coverage_is_read_from_the_font_file_fontconfig_resolves():
    from fontTools.ttLib import TTFont

    file, index = glyphs.font_file()
    probe = subprocess.run(["fc-match", "-f", "%{file}", glyphs.FONT_FAMILY], capture_output=True, text=True, check=True).stdout
    assert file == probe
    with TTFont(file, fontNumber=index, lazy=True) as font:
        cmap = set(font.getBestCmap())
        assert glyphs.FONT_FAMILY in font["name"].getDebugName(1)
    covered = glyphs.coverage()
    assert covered is not None and len(covered) == len(cmap)
    for code in (0x41, 0x5DF2, 0x3000, 0x2460, 0x1F44D, 0x1F600, 0x20000, 0xF0000):
        assert (chr(code) in covered) == (code in cmap)


def test_the_pdf_module_pins_the_same_family():
    from checklist.outputs import templating

    assert templating.FONT_FAMILY == glyphs.FONT_FAMILY


def test_the_disk_cache_is_keyed_by_the_font_file_and_refreshed_when_it_changes(tmp_path):
    """A fresh process reads the map from the cache (no fontTools import); a cache whose font
    file's size or time differs is read again from the font."""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    code = (
        "import sys, time; t = time.perf_counter(); from checklist.files import glyphs; c = glyphs.coverage();"
        "print(len(c), 'fontTools' in sys.modules, round((time.perf_counter() - t) * 1000))"
    )
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    cache = tmp_path / "checklist" / "glyphs.json"
    entry = json.loads(cache.read_text(encoding="utf-8"))[glyphs.FONT_FAMILY]
    assert first[1] == "True" and entry["file"] == glyphs.font_file()[0]
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert second[0] == first[0] and second[1] == "False"  # from the cache
    entry["stamp"] = [1, 1]  # as if the font file had been replaced
    cache.write_text(json.dumps({glyphs.FONT_FAMILY: entry}), encoding="utf-8")
    third = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert third[0] == first[0] and third[1] == "True"
    cache.write_text("not json", encoding="utf-8")
    fourth = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert fourth[0] == first[0]


def test_without_the_font_nothing_is_refused_for_want_of_a_glyph(monkeypatch):
    glyphs.coverage.cache_clear()
    monkeypatch.setattr(glyphs, "_read_cache", lambda family: None)
    try:
        assert glyphs.coverage("No Such Font CJK XYZ") is None
    finally:
        glyphs.coverage.cache_clear()


# --- atomic saves read back what they wrote ------------------------------------------------


def test_a_save_whose_read_back_fails_its_check_keeps_the_old_file(tmp_path):
    target = tmp_path / "a.yaml"
    target.write_text("old\n", encoding="utf-8")

    def refuse(text: str) -> None:
        raise UsageError("does not load")

    with pytest.raises(UsageError):
        atomic.write_text(target, "new\n", verify=refuse)
    assert target.read_text(encoding="utf-8") == "old\n" and list(tmp_path.iterdir()) == [target]


def test_text_utf8_cannot_hold_is_refused_and_nothing_written(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UsageError, match="U\\+D83D"):
        atomic.write_text(target, "a\ud83db")
    assert target.read_text(encoding="utf-8") == "old" and list(tmp_path.iterdir()) == [target]


def test_bytes_that_read_back_differently_are_never_put_in_place(tmp_path, monkeypatch):
    import builtins

    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    real_open = builtins.open

    class Short:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.f.close()

        def read(self):
            return self.f.read()[:-1]  # a disk that lost the last byte

    def fake_open(path, mode="r", *a, **k):
        f = real_open(path, mode, *a, **k)
        return Short(f) if mode == "rb" and str(path).endswith(".tmp") else f

    monkeypatch.setattr(builtins, "open", fake_open)
    with pytest.raises(IOFailure, match="读回的文件与写入的内容不同"):
        atomic.write_bytes(target, b"new data")
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and list(tmp_path.iterdir()) == [target]


def test_an_audit_save_that_would_not_load_again_keeps_the_old_file(tmp_path, monkeypatch):
    from paths import ROOT

    from checklist.audits.audit_file import load_audit

    shutil.copytree(ROOT / "examples" / "evidence", tmp_path / "evidence")
    path = tmp_path / "a.yaml"
    path.write_bytes((ROOT / "examples" / "tech-2026q4.yaml").read_bytes())
    before = path.read_bytes()
    a, cat, _ = load_audit(path)
    good = a.to_yaml
    monkeypatch.setattr(a, "to_yaml", lambda *args: good(*args).replace("    result: pass", "    result: maybe", 1))  # breaks the schema
    with pytest.raises(InvalidFileError) as e:
        a.save(cat)
    assert "result" in str(e.value) and path.read_bytes() == before
    monkeypatch.setattr(a, "to_yaml", lambda *args: good(*args) + "extra: [unclosed\n")  # does not parse
    with pytest.raises(InvalidFileError):
        a.save(cat)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_killed_writers_temporary_file_is_removed_by_the_next_save(tmp_path):
    """kill -9 in the middle of a write (here: a child killed while its temporary file exists)
    leaves ``.<name>.<pid>-….tmp``; the next write of the same file removes it — but never the
    temporary file of a writer still alive."""
    target = tmp_path / "ledger.csv"
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead = tmp_path / f".ledger.csv.{child.pid}-abc123.tmp"
    dead.write_bytes(b"half")
    alive = tmp_path / f".ledger.csv.{os.getppid()}-def456.tmp"
    alive.write_bytes(b"another writer, still at it")
    child.kill()
    child.wait()
    atomic.write_text(target, "a,b\n")
    assert not dead.exists() and alive.exists() and target.read_text(encoding="utf-8") == "a,b\n"


def test_a_killed_cli_write_leaves_nothing_behind_on_the_next_run(tmp_path):
    """The real thing: a process writing through the gate is killed with SIGKILL between writing
    its temporary file and the rename; the next command writing that file cleans up."""
    target = tmp_path / "out.txt"
    code = (
        "import os, signal, sys; from checklist.files import atomic\n"
        "def stop(b): os.kill(os.getpid(), signal.SIGKILL)\n"
        f"atomic.write_bytes({str(target)!r}, b'x' * 100000, verify=stop)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert proc.returncode == -9
    assert len(list(tmp_path.glob(".out.txt.*.tmp"))) == 1 and not target.exists()
    atomic.write_text(target, "done")
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
