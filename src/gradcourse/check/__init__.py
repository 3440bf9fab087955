"""Automatic checks for the exercises: each one runs the student's function on cases and answers in plain words.

Usage in an exercise notebook::

    from gradcourse import check
    check.adam_step(adam_step)      # ✓ … or a sentence saying what is wrong and the likely cause

A check raises :class:`ExerciseError` (shown without a traceback) when something is wrong, so a notebook run
stops at the first unfinished or wrong exercise; it prints a ✓ line and returns True when all is right.
"""

from __future__ import annotations

from gradcourse.check._core import ExerciseError, NotDone, WrongAnswer, as_array, call, compare, passed

__all__ = ["ExerciseError", "NotDone", "WrongAnswer", "as_array", "call", "compare", "passed"]
