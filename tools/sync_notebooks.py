"""Update every ``.ipynb`` from its percent-format ``.py`` — one way, the ``.py`` is the source.

``jupytext --sync`` picks whichever half is newer by modification time, which after a ``git checkout`` can
silently revert an edit; this script never reads the ``.ipynb`` to decide anything. Outputs are stripped.
"""

from __future__ import annotations

import sys

import jupytext
from notebook_pairs import ROOT, canonical_notebook, notebook_scripts, notebook_text, without_header


def sync_one(script) -> bool:
    """Write ``script``'s ``.ipynb`` (and drop the ``.py``'s header); return True if anything changed."""
    target = script.with_suffix(".ipynb")
    text = script.read_text(encoding="utf-8")
    stripped = without_header(text) != text
    if stripped:
        script.write_text(without_header(text), encoding="utf-8")
    nb = jupytext.read(script)
    canonical_notebook(nb)  # stable ids: re-syncing an unchanged .py rewrites nothing
    new_text = notebook_text(nb)
    old_text = target.read_text(encoding="utf-8") if target.exists() else None
    if new_text != old_text:
        target.write_text(new_text, encoding="utf-8")
        return True
    return stripped


def main() -> int:
    changed = [s for s in notebook_scripts() if sync_one(s)]
    for script in changed:
        print(f"sync: wrote {script.with_suffix('.ipynb').relative_to(ROOT)}")
    print(f"sync: {len(changed)} notebook(s) updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
