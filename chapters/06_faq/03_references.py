# %% [markdown]
# # 6.3 References
#
# Every work the course cites, with authors, title, venue, year and — where one exists — its arXiv identifier
# and DOI as links. The works live in one BibTeX file, `chapters/references.bib`. A chapter cites a work with a
# MyST role naming its BibTeX key: `` {cite:t}`kingma2015adam` `` for a textual citation ("Kingma and Ba
# (2015)"), `` {cite:p}`kingma2015adam` `` for a parenthetical one, with several keys separated by commas. The
# book renders each role as an author–year citation linked to its entry in the list below, and each entry links
# back to the places that cite it. Keys follow the pattern *first author, year, first significant word of the
# title*, all lowercase.
#
# **How the entries were checked.** Each field was compared with a public record of the work — the arXiv
# listing, the proceedings or publisher page, or several independent reference lists that agree. A field
# that could not be confirmed was left out rather than guessed (for instance the page range of *Efficient
# BackProp* {cite:p}`lecun1998efficient`, which sources give differently, and the full author lists of two
# papers with more than ten authors, shortened with "et al."). Entries that are not papers say so in a note:
# blog posts (Muon {cite:p}`jordan2024muon`, Karpathy's recipe {cite:p}`karpathy2019recipe`), course notes
# (CS231n {cite:p}`karpathy2015cs231n`) and a video lecture (*Building makemore Part 3*
# {cite:p}`karpathy2022building`); RMSprop, too, was never published as a paper — it comes from a lecture by
# {cite:t}`tieleman2012lecture`. The test suite (`tests/test_bibliography.py`) reads the file with pybtex and
# checks every entry: required fields, a venue, well-formed years, arXiv identifiers and DOIs, the key
# pattern, and no LaTeX that would reach the reader as raw text.
#
# The source articles' own reference lists are checked entry by entry on
# [6.2 Claims checked](02_claims_checked.ipynb) (rows 22–26 and 91–105): several of their papers do not exist.

# %%
import re
from collections import Counter
from pathlib import Path

from pybtex.database import parse_file

from gradcourse.claims import claim


def find_bibliography(start: Path) -> Path:
    """chapters/references.bib, looked for from the notebook's folder upwards (or the repository root down)."""
    for folder in (start, *start.parents):
        for candidate in (folder / "references.bib", folder / "chapters" / "references.bib"):
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(f"chapters/references.bib not found above {start}")


BIB = find_bibliography(Path.cwd().resolve())
bibliography = parse_file(str(BIB), "bibtex")
print(f"{len(bibliography.entries)} works in {BIB.parent.name}/{BIB.name}")

# %% [markdown]
# ## Which chapters cite what
#
# The cell below reads every chapter script, collects the keys of its citation roles, and checks that each
# one is in the bibliography (the test suite runs the same check on every Markdown cell).

# %%
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")  # a role and the keys between its backquotes


def cited_keys(text: str) -> list[str]:
    """The keys of every citation role in ``text``; one role may hold several keys, comma-separated."""
    return [key.strip() for role in CITE_ROLE.findall(text) for key in role.split(",") if key.strip()]


chapters_dir = BIB.parent
cited_in: dict[str, set[str]] = {}  # key -> the chapters (folder/name) that cite it
for script in sorted(chapters_dir.glob("*/*.py")):
    for key in cited_keys(script.read_text(encoding="utf-8")):
        cited_in.setdefault(key, set()).add(f"{script.parent.name}/{script.stem}")
missing = sorted(set(cited_in) - set(bibliography.entries))
chapters_citing = {chapter for chapters in cited_in.values() for chapter in chapters}
print(f"{len(cited_in)} different works are cited from {len(chapters_citing)} chapters; the most cited:")
for key, count in Counter({key: len(chapters) for key, chapters in cited_in.items()}).most_common(5):
    print(f"  {key:32} cited in {count} chapters")
claim(not missing, f"every one of the {len(cited_in)} cited works is in the bibliography"
                   + (f"; missing: {missing}" if missing else ""))

# %% [markdown]
# ## The list
#
# In the book this is the full list, with links back to where each work is cited; in
# JupyterLab the directive below shows as plain text, and the list is the output of the next cell.
#
# ```{bibliography}
# :all:
# ```

# %% tags=["remove-cell"]
from IPython.display import HTML, display
from pybtex.plugin import find_plugin

style = find_plugin("pybtex.style.formatting", "plain")()
html_backend = find_plugin("pybtex.backends", "html")()
items = [f'<li id="{entry.key}">{entry.text.render(html_backend)}</li>'
         for entry in style.format_entries(style.sort(bibliography.entries.values()))]
display(HTML("<ol>\n" + "\n".join(items) + "\n</ol>"))

# %% [markdown]
# ## What we learned
#
# - The book's references live in one BibTeX file; chapters cite them with `cite:t` and `cite:p` roles,
#   and a test keeps every citation pointing at an entry that exists and every entry complete and well formed.
# - A reference list is a claim like any other: check authors, titles, venues and identifiers against the
#   public record before you trust — or copy — one.
