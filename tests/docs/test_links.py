"""Every relative link in README.md, CONTRIBUTING.md and docs/**/*.md points to a file that exists,
and a link to a heading (`file.md#heading`, `#heading`) to a heading that file has (GitHub's
anchors); every excerpt the pages quote (a ```yaml block headed `# FILE (excerpt)`) is in FILE."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from doc_blocks import DOC_FILES, blocks, relative
from paths import ROOT

LINK = re.compile(r"(?<!\!)\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
EXCERPT = re.compile(r"^#\s+(\S+)\s+\(excerpt\)$")


def anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens (outside code blocks)."""
    out: set[str] = set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (m := HEADING.match(line)):
            out.add(re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-"))
    return out


def links(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced:
            found += [(number, m.group(1)) for m in LINK.finditer(re.sub(r"`[^`]*`", "", line))]
    return found


def test_the_anchor_rules_are_githubs():
    assert re.sub(r"[^\w\- ]", "", "Working days and deadlines".lower()).replace(" ", "-") == "working-days-and-deadlines"
    assert re.sub(r"[^\w\- ]", "", "Risk grading (安全风险分级管控)".lower()).replace(" ", "-") == "risk-grading-安全风险分级管控"


@pytest.mark.parametrize("path", DOC_FILES, ids=relative)
def test_every_relative_link_resolves(path: Path):
    broken: list[str] = []
    for number, target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto: …: not checked (no network)
            continue
        file, _, anchor = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        if not resolved.exists():
            broken.append(f"{relative(path)}:{number}: {target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{relative(path)}:{number}: {target}: no heading #{anchor} in {resolved.relative_to(ROOT)}")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("path", DOC_FILES, ids=relative)
def test_quoted_excerpts_are_in_their_files(path: Path):
    for block in blocks(path):
        if block.body and (m := EXCERPT.match(block.body[0])):
            quoted = "\n".join(block.body[1:])
            assert quoted in (ROOT / m.group(1)).read_text(encoding="utf-8"), f"{block.doc}:{block.line}: not in {m.group(1)}"
