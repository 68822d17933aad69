"""The YAML loader: safe data only, places for every refusal, dates kept as text."""

from __future__ import annotations

import pytest

from checklist.errors import InputFileError, InvalidFileError
from checklist.files import loader


def write(tmp_path, text: str | bytes, name: str = "f.yaml"):
    p = tmp_path / name
    (p.write_bytes if isinstance(text, bytes) else lambda t: p.write_text(t, encoding="utf-8"))(text)
    return p


def test_dates_stay_text_and_scalars_keep_their_types(tmp_path):
    doc = loader.load(write(tmp_path, "d: 2026-02-10\nn: 10\nf: 1.5\nb: true\nz: null\ns: '10'\nyes: no\n"))
    assert doc.data == {"d": "2026-02-10", "n": 10, "f": 1.5, "b": True, "z": None, "s": "10", "yes": False}


def test_positions_point_at_values_and_keys(tmp_path):
    doc = loader.load(write(tmp_path, "a:\n  - x\n  - {b: 中文值, c: 2}\n"))
    assert doc.position(["a", 1, "b"]) == (3, 9)  # columns count characters, not bytes
    assert doc.position(["a", 1], key="c") == (3, 14)
    assert doc.position(["missing"]) == (1, 1)  # the deepest existing node: the root


def test_bom_is_accepted(tmp_path):
    assert loader.load(write(tmp_path, b"\xef\xbb\xbfk: \xe4\xb8\xad\n")).data == {"k": "中"}


def test_alias_within_limits_is_fine(tmp_path):
    doc = loader.load(write(tmp_path, "a: &x [1, 2]\nb: *x\n"))
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


def test_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_BYTES", 10)
    with pytest.raises(InputFileError, match="超过 10 字节的文件不予读取"):
        loader.load(write(tmp_path, "key: a value longer than ten bytes\n"))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputFileError, match="没有该文件"):
        loader.load(tmp_path / "nope.yaml")
    with pytest.raises(InputFileError, match="是文件夹"):
        loader.load(tmp_path)


def test_custom_tags_are_refused(tmp_path):
    with pytest.raises(InvalidFileError) as e:
        loader.load(write(tmp_path, "a: !custom 1\nb: !!set {x}\n"))
    assert [(p.line, p.column) for p in e.value.problems] == [(1, 4), (2, 4)]


def test_yaml11_hex_int_is_read(tmp_path):
    doc = loader.load(write(tmp_path, "a: 0x1F\n"))  # YAML 1.1 hex is a valid int
    assert doc.data == {"a": 31}
