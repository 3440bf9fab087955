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
6. **Two editions.** The English book is at the root and the Chinese one (``language = "zh_CN"``) under ``zh/``.
   Every page links to the same page of the other edition (``_static/gc-language.js`` puts the link in the page's
   header and carries the section, the ``#…`` of the address, along) and names it in a ``<link rel=alternate>``.
   The Chinese search index is cut into words by jieba, with the glossary's Chinese terms as its user dictionary
   (``_gc_search_dict.txt``, written by tools/build_book.py), so that 梯度消失 is one word as well as 梯度 + 消失.
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
from sphinx.search.zh import SearchChinese

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


class SearchChineseFixed(SearchChinese):
    """Sphinx's Chinese search, whose page script names a ``ChineseStemmer`` that Sphinx 9 does not ship: the
    Latin words of a Chinese page are stemmed as English (as Sphinx's index already does), so the script uses the
    English stemmer. jieba's start-up messages are silenced."""

    language_name = "English"

    def __init__(self, options: dict[str, str]) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        super().__init__(options)


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
        line += nodes.Text(_text(app, "cited_in"))
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


TEXTS = {
    "en": {"cited_in": "Cited in: ", "other": "中文", "other_lang": "zh-CN",
           "other_title": "本页的中文版"},
    "zh": {"cited_in": "引用于：", "other": "English", "other_lang": "en",
           "other_title": "This page in English"},
}


def _edition(app: Sphinx) -> str:
    return "zh" if (app.config.language or "en").startswith("zh") else "en"


def _text(app: Sphinx, key: str) -> str:
    return TEXTS[_edition(app)][key]


def other_edition_uri(pagename: str, edition: str) -> str:
    """The same page in the other edition, relative to this page: the Chinese book is the folder zh/ inside the
    English one.

    >>> other_edition_uri("chapters/02_concepts/04_sharpness", "en")
    '../../zh/chapters/02_concepts/04_sharpness.html'
    >>> other_edition_uri("chapters/02_concepts/04_sharpness", "zh")
    '../../../chapters/02_concepts/04_sharpness.html'
    >>> other_edition_uri("index", "zh")
    '../index.html'
    """
    up = "../" * pagename.count("/")
    return f"{up}zh/{pagename}.html" if edition == "en" else f"{up}../{pagename}.html"


def _add_language_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    edition = _edition(app)
    uri = other_edition_uri(pagename, edition)
    texts = TEXTS[edition]
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{texts["other_lang"]}" href="{uri}">'
        f'\n<meta name="gc-other-edition" content="{uri}" data-label="{texts["other"]}" '
        f'data-lang="{texts["other_lang"]}" data-title="{texts["other_title"]}">')


def _search_dictionary(app: Sphinx, config) -> None:
    """The Chinese index's user dictionary for jieba: the glossary's terms, written beside the sources."""
    words = Path(app.srcdir) / "_gc_search_dict.txt"
    if _edition(app) == "zh" and words.exists():
        config.html_search_options = {**config.html_search_options, "dict": str(words)}


def setup(app: Sphinx) -> dict:
    anchors = _HtmlAnchorFilter(Path(app.srcdir))
    for handler in logging.getLogger("sphinx").handlers:  # first, before Sphinx counts the warning
        handler.filters.insert(0, anchors)
    app.add_search_language(SearchEnglishAndChinese)
    app.add_search_language(SearchChineseFixed)
    app.connect("doctree-read", _set_alt_text)
    app.connect("doctree-read", _note_citations)
    app.connect("env-purge-doc", _forget_page)
    app.connect("env-merge-info", _merge)
    app.connect("doctree-resolved", _add_cited_in)
    app.connect("html-page-context", _add_figure_scripts)
    app.connect("html-page-context", _add_language_switch)
    app.connect("config-inited", _search_dictionary)
    app.add_js_file("gc-language.js", type="module")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
