"""What the gradcourse book needs beyond Sphinx, myst-nb and the book theme: five small additions.

1. **Search that finds Chinese.** Sphinx's English index drops CJK text, and its Chinese index needs jieba (a
   20 MB dictionary). The glossary and the quoted source articles are the Chinese a reader searches for, so the
   English index here also keeps each run of CJK characters whole and each pair of characters in it: a
   two-character query (梯度) finds its pair, a longer one (梯度消失) matches inside a run (the search page
   matches terms of three or more characters as substrings).
2. **Anchors written as HTML.** Some pages mark rows with ``<span id="claim-17"></span>`` (a table row cannot
   carry a MyST label). MyST links to them correctly but warns that it does not know the id, and the build treats
   warnings as errors; a warning is dropped only when the id is in the staged source of the page it points to
   (or, for a link within a page, in some page). The browser test checks every link's target id in the real page.
3. **"Cited in" under each reference.** sphinxcontrib-bibtex links a citation to its entry, but links an entry back
   only to citations on the same page. Each entry on 6.3 gets a line "Cited in: 1.1 · 3.5 …" linking to every
   page that cites it.
4. **Alt text for figures.** tools/build_book.py records, for each figure a chapter drew, its titles and axis
   labels (``_gc_alt.json`` in the staged source, keyed by the SHA-256 of the PNG, which is also the file name
   myst-nb gives the image); each image without alt text gets that description.
5. **Scripts for moving figures.** A page with a ``div.gc-explorable`` (see tools/build_book.py) loads the Vega
   bundle and ``_static/gc-explorables.js``, which draws it; other pages load neither.
"""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.search.en import SearchEnglish

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


class SearchEnglishAndChinese(SearchEnglish):
    """English search (stemmed words) that also indexes Chinese: whole CJK runs and every pair of characters."""

    lang = "en"

    def split(self, input: str) -> list[str]:  # noqa: A002 (Sphinx's signature)
        words = super().split(input)
        for run in CJK_RUN.findall(input):
            words.append(run)
            words.extend(run[i : i + 2] for i in range(len(run) - 1))
        return words

    def word_filter(self, word: str) -> bool:
        if CJK_RUN.fullmatch(word):
            return len(word) >= 2
        return super().word_filter(word)

    def stem(self, word: str) -> str:
        return word if CJK_RUN.fullmatch(word) else super().stem(word)


def _set_alt_text(app: Sphinx, doctree: nodes.document) -> None:
    table = Path(app.srcdir) / "_gc_alt.json"
    if not table.exists():
        return
    described = json.loads(table.read_text(encoding="utf-8"))
    for image in doctree.findall(nodes.image):
        if image.get("alt"):
            continue
        text = described.get(Path(image["uri"]).stem)
        if text:
            image["alt"] = text


_UNKNOWN_ID = re.compile(r"local id not found in doc '([^']+)': '([^']+)'|cross-reference target not found: '([\w-]+)'")


class _HtmlAnchorFilter(logging.Filter):
    def __init__(self, srcdir: Path) -> None:
        super().__init__()
        self.srcdir = srcdir

    @cache  # noqa: B019 (one filter per build)
    def _source(self, docname: str) -> str:
        return "".join(p.read_text(encoding="utf-8") for p in self.srcdir.glob(f"{docname}.*") if p.is_file())

    def _has_id(self, docname: str, anchor: str) -> bool:
        source = self._source(docname)
        return f'id=\\"{anchor}\\"' in source or f'id="{anchor}"' in source

    def filter(self, record: logging.LogRecord) -> bool:
        match = _UNKNOWN_ID.search(record.getMessage())
        if not match:
            return True
        docname, anchor, local = match.groups()
        if local:
            return not any(self._has_id(p.relative_to(self.srcdir).with_suffix("").as_posix(), local)
                           for p in self.srcdir.rglob("*.ipynb"))
        return not self._has_id(docname, anchor)


def _note_citations(app: Sphinx, doctree: nodes.document) -> None:
    cited_in = app.env.__dict__.setdefault("gc_cited_in", {})  # BibTeX key -> pages that cite it
    for xref in doctree.findall(addnodes.pending_xref):
        if xref.get("refdomain") == "cite":
            for key in xref["reftarget"].split(","):
                cited_in.setdefault(key.strip(), set()).add(app.env.docname)


def _forget_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for pages in env.__dict__.get("gc_cited_in", {}).values():
        pages.discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    mine = env.__dict__.setdefault("gc_cited_in", {})
    for key, pages in other.__dict__.get("gc_cited_in", {}).items():
        mine.setdefault(key, set()).update(pages)


def _short_title(env: BuildEnvironment, docname: str) -> str:
    title = env.titles[docname].astext() if docname in env.titles else docname
    first = title.split()[0] if title.split() else title
    return first if re.fullmatch(r"\d+(\.\d+)*", first) else title


def _add_cited_in(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    cited_in = app.env.__dict__.get("gc_cited_in", {})
    for entry in doctree.findall(nodes.citation):
        pages = sorted(set().union(*(cited_in.get(i, set()) for i in entry["ids"])))
        if not pages:
            continue
        line = nodes.paragraph(classes=["gc-cited-in"])
        line += nodes.Text("Cited in: ")
        for n, page in enumerate(pages):
            if n:
                line += nodes.Text(" · ")
            uri = app.builder.get_relative_uri(docname, page)
            line += nodes.reference("", _short_title(app.env, page), internal=True, refuri=uri)
        entry += line


def _add_figure_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Pages with a moving figure load Vega (as an ES module: its names stay out of the page's globals) and the
    few lines that draw each figure; other pages load neither."""
    if doctree is not None and "gc-explorable" in context.get("body", ""):
        app.add_js_file("vega/vega-bundle.js", type="module")
        app.add_js_file("gc-explorables.js", type="module")


def setup(app: Sphinx) -> dict:
    anchors = _HtmlAnchorFilter(Path(app.srcdir))
    for handler in logging.getLogger("sphinx").handlers:  # first, before Sphinx counts the warning
        handler.filters.insert(0, anchors)
    app.add_search_language(SearchEnglishAndChinese)
    app.connect("doctree-read", _set_alt_text)
    app.connect("doctree-read", _note_citations)
    app.connect("env-purge-doc", _forget_page)
    app.connect("env-merge-info", _merge)
    app.connect("doctree-resolved", _add_cited_in)
    app.connect("html-page-context", _add_figure_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
