"""Optimizers as functions: ``step(name, param, grad, state, **hyper)``, for numpy arrays and torch tensors.

This is the course's entry point to the update rules. A 2-D toy problem in a chapter::

    import numpy as np
    from gradcourse.optim import functional as F

    theta = np.array([-1.5, 2.0])
    state = F.init_state("adam", theta)          # {'step': 0, 'exp_avg': [0, 0], 'exp_avg_sq': [0, 0]}
    for _ in range(100):
        F.step("adam", theta, grad_f(theta), state, lr=0.1)   # updates theta and state in place

The same call works with torch tensors, and :mod:`gradcourse.optim`'s torch-compatible classes
(``gradcourse.optim.Adam`` ...) call exactly these rules. Each rule is also available directly, e.g.
:func:`adam_step`, with its formula in the docstring. The generic :func:`step` checks its arguments first
(hyperparameter ranges with torch's messages, unknown names, shapes); the per-rule functions do not.

Rules: sgd, adagrad, rmsprop, adadelta, adam, adamw, nadam, radam (torch.optim's formulas) and
lars, lamb, lion (from their papers).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from .._backend import Array, is_floating
from .building_blocks import (
    adaptive_denominator,
    bias_correction,
    decoupled_weight_decay_,
    effective_gradient,
    ema_,
    l2_penalty,
    trust_ratio,
)
from .rules import (
    REGISTRY,
    Rule,
    adadelta_step,
    adagrad_step,
    adam_step,
    adamw_step,
    lamb_step,
    lars_step,
    lion_step,
    nadam_step,
    radam_step,
    rmsprop_step,
    sgd_step,
)
from .validation import check_hyperparameters, check_state

__all__ = [
    "RULES",
    "adadelta_step",
    "adagrad_step",
    "adam_step",
    "adamw_step",
    "adaptive_denominator",
    "bias_correction",
    "decoupled_weight_decay_",
    "defaults",
    "effective_gradient",
    "ema_",
    "get_rule",
    "init_state",
    "l2_penalty",
    "lamb_step",
    "lars_step",
    "lion_step",
    "nadam_step",
    "radam_step",
    "rmsprop_step",
    "sgd_step",
    "step",
    "trust_ratio",
    "validate",
]

RULES: tuple[str, ...] = tuple(REGISTRY)
"""Names of every update rule, in the order the course introduces them."""


def _lookup(name: str) -> Rule:
    if not isinstance(name, str) or name.lower() not in REGISTRY:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(RULES)}")
    return REGISTRY[name.lower()]


def get_rule(name: str):
    """The step function of rule ``name`` (e.g. ``get_rule("adam") is adam_step``)."""
    return _lookup(name).step


def defaults(name: str) -> dict[str, Any]:
    """The hyperparameters of rule ``name`` and their defaults (torch's, for the rules torch has).

    >>> defaults("adam")["betas"]
    (0.9, 0.999)
    """
    return dict(_lookup(name).defaults)


def validate(name: str, **hyper: Any) -> dict[str, Any]:
    """Check hyperparameters for rule ``name`` and return them completed with the defaults.

    Raises ``ValueError`` for an unknown name (listing the allowed ones) or an out-of-range value (with
    torch.optim's message, e.g. ``Invalid learning rate: -1.0``). Numbers come back as Python floats (a
    1-element tensor or array ``lr`` becomes a float), so they combine with numpy arrays and tensors alike.
    """
    rule = _lookup(name)
    unknown = sorted(set(hyper) - set(rule.defaults))
    if unknown:
        raise ValueError(
            f"{rule.name} has no hyperparameter(s) {', '.join(unknown)}; "
            f"its hyperparameters are: {', '.join(rule.defaults)}"
        )
    return {**rule.defaults, **check_hyperparameters(rule.name, hyper)}


def init_state(name: str, param: Array, **hyper: Any) -> dict[str, Any]:
    """The state of rule ``name`` for ``param`` before the first step, with torch's keys.

    Some entries depend on hyperparameters (``amsgrad=True`` adds ``max_exp_avg_sq``, RMSprop's ``momentum``
    and ``centered`` add ``momentum_buffer`` and ``grad_avg``, Adagrad's sum starts at
    ``initial_accumulator_value``), so pass the same ones you will pass to :func:`step`. ``step`` is 0: a
    Python number next to numpy arrays, a 0-d tensor next to torch tensors (as torch.optim stores it).
    """
    _check_array("param", param)
    return _lookup(name).init(param, validate(name, **hyper))


def step(
    name: str,
    param: Array,
    grad: Array,
    state: dict[str, Any],
    **hyper: Any,
) -> Array:
    """One update of rule ``name``: changes ``param`` and ``state`` in place and returns ``param``.

    ``state`` may start as an empty dict (it is filled on the first call) or come from :func:`init_state`.
    Hyperparameters not given take the defaults of :func:`defaults`. Arguments are checked first: an unknown
    rule or hyperparameter, a value out of range, ``grad`` not matching ``param``, a read-only ``param`` or a
    state made for another parameter raise ``ValueError``. A ``grad`` of another floating dtype is converted
    to ``param``'s (the update is computed in ``param``'s precision).
    """
    rule = _lookup(name)
    hyper = validate(rule.name, **hyper)
    _check_array("param", param)
    _check_array("grad", grad)
    if torch.is_tensor(param) != torch.is_tensor(grad):
        raise ValueError(
            f"param is a {type(param).__name__} but grad is a {type(grad).__name__}; pass both as numpy "
            "arrays or both as torch tensors"
        )
    if tuple(param.shape) != tuple(grad.shape):
        raise ValueError(
            f"grad has shape {tuple(grad.shape)} but param has shape {tuple(param.shape)}; "
            "they must match (one gradient entry per parameter)"
        )
    if not isinstance(state, dict):
        raise ValueError(f"state must be a dict (start with {{}} or init_state(...)), got {type(state).__name__}")
    if isinstance(param, np.ndarray) and not param.flags.writeable:
        raise ValueError("param is a read-only numpy array and is updated in place; pass a copy: np.array(param)")
    check_state(rule.name, param, state)
    if grad.dtype != param.dtype:
        grad = grad.to(param.dtype) if torch.is_tensor(grad) else grad.astype(param.dtype)
    return rule.step(param, grad, state, **hyper)


def _check_array(label: str, x: Any) -> None:
    ok = (torch.is_tensor(x) or isinstance(x, np.ndarray)) and is_floating(x)
    if not ok:
        kind = f"{type(x).__name__} of dtype {x.dtype}" if hasattr(x, "dtype") else type(x).__name__
        raise ValueError(
            f"{label} must be a floating-point numpy array or torch tensor (updated in place), got {kind}; "
            f"e.g. use np.asarray({label}, dtype=float)"
        )
