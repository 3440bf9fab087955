"""Every chapter and exercise is a pair (.py percent script + .ipynb) that agrees cell by cell, without outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from notebook_pairs import cells_of, notebook_scripts, notebooks, without_header  # noqa: E402

FIX = "run `make sync` (it rewrites each .ipynb from its .py)"
SCRIPTS = list(notebook_scripts())
NOTEBOOKS = list(notebooks())


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_there_are_chapters():
    assert any(p.parts[-3] == "chapters" for p in SCRIPTS), "no percent-format chapter found under chapters/"


@pytest.mark.parametrize("script", SCRIPTS, ids=_id)
def test_script_has_its_notebook_and_they_agree(script: Path):
    notebook = script.with_suffix(".ipynb")
    assert notebook.exists(), f"{_id(script)} has no .ipynb pair; {FIX}"
    py_cells, nb_cells = cells_of(script), cells_of(notebook)
    for i, (a, b) in enumerate(zip(py_cells, nb_cells, strict=False)):
        assert a == b, f"{_id(script)} and its .ipynb differ at cell {i}: {a[1][:60]!r} vs {b[1][:60]!r}; {FIX}"
    assert len(py_cells) == len(nb_cells), f"{_id(script)}: {len(py_cells)} cells vs {len(nb_cells)}; {FIX}"


@pytest.mark.parametrize("script", SCRIPTS, ids=_id)
def test_script_has_no_header_that_jupyterlab_would_rewrite(script: Path):
    text = script.read_text(encoding="utf-8")
    assert without_header(text) == text, f"{_id(script)} starts with a jupytext header; {FIX}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=_id)
def test_notebook_has_its_script_and_no_outputs(notebook: Path):
    assert notebook.with_suffix(".py").exists(), (
        f"{_id(notebook)} has no .py pair; create it with `jupytext --to py:percent {_id(notebook)}`"
    )
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    with_outputs = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and c.get("outputs")]
    assert not with_outputs, f"{_id(notebook)} is committed with outputs in cells {with_outputs}; {FIX}"
    counted = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and c.get("execution_count")]
    assert not counted, f"{_id(notebook)} carries execution counts in cells {counted}; {FIX}"


def test_pair_check_catches_a_disagreement(tmp_path: Path):
    """The comparison above is not vacuous: an edited .py no longer matches its old .ipynb."""
    import jupytext

    script = tmp_path / "demo.py"
    script.write_text("# %% [markdown]\n# # Title\n\n# %%\nx = 1\n", encoding="utf-8")
    jupytext.write(jupytext.read(script), tmp_path / "demo.ipynb", fmt="ipynb")
    assert cells_of(script) == cells_of(tmp_path / "demo.ipynb")
    script.write_text("# %% [markdown]\n# # Title\n\n# %%\nx = 2\n", encoding="utf-8")
    assert cells_of(script) != cells_of(tmp_path / "demo.ipynb")
