"""Make JupyterLab open the course's percent-format ``.py`` chapters as notebooks on a double click.

JupyterLab reads application-wide setting overrides from ``<sys.prefix>/share/jupyter/lab/settings/
overrides.json``. We set the default viewer for Python files to jupytext's "Jupytext Notebook" there, inside the
project's own virtual environment, so a reader's personal JupyterLab settings are left alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PLUGIN = "@jupyterlab/docmanager-extension:plugin"
VIEWER = "Jupytext Notebook"


def overrides_path(prefix: str = sys.prefix) -> Path:
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def main() -> int:
    path = overrides_path()
    settings = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    viewers = settings.setdefault(PLUGIN, {}).setdefault("defaultViewers", {})
    if viewers.get("python") != VIEWER:
        viewers["python"] = VIEWER
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
        print(f"setup_lab: Python files now open as notebooks in JupyterLab ({path})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
