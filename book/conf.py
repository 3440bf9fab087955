"""Sphinx configuration of the gradcourse book (used by `make book`, through tools/build_book.py).

The source folder Sphinx reads is not the repository but ``build/book_src/``: tools/build_book.py executes every
chapter (git keeps notebooks without outputs) and stages the executed copies there, with the same relative paths
as in the repository, so every link between chapters and to the exercises works unchanged.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "gradcourse"
author = "the gradcourse authors"
copyright = "the gradcourse authors"  # noqa: A001 (Sphinx's name)
language = "en"  # the Chinese edition: `-D language=zh_CN` (tools/build_book.py builds both)

# The Chinese edition translates each paragraph through locales/zh_CN/LC_MESSAGES/<page>.po (one catalog per
# page; see locales/TRANSLATING.md and tools/translations.py). Sphinx compiles each catalog to a .mo beside it
# (ignored by git).
locale_dirs = [str(Path(__file__).resolve().parents[1] / "locales")]  # absolute: Sphinx reads it from the sources
gettext_compact = False

extensions = ["myst_nb", "sphinxcontrib.bibtex", "_gradcourse_book"]
exclude_patterns = ["**/.ipynb_checkpoints", "**/*.py"]
root_doc = "index"

# Notebooks arrive executed (tools/build_book.py runs and caches them, several at a time); Sphinx only renders.
nb_execution_mode = "off"
nb_merge_streams = True
nb_render_error_lexer = "text"  # the one traceback shown on purpose (4.1) is not valid input for the ipythontb lexer
nb_render_markdown_format = "myst"  # the glossary table and other Markdown outputs: tables and $math$ render
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
myst_dmath_double_inline = True  # a $$…$$ inside a paragraph or list item is display math, as in JupyterLab
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]

# Citations: {cite:p}`key` / {cite:t}`key` in any chapter; the list (with back-links) on 6.3.
bibtex_bibfiles = ["../chapters/references.bib"]  # relative to this folder: the repository's own file
bibtex_reference_style = "author_year"
bibtex_default_style = "plain"
bibtex_cite_id = "{key}"  # each entry's anchor is its key: 03_references.html#kingma2015adam

# MathJax 2, served by the book itself (copied from jupyter-server-mathjax into _static/mathjax): no CDN.
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
# The package ships the STIX-Web fonts only (not MathJax's default TeX web fonts), so MathJax is told to use them;
# its hidden MathML copy for screen readers is styled with the missing TeX fonts, so it starts switched off (a
# reader can switch it on in MathJax's right-click menu, Accessibility).
mathjax2_config = {
    # MyST marks each page section tex2jax_ignore and its math "math": typeset only what MyST marked as math.
    "tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]], "processEscapes": True,
                "processClass": "tex2jax_process|mathjax_process|math|output_area"},
    "HTML-CSS": {"availableFonts": [], "preferredFont": None, "webFont": "STIX-Web", "imageFont": None,
                 "linebreaks": {"automatic": True}},
    "SVG": {"font": "STIX-Web"},
    "AssistiveMML": {"disabled": True},
    "menuSettings": {"assistiveMML": False},
}

html_theme = "sphinx_book_theme"
html_title = "gradcourse"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_css_files = ["gradcourse.css"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
    "show_navbar_depth": 1,
}
