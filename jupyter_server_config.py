"""JupyterLab settings for the course, read when Jupyter starts in this folder (``make lab`` does).

Reading and running a chapter must leave ``git status`` clean. The ``.py`` beside each notebook is the source;
its ``.ipynb`` is generated (``make sync``). So when JupyterLab saves a notebook, what is written is what
``make sync`` would write: no outputs, no execution counts, the course's own metadata and stable cell ids. A
reader's outputs live in the running kernel, not in the course's files: re-run a chapter to see them again.
The ``.ipynb`` halves are hidden from the file browser, so each chapter is listed once: double-click the ``.py``.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
from notebook_pairs import canonical_notebook  # noqa: E402

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file

# Kernels inherit the server's environment. The course's networks are small: one BLAS/torch thread each runs
# them as fast as two on an idle laptop, and far faster when the other core is busy (a browser, a second
# kernel). A reader who sets these variables keeps their own values.
for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")


def _save_as_the_course_would(model, path, contents_manager, **kwargs):
    if model.get("type") == "notebook" and model.get("content") is not None:
        canonical_notebook(model["content"])


c.FileContentsManager.pre_save_hook = _save_as_the_course_would
c.ContentsManager.hide_globs = [
    "__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", "*.egg-info", "*.ipynb",
]
