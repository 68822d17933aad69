"""libyaml's words for what it could not parse, in the reader's language: its common phrases, and
"expected X, but found Y"; any other phrase as libyaml says it. ``syntax`` words a syntax error with
its context, as the loader reports it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checklist.i18n import N_, _

if TYPE_CHECKING:
    import yaml

# libyaml's words for what it could not parse, in the reader's language (the others as they are)
_YAML_WORDS = {
    "mapping values are not allowed here": N_("mapping values are not allowed here"),
    "mapping values are not allowed in this context": N_("mapping values are not allowed in this context"),
    "while scanning for the next token": N_("while scanning for the next token"),
    "could not find expected ':'": N_("could not find expected ':'"),
    "did not find expected key": N_("did not find expected key"),
    "did not find expected ',' or ']'": N_("did not find expected ',' or ']'"),
    "did not find expected ',' or '}'": N_("did not find expected ',' or '}}'"),
    "did not find expected '-' indicator": N_("did not find expected '-' indicator"),
    "did not find expected node content": N_("did not find expected node content"),
    "found character that cannot start any token": N_("found character that cannot start any token"),
    "found undefined alias": N_("found undefined alias"),
    "found unexpected end of stream": N_("found unexpected end of stream"),
    "found unknown escape character": N_("found unknown escape character"),
    "found a tab character where an indentation space is expected": N_("found a tab character where an indentation space is expected"),
    "expected a single document in the stream": N_("expected a single document in the stream"),
    "but found another document": N_("but found another document"),
    "while parsing a block mapping": N_("while parsing a block mapping"),
    "while parsing a block collection": N_("while parsing a block collection"),
    "while parsing a flow sequence": N_("while parsing a flow sequence"),
    "while parsing a flow mapping": N_("while parsing a flow mapping"),
    "while parsing a flow node": N_("while parsing a flow node"),
    "while parsing a block node": N_("while parsing a block node"),
    "while parsing a node": N_("while parsing a node"),
    "while scanning a simple key": N_("while scanning a simple key"),
    "while scanning a quoted scalar": N_("while scanning a quoted scalar"),
    "while scanning a block scalar": N_("while scanning a block scalar"),
    "while scanning a plain scalar": N_("while scanning a plain scalar"),
    "while scanning an alias": N_("while scanning an alias"),
    "while scanning an anchor": N_("while scanning an anchor"),
    "while scanning a tag": N_("while scanning a tag"),
    "while scanning a directive": N_("while scanning a directive"),
    "while constructing a mapping": N_("while constructing a mapping"),
}
_YAML_EXPECTED = re.compile(r"^expected (.+), but found (.+)$")


def yaml_words(text: str) -> str:
    """One of libyaml's phrases in the reader's language, when it is a known one."""
    if text in _YAML_WORDS:
        return _(_YAML_WORDS[text]).format()
    m = _YAML_EXPECTED.match(text)
    if m:
        return _("expected {expected}, but found {found}").format(expected=m[1], found=m[2])
    return text


def syntax(e: yaml.MarkedYAMLError) -> str:
    """libyaml's problem, with its context: 'did not find expected ',' or ']' (while parsing a
    flow sequence started at line 10, column 11)'."""
    problem, context = yaml_words(e.problem or ""), yaml_words(e.context or "")
    if not context:
        return problem or _("not valid YAML")
    if not problem or (e.problem or "").startswith("but "):
        return f"{context}, {problem}".rstrip(", ")
    where = ""
    if e.context_mark and e.context_mark is not e.problem_mark:
        where = _(" started at line {line}, column {column}").format(line=e.context_mark.line + 1, column=e.context_mark.column + 1)
    return f"{problem} ({context}{where})"
