"""The course's notebook pairs: each percent-format ``.py`` and its ``.ipynb``.

Shared by ``tools/sync_notebooks.py`` (which writes the ``.ipynb`` from the ``.py``), the pairing test and the
notebook benchmark, so that "which files are notebooks" is decided in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_FOLDERS = ("chapters", "exercises")
SKIP_PARTS = {".ipynb_checkpoints", "build", "_build", "__pycache__"}


def is_percent_script(path: Path) -> bool:
    """A ``.py`` file is a notebook half when it has percent-format cell markers (``# %%``)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return any(line.startswith("# %%") for line in text.splitlines())


def notebook_scripts(root: Path = ROOT) -> Iterator[Path]:
    for folder in NOTEBOOK_FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            if SKIP_PARTS.isdisjoint(path.parts) and is_percent_script(path):
                yield path


def notebooks(root: Path = ROOT) -> Iterator[Path]:
    for folder in NOTEBOOK_FOLDERS:
        for path in sorted((root / folder).rglob("*.ipynb")):
            if SKIP_PARTS.isdisjoint(path.parts):
                yield path


def cells_of(path: Path) -> list[tuple[str, str]]:
    """(cell type, source) of every cell, read through jupytext so both halves compare like for like."""
    import jupytext

    nb = jupytext.read(path)
    return [(cell.cell_type, cell.source.strip()) for cell in nb.cells]
