"""Every chapter's markdown renders as written: no control characters, balanced TeX.

A ``\\t`` inside a Python string that wrote a formula once turned ``$UV^\\top$`` into ``$UV^<TAB>op$``; an odd
number of ``$`` or an unclosed brace breaks MathJax for the rest of the paragraph. This test reads every
chapter's markdown cells (from the ``.py`` source) and names the chapter, cell and problem.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
# The chapters, and the exercise sources (the student notebooks made from them are pages of the book too).
CHAPTERS = sorted((ROOT / "chapters").glob("*/*.py")) + sorted((ROOT / "exercises" / "source").glob("*.py"))
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # every C0 control character but newline (tab too), and DEL


def strip_code(text: str) -> str:
    """Markdown without fenced code blocks and inline code spans, where ``$`` and braces mean nothing to TeX.

    A MyST directive (```` ```{admonition} ````, ```` ```{note} ````) is a fence too, but its body is Markdown
    that the book renders: only its fence and option lines go, its text is kept and checked.
    """
    kept, fence, directive = [], None, False
    for line in text.split("\n"):
        opening = re.match(r"\s*(`{3,}|~{3,})(.*)$", line)
        if fence is None and opening:
            fence, directive = opening.group(1), opening.group(2).strip().startswith("{")
            continue
        if fence is not None and line.strip() == fence:
            fence = None
            continue
        if fence is None or (directive and not re.match(r"\s*:\w[\w-]*:", line)):
            kept.append(line)
    return re.sub(r"``.+?``|`[^`\n]+`", "", "\n".join(kept))


def math_spans(text: str) -> tuple[list[str], str | None]:
    """The TeX of every ``$…$`` and ``$$…$$`` span, and a message if a ``$`` is left unpaired."""
    text = text.replace(r"\$", "")
    spans = re.findall(r"\$\$(.+?)\$\$", text, flags=re.S)
    rest = re.sub(r"\$\$.+?\$\$", "", text, flags=re.S)
    if "$$" in rest:
        return spans, "an unclosed $$"
    inline = re.findall(r"\$(.+?)\$", rest, flags=re.S)
    if re.sub(r"\$(.+?)\$", "", rest, flags=re.S).count("$"):
        return spans + inline, "an odd number of $ (an unclosed inline formula)"
    return spans + inline, None


def brace_problem(tex: str) -> str | None:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", tex):
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return "a } without its {"
    return "a { without its }" if depth else None


def problems_in(markdown: str) -> list[str]:
    found = []
    for match in CONTROL.finditer(markdown):
        line = markdown[: match.start()].count("\n") + 1
        found.append(f"control character {match.group()!r} on line {line} (a \\t or \\b in a Python string?)")
    spans, unpaired = math_spans(strip_code(markdown))
    if unpaired:
        found.append(unpaired)
    for tex in spans:
        problem = brace_problem(tex)
        if problem:
            found.append(f"{problem} in ${tex.strip()[:60]}$")
        for text in re.findall(r"\\text\{([^{}]*\\_[^{}]*)\}", tex):
            found.append(f"\\_ inside \\text{{{text}}} shows a literal backslash: write \\mathrm{{{text}}}")
    displays_removed = re.sub(r"\$\$.+?\$\$", "", strip_code(markdown).replace(r"\$", ""), flags=re.S)
    for tex in re.findall(r"\$(.+?)\$", displays_removed, flags=re.S):  # inline formulas ($$ blocks are safe)
        if re.search(r"\n\s*([+*-]|\d+[.)])\s", tex):
            found.append(f"a line inside ${tex.strip()[:40]}…$ starts like a list item: markdown splits the formula")
    outside = re.sub(r"\$.+?\$", "", displays_removed, flags=re.S)
    for command in re.findall(r"\\[a-zA-Z]+", outside):
        found.append(f"TeX {command} outside $…$ (put it in a formula, or in `code` if it is quoted)")
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.relative_to(ROOT).as_posix() for p in CHAPTERS])
def test_markdown_cells_are_clean(path: Path):
    notebook = jupytext.read(path)
    report = [f"cell {i}: {problem}" for i, cell in enumerate(notebook.cells) if cell.cell_type == "markdown"
              for problem in problems_in(cell.source)]
    assert not report, f"{path.name}:\n" + "\n".join(report)


@pytest.mark.parametrize(("markdown", "expected"), [
    ("the update $UV^\top$", "control character"),
    ("a price of $5 and $\\frac{1}{2}$", "odd number of $"),
    ("$$x^{2$$", "a { without its }"),
    ("$a}b$", "a } without its {"),
    ("$$\\sum_i x_i$$ and `$not math` and $\\{1, 2\\}$", None),
    ("a formula $a - b\n+ c$ across lines", "starts like a list item"),
    ("quoted 「\\sqrt{1 - β}」 as printed", "outside $"),
    ("quoted 「`\\sqrt{1 - β}`」 as printed", None),
    ("$\\text{fan\\_in}$ inputs", "literal backslash"),
    ("$\\mathrm{fan\\_in}$ inputs", None),
    ("```{admonition} Misconception\n:class: warning\nas printed 「\\frac{1}{2}」\n```", "outside $"),
    ("```python\nx = '$'  # \\frac\n```", None),
])
def test_the_checker_finds_what_it_should(markdown: str, expected: str | None):
    found = problems_in(markdown)
    assert (expected is None and not found) or (expected is not None and any(expected in f for f in found)), found
