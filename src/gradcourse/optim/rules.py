"""The optimizer update rules, each written once, for numpy arrays, torch tensors and lists of tensors.

Every rule has the same shape::

    <name>_step(param, grad, state, *, <hyperparameters>) -> param

It reads the gradient ``grad``, updates the running quantities in ``state`` and the parameters ``param``
**in place**, and returns ``param``. ``state`` is a plain dict whose keys are torch.optim's (``step``,
``exp_avg``, ``exp_avg_sq``, ``momentum_buffer`` ...), so the same dict can live inside a torch optimizer.
An empty ``state`` is filled on the first call. Hyperparameter names and defaults are torch's constructor
arguments. The body is the formula, written with the helpers of :mod:`gradcourse._backend`; so the same
body also updates a whole list of tensors at once (``param``, ``grad`` and every state entry then being
lists, as the torch-compatible classes pass them; LARS and LAMB, which need one norm per tensor, take one
tensor at a time).

The formulas are in each docstring, in the course's symbols: θ parameters, g gradient, η learning rate
(``lr``), β₁, β₂ decay rates (``betas``), ε (``eps``), λ_wd weight decay (``weight_decay``), t the step count
starting at 1, m first moment, v second moment, β momentum (``momentum``). Where torch.optim and a paper write
a rule differently we follow torch (its argument names, where ε sits, its momentum form) and say so. LARS, LAMB
and Lion, which torch lacks, follow their papers.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from .._backend import (
    Array,
    Arrays,
    add,
    add_,
    addcdiv_,
    addcmul,
    clone,
    div,
    div_,
    full_like,
    is_tensor,
    lerp,
    maximum_,
    mul_,
    norm,
    sign_,
    sqrt,
    sqrt_,
    zeros_like,
)
from .building_blocks import (
    adaptive_denominator,
    bias_correction,
    decoupled_weight_decay_,
    effective_gradient,
    ema_,
    trust_ratio,
)

__all__ = [
    "REGISTRY",
    "Rule",
    "adadelta_step",
    "adagrad_step",
    "adam_step",
    "adamw_step",
    "lamb_step",
    "lars_step",
    "lion_step",
    "nadam_step",
    "radam_step",
    "rmsprop_step",
    "scalar_dtype",
    "sgd_step",
]


# --- registry --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One registered update rule: its name, step function, state initialiser, default hyperparameters, and
    whether it is elementwise (every entry of θ updated on its own, so a whole list of tensors may be
    updated in one call; LARS and LAMB are not: they use one norm per tensor)."""

    name: str
    step: Callable[..., Arrays]
    init: Callable[[Array, dict[str, Any]], dict[str, Any]]
    defaults: dict[str, Any]
    elementwise: bool

    def missing_state(self, state: dict[str, Any], hyper: dict[str, Any]) -> list[str]:
        """The entries these hyperparameters need that ``state`` lacks (e.g. ``max_exp_avg_sq`` for amsgrad)."""
        return [key for key in self.init(_NOTHING, {**self.defaults, **hyper}) if key not in state]


_NOTHING = np.empty(0)  # a parameter to ask an initialiser which state entries it makes
REGISTRY: dict[str, Rule] = {}


def _register(name: str, init: Callable[[Array, dict[str, Any]], dict[str, Any]], *, elementwise: bool = True):
    """Decorator: register a rule; fill an empty ``state`` on first use; name a state entry the
    hyperparameters need but ``state`` lacks; run without autograd on tensors."""

    def decorate(fn: Callable[..., Arrays]) -> Callable[..., Arrays]:
        defaults = {
            p.name: p.default
            for p in inspect.signature(fn).parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        }

        @functools.wraps(fn)
        def rule(param: Arrays, grad: Arrays, state: dict[str, Any], **hyper: Any) -> Arrays:
            if not state and not isinstance(param, list):
                state.update(init(param, {**defaults, **hyper}))
            missing = REGISTRY[name].missing_state(state, hyper)
            if missing:
                raise ValueError(
                    f"{name}: the optimizer state has no entry {', '.join(map(repr, missing))}, which these "
                    f"hyperparameters need; it holds {sorted(state)}, so it was made for other ones (amsgrad, "
                    f"momentum, centered ...): start again from init_state({name!r}, param, **hyper) or from {{}}."
                )
            try:
                with torch.no_grad():  # in-place updates of parameters are not part of any graph
                    return fn(param, grad, state, **hyper)
            except RuntimeError as err:
                if "without overflow" not in str(err):
                    raise
                raise ValueError(
                    f"{name}: a step size computed from lr={hyper.get('lr', defaults['lr'])} does not fit in the "
                    f"parameters' dtype ({err}); use a learning rate of a sensible size (e.g. 1e-5 to 10)."
                ) from None

        REGISTRY[name] = Rule(name, rule, init, defaults, elementwise)
        return rule

    return decorate


# --- state helpers ---------------------------------------------------------------------------------------


def scalar_dtype() -> torch.dtype:
    """The dtype torch.optim uses for ``step`` and ``mu_product``: float64 if that is torch's default dtype,
    else float32."""
    return torch.float64 if torch.get_default_dtype() == torch.float64 else torch.float32


def _scalar(param: Array, value: float) -> Any:
    """A scalar state entry (``step``, ``mu_product``): a 0-d CPU tensor next to torch parameters, as torch
    stores it, and a plain Python number next to numpy arrays."""
    if is_tensor(param):
        return torch.tensor(value, dtype=scalar_dtype())
    return value


def _update_scalar(state: dict[str, Any], key: str, plus: float = 0, times: float = 1) -> float:
    """state[key] ← state[key]·times + plus, for a number, a 0-d tensor (in place, as torch) or a list of them
    (one per tensor of a group, all equal); returns the new value as a float."""
    value = state[key]
    if isinstance(value, (torch.Tensor, list)):
        if times != 1:
            mul_(value, times)
        add_(value, plus)
        value = value[0] if isinstance(value, list) else value
    else:
        value = state[key] = value * times + plus if times != 1 else value + plus
    return float(value)


def _tick(state: dict[str, Any]) -> float:
    """t ← t + 1; return the new t."""
    return _update_scalar(state, "step", plus=1)


def _moments(param: Array, hyper: dict[str, Any]) -> dict[str, Any]:
    """State of the Adam family: t = 0, m = 0, v = 0 (and v_max = 0 for AMSGrad)."""
    state = {"step": _scalar(param, 0), "exp_avg": zeros_like(param), "exp_avg_sq": zeros_like(param)}
    if hyper.get("amsgrad"):
        state["max_exp_avg_sq"] = zeros_like(param)
    return state


def _gradient_and_decay(
    grad: Arrays, param: Arrays, lr: float, weight_decay: float, decoupled: bool, maximize: bool
) -> Arrays:
    """Weight decay as torch's Adam/NAdam/RAdam do it: decoupled (θ ← θ − ηλ_wd θ, gradient untouched) when
    ``decoupled`` else coupled (g ← g + λ_wd θ); and g ← −g when maximizing."""
    if decoupled:
        decoupled_weight_decay_(param, lr, weight_decay)
        weight_decay = 0.0
    return effective_gradient(grad, param, maximize=maximize, weight_decay=weight_decay)


# --- SGD -------------------------------------------------------------------------------------------------


def _sgd_init(param: Array, hyper: dict[str, Any]) -> dict[str, Any]:
    # torch creates the buffer at the first step as a copy of g; None marks "not yet".
    return {"momentum_buffer": None} if hyper["momentum"] != 0 else {}


@_register("sgd", _sgd_init)
def sgd_step(
    param: Arrays,
    grad: Arrays,
    state: dict[str, Any],
    *,
    lr: float = 1e-3,
    momentum: float = 0.0,
    dampening: float = 0.0,
    weight_decay: float = 0.0,
    nesterov: bool = False,
    maximize: bool = False,
) -> Arrays:
    """Stochastic gradient descent, with torch's momentum form.

        g ← −g if maximize;   g ← g + λ_wd θ                      (coupled weight decay)
        b ← g at the first step, afterwards  b ← βb + (1 − τ)g   (β momentum, τ dampening)
        g ← g + βb if nesterov, else g ← b
        θ ← θ − ηg

    Without momentum this is plain θ ← θ − ηg. Torch's buffer b sums gradients (η is applied afterwards),
    unlike Sutskever et al., who put η inside the buffer; the two agree while η is constant.
    State: ``momentum_buffer`` (only when β ≠ 0).
    """
    g = effective_gradient(grad, param, maximize=maximize, weight_decay=weight_decay)
    if momentum != 0:
        b = state["momentum_buffer"]
        if b is None:
            b = state["momentum_buffer"] = clone(g)
        else:
            ema_(b, g, momentum, weight=1.0 - dampening)
        g = add(g, b, momentum) if nesterov else b
    add_(param, g, -lr)
    return param


# --- Adagrad ---------------------------------------------------------------------------------------------


def _adagrad_init(param: Array, hyper: dict[str, Any]) -> dict[str, Any]:
    return {"step": _scalar(param, 0), "sum": full_like(param, hyper["initial_accumulator_value"])}


@_register("adagrad", _adagrad_init)
def adagrad_step(
    param: Arrays,
    grad: Arrays,
    state: dict[str, Any],
    *,
    lr: float = 1e-2,
    lr_decay: float = 0.0,
    weight_decay: float = 0.0,
    initial_accumulator_value: float = 0.0,
    eps: float = 1e-10,
    maximize: bool = False,
) -> Arrays:
    """AdaGrad (Duchi, Hazan & Singer 2011): each coordinate's step shrinks with its history of gradients.

        g ← −g if maximize;   g ← g + λ_wd θ
        s ← s + g²                          (s starts at initial_accumulator_value)
        ηₜ = η / (1 + (t − 1)·lr_decay)
        θ ← θ − ηₜ · g / (√s + ε)

    The sum s only grows, so the effective step size keeps falling; RMSprop replaces the sum by an average.
    State: ``step``, ``sum``.
    """
    t = _tick(state)
    g = effective_gradient(grad, param, maximize=maximize, weight_decay=weight_decay)
    s = ema_(state["sum"], g, 1.0, weight=1.0, squared=True)  # a running sum: an average that forgets nothing
    lr_t = lr / (1.0 + (t - 1.0) * lr_decay)
    addcdiv_(param, g, add_(sqrt(s), eps), -lr_t)
    return param


# --- RMSprop ---------------------------------------------------------------------------------------------


def _rmsprop_init(param: Array, hyper: dict[str, Any]) -> dict[str, Any]:
    state = {"step": _scalar(param, 0), "square_avg": zeros_like(param)}
    if hyper["momentum"] > 0:
        state["momentum_buffer"] = zeros_like(param)
    if hyper["centered"]:
        state["grad_avg"] = zeros_like(param)
    return state


@_register("rmsprop", _rmsprop_init)
def rmsprop_step(
    param: Arrays,
    grad: Arrays,
    state: dict[str, Any],
    *,
    lr: float = 1e-2,
    alpha: float = 0.99,
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    momentum: float = 0.0,
    centered: bool = False,
    maximize: bool = False,
) -> Arrays:
    """RMSprop (Hinton, lecture 6e): divide the step by a running root-mean-square of the gradient.

        g ← −g if maximize;   g ← g + λ_wd θ
        v ← αv + (1 − α)g²                  (``square_avg``; α plays the role of β₂)
        centered:  ḡ ← αḡ + (1 − α)g,  s = √(v − ḡ²) + ε     (``grad_avg``; v − ḡ² estimates the variance)
        otherwise: s = √v + ε
        momentum β > 0:  b ← βb + g/s,  θ ← θ − ηb
        otherwise:       θ ← θ − η g/s

    No bias correction (unlike Adam), and ε is added outside the square root, as in torch.
    State: ``step``, ``square_avg``, ``momentum_buffer`` (β > 0), ``grad_avg`` (centered).
    """
    _tick(state)
    g = effective_gradient(grad, param, maximize=maximize, weight_decay=weight_decay)
    v = ema_(state["square_avg"], g, alpha, squared=True)
    if centered:
        g_avg = ema_(state["grad_avg"], g, alpha)
        denom = add_(sqrt_(addcmul(v, g_avg, g_avg, -1.0)), eps)
    else:
        denom = add_(sqrt(v), eps)
    if momentum > 0:
        b = addcdiv_(mul_(state["momentum_buffer"], momentum), g, denom)
        add_(param, b, -lr)
    else:
        addcdiv_(param, g, denom, -lr)
    return param


# --- Adadelta --------------------------------------------------------------------------------------------


def _adadelta_init(param: Array, hyper: dict[str, Any]) -> dict[str, Any]:
    return {"step": _scalar(param, 0), "square_avg": zeros_like(param), "acc_delta": zeros_like(param)}


@_register("adadelta", _adadelta_init)
def adadelta_step(
    param: Arrays,
    grad: Arrays,
    state: dict[str, Any],
    *,
    lr: float = 1.0,
    rho: float = 0.9,
    eps: float = 1e-6,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> Arrays:
    """Adadelta (Zeiler 2012): the step's units come from a running average of past steps.

        g ← −g if maximize;   g ← g + λ_wd θ
        v ← ρv + (1 − ρ)g²                         (``square_avg``)
        Δ = √(u + ε) / √(v + ε) · g                (u = ``acc_delta``, the running average of Δ²)
        u ← ρu + (1 − ρ)Δ²
        θ ← θ − ηΔ

    Zeiler's rule has no learning rate (η = 1, torch's default); torch adds η as an extra factor.
    State: ``step``, ``square_avg``, ``acc_delta``.
    """
    _tick(state)
    g = effective_gradient(grad, param, maximize=maximize, weight_decay=weight_decay)
    v, u = state["square_avg"], state["acc_delta"]
    ema_(v, g, rho, squared=True)
    delta = mul_(div_(sqrt_(add(u, eps)), sqrt_(add(v, eps))), g)
    ema_(u, delta, rho, squared=True)
    add_(param, delta, -lr)
    return param


# --- Adam, AdamW -----------------------------------------------------------------------------------------


@_register("adam", _moments)
def adam_step(
    param: Arrays,
    grad: Arrays,
    state: dict[str, Any],
    *,
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    amsgrad: bool = False,
    maximize: bool = False,
    decoupled_weight_decay: bool = False,
) -> Arrays:
    """Adam (Kingma & Ba 2015): momentum, divided by a running RMS of the gradient, both bias-corrected.

        g ← −g if maximize
        weight decay: g ← g + λ_wd θ (default, coupled)  or  θ ← θ − ηλ_wd θ (decoupled_weight_decay=True, = AdamW)
        m ← β₁m + (1 − β₁)g
        v ← β₂v + (1 − β₂)g²
        AMSGrad:  v_max ← max(v_max, v), and v_max replaces v below
        m̂ = m / (1 − β₁ᵗ);   v̂ = v / (1 − β₂ᵗ)
        θ ← θ − η m̂ / (√v̂ + ε)

    ε sits outside the square root; AMSGrad keeps the maximum of the raw v (torch ≥ 2.0), bias-corrected
    afterwards. State: ``step``, ``exp_avg`` (m), ``exp_avg_sq`` (v), ``max_exp_avg_sq`` (AMSGrad).
    """
    beta1, beta2 = betas
    t = _tick(state)
    g = _gradient_and_decay(grad, param, lr, weight_decay, decoupled_weight_decay, maximize)
    m = ema_(state["exp_avg"], g, beta1)
    v = ema_(state["exp_avg_sq"], g, beta2, squared=True)
    if amsgrad:
        v = maximum_(state["max_exp_avg_sq"], v)
    addcdiv_(param, m, adaptive_denominator(v, t, beta2, eps), -lr / bias_correction(beta1, t))
    return param


@_register("adamw", _moments)
def adamw_step(
    param: Arrays,
    grad: Arrays,
    state: dict[str, Any],
    *,
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 1e-2,
    amsgrad: bool = False,
    maximize: bool = False,
) -> Arrays:
    """AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay.

        θ ← θ − ηλ_wd θ        (decay scaled by η, as in torch; it never enters m or v)
        then the Adam step of :func:`adam_step` with no L2 term.

    Note the default λ_wd = 0.01 (torch.optim.AdamW's), where Adam's is 0.
    """
    hyper = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad}
    return adam_step(param, grad, state, **hyper, maximize=maximize, decoupled_weight_decay=True)


# --- NAdam -----------------------------------------------------------------------------------------------


def _nadam_init(param: Array, hyper: dict[str, Any]) -> dict[str, Any]:
    state = _moments(param, {})
    return {"step": state.pop("step"), "mu_product": _scalar(param, 1.0), **state}


def _nadam_momentum(beta1: float, t: float, momentum_decay: float) -> float:
    """NAdam's momentum schedule (Dozat 2016, as in torch):  μₜ = β₁ (1 − ½ · 0.96^(t·ψ)),  ψ = momentum_decay."""
    return beta1 * (1.0 - 0.5 * 0.96 ** (t * momentum_decay))


@_register("nadam", _nadam_init)
def nadam_step(
    param: Arrays,
    grad: Arrays,
    state: dict[str, Any],
    *,
    lr: float = 2e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    momentum_decay: float = 4e-3,
    decoupled_weight_decay: bool = False,
    maximize: bool = False,
) -> Arrays:
    """NAdam (Dozat 2016): Adam with Nesterov momentum, in torch's form.

        g ← −g if maximize;   weight decay coupled (g ← g + λ_wd θ) or decoupled (θ ← θ − ηλ_wd θ)
        μₜ = β₁(1 − ½·0.96^(tψ)),   Πₜ = μ₁μ₂⋯μₜ                       (``mu_product``)
        m ← β₁m + (1 − β₁)g;   v ← β₂v + (1 − β₂)g²;   v̂ = v / (1 − β₂ᵗ)
        θ ← θ − η (1 − μₜ)/(1 − Πₜ) · g/(√v̂ + ε)  −  η μₜ₊₁/(1 − Πₜμₜ₊₁) · m/(√v̂ + ε)

    The first term is the step on the current gradient, the second the look-ahead momentum step.
    State: ``step``, ``mu_product``, ``exp_avg``, ``exp_avg_sq``. Like torch, ``mu_product`` is kept in
    ``step``'s dtype (float32 unless torch's default dtype is float64) next to torch tensors.
    """
    beta1, beta2 = betas
    t = _tick(state)
    g = _gradient_and_decay(grad, param, lr, weight_decay, decoupled_weight_decay, maximize)
    mu = _nadam_momentum(beta1, t, momentum_decay)
    mu_next = _nadam_momentum(beta1, t + 1.0, momentum_decay)
    mu_product = _update_scalar(state, "mu_product", times=mu)
    m = ema_(state["exp_avg"], g, beta1)
    denom = adaptive_denominator(ema_(state["exp_avg_sq"], g, beta2, squared=True), t, beta2, eps)
    addcdiv_(param, g, denom, -lr * (1.0 - mu) / (1.0 - mu_product))
    addcdiv_(param, m, denom, -lr * mu_next / (1.0 - mu_product * mu_next))
    return param


# --- RAdam -----------------------------------------------------------------------------------------------


@_register("radam", _moments)
def radam_step(
    param: Arrays,
    grad: Arrays,
    state: dict[str, Any],
    *,
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 0.0,
    decoupled_weight_decay: bool = False,
    maximize: bool = False,
) -> Arrays:
    """RAdam (Liu et al. 2020): Adam whose adaptive step is switched on only once v is trustworthy.

        g ← −g if maximize;   weight decay coupled (g ← g + λ_wd θ) or decoupled (θ ← θ − ηλ_wd θ)
        m ← β₁m + (1 − β₁)g;   v ← β₂v + (1 − β₂)g²;   m̂ = m / (1 − β₁ᵗ)
        ρ∞ = 2/(1 − β₂) − 1;   ρₜ = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ)          (length of the approximate moving average)
        if ρₜ > 5:  r = √[(ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ)],  θ ← θ − η r m̂ √(1 − β₂ᵗ)/(√v + ε)
        else:       θ ← θ − η m̂                                  (plain momentum for the first few steps)

    Note where ε sits: torch adds it to √v, not to √v̂ as Adam does, so √(1 − β₂ᵗ)/(√v + ε) is not quite
    1/(√v̂ + ε). We follow torch. State: ``step``, ``exp_avg``, ``exp_avg_sq``.
    """
    beta1, beta2 = betas
    t = _tick(state)
    g = _gradient_and_decay(grad, param, lr, weight_decay, decoupled_weight_decay, maximize)
    m = ema_(state["exp_avg"], g, beta1)
    v = ema_(state["exp_avg_sq"], g, beta2, squared=True)
    bc1, bc2 = bias_correction(beta1, t), bias_correction(beta2, t)
    rho_inf = 2.0 / (1.0 - beta2) - 1.0
    rho_t = rho_inf - 2.0 * t * beta2**t / bc2
    if rho_t > 5.0:
        r = math.sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
        addcdiv_(param, m, add_(sqrt(v), eps), -lr * r * math.sqrt(bc2) / bc1)
    else:
        add_(param, m, -lr / bc1)
    return param


# --- LARS ------------------------------------------------------------------------------------------------


def _lars_init(param: Array, hyper: dict[str, Any]) -> dict[str, Any]:
    return {"momentum_buffer": zeros_like(param)} if hyper["momentum"] != 0 else {}


@_register("lars", _lars_init, elementwise=False)
def lars_step(
    param: Array,
    grad: Array,
    state: dict[str, Any],
    *,
    lr: float = 1.0,
    momentum: float = 0.9,
    weight_decay: float = 0.0,
    trust_coefficient: float = 1e-3,
    maximize: bool = False,
) -> Array:
    """LARS (You, Gitman & Ginsburg 2017, arXiv:1708.03888, Algorithm 1): SGD + momentum, one lr per layer.

    For each parameter tensor ("layer") θ with gradient g (g ← −g if maximize):

        local lr   ηₗ = η_trust · ‖θ‖ / (‖g‖ + λ_wd‖θ‖)      (η_trust = trust_coefficient, λ_wd = weight_decay)
        b ← βb + η · ηₗ · (g + λ_wd θ)                           (b starts at 0)
        θ ← θ − b

    Choices (the paper leaves them open): ηₗ = 1 when ‖θ‖ = 0 or ‖g‖ + λ_wd‖θ‖ = 0 (see
    :func:`~gradcourse.optim.building_blocks.trust_ratio`); every tensor is adapted, biases and
    normalisation weights included (many implementations exclude them: pass them in a separate group of a
    plain SGD optimizer if you want that); the global η enters the buffer, as in the paper (not torch's SGD
    form); without momentum the step is θ ← θ − η·ηₗ·(g + λ_wd θ). The paper's polynomial decay of η is left to a
    scheduler. State: ``momentum_buffer`` (β ≠ 0).
    """
    g = effective_gradient(grad, param, maximize=maximize)
    param_norm = float(norm(param))
    local_lr = trust_ratio(param_norm, float(norm(g)) + weight_decay * param_norm, trust_coefficient)
    update = effective_gradient(g, param, weight_decay=weight_decay)
    if momentum != 0:
        b = ema_(state["momentum_buffer"], update, momentum, weight=lr * local_lr)
        add_(param, b, -1.0)
    else:
        add_(param, update, -lr * local_lr)
    return param


# --- LAMB ------------------------------------------------------------------------------------------------


@_register("lamb", _moments, elementwise=False)
def lamb_step(
    param: Array,
    grad: Array,
    state: dict[str, Any],
    *,
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-6,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> Array:
    """LAMB (You et al., arXiv:1904.00962, ICLR 2020; Algorithm 2): Adam's direction, LARS's per-layer step.

    For each parameter tensor ("layer") θ with gradient g (g ← −g if maximize):

        m ← β₁m + (1 − β₁)g;   v ← β₂v + (1 − β₂)g²
        m̂ = m / (1 − β₁ᵗ);     v̂ = v / (1 − β₂ᵗ)
        r = m̂ / (√v̂ + ε) + λ_wd θ                                (λ = weight_decay, decoupled from m and v)
        θ ← θ − η · φ(‖θ‖)/‖r‖ · r

    Choices: φ is the identity; the ratio ‖θ‖/‖r‖ is 1 when ‖θ‖ = 0 or ‖r‖ = 0; every tensor is adapted;
    ε = 1e-6 by default (the paper's experiments). State: ``step``, ``exp_avg``, ``exp_avg_sq``.
    """
    beta1, beta2 = betas
    t = _tick(state)
    g = effective_gradient(grad, param, maximize=maximize)
    m = ema_(state["exp_avg"], g, beta1)
    v = ema_(state["exp_avg_sq"], g, beta2, squared=True)
    r = div_(div(m, adaptive_denominator(v, t, beta2, eps)), bias_correction(beta1, t))
    if weight_decay != 0:
        add_(r, param, weight_decay)
    add_(param, r, -lr * trust_ratio(float(norm(param)), float(norm(r))))
    return param


# --- Lion ------------------------------------------------------------------------------------------------


def _lion_init(param: Array, hyper: dict[str, Any]) -> dict[str, Any]:
    return {"exp_avg": zeros_like(param)}


@_register("lion", _lion_init)
def lion_step(
    param: Arrays,
    grad: Arrays,
    state: dict[str, Any],
    *,
    lr: float = 1e-4,
    betas: tuple[float, float] = (0.9, 0.99),
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> Arrays:
    """Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", arXiv:2302.06675): move every
    coordinate by ±η.

        c = β₁m + (1 − β₁)g                 (interpolate; m is not changed yet)
        θ ← θ − η (sign(c) + λ_wd θ)            (decoupled weight decay λ)
        m ← β₂m + (1 − β₂)g                 (then update the momentum, with a different β)

    (g ← −g if maximize.) Apart from the weight decay, every coordinate moves by exactly η (or 0, since
    sign(0) = 0), so Lion wants a smaller η than Adam (3–10×) and a larger λ_wd. State: ``exp_avg`` (m).
    """
    beta1, beta2 = betas
    g = effective_gradient(grad, param, maximize=maximize)
    m = state["exp_avg"]
    c = lerp(m, g, 1.0 - beta1)
    decoupled_weight_decay_(param, lr, weight_decay)
    add_(param, sign_(c), -lr)
    ema_(m, g, beta2)
    return param
