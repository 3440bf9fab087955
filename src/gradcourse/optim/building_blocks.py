"""The pieces every optimizer is built from, each written once.

Reading the rules in :mod:`gradcourse.optim.rules` you will see the same few ideas again and again:

* a running average of something: momentum averages g, RMSprop and Adam average g², Adadelta averages the
  squared updates, Adagrad *sums* g² (an average that forgets nothing) -> :func:`ema_`;
* Adam's correction for averages that start at zero -> :func:`bias_correction`;
* weight decay, either added to the gradient (coupled, "L2") -> :func:`l2_penalty`, or applied to θ directly
  (decoupled, AdamW) -> :func:`decoupled_weight_decay_`;
* the gradient the rule actually follows (−g when maximizing, plus the L2 term) -> :func:`effective_gradient`;
* the adaptive denominator √v̂ + ε shared by Adam, AMSGrad, NAdam and LAMB -> :func:`adaptive_denominator`;
* the layer-wise trust ratio of LARS and LAMB -> :func:`trust_ratio`.

Each works on a numpy array, a torch tensor or a list of tensors (see :mod:`gradcourse._backend`).

Symbols: θ parameters, g gradient, η learning rate (``lr``), β decay rates, ε a small constant, t the step
count (starting at 1), λ_wd weight decay, m first moment, v second moment.
"""

from __future__ import annotations

import math

from .._backend import Arrays, add, add_, addcmul_, div_, lerp_, mul_, neg, sqrt

__all__ = [
    "adaptive_denominator",
    "bias_correction",
    "decoupled_weight_decay_",
    "effective_gradient",
    "ema_",
    "l2_penalty",
    "trust_ratio",
]


def ema_(avg: Arrays, x: Arrays, decay: float, *, weight: float | None = None, squared: bool = False) -> Arrays:
    """Running average, in place:  avg ← decay·avg + weight·x,  with weight = 1 − decay by default.

    With the default weight this is the exponential moving average (EMA) with decay rate β:
    avg ← β·avg + (1 − β)·x, a weighted mean of all past x in which x from k steps ago counts βᵏ(1 − β).
    ``squared=True`` averages x² (elementwise) instead of x, without building x² in memory.

    The same helper covers:

    * Adam's first moment           m ← β₁m + (1 − β₁)g
    * Adam / RMSprop second moment  v ← β₂v + (1 − β₂)g²            (``squared=True``)
    * torch's SGD momentum          b ← βb + (1 − τ)g                (``weight=1 − τ``, τ = dampening)
    * Adagrad's sum of squares      s ← s + g²                       (``decay=1, weight=1, squared=True``)
    """
    if weight is None and not squared:
        return lerp_(avg, x, 1.0 - decay)  # β·avg + (1 − β)·x = avg + (1 − β)·(x − avg)
    if decay != 1.0:
        mul_(avg, decay)
    weight = 1.0 - decay if weight is None else weight
    return addcmul_(avg, x, x, weight) if squared else add_(avg, x, weight)


def bias_correction(beta: float, t: float) -> float:
    """1 − βᵗ, the total weight an EMA started at zero has collected after t steps.

    Dividing the average by it (m̂ = m / (1 − β₁ᵗ)) undoes the pull towards the zero start: after one step
    m = (1 − β₁)g and m̂ = g.
    """
    return 1.0 - beta**t


def adaptive_denominator(v: Arrays, t: float, beta2: float, eps: float) -> Arrays:
    """Adam's denominator  √v̂ + ε,  with v̂ = v / (1 − β₂ᵗ) and ε outside the square root (as torch.optim.Adam).

    Computed as √v / √(1 − β₂ᵗ) + ε, torch's order of operations. Returns a new array (a temporary).
    """
    return add_(div_(sqrt(v), math.sqrt(bias_correction(beta2, t))), eps)


def l2_penalty(grad: Arrays, param: Arrays, weight_decay: float) -> Arrays:
    """Coupled weight decay (an L2 penalty λ/2·‖θ‖² added to the loss):  g + λ_wd θ, as a new array.

    The decay term then passes through whatever the rule does to g (momentum, Adam's scaling, ...).
    """
    return add(grad, param, weight_decay)


def decoupled_weight_decay_(param: Arrays, lr: float, weight_decay: float) -> Arrays:
    """Decoupled weight decay (Loshchilov & Hutter, AdamW), in place:  θ ← θ − ηλ_wd θ = (1 − ηλ)θ.

    The decay is scaled by the learning rate η, as in torch.optim.AdamW, and never enters the moments.
    """
    if weight_decay != 0:
        mul_(param, 1.0 - lr * weight_decay)
    return param


def effective_gradient(grad: Arrays, param: Arrays, *, maximize: bool = False, weight_decay: float = 0.0) -> Arrays:
    """The gradient a rule follows:  g ← −g if maximizing;  then g ← g + λ_wd θ (coupled weight decay).

    The caller's ``grad`` is never modified: if anything changes, the result is a new array; otherwise
    ``grad`` itself is returned.
    """
    if maximize:
        grad = neg(grad)
    if weight_decay != 0:
        grad = l2_penalty(grad, param, weight_decay)
    return grad


def trust_ratio(param_norm: float, update_norm: float, coefficient: float = 1.0) -> float:
    """Layer-wise trust ratio of LARS / LAMB:  coefficient·‖θ‖ / ‖u‖  for one parameter tensor.

    It rescales a layer's step so that its length is proportional to the layer's weight norm, whatever the
    gradient's scale. Convention (ours, stated because the papers leave it open): the ratio is 1 when
    ‖θ‖ = 0 (e.g. a bias initialised to zero, which would otherwise never move) or ‖u‖ = 0.
    """
    if param_norm > 0.0 and update_norm > 0.0:
        return coefficient * param_norm / update_norm
    return 1.0
