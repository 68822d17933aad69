"""The YAML of an audit file, block by block: the head and each check dumped once and memoized by
content, because the web app saves the whole file at every answer."""

from __future__ import annotations

import functools
import json
from typing import Any

import yaml


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def block(data: dict, item: bool = True) -> str:
    """The YAML of the head (``item=False``) or of one check (an indented list item), memoized by
    content: the web app saves the whole file at every answer, and dumping the unchanged parts
    again cost 90% of a save."""
    try:
        key = json.dumps(data, ensure_ascii=False)
    except TypeError:  # a value JSON cannot hold (a date among declared facts): dump it as it is
        return _render(data, item)
    return _cached_block(key, item)


@functools.lru_cache(maxsize=8192)
def _cached_block(key: str, item: bool) -> str:
    return _render(json.loads(key), item)


def _render(data: dict, item: bool) -> str:
    return (_indent(_dump([data])) if item else _dump(data)).rstrip("\n")


def _indent(text: str) -> str:
    return "".join("  " + line if line.strip() else line for line in text.splitlines(keepends=True))
