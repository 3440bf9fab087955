"""Gradient checking: compare a hand-written gradient with central finite differences.

For a scalar function f and a small step ε, the central difference

    ĝ_i = (f(θ + ε e_i) − f(θ − ε e_i)) / (2ε)

approximates ∂f/∂θ_i with an error of order ε² (the one-sided (f(θ + ε e_i) − f(θ)) / ε is only order ε).
Rounding adds an error of about (machine epsilon) · |f| / ε, so ε = 1e-6 in float64 is a good compromise;
in float32 gradient checks are hopeless (use float64).

We report the *relative* error per entry,

    r_i = |g_i − ĝ_i| / max(|g_i| + |ĝ_i|, floor),

and return its maximum. In float64, r ≲ 1e-7 means the gradient is right; r ≈ 1e-2 or more means a bug
(unless θ sits on a kink such as ReLU at 0, where finite differences themselves are wrong). The ``floor``
stops entries where both gradients are essentially zero from producing 0/0.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gradcourse._validate import all_finite, real

__all__ = ["gradient_check", "numerical_gradient", "relative_error"]


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central finite-difference gradient of the scalar function ``f`` at ``x``.

    ``x`` is perturbed **in place**, one entry at a time, and restored exactly afterwards, so ``f`` may ignore
    its argument and read ``x`` through a model that holds it (e.g. one weight matrix of a network).
    Costs 2·x.size evaluations of ``f``.
    """
    _check_point(x, eps)
    grad = np.zeros(x.shape, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = float(f(x))
        x[i] = old - eps
        f_minus = float(f(x))
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(g: np.ndarray, g_hat: np.ndarray, floor: float = 1e-8) -> np.ndarray:
    """Entry-wise relative error r_i = |g_i − ĝ_i| / max(|g_i| + |ĝ_i|, floor)."""
    g = np.asarray(g, dtype=np.float64)
    g_hat = np.asarray(g_hat, dtype=np.float64)
    if g.shape != g_hat.shape:
        raise ValueError(f"g and g_hat must have the same shape, got {g.shape} and {g_hat.shape}")
    return np.abs(g - g_hat) / np.maximum(np.abs(g) + np.abs(g_hat), floor)


def gradient_check(
    f: Callable[[np.ndarray], tuple[float, np.ndarray]],
    x: np.ndarray,
    eps: float = 1e-6,
    *,
    floor: float = 1e-8,
) -> float:
    """Largest relative error between the analytic gradient and central finite differences.

    ``f(x)`` must return ``(value, grad)``: the scalar loss and your gradient of it with respect to ``x``
    (same shape as ``x``). The analytic gradient is taken at ``x`` as given; then every entry of ``x`` is
    nudged by ±eps **in place** and restored (see :func:`numerical_gradient`).

    Example — check the gradient of f(x) = ½‖x‖², whose gradient is x::

        >>> x = np.array([1.0, -2.0, 3.0])
        >>> gradient_check(lambda x: (0.5 * np.sum(x**2), x.copy()), x) < 1e-8
        True
    """
    _check_point(x, eps)
    value, grad = f(x)
    grad = np.array(grad, dtype=np.float64)  # copy: f may return a buffer it later overwrites
    if grad.shape != x.shape:
        raise ValueError(f"f(x) must return (value, grad) with grad.shape == x.shape == {x.shape}, "
                         f"got grad.shape {grad.shape}")
    if not (all_finite(value) and all_finite(grad)):
        raise ValueError("f(x) returned a non-finite loss or gradient; check the function first")
    numeric = numerical_gradient(lambda z: f(z)[0], x, eps)
    return float(np.max(relative_error(grad, numeric, floor), initial=0.0))


def _check_point(x: np.ndarray, eps: float) -> None:
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"x must be a float numpy array (it is perturbed in place), got {type(x).__name__}"
                         + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else ""))
    real("eps", eps, 0.0, open_low=True, allowed="a finite number > 0 (1e-6 is a good choice in float64)")
    if not all_finite(x):
        raise ValueError("x contains NaN or inf; finite differences need a finite point")
