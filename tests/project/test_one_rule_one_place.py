"""One rule, one place: the domain decides and carries no surface's words; the surfaces word it.

The domain rooms hold no option name (``--measure``), no command (`checklist register show`) and no
URL in any string they could show; no module outside the register reads the lifecycle table; and
every refusal code has words on the command line and, where a page can meet it, on the web."""

from __future__ import annotations

import ast
import re

import pytest
from paths import ROOT

PACKAGE = ROOT / "checklist"
DOMAIN = ["model", "files", "workdays", "audits", "lists", "risk", "authoring", "register"]
DOMAIN_FILES = sorted(
    [p for room in DOMAIN for p in (PACKAGE / room).rglob("*.py") if "migrations" not in p.parts]
    + [PACKAGE / n for n in ("dates.py", "errors.py", "vocabulary.py", "i18n.py")]
)
SURFACE = re.compile(
    r"(?<![\w-])--[a-z][a-z-]+|\bchecklist (?:audit|register|report|users|serve|import|validate|catalogs|risk)\b|/api/|(?<!{)https?://(?!json-schema)"
)


def _shown_strings(tree: ast.AST):
    """String constants that are not docstrings (what a module can show to somebody)."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_domain_names_no_option_command_or_url(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"{path.relative_to(ROOT)}:{n.lineno}: {n.value!r}" for n in _shown_strings(tree) if SURFACE.search(n.value)]
    assert not found, "surface words in the domain:\n" + "\n".join(found)


def test_no_module_outside_the_register_reads_the_lifecycle_table():
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "register" in path.relative_to(PACKAGE).parts[:1]:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"lifecycle\.(TABLE|MOVES)\b|from checklist\.register\.lifecycle import[^\n]*\b(TABLE|MOVES)\b", text):
            found.append(str(path.relative_to(ROOT)))
    assert found == ["checklist/cli/register.py"] or not found, found  # `register lifecycle` prints the table


def test_every_refusal_has_words_on_each_surface():
    from checklist.errors import REFUSALS
    from checklist.web import words

    assert set(words.WORDS) == set(REFUSALS)
    assert set(words.STATUS) <= set(REFUSALS)


def test_a_refusal_says_its_field_on_each_surface():
    """The same refusal, three ways: plain, the terminal's (an option when one set the field), the page's."""
    from checklist.errors import Refusal
    from checklist.web import words

    e = Refusal("value.too_long", "finding.owner", limit=100, length=101)
    assert e.message == "整改责任人：共 101 个字符，超过允许的 100 个"
    assert words.word(e) == "整改责任人过长：101 字，上限 100 字"
    assert words.status(e) == 400
