"""Learning-rate schedules: the learning rate η_t as a plain function of the step t.

Every schedule here is an ordinary Python function ``fn(step, **hyper) -> float`` with its formula in the
docstring, so it is easy to read, to test and to plot::

    from gradcourse.schedules import cosine_annealing, schedule_values, to_torch
    lrs = schedule_values(cosine_annealing, 100, base_lr=0.1, T_max=100)   # numpy array, 100 values
    scheduler = to_torch(optimizer, cosine_annealing, T_max=100)           # drives any torch optimizer

**Step convention.** ``step`` is t = 0, 1, 2, … = the number of scheduler steps already taken, exactly
torch's ``last_epoch``: η_0 is the learning rate of the *first* optimizer step. (The optimizers count their
own step from 1; the schedules count from 0, as torch does.) η_0 written as a symbol in the formulas
below is the ``base_lr`` argument (the optimizer's initial learning rate).

Each schedule equals the torch scheduler of the same meaning (tested for every step, at t = 0 and past the
end): ``constant`` ↔ ConstantLR, ``step_decay`` ↔ StepLR, ``multistep_decay`` ↔ MultiStepLR,
``exponential_decay`` ↔ ExponentialLR, ``polynomial_decay`` ↔ PolynomialLR, ``cosine_annealing`` ↔
CosineAnnealingLR, ``cosine_warm_restarts`` ↔ CosineAnnealingWarmRestarts, ``linear_warmup`` ↔ LinearLR,
``sequential`` / ``with_warmup`` / ``warmup_cosine`` ↔ SequentialLR, ``one_cycle`` ↔ OneCycleLR,
``cyclic`` ↔ CyclicLR, and the class ``ReduceLROnPlateau`` ↔ ReduceLROnPlateau.

Most torch schedulers update the rate *recursively* (η_t = η_{t-1} · ratio), which is mathematically the
closed form used here; the two differ only by accumulated rounding, quantified in the comment of each
function (always below 1e-12 relative for the step counts a course uses).
"""

from __future__ import annotations

import inspect
import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from numbers import Integral
from typing import Any

import numpy as np

from gradcourse._validate import choice as _check_choice
from gradcourse._validate import integer as _check_int
from gradcourse._validate import real as _check_real

__all__ = [
    "constant",
    "step_decay",
    "multistep_decay",
    "exponential_decay",
    "polynomial_decay",
    "cosine_annealing",
    "cosine_warm_restarts",
    "linear_warmup",
    "sequential",
    "with_warmup",
    "warmup_cosine",
    "one_cycle",
    "cyclic",
    "ReduceLROnPlateau",
    "schedule_values",
    "to_torch",
]


# ---------------------------------------------------------------------------------------------------------
# argument checks: every message names the argument, the bad value and what is allowed
# ---------------------------------------------------------------------------------------------------------
def _check_step(step: Any, name: str = "step") -> int:
    return _check_int(name, step, 0)


def _power(gamma: float, k: int, base_lr: float) -> float:
    """base_lr · γᵏ, or a ValueError naming γ and k where γᵏ overflows a float (a rate beyond 1e308)."""
    try:
        return base_lr * gamma**k
    except OverflowError:
        raise ValueError(
            f"gamma={gamma} to the power {k} overflows a float (the learning rate would be infinite): a "
            "growing schedule (gamma > 1) needs fewer steps or a gamma closer to 1"
        ) from None


# ---------------------------------------------------------------------------------------------------------
# the two interpolations every annealing schedule is built from
# ---------------------------------------------------------------------------------------------------------
def _cosine_interp(start: float, end: float, t: float, T: float) -> float:
    """end + (start − end)·(1 + cos(π t / T))/2: ``start`` at t = 0, ``end`` at t = T, periodic beyond."""
    return end + (start - end) * (1.0 + math.cos(math.pi * t / T)) / 2.0


def _linear_interp(start: float, end: float, frac: float) -> float:
    """start + (end − start)·frac: ``start`` at frac = 0, ``end`` at frac = 1."""
    return start + (end - start) * frac


# ---------------------------------------------------------------------------------------------------------
# schedules
# ---------------------------------------------------------------------------------------------------------
def constant(step: int, *, base_lr: float, factor: float = 1.0, total_iters: int = 0) -> float:
    """Constant learning rate, optionally scaled by ``factor`` for the first ``total_iters`` steps.

        η_t = η_0 · factor   for t < total_iters,
        η_t = η_0            for t ≥ total_iters.

    With the defaults (factor = 1) this is simply η_t = η_0. Equals ``torch.optim.lr_scheduler.ConstantLR``
    (whose recursive form multiplies by factor and later by 1/factor: ≤ 1 ulp from this closed form).
    A factor ≠ 1 needs total_iters ≥ 1: with total_iters = 0 the formula never applies it, while torch's
    ConstantLR applies it *forever*, so that combination is refused rather than silently differing.
    """
    step = _check_step(step)
    base_lr = _check_real("base_lr", base_lr, 0.0)
    factor = _check_real("factor", factor, 0.0, 1.0)
    total_iters = _check_int("total_iters", total_iters, 0)
    if total_iters == 0 and factor != 1.0:
        raise ValueError(
            f"total_iters must be >= 1 when factor != 1 (got factor={factor}, total_iters=0): the factor "
            "scales the first total_iters steps, so with 0 it would do nothing (torch's ConstantLR would "
            "instead apply it forever)"
        )
    return base_lr * factor if step < total_iters else base_lr


def step_decay(step: int, *, base_lr: float, step_size: int, gamma: float = 0.1) -> float:
    """Step decay: multiply the rate by γ every ``step_size`` steps.

        η_t = η_0 · γ^⌊t / step_size⌋

    Equals ``torch.optim.lr_scheduler.StepLR``. torch multiplies by γ at each boundary; after k boundaries
    the product differs from γ^k by at most about k ulp (≈ 1e-15 relative for k ≤ 10).
    """
    step = _check_step(step)
    base_lr = _check_real("base_lr", base_lr, 0.0)
    step_size = _check_int("step_size", step_size, 1)
    gamma = _check_real("gamma", gamma, 0.0, open_low=True)
    return _power(gamma, step // step_size, base_lr)


def multistep_decay(step: int, *, base_lr: float, milestones: Sequence[int], gamma: float = 0.1) -> float:
    """Multi-step decay: multiply the rate by γ at each milestone.

        η_t = η_0 · γ^(number of milestones m with m ≤ t)

    ``milestones`` must be strictly increasing non-negative integers, e.g. ``[30, 80]``. Equals
    ``torch.optim.lr_scheduler.MultiStepLR`` (recursive product of γ's: ≤ a few ulp from γ^k).
    """
    step = _check_step(step)
    base_lr = _check_real("base_lr", base_lr, 0.0)
    gamma = _check_real("gamma", gamma, 0.0, open_low=True)
    marks = [_check_int("each milestone", m, 0) for m in milestones]
    if any(b <= a for a, b in pairwise(marks)):
        raise ValueError(f"milestones must be strictly increasing, got {list(milestones)!r}")
    return _power(gamma, bisect_right(marks, step), base_lr)


def exponential_decay(step: int, *, base_lr: float, gamma: float) -> float:
    """Exponential decay: multiply the rate by γ every step.

        η_t = η_0 · γ^t          (γ in (0, 1) decays; γ > 1 grows, as in an LR range test)

    Equals ``torch.optim.lr_scheduler.ExponentialLR``. torch multiplies by γ once per step, so after t
    steps its value carries up to ~t rounding errors: measured ≤ 5e-15 relative up to t = 2000.

    Note: one of the course's source documents calls α·(1 − t/T)^γ "exponential decay". That is a
    *polynomial* in t (see :func:`polynomial_decay`); exponential decay has t in the exponent, as here.
    """
    step = _check_step(step)
    base_lr = _check_real("base_lr", base_lr, 0.0)
    gamma = _check_real("gamma", gamma, 0.0, open_low=True)
    return _power(gamma, step, base_lr)


def polynomial_decay(
    step: int, *, base_lr: float, total_iters: int, power: float = 1.0, eta_min: float = 0.0
) -> float:
    """Polynomial decay from η_0 to η_min over ``total_iters`` steps, then constant.

        η_t = η_min + (η_0 − η_min) · (1 − min(t, T) / T)^p      with T = total_iters, p = power

    p = 1 is a straight line to η_min; p = 2 decays fast first and flattens near the end; p = 0.5 the
    opposite. With η_min = 0 this equals ``torch.optim.lr_scheduler.PolynomialLR(total_iters, power)``
    (recursive ratios ((1 − t/T)/(1 − (t−1)/T))^p: measured ≤ 2e-15 relative, exactly 0 at t ≥ T).

    This is the formula one source document labels "exponential decay" (α(1 − t/T)^γ): it is polynomial
    decay, not exponential decay (:func:`exponential_decay` is η_0·γ^t).
    """
    step = _check_step(step)
    base_lr = _check_real("base_lr", base_lr, 0.0)
    total_iters = _check_int("total_iters", total_iters, 1)
    power = _check_real("power", power, 0.0, open_low=True)
    eta_min = _check_real("eta_min", eta_min, 0.0)
    return eta_min + (base_lr - eta_min) * (1.0 - min(step, total_iters) / total_iters) ** power


def cosine_annealing(
    step: int, *, base_lr: float, T_max: float, eta_min: float = 0.0, hold_at_end: bool = False
) -> float:
    """Cosine annealing (Loshchilov & Hutter's SGDR curve, without restarts).

        η_t = η_min + (η_0 − η_min) · (1 + cos(π t / T_max)) / 2

    η falls from η_0 at t = 0 to η_min at t = T_max along half a cosine wave. Past T_max the formula keeps
    going: the rate climbs back to η_0 at t = 2·T_max, and so on (period 2·T_max). That is what
    ``torch.optim.lr_scheduler.CosineAnnealingLR`` does too, so this default equals it at every step.
    Pass ``hold_at_end=True`` for the variant most people mean: η_t = η_min for all t ≥ T_max.

    torch updates recursively, η_t = η_min + (η_{t−1} − η_min)·(1 + cos(πt/T))/(1 + cos(π(t−1)/T)), and
    resets exactly to η_min at each trough. Measured difference from this closed form: ≤ 7e-15 relative
    during the first period (T_max from 3 to 1000), growing slowly with every further period the
    recursion runs through (5e-14 after 2.5 periods, 3e-13 after 140 periods of T_max = 7).
    """
    step = _check_step(step)
    base_lr = _check_real("base_lr", base_lr, 0.0)
    T_max = _check_real("T_max", T_max, 0.0, open_low=True)
    eta_min = _check_real("eta_min", eta_min, 0.0)
    if hold_at_end and step >= T_max:
        return eta_min
    return _cosine_interp(base_lr, eta_min, step, T_max)


def cosine_warm_restarts(
    step: int, *, base_lr: float, T_0: int, T_mult: int = 1, eta_min: float = 0.0
) -> float:
    """Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter 2017).

    The steps are cut into cycles of lengths T_0, T_0·T_mult, T_0·T_mult², … . Inside cycle i (length T_i),
    with T_cur the number of steps since that cycle began,

        η_t = η_min + (η_0 − η_min) · (1 + cos(π T_cur / T_i)) / 2

    so η restarts at η_0 at the start of every cycle ("warm restart") and anneals towards η_min.
    Equals ``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`` stepped once per step (torch evaluates
    the same closed form, so the values are identical).
    """
    step = _check_step(step)
    base_lr = _check_real("base_lr", base_lr, 0.0)
    T_0 = _check_int("T_0", T_0, 1)
    T_mult = _check_int("T_mult", T_mult, 1)
    eta_min = _check_real("eta_min", eta_min, 0.0)
    if T_mult == 1:
        T_i, T_cur = T_0, step % T_0
    else:  # walk the geometric cycle lengths: only log(step) iterations, exact integer arithmetic
        T_i, T_cur = T_0, step
        while T_cur >= T_i:
            T_cur -= T_i
            T_i *= T_mult
    return _cosine_interp(base_lr, eta_min, T_cur, T_i)


def linear_warmup(
    step: int, *, base_lr: float, warmup_steps: int, start_factor: float = 1.0 / 3, end_factor: float = 1.0
) -> float:
    """Linear warmup: ramp the rate linearly from start_factor·η_0 to end_factor·η_0, then hold it.

        η_t = η_0 · (s + (e − s) · min(t, W) / W)      with s = start_factor, e = end_factor, W = warmup_steps

    Default s = 1/3 as torch's LinearLR; s = 0 (start from zero) is allowed here although torch's LinearLR
    rejects it. Equals ``torch.optim.lr_scheduler.LinearLR(start_factor, end_factor, total_iters=W)``
    (recursive ratios: measured ≤ 4e-16 relative).
    """
    step = _check_step(step)
    base_lr = _check_real("base_lr", base_lr, 0.0)
    warmup_steps = _check_int("warmup_steps", warmup_steps, 1)
    start_factor = _check_real("start_factor", start_factor, 0.0, 1.0)
    end_factor = _check_real("end_factor", end_factor, 0.0, 1.0)
    return base_lr * _linear_interp(start_factor, end_factor, min(step, warmup_steps) / warmup_steps)


def sequential(step: int, *, schedules: Sequence[Callable[[int], float]], milestones: Sequence[int]) -> float:
    """Run several schedules one after the other, each restarting its own step count at its milestone.

        η_t = schedules[k](t − m_k)     where m_0 = 0 < m_1 < … are the milestones and m_k ≤ t < m_{k+1}

    ``schedules`` are one-argument functions of the step, e.g.
    ``functools.partial(cosine_annealing, base_lr=0.1, T_max=90)``; there is one more schedule than
    milestones. Equals ``torch.optim.lr_scheduler.SequentialLR(schedulers, milestones)``.
    """
    step = _check_step(step)
    schedules = list(schedules)
    marks = [_check_int("each milestone", m, 1) for m in milestones]
    if len(schedules) != len(marks) + 1:
        raise ValueError(
            f"sequential needs exactly one more schedule than milestones, got {len(schedules)} schedules "
            f"and {len(marks)} milestones"
        )
    if any(b <= a for a, b in pairwise(marks)):
        raise ValueError(f"milestones must be strictly increasing, got {list(milestones)!r}")
    k = bisect_right(marks, step)
    return schedules[k](step - (marks[k - 1] if k > 0 else 0))


def with_warmup(
    step: int,
    *,
    base_lr: float,
    warmup_steps: int,
    schedule: Callable[..., float],
    start_factor: float = 1.0 / 3,
    **schedule_kw: Any,
) -> float:
    """Linear warmup for ``warmup_steps`` steps, then any other schedule (started from its own step 0).

        η_t = linear_warmup(t)                              for t < W
        η_t = schedule(t − W, base_lr=η_0, **schedule_kw)   for t ≥ W

    Example: ``with_warmup(t, base_lr=0.1, warmup_steps=5, schedule=step_decay, step_size=30, gamma=0.1)``.
    ``schedule`` receives ``base_lr`` (if it takes one) and every extra keyword. Equals
    ``SequentialLR([LinearLR(start_factor, total_iters=W), <scheduler>], milestones=[W])``.
    """
    step = _check_step(step)
    warmup_steps = _check_int("warmup_steps", warmup_steps, 1)
    if step < warmup_steps:
        return linear_warmup(step, base_lr=base_lr, warmup_steps=warmup_steps, start_factor=start_factor)
    if "base_lr" in inspect.signature(schedule).parameters:
        schedule_kw = {"base_lr": base_lr, **schedule_kw}
    return schedule(step - warmup_steps, **schedule_kw)


def warmup_cosine(
    step: int,
    *,
    base_lr: float,
    warmup_steps: int,
    total_steps: int,
    eta_min: float = 0.0,
    start_factor: float = 1.0 / 3,
    hold_at_end: bool = False,
) -> float:
    """The transformer-era default: linear warmup over W steps, then cosine annealing to η_min at
    ``total_steps`` (so the cosine part lasts T_max = total_steps − W steps).

        η_t = linear_warmup(t)                                             for t < W
        η_t = η_min + (η_0 − η_min)(1 + cos(π (t − W) / (total − W))) / 2    for t ≥ W

    As in :func:`cosine_annealing` the curve rises again after ``total_steps`` unless
    ``hold_at_end=True``. Warmup must be shorter than the whole schedule (W < total_steps).
    """
    warmup_steps = _check_int("warmup_steps", warmup_steps, 1)
    total_steps = _check_int("total_steps", total_steps, 2)
    if warmup_steps >= total_steps:
        raise ValueError(
            f"warmup_steps must be < total_steps (the warmup is part of the schedule), got "
            f"warmup_steps={warmup_steps}, total_steps={total_steps}"
        )
    return with_warmup(
        step,
        base_lr=base_lr,
        warmup_steps=warmup_steps,
        start_factor=start_factor,
        schedule=cosine_annealing,
        T_max=total_steps - warmup_steps,
        eta_min=eta_min,
        hold_at_end=hold_at_end,
    )


def one_cycle(
    step: int,
    *,
    max_lr: float,
    total_steps: int,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> float:
    """The 1cycle policy (Smith & Topin 2017), exactly as ``torch.optim.lr_scheduler.OneCycleLR``.

    Three rates: η_start = max_lr / div_factor, η_max = max_lr, η_end = η_start / final_div_factor.
    With T = total_steps and p = pct_start, the rate is annealed (cosine, or linear if
    ``anneal_strategy="linear"``) between corner points placed at steps

        two phases (default, fastai):  η_start at 0  →  η_max at pT−1  →  η_end at T−1
        three phases (the paper):      η_start at 0  →  η_max at pT−1  →  η_start at 2pT−2  →  η_end at T−1

    where inside a phase from step a to step b, with f = (t − a)/(b − a), cosine annealing from u to v is
    v + (u − v)(1 + cos πf)/2 and linear annealing is u + (v − u)f.
    Defined for 0 ≤ t ≤ T: torch lets the scheduler take a final step to t = T (where the last phase is
    extrapolated slightly, f > 1) and raises beyond it; so does this function. The momentum cycling of
    OneCycleLR is not part of the learning rate and is not reproduced here.
    """
    step = _check_step(step)
    max_lr = _check_real("max_lr", max_lr, 0.0, open_low=True)
    total_steps = _check_int("total_steps", total_steps, 2)
    pct_start = _check_real("pct_start", pct_start, 0.0, 1.0)
    anneal_strategy = _check_choice("anneal_strategy", anneal_strategy, ("cos", "linear"))
    div_factor = _check_real("div_factor", div_factor, 0.0, open_low=True)
    final_div_factor = _check_real("final_div_factor", final_div_factor, 0.0, open_low=True)
    if step > total_steps:
        raise ValueError(
            f"step must be <= total_steps for one_cycle (the cycle is over), got step={step}, "
            f"total_steps={total_steps}"
        )
    start_lr = max_lr / div_factor
    end_lr = start_lr / final_div_factor
    peak = pct_start * total_steps - 1.0
    if three_phase:
        corners = [(0.0, start_lr), (peak, max_lr), (2.0 * peak, start_lr), (total_steps - 1.0, end_lr)]
    else:
        corners = [(0.0, start_lr), (peak, max_lr), (total_steps - 1.0, end_lr)]
    if any(b[0] <= a[0] for a, b in pairwise(corners)):
        need = "1/T < pct_start < (T+1)/(2T)" if three_phase else "1/T < pct_start < 1"
        raise ValueError(
            f"pct_start={pct_start} with total_steps={total_steps} leaves a phase of the cycle with no steps "
            f"(every phase needs at least one step): need {need} with T = total_steps"
        )
    # the phase containing t; the last phase also covers t = T (extrapolation, as torch)
    k = next((i for i in range(1, len(corners)) if step <= corners[i][0]), len(corners) - 1)
    (a, u), (b, v) = corners[k - 1], corners[k]
    frac = (step - a) / (b - a)
    if anneal_strategy == "cos":
        return _cosine_interp(u, v, frac, 1.0)
    return _linear_interp(u, v, frac)


def cyclic(
    step: int,
    *,
    base_lr: float,
    max_lr: float,
    step_size_up: int = 2000,
    step_size_down: int | None = None,
    mode: str = "triangular",
    gamma: float = 1.0,
) -> float:
    """Cyclical learning rate (Smith 2017): a triangle wave between base_lr and max_lr.

    One cycle lasts L = step_size_up + step_size_down steps; the rate climbs for step_size_up steps and
    falls for step_size_down. With c = ⌊1 + t/L⌋ the cycle number (1, 2, …), x = 1 + t/L − c ∈ [0, 1) the
    position inside the cycle and r = step_size_up / L,

        h = x / r             if x ≤ r      (climbing)
        h = (x − 1)/(r − 1)   otherwise      (falling)
        η_t = η_base + (η_max − η_base) · h · s

    with the amplitude scale s = 1 ("triangular"), s = 1/2^(c−1) ("triangular2": halve every cycle) or
    s = γ^t ("exp_range"). Equals ``torch.optim.lr_scheduler.CyclicLR`` (which also cycles momentum in
    the opposite direction; that part is not reproduced here).
    """
    step = _check_step(step)
    base_lr = _check_real("base_lr", base_lr, 0.0)
    max_lr = _check_real("max_lr", max_lr, 0.0)
    up = _check_int("step_size_up", step_size_up, 1)
    down = up if step_size_down is None else _check_int("step_size_down", step_size_down, 1)
    mode = _check_choice("mode", mode, ("triangular", "triangular2", "exp_range"))
    gamma = _check_real("gamma", gamma, 0.0, 1.0, open_low=True)
    cycle_len = float(up + down)
    ratio = up / cycle_len
    cycle = math.floor(1 + step / cycle_len)
    x = 1.0 + step / cycle_len - cycle
    height = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
    if mode == "triangular":
        scale = 1.0
    elif mode == "triangular2":
        scale = 1 / (2.0 ** (cycle - 1))
    else:
        scale = gamma**step
    return base_lr + (max_lr - base_lr) * height * scale


# ---------------------------------------------------------------------------------------------------------
# reduce on plateau: the one schedule that needs the metric, so it is a small class
# ---------------------------------------------------------------------------------------------------------
class ReduceLROnPlateau:
    """Cut the learning rate by ``factor`` when a metric stops improving (torch's ReduceLROnPlateau rule).

    After each evaluation call ``lr = sched.step(metric)``. A metric is an *improvement* when

        mode="min", threshold_mode="rel":  metric < best · (1 − threshold)
        mode="min", threshold_mode="abs":  metric < best − threshold
        mode="max", threshold_mode="rel":  metric > best · (1 + threshold)
        mode="max", threshold_mode="abs":  metric > best + threshold

    otherwise it is a *bad* step. When more than ``patience`` bad steps happen in a row,

        η ← max(η · factor, min_lr)      (skipped if it would change η by less than eps)

    and the next ``cooldown`` steps are not counted as bad. This tracks one scalar rate; to drive a torch
    optimizer directly use ``torch.optim.lr_scheduler.ReduceLROnPlateau``, which follows the same rule step
    for step (tested). Unlike torch, a non-finite metric raises ``ValueError`` instead of counting silently
    as a bad step: a NaN loss means training diverged, and lowering the rate will not undo that.
    """

    def __init__(
        self,
        lr: float,
        *,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float = 0.0,
        eps: float = 1e-8,
    ) -> None:
        self.lr = _check_real("lr", lr, 0.0)
        self.mode = _check_choice("mode", mode, ("min", "max"))
        self.factor = _check_real("factor", factor, 0.0, open_low=True)
        if self.factor >= 1.0:
            raise ValueError(
                f"factor must be a finite number in (0, 1) (the rate must go down), got {factor!r}"
            )
        self.patience = _check_int("patience", patience, 0)
        self.threshold = _check_real("threshold", threshold, 0.0)
        self.threshold_mode = _check_choice("threshold_mode", threshold_mode, ("rel", "abs"))
        self.cooldown = _check_int("cooldown", cooldown, 0)
        self.min_lr = _check_real("min_lr", min_lr, 0.0)
        self.eps = _check_real("eps", eps, 0.0)
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self.last_epoch = 0

    def is_improvement(self, metric: float) -> bool:
        """True if ``metric`` beats ``self.best`` by more than the threshold (formulas in the class doc)."""
        if self.mode == "min":
            if self.threshold_mode == "rel":
                return metric < self.best * (1.0 - self.threshold)
            return metric < self.best - self.threshold
        if self.threshold_mode == "rel":
            return metric > self.best * (1.0 + self.threshold)
        return metric > self.best + self.threshold

    def step(self, metric: float) -> float:
        """Record one evaluation of the metric and return the learning rate to use from now on."""
        try:
            value = float(metric)
        except (TypeError, ValueError):
            raise ValueError(f"metric must be a number (e.g. a validation loss), got {metric!r}") from None
        if not math.isfinite(value):
            raise ValueError(
                f"metric must be finite, got {value}; training has probably diverged (a smaller learning "
                f"rate from now on cannot repair parameters that are already non-finite)"
            )
        self.last_epoch += 1
        if self.is_improvement(value):
            self.best = value
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            new_lr = max(self.lr * self.factor, self.min_lr)
            if self.lr - new_lr > self.eps:
                self.lr = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        return self.lr

    def __repr__(self) -> str:
        return (
            f"ReduceLROnPlateau(lr={self.lr:g}, mode={self.mode!r}, factor={self.factor}, "
            f"patience={self.patience}, best={self.best:g}, num_bad_epochs={self.num_bad_epochs})"
        )


# ---------------------------------------------------------------------------------------------------------
# plotting and torch glue
# ---------------------------------------------------------------------------------------------------------
def schedule_values(fn: Callable[..., float], steps: int | Iterable[int], **kw: Any) -> np.ndarray:
    """Evaluate a schedule at many steps, for plotting: ``[fn(t, **kw) for t in steps]`` as float64.

    ``steps`` is either a count n (meaning t = 0, 1, …, n−1: the rates of n optimizer steps) or any
    iterable of non-negative integer steps.
    """
    if isinstance(steps, Integral) and not isinstance(steps, bool):
        ts: Iterable[int] = range(_check_int("steps", steps, 0))
    else:
        ts = steps
    return np.array([fn(t, **kw) for t in ts], dtype=np.float64)


def to_torch(optimizer: Any, fn: Callable[..., float], *, last_epoch: int = -1, **kw: Any) -> Any:
    """A torch LR scheduler that makes ``optimizer`` follow the schedule ``fn``.

    Returns a ``torch.optim.lr_scheduler.LambdaLR`` whose multiplier for each parameter group is
    ``fn(t, **kw) / base_lr_of_that_group``, so after ``t`` calls of ``scheduler.step()`` the group's rate
    is ``fn(t, **kw)``. If ``fn`` takes a ``base_lr`` and you do not pass one, each group's own initial
    ``lr`` is used (so groups with different rates keep their ratio, as with torch's schedulers). Works
    with any subclass of ``torch.optim.Optimizer`` (torch's or gradcourse's). Multiplying back by the base
    rate costs at most 1 ulp against ``fn`` itself.

    ``last_epoch`` is torch's: -1 (the default) starts the schedule at t = 0; a value k ≥ 0 resumes it
    after step k, which needs the ``'initial_lr'`` that a scheduler puts into every parameter group (load
    the old scheduler's ``state_dict`` instead, if you have it).
    """
    from torch.optim.lr_scheduler import LambdaLR

    if not callable(fn):
        raise ValueError(f"fn must be a schedule function such as gradcourse.schedules.cosine_annealing, got {fn!r}")
    if not hasattr(optimizer, "param_groups"):
        raise ValueError(f"optimizer must be a torch-style optimizer (with param_groups), got {optimizer!r}")
    last_epoch = _check_int("last_epoch", last_epoch, -1)
    if last_epoch >= 0 and any("initial_lr" not in g for g in optimizer.param_groups):
        raise ValueError(
            f"last_epoch={last_epoch} resumes a schedule, but the optimizer's param_groups have no 'initial_lr' "
            "(the base rate a scheduler records): start with last_epoch=-1, or load the earlier scheduler's "
            "state_dict into a new to_torch(...) scheduler"
        )
    signature = inspect.signature(fn)
    takes_base = "base_lr" in signature.parameters
    multipliers = []
    for i, group in enumerate(optimizer.param_groups):
        group_lr = float(group.get("initial_lr", group["lr"]))
        if not group_lr > 0:
            raise ValueError(
                f"param_groups[{i}]['lr'] must be > 0 for to_torch (the schedule is applied as a multiple "
                f"of it), got {group_lr}"
            )
        group_kw = dict(kw)
        if takes_base and "base_lr" not in group_kw:
            group_kw["base_lr"] = group_lr
        try:
            signature.bind(0, **group_kw)
        except TypeError as err:
            name = getattr(fn, "__name__", fn)
            raise ValueError(f"to_torch: the arguments given for {name} do not fit it: {err}") from None
        fn(0, **group_kw)  # fail now, with the schedule's own message, rather than inside torch
        multipliers.append(_multiplier(fn, group_kw, group_lr))
    return LambdaLR(optimizer, lr_lambda=multipliers, last_epoch=last_epoch)


def _multiplier(fn: Callable[..., float], kw: dict[str, Any], group_lr: float) -> Callable[[int], float]:
    return lambda t: fn(t, **kw) / group_lr
