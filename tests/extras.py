"""Libraries only the tests use (the `test` extra in pyproject.toml). When one is not installed,
the tests that need it are skipped, naming it, instead of failing collection; the other tests of
the module still run.

    from extras import pdfplumber   # pdfplumber.open(...) as usual; skips the test if it is missing
    need("check_jsonschema", "checks the modelines")   # in a test or helper: the module, or a skip
"""

from __future__ import annotations

from types import ModuleType

import pytest

INSTALL = "pip install -e '.[test]'"


def need(module: str, purpose: str) -> ModuleType:
    """The module, imported; if it is missing, the calling test (or the module, when called at
    import time) is skipped with the reason."""
    name = module.partition(".")[0]
    return pytest.importorskip(module, reason=f"{name} is not installed; the tests use it {purpose} ({INSTALL})")


class Extra:
    """A module imported when a test first uses one of its names."""

    def __init__(self, module: str, purpose: str):
        self._module, self._purpose = module, purpose

    def __getattr__(self, name: str):
        if name.startswith("_"):  # pytest and inspect probe module globals for private names: not a use
            raise AttributeError(name)
        return getattr(need(self._module, self._purpose), name)


pdfplumber = Extra("pdfplumber", "to read PDFs back (text, tables, colours)")
pypdf = Extra("pypdf", "to read PDFs back (text, pages, images)")
