"""The exercise generator and the checker core: markers, stubs, friendly failures, files in step."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import make_exercises  # noqa: E402

from gradcourse.check import NotDone, WrongAnswer, as_array, call, compare  # noqa: E402

CELL = """import numpy as np

def double(x):
    ### BEGIN SOLUTION hint: multiply by two
    y = 2 * x
    return y
    ### END SOLUTION

print(double(3))"""


def test_solution_version_keeps_the_answer_and_drops_the_markers():
    text = make_exercises.transform(CELL, student=False)
    assert "y = 2 * x" in text and "### " not in text and "NotImplementedError" not in text


def test_student_version_replaces_the_answer_with_a_stub_carrying_the_hint():
    text = make_exercises.transform(CELL, student=True)
    assert "y = 2 * x" not in text and "### " not in text
    assert "    raise NotImplementedError('Exercise not done yet: multiply by two')" in text
    namespace: dict = {}
    exec(text.replace("print(double(3))", ""), namespace)  # the stub compiles and is indented correctly
    with pytest.raises(NotImplementedError, match="multiply by two"):
        namespace["double"](3)


@pytest.mark.parametrize(
    "broken, complaint",
    [
        ("### BEGIN SOLUTION\nx = 1\n", "never closed"),
        ("x = 1\n### END SOLUTION\n", "without BEGIN"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "inside another"),
    ],
)
def test_broken_markers_are_reported_with_the_line(broken, complaint):
    with pytest.raises(make_exercises.MarkerError, match=complaint):
        make_exercises.transform(broken, student=True, where="demo.py cell 0")


def test_generated_exercise_files_are_in_step_with_their_sources():
    assert make_exercises.main(["--check"]) == 0, "generated exercises are stale: run `make exercises`"


def _stub(*args):
    raise NotImplementedError("Exercise not done yet")


def test_a_stub_gets_not_implemented_yet_and_no_traceback():
    with pytest.raises(NotDone, match="not implemented yet") as info:
        call("demo", _stub, 1.0)
    assert info.value._render_traceback_()[0].startswith("… demo: not implemented yet")


def test_a_crash_in_student_code_becomes_a_sentence():
    with pytest.raises(WrongAnswer, match=r"raised ZeroDivisionError: division by zero when called as <lambda>\(1\)"):
        call("demo", lambda x: x / 0, 1)


def test_passing_the_result_instead_of_the_function_is_explained():
    with pytest.raises(WrongAnswer, match="expected a function"):
        call("demo", 3.0)


@pytest.mark.parametrize(
    "garbage, complaint",
    [(None, "is None"), ("abc", "should be numbers"), (np.array([1.0, np.nan]), "NaN or inf"), (np.ones(3), "shape")],
)
def test_garbage_gets_a_sentence(garbage, complaint):
    with pytest.raises(WrongAnswer, match=complaint):
        as_array("demo", garbage, shape=(2,))


def test_compare_names_the_likely_cause_of_a_known_wrong_answer():
    expected = np.array([1.0, 2.0])
    assert np.allclose(compare("demo", [1.0, 2.0], expected), expected)
    with pytest.raises(WrongAnswer, match="Likely cause: forgot the factor"):
        compare("demo", [0.5, 1.0], expected, diagnoses=[(expected / 2, "forgot the factor 2")])
    with pytest.raises(WrongAnswer) as info:
        compare("demo", [7.0, 7.0], expected, diagnoses=[(expected / 2, "forgot the factor 2")])
    assert "Likely cause" not in str(info.value)
