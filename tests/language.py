"""Is a text Chinese? ``english_sentences(text)`` finds the English sentences in what a command
printed: three or more English words in a row. Not words: what a reader types or reads as it is —
commands in backticks, URLs, paths and file names, option names (``--force``, ``-o``), ids
(``YH-2026-0001``, ``bj-rtv-3g3b``, ``A21-2-a``), commands (``checklist register show``), metavariables in capitals (``FILE``), text in
quotes (a value the user wrote, shown back), JSON lines (a machine format), and the words the
command was given (its arguments and input) — plus a short list of names that are English in
Chinese text too (ALLOWED).

Every CLI test checks its output with it through the ``run`` fixture (tests/conftest.py), and so do
the documentation's commands (tests/docs/test_doc_commands.py)."""

from __future__ import annotations

import functools
import re

# Names and terms that stay English in a Chinese sentence
ALLOWED = [
    r"JSON Lines",
    r"JSON Schema",
    r"yaml-language-server",
    r"chinese-calendar",
    r"Bearer TOKEN",
    r"SHA-256",
    r"[Aa]rgon2id",
    r"Noto Sans CJK SC",
    r"Noto Serif CJK SC",
    r"Microsoft (?:Word|Excel)",
    r"Word 97",
    r"draft 2020-12",
    r"Asia/Shanghai",
]

_BACKTICKS = re.compile(r"`[^`\n]*`")
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’|«[^»\n]*»|「[^」\n]*」")
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S*")
_ALLOWED = re.compile("|".join(ALLOWED))
_WORD = re.compile(r"^[(\[]?[A-Za-z][a-z]*(?:'[a-z]+)?[)\]]?[,.;:!?]?[)\]]?$")  # a plain word, maybe with its punctuation
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")  # Chinese text and its punctuation


@functools.cache
def _commands() -> re.Pattern:
    """A command line as help and advice name it: ``checklist register show`` (``cli`` under
    CliRunner), the program followed by any of its command names."""
    import click

    from checklist.cli import cli

    names: set[str] = set()

    def walk(group: click.Group) -> None:
        for name, command in group.commands.items():
            names.add(name)
            if isinstance(command, click.Group):
                walk(command)

    walk(cli)
    words = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"\b(?:checklist|cli)(?: (?:{words})\b)+")


def _is_word(token: str) -> bool:
    """An English word: letters (a capital only first), not a metavariable such as FILE or an
    option, id or file name (those hold -, /, digits, dots inside, underscores or capitals)."""
    if token.startswith("[") and token.rstrip(",.;:").endswith("]"):  # a check's name, [facts]: a tag, not prose
        return False
    letters = sum(c.isalpha() for c in token)
    return bool(_WORD.match(token)) and any(c.islower() for c in token) and (letters > 1 or token.strip("()[],.;:!?") in ("a", "I"))


def english_sentences(text: str, given: tuple[str, ...] = ()) -> list[str]:
    """Every run of three or more English words in ``text`` (one per line at most), outside what is
    not prose (see the module's doc) and outside the strings in ``given``."""
    found = []
    for line in _ANSI.sub("", text).splitlines():
        stripped = line.strip()
        if stripped.startswith(("{", "[{", '["')):  # a JSON line: a machine format
            continue
        for g in sorted((g for g in given if len(g) > 2), key=len, reverse=True):
            line = line.replace(g, " ")
        for pattern in (_BACKTICKS, _URL, _QUOTED, _ALLOWED, _commands()):
            line = pattern.sub(" ", line)
        line = _CJK.sub(" 。 ", line)
        run: list[str] = []
        for token in line.split() + [""]:
            if _is_word(token):
                run.append(token)
                continue
            if len(run) >= 3 and not all(t.endswith(",") for t in run[:-1]):  # a list of values is not a sentence
                found.append(" ".join(run))
                break
            run = []
    return found
