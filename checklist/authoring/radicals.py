"""Kangxi radicals and their look-alikes in text extracted from PDFs.

Extractors often write a radical code point (U+2F00–U+2FD5, U+2E80–U+2EF3) where the document
printed an ordinary character. NFKC maps most Kangxi radicals to the character meant (⼗ → 十),
and those are folded silently. The radicals in ``AMBIGUOUS`` are not: NFKC maps them to another
character than the one these (simplified-Chinese government) texts mean, or to none at all, so
folding them would write a wrong character into a verbatim text. They are left as they are and
reported with their line and context; the user applies the likely reading with
``--fix-radical ⼜=口``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from checklist.i18n import _

# radical → the character it usually stands for in simplified-Chinese government texts. NFKC
# gives another character (⼜ → 又, ⾨ → 門) or none (⻔ stays ⻔).
AMBIGUOUS: dict[str, str] = {
    "\u2f1c": "口",  # ⼜ KANGXI RADICAL AGAIN: NFKC 又; seed 002 writes it for 口 (人⼜ = 人口, 窗⼜ = 窗口)
    "\u2f3e": "户",  # ⼾ DOOR: NFKC 戶 (traditional)
    "\u2f92": "见",  # ⾒ SEE: NFKC 見
    "\u2f99": "贝",  # ⾙ SHELL: NFKC 貝
    "\u2f9e": "车",  # ⾞ CART: NFKC 車
    "\u2fa7": "长",  # ⾧ LONG: NFKC 長
    "\u2fa8": "门",  # ⾨ GATE: NFKC 門
    "\u2fad": "青",  # ⾭ BLUE: NFKC 靑
    "\u2fb1": "韦",  # ⾱ TANNED LEATHER: NFKC 韋
    "\u2fb4": "页",  # ⾴ LEAF: NFKC 頁
    "\u2fb5": "风",  # ⾵ WIND: NFKC 風
    "\u2fb6": "飞",  # ⾶ FLY: NFKC 飛
    "\u2fba": "马",  # ⾺ HORSE: NFKC 馬
    "\u2fbe": "斗",  # ⾾ FIGHT: NFKC 鬥
    "\u2fc2": "鱼",  # ⿂ FISH: NFKC 魚
    "\u2fc3": "鸟",  # ⿃ BIRD: NFKC 鳥
    "\u2fc4": "卤",  # ⿄ SALT: NFKC 鹵
    "\u2fc6": "麦",  # ⿆ WHEAT: NFKC 麥
    "\u2fc8": "黄",  # ⿈ YELLOW: NFKC 黃
    "\u2fd1": "齐",  # ⿑ EVEN: NFKC 齊
    "\u2fd2": "齿",  # ⿒ TOOTH: NFKC 齒
    "\u2fd3": "龙",  # ⿓ DRAGON: NFKC 龍
    "\u2fd4": "龟",  # ⿔ TURTLE: NFKC 龜
    # CJK Radicals Supplement: no NFKC form at all
    "\u2ea0": "民",  # ⺠ CIVILIAN
    "\u2ec4": "西",  # ⻄ WEST TWO
    "\u2ec5": "见",  # ⻅ C-SIMPLIFIED SEE
    "\u2ec6": "角",  # ⻆ SIMPLIFIED HORN
    "\u2ec9": "贝",  # ⻉ C-SIMPLIFIED SHELL
    "\u2ecb": "车",  # ⻋ C-SIMPLIFIED CART
    "\u2ed3": "长",  # ⻓ C-SIMPLIFIED LONG
    "\u2ed4": "门",  # ⻔ C-SIMPLIFIED GATE
    "\u2eda": "页",  # ⻚ C-SIMPLIFIED LEAF
    "\u2edb": "风",  # ⻛ C-SIMPLIFIED WIND
    "\u2edc": "飞",  # ⻜ C-SIMPLIFIED FLY
    "\u2ee2": "马",  # ⻢ C-SIMPLIFIED HORSE
    "\u2ee5": "鱼",  # ⻥ C-SIMPLIFIED FISH
    "\u2ee6": "鸟",  # ⻦ C-SIMPLIFIED BIRD
    "\u2ee8": "麦",  # ⻨ SIMPLIFIED WHEAT
    "\u2ee9": "黄",  # ⻩ SIMPLIFIED YELLOW
    "\u2eec": "齐",  # ⻬ C-SIMPLIFIED EVEN
    "\u2eee": "齿",  # ⻮ C-SIMPLIFIED TOOTH
    "\u2ef0": "龙",  # ⻰ C-SIMPLIFIED DRAGON
}

RADICALS = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")
CONTEXT = 6  # characters either side of a suspicious radical in its report


@dataclass(frozen=True)
class Suspicious:
    """An ambiguous radical left in the text: where, what NFKC would make of it, what is likely meant."""

    line: int
    char: str
    nfkc: str
    likely: str
    context: str

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "char": self.char,
            "codepoint": f"U+{ord(self.char):04X}",
            "nfkc": self.nfkc,
            "likely": self.likely,
            "context": self.context,
        }

    def __str__(self) -> str:
        return _("{char} U+{code} (NFKC {nfkc}, likely {likely}) in “{context}”; to replace it, fix {char}={likely}").format(
            char=self.char, code=f"{ord(self.char):04X}", nfkc=self.nfkc, likely=self.likely, context=self.context
        )


def parse_fixes(specs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["⼜=口"]`` → ``{"⼜": "口"}``. A ValueError names a spec that is not one radical = one character."""
    fixes = {}
    for spec in specs:
        radical, sep, char = spec.partition("=")
        if not sep or len(radical) != 1 or len(char) != 1 or not RADICALS.match(radical):
            raise ValueError(_("{spec!r}: write one radical, '=', one character, e.g. ⼜=口").format(spec=spec))
        fixes[radical] = char
    return fixes


def fold_radicals(text: str, fixes: dict[str, str] | None = None) -> str:
    """Radicals → the characters they stand for: the user's ``fixes`` first, then NFKC where that
    is safe (⼗ → 十, compatibility ideographs); an ``AMBIGUOUS`` radical without a fix stays.
    Nothing else is normalised: full-width punctuation is part of the verbatim text."""
    fixes = fixes or {}

    def fold(m: re.Match[str]) -> str:
        ch = m.group()
        if ch in fixes:
            return fixes[ch]
        return ch if ch in AMBIGUOUS else unicodedata.normalize("NFKC", ch)

    return RADICALS.sub(fold, text)


def suspicious(number: int, folded: str) -> list[Suspicious]:
    """The ambiguous radicals still in a folded line, each with its context (folded text around it)."""
    out = []
    for i, ch in enumerate(folded):
        if ch in AMBIGUOUS:
            context = folded[max(0, i - CONTEXT) : i + CONTEXT + 1].strip()
            out.append(Suspicious(number, ch, unicodedata.normalize("NFKC", ch), AMBIGUOUS[ch], context))
    return out
