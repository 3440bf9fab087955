"""Checks for part 5 (trends): LARS's trust ratio, a Lion step, the large-batch learning rate, float16.

The truth comes from the library: :func:`gradcourse.optim.building_blocks.trust_ratio`,
:func:`gradcourse.optim.functional.lion_step`, :func:`gradcourse.schedules.linear_warmup`, and torch's
float16 for what survives in half precision.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from gradcourse import schedules
from gradcourse.check._core import as_array, compare, passed
from gradcourse.check._i18n import _
from gradcourse.check.algorithms import library_path
from gradcourse.check.answers import call_or_explain, check_bool, finite_or_explain, grade_table, require_answer, unpack
from gradcourse.optim import building_blocks
from gradcourse.optim import functional as F

__all__ = ["FP16_VALUES", "fp16_prediction", "large_batch_lr", "lars_trust_ratio", "lion_step"]


# --- exercise 5.1: LARS's layer-wise trust ratio ----------------------------------------------------------


def lars_trust_ratio(fn: Callable[..., Any]) -> None:
    """Exercise 5.1: ``fn(theta, grad, *, trust_coefficient, weight_decay)`` returns
    η_trust·‖θ‖/(‖g‖ + λ‖θ‖), and 1 when ‖θ‖ = 0 or the denominator is 0."""
    ex = "lars_trust_ratio"
    rng = np.random.default_rng(7)
    weight = rng.normal(size=(4, 3))
    cases = [
        (_("a 4×3 weight, small gradient, λ = 0"), weight, 0.01 * rng.normal(size=(4, 3)), 1e-3, 0.0),
        (_("the same weight with weight decay λ = 0.05"), weight, 0.01 * rng.normal(size=(4, 3)), 1e-3, 0.05),
        (_("a bias initialised to zero (‖θ‖ = 0)"), np.zeros(3), rng.normal(size=3), 1e-3, 0.0),
        (_("a zero gradient and λ = 0 (‖g‖ + λ‖θ‖ = 0)"), weight, np.zeros((4, 3)), 0.02, 0.0),
    ]
    for case, theta, grad, coef, wd in cases:
        p, g = float(np.linalg.norm(theta)), float(np.linalg.norm(grad))
        expected = building_blocks.trust_ratio(p, g + wd * p, coef)
        zero_case = p == 0 or g + wd * p == 0
        convention = _("when ‖θ‖ = 0 or ‖g‖ + λ‖θ‖ = 0 the ratio is undefined; the convention is 1 (so a bias "
                       "initialised to zero still moves).")
        with np.errstate(all="ignore"):
            got = call_or_explain(ex, fn, theta.copy(), grad.copy(), trust_coefficient=coef, weight_decay=wd,
                                  crash_hint=convention if zero_case else None)
        got = finite_or_explain(ex, got, name=_("the ratio ({case})").format(case=case),
                                hint=convention if zero_case else None)
        diagnoses = [(0.0, convention)] if zero_case else [
            (coef * g / p, _("upside down: the ratio is ‖θ‖ over the gradient's norm — big weights may take big "
                             "steps.")),
            (coef * p / g, _("the weight-decay term is missing from the denominator: ‖g‖ + λ‖θ‖.")),
            (p / (g + wd * p), _("the trust coefficient η_trust is missing: ratio = η_trust·‖θ‖/(‖g‖ + λ‖θ‖).")),
            (coef * p / (g + wd), _("the decay term is λ‖θ‖, not λ.")),
        ]
        compare(ex, got, np.array(expected), name=_("the trust ratio"), case=case, diagnoses=diagnoses)
    return passed(ex, _("every layer's step is now proportional to its own weight norm, whatever its gradient's "
                        "scale."))


# --- exercise 5.2: one Lion step --------------------------------------------------------------------------


def _lion_mistake(theta0: np.ndarray, grads: Sequence[np.ndarray], lr: float, betas: tuple[float, float],
                  wd: float, kind: str) -> list[np.ndarray]:
    b1, b2 = betas
    if kind == "swapped":
        b1, b2 = b2, b1
    theta, m, path = theta0.copy(), np.zeros_like(theta0), []
    for g in grads:
        if kind == "m_first":
            m = b2 * m + (1 - b2) * g
            c = m
        else:
            c = b1 * m + (1 - b1) * g
            m = b2 * m + (1 - b2) * g
        direction = {"no_sign": c, "sign_g": np.sign(g)}.get(kind, np.sign(c))
        if kind == "decay_unscaled":
            theta = theta - lr * direction - wd * theta
        elif kind == "ascent":
            theta = theta + lr * (direction + wd * theta)
        else:
            theta = theta - lr * (direction + wd * theta)
        path.append(theta.copy())
    return path


def _lion_hints() -> dict[str, str]:
    """The likely cause of each typical mistake of a Lion step (built when the check runs, so in the student's
    language)."""
    return {
        "m_first": _("the direction uses the OLD momentum: c = β₁m + (1 − β₁)g first, step with sign(c), and only "
                     "then update m ← β₂m + (1 − β₂)g."),
        "swapped": _("β₁ and β₂ are swapped: β₁ (0.9) mixes the direction c, β₂ (0.99) updates the momentum m."),
        "no_sign": _("Lion steps with sign(c): every coordinate moves by exactly η (or 0), whatever the size of c."),
        "sign_g": _("that is signSGD (sign of the current gradient); Lion takes the sign of c = β₁m + (1 − β₁)g."),
        "decay_unscaled": _("the decoupled weight decay is scaled by η, as in AdamW: θ ← θ − η(sign(c) + λθ)."),
        "ascent": _("the sign: θ ← θ − η(sign(c) + λθ) goes downhill."),
    }


def lion_step(fn: Callable[..., Any]) -> None:
    """Exercise 5.2: ``fn(theta, grad, m, *, lr, betas, weight_decay)`` returns (theta, m), one Lion step."""
    ex = "lion_step"
    hints = _lion_hints()
    rng = np.random.default_rng(8)
    cases = [
        (_("a vector, λ = 0"), rng.normal(size=3), [rng.normal(size=3) for _unused in range(4)], 0.01, (0.9, 0.99),
         0.0),
        (_("a 2×2 weight, λ = 0.1"), rng.normal(size=(2, 2)), [rng.normal(size=(2, 2)) for _unused in range(4)],
         0.02, (0.9, 0.99), 0.1),
        (_("g = 0 at the first step (only the decay acts)"), np.array([1.0, -2.0]),
         [np.zeros(2), np.array([0.5, 0.5])], 0.1, (0.9, 0.99), 0.5),
    ]
    for label, theta0, grads, lr, betas, wd in cases:
        truth = library_path(F.lion_step, theta0, grads, {"lr": lr, "betas": betas, "weight_decay": wd})
        mistakes = {k: _lion_mistake(theta0, grads, lr, betas, wd, k) for k in hints}
        theta, m = theta0.copy(), np.zeros_like(theta0)
        for t, g in enumerate(grads):
            out = call_or_explain(ex, fn, theta.copy(), g.copy(), m.copy(), lr=lr, betas=betas, weight_decay=wd,
                                  crash_hint=None)
            theta, m = unpack(ex, out, ("theta", "m"))
            theta = compare(ex, theta, truth[t], name="θ", case=_("{case}, step {step}").format(case=label, step=t + 1),
                            diagnoses=[(mistakes[k][t], h) for k, h in hints.items()])
            m = as_array(ex, m, name=_("the returned m"), shape=theta0.shape)
    return passed(ex, _("matches gradcourse.optim's Lion: every coordinate moves by ±η (plus the decay)."))


# --- exercise 5.3: linear scaling rule with gradual warmup (Goyal et al. 2017) -----------------------------


def _large_batch_mistake(t: int, base_lr: float, k: float, W: int, kind: str) -> float:
    if kind == "sqrt":
        k = math.sqrt(k)
    if kind == "inverted":
        k = 1.0 / k
    target = base_lr * k
    if kind == "no_warmup" or t >= W:
        return target
    start = 0.0 if kind == "from_zero" else base_lr
    frac = (t + 1) / W if kind == "plus_1" else t / W
    return start + (target - start) * min(frac, 1.0)


def _large_batch_hints() -> dict[str, str]:
    """The likely cause of each typical mistake of the large-batch schedule (built when the check runs, so in the
    student's language)."""
    return {
        "sqrt": _("that is square-root scaling (η·√k); Goyal et al.'s linear scaling rule multiplies by "
                  "k = batch/base_batch."),
        "inverted": _("k = batch/base_batch (a larger batch gets a LARGER rate), not base_batch/batch."),
        "no_warmup": _("the gradual warmup is missing: start at base_lr and ramp linearly to k·base_lr over "
                       "warmup_steps steps."),
        "from_zero": _("Goyal et al.'s warmup starts at the small-batch rate base_lr, not at 0."),
        "plus_1": _("off by one: at step t = 0 the rate is base_lr and it reaches k·base_lr at t = warmup_steps."),
    }


def large_batch_lr(fn: Callable[..., Any]) -> None:
    """Exercise 5.3: ``fn(step, *, base_lr, base_batch, batch, warmup_steps)``: ramp from η to kη over W steps,
    k = batch/base_batch, then hold kη."""
    ex = "large_batch_lr"
    for base_lr, base_batch, batch, W in ((0.1, 256, 8192, 5), (0.05, 128, 1024, 1), (0.1, 256, 256, 3)):
        k = batch / base_batch
        steps = range(W + 6)
        expected = np.array([schedules.linear_warmup(t, base_lr=base_lr * k, warmup_steps=W, start_factor=1 / k)
                             for t in steps])
        got = np.array([float(as_array(ex, call_or_explain(ex, fn, t, base_lr=base_lr, base_batch=base_batch,
                                                           batch=batch, warmup_steps=W, crash_hint=None),
                                       name=_("η at step {step}").format(step=t), shape=())) for t in steps])
        diagnoses = [(np.array([_large_batch_mistake(t, base_lr, k, W, kind) for t in steps]), hint)
                     for kind, hint in _large_batch_hints().items()]
        compare(ex, got, expected, name=_("your η_t for t = 0 … warmup_steps + 5"),
                case=_("base_lr = {base_lr}, batch {base_batch} → {batch} (k = {k:g}), warmup_steps = "
                       "{warmup_steps}").format(base_lr=base_lr, base_batch=base_batch, batch=batch, k=k,
                                                warmup_steps=W),
                diagnoses=diagnoses)
    return passed(ex, _("matches gradcourse.schedules.linear_warmup(base_lr=k·η, start_factor=1/k)."))


# --- exercise 5.4: what survives in float16? --------------------------------------------------------------

#: The gradient values of exercise 5.4 (the last one is 1e-8 after loss scaling by 1024).
FP16_VALUES: dict[str, float] = {"1e-3": 1e-3, "1e-6": 1e-6, "1e-8": 1e-8, "1e-8 × 1024": 1e-8 * 1024}


def fp16_prediction(prediction: Any) -> None:
    """Exercise 5.4: ``prediction[key]`` is True if the value becomes exactly 0 when stored as float16."""
    ex = "fp16_prediction"
    prediction = require_answer(ex, prediction)
    tiny = torch.finfo(torch.float16).tiny  # smallest normal number
    smallest = 2.0**-24  # smallest subnormal number of float16
    truth, explain = {}, {}
    for key, value in FP16_VALUES.items():
        stored = torch.tensor(value, dtype=torch.float16).item()
        truth[key] = stored == 0.0
        kind = _("rounded to zero") if stored == 0 else (
            _("a subnormal number") if stored < tiny else _("a normal number"))
        explain[key] = _("stored as {stored:.4g} ({kind}); float16's smallest positive number is 2⁻²⁴ ≈ "
                         "{smallest:.2g}, its smallest normal one {tiny:.2g}.").format(
                             stored=stored, kind=kind, smallest=smallest, tiny=tiny)
    return grade_table(ex, prediction, truth, name="becomes_zero", read=check_bool, explain=explain,
                       summary=_("gradients below ≈ 3e-8 (2⁻²⁵, half the smallest subnormal) round to 0 in float16; "
                                 "multiplying the loss (so every gradient) "
                                 "by 1024 before backward lifts them into range — that is loss scaling."))
