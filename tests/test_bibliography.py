"""The bibliography: the BibTeX reader, the HTML renderer, and the course's own references.bib.

The last test is the one chapter authors meet: every work a chapter cites (a Markdown link to
``03_references.ipynb#KEY``) must have an entry in ``chapters/references.bib``.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest

from gradcourse import bibliography as bib

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "chapters" / "references.bib"
CHAPTERS = ROOT / "chapters"

# Works the course cites from its plan (part 6 brief); each must stay in the bibliography.
PLANNED_KEYS = {
    "hochreiter1991untersuchungen", "bengio1994learning", "hochreiter1997long", "glorot2010understanding",
    "glorot2011deep", "nair2010rectified", "he2015delving", "he2016deep", "ioffe2015batch", "ba2016layer",
    "kingma2015adam", "reddi2018convergence", "loshchilov2019decoupled", "loshchilov2017sgdr",
    "smith2017cyclical", "smith2019super", "goyal2017accurate", "you2017large", "you2020large",
    "chen2023symbolic", "pascanu2013difficulty", "saxe2014exact", "duchi2011adaptive", "tieleman2012lecture",
    "zeiler2012adadelta", "dozat2016incorporating", "liu2020variance", "polyak1964some", "nesterov1983method",
    "sutskever2013importance", "rumelhart1986learning", "robbins1951stochastic", "lecun1998efficient",
    "micikevicius2018mixed", "kalamkar2019study", "li2020pytorch", "gupta2018shampoo", "vyas2024soap",
    "jordan2024muon", "zhang2020why", "srivastava2014dropout", "goodfellow2016deep", "bottou2018optimization",
    "keskar2017large", "karpathy2022building",
}


@pytest.fixture(scope="module")
def entries() -> dict[str, bib.Entry]:
    return bib.load_bibtex(BIB)


# ------------------------------------------------------------------------------------- the course's .bib


def test_parser_reads_every_entry(entries):
    text = BIB.read_text(encoding="utf-8")
    declared = re.findall(r"^@(\w+)\{([^,\s]+),", text, flags=re.M)
    assert len(declared) == len(entries), f"{len(declared)} entries in the file, {len(entries)} parsed"
    assert [key for _, key in declared] == list(entries), "entries must be parsed in file order, none skipped"


def test_every_entry_is_complete_and_well_formed(entries):
    found = bib.problems(entries.values())
    assert not found, "references.bib has problems:\n" + "\n".join(found)


def test_every_entry_has_author_title_year_and_a_venue(entries):
    for key, entry in entries.items():
        for name in ("author", "title", "year"):
            assert entry.fields.get(name, "").strip(), f"{key}: no {name}"
        assert bib.venue_text(entry), f"{key}: no venue-like field (journal, booktitle, school, howpublished ...)"


def test_keys_are_unique():
    keys = re.findall(r"^@\w+\{([^,\s]+),", BIB.read_text(encoding="utf-8"), flags=re.M)
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicated, f"keys used more than once in references.bib: {duplicated}"


def test_arxiv_ids_are_well_formed(entries):
    with_arxiv = {key: entry.arxiv for key, entry in entries.items() if entry.arxiv}
    assert len(with_arxiv) >= 25, "most entries carry their arXiv id"
    bad = {key: arxiv for key, arxiv in with_arxiv.items() if not bib.ARXIV_ID.match(arxiv)}
    assert not bad, f"malformed arXiv ids: {bad}"
    assert with_arxiv["kingma2015adam"] == "1412.6980"
    assert with_arxiv["reddi2018convergence"] == "1904.09237"


def test_planned_works_are_all_present(entries):
    missing = sorted(PLANNED_KEYS - set(entries))
    assert not missing, f"works the course plans to cite are missing from references.bib: {missing}"


def test_blog_posts_and_lectures_are_marked_as_such(entries):
    assert "blog post" in entries["jordan2024muon"].fields["note"].lower()
    assert "video lecture" in entries["karpathy2022building"].fields["note"].lower()
    assert "lecture" in entries["tieleman2012lecture"].fields["note"].lower()


def test_every_citation_in_a_chapter_is_in_the_bibliography(entries):
    """Every ``[..](../06_faq/03_references.ipynb#KEY)`` in a markdown cell of a chapter must name a key in the .bib."""
    missing: list[str] = []
    scripts = sorted(p for p in CHAPTERS.glob("**/*.py") if ".ipynb_checkpoints" not in p.parts)
    assert scripts, "no chapter scripts found"
    for script in scripts:
        notebook = jupytext.read(script)
        for cell in notebook.cells:
            if cell.cell_type != "markdown":
                continue
            for key in bib.cited_keys(cell.source):
                if key not in entries:
                    missing.append(f"{script.relative_to(ROOT)} cites '{key}', which is not in chapters/references.bib")
    assert not missing, (
        "citations without a bibliography entry (add the work to chapters/references.bib, or fix the key):\n"
        + "\n".join(sorted(set(missing)))
    )


# ------------------------------------------------------------------------------------------ rendering


def test_render_gives_one_anchor_per_entry(entries):
    page = bib.render_html(entries.values())
    ids = re.findall(r'<li id="([^"]+)"', page)
    assert sorted(ids) == sorted(entries), "exactly one <li id=KEY> per entry"
    assert '<a href="https://arxiv.org/abs/1412.6980">arXiv:1412.6980</a>' in page
    assert '<a href="https://doi.org/10.1162/neco.1997.9.8.1735">' in page
    assert "\\" not in re.sub(r"<[^>]+>", "", page), "no LaTeX backslash reaches the reader"
    assert "$" not in page, "no TeX delimiters in the list (the book's MathJax would try to typeset them)"


def test_entry_html_shows_authors_title_venue_year():
    (entry,) = bib.parse_bibtex(
        "@article{doe2020thing, author = {Doe, Jane and M{\\\"u}ller, Klaus and others},"
        " title = {A {T}hing \\& Another}, journal = {J. Things}, volume = {3}, number = {2}, pages = {1--9},"
        " year = {2020}, doi = {10.1000/xyz}}"
    )
    line = bib.entry_html(entry)
    assert line.startswith('<li id="doe2020thing">')
    assert "Jane Doe, Klaus Müller et al." in line
    assert "A Thing &amp; Another" in line
    assert "<em>J. Things 3(2), 1–9</em>" in line
    assert "(2020)" in line and 'href="https://doi.org/10.1000/xyz"' in line


# ---------------------------------------------------------------------------------------- the reader


def test_parser_handles_quotes_numbers_comments_and_nested_braces():
    text = """
    % a comment line with an @ sign that is not an entry: @misc{nope,
    @comment{ anything {nested} here }
    @Misc{ roe1999x ,
        Author = "Roe, Richard",
        title = {Nested {Braces} and {{Double}} ones},
        year = 1999,
        howpublished = {Note},
    }
    @article(poe2001y, author = {Poe, Ann}, title = {Parens}, journal = {J}, year = {2001})
    """
    parsed = bib.parse_bibtex(text)
    assert [e.key for e in parsed] == ["roe1999x", "poe2001y"]
    assert parsed[0].kind == "misc" and parsed[0].year == "1999"
    assert parsed[0].fields["author"] == "Roe, Richard"
    assert bib.latex_to_text(parsed[0].fields["title"]) == "Nested Braces and Double ones"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("@misc{a2020b, title = {never closed, year = 2020", "never closed"),
        ("@misc{a2020b, title {x}}", "expected '='"),
        ("@misc{a2020b, title = {x}, title = {y}}", "appears twice"),
        ("@misc{a2020b, title = macro}", "string macros"),
        ("@string{x = {y}}", "@string is not supported"),
        ("@misc{a2020b, title = {x} # {y}}", "concatenation"),
        ("@misc{a2020b title = {x}}", "expected ','"),
    ],
)
def test_parser_errors_name_the_line_and_the_problem(text, message):
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        bib.parse_bibtex(text, source="demo.bib")
    assert "demo.bib, line 1" in str(info.value)


def test_duplicate_keys_are_refused(tmp_path):
    path = tmp_path / "dup.bib"
    path.write_text("@misc{k2020a, title={x}}\n\n@misc{k2020a, title={y}}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"'k2020a' is used twice \(lines 1 and 3\)"):
        bib.load_bibtex(path)


def test_problems_catches_each_kind_of_mistake():
    bad = bib.parse_bibtex(
        "@misc{nobody2020x, title = {T}, year = {2020}}\n"
        "@misc{roe2020x, author = {Roe, R}, title = {T}, year = {2020}}\n"
        "@misc{roe20x, author = {Roe, R}, title = {T}, year = {20}, howpublished = {B}}\n"
        "@misc{roe2021x, author = {Roe, R}, title = {T}, year = {2021}, eprint = {1412.698},"
        " archiveprefix = {arXiv}, doi = {11.2/x}}\n"
        "@misc{smith2021x, author = {Roe, R}, title = {T \\emph{x}}, year = {2021}, howpublished = {B}}\n"
    )
    report = "\n".join(bib.problems(bad))
    assert "nobody2020x (line 1): the field 'author' is missing" in report
    assert "roe2020x (line 2): no venue" in report
    assert "'20' is not a four-digit year" in report
    assert "'1412.698' is not a well-formed arXiv id" in report
    assert "'11.2/x' is not a well-formed DOI" in report
    assert "smith2021x (line 5): the key should read roe2021<firstword>" in report
    assert "'\\emph' in 'title'" in report


def test_arxiv_pattern():
    for good in ("1412.6980", "1904.09237v2", "2302.06675", "cs/0112017", "math.OC/0601001"):
        assert bib.ARXIV_ID.match(good), good
    for bad in ("1412.698", "14126980", "1413.6980", "arXiv:1412.6980", "1412.6980v"):
        assert not bib.ARXIV_ID.match(bad), bad


def test_latex_to_text_and_author_formatting():
    assert bib.latex_to_text(r"Technische Universit{\"a}t M{\"u}nchen") == "Technische Universität München"
    assert bib.latex_to_text(r"L{\'e}on Bottou, Fran\c{c}ois, \ss{}") == "Léon Bottou, François, ß"
    assert bib.latex_to_text(r"pp. 1--9 --- done~here") == "pp. 1–9 — done here"
    assert bib.format_authors("Kingma, Diederik P. and Ba, Jimmy") == "Diederik P. Kingma and Jimmy Ba"
    assert bib.format_authors("A, B and C, D and E, F") == "B A, D C and F E"
    assert bib.format_authors("{World Health Organization}") == "World Health Organization"


def test_cited_keys_finds_links_to_the_references_page():
    text = (
        "Adam ([Kingma & Ba, 2015](../06_faq/03_references.ipynb#kingma2015adam)) and AMSGrad "
        "([Reddi et al.](03_references.ipynb#reddi2018convergence)); not this: [x](other.ipynb#kingma2015adam)."
    )
    assert bib.cited_keys(text) == ["kingma2015adam", "reddi2018convergence"]
