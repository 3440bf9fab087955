"""The course bibliography: read a small BibTeX file and render it as an HTML reference list.

The references page (``chapters/06_faq/03_references``) renders ``chapters/references.bib`` with
:func:`render_html`; every entry becomes ``<li id="KEY">``, so a chapter can cite a work with a plain Markdown link
to ``../06_faq/03_references.ipynb#KEY`` and the link lands on the entry in the book.

Only the part of BibTeX that a hand-written bibliography needs is read: ``@type{key, field = {value}, ...}``
entries whose values are in braces, in double quotes, or bare numbers; ``%`` comment lines and ``@comment``
blocks. String macros (``@string``) and ``#`` concatenation are refused with a clear error rather than guessed.

>>> entries = parse_bibtex('@misc{doe2020thing, author = {Doe, Jane}, title = {A Thing}, year = 2020, '
...                        'howpublished = {Blog post}}')
>>> entries[0].key, entries[0].year, format_authors(entries[0].fields["author"])
('doe2020thing', '2020', 'Jane Doe')
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ARXIV_ID",
    "CITATION_LINK",
    "DOI",
    "VENUE_FIELDS",
    "Entry",
    "cited_keys",
    "entry_html",
    "format_authors",
    "latex_to_text",
    "load_bibtex",
    "parse_bibtex",
    "problems",
    "render_html",
    "venue_text",
]

#: A well-formed arXiv identifier: new style ``YYMM.NNNNN`` (4 or 5 digits) or old style ``archive/YYMMNNN``,
#: optionally with a version suffix ``vN``.
ARXIV_ID = re.compile(r"^(?:\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")

#: A DOI as the DOI handbook defines its syntax: ``10.<registrant>/<suffix>``.
DOI = re.compile(r"^10\.\d{4,9}/\S+$")

#: Fields that say where a work appeared; every entry needs at least one of them (an arXiv ``eprint`` also counts).
VENUE_FIELDS = ("journal", "booktitle", "school", "institution", "publisher", "howpublished")

#: A citation in a chapter: a link to the references page with the BibTeX key as its anchor.
CITATION_LINK = re.compile(r"03_references\.(?:ipynb|html)#([A-Za-z0-9_:\-]+)")

_REQUIRED = ("author", "title", "year")


@dataclass(frozen=True)
class Entry:
    """One BibTeX entry: its ``key``, its lower-cased ``kind`` (``article``, ``misc`` ...), its ``fields``
    (lower-cased names, values as written, outer braces removed) and the ``line`` it starts on."""

    key: str
    kind: str
    fields: dict[str, str]
    line: int = 0

    @property
    def year(self) -> str:
        return self.fields.get("year", "").strip()

    @property
    def arxiv(self) -> str | None:
        """The arXiv identifier, if the entry has one (``eprint`` with ``archiveprefix = arXiv``)."""
        if self.fields.get("archiveprefix", "").strip().lower() == "arxiv" and self.fields.get("eprint"):
            return self.fields["eprint"].strip()
        return None

    @property
    def doi(self) -> str | None:
        value = self.fields.get("doi", "").strip()
        return value or None


# --------------------------------------------------------------------------------------------------- parsing


class _Reader:
    """A cursor over the BibTeX text that knows its line number, for error messages."""

    def __init__(self, text: str, source: str) -> None:
        self.text, self.source, self.pos = text, source, 0

    def line(self, pos: int | None = None) -> int:
        return self.text.count("\n", 0, self.pos if pos is None else pos) + 1

    def fail(self, what: str, pos: int | None = None) -> ValueError:
        return ValueError(f"{self.source}, line {self.line(pos)}: {what}")

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, chars: str, what: str) -> str:
        self.skip_space()
        char = self.peek()
        if not char or char not in chars:
            found = repr(char) if char else "the end of the file"
            raise self.fail(f"expected {what}, found {found}")
        self.pos += 1
        return char

    def word(self, what: str) -> str:
        self.skip_space()
        match = re.compile(r"[^\s,={}()\"#%]+").match(self.text, self.pos)
        if not match:
            raise self.fail(f"expected {what}")
        self.pos = match.end()
        return match.group(0)

    def delimited(self) -> str:
        """Read a ``{...}`` or ``"..."`` value whose opening delimiter is at the cursor; return its inside.

        Braces inside must balance; a quoted value ends at the first ``"`` outside braces.
        """
        start = self.pos
        closing = "}" if self.text[start] == "{" else '"'
        self.pos += 1
        depth = 0
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char == closing and depth == 0:
                self.pos += 1
                return self.text[start + 1 : self.pos - 1]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            self.pos += 1
        raise self.fail(f"this {self.text[start]} is never closed", start)

    def value(self, field: str) -> str:
        self.skip_space()
        char = self.peek()
        if char in '{"':
            value = self.delimited()
        elif char.isdigit():
            value = self.word(f"a value for {field!r}")
        elif char:
            raise self.fail(
                f"the value of {field!r} must be in braces, in double quotes or a number; "
                f"string macros (@string) are not supported"
            )
        else:
            raise self.fail(f"the file ends before the value of {field!r}")
        self.skip_space()
        if self.peek() == "#":
            raise self.fail(f"'#' concatenation (in {field!r}) is not supported: write the value out in full")
        return value


def parse_bibtex(text: str, source: str = "<string>") -> list[Entry]:
    """Parse BibTeX ``text`` into a list of :class:`Entry`, in file order.

    Raises ``ValueError`` naming ``source`` and the line for malformed input: an unclosed brace, a field without
    ``=``, a field given twice, a value that is a string macro, an entry without a key.
    """
    reader = _Reader(text, source)
    entries: list[Entry] = []
    while True:
        at = text.find("@", reader.pos)
        if at < 0:
            break
        # text outside entries is a comment, but a '@' inside a '%' comment line must not start an entry
        line_start = text.rfind("\n", 0, at) + 1
        if text[line_start:at].lstrip().startswith("%"):
            reader.pos = text.find("\n", at) if "\n" in text[at:] else len(text)
            continue
        reader.pos = at + 1
        kind = reader.word("an entry type after '@'").lower()
        opener = reader.expect("{(", f"'{{' after @{kind}")
        if kind == "comment":
            reader.pos -= 1
            if opener == "{":
                reader.delimited()
            continue
        if kind in {"string", "preamble"}:
            raise reader.fail(f"@{kind} is not supported: write the values out in full")
        entry_line = reader.line(at)
        key = reader.word(f"a citation key after @{kind}{{")
        reader.expect(",", f"',' after the key {key!r}")
        fields: dict[str, str] = {}
        closer = "}" if opener == "{" else ")"
        while True:
            reader.skip_space()
            if reader.peek() == closer:
                reader.pos += 1
                break
            name = reader.word(f"a field name or the closing {closer!r} of {key!r}").lower()
            reader.expect("=", f"'=' after the field name {name!r} in {key!r}")
            if name in fields:
                raise reader.fail(f"the field {name!r} appears twice in {key!r}")
            fields[name] = reader.value(name).strip()
            reader.skip_space()
            if reader.peek() == ",":
                reader.pos += 1
            elif reader.peek() != closer:
                raise reader.fail(f"expected ',' or the closing {closer!r} after the field {name!r} in {key!r}")
        entries.append(Entry(key=key, kind=kind, fields=fields, line=entry_line))
    return entries


def load_bibtex(path: str | Path) -> dict[str, Entry]:
    """Read a ``.bib`` file into ``{key: Entry}`` (file order); a key used twice is a ``ValueError``."""
    path = Path(path)
    entries = parse_bibtex(path.read_text(encoding="utf-8"), source=str(path))
    by_key: dict[str, Entry] = {}
    for entry in entries:
        if entry.key in by_key:
            raise ValueError(
                f"{path}: the key {entry.key!r} is used twice (lines {by_key[entry.key].line} and {entry.line}); "
                f"keys must be unique"
            )
        by_key[entry.key] = entry
    return by_key


# ------------------------------------------------------------------------------------------------ LaTeX to text

_ACCENTS = {
    "'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
}
_SYMBOLS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
            "l": "ł", "L": "Ł", "i": "ı"}
_ACCENT_RE = re.compile(r"\\([\'\"`^~=.]|[uvHck](?![A-Za-z]))\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))")
_SYMBOL_RE = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|[oOlLi])(?![A-Za-z])\s?")


def _accented(match: re.Match[str]) -> str:
    """``\\'e`` → é: the base letter followed by the combining accent (``\\i`` is the dotless i)."""
    base = match.group(2) or match.group(3)
    letter = "ı" if base == "\\i" else base.lstrip("\\")
    return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])


def _convert_commands(value: str) -> str:
    """Replace the LaTeX commands we know (accents, special letters, escaped characters) by their characters."""
    text = _ACCENT_RE.sub(_accented, value)
    text = _SYMBOL_RE.sub(lambda m: _SYMBOLS[m.group(1)], text)
    for escaped in "&%_$#":
        text = text.replace("\\" + escaped, escaped)
    return text


def latex_to_text(value: str) -> str:
    """Turn the LaTeX of a BibTeX value into plain Unicode text.

    Handles accents (``{\\"u}`` → ü, ``\\'e`` → é, ``\\c{c}`` → ç), a few letters (``\\ss`` → ß), escaped
    characters (``\\&``, ``\\%``, ``\\_``, ``\\$``), dashes (``--`` → –, ``---`` → —), ``~`` (a space) and
    protective braces (removed). Any other command is left as written, so a test can spot it.
    """
    text = _convert_commands(value)
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    text = re.sub(r"(?<!\\)~", " ", text)
    text = re.sub(r"(?<!\\)[{}]", "", text)
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def _split_names(authors: str) -> list[str]:
    """Split an ``author`` field on `` and `` at brace depth 0."""
    names, depth, start = [], 0, 0
    for i, char in enumerate(authors):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and authors.startswith(" and ", i) and i >= start:
            names.append(authors[start:i])
            start = i + 5
    names.append(authors[start:])
    return [re.sub(r"\s+", " ", name).strip() for name in names if name.strip()]


def _display_name(name: str) -> str:
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 1:
        return latex_to_text(name)
    if len(parts) == 2:  # "Last, First"
        return latex_to_text(f"{parts[1]} {parts[0]}")
    return latex_to_text(f"{parts[2]} {parts[0]}, {parts[1]}")  # "Last, Jr, First"


def format_authors(authors: str) -> str:
    """Format a BibTeX ``author`` field for reading: ``Last, First and ...`` → ``First Last, ... and First Last``;
    a trailing ``and others`` becomes *et al.*

    >>> format_authors("Kingma, Diederik P. and Ba, Jimmy")
    'Diederik P. Kingma and Jimmy Ba'
    >>> format_authors("Chen, Xiangning and Liang, Chen and others")
    'Xiangning Chen, Chen Liang et al.'
    """
    names = _split_names(authors)
    et_al = bool(names) and names[-1].lower() == "others"
    shown = [_display_name(name) for name in (names[:-1] if et_al else names)]
    if et_al:
        return ", ".join(shown) + " et al."
    if len(shown) <= 2:
        return " and ".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _first_author_surname(entry: Entry) -> str:
    names = _split_names(entry.fields.get("author", ""))
    if not names:
        return ""
    first = names[0]
    surname = first.split(",")[0] if "," in first else first.split()[-1]
    folded = unicodedata.normalize("NFKD", latex_to_text(surname))
    return re.sub(r"[^a-z]", "", "".join(c for c in folded if not unicodedata.combining(c)).lower())


# ------------------------------------------------------------------------------------------------- checking


def problems(entries: Iterable[Entry]) -> list[str]:
    """Everything wrong with a bibliography, one readable sentence each (an empty list means it is clean).

    Checked: keys are unique; each entry has ``author``, ``title``, ``year`` and a venue (one of
    :data:`VENUE_FIELDS`, or an arXiv ``eprint``); the year is four digits; an arXiv id matches :data:`ARXIV_ID`;
    a DOI matches :data:`DOI`; the key follows the course convention ``firstauthorYEARword`` (lowercase); no
    LaTeX command is left after :func:`latex_to_text`.
    """
    found: list[str] = []
    seen: dict[str, int] = {}
    for entry in entries:
        where = f"{entry.key} (line {entry.line})"
        if entry.key in seen:
            found.append(f"{where}: the key is also used on line {seen[entry.key]}")
        seen[entry.key] = entry.line
        for name in _REQUIRED:
            if not entry.fields.get(name, "").strip():
                found.append(f"{where}: the field {name!r} is missing or empty")
        if not any(entry.fields.get(name, "").strip() for name in VENUE_FIELDS) and entry.arxiv is None:
            found.append(f"{where}: no venue — give one of {', '.join(VENUE_FIELDS)} or an arXiv eprint")
        if entry.year and not re.fullmatch(r"(19|20)\d\d", entry.year):
            found.append(f"{where}: the year {entry.year!r} is not a four-digit year between 1900 and 2099")
        if "eprint" in entry.fields and entry.arxiv is None:
            found.append(f"{where}: 'eprint' without archiveprefix = {{arXiv}}")
        if entry.arxiv is not None and not ARXIV_ID.match(entry.arxiv):
            found.append(f"{where}: {entry.arxiv!r} is not a well-formed arXiv id (expected e.g. 1412.6980)")
        if entry.doi is not None and not DOI.match(entry.doi):
            found.append(f"{where}: {entry.doi!r} is not a well-formed DOI (expected 10.NNNN/...)")
        surname = _first_author_surname(entry)
        if surname and entry.year and not re.fullmatch(rf"{re.escape(surname)}{re.escape(entry.year)}[a-z0-9]+",
                                                        entry.key):
            found.append(
                f"{where}: the key should read {surname}{entry.year}<firstword> (first author, year, first "
                f"significant title word, all lowercase)"
            )
        for name in ("author", "title", *VENUE_FIELDS, "note"):
            leftover = re.search(r"\\[A-Za-z]+", _convert_commands(entry.fields.get(name, "")))
            if leftover:
                found.append(f"{where}: the LaTeX command '{leftover.group(0)}' in {name!r} would show as raw text")
    return found


def cited_keys(text: str) -> list[str]:
    """The BibTeX keys cited in ``text`` (Markdown): anchors of links to ``03_references.ipynb#KEY``, in order."""
    return CITATION_LINK.findall(text)


# ------------------------------------------------------------------------------------------------ rendering


def venue_text(entry: Entry) -> str:
    """Where the work appeared, as one phrase: journal with volume and pages, proceedings, thesis, preprint ..."""
    f = {name: latex_to_text(value) for name, value in entry.fields.items()}
    if entry.kind == "article" and f.get("journal"):
        text = f["journal"]
        if f.get("volume"):
            text += f" {f['volume']}" + (f"({f['number']})" if f.get("number") else "")
        if f.get("pages"):
            text += f", {f['pages']}"
        return text
    if f.get("booktitle"):
        text = "In " + f["booktitle"]
        if f.get("editor"):
            text += f", edited by {format_authors(entry.fields['editor'])}"
        if f.get("series"):
            text += f", {f['series']}" + (f" {f['volume']}" if f.get("volume") else "")
        if f.get("pages"):
            text += f", pp. {f['pages']}"
        if f.get("publisher"):
            text += f", {f['publisher']}"
        return text
    if f.get("school"):
        return f"{f.get('type', 'Thesis')}, {f['school']}"
    if f.get("publisher"):
        return f["publisher"]
    if f.get("howpublished"):
        return f["howpublished"]
    if f.get("journal"):
        return f["journal"]
    return "arXiv preprint" if entry.arxiv else ""


def entry_html(entry: Entry) -> str:
    """One ``<li id="KEY">`` of the reference list: authors, title, venue, year, then arXiv / DOI / URL links."""
    esc = html.escape
    authors = format_authors(entry.fields.get("author", ""))
    title = latex_to_text(entry.fields.get("title", ""))
    parts = [
        f'<span class="gc-bib-authors">{esc(authors)}</span> ({esc(entry.year)}).',
        f'<span class="gc-bib-title">{esc(title)}</span>.',
    ]
    venue = venue_text(entry)
    if venue:
        parts.append(f"<em>{esc(venue)}</em>.")
    links = []
    if entry.arxiv:
        links.append(f'<a href="https://arxiv.org/abs/{esc(entry.arxiv)}">arXiv:{esc(entry.arxiv)}</a>')
    if entry.doi:
        links.append(f'<a href="https://doi.org/{esc(entry.doi)}">doi:{esc(entry.doi)}</a>')
    url = entry.fields.get("url", "").strip()
    if url:
        links.append(f'<a href="{esc(url)}">{esc(url)}</a>')
    if links:
        parts.append(" · ".join(links))
    note = latex_to_text(entry.fields.get("note", ""))
    if note:
        parts.append(f'<span class="gc-bib-note">— {esc(note)}.</span>')
    parts.append(f'<code class="gc-bib-key">{esc(entry.key)}</code>')
    return f'<li id="{esc(entry.key)}">' + " ".join(parts) + "</li>"


def _sort_key(entry: Entry) -> tuple[str, str, str]:
    return (_first_author_surname(entry), entry.year, entry.key)


def render_html(entries: Iterable[Entry]) -> str:
    """The whole reference list as HTML: an ``<ol>`` sorted by first author and year, one ``<li id="KEY">`` each."""
    items = "\n".join(entry_html(entry) for entry in sorted(entries, key=_sort_key))
    style = (
        "<style>.gc-bibliography li { margin-bottom: 0.45em; line-height: 1.45; }"
        " .gc-bib-title { font-weight: 600; } .gc-bib-key { color: #57606a; font-size: 0.85em; }"
        " .gc-bib-note { color: #57606a; }</style>"
    )
    return f'{style}\n<ol class="gc-bibliography">\n{items}\n</ol>'
