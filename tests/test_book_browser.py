"""Open the built book in headless Chromium, as a reader would.

Run after `make book` (or use `make browser`, which builds then tests). Each page must load from a server on
127.0.0.1 and make no failed or off-machine request; decode every image, each with alt text; typeset every formula
(no raw TeX left in the prose); render every Markdown table as a table; raise no JavaScript error; show no error
output except in cells tagged ``raises-exception`` (which show a source document's bug on purpose); show no
``In [1]:`` prompts; keep code inside its cell at phone width (a long line scrolls, it is not cut off); and say
when it was executed. Across pages: every link and anchor resolves, the sidebar lists every chapter, search finds
English and Chinese words, and the dark-mode switch darkens the page while figures keep a white card. The Chinese
edition (``zh/``) is held to the same, and: its glyphs render, each page's language switch leads to the same
section of the other edition, and its search finds Chinese terms.

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
from urllib.parse import unquote, urljoin, urlparse

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "build" / "book"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
RAW_TEX = re.compile(
    r"\$\$|(?<![\w$])\$[^$\s][^$]*\$|\\(frac|theta|eta|beta|nabla|sum|prod|sqrt|mathbb|text)\b|\\[()[\]]"
)
SKIP = {"genindex.html", "search.html"}


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


def _pages() -> list[str]:
    if not BOOK.exists():
        return ["index.html"]
    found = sorted(p.relative_to(BOOK).as_posix() for p in BOOK.rglob("*.html"))
    return [p for p in found  # both editions: the English root and zh/
            if not any(part.startswith("_") for part in p.split("/")) and p.removeprefix("zh/") not in SKIP]


def _chapters() -> list[str]:
    return [p for p in _pages() if p.startswith("chapters/")]


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


def _watched_page(browser, problems: list[str], width: int = 1400):
    page = browser.new_page(viewport={"width": width, "height": 900})
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
    page.on("response", lambda resp: resp.status >= 400 and problems.append(f"HTTP {resp.status} for {resp.url}"))
    return page


# What a page shows, measured in the page: the article's prose without code, formulas left as TeX, tables
# that came out as paragraphs, error outputs outside raises-exception cells, prompts, images and their alt text.
_INSPECT = """() => {
  const article = document.querySelector('article.bd-article') || document.body;
  const prose = [...article.querySelectorAll('p, li, td, th, h1, h2, h3, h4, dd, dt')].map(e => {
    const c = e.cloneNode(true);
    c.querySelectorAll('code, pre, script, .MathJax, .MathJax_Display, .MathJax_Preview, mjx-container')
      .forEach(x => x.remove());
    return c.textContent; });
  const tablesAsText = [...article.querySelectorAll('p')].map(p => p.textContent.trim())
    .filter(t => /^\\|.*\\|.*\\|/.test(t)).map(t => t.slice(0, 80));
  const errors = [...article.querySelectorAll('div.cell:not(.tag_raises-exception) .output')]
    .filter(e => e.classList.contains('stderr') || e.classList.contains('traceback')
                 || /Traceback \\(most recent call last\\)/.test(e.innerText))
    .map(e => e.innerText.slice(0, 300));
  const prompts = [...article.querySelectorAll('.prompt, .jp-InputPrompt, .jp-OutputPrompt')].length
    + (/\\bIn \\[\\d+\\]:/.test(article.innerText) ? 1 : 0);
  const images = [...article.querySelectorAll('img')];
  return {
    prose, tablesAsText, errors, prompts,
    brokenImages: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
    noAlt: images.filter(i => !(i.alt || '').trim() || /No description/.test(i.alt)).map(i => i.src),
    executedNote: !!document.querySelector('.gc-executed'),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    links: [...article.querySelectorAll('a[href]')].map(a => a.href),
  };
}"""


@pytest.mark.parametrize("page_path", _pages())
def test_page_reads_cleanly(server, browser, page_path):
    problems: list[str] = []
    page = _watched_page(browser, problems)
    response = page.goto(f"{server}/{page_path}", wait_until="load")
    assert response is not None and response.ok, f"{page_path}: HTTP {response.status if response else 'none'}"
    has_mathjax = page.evaluate("typeof window.MathJax !== 'undefined' && !!window.MathJax.Hub")
    if page.locator("article .math").count():
        assert has_mathjax, f"{page_path}: MathJax did not load from the book's _static folder"
    if has_mathjax:
        page.evaluate("() => new Promise(done => MathJax.Hub.Queue(() => done(true)))")
    seen = page.evaluate(_INSPECT)
    leftover = [m.group(0) for text in seen["prose"] for m in RAW_TEX.finditer(text)]
    assert not leftover, f"{page_path}: TeX left untypeset: {leftover[:5]}"
    assert not seen["tablesAsText"], f"{page_path}: a Markdown table rendered as text: {seen['tablesAsText'][:2]}"
    assert not seen["errors"], f"{page_path}: error or warning output: {seen['errors'][0]}"
    assert seen["prompts"] == 0, f"{page_path}: execution-count prompts (In [n]:) are shown"
    assert not seen["brokenImages"], f"{page_path}: image(s) did not decode: {seen['brokenImages'][:3]}"
    assert not seen["noAlt"], f"{page_path}: image(s) without alt text: {seen['noAlt'][:3]}"
    if page_path.removeprefix("zh/").startswith("chapters/"):
        assert seen["executedNote"], f"{page_path}: no note saying when and how the page was executed"
    assert not problems, f"{page_path}: " + "; ".join(problems[:5])
    page.close()


def test_every_link_and_anchor_resolves(server, browser):
    """Crawl every page's links: an internal one must name a built page and, if it has one, an id on it."""
    page = browser.new_page()
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    for path in _pages():
        page.goto(f"{server}/{path}", wait_until="domcontentloaded")
        seen = page.evaluate(_INSPECT)
        ids[path] = set(seen["ids"])
        links[path] = seen["links"]
    page.close()
    broken = []
    for path, hrefs in links.items():
        for href in hrefs:
            url = urlparse(urljoin(f"{server}/{path}", href))
            if not href.startswith(server):
                continue  # off-machine links (arXiv, DOIs) are for the reader to follow; requests are checked above
            target = unquote(url.path.lstrip("/")) or "index.html"
            if target.endswith("/"):
                target += "index.html"
            if not (BOOK / target).is_file():
                broken.append(f"{path}: {href} (no such file)")
            elif url.fragment and target in ids and unquote(url.fragment) not in ids[target]:
                broken.append(f"{path}: {href} (no element with id {url.fragment!r})")
    assert not broken, f"{len(broken)} broken link(s):\n" + "\n".join(broken[:20])
    assert sum(map(len, links.values())) > 300, "the crawl found too few links: are the pages empty?"


def test_sidebar_lists_every_chapter_once(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/index.html")
    hrefs = page.eval_on_selector_all(
        "nav.bd-docs-nav a.reference.internal", "els => els.map(e => new URL(e.href).pathname.slice(1))"
    )
    chapters = _chapters()
    assert len(chapters) >= 30, f"only {len(chapters)} chapter pages were built"
    missing = sorted(set(chapters) - set(hrefs))
    assert not missing, f"chapters missing from the sidebar: {missing}"
    twice = sorted({h for h in hrefs if hrefs.count(h) > 1})
    assert not twice, f"listed twice in the sidebar: {twice}"
    captions = page.eval_on_selector_all("nav.bd-docs-nav p.caption", "els => els.map(e => e.innerText.trim())")
    assert sum(c.startswith("Part ") for c in captions) == 6, f"the six parts as sidebar captions: {captions}"
    exercises = [h for h in hrefs if h.startswith("exercises/")]
    assert exercises, "the exercises are not reachable from the sidebar"
    page.close()


@pytest.mark.parametrize(("query", "expected"), [
    ("Nesterov", "chapters/03_algorithms/03_momentum_nesterov.html"),
    ("backpropagation", "chapters/02_concepts/01_backprop_from_scratch.html"),
    ("梯度消失", "chapters/00_preface/02_glossary.html"),
    ("动量", "chapters/00_preface/02_glossary.html"),
    ("非线性过程", "chapters/06_faq/02_claims_checked.html"),  # inside a quote from the source articles
])
def test_search_finds_a_known_page_offline(server, browser, query, expected):
    _assert_search_finds(server, browser, "search.html", query, expected)


def _assert_search_finds(server, browser, search_page: str, query: str, expected: str) -> None:
    """Search the book's own search page (either edition) offline; a hit must link to ``expected``."""
    problems: list[str] = []
    page = _watched_page(browser, problems)
    page.goto(f"{server}/{search_page}?q={query}")
    page.wait_for_function("document.querySelectorAll('#search-results ul.search li').length > 0"
                           " || /did not match|no results|0 pages|没有|未找到/i.test(document.body.innerText)",
                           timeout=30_000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.href)")
    assert any(expected in h for h in hits), f"searching {query!r} does not find {expected}: {hits[:8]}"
    assert not problems, "; ".join(problems)
    page.close()


def _luminance(css_color: str) -> float:
    r, g, b = (int(x) for x in re.findall(r"\d+", css_color)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_dark_mode_darkens_the_page_and_keeps_figures_on_white(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900}, color_scheme="light")
    page.goto(f"{server}/chapters/01_background/02_first_experiment.html")
    background = "getComputedStyle(document.body).backgroundColor"
    light = _luminance(page.evaluate(background))
    page.locator(".theme-switch-button:visible").first.click()  # the colour-mode menu: System, Light, Dark
    page.locator(".theme-change-button[data-mode=dark]:visible").first.click()
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.dataset.theme") == "dark", "choosing Dark did not switch the page"
    dark = _luminance(page.evaluate(background))
    assert light > 200 and dark < 80, f"background luminance {light:.0f} (light) → {dark:.0f} (dark)"
    cards = page.eval_on_selector_all(".cell_output img", "els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert cards and all(_luminance(c) > 250 for c in cards), f"figures in dark mode need a white card: {cards[:3]}"
    page.close()


@pytest.mark.parametrize("width", [390, 1024])
def test_code_scrolls_inside_its_cell_at_narrow_widths(server, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    clipped = {}
    for path in ["chapters/04_code/01_documents_code_repaired.html", "chapters/03_algorithms/05_adam_family.html"]:
        page.goto(f"{server}/{path}")
        clipped[path] = page.eval_on_selector_all(
            "article pre",
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1"
            " && !['auto', 'scroll'].includes(getComputedStyle(e).overflowX)).length",
        )
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} at {width} px: the page itself scrolls sideways by {overflow} px"
    assert not any(clipped.values()), f"code cut off with no scroll bar at {width} px: {clipped}"
    page.close()


def test_prose_keeps_a_readable_measure(server, browser):
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    page.goto(f"{server}/chapters/01_background/01_why_depth_is_hard.html")
    em_widths = page.eval_on_selector_all(
        "article.bd-article section > p",
        "els => els.map(e => e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize))",
    )
    assert em_widths and max(em_widths) <= 48, f"paragraphs {max(em_widths):.0f} em wide: too long a line to read"
    page.close()


def test_citations_link_to_the_references_and_back(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/chapters/03_algorithms/05_adam_family.html")
    cites = page.eval_on_selector_all(
        "article a[href*='03_references.html#']", "els => els.map(e => new URL(e.href).hash.slice(1))"
    )
    assert "kingma2015adam" in cites, f"3.5 should cite Adam's paper by its key: {cites[:5]}"
    page.goto(f"{server}/chapters/06_faq/03_references.html")
    back = page.eval_on_selector_all(
        "#kingma2015adam .gc-cited-in a", "els => els.map(e => new URL(e.href).pathname.slice(1))"
    )
    assert "chapters/03_algorithms/05_adam_family.html" in back, f"the Adam entry should link back to 3.5: {back}"
    entries = page.locator("article div.citation").count()
    with_back_links = page.locator("article div.citation .gc-cited-in").count()
    assert entries >= 60 and with_back_links >= entries - 5, f"{with_back_links} of {entries} entries link back"
    page.close()


# --- moving figures (gradcourse.explorables) -----------------------------------------------------------------
# Each page that must have them, and how many. A figure that disappears from its chapter fails here.
EXPLORABLES = {
    "chapters/02_concepts/02_vanishing_exploding.html": 1,
    "chapters/02_concepts/03_learning_rate.html": 1,
    "chapters/03_algorithms/03_momentum_nesterov.html": 1,
    "chapters/03_algorithms/06_preconditioning.html": 1,
    "chapters/03_algorithms/07_schedules.html": 1,
    "chapters/03_algorithms/08_clipping.html": 1,
}
PAGE_BUDGET = 5 * 2**20  # bytes: a page with its figures' data, and with the Vega script it loads

# What is drawn, as text: every mark's geometry, text and opacity. Two different frames give two different strings.
_DRAWN = """el => [...el.querySelectorAll('svg path, svg text, svg line, svg rect')].map(e =>
  [e.getAttribute('d'), e.getAttribute('transform'), e.getAttribute('opacity'), e.getAttribute('fill-opacity'),
   e.getAttribute('stroke-opacity'), e.tagName === 'text' ? e.textContent : ''].join(';')).join('|')"""

# Move one control of a figure to another of its values, as a reader would, and wait until Vega has redrawn.
_MOVE = """async (el, i) => {
  const input = [...el.querySelectorAll('.vega-bindings input[type=range], .vega-bindings select,'
                                        + ' .vega-bindings .vega-bind-radio')][i];
  let described;
  if (input.tagName === 'SELECT') {
    input.selectedIndex = (input.selectedIndex + 1) % input.options.length;
    input.dispatchEvent(new Event('change', {bubbles: true}));
    described = 'choice ' + input.value;
  } else if (input.type === 'range') {
    const [lo, hi, now] = [+input.min, +input.max, +input.value];
    input.value = String(Math.abs(now - hi) > Math.abs(now - lo) ? hi : lo);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    described = 'slider to ' + input.value;
  } else {  // a group of radio buttons
    const radios = [...input.querySelectorAll('input[type=radio]')];
    const next = radios[(radios.findIndex(r => r.checked) + 1) % radios.length];
    next.click();
    described = 'radio ' + next.value;
  }
  await el.gcView.runAsync();
  return (input.closest('label, .vega-bind')?.querySelector('.vega-bind-name')?.textContent || '?') + ': '
    + described;
}"""


def _figures_ready(page) -> list[str]:
    page.wait_for_function(
        "[...document.querySelectorAll('div.gc-explorable')].every(e => e.dataset.ready)", timeout=60_000
    )
    return page.eval_on_selector_all("div.gc-explorable", "els => els.map(e => e.dataset.ready)")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_path", sorted(EXPLORABLES))
def test_each_moving_figure_draws_and_moves_offline(server, browser, page_path, scheme):
    """The figure draws with no network, its first frame has marks, and every slider, choice and legend entry
    changes what is drawn; in dark mode it keeps a white card."""
    problems: list[str] = []
    page = _watched_page(browser, problems)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{server}/{page_path}", wait_until="load")
    states = _figures_ready(page)
    assert len(states) == EXPLORABLES[page_path], f"{page_path}: {len(states)} moving figure(s), expected " \
                                                 f"{EXPLORABLES[page_path]}"
    assert all(s == "true" for s in states), f"{page_path}: a figure could not be drawn: {states}"
    for figure in page.locator("div.gc-explorable").all():
        card = figure.evaluate("el => getComputedStyle(el).backgroundColor")
        assert _luminance(card) > 250, f"{page_path} ({scheme}): the figure's card is not white: {card}"
        first = figure.evaluate(_DRAWN)
        assert first.count("|") > 20, f"{page_path}: the first frame draws almost nothing"
        controls = figure.evaluate("el => el.querySelectorAll('.vega-bindings input[type=range],"
                                   " .vega-bindings select, .vega-bindings .vega-bind-radio').length")
        assert controls >= 1, f"{page_path}: a moving figure without a slider or choice"
        for i in range(controls):
            before = figure.evaluate(_DRAWN)
            moved = figure.evaluate(_MOVE, i)
            after = figure.evaluate(_DRAWN)
            assert after != before, f"{page_path}: moving {moved} did not change the figure"
        legend = figure.locator("g.role-legend-label text")  # a line's legend symbol is too thin to click
        if legend.count() and '"bind":"legend"' in figure.evaluate("el => el.querySelector('script').textContent"):
            before = figure.evaluate(_DRAWN)
            legend.first.click(force=True)
            figure.evaluate("el => el.gcView.runAsync().then(() => null)")
            assert figure.evaluate(_DRAWN) != before, f"{page_path}: clicking the legend did not toggle a series"
    assert not problems, f"{page_path}: " + "; ".join(problems[:5])
    page.close()


def test_pages_stay_light():
    """Each page's HTML (with its figures' data) and, for a page with moving figures, the Vega script it loads."""
    _need((BOOK / "index.html").exists(), f"no built book at {BOOK}; run `make book` first")
    vega = (BOOK / "_static" / "vega" / "vega-bundle.js").stat().st_size
    heavy = {}
    for path in _pages():
        size = (BOOK / path).stat().st_size
        if path in EXPLORABLES:
            size += vega
        if size > PAGE_BUDGET:
            heavy[path] = size
    assert not heavy, f"pages over {PAGE_BUDGET / 2**20:.0f} MB: {heavy}"


# ------------------------------------------------------------------------------------------ the Chinese edition

ZH = BOOK / "zh"


def _translated(page_path: str) -> bool:
    """Whether the page has a Chinese catalog (otherwise the Chinese book shows it in English, with a note)."""
    return (ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / page_path.replace(".html", ".po")).exists()


# Draw two different characters in the font the page uses for its prose: with a font that has them, their pixels
# differ; without one, both are the same "missing glyph" box (tofu), or nothing at all.
_GLYPHS = """(chars) => {
  const p = document.querySelector('article.bd-article p');
  const font = getComputedStyle(p).font;
  const draw = ch => {
    const c = document.createElement('canvas'); c.width = 64; c.height = 64;
    const ctx = c.getContext('2d'); ctx.font = font.replace(/\\d+(\\.\\d+)?px/, '40px');
    ctx.fillStyle = '#000'; ctx.fillText(ch, 4, 48);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data.filter((v, i) => i % 4 === 3));
  };
  const [a, b] = chars.map(draw);
  return {inked: a.some(v => v > 0) && b.some(v => v > 0), differ: a.some((v, i) => v !== b[i]),
          lang: document.documentElement.lang};
}"""


@pytest.mark.parametrize("page_path", ["zh/index.html", "zh/chapters/02_concepts/02_vanishing_exploding.html"])
def test_chinese_pages_render_their_glyphs(server, browser, page_path):
    _need((BOOK / page_path).exists(), f"no Chinese edition at {ZH}; run `make book` first")
    page = browser.new_page()
    page.goto(f"{server}/{page_path}", wait_until="load")
    page.evaluate("document.fonts.ready.then(() => null)")
    seen = page.evaluate(_GLYPHS, ["梯", "度"])
    assert seen["lang"].startswith("zh"), f"{page_path}: <html lang={seen['lang']!r}>, not Chinese"
    assert seen["inked"] and seen["differ"], f"{page_path}: Chinese characters render as empty or identical boxes"
    text = page.inner_text("article.bd-article")
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    if _translated(page_path.removeprefix("zh/")) or page_path == "zh/index.html":
        assert han > 200, f"{page_path}: only {han} Chinese characters on a translated page"
    page.close()


def _first_section_id(page) -> str:
    return page.evaluate("document.querySelector('article.bd-article section section[id]').id")


@pytest.mark.parametrize("page_path", ["chapters/02_concepts/02_vanishing_exploding.html",
                                       "chapters/03_algorithms/07_schedules.html"])
def test_language_switch_goes_to_the_same_section(server, browser, page_path):
    _need((ZH / page_path).exists(), f"no Chinese edition at {ZH}; run `make book` first")
    problems: list[str] = []  # script errors only: leaving a page aborts its pending font requests, by design
    page = browser.new_page()
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    page.goto(f"{server}/{page_path}", wait_until="load")
    section = _first_section_id(page)
    page.goto(f"{server}/{page_path}#{section}", wait_until="load")
    switch = page.locator("a.gc-language-switch")
    assert switch.count() == 1 and switch.inner_text().strip() == "中文", "no 中文 link in the page's header"
    with page.expect_navigation():
        switch.click()
    assert urlparse(page.url).path == f"/zh/{page_path}" and urlparse(page.url).fragment == section, page.url
    assert page.evaluate(f"!!document.getElementById({section!r})"), f"zh/{page_path} has no section #{section}"
    back = page.locator("a.gc-language-switch")
    assert back.inner_text().strip() == "English"
    with page.expect_navigation():
        back.click()
    assert urlparse(page.url).path == f"/{page_path}" and urlparse(page.url).fragment == section, page.url
    assert not problems, "; ".join(problems)
    page.close()


@pytest.mark.parametrize(("query", "expected"), [
    ("梯度消失", "zh/chapters/02_concepts/02_vanishing_exploding.html"),
    ("学习率预热", "zh/chapters/03_algorithms/07_schedules.html"),
])
def test_chinese_search_finds_a_known_page(server, browser, query, expected):
    _need((ZH / "search.html").exists(), f"no Chinese edition at {ZH}; run `make book` first")
    _assert_search_finds(server, browser, "zh/search.html", query, expected)
