"""Generate the student and solution versions of every exercise from one source.

    python tools/make_exercises.py          # write exercises/student/ and exercises/solutions/
    python tools/make_exercises.py --check  # exit 1 (naming the files) if the generated files are stale

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

Both are written as ``.py`` and ``.ipynb`` pairs (outputs empty). The same markers work with nbgrader.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import jupytext

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebook_pairs import canonical_notebook, notebook_text, without_header  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCE, STUDENT, SOLUTIONS = (ROOT / "exercises" / d for d in ("source", "student", "solutions"))
BEGIN = re.compile(r"^(?P<indent>\s*)### BEGIN SOLUTION(?:\s+hint:\s*(?P<hint>.*))?\s*$")
END = re.compile(r"^\s*### END SOLUTION\s*$")


class MarkerError(ValueError):
    pass


def transform(source: str, *, student: bool, where: str = "<cell>") -> str:
    """Return the student or solution text of one code cell."""
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
                message = "Exercise not done yet" + (f": {hint}" if hint else "")
                out.append(f"{indent}# YOUR CODE HERE")
                out.append(f"{indent}raise NotImplementedError({message!r})")
            inside = False
            continue
        if not (inside and student):
            out.append(line)
    if inside:
        raise MarkerError(f"{where}: BEGIN SOLUTION at line {begin_line} is never closed")
    return "\n".join(out)


def render(path: Path, *, student: bool) -> tuple[str, str]:
    """Return (py text, ipynb text) of one generated version."""
    nb = jupytext.read(path)
    canonical_notebook(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.source = transform(cell.source, student=student, where=f"{path.name} cell {i}")
    return without_header(jupytext.writes(nb, fmt="py:percent")), notebook_text(nb)


def planned() -> dict[Path, str]:
    files: dict[Path, str] = {}
    for path in sorted(SOURCE.glob("*.py")):
        for folder, student in ((STUDENT, True), (SOLUTIONS, False)):
            py, ipynb = render(path, student=student)
            files[folder / path.name] = py
            files[folder / path.with_suffix(".ipynb").name] = ipynb
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale or missing generated files")
    args = parser.parse_args(argv)
    files = planned()
    stale = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    orphans = [p for d in (STUDENT, SOLUTIONS) for p in d.glob("*.*")
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
    print(f"exercises: {len(files) // 4} exercise notebooks, {len(stale)} file(s) updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
