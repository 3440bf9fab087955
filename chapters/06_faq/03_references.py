# %% [markdown]
# # 6.3 References
#
# Every work the course cites, with authors, title, venue, year and — where one exists — its arXiv identifier
# and DOI as links. The list below is generated when this page runs, from the BibTeX file
# `chapters/references.bib`, by `gradcourse.bibliography`; each entry carries an anchor named after its
# BibTeX key, so a citation anywhere in the book,
#
# ```markdown
# [Kingma & Ba, 2015](../06_faq/03_references.ipynb#kingma2015adam)
# ```
#
# lands on its entry here. Keys follow the pattern *first author, year, first significant word of the title*,
# all lowercase.
#
# **How the entries were checked.** Each field was compared with a public record of the work — the arXiv
# listing, the proceedings or publisher page, or several independent reference lists that agree. A field
# that could not be confirmed was left out rather than guessed (for instance the page range of *Efficient
# BackProp*, which sources give differently, and the full author lists of two papers with more than ten
# authors, shortened with "et al."). Entries that are not papers say so in a note: blog posts (Jordan et al.'s
# Muon, Karpathy's recipe), course notes (CS231n) and a video lecture (Karpathy's *Building makemore Part 3*);
# RMSprop, too, was never published as a paper — it comes from a lecture by Tieleman and Hinton.
#
# The source articles' own reference lists are checked entry by entry on
# [6.2 Claims checked](02_claims_checked.ipynb) (rows 22–26 and 91–105): several of their papers do not exist.

# %%
from pathlib import Path

from IPython.display import HTML, display

from gradcourse import bibliography, plots
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()


def find_bibliography(start: Path) -> Path:
    """chapters/references.bib, looked for from the notebook's folder upwards (or the repository root down)."""
    for folder in (start, *start.parents):
        for candidate in (folder / "references.bib", folder / "chapters" / "references.bib"):
            if candidate.is_file():
                return candidate
    raise FileNotFoundError(f"chapters/references.bib not found above {start}")


BIB = find_bibliography(Path.cwd().resolve())
entries = bibliography.load_bibtex(BIB)
found = bibliography.problems(entries.values())
claim(not found, f"{len(entries)} works in {BIB.parent.name}/{BIB.name}, each complete and well formed"
                 + "".join(f"\n  problem: {problem}" for problem in found))

# %% [markdown]
# ## Which chapters cite what
#
# The cell below reads every chapter script, collects the keys it cites, and checks that each one is in the
# bibliography (the test suite runs the same check, `tests/test_bibliography.py`).

# %%
chapters_dir = BIB.parent
cited_in: dict[str, list[str]] = {}
for script in sorted(chapters_dir.glob("*/*.py")):
    for key in bibliography.cited_keys(script.read_text(encoding="utf-8")):
        cited_in.setdefault(key, [])
        if script.stem not in cited_in[key]:
            cited_in[key].append(script.stem)
missing = sorted(set(cited_in) - set(entries))
print(f"{len(cited_in)} different works are cited from {len({c for v in cited_in.values() for c in v})} chapters")
most = sorted(cited_in.items(), key=lambda kv: -len(kv[1]))[:5]
for key, where in most:
    print(f"  {key:32} cited in {len(where)} chapter(s)")
claim(not missing, "every cited work is in the bibliography" + (f"; missing: {missing}" if missing else ""))

# %% [markdown]
# ## The list

# %%
page = bibliography.render_html(entries.values())
display(HTML(page))

# %% [markdown]
# ## What we learned
#
# - The book's references live in one BibTeX file; this page renders it, and a test keeps every citation in
#   the chapters pointing at an entry that exists.
# - A reference list is a claim like any other: check authors, titles, venues and identifiers against the
#   public record before you trust — or copy — one.
