"""The machinery every exercise check shares: run the student's code safely, compare, explain.

A check never shows a traceback from inside the checker. When something is wrong it raises an
:class:`ExerciseError` whose ``_render_traceback_`` makes IPython print only the plain-words explanation, e.g.::

    ✗ adam_step: after one step with g = 1 your update is 0.316·lr; with bias correction it is lr.
      Likely cause: did you divide m by (1 − β₁ᵗ) and v by (1 − β₂ᵗ)?

When everything is right it prints a ✓ line and returns ``True``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


class ExerciseError(AssertionError):
    """Base class: a check found a problem. IPython shows the message alone, without a traceback."""

    symbol = "✗"

    def __init__(self, exercise: str, message: str, hint: str | None = None) -> None:
        self.exercise, self.message, self.hint = exercise, message, hint
        text = f"{self.symbol} {exercise}: {message}"
        if hint:
            text += f"\n  Likely cause: {hint}"
        super().__init__(text)

    def _render_traceback_(self) -> list[str]:  # IPython hook: replaces the traceback with these lines
        return str(self).splitlines()


class NotDone(ExerciseError):
    """The student's function still raises NotImplementedError (the stub)."""

    symbol = "…"


class WrongAnswer(ExerciseError):
    """The function ran but returned something wrong (or crashed, or returned garbage)."""


def passed(exercise: str, detail: str = "") -> bool:
    print(f"✓ {exercise}: correct{(' — ' + detail) if detail else ''}")
    return True


def call(exercise: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the student's ``fn``; turn a stub or a crash into a sentence."""
    if not callable(fn):
        raise WrongAnswer(exercise, f"expected a function, got {type(fn).__name__} ({fn!r:.60}).",
                          "pass the function itself, without calling it: check(my_fn), not check(my_fn()).")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise NotDone(exercise, "not implemented yet — replace the `raise NotImplementedError(...)` line "
                      "with your code, run that cell, then run this check again.") from None
    except Exception as err:  # noqa: BLE001 - any student error becomes a sentence
        shown = ", ".join([_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()])
        raise WrongAnswer(exercise, f"your function raised {type(err).__name__}: {err} "
                          f"when called as {getattr(fn, '__name__', 'fn')}({shown}).") from None


def as_array(exercise: str, value: Any, *, name: str = "the result", shape: Sequence[int] | None = None) -> np.ndarray:
    """Turn a returned value into a float array, or explain why it cannot be one."""
    if value is None:
        raise WrongAnswer(exercise, f"{name} is None.", "a function that computes a value must `return` it.")
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise WrongAnswer(exercise, f"{name} should be numbers, got {type(value).__name__} ({value!r:.60}).") from None
    if shape is not None and array.shape != tuple(shape):
        raise WrongAnswer(exercise, f"{name} has shape {array.shape}, expected {tuple(shape)}.",
                          "check which axis you summed over, or whether you transposed a matrix.")
    if not np.all(np.isfinite(array)):
        raise WrongAnswer(exercise, f"{name} contains NaN or inf: {_short(array)}.",
                          "look for a division by zero or a square root of a negative number.")
    return array


def compare(
    exercise: str,
    got: Any,
    expected: np.ndarray,
    *,
    name: str = "the result",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    diagnoses: Sequence[tuple[np.ndarray, str]] = (),
    case: str = "",
) -> np.ndarray:
    """Check ``got`` against ``expected``; if it is wrong but equals a known wrong answer, name the cause.

    ``diagnoses`` pairs the value a typical mistake produces with the sentence that explains it.
    """
    expected = np.asarray(expected, dtype=float)
    array = as_array(exercise, got, name=name, shape=expected.shape)
    if np.allclose(array, expected, rtol=rtol, atol=atol):
        return array
    where = f" ({case})" if case else ""
    message = f"{name}{where} is {_short(array)}, expected {_short(expected)}."
    for wrong_value, hint in diagnoses:
        if np.allclose(array, np.asarray(wrong_value, dtype=float), rtol=rtol, atol=atol):
            raise WrongAnswer(exercise, message, hint)
    raise WrongAnswer(exercise, message)


def ratio_text(got: float, expected: float) -> str:
    """'0.316·expected'-style text used in messages."""
    if expected == 0 or not math.isfinite(got):
        return f"{got:.4g}"
    return f"{got / expected:.3g}×"


def _short(value: Any) -> str:
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return np.array2string(value, precision=4, separator=", ")
        return f"array of shape {value.shape} (first values {np.array2string(value.ravel()[:3], precision=4)})"
    if isinstance(value, float):
        return f"{value:.6g}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
