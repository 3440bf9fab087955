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
CONFIG = ROOT / "jupyter_server_config.py"  # what `make lab` starts JupyterLab with


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode())


def _start_lab(root: Path, tmp: Path):
    """A real JupyterLab on a free loopback port, serving ``root`` with the course's config, as `make lab` does."""
    port = _free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_DATA_DIR=str(tmp / "data"))
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
               f"--config={root / CONFIG.name}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(tmp / "lab.log", "w+")  # noqa: SIM115 - closed by _stop_lab
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(f"{base}/api/status")
            return base, process, log
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                _stop_lab(process, log)
                pytest.fail(f"JupyterLab did not start on {base}:\n{log.read()[-3000:]}")
            time.sleep(0.5)


def _stop_lab(process, log) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    base, process, log = _start_lab(ROOT, tmp_path_factory.mktemp("lab"))
    try:
        yield base
    finally:
        _stop_lab(process, log)


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


def test_each_chapter_is_listed_once_in_the_file_browser(lab):
    listing = _get(f"{lab}/api/contents/chapters/00_preface?content=1")
    names = {item["name"] for item in listing["content"]}
    assert "01_how_to_use.py" in names
    assert not {n for n in names if n.endswith(".ipynb")}, f"the .ipynb halves are listed too: {sorted(names)}"


def _request(base: str, method: str, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", method=method, data=data,
                                     headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_opening_running_and_saving_a_chapter_leaves_git_clean(tmp_path):
    """What a reader does: open a chapter, run every cell, save (Ctrl+S or autosave). The clone stays clean."""
    import nbclient
    import nbformat

    repo = tmp_path / "clone"
    for name in (CHAPTER, CHAPTER.replace(".py", ".ipynb"), "jupytext.toml", CONFIG.name, ".gitignore",
                 "tools/notebook_pairs.py"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes((ROOT / name).read_bytes())
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=reader", "-c", "user.email=reader@localhost", "commit", "-qm", "clone")

    base, process, log = _start_lab(repo, tmp_path)
    try:
        model = _request(base, "GET", f"/api/contents/{CHAPTER}?type=notebook&content=1")
        notebook = nbformat.from_dict(model["content"])
        nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str((repo / CHAPTER).parent)}}).execute()
        assert any(cell.get("outputs") for cell in notebook.cells), "the chapter ran but produced no output"
        # what JupyterLab's own kernel writes into the metadata when it saves
        notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                           "name": "python3"}
        notebook.metadata["language_info"] = {"name": "python", "version": sys.version.split()[0]}
        _request(base, "PUT", f"/api/contents/{CHAPTER}", {"type": "notebook", "format": "json", "content": notebook})
    finally:
        _stop_lab(process, log)
    status = _git(repo, "status", "--porcelain")
    assert status == "", f"opening, running and saving {CHAPTER} dirtied the clone:\n{status}\n" + _git(repo, "diff")
