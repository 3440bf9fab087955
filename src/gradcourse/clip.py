"""Gradient clipping, by value and by global norm, with ``torch.nn.utils`` semantics.

Clipping is a separate step between ``loss.backward()`` and ``optimizer.step()``; it composes with any
optimizer (Adam does not clip by itself).

* **by global norm** — treat all gradients g_1, …, g_k as one long vector g and shrink it when it is
  too long:

      ‖g‖_p = ‖(‖g_1‖_p, …, ‖g_k‖_p)‖_p          (p = norm_type; p = inf gives the largest |entry|)
      c     = min(1, max_norm / (‖g‖_p + 10⁻⁶))
      g_i  ← c · g_i

  Every entry is scaled by the same c, so the *direction* of the update is kept; only its length is
  capped (at max_norm, up to the 10⁻⁶ torch adds to avoid dividing by zero).

* **by value** — clip every entry separately: g ← clip(g, −clip_value, clip_value). Entries that hit the
  limit are cut while the others are not, so the direction of the update can *turn*.

The in-place functions ``clip_grad_norm_`` and ``clip_grad_value_`` accept what torch's accept (a tensor
or an iterable of parameters, whose ``.grad`` is clipped; parameters without a gradient are skipped) and
also a numpy array or a list of numpy arrays, which are taken to *be* the gradients and are modified in
place. The pure functions ``clip_by_global_norm`` and ``clip_by_value`` return new arrays (numpy arrays
or tensors) and leave their input alone. Both paths use the same three functions below
(:func:`global_norm`, :func:`clip_coefficient`, and the backend's ``clamp``), so the formula lives in one
place; numpy-or-torch dispatch comes from :mod:`gradcourse._backend`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from ._backend import Array, clamp, is_floating, is_tensor, norm

__all__ = [
    "global_norm",
    "clip_coefficient",
    "clip_by_global_norm",
    "clip_by_value",
    "clip_grad_norm_",
    "clip_grad_value_",
]

#: torch's guard in the clip coefficient max_norm / (total_norm + 1e-6)
CLIP_EPS = 1e-6


# ---------------------------------------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------------------------------------
def _check_norm_type(norm_type: Any) -> float:
    try:
        p = float(norm_type)
    except (TypeError, ValueError):
        p = math.nan
    if not p > 0:  # also rejects NaN
        raise ValueError(f"norm_type must be a number > 0 or 'inf' (common: 1, 2, inf), got {norm_type!r}")
    return p


def _check_limit(name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not v >= 0:  # also rejects NaN; +inf is allowed and means "never clip"
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")
    return v


def _check_float_arrays(grads: list[Array]) -> None:
    for i, g in enumerate(grads):
        if not is_floating(g):
            raise ValueError(f"gradient {i} must be a floating-point array, got dtype {g.dtype}")


def _gradients(parameters: Any) -> list[Array]:
    """The gradients to clip: ``.grad`` of torch parameters (skipping None), or numpy arrays themselves."""
    if isinstance(parameters, (torch.Tensor, np.ndarray)):
        parameters = [parameters]
    items = list(parameters)
    if all(isinstance(p, torch.Tensor) for p in items):
        grads = [p.grad for p in items if p.grad is not None]
    elif all(isinstance(p, np.ndarray) for p in items):
        grads = items
    else:
        kinds = sorted({type(p).__name__ for p in items})
        raise ValueError(
            "parameters must be torch tensors/parameters (their .grad is clipped) or numpy arrays (clipped "
            f"themselves), not a mix or other types; got {', '.join(kinds)}"
        )
    _check_float_arrays(grads)
    return grads


def _as_array_list(grads: Any) -> list[Array]:
    """Input of the pure functions: one array or a sequence of arrays (numpy or torch), used as values."""
    if isinstance(grads, (torch.Tensor, np.ndarray)):
        grads = [grads]
    items = list(grads)
    if not (all(isinstance(g, torch.Tensor) for g in items) or all(isinstance(g, np.ndarray) for g in items)):
        kinds = sorted({type(g).__name__ for g in items})
        raise ValueError(
            f"grads must be a list of numpy arrays or a list of torch tensors; got {', '.join(kinds)}"
        )
    _check_float_arrays(items)
    return items


# ---------------------------------------------------------------------------------------------------------
# the formula, once
# ---------------------------------------------------------------------------------------------------------
def global_norm(grads: Iterable[Array], norm_type: float = 2.0) -> Array:
    """The p-norm of all gradients together, as if concatenated into one vector.

        ‖g‖_p = ‖(‖g_1‖_p, …, ‖g_k‖_p)‖_p = (Σ_i Σ_j |g_ij|^p)^(1/p),    ‖g‖_inf = max_ij |g_ij|

    Computed as torch does (norm of the per-array norms). Returns a 0-dim tensor for torch input (as
    ``torch.nn.utils.get_total_norm``), a float for numpy input, 0 for an empty list.
    """
    p = _check_norm_type(norm_type)
    items = _as_array_list(grads)
    if not items:
        return 0.0
    norms = [norm(g, p) for g in items]
    if is_tensor(items[0]):
        return norm(torch.stack(norms), p)
    return float(norm(np.array(norms), p))


def clip_coefficient(total_norm: Any, max_norm: float) -> Any:
    """The factor every gradient is multiplied by when clipping by norm.

        c = min(1, max_norm / (total_norm + 10⁻⁶))

    c = 1 (no change) while total_norm + 10⁻⁶ ≤ max_norm. A NaN norm gives NaN (as ``torch.clamp``), an
    infinite norm gives 0. Works on floats and on 0-dim tensors (then returns a tensor, as torch).
    """
    coef = max_norm / (total_norm + CLIP_EPS)
    if is_tensor(coef):
        return torch.clamp(coef, max=1.0)
    return float(np.minimum(coef, 1.0))  # np.minimum, unlike min(), lets NaN through


def _raise_if_nonfinite(total_norm: Any, norm_type: float) -> None:
    if not math.isfinite(float(total_norm)):
        raise RuntimeError(
            f"The total norm of order {norm_type} of the gradients is non-finite ({float(total_norm)}), so "
            "it cannot be clipped. Some gradient already contains inf or NaN (the step diverged, or the loss "
            "is non-finite). Set error_if_nonfinite=False to scale the gradients by the non-finite norm "
            "anyway."
        )


# ---------------------------------------------------------------------------------------------------------
# public functions
# ---------------------------------------------------------------------------------------------------------
def clip_by_global_norm(grads: Iterable[Array], max_norm: float, norm_type: float = 2.0) -> tuple[list, Any]:
    """Pure clipping by global norm: returns ``(clipped, total_norm)`` and leaves ``grads`` unchanged.

        c = min(1, max_norm / (‖g‖_p + 10⁻⁶)),    clipped_i = c · g_i

    ``grads`` is a list of numpy arrays or of torch tensors (the gradients themselves); ``total_norm`` is
    the norm *before* clipping (float for numpy, 0-dim tensor for torch).
    """
    max_norm = _check_limit("max_norm", max_norm)
    items = _as_array_list(grads)
    total = global_norm(items, norm_type)
    coef = clip_coefficient(total, max_norm)
    with np.errstate(invalid="ignore"):  # inf·0 = NaN for non-finite gradients, as in torch
        return [g * coef for g in items], total


def clip_by_value(grads: Iterable[Array], clip_value: float) -> list:
    """Pure clipping by value: returns new arrays ``clip(g_i, −clip_value, clip_value)``."""
    clip_value = _check_limit("clip_value", clip_value)
    return [clamp(g, -clip_value, clip_value) for g in _as_array_list(grads)]


def clip_grad_norm_(
    parameters: Any, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False
) -> Any:
    """Clip gradients by their global norm, in place; return the total norm *before* clipping.

        ‖g‖_p = ‖(‖g_1‖_p, …, ‖g_k‖_p)‖_p,    c = min(1, max_norm / (‖g‖_p + 10⁻⁶)),    g_i ← c · g_i

    Same semantics as ``torch.nn.utils.clip_grad_norm_``: ``parameters`` is a tensor or an iterable of
    torch parameters (their ``.grad`` is scaled; ``None`` gradients are skipped), or a numpy array / list
    of numpy arrays (scaled themselves). ``norm_type`` may be ``float('inf')`` or ``'inf'``. If
    ``error_if_nonfinite`` is true and the total norm is NaN or ±inf, raises ``RuntimeError`` (torch's
    error type) and leaves the gradients untouched; otherwise they are scaled anyway (by NaN or by 0).
    Returns a 0-dim tensor for torch input (``tensor(0.)`` if there is no gradient at all), a float for
    numpy input.
    """
    max_norm = _check_limit("max_norm", max_norm)
    p = _check_norm_type(norm_type)
    grads = _gradients(parameters)
    if not grads:
        return torch.tensor(0.0)
    total = global_norm(grads, p)
    if error_if_nonfinite:
        _raise_if_nonfinite(total, p)
    coef = clip_coefficient(total, max_norm)
    with torch.no_grad(), np.errstate(invalid="ignore"):  # inf·0 = NaN is asked for here, as in torch
        for g in grads:
            g *= coef
    return total


def clip_grad_value_(parameters: Any, clip_value: float) -> None:
    """Clip every gradient entry to [−clip_value, clip_value], in place (``torch.nn.utils.clip_grad_value_``).

        g ← clip(g, −clip_value, clip_value)

    ``parameters`` as in :func:`clip_grad_norm_` (torch parameters' ``.grad``, or numpy arrays).
    """
    clip_value = _check_limit("clip_value", clip_value)
    with torch.no_grad():
        for g in _gradients(parameters):
            clamp(g, -clip_value, clip_value, inplace=True)
