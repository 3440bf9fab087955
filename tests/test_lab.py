"""Start a real JupyterLab on 127.0.0.1 and check that it serves the course as a reader will use it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.lab

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "gradcourse-test-token"
CHAPTER = "chapters/00_preface/01_how_to_use.py"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode())


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port = _free_port()
    tmp = tmp_path_factory.mktemp("lab")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_DATA_DIR=str(tmp / "data"))
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={ROOT}", "--ServerApp.open_browser=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(tmp / "lab.log", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/api/status")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"JupyterLab did not start on {base}:\n{log.read()[-3000:]}")
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_server_status_answers(lab):
    status = _get(f"{lab}/api/status")
    assert "started" in status and status.get("kernels", 0) == 0


def test_chapter_script_is_served_as_a_notebook(lab):
    model = _get(f"{lab}/api/contents/{CHAPTER}?type=notebook&content=1")
    assert model["type"] == "notebook", f"{CHAPTER} came back as {model['type']!r}, not as a notebook (jupytext?)"
    cells = model["content"]["cells"]
    assert len(cells) >= 5 and cells[0]["cell_type"] == "markdown"
    assert any(c["cell_type"] == "code" and "import" in c["source"] for c in cells)


def test_python_files_open_as_notebooks_by_default(lab):
    plugin = _get(f"{lab}/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    # overrides.json becomes the schema's default; a reader's own settings (empty here) would come on top
    default = plugin["schema"]["properties"]["defaultViewers"].get("default", {})
    viewers = {**default, **plugin.get("settings", {}).get("defaultViewers", {})}
    assert viewers.get("python") == "Jupytext Notebook", (
        f"default viewer for .py is {viewers.get('python')!r}; run `python tools/setup_lab.py` (make setup does)"
    )
