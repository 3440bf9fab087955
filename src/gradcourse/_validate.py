"""Argument checks shared by the whole package: every message names the argument, the bad value and what is
allowed, so a student sees ``T_max must be a finite number > 0, got -3`` instead of a traceback from numpy."""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any


def integer(name: str, value: Any, minimum: int = 0) -> int:
    """Return ``value`` as an int if it is an integer ≥ ``minimum`` (bools are not integers here)."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
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
    allowed: str | None = None,
) -> float:
    """Return ``value`` as a float if it is a finite real number in [low, high] ((low, high] with ``open_low``).

    ``allowed`` replaces the generated description of the range in the message (e.g. "a finite learning
    rate η >= 0").
    """
    ok = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
    if ok and low is not None:
        ok = value > low if open_low else value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        if allowed is None:
            if low is not None and high is not None:
                allowed = f"a finite number in {'(' if open_low else '['}{low:g}, {high:g}]"
            elif low is not None:
                allowed = f"a finite number {'>' if open_low else '>='} {low:g}"
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
