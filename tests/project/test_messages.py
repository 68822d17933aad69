"""The message catalog: every message of the code, of the commands' help and of click has its Chinese
translation with the same placeholders, and the shipped .mo is compiled from the .po
(tools/messages.py extracts and compiles; these tests ask it). Also: what counts as an English
sentence in output (tests/language.py), which every CLI test applies."""

from __future__ import annotations

import importlib.util

import pytest
from language import english_sentences
from paths import ROOT

spec = importlib.util.spec_from_file_location("messages", ROOT / "tools" / "messages.py")
assert spec and spec.loader
messages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(messages)


@pytest.fixture(scope="module")
def extracted():
    return messages.extract()


@pytest.fixture(scope="module")
def catalog():
    return messages.read_catalog()


def test_messages_are_extracted_from_code_help_and_click(extracted):
    places = [where for wheres in extracted.values() for where in wheres]
    assert len(extracted) > 900
    assert any(w.startswith("checklist/files/") for w in places)
    assert any(w.startswith("help of `checklist register import`") for w in places)
    assert any(w.startswith("click/") for w in places)
    assert "Usage:" in extracted and "{field}: must not be empty" in extracted


def test_every_message_has_a_chinese_translation_with_the_same_placeholders(extracted, catalog):
    missing, differ, english = [], [], []
    for message in extracted:
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        strings = [] if entry is None else [entry.string] if isinstance(entry.string, str) else list(entry.string)
        if entry is None or not all(strings):
            missing.append(key)
            continue
        wanted = sorted(messages.PLACEHOLDER.findall(message if isinstance(message, str) else message[-1]))
        differ += [f"{key!r} → {s!r}" for s in strings if sorted(messages.PLACEHOLDER.findall(s)) != wanted]
        english += [f"{key!r} → {s!r}: {found}" for s in strings if (found := english_sentences(s.replace("\\b", "")))]
    assert not missing, (
        f"{len(missing)} messages without a Chinese translation (python tools/messages.py update, then translate):\n"
        + "\n".join(map(repr, missing[:40]))
    )
    assert not differ, "placeholders differ:\n" + "\n".join(differ)
    assert not english, "translations with an English sentence:\n" + "\n".join(english)


def test_the_mo_is_compiled_from_the_po(catalog):
    assert messages.MO.read_bytes() == messages.compiled(catalog), "run python tools/messages.py update"


def test_the_checker_passes():
    assert messages.problems() == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("checklist: error: no such file", ["checklist: error: no such file"]),
        ("a.yaml:3:5: 缺少必填字段 id", []),
        ("use --force to overwrite", []),
        ("Error: Missing option '--catalog'.", ["Error: Missing option"]),
        ("运行 `checklist register list` 查看", []),
        ("见 https://example.org/a/b c", []),
        ("用法: checklist audit new [OPTIONS] FILE", []),
        ('{"error": {"message": "is not one of the allowed values"}}', []),
        ("值 'some value the user typed' 无效", []),
        ("YH-2026-0001 bj-rtv-3g3b A21-2-a reports/x.pdf", []),
        ("the hazard was closed", ["the hazard was closed"]),
        ("以 JSON Lines 导出", []),
    ],
)
def test_english_sentences_are_three_english_words_in_a_row(text, found):
    assert english_sentences(text) == found


def test_the_words_given_to_a_command_are_not_its_english():
    assert english_sentences("被检查对象：Acme North Station", given=("Acme North Station",)) == []
    assert english_sentences("被检查对象：Acme North Station") == ["Acme North Station"]
