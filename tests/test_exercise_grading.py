"""Grading end to end: nbgrader (installed in a throwaway environment) and the plain-Jupyter grading script each
score a correct, a wrong and a partly right submission of one exercise notebook; and the student handout
holds no answer.

The nbgrader test creates a virtual environment in a temporary folder, makes the course's installed packages
visible to it through a ``.pth`` file (read-only: nothing is installed into the shared environment), installs
the pinned nbgrader there with pip (network, or pip's cache), then runs ``nbgrader quickstart`` →
``make_exercises.py --nbgrader`` → ``generate_assignment`` → ``autograde`` → ``export``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "exercises" / "teacher"))

import make_exercises  # noqa: E402

NBGRADER = "nbgrader==0.9.6"
PART = "01_background"
#: Wrong answers for the three exercises of PART, as (text in the solution, replacement).
WRONG = {
    "sigmoid_prime": ("s = 1.0 / (1.0 + np.exp(-z))\n    return s * (1.0 - s)", "return z * (1 - z)"),
    "chain_gradient": ("product *= w_l * sigmoid_prime(z)", "product *= sigmoid_prime(z)"),
    "vanishes": ('"tanh + xavier": False', '"tanh + xavier": True'),
}
#: Submissions: which exercises each student gets wrong, and the score each must get (1 point per exercise).
SUBMISSIONS = {"right": ((), 3), "wrong": (tuple(WRONG), 0), "partly": (("chain_gradient",), 2)}


def _solution_text(source: str) -> str:
    return "\n".join(line for line in source.splitlines()
                     if not re.match(r"\s*### (BEGIN|END) SOLUTION", line) and not line.strip().startswith("# Hint:"))


def _fill(notebook: nbformat.NotebookNode, teacher: nbformat.NotebookNode, wrong: tuple[str, ...]) -> None:
    """Put the solution into every answer cell of ``notebook``, broken for the exercises in ``wrong``."""
    solutions = [c for c in teacher.cells if c.metadata.get("nbgrader", {}).get("solution")]
    by_grade_id = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solutions}  # nbgrader's release
    by_id = {c.id: c.source for c in solutions}  # the generated student notebooks keep the source's cell ids
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        source = by_grade_id.get(grade_id) if grade_id else by_id.get(cell.get("id"))
        if source is not None:
            text = _solution_text(source)
            for name in wrong:
                old, new = WRONG[name]
                text = text.replace(old, new)
            cell.source = text


def _submissions(make: callable, folder: Path, *, nbgrader_layout: bool = False) -> dict[str, Path]:
    """Write the three submissions of PART under ``folder/<student>/`` (nbgrader's layout:
    ``folder/<student>/<assignment>/``); return their paths."""
    teacher, _ = make_exercises.nbgrader_notebook(make_exercises.SOURCE / f"{PART}.py")
    for name, (old, _) in WRONG.items():  # the wrong answers really change the solution
        assert any(old in c.source for c in teacher.cells), f"{name}: {old!r} is not in the solution any more"
    paths = {}
    for student, (wrong, _) in SUBMISSIONS.items():
        nb = make()
        _fill(nb, teacher, wrong)
        path = folder / student / (PART if nbgrader_layout else "") / f"{PART}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        paths[student] = path
    return paths


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1", "TQDM_DISABLE": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@pytest.mark.nbgrader
def test_nbgrader_scores_a_right_a_wrong_and_a_partly_right_submission(tmp_path: Path):
    # GRADCOURSE_NBGRADER_ENV names a folder to keep the environment in between runs (else a temporary one)
    env_dir = Path(os.environ.get("GRADCOURSE_NBGRADER_ENV") or tmp_path / "env")
    if not (env_dir / "bin" / "python").exists():
        venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "zz_course_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    install = subprocess.run([python, "-m", "pip", "install", "-qq", NBGRADER], capture_output=True, text=True,
                             env=_env(), timeout=1200)
    if install.returncode != 0:
        pytest.skip(f"could not install {NBGRADER} (no network and no pip cache?): {install.stderr[-500:]}")
    nbgrader = [str(python), "-m", "nbgrader"]

    env = {**_env(), "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}  # nbgrader runs `alembic`

    def run(*args: str, cwd: Path) -> str:
        done = subprocess.run([*nbgrader, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900)
        assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        return done.stdout + done.stderr

    run("quickstart", "course", cwd=tmp_path)
    course = tmp_path / "course"
    for example in (course / "source").iterdir():  # quickstart's own example assignment
        if example.is_dir():
            subprocess.run(["rm", "-rf", str(example)], check=True)
    table = make_exercises.write_nbgrader(course)
    assert table[PART] == {"sigmoid_prime": 1, "chain_gradient": 1, "vanishing_prediction": 1}
    run("generate_assignment", PART, "--force", cwd=course)
    released = course / "release" / PART / f"{PART}.ipynb"
    student_view = released.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in student_view and "return s * (1.0 - s)" not in student_view
    _submissions(lambda: nbformat.read(released, as_version=4), course / "submitted", nbgrader_layout=True)
    run("autograde", PART, "--create", "--force", cwd=course)
    run("export", "--to", str(tmp_path / "grades.csv"), cwd=course)
    with (tmp_path / "grades.csv").open(encoding="utf-8") as f:
        scores = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(f)}
    assert scores == {student: float(score) for student, (_, score) in SUBMISSIONS.items()}, scores


def test_the_grading_script_scores_by_running_the_teachers_checks(tmp_path: Path):
    import grade

    student_nb = ROOT / "exercises" / "student" / f"{PART}.ipynb"
    paths = _submissions(lambda: nbformat.read(student_nb, as_version=4), tmp_path)
    # the "wrong" student also prints a fake ✓ and deletes the check cells: neither helps
    nb = nbformat.read(paths["wrong"], as_version=4)
    nb.cells = [c for c in nb.cells if not make_exercises.CHECK_CALL.search(c.source)]
    nb.cells.append(nbformat.v4.new_code_cell('print("✓ sigmoid_prime: correct")'))
    nbformat.write(nb, paths["wrong"])
    for student, (_, expected) in SUBMISSIONS.items():
        scores = grade.grade(paths[student])
        assert sum(s for s, _ in scores.values()) == expected, (student, scores)


# --- the handout ---------------------------------------------------------------------------------------------


def test_the_handout_holds_no_solution_and_no_key(tmp_path: Path):
    files = make_exercises.write_handout(tmp_path / "handout")
    names = {p.relative_to(tmp_path / "handout").as_posix() for p in files}
    assert any(n.startswith("exercises/student/") for n in names)
    assert any(n.startswith("src/gradcourse/check/") for n in names)
    assert not any(n.startswith(("exercises/source", "exercises/solutions", "exercises/teacher", "tests/"))
                   for n in names), sorted(n for n in names if n.startswith(("exercises/", "tests/")))
    texts = {p.relative_to(tmp_path / "handout").as_posix(): p.read_text(encoding="utf-8", errors="ignore")
             for p in files if p.suffix in {".py", ".ipynb", ".md", ".json", ".toml", ".txt"}}
    exercise_texts = {n: t for n, t in texts.items() if n.startswith(("exercises/", "src/gradcourse/check/"))}
    for name, text in exercise_texts.items():
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, name
    # no line of any solution (longer than a trivial one, and not also printed in a statement, like the buggy
    # code of a find-the-bug exercise) is in the student notebooks. (The checks hold the library's truth and the
    # typical WRONG versions, not the solutions; their keys are hashed, tested in test_checks.py.)
    statements = "\n".join(make_exercises.transform(c.source, student=True) for source in make_exercises.SOURCE.glob(
        "*.py") for c in jupytext.read(source).cells)
    for source in sorted(make_exercises.SOURCE.glob("*.py")):
        for cell in jupytext.read(source).cells:
            inside = False
            for line in cell.source.splitlines():
                if "### BEGIN SOLUTION" in line:
                    inside = True
                elif "### END SOLUTION" in line:
                    inside = False
                elif inside and len(line.strip()) >= 24 and line.strip() not in statements:
                    leaks = [n for n, t in exercise_texts.items() if n.startswith("exercises/") and line.strip() in t]
                    assert not leaks, f"{source.name}: solution line {line.strip()!r} is readable in {leaks}"
    key = json.loads((ROOT / "exercises" / "teacher" / "keys.json").read_text(encoding="utf-8"))
    for exercise, answer in key.items():
        for name, text in exercise_texts.items():
            assert not re.search(rf"{exercise}\s*=\s*['\"]{answer}['\"]", text), (name, exercise)
