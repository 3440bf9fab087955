"""Update every ``.ipynb`` from its percent-format ``.py`` — one way, the ``.py`` is the source.

``jupytext --sync`` picks whichever half is newer by modification time, which after a ``git checkout`` can
silently revert an edit; this script never reads the ``.ipynb`` to decide anything. Outputs are stripped.
"""

from __future__ import annotations

import sys

import jupytext
from notebook_pairs import ROOT, notebook_scripts


def sync_one(script) -> bool:
    """Write ``script``'s ``.ipynb``; return True if it changed."""
    target = script.with_suffix(".ipynb")
    nb = jupytext.read(script)
    nb.metadata.setdefault("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"  # stable ids: re-syncing an unchanged .py rewrites nothing
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    new_text = jupytext.writes(nb, fmt="ipynb")
    old_text = target.read_text(encoding="utf-8") if target.exists() else None
    if new_text != old_text:
        target.write_text(new_text, encoding="utf-8")
        return True
    return False


def main() -> int:
    changed = [s for s in notebook_scripts() if sync_one(s)]
    for script in changed:
        print(f"sync: wrote {script.with_suffix('.ipynb').relative_to(ROOT)}")
    print(f"sync: {len(changed)} notebook(s) updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
