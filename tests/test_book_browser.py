"""Open every page of the built book in headless Chromium, as a reader would.

Run after `make book` (or use `make browser`, which builds then tests). Each page must load from a server on
127.0.0.1, decode every image, typeset every formula (no raw TeX left in the prose), make no failed or
off-machine request, raise no JavaScript error, and show no error output except in cells tagged
``raises-exception`` (which show a source document's bug on purpose).

Without a Chromium binary the test skips with a message on a reader's machine, but fails in CI (CI=true).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "build" / "book"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
RAW_TEX = re.compile(r"\$\$|(?<![\w$])\$[^$\s][^$]*\$|\\(frac|theta|eta|beta|nabla|sum|prod|sqrt|mathbb)\b")


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _need(condition: bool, message: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(message + " (CI must run this test)")
        pytest.skip(message)


@pytest.fixture(scope="module")
def server():
    _need((BOOK / "index.html").exists(), f"no built book at {BOOK}; run `make book` first")
    handler = functools.partial(_QuietHandler, directory=str(BOOK))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@pytest.fixture(scope="module")
def browser():
    binary = _chromium()
    _need(binary is not None, "no Chromium found (Debian: `apt-get install chromium`)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=binary,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield instance
        instance.close()


def _pages() -> list[str]:
    if not BOOK.exists():
        return ["index.html"]
    return ["index.html"] + sorted(p.relative_to(BOOK).as_posix() for p in BOOK.glob("*/*.html"))


@pytest.mark.parametrize("page_path", _pages())
def test_page_reads_cleanly(server, browser, page_path):
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    page.on(
        "requestfailed",  # network requests only: MathJax's about:blank frame is not one
        lambda req: req.url.startswith("http") and problems.append(f"request failed: {req.url} ({req.failure})"),
    )

    def _check_host(request):
        host = urlparse(request.url).hostname
        if request.url.startswith("http") and host not in {"127.0.0.1", "localhost"}:
            problems.append(f"request leaves the machine: {request.url}")

    page.on("request", _check_host)
    page.on(
        "response",
        lambda resp: resp.status >= 400 and problems.append(f"HTTP {resp.status} for {resp.url}"),
    )
    response = page.goto(f"{server}/{page_path}", wait_until="load")
    assert response is not None and response.ok, f"{page_path}: HTTP {response.status if response else 'none'}"

    if page_path != "index.html":
        has_mathjax = page.evaluate("typeof window.MathJax !== 'undefined' && !!window.MathJax.Hub")
        assert has_mathjax, f"{page_path}: MathJax did not load from the book's _static folder"
        page.evaluate("() => new Promise(done => MathJax.Hub.Queue(() => done(true)))")
        prose = page.eval_on_selector_all(  # prose only: quoted source TeX in `code` is shown literally on purpose
            ".jp-MarkdownCell .jp-RenderedMarkdown",
            "els => els.map(e => { const c = e.cloneNode(true); c.querySelectorAll('code, pre, script')"
            ".forEach(x => x.remove()); return c.textContent; })",
        )
        leftover = [m.group(0) for text in prose for m in RAW_TEX.finditer(text)]
        assert not leftover, f"{page_path}: TeX left untypeset: {leftover[:5]}"
        links = page.eval_on_selector_all("a[rel=next], a[rel=prev]", "els => els.length")
        assert links >= 2, f"{page_path}: previous/next navigation missing"
        # Outside cells tagged raises-exception: nothing on stderr (warnings, errors) and no traceback.
        # (A cell may *print* a caught error message on purpose; that is stdout, and it is allowed.)
        errors = page.eval_on_selector_all(
            ".jp-Cell:not(.celltag_raises-exception) [data-mime-type='application/vnd.jupyter.stderr'],"
            " .jp-Cell:not(.celltag_raises-exception) .jp-OutputArea-output",
            "els => els.filter(e => e.dataset.mimeType === 'application/vnd.jupyter.stderr'"
            " || /Traceback \\(most recent call last\\)/.test(e.innerText)).map(e => e.innerText)",
        )
        assert not errors, f"{page_path}: error or warning output: {errors[0][:300]}"

    broken = page.eval_on_selector_all("img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length")
    assert broken == 0, f"{page_path}: {broken} image(s) did not decode"
    assert not problems, f"{page_path}: " + "; ".join(problems[:5])
    page.close()


def test_index_lists_every_chapter(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/index.html")
    hrefs = set(page.eval_on_selector_all("li a", "els => els.map(e => e.getAttribute('href'))"))
    built = {p.relative_to(BOOK).as_posix() for p in BOOK.glob("*/*.html")}
    assert built and built <= hrefs, f"chapters missing from the contents: {sorted(built - hrefs)}"
    page.close()
