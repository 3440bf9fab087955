"""Reading the student's answers: returned tuples, predictions, diagnoses — and explaining what is wrong.

:func:`unpack` checks that a function returned the tuple it should (``return theta, buf``).

The *predict* and *diagnose* exercises share the rest. A prediction is a plain value the student writes
into a variable before running an experiment: a bool (``will_diverge = True``), a number
(``adam_step_after_spike = 1.0``), a word from a fixed list (``"vanishing"``), or a dict of such values
keyed by the cases of the experiment. The notebook template holds ``...`` (Ellipsis) where the answer goes;
a check that still sees ``...`` answers "not implemented yet", like the stub of a function. Wrong types
(the string ``"True"``, a number where a bool belongs, a misspelt diagnosis) get a sentence, never a
traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from gradcourse.check import keys
from gradcourse.check._core import NotDone, WrongAnswer, _short, call, passed, real_or_explain, to_numpy
from gradcourse.check._i18n import _

__all__ = [
    "DIAGNOSES",
    "call_or_explain",
    "check_bool",
    "check_choice",
    "check_number",
    "finite_or_explain",
    "grade_table",
    "require_answer",
    "unpack",
]

#: The names a *diagnose* exercise accepts (alphabetical; "lr_too_high" is a distractor: the figures show a
#: network before training).
DIAGNOSES: tuple[str, ...] = ("dead_relu", "exploding", "healthy", "lr_too_high", "saturated", "vanishing")


def unpack(exercise: str, value: Any, names: Sequence[str]) -> tuple[Any, ...]:
    """``value`` as a tuple of ``len(names)`` items, or a sentence saying what to return."""
    wanted = "(" + ", ".join(names) + ")"
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        if isinstance(value, (tuple, list)):
            got = _("a {type} of length {length}").format(type=type(value).__name__, length=len(value))
        else:
            got = f"{type(value).__name__} ({_short(value)})"
        raise WrongAnswer(exercise, _("your function should return the {count} values {names}, got {got}.").format(
                          count=len(names), names=wanted, got=got),
                          _("end it with `return {names}`.").format(names=", ".join(names)))
    return tuple(value)


def call_or_explain(exercise: str, fn: Callable[..., Any], *args: Any, crash_hint: str | None, **kwargs: Any) -> Any:
    """:func:`~gradcourse.check.call`, but a crash inside the student's code gets ``crash_hint`` (the likely
    cause in this exercise, e.g. a division by zero on the all-zero case) as its explanation."""
    try:
        return call(exercise, fn, *args, **kwargs)
    except WrongAnswer as err:
        if err.hint is not None or crash_hint is None:  # call() already explained it (e.g. "expected a function")
            raise
        raise WrongAnswer(exercise, err.message, crash_hint) from None


def finite_or_explain(exercise: str, value: Any, *, name: str, hint: str | None) -> Any:
    """Raise with ``hint`` (the likely cause in *this* exercise, if there is one) if ``value`` holds NaN or inf;
    else return it.

    Values that are not numbers at all are returned unchanged, for :func:`~gradcourse.check.as_array` to
    explain.
    """
    try:
        array = real_or_explain(exercise, to_numpy(value), name=name)
    except WrongAnswer:
        raise
    except Exception:  # noqa: BLE001 - not numbers: as_array explains that
        return value
    if array.size and not np.all(np.isfinite(array)):
        shown = np.array2string(array.ravel()[:4], precision=4, separator=", ")
        raise WrongAnswer(exercise, _("{name} contains NaN or inf (first values {values}).").format(
                          name=name, values=shown), hint)
    return value


def _unanswered(value: Any) -> bool:
    if value is Ellipsis:
        return True
    if isinstance(value, Mapping):
        return any(v is Ellipsis for v in value.values())
    return False


def require_answer(exercise: str, value: Any) -> Any:
    """Raise :class:`NotDone` while the answer (or one entry of a dict answer) is still ``...``; else return
    the answer to grade — the recorded first answer when :func:`~gradcourse.check.keys.record_first_answers`
    is on (and a note saying so when it differs from the current one)."""
    if _unanswered(value):
        raise NotDone(exercise, _("not implemented yet — replace each `...` with your prediction, run that cell, "
                                  "then run this check again."))
    graded, earlier = keys.first_answer(exercise, value)
    if earlier and _short(graded) != _short(value):
        print(_("(graded: your first answer to {exercise}, {first}, recorded in {file}; your current one is "
                "{current})").format(exercise=exercise, first=_short(graded), file=keys.recording(),
                                     current=_short(value)))
    return graded


def check_bool(exercise: str, value: Any, name: str) -> bool:
    """``value`` as a bool, or a sentence saying why it is not one."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        raise WrongAnswer(exercise, _("{name} is the string {value}.").format(name=name, value=repr(value)),
                          _("write {word} without quotes: a bool, not a str.").format(
                              word=value.strip().capitalize()))
    raise WrongAnswer(exercise, _("{name} should be True or False, got {type} ({value}).").format(
        name=name, type=type(value).__name__, value=_short(value)))


def check_number(exercise: str, value: Any, name: str) -> float:
    """``value`` as a finite float, or a sentence saying why it is not one."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise WrongAnswer(exercise, _("{name} should be a number, got {type} ({value}).").format(
            name=name, type=type(value).__name__, value=_short(value)))
    number = float(value)
    if not np.isfinite(number):
        raise WrongAnswer(exercise, _("{name} should be a finite number, got {value}.").format(name=name,
                                                                                               value=number))
    return number


def check_choice(exercise: str, value: Any, allowed: Sequence[str], name: str) -> str:
    """One of ``allowed`` (case, spaces and hyphens forgiven: "Dead ReLU" → "dead_relu"), or a sentence."""
    options = ", ".join(repr(a) for a in allowed)
    if not isinstance(value, str):
        raise WrongAnswer(exercise, _("{name} should be one of {options}; got {type} ({value}).").format(
            name=name, options=options, type=type(value).__name__, value=_short(value)))
    word = value.strip().lower().replace("-", "_").replace(" ", "_")
    if word not in allowed:
        raise WrongAnswer(exercise, _("{name} is {value}, which is not on the list.").format(name=name,
                                                                                             value=repr(value)),
                          _("choose one of {options}.").format(options=options))
    return word


def grade_table(
    exercise: str,
    prediction: Any,
    truth: Mapping[Any, Any],
    *,
    name: str,
    read: Callable[[str, Any, str], Any],
    explain: Mapping[Any, str],
    summary: str = "",
) -> None:
    """Compare a dict of predictions with the measured ``truth`` (same keys); explain every wrong entry.

    ``read(exercise, value, label)`` validates one entry (e.g. :func:`check_bool`); ``explain[key]`` is the
    measured evidence for that case, shown when the entry is wrong and summarised when all are right.
    """
    prediction = require_answer(exercise, prediction)
    if not isinstance(prediction, Mapping):
        raise WrongAnswer(exercise, _("{name} should be a dict with the keys {keys}, got {type}.").format(
            name=name, keys=list(truth), type=type(prediction).__name__))
    missing = [k for k in truth if k not in prediction]
    extra = [k for k in prediction if k not in truth]
    if missing or extra:
        raise WrongAnswer(exercise, _("{name} should have exactly the keys {keys}; missing {missing}, unexpected "
                                      "{extra}.").format(name=name, keys=list(truth), missing=missing, extra=extra),
                          _("keep the keys of the template, change only the values."))
    wrong = []
    for key, measured in truth.items():
        guess = read(exercise, prediction[key], f"{name}[{key!r}]")
        if guess != measured:
            line = _("{key}: you predicted {guess}, the experiment says {measured}: {evidence}")
            wrong.append("\n  • " + line.format(key=repr(key), guess=guess, measured=measured, evidence=explain[key]))
    if wrong:
        right = len(truth) - len(wrong)
        raise WrongAnswer(exercise, _("{right} of {total} predictions right.").format(right=right, total=len(truth))
                          + "".join(wrong), _("read the evidence, then change your prediction where you now see why."))
    passed(exercise, summary or _("all predictions match the experiment"))
