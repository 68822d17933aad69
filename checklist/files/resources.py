"""Where the shipped schemas, catalogs and templates are.

In an installed wheel they live inside the package (``checklist/schemas`` …, put there by the
build's force-include); in a source checkout they are the top-level folders authors edit.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_PACKAGE = Path(str(files("checklist")))


def data_dir(name: str) -> Path:
    """The folder ``name`` (schemas, catalogs or templates) of this installation."""
    packaged = _PACKAGE / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name
