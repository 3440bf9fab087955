"""The machinery every exercise check shares: run the student's code safely, compare, explain.

A check never shows a traceback from inside the checker. When something is wrong it raises an
:class:`ExerciseError` whose ``_render_traceback_`` makes IPython print only the plain-words explanation, e.g.::

    ✗ adam_step: after one step with g = 1 your update is 0.316·lr; with bias correction it is lr.
      Likely cause: did you divide m by (1 − β₁ᵗ) and v by (1 − β₂ᵗ)?

When everything is right it prints a ✓ line and returns ``None`` (nothing is echoed under the cell).

Whatever the student hands in, a check answers with a sentence: tensors of any dtype (bfloat16, complex),
tensors that require grad, sparse tensors, objects whose ``__float__``/``__array__``/``__repr__`` raise, a
function that raises an exception whose own ``__str__`` raises, or one that never returns (each call of the
student's code has a time limit, :data:`TIME_LIMIT_S`). Messages are cut to :data:`MAX_MESSAGE` characters.
"""

from __future__ import annotations

import functools
import math
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from gradcourse.check._i18n import _

#: The longest message a check prints (a 100,000-key answer must not print a book).
MAX_MESSAGE = 1500
#: Seconds one call of the student's code may take before the check gives up on it.
TIME_LIMIT_S = 20.0


class ExerciseError(AssertionError):
    """Base class: a check found a problem. IPython shows the message alone, without a traceback."""

    symbol = "✗"

    def __init__(self, exercise: str, message: str, hint: str | None = None) -> None:
        self.exercise, self.message, self.hint = exercise, message, hint
        text = _cut(_("{symbol} {exercise}: {message}").format(symbol=self.symbol, exercise=exercise, message=message))
        if hint:
            text += "\n  " + _("Likely cause: {hint}").format(hint=_cut(hint))
        super().__init__(text)

    def _render_traceback_(self) -> list[str]:  # IPython hook: replaces the traceback with these lines
        return str(self).splitlines()


class NotDone(ExerciseError):
    """The student's function still raises NotImplementedError (the stub)."""

    symbol = "…"


class WrongAnswer(ExerciseError):
    """The function ran but returned something wrong (or crashed, or returned garbage)."""


def passed(exercise: str, detail: str = "") -> None:
    """Print the ✓ line of a passing check (and return None, so that nothing else is echoed)."""
    line = _("✓ {exercise}: correct — {detail}") if detail else _("✓ {exercise}: correct")
    print(_cut(line.format(exercise=exercise, detail=detail)))


class _TimeUp(BaseException):
    """Raised inside the student's code when its time is up (a BaseException, so `except Exception` in the
    student's code does not swallow it)."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the body after ``seconds`` (SIGALRM; only where it exists and in the main thread, which is
    where a notebook cell runs; elsewhere the body runs without a limit)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def _alarm(signum: int, frame: Any) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, _alarm)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay:  # someone else's timer was running: give it back what is left of it
            signal.setitimer(signal.ITIMER_REAL, old_delay, old_interval)


def call(exercise: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the student's ``fn`` (at most :data:`TIME_LIMIT_S` seconds); turn a stub, a crash or a hang into a
    sentence."""
    if not callable(fn):
        raise WrongAnswer(exercise, _("expected a function, got {type} ({value}).").format(
                          type=type(fn).__name__, value=_short(fn)),
                          _("pass the function itself, without calling it: check(my_fn), not check(my_fn())."))
    shown = ", ".join([_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in kwargs.items()])
    call_text = f"{_safe(lambda: fn.__name__, 'fn')}({shown})"
    try:
        with _time_limit(TIME_LIMIT_S):
            return fn(*args, **kwargs)
    except NotImplementedError:
        raise NotDone(exercise, _("not implemented yet — replace the `raise NotImplementedError(...)` line "
                                  "with your code, run that cell, then run this check again.")) from None
    except _TimeUp:
        raise WrongAnswer(exercise, _("your function did not return within {seconds} s when called as {call}.").format(
                          seconds=f"{TIME_LIMIT_S:g}", call=call_text),
                          _("look for a loop whose condition never becomes false (a `while` that never ends), or "
                            "a loop over far more steps than the statement asks for.")) from None
    except Exception as err:  # noqa: BLE001 - any student error becomes a sentence
        raise WrongAnswer(exercise, _("your function raised {error}: {message} when called as {call}.").format(
                          error=type(err).__name__, message=_message(err), call=call_text)) from None


def to_numpy(value: Any) -> np.ndarray:
    """``value`` (numbers, lists, numpy arrays, torch tensors of any dtype, sparse, requiring grad) as a numpy
    array of float64 or complex128. Raises ``TypeError`` or ``ValueError`` — or whatever the object's own
    ``__float__``/``__array__`` raises — when it is not numbers; callers turn that into a sentence."""
    if hasattr(value, "detach") and hasattr(value, "is_complex"):  # a torch tensor
        tensor = value.detach()
        if getattr(tensor, "is_sparse", False) or getattr(tensor, "layout", None) not in (None, _strided()):
            tensor = tensor.to_dense()
        tensor = tensor.cpu()
        wanted = _complex128() if tensor.is_complex() else _float64()
        return tensor.to(wanted).numpy()
    array = np.asarray(value)
    if array.dtype.kind == "c":
        return array.astype(complex)
    return np.asarray(array, dtype=float)


def real_or_explain(exercise: str, array: np.ndarray, *, name: str) -> np.ndarray:
    """``array`` itself if real; a complex array with no imaginary part as its real part; else a sentence."""
    if array.dtype.kind != "c":
        return array
    imag = float(np.max(np.abs(array.imag))) if array.size else 0.0
    if imag != 0.0 or not np.all(np.isfinite(array.imag)):
        raise WrongAnswer(exercise, _("{name} is complex, with an imaginary part up to {imag}; the answer is "
                                      "real.").format(name=name, imag=f"{imag:.3g}"),
                          _("look for a square root or a power of a negative number (np.sqrt of a complex "
                            "array, or (-x) ** 0.5 with complex input), and return real numbers."))
    return np.array(array.real, dtype=float)


def as_array(exercise: str, value: Any, *, name: str | None = None, shape: Sequence[int] | None = None) -> np.ndarray:
    """Turn a returned value into a float array, or explain why it cannot be one (``name``: what the value is, in
    the student's language; "the result" by default)."""
    name = _("the result") if name is None else name
    if value is None:
        raise WrongAnswer(exercise, _("{name} is None.").format(name=name),
                          _("a function that computes a value must `return` it."))
    try:
        array = to_numpy(value)
    except Exception:  # noqa: BLE001 - whatever the object raises, the student gets a sentence
        raise WrongAnswer(exercise, _("{name} should be numbers, got {type} ({value}).").format(
            name=name, type=_type_name(value), value=_short(value))) from None
    array = real_or_explain(exercise, array, name=name)
    if shape is not None and array.shape != tuple(shape):
        raise WrongAnswer(exercise, _("{name} has shape {shape}, expected {expected}.").format(
                          name=name, shape=array.shape, expected=tuple(shape)),
                          _("check which axis you summed over, or whether you transposed a matrix."))
    if not np.all(np.isfinite(array)):
        raise WrongAnswer(exercise, _("{name} contains NaN or inf: {value}.").format(name=name, value=_short(array)),
                          _("look for a division by zero or a square root of a negative number."))
    return array


def compare(
    exercise: str,
    got: Any,
    expected: np.ndarray,
    *,
    name: str | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    diagnoses: Sequence[tuple[np.ndarray, str]] = (),
    case: str = "",
) -> np.ndarray:
    """Check ``got`` against ``expected``; if it is wrong but equals a known wrong answer, name the cause.

    ``diagnoses`` pairs the value a typical mistake produces with the sentence that explains it; ``name``,
    ``case`` and the sentences come in the student's language.
    """
    name = _("the result") if name is None else name
    expected = np.asarray(expected, dtype=float)
    array = as_array(exercise, got, name=name, shape=expected.shape)
    if np.allclose(array, expected, rtol=rtol, atol=atol):
        return array
    if case:
        template = _("{name} ({case}) is {got}, expected {expected}.")
    else:
        template = _("{name} is {got}, expected {expected}.")
    message = template.format(name=name, case=case, got=_short(array), expected=_short(expected))
    for wrong_value, hint in diagnoses:
        if np.allclose(array, np.asarray(wrong_value, dtype=float), rtol=rtol, atol=atol):
            raise WrongAnswer(exercise, message, hint)
    raise WrongAnswer(exercise, message)


def ratio_text(got: float, expected: float) -> str:
    """'0.316·expected'-style text used in messages."""
    if expected == 0 or not math.isfinite(got):
        return f"{got:.4g}"
    return f"{got / expected:.3g}×"


def _cut(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text``, cut to ``limit`` characters with a note saying how much was left out."""
    if len(text) <= limit:
        return text
    left_out = f"{len(text) - limit + 40:,}"
    return text[: limit - 40] + " … " + _("({count} more characters not shown)").format(count=left_out)


def _safe(get: Callable[[], str], fallback: str) -> str:
    """``get()``, or ``fallback`` if it raises (a student's object whose __str__ or __repr__ raises)."""
    try:
        return _cut(str(get()), 300)
    except Exception:  # noqa: BLE001
        return fallback


def _message(err: BaseException) -> str:
    """``str(err)``, or a placeholder if the exception's own ``__str__`` raises."""
    try:
        return _cut(str(err), 300)
    except Exception:  # noqa: BLE001
        return _("(its message could not be shown)")


def _type_name(value: Any) -> str:
    return _safe(lambda: type(value).__name__, _("an object"))


def _short(value: Any) -> str:
    """A short, safe description of any value (never raises)."""
    try:
        if hasattr(value, "detach") and hasattr(value, "is_complex"):
            value = to_numpy(value)
        if isinstance(value, np.ndarray):
            if value.ndim == 0 and value.dtype.kind == "f":  # a float, shown as one ("66", not numpy's "66.")
                return f"{float(value):.6g}"
            if value.size <= 6:
                return np.array2string(value, precision=4, separator=", ")
            return _("array of shape {shape} (first values {values})").format(
                shape=value.shape, values=np.array2string(value.ravel()[:3], precision=4))
        if isinstance(value, float):
            return f"{value:.6g}"
        text = repr(value)
    except Exception:  # noqa: BLE001 - a student's object whose repr raises
        return _("a {type} that cannot be shown").format(type=_type_name(value))
    return text if len(text) <= 60 else text[:57] + "..."


def guarded(check: Callable[..., None]) -> Callable[..., None]:
    """Wrap a check so that nothing but its own sentences ever leaves it: an unexpected error while reading an
    odd answer becomes a :class:`WrongAnswer` saying so, instead of a traceback."""

    @functools.wraps(check)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            with np.errstate(all="ignore"):
                check(*args, **kwargs)
        except ExerciseError:
            raise
        except Exception as err:  # noqa: BLE001
            raise WrongAnswer(check.__name__, _("your answer could not be read ({error}: {message}).").format(
                              error=type(err).__name__, message=_message(err)),
                              _("return plain numbers: Python floats, numpy arrays or torch tensors of real numbers, "
                                "in the shape the statement asks for.")) from None
        return None

    return wrapper


def _strided() -> Any:
    import torch

    return torch.strided


def _float64() -> Any:
    import torch

    return torch.float64


def _complex128() -> Any:
    import torch

    return torch.complex128
