"""The documentation's shell blocks, as the doc tests read them (see test_doc_commands.py for the
conventions): which files, their ```sh blocks, each block's commands and skip reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from paths import ROOT

# README.md, CONTRIBUTING.md and every Markdown file under docs/, in a fixed order
DOC_FILES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]

FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([^`\s]*)(.*)$")  # opening or closing fence, its info string
DIRECTIVE = re.compile(r"^\s*<!--\s*doctest:(.*?)-->\s*$")  # the whole line
SKIP = re.compile(r'^\s*skip="([^"]+)"\s*$')  # the one directive: skip="REASON"
HEREDOC = re.compile(r"<<-?\s*'?\"?(\w+)'?\"?")
COMMENT = re.compile(r"(?:^|\s)#\s(.*)$")  # a shell comment at the end of a line
EXITS = re.compile(r"\bexits (\d+)\b")
PROMISE = re.compile(r"→ (.+?)(?: \(|; |$)")  # "→ X", X up to " (" or "; " or the comment's end


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@dataclass
class Command:
    doc: str  # the file, relative to the repository
    line: int  # where the command starts in it
    text: str  # as bash gets it: continuation lines and here-doc included
    head: str  # the command's own lines (not the here-doc body), where the comments are
    skip: str | None  # the reason its block is not run, or None

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"

    @property
    def comment(self) -> str:
        return " ".join(m.group(1) for line in self.head.splitlines() if (m := COMMENT.search(line)))

    @property
    def expected(self) -> int:
        m = EXITS.search(self.comment)
        return int(m.group(1)) if m else 0

    @property
    def promise(self) -> str | None:
        m = PROMISE.search(self.comment)
        return m.group(1).strip() if m else None

    @property
    def flat(self) -> str:
        """The command's own words on one line, without its comments."""
        words = " ".join(COMMENT.sub("", line).rstrip().removesuffix("\\") for line in self.head.splitlines())
        return " ".join(words.split())


@dataclass
class Block:
    doc: str
    line: int  # the opening fence's line
    info: str  # the info string's first word: sh, text, yaml …
    body: list[str]
    skip: str | None


def blocks(path: Path, problems: list[str] | None = None) -> list[Block]:
    """Every fenced block of a Markdown file, with the skip reason of the directive on the line just
    above it. A directive that is malformed or stands anywhere else is added to ``problems``."""
    doc, lines = relative(path), path.read_text(encoding="utf-8").splitlines()
    problems = [] if problems is None else problems
    found: list[Block] = []
    i = 0
    while i < len(lines):
        directive = DIRECTIVE.match(lines[i])
        if directive:
            after = FENCE.match(lines[i + 1]) if i + 1 < len(lines) else None
            if not SKIP.match(directive.group(1)):
                problems.append(f'{doc}:{i + 1}: unknown doctest directive {lines[i].strip()!r}: write <!-- doctest: skip="REASON" -->')
            elif not after or after.group(2) != "sh":
                problems.append(f"{doc}:{i + 1}: a doctest directive must stand on the line just before a ```sh fence")
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        marker, info, start = fence.group(1), fence.group(2), i
        prior = DIRECTIVE.match(lines[i - 1]) if i > 0 else None
        reason = skip.group(1) if prior and (skip := SKIP.match(prior.group(1))) else None
        closing = re.compile(rf"^\s*{re.escape(marker[0])}{{{len(marker)},}}\s*$")
        body: list[str] = []
        i += 1
        while i < len(lines) and not closing.match(lines[i]):
            body.append(lines[i])
            i += 1
        found.append(Block(doc, start + 1, info, body, reason))
        i += 1
    return found


def commands(path: Path) -> list[Command]:
    """Every command of every ```sh block of a file, in order."""
    out: list[Command] = []
    for block in blocks(path):
        if block.info != "sh":
            continue
        lines, i = block.body, 0
        while i < len(lines):
            if not lines[i].strip() or lines[i].lstrip().startswith("#"):
                i += 1
                continue
            start, head = i, [lines[i]]
            while head[-1].rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                head.append(lines[i])
            body: list[str] = []
            heredoc = HEREDOC.search("\n".join(head))
            if heredoc:
                while i + 1 < len(lines) and lines[i + 1] != heredoc.group(1):
                    i += 1
                    body.append(lines[i])
                i += 1
                body.append(lines[i])
            out.append(Command(block.doc, block.line + 1 + start, "\n".join(head + body), "\n".join(head), block.skip))
            i += 1
    return out
