"""Answer keys that a student can use but not read: salted hashes of rounded answers, and first answers kept.

A *predict* or *diagnose* exercise whose answer cannot be measured from the library (a diagnosis, a word)
keeps only :func:`digest` of the right answer here; the plain key is in ``exercises/teacher/keys.json``
(not in the student handout), and a test checks that the two agree. A salted hash stops a student from
*reading* the key; it does not stop guessing, which the check allows anyway (each guess is explained).

:func:`record_first_answers` switches on the mode a teacher grades predictions with: the first answer a
check sees for an exercise is written to a JSON file next to the notebook, and every later run of that check
grades the recorded first answer (and says so), however the variable was changed after the explanation.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from gradcourse.check._i18n import _

__all__ = ["SALT", "canonical", "digest", "first_answer", "record_first_answers", "recording"]

#: Mixed into every hash, so that a table of hashes of common words does not reveal the keys.
SALT = "gradcourse/exercises/2026"  # i18n: keep
#: The environment variable that switches recording on for every notebook (e.g. on a grading machine).
ENVIRONMENT = "GRADCOURSE_RECORD_FIRST"  # i18n: keep

_recording: dict[str, Path | None] = {"path": None}


def canonical(value: Any, digits: int = 3) -> str:
    """One spelling per answer: words in lower case with ``_`` for spaces and hyphens, numbers to ``digits``
    significant figures, bools as ``True``/``False``."""
    if isinstance(value, str):
        return value.strip().lower().replace("-", "_").replace(" ", "_")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return f"{float(value):.{digits}g}"
    raise TypeError(_("value must be a word, a bool or a number, got {type}").format(type=type(value).__name__))


def digest(exercise: str, value: Any) -> str:
    """The salted hash (16 hex digits) of ``value``'s canonical spelling for ``exercise``."""
    text = f"{SALT}|{exercise}|{canonical(value)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def record_first_answers(path: str | os.PathLike[str] | None = "first_answers.json") -> None:
    """Grade the *first* answer given to each predict/diagnose check from now on (``None`` switches it off).

    The first answer is stored in ``path`` (JSON, one entry per exercise); hand the file in with the
    notebook. Delete an entry to let a student answer that exercise afresh."""
    _recording["path"] = None if path is None else Path(path)


def recording() -> Path | None:
    """The file first answers go to, or None when the mode is off."""
    if _recording["path"] is not None:
        return _recording["path"]
    from_env = os.environ.get(ENVIRONMENT)
    return Path(from_env) if from_env else None


def first_answer(exercise: str, value: Any) -> tuple[Any, bool]:
    """``(answer to grade, whether it is a recorded earlier one)``. With recording off: ``(value, False)``."""
    path = recording()
    if path is None:
        return value, False
    try:
        stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        stored = {}
    if exercise in stored:
        try:
            return ast.literal_eval(stored[exercise]), True
        except (ValueError, SyntaxError):
            pass
    try:
        text = repr(value)
        ast.literal_eval(text)  # only plain literals are recorded (numbers, words, bools, dicts of those)
    except Exception:  # noqa: BLE001 - an odd value is graded as it is, not recorded
        return value, False
    stored[exercise] = text
    try:
        path.write_text(json.dumps(stored, indent=1, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass
    return value, False
