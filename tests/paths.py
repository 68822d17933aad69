"""Folders the tests read: the repository root, the example files and the source documents."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"
SOURCES = ROOT / "sources"
