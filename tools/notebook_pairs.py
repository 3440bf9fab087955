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


KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def canonical_notebook(nb) -> None:
    """Reduce a notebook (an ``nbformat`` node or a plain dict) in place to what the course commits.

    No outputs or execution counts, stable cell ids, and only the metadata the pair needs. ``make sync`` writes
    this; JupyterLab's save hook (``jupyter_server_config.py``) writes the same, so opening, running and saving
    a chapter leaves git clean.
    """
    metadata = nb.get("metadata", {})
    formats = metadata.get("jupytext", {}).get("formats", "ipynb,py:percent")
    nb["metadata"] = {"jupytext": {"formats": formats}, "kernelspec": dict(KERNELSPEC)}
    for i, cell in enumerate(nb.get("cells", [])):
        cell["id"] = f"cell-{i:03d}"
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)  # run timings that a kernel client may record


def without_header(text: str) -> str:
    """``text`` of a percent-format script without its jupytext YAML header, if it has one.

    The course keeps no per-file header (jupytext.toml holds the pairing), because JupyterLab rewrites a header
    on every save (jupytext version, kernel display name), and that would dirty the clone.
    """
    lines = text.splitlines(keepends=True)
    if len(lines) < 2 or lines[0].rstrip() != "# ---" or not lines[1].startswith("# jupyter:"):
        return text
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "# ---")
    rest = lines[end + 1 :]
    while rest and not rest[0].strip():
        rest = rest[1:]
    return "".join(rest)


def notebook_text(nb) -> str:
    """The ``.ipynb`` text the course commits for ``nb`` (already canonical), as JupyterLab writes it."""
    import jupytext

    return jupytext.writes(nb, fmt="ipynb").rstrip("\n") + "\n"


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
