"""Hyperparameter checks with torch.optim's error messages, written once for every rule and class.

torch checks each hyperparameter in its optimizer's constructor and raises ``ValueError("Invalid learning
rate: -0.1")`` and the like. We run the same checks, keyed by the hyperparameter's *name*, so the functional
rules (:func:`gradcourse.optim.functional.step`) and the torch-compatible classes reject the same values with
the same words. The comparisons are written ``not 0.0 <= x`` so that NaN is rejected too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

__all__ = ["check_hyperparameters"]


def _nonnegative(label: str) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if not 0.0 <= value:
            raise ValueError(f"Invalid {label}: {value}")

    return check


def _check_lr(lr: Any) -> None:
    if isinstance(lr, torch.Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def _check_rho(rho: Any) -> None:
    if not 0.0 <= rho <= 1.0:
        raise ValueError(f"Invalid rho value: {rho}")


def _check_betas(betas: Any) -> None:
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise ValueError(f"betas must be a pair (β₁, β₂) of numbers in [0, 1), got {betas!r}")
    for index, beta in enumerate(betas):
        if isinstance(beta, torch.Tensor) and beta.numel() != 1:
            raise ValueError(f"Tensor betas[{index}] must be 1-element")
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta}")


_CHECKS: dict[str, Callable[[Any], None]] = {
    "lr": _check_lr,
    "eps": _nonnegative("epsilon value"),
    "betas": _check_betas,
    "momentum": _nonnegative("momentum value"),
    "weight_decay": _nonnegative("weight_decay value"),
    "alpha": _nonnegative("alpha value"),
    "rho": _check_rho,
    "lr_decay": _nonnegative("lr_decay value"),
    "initial_accumulator_value": _nonnegative("initial_accumulator_value value"),
    "momentum_decay": _nonnegative("momentum_decay value"),
    "trust_coefficient": _nonnegative("trust_coefficient value"),
}


def check_hyperparameters(rule: str, hyper: dict[str, Any], *, torch_types: bool = False) -> None:
    """Raise torch's ``ValueError`` if a hyperparameter of ``rule`` (e.g. ``"adam"``) is out of range.

    Only the names present in ``hyper`` are checked; names without a range (booleans, dampening) pass.
    ``torch_types=True`` adds torch.optim.Adam's type check (betas both floats or both tensors), which the
    torch-compatible classes need and the numpy path does not (``betas=(0, 0.99)`` is fine there).
    """
    for name, value in hyper.items():
        check = _CHECKS.get(name)
        if check is not None:
            check(value)
    if rule == "sgd" and hyper.get("nesterov") and (hyper.get("momentum", 0) <= 0 or hyper.get("dampening", 0) != 0):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")
    if torch_types and rule in ("adam", "adamw") and "betas" in hyper:
        beta1, beta2 = hyper["betas"]
        both_floats = isinstance(beta1, float) and isinstance(beta2, float)
        both_tensors = isinstance(beta1, torch.Tensor) and isinstance(beta2, torch.Tensor)
        if not (both_floats or both_tensors):
            raise ValueError("betas must be either both floats or both Tensors")
