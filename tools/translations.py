"""The Chinese edition's catalogs: extract the English paragraphs, update the catalogs, report and check them.

    python tools/translations.py status            # per chapter: paragraphs translated and current; checks
    python tools/translations.py update            # refresh every existing catalog from the English chapters
    python tools/translations.py start chapters/02_concepts/04_sharpness   # open a catalog for a new chapter

The English chapters (``chapters/<part>/<section>.py``, through their paired notebooks) and the exercise
statements (``exercises/student/<part>.ipynb``) are the one source. Sphinx's gettext builder cuts each page into
its paragraphs, headings, list items and table cells (the *messages*); ``locales/zh_CN/LC_MESSAGES/<page>.po``
holds the Chinese of each message (``msgstr``) keyed by its English (``msgid``). The Chinese book
(``tools/build_book.py``) renders the same executed notebooks and replaces each message by its translation:
code, outputs and figures are shared, never copied.

When an English paragraph changes, its old translation no longer matches any message: ``update`` (which calls
``sphinx-intl``) keeps it as *fuzzy* (a draft for the translator, never shown) and the chapter falls below
100 % current. ``status`` extracts the messages afresh, so it sees an English edit even before ``update`` ran,
and fails (exit status 1) when

* a chapter that has a catalog is not 100 % translated and current, or
* a translation changed what must not change: a formula (``$…$``), inline code, a link target, a citation, a
  cross-reference; or
* a glossary term (``chapters/00_preface/glossary.csv``) appears in the English and none of its Chinese names in
  the translation — one term, one translation. A translator who has a reason to leave a term out says so in a
  comment above the entry: ``# glossary-ok: <english term> — why``.

A chapter without a catalog is not yet translated: the Chinese book shows it in English under a banner, and
``status`` lists it as such.

Two kinds of catalog hold sentences taken from code rather than pages, checked the same way (and a translation
must keep each ``{field}`` of its template): the exercise checks' messages, one catalog per module of
``gradcourse.check`` in ``src/gradcourse/check/locale/zh_CN/`` (read at run time when a student chooses 中文),
and the hints of the exercise stubs, ``locales/zh_CN/LC_MESSAGES/exercises/hints.po``. With the exercise pages'
catalogs, the hints make the Chinese student notebooks (``exercises/student_zh/``, written by
``tools/make_exercises.py`` through :func:`chinese_student_notebook`).
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "book"
LANGUAGE = "zh_CN"
LOCALES = ROOT / "locales"
CATALOGS = LOCALES / LANGUAGE / "LC_MESSAGES"
GLOSSARY = ROOT / "chapters" / "00_preface" / "glossary.csv"
SOURCES = ("chapters/*/*.ipynb", "exercises/student/*.ipynb")
#: The exercise checks' messages: one catalog per check module, read at run time by gradcourse.check._i18n.
CHECKS = ROOT / "src" / "gradcourse" / "check"
CHECK_CATALOGS = CHECKS / "locale" / LANGUAGE
CHECK_KEYWORDS = {"_": None, "N_": None}
#: The hints of the exercise stubs (``### BEGIN SOLUTION hint: …`` in exercises/source), for the Chinese student
#: notebooks (exercises/student_zh, written by tools/make_exercises.py).
HINTS_CATALOG = CATALOGS / "exercises" / "hints.po"


# ----------------------------------------------------------------------------------------------- extraction


def pages() -> list[str]:
    """Every page of the book that has a source in the repository: "chapters/02_concepts/04_sharpness", ..."""
    return sorted(p.relative_to(ROOT).with_suffix("").as_posix() for pattern in SOURCES for p in ROOT.glob(pattern))


def extract(pot_dir: Path) -> None:
    """Write one template (``<page>.pot``) per page into ``pot_dir``: Sphinx's gettext builder over the notebooks
    as git keeps them (prose only: the messages do not depend on the outputs, so nothing is executed)."""
    with tempfile.TemporaryDirectory(prefix="gc-gettext-") as tmp:
        src = Path(tmp) / "src"
        for page in pages():
            target = src / f"{page}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / f"{page}.ipynb", target)
        toctree = "\n".join(pages())
        (src / "index.md").write_text(f"# gradcourse\n\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8")
        command = [sys.executable, "-m", "sphinx", "-b", "gettext", "-q", "-c", str(CONF),
                   "-D", "gettext_compact=0", "-D", "gettext_location=0", "-D", "gettext_uuid=0",
                   "-d", str(Path(tmp) / "doctrees"), str(src), str(pot_dir)]
        # Links to pages outside this subset (none today) would warn; they do not change the messages.
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"translations: sphinx's gettext builder failed:\n{done.stderr}")
    (pot_dir / "index.pot").unlink(missing_ok=True)  # the index page is written per language by build_book.py


def check_modules() -> list[str]:
    """The check modules that have messages: "algorithms", "_core", ..."""
    return sorted(p.stem for p in CHECKS.glob("*.py") if p.stem not in ("__init__", "_i18n"))


def extract_checks() -> dict[str, object]:
    """One template (a babel Catalog) per check module: every literal passed to ``_()`` or ``N_()``."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    templates = {}
    for module in check_modules():
        template = Catalog(locale=None, project="gradcourse", domain=f"check.{module}")
        path = CHECKS / f"{module}.py"
        for lineno, message, comments, _context in extract_from_file("python", path, keywords=CHECK_KEYWORDS):
            template.add(message, locations=[(path.relative_to(ROOT).as_posix(), lineno)],
                         auto_comments=comments, flags=("python-brace-format",) if "{" in message else ())
        templates[module] = template
    return templates


def extract_hints():
    """The template of the exercise hints: every ``### BEGIN SOLUTION hint: …`` of exercises/source/*.py."""
    from babel.messages.catalog import Catalog
    from make_exercises import BEGIN  # the marker as the generator reads it, so each hint is keyed as it is shown

    template = Catalog(locale=None, project="gradcourse", domain="exercises.hints")
    for path in sorted((ROOT / "exercises" / "source").glob("*.py")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = BEGIN.match(line)
            hint = (found.group("hint") or "").strip() if found else ""
            if hint:
                template.add(hint, locations=[(path.relative_to(ROOT).as_posix(), lineno)])
    return template


def read_catalog(path: Path):
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        return read_po(fh, locale=LANGUAGE)


def write_catalog(catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False, include_previous=True)


# ---------------------------------------------------------------------------------------------------- checks

_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)
_CODE = re.compile(r"``.+?``|`[^`\n]+`")
_LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
_ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
_HTML = re.compile(r"</?[a-zA-Z][^>]*>")


def invariants(text: str) -> list[str]:
    """What a translation must keep exactly as the English has it: formulas, inline code, link targets, roles
    (citations, cross-references), HTML tags (anchors) — as a sorted list, so that their order may follow the
    grammar."""
    roles = _ROLE.findall(text)
    rest = _ROLE.sub(" ", text)
    code = _CODE.findall(rest)
    rest = _CODE.sub(" ", rest)
    return sorted(roles + code + _MATH.findall(rest) + _LINK_TARGET.findall(rest) + _HTML.findall(rest))


def format_fields(template: str) -> list[str]:
    """The ``{name:spec}`` fields of a ``str.format`` template, sorted (a translation may reorder them, never
    drop, add or rename one); raises ValueError on a malformed template (a lone brace)."""
    from string import Formatter

    return sorted(f"{{{name}{':' + spec if spec else ''}}}" for _text, name, spec, _conv in Formatter().parse(template)
                  if name is not None)


@dataclass(frozen=True)
class Term:
    english: str  # the name matched in the English (before any parenthesis), lower case
    chinese: tuple[str, ...]  # every Chinese name the glossary gives it


def glossary_terms(path: Path = GLOSSARY) -> list[Term]:
    """The glossary's terms: "learning rate (step size)" / "学习率（步长）" accepts 学习率 or 步长 for
    "learning rate"; "convex / non-convex function" gives two terms."""
    terms = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            names = tuple(n.strip() for n in re.split(r"[（）()、/]", row["chinese"]) if n.strip())
            englishes = row["english"].split(" / ")
            for english in englishes:
                main = re.sub(r"\s*\(.*?\)", "", english).strip().lower()
                if len(englishes) > 1 and " " not in main:
                    continue  # "training / validation / test set": "training" alone is not the term
                if main:
                    terms.append(Term(main, names))
    return terms


def missing_terms(msgid: str, msgstr: str, terms: Iterable[Term], allowed: set[str]) -> list[str]:
    """The glossary terms in ``msgid`` of which ``msgstr`` has no Chinese name (nor an explicit glossary-ok)."""
    english = _ROLE.sub(" ", _CODE.sub(" ", _MATH.sub(" ", msgid))).lower()
    found = []
    for term in sorted(terms, key=lambda t: -len(t.english)):  # "bias correction" before "bias"
        pattern = rf"(?<![\w-]){re.escape(term.english)}(?:e?s)?(?![\w-])"
        if not re.search(pattern, english):
            continue
        english = re.sub(pattern, " ", english)  # a longer term's words are not also a shorter term
        if term.english not in allowed and not any(name in msgstr for name in term.chinese):
            found.append(f"{term.english} → {' / '.join(term.chinese)}")
    return found


def _allowed_terms(comments: Iterable[str]) -> set[str]:
    found = (re.match(r"glossary-ok:\s*(.+?)(?:\s+[—–-]+\s.*)?$", c.strip()) for c in comments)
    return {m.group(1).strip().lower() for m in found if m}


# ---------------------------------------------------------------------------------------------------- status


@dataclass
class PageStatus:
    page: str
    messages: int
    current: int = 0
    has_catalog: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.current / self.messages if self.messages else 1.0


def page_status(page: str, template, terms: list[Term]) -> PageStatus:
    """How far the catalog of ``page`` is from its English ``template``; a translation must keep the formulas,
    code, links and roles of its paragraph."""

    def kept(msgid: str, msgstr: str) -> str | None:
        if invariants(msgid) != invariants(msgstr):
            return f"formula, code, link or citation differs: {msgid[:70]!r}"
        return None

    return _catalog_status(page, CATALOGS / f"{page}.po", template, terms, kept)


def check_catalog_status(module: str, template, terms: list[Term], *, path: Path | None = None,
                         label: str | None = None) -> PageStatus:
    """Like :func:`page_status`, for the messages of one check module (or another catalog of sentences taken from
    code, at ``path``): a translation must keep every ``{field}`` of its English template."""

    def kept(msgid: str, msgstr: str) -> str | None:
        try:
            if format_fields(msgid) != format_fields(msgstr):
                return (f"{{fields}} differ: {msgid[:60]!r} has {format_fields(msgid)}, the translation "
                        f"{format_fields(msgstr)}")
        except ValueError as err:
            return f"not a valid template ({err}): {msgstr[:60]!r}"
        return None

    return _catalog_status(label or f"check messages: {module}", path or CHECK_CATALOGS / f"{module}.po", template,
                           terms, kept)


def _catalog_status(name: str, path: Path, template, terms: list[Term], kept) -> PageStatus:
    """Count the template's messages translated and current in the catalog at ``path``; report each stale one,
    each that ``kept(msgid, msgstr)`` faults, and each glossary term a translation lost."""
    ids = [m.id for m in template if m.id]
    status = PageStatus(name, len(ids))
    if not path.exists():
        return status
    status.has_catalog = True
    catalog = read_catalog(path)
    for msgid in ids:
        entry = catalog.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            state = "changed in English" if entry is None else "fuzzy" if entry.fuzzy else "untranslated"
            status.problems.append(f"{state}: {msgid[:70]!r}")
            continue
        status.current += 1
        fault = kept(msgid, entry.string)
        if fault:
            status.problems.append(fault)
        lost = missing_terms(msgid, entry.string, terms, _allowed_terms(entry.user_comments))
        if lost:
            status.problems.append(f"glossary term(s) {'; '.join(lost)} missing in: {msgid[:60]!r}")
    return status


def status(pot_dir: Path | None = None) -> list[PageStatus]:
    from babel.messages.pofile import read_po

    terms = glossary_terms()
    with tempfile.TemporaryDirectory(prefix="gc-pot-") as tmp:
        pot_dir = pot_dir or Path(tmp)
        if not any(pot_dir.rglob("*.pot")):
            extract(pot_dir)
        results = []
        for page in pages():
            with (pot_dir / f"{page}.pot").open("rb") as fh:
                results.append(page_status(page, read_po(fh), terms))
    for module, template in extract_checks().items():
        results.append(check_catalog_status(module, template, terms))
    results.append(check_catalog_status("hints", extract_hints(), terms, path=HINTS_CATALOG,
                                        label="exercise hints (student_zh)"))
    return results


def report(results: list[PageStatus], out=sys.stdout) -> bool:
    """Print the table; True when every catalog is complete, current and clean."""
    ok = True
    print(f"{'page (or check module)':52s} {'messages':>8s} {'current':>8s}  中文", file=out)
    for r in results:
        if not r.has_catalog:
            print(f"{r.page:52s} {r.messages:8d} {'—':>8s}  not translated yet (shown in English)", file=out)
            continue
        state = "ok" if r.share == 1.0 and not r.problems else "NEEDS WORK"
        ok &= state == "ok"
        print(f"{r.page:52s} {r.messages:8d} {r.share:8.0%}  {state}", file=out)
    for r in results:
        for problem in r.problems:
            print(f"  {r.page}: {problem}", file=out)
    translated = [r for r in results if r.has_catalog]
    total = sum(r.messages for r in results)
    print(f"translations: {len(translated)} of {len(results)} pages and catalogs of code have a Chinese catalog; "
          f"{sum(r.current for r in translated)} of {total} messages translated and current", file=out)
    return ok


def update(start: list[str], *, pages_only: bool = False) -> None:
    """Refresh the catalogs from fresh templates (sphinx-intl update: a changed message keeps its old
    translation as fuzzy); ``start`` opens catalogs for pages that have none; ``pages_only`` leaves the
    catalogs of code (check messages, hints) alone."""
    with tempfile.TemporaryDirectory(prefix="gc-pot-") as tmp:
        pot_dir = Path(tmp)
        extract(pot_dir)
        wanted = {p for p in pages() if (CATALOGS / f"{p}.po").exists()} | set(start)
        unknown = set(start) - set(pages())
        if unknown:
            sys.exit(f"translations: no such page: {', '.join(sorted(unknown))} (give paths like "
                     "chapters/02_concepts/04_sharpness)")
        for pot in list(pot_dir.rglob("*.pot")):
            if pot.relative_to(pot_dir).with_suffix("").as_posix() not in wanted:
                pot.unlink()
        subprocess.run([sys.executable, "-m", "sphinx_intl", "update", "-p", str(pot_dir), "-d", str(LOCALES),
                        "-l", LANGUAGE, "-w", "0"], check=True, cwd=ROOT)
    if not pages_only:
        update_checks()
        update_hints()


def update_checks(modules: Iterable[str] | None = None) -> None:
    """Refresh (or open) the catalog of each check module (all by default) from its ``_()`` templates; a changed
    template keeps its old translation as a fuzzy draft, as for the pages."""
    wanted = set(check_modules() if modules is None else modules)
    for module, template in extract_checks().items():
        if module in wanted:
            _refresh(catalog_path=CHECK_CATALOGS / f"{module}.po", template=template, domain=f"check.{module}")


def update_hints() -> None:
    """Refresh the catalog of the exercise hints (as :func:`update_checks`)."""
    _refresh(catalog_path=HINTS_CATALOG, template=extract_hints(), domain="exercises.hints")


def _refresh(*, catalog_path: Path, template, domain: str) -> None:
    from babel.messages.catalog import Catalog

    if catalog_path.exists():
        catalog = read_catalog(catalog_path)
    else:
        catalog = Catalog(locale=LANGUAGE, project="gradcourse", domain=domain)
    catalog.update(template, update_header_comment=False)
    catalog.obsolete.clear()  # a template gone from the code: its translation goes too (git keeps it)
    write_catalog(catalog, catalog_path)


# ------------------------------------------------------------------------------- Chinese student notebooks

_BLOCK_START = r"(?:^[ \t]*(?:#{1,6} |[-*+] |\d+\. |> )*|\| )"  # a line (after its markup) or a table cell
_BLOCK_END = r"(?=[ \t]*(?:\||$))"


def translations_of(path: Path) -> dict[str, str]:
    """English -> Chinese of a catalog (translated, not fuzzy); empty when there is no catalog."""
    if not path.exists():
        return {}
    return {m.id: m.string for m in read_catalog(path) if m.id and m.string and not m.fuzzy}


def translate_markdown(text: str, table: dict[str, str]) -> tuple[str, int]:
    """``text`` (a Markdown cell) with each whole paragraph, heading, list item or table cell that ``table``
    translates replaced by its translation (line breaks inside a paragraph may differ from the catalog's);
    also the number replaced. Longest first, each match a whole block, so a short message ("Adam") never
    replaces a word inside a longer one."""
    replaced = 0
    for english in sorted(table, key=len, reverse=True):
        words = english.split()
        escaped = (re.escape(w).replace(r"\|", r"\\?\|") for w in words)  # a table escapes | as \|
        between = r"[ \t]*(?:\n[ \t]*(?:> )?)?"  # one way to match each gap (no backtracking blow-up)
        pattern = _BLOCK_START + "(" + between.join(escaped) + ")" + _BLOCK_END
        found = re.search(pattern, text, re.M)
        if found:
            chinese = table[english]
            line_start = text.rfind("\n", 0, found.start(1)) + 1
            if text[line_start:].lstrip().startswith("|"):  # a table cell: its | must stay escaped
                chinese = chinese.replace("|", r"\|")
            text = text[: found.start(1)] + chinese + text[found.end(1):]
            replaced += 1
    return text, replaced


def chinese_student_notebook(nb, page: str):
    """The Chinese version of a student notebook (an nbformat node, changed in place and returned): statements
    from the page's catalog and the checks switched to Chinese in the first code cell (the stubs' hints are
    translated by tools/make_exercises.py). What has no current translation stays in English (``status`` fails
    on it)."""
    table = translations_of(CATALOGS / f"{page}.po")
    switched = False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source, _count = translate_markdown(cell.source, table)
        elif cell.cell_type == "code":
            if not switched and "from gradcourse import" in cell.source:
                lines = cell.source.splitlines()
                at = max(i for i, line in enumerate(lines) if line.startswith(("from ", "import ")))
                lines.insert(at + 1, '\ncheck.language("zh")  # 检查结果用中文显示（"en"：英文）')
                cell.source = "\n".join(lines)
                switched = True
    if not switched:
        raise ValueError(f"{page}: no `from gradcourse import ...` line in a code cell to switch the checks to Chinese")
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status", help="per page: messages translated and current; exit 1 on any problem")
    refresh = sub.add_parser("update", help="refresh every existing catalog from the English")
    refresh.add_argument("--pages-only", action="store_true", help="leave the catalogs of code alone")
    start = sub.add_parser("start", help="open catalogs for pages that have none")
    start.add_argument("pages", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "status":
        return 0 if report(status()) else 1
    update(args.pages if args.command == "start" else [], pages_only=getattr(args, "pages_only", False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
