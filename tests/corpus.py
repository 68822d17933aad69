"""The hostile strings of issue 20's corpus test, fed to every text field of every entry point:
each must be refused with its field named, or stored, read back, validated and printed."""

from __future__ import annotations

CORPUS = {
    "lone surrogate": "甲\ud83d乙",
    "C0 control": "甲\x07乙",
    "C1 control": "甲\x9b乙",
    "NEL": "甲\x85乙",
    "line separator": "甲\u2028乙",
    "paragraph separator": "甲\u2029乙",
    "bidi override": "甲\u202e乙",
    "bidi isolate": "甲\u2067乙",
    "NUL": "甲\x00乙",
    "emoji": "已整改😀",
    "astral CJK": "甲𠀀乙",
    "10,000 characters": "长" * 10_000,
    # and one that must be taken everywhere: it proves the accepting branch of each test runs too
    "printable": "整改完成（①②）　“合格”—符合 GB 6441",
}
HOSTILE = [k for k in CORPUS if k != "printable"]
REFUSED = ("value.character", "value.unprintable", "value.too_long")


def cases() -> list[tuple[str, str]]:
    return list(CORPUS.items())


def ids() -> list[str]:
    return list(CORPUS)


def pdf_text(data: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as doc:
        return "".join(p.extract_text() or "" for p in doc.pages)
