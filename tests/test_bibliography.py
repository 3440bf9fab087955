"""The bibliography lint: ``chapters/references.bib`` read with pybtex, and every citation checked against it.

The book renders citations (``{cite:t}`key``` and ``{cite:p}`key```) and the reference list with
sphinxcontrib-bibtex, which reads the .bib with pybtex; this file holds the course's own rules on top of that.
Each rule is a small function returning readable messages, so a test can feed it a deliberately bad entry.

The test chapter authors meet most: every work a chapter cites must have an entry in ``chapters/references.bib``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import jupytext
import pytest
from pybtex.database import BibliographyData, BibliographyDataError, Entry, Person, parse_file, parse_string
from pybtex.plugin import find_plugin
from pybtex.richtext import Text

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "chapters" / "references.bib"
CHAPTERS = ROOT / "chapters"
EXERCISE_SOURCES = ROOT / "exercises" / "source"

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

#: A well-formed arXiv identifier: new style ``YYMM.NNNNN`` (4 or 5 digits) or old style ``archive/YYMMNNN``,
#: optionally with a version suffix ``vN``.
ARXIV_ID = re.compile(r"^(?:\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")

#: A DOI as the DOI handbook defines its syntax: ``10.<registrant>/<suffix>``.
DOI = re.compile(r"^10\.\d{4,9}/\S+$")

#: Fields that say where a work appeared; every entry needs one of them (an arXiv ``eprint`` also counts).
VENUE_FIELDS = ("journal", "booktitle", "school", "institution", "publisher", "howpublished")

#: A citation role in a Markdown cell: ``{cite}`k```, ``{cite:p}`k1,k2```, ``{cite:t}`k``` (and the other
#: sphinxcontrib-bibtex roles, ``{cite:ps}`` ...). The backquoted part holds one or more keys, comma-separated.
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")

#: Words skipped when picking the "first significant word" of a title for the key.
STOP_WORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "by", "at", "from", "via", "is"}

#: Keys whose last part is deliberately not the first significant title word, with the word they use instead.
KEY_WORD_EXCEPTIONS = {
    "karpathy2015cs231n": "cs231n",  # course notes, known by the course's name rather than the page's title
}


# --------------------------------------------------------------------------------------------- helpers


def cited_keys(text: str) -> list[str]:
    """The BibTeX keys cited in Markdown ``text`` by ``{cite...}`...``` roles, in order.

    ``{cite:p}`a, b``` gives ``a`` and ``b``; pre- and post-notes in braces (``{see}a{p. 3}``) are dropped.
    """
    keys = []
    for role in CITE_ROLE.finditer(text):
        for part in role.group(1).split(","):
            key = re.sub(r"\{[^{}]*\}", "", part).strip()
            if key:
                keys.append(key)
    return keys


_TEXT_BACKEND = find_plugin("pybtex.backends", "text")()  # looked up once: render_as() looks it up on every call


def as_text(latex: str) -> str:
    """What a reader sees of a BibTeX value: pybtex's own LaTeX-to-text rendering (accents, dashes, braces)."""
    return Text.from_latex(latex).render(_TEXT_BACKEND)


def ascii_lower(latex: str) -> str:
    """``as_text`` folded to lowercase ASCII letters and digits (``G{\\"u}ne{\\c{s}}`` → ``gunes``)."""
    folded = unicodedata.normalize("NFKD", as_text(latex))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in folded if not unicodedata.combining(c)).lower())


def name_parts(person: Person) -> list[str]:
    return [*person.first_names, *person.middle_names, *person.prelast_names, *person.last_names,
            *person.lineage_names]


def first_author_surname(entry: Entry) -> str:
    """The first author's surname (with its ``von`` part) as lowercase ASCII: ``de Freitas`` → ``defreitas``."""
    authors = entry.persons.get("author", [])
    if not authors:
        return ""
    person = authors[0]
    return re.sub(r"[0-9]", "", ascii_lower(" ".join([*person.prelast_names, *person.last_names])))


def first_significant_word(title: str) -> str:
    words = [ascii_lower(word) for word in re.split(r"[\s\-:/]+", as_text(title))]
    return next((word for word in words if word and word not in STOP_WORDS), "")


def parse(bibtex: str) -> BibliographyData:
    return parse_string(bibtex, "bibtex")


# ------------------------------------------------------------------------------------------ the checks
# Each takes (key, entry) and returns a list of messages, one readable sentence per problem.


def check_required_fields(key: str, entry: Entry) -> list[str]:
    found = []
    if not entry.persons.get("author"):
        found.append(f"{key}: the field 'author' is missing or empty")
    for name in ("title", "year"):
        if not entry.fields.get(name, "").strip():
            found.append(f"{key}: the field {name!r} is missing or empty")
    return found


def arxiv_id(entry: Entry) -> str | None:
    """The arXiv identifier, if the entry has one (``eprint`` with ``archiveprefix = arXiv``)."""
    if entry.fields.get("archiveprefix", "").strip().lower() == "arxiv" and entry.fields.get("eprint", "").strip():
        return entry.fields["eprint"].strip()
    return None


def check_venue(key: str, entry: Entry) -> list[str]:
    if any(entry.fields.get(name, "").strip() for name in VENUE_FIELDS) or arxiv_id(entry):
        return []
    return [f"{key}: no venue — give one of {', '.join(VENUE_FIELDS)} or an arXiv eprint"]


def check_year(key: str, entry: Entry) -> list[str]:
    year = entry.fields.get("year", "").strip()
    if year and not re.fullmatch(r"(19|20)\d\d", year):
        return [f"{key}: the year {year!r} is not a four-digit year between 1900 and 2099"]
    return []


def check_arxiv(key: str, entry: Entry) -> list[str]:
    if entry.fields.get("eprint", "").strip() and arxiv_id(entry) is None:
        return [f"{key}: 'eprint' without archiveprefix = {{arXiv}}"]
    arxiv = arxiv_id(entry)
    if arxiv is not None and not ARXIV_ID.match(arxiv):
        return [f"{key}: {arxiv!r} is not a well-formed arXiv id (expected e.g. 1412.6980 or cs/0112017)"]
    return []


def check_doi(key: str, entry: Entry) -> list[str]:
    doi = entry.fields.get("doi", "").strip()
    if doi and not DOI.match(doi):
        return [f"{key}: {doi!r} is not a well-formed DOI (expected 10.NNNN/...)"]
    return []


def check_key_convention(key: str, entry: Entry) -> list[str]:
    """``<first author surname><year><first significant title word>``, all lowercase ASCII."""
    surname, year = first_author_surname(entry), entry.fields.get("year", "").strip()
    if not surname or not year:
        return []  # reported by check_required_fields
    word = KEY_WORD_EXCEPTIONS.get(key) or first_significant_word(entry.fields.get("title", ""))
    expected = f"{surname}{year}{word}"
    if key != expected:
        return [
            f"{key}: the key should read {expected} (first author's surname, year, first significant title "
            f"word, all lowercase)"
        ]
    return []


def check_no_raw_latex(key: str, entry: Entry) -> list[str]:
    """No LaTeX command that pybtex's text rendering leaves as it is (it would show as raw text to a reader)."""
    values = [(name, entry.fields.get(name, "")) for name in ("title", *VENUE_FIELDS, "note")]
    values += [(role, part) for role in ("author", "editor") for person in entry.persons.get(role, [])
               for part in name_parts(person)]
    found = []
    for name, value in values:
        leftover = re.search(r"\\[A-Za-z]+", as_text(value)) if value else None
        if leftover:
            found.append(f"{key}: the LaTeX command '{leftover.group(0)}' in {name!r} would show as raw text")
    return found


CHECKS: tuple[Callable[[str, Entry], list[str]], ...] = (
    check_required_fields, check_venue, check_year, check_arxiv, check_doi, check_key_convention,
    check_no_raw_latex,
)


def lint(data: BibliographyData) -> list[str]:
    """Every problem with the entries of ``data``; an empty list means it is clean."""
    return [message for key, entry in data.entries.items() for check in CHECKS for message in check(key, entry)]


def duplicate_keys(bibtex: str) -> list[str]:
    """Keys declared more than once in BibTeX source (BibTeX keys are case-insensitive), one message each."""
    declared = re.findall(r"^\s*@(?!comment|string|preamble)\w+\s*[{(]\s*([^,\s]+)\s*,", bibtex, flags=re.M | re.I)
    seen: dict[str, int] = {}
    for key in declared:
        seen[key.lower()] = seen.get(key.lower(), 0) + 1
    return [f"the key {key!r} is used {count} times; keys must be unique" for key, count in seen.items() if count > 1]


# ---------------------------------------------------------------------------------------- the course's .bib


@pytest.fixture(scope="module")
def bibliography() -> BibliographyData:
    return parse_file(str(BIB), "bibtex")


def test_pybtex_reads_every_entry(bibliography):
    declared = re.findall(r"^@(\w+)\{([^,\s]+),", BIB.read_text(encoding="utf-8"), flags=re.M)
    assert [key for _, key in declared] == list(bibliography.entries), "every entry parsed, in file order"
    assert len(bibliography.entries) >= 60


def test_keys_are_unique():
    found = duplicate_keys(BIB.read_text(encoding="utf-8"))
    assert not found, "references.bib:\n" + "\n".join(found)


def test_every_entry_passes_the_lint(bibliography):
    found = lint(bibliography)
    assert not found, "references.bib has problems:\n" + "\n".join(found)


def test_arxiv_ids_are_well_formed(bibliography):
    with_arxiv = {key: arxiv_id(entry) for key, entry in bibliography.entries.items() if arxiv_id(entry)}
    assert len(with_arxiv) >= 25, "most entries carry their arXiv id"
    bad = {key: arxiv for key, arxiv in with_arxiv.items() if not ARXIV_ID.match(arxiv)}
    assert not bad, f"malformed arXiv ids: {bad}"
    assert with_arxiv["kingma2015adam"] == "1412.6980"
    assert with_arxiv["reddi2018convergence"] == "1904.09237"


def test_planned_works_are_all_present(bibliography):
    missing = sorted(PLANNED_KEYS - set(bibliography.entries))
    assert not missing, f"works the course plans to cite are missing from references.bib: {missing}"


def test_blog_posts_and_lectures_are_marked_as_such(bibliography):
    entries = bibliography.entries
    assert "blog post" in entries["jordan2024muon"].fields["note"].lower()
    assert "blog post" in entries["karpathy2019recipe"].fields["note"].lower()
    assert "video lecture" in entries["karpathy2022building"].fields["note"].lower()
    assert "lecture" in entries["tieleman2012lecture"].fields["note"].lower()
    assert "lecture notes" in entries["karpathy2015cs231n"].fields["note"].lower()


def test_every_entry_renders_in_the_plain_style_without_raw_latex(bibliography):
    """The book and the references page format entries with pybtex styles; each must format, and no
    backslash or TeX math delimiter may reach the reader."""
    style = find_plugin("pybtex.style.formatting", "plain")()
    formatted = list(style.format_entries(bibliography.entries.values()))
    assert len(formatted) == len(bibliography.entries)
    for entry in formatted:
        text = entry.text.render(_TEXT_BACKEND)
        assert "\\" not in text and "$" not in text, f"{entry.key}: raw LaTeX in {text!r}"


def _citing_scripts() -> list[Path]:
    return sorted([*CHAPTERS.glob("*/*.py"), *EXERCISE_SOURCES.glob("*.py")])


def test_every_citation_in_a_chapter_is_in_the_bibliography(bibliography):
    """Every key in a ``{cite:p}``/``{cite:t}``/``{cite}`` role in a markdown cell of a chapter or an exercise
    source must be a key in the .bib."""
    missing: list[str] = []
    in_chapters = 0
    scripts = _citing_scripts()
    assert scripts, "no chapter scripts found"
    for script in scripts:
        for cell in jupytext.read(script).cells:
            if cell.cell_type != "markdown":
                continue
            keys = cited_keys(cell.source)
            if script.is_relative_to(CHAPTERS):
                in_chapters += len(keys)
            missing += [f"{script.relative_to(ROOT)} cites '{key}', which is not in chapters/references.bib"
                        for key in keys if key not in bibliography.entries]
    assert not missing, (
        "citations without a bibliography entry (add the work to chapters/references.bib, or fix the key):\n"
        + "\n".join(sorted(set(missing)))
    )
    assert in_chapters >= 100, f"only {in_chapters} citations found in the chapters: is the role pattern broken?"


# ------------------------------------------------------------------------------------------ the lint itself


def test_cited_keys_finds_roles_with_one_or_several_keys():
    text = (
        "Adam {cite:p}`kingma2015adam` and AMSGrad {cite:t}`reddi2018convergence`; both {cite:p}`a2020x,b2021y`, "
        "{cite:p}`c2020x, d2021y` and {cite}`e2019z`; with notes {cite:p}`{see}f2018w{p. 3}`. "
        "Not these: `kingma2015adam`, {math}`x`, [x](03_references.ipynb#g2017v)."
    )
    assert cited_keys(text) == [
        "kingma2015adam", "reddi2018convergence", "a2020x", "b2021y", "c2020x", "d2021y", "e2019z", "f2018w",
    ]


def test_a_clean_entry_passes():
    data = parse(
        "@article{doe2020thing, author = {Doe, Jane and M{\\\"u}ller, Klaus and others},"
        " title = {A {T}hing \\& Another}, journal = {J. Things}, year = {2020}, doi = {10.1000/xyz},"
        " eprint = {1412.6980v2}, archiveprefix = {arXiv}}"
    )
    assert lint(data) == []


@pytest.mark.parametrize(
    ("bibtex", "message"),
    [
        ("@misc{nobody2020thing, title = {Thing}, year = {2020}, howpublished = {B}}",
         "nobody2020thing: the field 'author' is missing or empty"),
        ("@misc{roe2020thing, author = {Roe, R}, year = {2020}, howpublished = {B}}",
         "roe2020thing: the field 'title' is missing or empty"),
        ("@misc{roe2020thing, author = {Roe, R}, title = {Thing}, year = {2020}}", "roe2020thing: no venue"),
        ("@misc{roe20thing, author = {Roe, R}, title = {Thing}, year = {20}, howpublished = {B}}",
         "'20' is not a four-digit year"),
        ("@misc{roe2150thing, author = {Roe, R}, title = {Thing}, year = {2150}, howpublished = {B}}",
         "'2150' is not a four-digit year between 1900 and 2099"),
        ("@misc{roe2021thing, author = {Roe, R}, title = {Thing}, year = {2021}, eprint = {1412.698},"
         " archiveprefix = {arXiv}}", "'1412.698' is not a well-formed arXiv id"),
        ("@misc{roe2021thing, author = {Roe, R}, title = {Thing}, year = {2021}, eprint = {1412.6980},"
         " howpublished = {B}}", "'eprint' without archiveprefix"),
        ("@misc{roe2021thing, author = {Roe, R}, title = {Thing}, year = {2021}, howpublished = {B},"
         " doi = {11.2/x}}", "'11.2/x' is not a well-formed DOI"),
        ("@misc{smith2021thing, author = {Roe, R}, title = {Thing}, year = {2021}, howpublished = {B}}",
         "smith2021thing: the key should read roe2021thing"),
        ("@misc{roe2021other, author = {Roe, R}, title = {On the Thing}, year = {2021}, howpublished = {B}}",
         "roe2021other: the key should read roe2021thing"),
        ("@misc{Roe2021Thing, author = {Roe, R}, title = {Thing}, year = {2021}, howpublished = {B}}",
         "Roe2021Thing: the key should read roe2021thing"),
        ("@misc{roe2021thing, author = {Roe, R}, title = {Thing \\emph{x}}, year = {2021}, howpublished = {B}}",
         "the LaTeX command '\\emph' in 'title' would show as raw text"),
        ("@misc{roe2021thing, author = {Roe, R}, title = {Thing}, year = {2021}, howpublished = {\\foo B}}",
         "the LaTeX command '\\foo' in 'howpublished'"),
        ("@misc{roe2021thing, author = {Roe, \\textsc{R}}, title = {Thing}, year = {2021}, howpublished = {B}}",
         "the LaTeX command '\\textsc' in 'author'"),
    ],
)
def test_the_lint_reports_each_kind_of_mistake(bibtex, message):
    report = "\n".join(lint(parse(bibtex)))
    assert message in report, f"expected {message!r} in:\n{report}"


def test_key_convention_folds_accents_and_keeps_the_von_part():
    data = parse(
        "@misc{muller2020deep, author = {M{\\\"u}ller, K}, title = {Deep}, year = {2020}, howpublished = {B}}\n"
        "@misc{defreitas2016learning, author = {de Freitas, Nando}, title = {The Learning}, year = {2016},"
        " howpublished = {B}}\n"
    )
    assert lint(data) == []


def test_duplicate_keys_are_refused():
    text = "@misc{k2020a, title={x}}\n\n@misc{K2020a, title={y}}\n@misc{k2021b, title={z}}\n"
    assert duplicate_keys(text) == ["the key 'k2020a' is used 2 times; keys must be unique"]
    with pytest.raises(BibliographyDataError, match="repeated bibliography entry"):
        parse(text)


def test_arxiv_pattern():
    for good in ("1412.6980", "1904.09237v2", "2302.06675", "cs/0112017", "math.OC/0601001"):
        assert ARXIV_ID.match(good), good
    for bad in ("1412.698", "14126980", "1413.6980", "arXiv:1412.6980", "1412.6980v"):
        assert not ARXIV_ID.match(bad), bad


def test_pybtex_text_rendering_handles_the_latex_the_bib_uses():
    assert as_text(r"Technische Universit{\"a}t M{\"u}nchen") == "Technische Universität München"
    assert as_text(r"L{\'e}on Bottou, Fran\c{c}ois, \ss{}") == "Léon Bottou, François, ß"
    assert as_text(r"pp. 1--9 --- done") == "pp. 1–9 — done"
    assert ascii_lower(r"At{\i}l{\i}m G{\"u}ne{\c{s}}") == "atlmgunes"
