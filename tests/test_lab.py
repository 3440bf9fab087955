"""Start a real JupyterLab on 127.0.0.1 and check that it serves the course as a reader will use it."""

from __future__ import annotations

import json
import os
import shutil
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


FIGURE_CELL = """\
import numpy as np
from gradcourse import explorables, problems

rate = explorables.Slider("eta", [0.1, 0.3, 0.5], label="learning rate η", value=0.3)
rows = []
for lr in rate.values:
    path = problems.run(problems.ELLIPSE, "sgd", x0=np.array([-5.0, -2.0]), steps=20, lr=lr)
    rows += explorables.rows(eta=lr, step=np.arange(21), x1=path[:, 0], x2=path[:, 1])
explorables.figure(
    title="Gradient descent", alt="The path of gradient descent for three learning rates.", controls=[rate],
    data=rows, layers=[{"mark": {"type": "line", "point": True}, "transform": [explorables.frame(rate)],
                        "encoding": {"x": explorables.axis("x1", "θ₁"), "y": explorables.axis("x2", "θ₂"),
                                     "order": {"field": "step", "type": "quantitative"}}}])
"""


def test_a_moving_figure_moves_in_jupyterlab(tmp_path):
    """A cell that builds a gradcourse.explorables figure, run by a real kernel; JupyterLab (as `make lab` starts
    it, no extra extension) draws its output in Chromium, and moving the slider redraws it with no kernel call."""
    import nbclient
    import nbformat

    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    binary = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                  None)
    if binary is None:
        (pytest.fail if in_ci else pytest.skip)("no Chromium found (Debian: `apt-get install chromium`)")
    sync_api = pytest.importorskip("playwright.sync_api")

    repo = tmp_path / "lab"
    for name in (CONFIG.name, "tools/notebook_pairs.py"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes((ROOT / name).read_bytes())
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FIGURE_CELL)])
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    nbformat.write(notebook, repo / "figure.ipynb")

    base, process, log = _start_lab(repo, tmp_path)
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=binary, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{base}/lab/tree/figure.ipynb?token={TOKEN}")
            output = page.locator(".jp-OutputArea-output .vega-embed").first
            output.locator("canvas, svg.marks").first.wait_for(timeout=90_000)
            # JupyterLab draws Vega on a canvas (the book uses SVG): compare the pixels
            drawn = ("el => { const c = el.querySelector('canvas'); return c ? c.toDataURL() :"
                     " [...el.querySelectorAll('svg.marks path')].map(e => e.getAttribute('d')).join('|'); }")
            before = output.evaluate(drawn)
            slider = output.locator("input[type=range]")
            assert slider.count() == 1, "the figure's slider is not shown in JupyterLab"
            slider.evaluate("el => { el.value = el.min; el.dispatchEvent(new Event('input', {bubbles: true})); }")
            page.wait_for_function(f"() => (({drawn})(document.querySelector('.jp-OutputArea-output .vega-embed')))"
                                   f" !== {json.dumps(before)}", timeout=10_000)
            assert not errors, f"JavaScript errors in JupyterLab: {errors[:3]}"
            browser.close()
    finally:
        _stop_lab(process, log)
