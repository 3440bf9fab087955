"""Hyperparameter and state checks for the optimizers, written once for every rule and class.

torch checks each hyperparameter in its optimizer's constructor and raises ``ValueError("Invalid learning
rate: -0.1")`` and the like. We run the same checks, keyed by the hyperparameter's *name*, with torch's words
where torch has a check, and a few more where torch lets a value through that can only go wrong: NaN and ±inf
everywhere, a bool or a string where a number belongs, SGD's dampening outside [0, 1], RMSprop's α > 1.
The classes run them on the constructor's defaults, on every param group (``add_param_group``) and again at
every step on the values the step uses, so a later ``group["lr"] = …`` is checked too (a few comparisons
per group). The functional :func:`~gradcourse.optim.functional.step` runs them at every call, together with
:func:`check_state`.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
import torch

__all__ = ["check_hyperparameters", "check_state"]

# name -> (torch's label, upper bound, whether the bound itself is allowed); every lower bound is 0.
_RANGES: dict[str, tuple[str, float, bool]] = {
    "lr": ("learning rate", math.inf, False),
    "eps": ("epsilon value", math.inf, False),
    "momentum": ("momentum value", math.inf, False),
    "dampening": ("dampening value", 1.0, True),
    "weight_decay": ("weight_decay value", math.inf, False),
    "alpha": ("alpha value", 1.0, True),
    "rho": ("rho value", 1.0, True),
    "lr_decay": ("lr_decay value", math.inf, False),
    "initial_accumulator_value": ("initial_accumulator_value value", math.inf, False),
    "momentum_decay": ("momentum_decay value", math.inf, False),
    "trust_coefficient": ("trust_coefficient value", math.inf, False),
}


def _number(name: str, value: Any) -> float:
    """``value`` as a Python float, or a ValueError naming ``name`` if it is no real number."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be a number, got the bool {value!r} (e.g. momentum=0.9, not momentum=True)")
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise ValueError(f"Tensor {name} must be 1-element")
        if value.is_complex() or value.dtype == torch.bool:
            raise ValueError(f"{name} must be a real number, got a tensor of dtype {value.dtype}")
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and np.issubdtype(value.dtype, np.number):
        value = value.item()
    if isinstance(value, numbers.Real):
        return float(value)
    raise ValueError(f"{name} must be a number, got {value!r} of type {type(value).__name__}")


def _in_range(name: str, value: Any) -> float:
    label, high, closed = _RANGES[name]
    x = _number(name, value)
    if not 0.0 <= x or (name == "rho" and not x <= 1.0):  # torch's tests and words (NaN fails them too)
        raise ValueError(f"Invalid {label}: {value}")
    if not (x <= high if closed else x < high):
        bound = f"[0, {high:g}]" if closed else "[0, inf)"
        raise ValueError(f"Invalid {label}: {value} (must be a finite number in {bound})")
    return x


def _betas(value: Any) -> tuple[float, float]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise ValueError(f"betas must be a pair (β₁, β₂) of numbers in [0, 1), got {value!r}")
    pair = []
    for index, beta in enumerate(value):
        x = _number(f"betas[{index}]", beta)
        if not 0.0 <= x < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta}")
        pair.append(x)
    return pair[0], pair[1]


def check_hyperparameters(
    rule: str, hyper: dict[str, Any], *, torch_types: bool = False, where: str = ""
) -> dict[str, Any]:
    """Check the hyperparameters of ``rule`` (e.g. ``"adam"``); return them with every number a Python float.

    Only the names present in ``hyper`` are checked; flags (amsgrad, nesterov ...) pass as they are.
    Raises ``ValueError`` with torch's message for a value torch rejects, and a message that names the
    argument for the values torch lets through (NaN, inf, bools, strings, None). ``where`` (e.g.
    ``"param_groups[1]"``) prefixes the message. ``torch_types=True`` adds torch.optim.Adam's type check
    (betas both floats or both tensors), which the torch-compatible classes need and the numpy path does not.
    """
    if torch_types and rule in ("adam", "adamw") and isinstance(hyper.get("betas"), (tuple, list)):
        beta1, beta2 = hyper["betas"]
        both_floats = isinstance(beta1, float) and isinstance(beta2, float)
        both_tensors = isinstance(beta1, torch.Tensor) and isinstance(beta2, torch.Tensor)
        if not (both_floats or both_tensors):
            raise ValueError("betas must be either both floats or both Tensors")
    try:
        checked = dict(hyper)
        for name, value in hyper.items():
            if name in _RANGES:
                checked[name] = _in_range(name, value)
            elif name == "betas":
                checked[name] = _betas(value)
        if rule == "sgd" and checked.get("nesterov") and (
            checked.get("momentum", 0) <= 0 or checked.get("dampening", 0) != 0
        ):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
    except ValueError as err:
        if where:
            raise ValueError(f"{where}: {err}") from None
        raise
    return checked


def check_state(rule: str, param: Any, state: dict[str, Any]) -> None:
    """Check a state dict before a functional step on ``param``: arrays of ``param``'s shape, a sane ``step``.

    A state made for another parameter (another shape), or a ``step`` that is not a whole number ≥ 0, raises
    ``ValueError`` naming the entry, instead of a numpy or torch error from inside the rule.
    """
    for key, value in state.items():
        if key in ("step", "mu_product"):
            number = isinstance(value, numbers.Real) and not isinstance(value, bool)
            x = float(value) if number or (torch.is_tensor(value) and value.numel() == 1) else math.nan
            whole = key != "step" or x == int(x) if math.isfinite(x) else False
            if not (whole and (x >= 0 if key == "step" else 0 <= x <= 1)):
                expected = "a whole number >= 0" if key == "step" else "a number in [0, 1]"
                raise ValueError(f"{rule}: state[{key!r}] must be {expected}, got {value!r}; the state is corrupt")
        elif value is not None:
            shape = getattr(value, "shape", None)
            if shape is None or tuple(shape) != tuple(param.shape):
                raise ValueError(
                    f"{rule}: state[{key!r}] has shape {None if shape is None else tuple(shape)} but param has "
                    f"shape {tuple(param.shape)}: the state belongs to another parameter; start from {{}}"
                )
