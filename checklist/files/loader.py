"""The one YAML loader every file goes through.

Safe by construction: the document is composed into nodes by libyaml and turned into plain
data here, so only the JSON-compatible core tags exist (no ``!!python/...``, no custom tags,
no merge keys); duplicate keys, alias bombs, deep nesting, oversized and non-UTF-8 files are
refused with the place they occur, and so are characters that hide what a text says: control
characters and invisible format characters (bidirectional overrides, zero-width characters) —
see :func:`hidden_characters`. Dates stay text until a schema says what they must be.
Nodes are kept so any later error can be pinned to a line and column.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from checklist.errors import InputFileError, InvalidFileError, Problem, os_reason
from checklist.files.yaml_words import syntax
from checklist.i18n import N_, _

_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
try:  # libyaml makes loading ~10x faster; the pure-Python composer gives the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 100
# Aliases may repeat parts of a document, but not blow it up: beyond this many nodes after
# expansion, and more than EXPANSION_FACTOR times the nodes actually written, we refuse.
MAX_EXPANDED_NODES = 100_000
EXPANSION_FACTOR = 4

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_scalar_constructor = yaml.constructor.SafeConstructor()

PathItem = str | int


@dataclass
class Document:
    """A loaded file: its plain data, and the nodes that say where each value was written."""

    path: str
    data: Any
    text: str
    sha256: str
    root: yaml.Node | None = field(repr=False, default=None)

    def node_at(self, path: Sequence[PathItem]) -> yaml.Node | None:
        """The deepest node on ``path`` (a JSON-pointer-like list of keys and indexes)."""
        node = self.root
        for item in path:
            child = _child(node, item)
            if child is None:
                break
            node = child
        return node

    def key_node(self, path: Sequence[PathItem], key: str) -> yaml.Node | None:
        """The node of mapping key ``key`` inside the mapping at ``path``."""
        node = self.node_at(path)
        if isinstance(node, yaml.MappingNode):
            for k, _ in node.value:
                if k.value == key:
                    return k
        return None

    def position(self, path: Sequence[PathItem], key: str | None = None) -> tuple[int, int]:
        """1-based line and column of the value at ``path`` (or of its key ``key``)."""
        node = self.key_node(path, key) if key is not None else None
        if node is None:
            node = self.node_at(path)
        if node is None:
            return (1, 1)
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def problem(self, path: Sequence[PathItem], message: str, check: str = "", *, key: str | None = None) -> Problem:
        line, column = self.position(path, key)
        return Problem(self.path, line, column, message, check)


def _child(node: yaml.Node | None, item: PathItem) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == item:
                return v
    elif isinstance(node, yaml.SequenceNode) and isinstance(item, int) and 0 <= item < len(node.value):
        return node.value[item]
    return None


def file_stamp(path: Path) -> tuple[int, int]:
    """A file's version for caches keyed by path: (mtime, size); (0, 0) when it cannot be read,
    so the load that follows reports why."""
    try:
        st = path.stat()
    except OSError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)


def read_text(path: str | os.PathLike) -> tuple[str, bytes]:
    """Read a UTF-8 text file (BOM allowed) or explain, with the place, why it is not one."""
    shown = str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise InputFileError(_("is a folder, not a file"), path=shown)
        if size > MAX_BYTES:
            raise InputFileError(
                _("file is {size} bytes; files over {limit} bytes are refused").format(size=f"{size:,}", limit=f"{MAX_BYTES:,}"), path=shown
            )
        raw = p.read_bytes()
    except FileNotFoundError as e:
        raise InputFileError(_("no such file"), path=shown) from e
    except PermissionError as e:
        raise InputFileError(_("permission denied"), path=shown) from e
    except OSError as e:
        raise InputFileError(_("cannot read file: {reason}").format(reason=os_reason(e)), path=shown) from e
    return decode(raw, shown), raw


def decode(raw: bytes, shown: str) -> str:
    """Decode UTF-8 (with or without BOM); name GBK, UTF-16 and binary content when met."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(_("file is UTF-16 encoded; save it as UTF-8"), path=shown, line=1, column=1)
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _byte_position(raw, nul)
        raise InputFileError(_("binary data (NUL byte): not a text file"), path=shown, line=line, column=column)
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        offset = e.start + (len(raw) - len(body))
        line, column = _byte_position(raw, offset)
        try:
            body.decode("gb18030")
            hint = _("it looks GBK/GB18030-encoded; save it as UTF-8")
        except UnicodeDecodeError:
            hint = _("it is not text in any encoding checklist reads; save it as UTF-8")
        raise InputFileError(
            _("file is not valid UTF-8 (byte 0x{byte}): {hint}").format(byte=f"{raw[offset]:02x}", hint=hint),
            path=shown,
            line=line,
            column=column,
        ) from e


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    line = raw.count(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


_ALLOWED_CONTROLS = frozenset("\t\n\r")


def hidden_character(ch: str) -> str | None:
    """Why ``ch`` may not appear in any text the tool reads, or None.

    Refused: control characters other than tab and line breaks (NEL U+0085 included, which Word
    pastes and YAML reads as a line break); the line and paragraph separators U+2028 and U+2029,
    which a file stores as line breaks; half of a surrogate pair, which no UTF-8 file can hold;
    every invisible format character
    (Unicode category Cf) — the bidirectional controls U+202A–202E and U+2066–2069, which make a
    printed note read differently from its record (an RLO reverses it), and the zero-width space,
    non-joiner and joiner, word joiner, soft hyphen and a BOM inside the text, which Chinese text
    never needs and which make equal-looking names differ; and noncharacters such as U+FFFF.
    """
    if ch in _ALLOWED_CONTROLS:
        return None
    category = unicodedata.category(ch)
    code = ord(ch)
    if category == "Cc":
        return N_("control character")
    if category == "Cf":
        return (
            N_("invisible bidirectional control")
            if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
            else N_("invisible format character")
        )
    if category in ("Zl", "Zp"):
        return N_("line or paragraph separator")
    if category == "Cs":
        return N_("lone surrogate")
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return N_("noncharacter")
    return None


def hidden_characters(text: str) -> list[tuple[int, int, str]]:
    """(1-based line, column, message) of every refused character in ``text``. Lines of printable
    text are passed at C speed; only the others are looked at character by character."""
    found = []
    for n, line in enumerate(text.split("\n"), 1):
        if line.isprintable():
            continue
        for col, ch in enumerate(line, 1):
            if not ch.isprintable() and (why := hidden_character(ch)):
                found.append((n, col, _("{why} U+{code} is not allowed: delete it").format(why=_(why), code=_code(ch))))
    return found


def unprintable_characters(text: str) -> list[tuple[int, int, str]]:
    """(1-based line, column, message) of every character in ``text`` the reports cannot print:
    the font every PDF is set in has no glyph for it (``files/glyphs.py``)."""
    from checklist.files.glyphs import FONT_FAMILY, unprintable

    missing = set(unprintable(text))
    if not missing:
        return []
    found = []
    for n, line in enumerate(text.split("\n"), 1):
        if missing.isdisjoint(line):
            continue
        for col, ch in enumerate(line, 1):
            if ch in missing:
                message = _("“{char}” (U+{code}) cannot be printed: the report font {font} has no glyph for it; delete or replace it")
                found.append((n, col, message.format(char=ch, code=f"{ord(ch):04X}", font=FONT_FAMILY)))
    return found


def refused_characters(text: str) -> list[tuple[int, int, str]]:
    """Every character of ``text`` no file may hold: hidden ones, then those no report can print."""
    return hidden_characters(text) or unprintable_characters(text)


def text_problem(value: str) -> str | None:
    """Why a single text (an option, a cell) is refused, or None: the first refused character."""
    found = refused_characters(value)
    if not found:
        return None
    line, column, message = found[0]
    position = sum(len(x) + 1 for x in value.split("\n")[: line - 1]) + column  # counted in the whole text
    return _("{problem} (at character {position})").format(problem=message, position=position)


def _code(ch: str) -> str:
    """A character as the messages name it: U+200B's code and Unicode name, ``200B ZERO WIDTH SPACE``."""
    return f"{ord(ch):04X}" + (f" {unicodedata.name(ch)}" if unicodedata.name(ch, "") else "")


def load(path: str | os.PathLike) -> Document:
    """Read, decode and safely load one YAML file; every refusal names the place."""
    text, raw = read_text(path)
    return loads(text, str(path), hashlib.sha256(raw).hexdigest())


def loads(text: str, shown: str, sha256: str = "") -> Document:
    hidden = [Problem(shown, line, col, message, "characters") for line, col, message in refused_characters(text)]
    if hidden:
        raise InvalidFileError(hidden)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise InvalidFileError([Problem(shown, line, column, _("YAML syntax error: {problem}").format(problem=syntax(e)), "yaml")]) from e
    except yaml.YAMLError as e:
        raise InvalidFileError([Problem(shown, 1, 1, _("YAML error: {problem}").format(problem=e), "yaml")]) from e
    except RecursionError as e:
        raise InvalidFileError([Problem(shown, 1, 1, _("document nested too deeply"), "yaml")]) from e
    if root is None:
        raise InvalidFileError([Problem(shown, 1, 1, _("file is empty: no YAML document"), "yaml")])
    builder = _Builder(shown)
    data, expanded = builder.build(root, 0)
    if builder.problems:
        raise InvalidFileError(builder.problems)
    if expanded > max(MAX_EXPANDED_NODES, EXPANSION_FACTOR * builder.written):
        raise InvalidFileError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    _("aliases expand {written} written nodes into {expanded}: refused as an alias bomb").format(
                        written=f"{builder.written:,}", expanded=f"{expanded:,}"
                    ),
                    "yaml",
                )
            ]
        )
    return Document(shown, data, text, sha256, root)


class _Builder:
    """Turns composed nodes into plain data, collecting every problem instead of stopping."""

    def __init__(self, shown: str):
        self.shown = shown
        self.problems: list[Problem] = []
        self.written = 0  # distinct nodes in the file
        self._memo: dict[int, tuple[Any, int]] = {}  # id(node) -> (value, expanded size)

    def problem(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.shown, mark.line + 1, mark.column + 1, message, "yaml"))

    def build(self, node: yaml.Node, depth: int) -> tuple[Any, int]:
        key = id(node)
        if key in self._memo:  # an alias: same node object seen again
            return self._memo[key]
        self.written += 1
        if depth > MAX_DEPTH:
            self.problem(node, _("nested more than {depth} levels deep").format(depth=MAX_DEPTH))
            result: tuple[Any, int] = (None, 1)
        elif isinstance(node, yaml.ScalarNode):
            result = (self.scalar(node), 1)
        elif isinstance(node, yaml.SequenceNode):
            result = self.sequence(node, depth)
        else:
            assert isinstance(node, yaml.MappingNode)
            result = self.mapping(node, depth)
        self._memo[key] = result
        return result

    def characters(self, node: yaml.ScalarNode) -> None:
        """A text written with escapes ("\\a", "\\u2028", "\\U0001F600") holds characters the
        file's own text does not show: they are refused here, at the text's place."""
        value = node.value
        if value.isascii() and value.isprintable():
            return
        for _line, _column, message in refused_characters(value)[:1]:
            self.problem(node, _("{problem} (written as an escape in this text)").format(problem=message))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):  # dates stay text until a schema checks them
            if node.style == '"':  # only a double-quoted scalar can hold an escape
                self.characters(node)
            return node.value
        try:
            if tag == _INT:
                return _scalar_constructor.construct_yaml_int(node)
            if tag == _FLOAT:
                return _scalar_constructor.construct_yaml_float(node)
            if tag == _BOOL:
                return _scalar_constructor.construct_yaml_bool(node)
            if tag == _NULL:
                return None
        except (ValueError, yaml.YAMLError):
            self.problem(node, _("{value!r} is not a valid {kind}").format(value=node.value, kind=tag.rsplit(":", 1)[-1]))
            return None
        self.problem(node, _("tag {tag} is not allowed: only plain YAML data is read").format(tag=_short(tag)))
        return None

    def sequence(self, node: yaml.SequenceNode, depth: int) -> tuple[list, int]:
        if node.tag != _SEQ:
            self.problem(node, _("tag {tag} is not allowed: only plain YAML data is read").format(tag=_short(node.tag)))
        items, size = [], 1
        for child in node.value:
            value, n = self.build(child, depth + 1)
            items.append(value)
            size += n
        return items, size

    def mapping(self, node: yaml.MappingNode, depth: int) -> tuple[dict, int]:
        if node.tag != _MAP:
            self.problem(node, _("tag {tag} is not allowed: only plain YAML data is read").format(tag=_short(node.tag)))
        out: dict[str, Any] = {}
        seen: dict[str, int] = {}
        size = 1
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, _("mapping keys must be plain text, not lists or mappings"))
                continue
            if key_node.tag == _TAG + "merge":
                self.problem(key_node, _("merge keys (<<) are not supported: write the keys out"))
                continue
            if key_node.tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP):
                self.problem(key_node, _("tag {tag} is not allowed: only plain YAML data is read").format(tag=_short(key_node.tag)))
                continue
            if key_node.style == '"':
                self.characters(key_node)
            key = key_node.value  # keys are text as written: `yes:` stays "yes", `2026:` stays "2026"
            if key in seen:
                self.problem(key_node, _("duplicate key {key!r} (first at line {line})").format(key=key, line=seen[key]))
                continue
            seen[key] = key_node.start_mark.line + 1
            value, n = self.build(value_node, depth + 1)
            out[key] = value
            size += n
        return out, size


def _short(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
