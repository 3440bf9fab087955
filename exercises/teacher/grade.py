"""Grade submitted exercise notebooks without nbgrader: the plain-Jupyter route.

    python exercises/teacher/grade.py SUBMISSION.ipynb [...] [--csv grades.csv]

For each submission the script takes the student's cells, but puts back the **teacher's** check cells (from
``exercises/source/<part>.py``, matched by the cell ids the generator writes), runs the whole notebook in a fresh
kernel with every cell allowed to fail, and scores each check cell by whether it raised: 1 point per exercise,
2 for a challenge (the points of ``make nbgrader``). A student who edits a check cell, or prints "✓ correct"
themselves, changes nothing. Run it in the environment the course is installed in (it imports ``gradcourse``).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import make_exercises  # noqa: E402


def grade(path: Path, *, timeout: int = 300) -> dict[str, tuple[int, int]]:
    """{check name: (points scored, points possible)} for one submitted notebook."""
    submitted = nbformat.read(path, as_version=4)
    part = next((p for p in sorted(make_exercises.SOURCE.glob("*.py")) if path.stem.startswith(p.stem)), None)
    if part is None:
        raise SystemExit(f"{path}: no exercise source matches this notebook's name (expected e.g. 03_algorithms)")
    teacher, points = make_exercises.nbgrader_notebook(part)
    checks = {c.id: c for c in teacher.cells if c.metadata.get("nbgrader", {}).get("grade")}
    by_id = {c.get("id"): c for c in submitted.cells}
    # The teacher's cells in the teacher's order, except the answer cells, which are the student's. (An answer
    # cell the student deleted is graded as the stub, which scores 0.)
    cells = []
    for cell in teacher.cells:
        is_answer = cell.metadata.get("nbgrader", {}).get("solution", False)
        if is_answer:
            cells.append(by_id.get(cell.id) or nbformat.v4.new_code_cell(make_exercises.transform(
                cell.source, student=True)))
        else:
            cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells, metadata=submitted.metadata)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    scores = {}
    for cell in nb.cells:
        if cell.id in checks:
            name = make_exercises.CHECK_CALL.search(cell.source).group(1)
            failed = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            scores[name] = (0 if failed else points[name], points[name])
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--csv", type=Path, help="also write one row per notebook and exercise to this file")
    args = parser.parse_args(argv)
    rows = []
    for path in args.notebooks:
        scores = grade(path)
        got, possible = sum(s for s, _ in scores.values()), sum(p for _, p in scores.values())
        print(f"{path}: {got}/{possible}  " + "  ".join(f"{k} {s}/{p}" for k, (s, p) in scores.items()))
        rows += [(str(path), k, s, p) for k, (s, p) in scores.items()]
    if args.csv:
        with args.csv.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([("notebook", "exercise", "score", "points"), *rows])
    return 0


if __name__ == "__main__":
    sys.exit(main())
