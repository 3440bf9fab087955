"""Generate the student and solution versions of every exercise from one source.

    python tools/make_exercises.py          # write exercises/student/ and exercises/solutions/
    python tools/make_exercises.py --check  # exit 1 (naming the files) if the generated files are stale
    python tools/make_exercises.py --nbgrader build/nbgrader   # nbgrader's source/<assignment>/ tree, points set
    python tools/make_exercises.py --handout build/handout     # the student bundle: no solutions, no keys

A source is a percent-format notebook ``exercises/source/<name>.py`` whose code cells mark the answer with
nbgrader's markers::

    def momentum_step(theta, grad, buf, lr, mu):
        ### BEGIN SOLUTION hint: keep a running sum b = mu*b + g, then step along it
        buf = mu * buf + grad
        return theta - lr * buf, buf
        ### END SOLUTION

- the **solution** version drops the two marker lines and keeps the answer;
- the **student** version replaces everything between them with a stub that raises ``NotImplementedError``
  carrying the hint, at the indentation of the BEGIN SOLUTION line.

Both are written as ``.py`` and ``.ipynb`` pairs (outputs empty).

``--nbgrader DIR`` writes ``DIR/source/<part>/<part>.ipynb`` for every part, with nbgrader's cell metadata
generated from the markers: a cell with ``### BEGIN SOLUTION`` is an *autograded answer*, a
``check.<name>(<answer>)`` cell is an *autograded test* worth 1 point (2 for an exercise whose heading says
``challenge``), every other cell is read-only. The hint moves to a ``# Hint:`` comment above the marker, which
nbgrader's stub does not keep.

``--handout DIR`` writes what a student may have: the chapters, the library (whose checks hold no answer
key), the student notebooks and the files needed to install and open them. Not the sources, the solutions,
the teacher's keys (``exercises/teacher/``) or the tests.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

import jupytext
import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import translations  # noqa: E402
from notebook_pairs import canonical_notebook, notebook_text, without_header  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCE, STUDENT, SOLUTIONS, STUDENT_ZH = (ROOT / "exercises" / d for d in ("source", "student", "solutions",
                                                                          "student_zh"))
BEGIN = re.compile(r"^(?P<indent>\s*)### BEGIN SOLUTION(?:\s+hint:\s*(?P<hint>.*))?\s*$")
END = re.compile(r"^\s*### END SOLUTION\s*$")


class MarkerError(ValueError):
    pass


def transform(source: str, *, student: bool, where: str = "<cell>", hints: dict[str, str] | None = None) -> str:
    """Return the student or solution text of one code cell (``hints``: the Chinese of each stub's hint, for
    the Chinese student notebooks; a hint it lacks stays in English)."""
    out: list[str] = []
    inside, begin_line, hint, indent = False, 0, "", ""
    for number, line in enumerate(source.splitlines(), start=1):
        begin, end = BEGIN.match(line), END.match(line)
        if begin:
            if inside:
                raise MarkerError(f"{where}: line {number}: BEGIN SOLUTION inside another (opened at {begin_line})")
            inside, begin_line, indent = True, number, begin.group("indent")
            hint = (begin.group("hint") or "").strip()
            continue
        if end:
            if not inside:
                raise MarkerError(f"{where}: line {number}: END SOLUTION without BEGIN SOLUTION")
            if student:
                if hints is None:
                    marker, message = "# YOUR CODE HERE", "Exercise not done yet" + (f": {hint}" if hint else "")
                else:
                    marker = "# YOUR CODE HERE（在这里写你的代码）"
                    message = "练习尚未完成" + (f"：{hints.get(hint, hint)}" if hint else "")
                out.append(f"{indent}{marker}")
                out.append(f"{indent}raise NotImplementedError({message!r})")
            inside = False
            continue
        if not (inside and student):
            out.append(line)
    if inside:
        raise MarkerError(f"{where}: BEGIN SOLUTION at line {begin_line} is never closed")
    return "\n".join(out)


def render(path: Path, *, student: bool, chinese: bool = False) -> tuple[str, str]:
    """Return (py text, ipynb text) of one generated version; ``chinese``: the student version in Chinese, its
    statements and hints from the Chinese catalogs (tools/translations.py) and its checks switched to 中文."""
    nb = jupytext.read(path)
    canonical_notebook(nb)
    hints = translations.translations_of(translations.HINTS_CATALOG) if chinese else None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.source = transform(cell.source, student=student, where=f"{path.name} cell {i}", hints=hints)
    if chinese:
        translations.chinese_student_notebook(nb, f"exercises/student/{path.stem}")
    return without_header(jupytext.writes(nb, fmt="py:percent")), notebook_text(nb)


def planned() -> dict[Path, str]:
    files: dict[Path, str] = {}
    for path in sorted(SOURCE.glob("*.py")):
        for folder, student, chinese in ((STUDENT, True, False), (SOLUTIONS, False, False), (STUDENT_ZH, True, True)):
            py, ipynb = render(path, student=student, chinese=chinese)
            files[folder / path.name] = py
            files[folder / path.with_suffix(".ipynb").name] = ipynb
    return files


CHECK_CALL = re.compile(r"^check\.(\w+)\((\w+)\)\s*$", re.MULTILINE)
HEADING = re.compile(r"^#+ Exercises? .*\((?P<tags>[^)]*)\)", re.MULTILINE)


def _nbgrader_meta(grade_id: str, *, solution: bool = False, grade: bool = False, points: int = 0) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _plain_markers(source: str) -> str:
    """Marker lines exactly as nbgrader writes them; a hint becomes a comment above its marker."""
    out = []
    for line in source.splitlines():
        begin = BEGIN.match(line)
        if begin and begin.group("hint"):
            out.append(f"{begin.group('indent')}# Hint: {begin.group('hint').strip()}")
            out.append(f"{begin.group('indent')}### BEGIN SOLUTION")
        else:
            out.append(line)
    return "\n".join(out)


def nbgrader_notebook(path: Path) -> tuple[nbformat.NotebookNode, dict[str, int]]:
    """The source notebook with nbgrader metadata on every cell; also {check name: points}."""
    nb = jupytext.read(path)
    points: dict[str, int] = {}
    tier_points = 1
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"
        if cell.cell_type == "markdown":
            heading = HEADING.search(cell.source)
            if heading:
                tier_points = 2 if "challenge" in heading.group("tags") else 1
            cell.metadata.update(_nbgrader_meta(f"text-{i:03d}"))
            continue
        cell.outputs, cell.execution_count = [], None
        call = CHECK_CALL.search(cell.source)
        if "### BEGIN SOLUTION" in cell.source:
            transform(cell.source, student=True, where=f"{path.name} cell {i}")  # validates the markers
            cell.source = _plain_markers(cell.source)
            cell.metadata.update(_nbgrader_meta(f"answer-{i:03d}", solution=True))
        elif call:
            points[call.group(1)] = tier_points
            cell.metadata.update(_nbgrader_meta(f"check-{call.group(1)}", grade=True, points=tier_points))
        else:
            cell.metadata.update(_nbgrader_meta(f"code-{i:03d}"))
    return nb, points


def write_nbgrader(out: Path) -> dict[str, dict[str, int]]:
    """Write ``out/source/<part>/<part>.ipynb`` for every part; return {part: {check: points}}."""
    table = {}
    for path in sorted(SOURCE.glob("*.py")):
        nb, points = nbgrader_notebook(path)
        folder = out / "source" / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{path.stem}.ipynb")
        table[path.stem] = points
    (out / "points.json").write_text(json.dumps(table, indent=1), encoding="utf-8")
    return table


#: What the student bundle holds (paths relative to the repository root).
HANDOUT = ("README.md", "pyproject.toml", "constraints.txt", "environment.yml", "jupytext.toml", "chapters", "src",
           "tools/setup_lab.py", "exercises/student", "exercises/student_zh")
_HANDOUT_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", "_build")


def write_handout(out: Path) -> list[Path]:
    """Copy the student bundle to ``out`` (replacing it); return the files written."""
    if out.exists():
        shutil.rmtree(out)
    for name in HANDOUT:
        src, dst = ROOT / name, out / name
        if src.is_dir():
            shutil.copytree(src, dst, ignore=_HANDOUT_SKIP)
        elif src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    guide = ROOT / "exercises" / "STUDENTS.md"
    if guide.exists():
        shutil.copy2(guide, out / "exercises" / "README.md")
    return sorted(p for p in out.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale or missing generated files")
    parser.add_argument("--nbgrader", type=Path, metavar="DIR", help="write nbgrader's source/ tree into DIR")
    parser.add_argument("--handout", type=Path, metavar="DIR", help="write the student bundle into DIR")
    args = parser.parse_args(argv)
    if args.nbgrader:
        table = write_nbgrader(args.nbgrader)
        total = sum(sum(p.values()) for p in table.values())
        print(f"nbgrader: {len(table)} assignments, {sum(map(len, table.values()))} graded cells, {total} points "
              f"in {args.nbgrader / 'source'}")
        return 0
    if args.handout:
        files = write_handout(args.handout)
        print(f"handout: {len(files)} files in {args.handout} (no sources, solutions, keys or tests)")
        return 0
    files = planned()
    stale = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    orphans = [p for d in (STUDENT, SOLUTIONS, STUDENT_ZH) for p in d.glob("*.*")
               if p.suffix in {".py", ".ipynb"} and p not in files]
    if args.check:
        for p in stale + orphans:
            print(f"stale: {p.relative_to(ROOT)} (run `make exercises`)")
        return 1 if stale or orphans else 0
    for p in stale:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(files[p], encoding="utf-8")
        print(f"exercises: wrote {p.relative_to(ROOT)}")
    for p in orphans:
        p.unlink()
        print(f"exercises: removed {p.relative_to(ROOT)} (its source is gone)")
    print(f"exercises: {len(files) // 6} exercise notebooks, {len(stale)} file(s) updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
