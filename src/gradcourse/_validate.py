"""Argument checks shared by the whole package: every message names the argument, the bad value and what is
allowed, so a student sees ``T_max must be a finite number > 0, got -3`` instead of a traceback from numpy.

Every module checks its arguments with these few functions (one wording for one rule):

* :func:`integer` -- an int (numpy ints too, never a bool) ≥ a minimum;
* :func:`real` -- a finite real number in a range;
* :func:`choice` -- one of a few allowed values;
* :func:`instance` -- an object of a given type;
* :func:`all_finite` -- whether a numpy array or torch tensor holds no NaN or inf.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any


def integer(name: str, value: Any, minimum: int = 0, *, allowed: str | None = None) -> int:
    """Return ``value`` as an int if it is an integer ≥ ``minimum`` (bools are not integers here).

    ``allowed`` replaces the generated description in the message (e.g. "an integer >= 2 (grid points)")."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        if allowed is None:
            allowed = "a non-negative integer (0, 1, 2, ...)" if minimum == 0 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return int(value)


def real(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    open_low: bool = False,
    open_high: bool = False,
    allowed: str | None = None,
) -> float:
    """Return ``value`` as a float if it is a finite real number in [low, high] (open ends on request).

    ``allowed`` replaces the generated description of the range in the message (e.g. "a finite learning
    rate η >= 0").
    """
    ok = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
    if ok and low is not None:
        ok = value > low if open_low else value >= low
    if ok and high is not None:
        ok = value < high if open_high else value <= high
    if not ok:
        if allowed is None:
            if low is not None and high is not None:
                left, right = "(" if open_low else "[", ")" if open_high else "]"
                allowed = f"a finite number in {left}{low:g}, {high:g}{right}"
            elif low is not None:
                allowed = f"a finite number {'>' if open_low else '>='} {low:g}"
            elif high is not None:
                allowed = f"a finite number {'<' if open_high else '<='} {high:g}"
            else:
                allowed = "a finite number"
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return float(value)


def choice(name: str, value: Any, allowed: Sequence[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``; otherwise say which values are."""
    try:
        known = value in allowed
    except TypeError:  # an unhashable value asked of a set or dict
        known = False
    if not known:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value


def instance(name: str, value: Any, types: type | tuple[type, ...], what: str) -> Any:
    """Return ``value`` if it is an instance of ``types``; otherwise say ``name must be <what>``."""
    if not isinstance(value, types):
        raise ValueError(f"{name} must be {what}, got {_describe(value)}")
    return value


def all_finite(a: Any) -> bool:
    """True if the numpy array, torch tensor or number ``a`` holds no NaN or inf (integers always do)."""
    if hasattr(a, "isfinite") and hasattr(a, "all"):  # a torch tensor
        return bool(a.isfinite().all())
    import numpy as np

    arr = np.asarray(a)
    return not np.issubdtype(arr.dtype, np.inexact) or bool(np.isfinite(arr).all())


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else f"a {type(value).__name__}"
