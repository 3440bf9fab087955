"""Checks for part 6 (FAQ, claims checked): "exponential" decay, Adam on Reddi's problem, wider networks.

The truth comes from the library: :mod:`gradcourse.schedules`, :func:`gradcourse.data.reddi_online` with
:func:`gradcourse.optim.functional.adam_step`, and :class:`gradcourse.nets.NumpyMLP`.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from gradcourse import data, nets, schedules
from gradcourse.check._core import WrongAnswer, passed
from gradcourse.check._i18n import _
from gradcourse.check.answers import check_bool, check_choice, grade_table, require_answer
from gradcourse.optim import functional as F

__all__ = [
    "DECAY_KINDS",
    "REDDI_SETTINGS",
    "decay_kind",
    "first_to_last_hidden",
    "reddi_final_x",
    "reddi_prediction",
    "wider_prediction",
]

#: The answers exercise 6.1 accepts.
DECAY_KINDS: tuple[str, ...] = ("exponential", "polynomial", "step", "cosine")


def decay_kind(answer: Any) -> None:
    """Exercise 6.1: A1 calls α_t = α(1 − t/T)^γ "exponential decay"; which kind is it really?"""
    ex = "decay_kind"
    answer = require_answer(ex, answer)
    word = check_choice(ex, answer, DECAY_KINDS, "decay_kind")
    alpha, T, gamma = 0.1, 100, 2.0
    steps = np.arange(T + 1)
    documents = alpha * (1 - steps / T) ** gamma  # the formula as printed in A1, evaluated for the comparison
    poly = schedules.schedule_values(schedules.polynomial_decay, steps, base_lr=alpha, total_iters=T, power=gamma)
    evidence = _("with α = {alpha}, T = {T}, γ = {gamma:g} it equals gradcourse.schedules.polynomial_decay"
                 "(power=γ) at every step (largest difference {difference:.1g}) and reaches exactly 0 at t = T; t "
                 "sits in the BASE, raised to a fixed power γ. Exponential decay α·γᵗ has t in the exponent, "
                 "shrinks by the same factor γ every step and never reaches 0.").format(
                     alpha=alpha, T=T, gamma=gamma, difference=np.max(np.abs(documents - poly)))
    if word != "polynomial":
        raise WrongAnswer(ex, _("α(1 − t/T)^γ is not {word} decay: {evidence}").format(word=word, evidence=evidence),
                          _("a polynomial in t: which one?"))
    return passed(ex, evidence)


# --- exercise 6.2: Adam and AMSGrad on the problem of Reddi, Kale & Kumar (2018) ----------------------------

#: Settings of exercise 6.2: key -> (amsgrad, betas). Reddi et al. use β₁ = 0, β₂ = 1/(1 + C²) = 0.1 for C = 3.
REDDI_SETTINGS: dict[str, tuple[bool, tuple[float, float]]] = {
    "adam, betas=(0, 0.1)": (False, (0.0, 0.1)),  # i18n: keep
    "amsgrad, betas=(0, 0.1)": (True, (0.0, 0.1)),  # i18n: keep
    "adam, betas=(0.9, 0.999)": (False, (0.9, 0.999)),  # i18n: keep
}


@functools.cache
def reddi_final_x(amsgrad: bool, betas: tuple[float, float], steps: int = 3000) -> float:
    """x after ``steps`` projected steps of Adam (η_t = 0.1/√t) on Reddi's online problem with C = 3, from x = 0.5."""
    problem = data.reddi_online(3.0)
    x = np.array([0.5])
    state = F.init_state("adam", x, amsgrad=amsgrad)
    for t in range(1, steps + 1):
        F.adam_step(x, problem.grad(x, t), state, lr=0.1 / np.sqrt(t), betas=betas, amsgrad=amsgrad)
        x[:] = problem.project(x)
    return float(x[0])


def reddi_prediction(prediction: Any) -> None:
    """Exercise 6.2: ``prediction[key]`` is True if after 3000 steps x is on the side of the best point x* = −1
    (x < 0), False if it is on the side of the worst point +1."""
    ex = "reddi_prediction"
    prediction = require_answer(ex, prediction)
    finals = {key: reddi_final_x(*setting) for key, setting in REDDI_SETTINGS.items()}
    truth = {key: x < 0 for key, x in finals.items()}
    why = {
        "adam, betas=(0, 0.1)":  # i18n: keep
            _("with β₂ = 0.1, v forgets the rare large gradient C = 3 within a step or two, so the two small "
              "wrong-way gradients −1 get steps as large as the right-way one"),
        "amsgrad, betas=(0, 0.1)":  # i18n: keep
            _("AMSGrad divides by the largest v seen so far, so the rare gradient C keeps the wrong-way steps small"),
        "adam, betas=(0.9, 0.999)":  # i18n: keep
            _("with β₂ = 0.999, v remembers the large gradient for about 1000 steps: the failure needs a short "
              "memory"),
    }
    explain = {k: _("it ends at x = {x:+.3f}; {why}.").format(x=finals[k], why=why[k]) for k in finals}
    return grade_table(ex, prediction, truth, name="finds_the_optimum", read=check_bool, explain=explain,
                       summary="; ".join(f"{k}: x = {x:+.3f}" for k, x in finals.items()))


# --- exercise 6.3: does a wider network fix vanishing gradients (A5's claim)? -------------------------------


@functools.cache
def first_to_last_hidden(width: int, depth: int = 10, batch: int = 200) -> float:
    """‖∂ℓ/∂W_1‖ / ‖∂ℓ/∂W_depth‖ for a sigmoid NumpyMLP with ``depth`` hidden layers of ``width`` units
    (Xavier init, seed 0) on digits, cross-entropy."""
    split = data.digits()
    net = nets.NumpyMLP([64] + [width] * depth + [10], activation="sigmoid", init="xavier_uniform", seed=0)
    _loss, grads, _signals = net.loss_and_grads(split.X_train[:batch].astype(np.float64), split.y_train[:batch],
                                                loss="cross_entropy")
    return float(np.linalg.norm(grads[0][0]) / np.linalg.norm(grads[depth - 1][0]))


def wider_prediction(prediction: Any) -> None:
    """Exercise 6.3: ``prediction`` is True if going from 16 to 128 units per layer brings layer 1's gradient
    within 1/100 of the last hidden layer's."""
    ex = "wider_prediction"
    prediction = require_answer(ex, prediction)
    guess = check_bool(ex, prediction, "wider_fixes_vanishing")
    narrow, wide = first_to_last_hidden(16), first_to_last_hidden(128)
    truth = wide >= 1e-2
    evidence = _("layer 1 / layer 10 is {narrow:.2g} with 16 units and {wide:.2g} with 128. Width does not change "
                 "the per-layer factor: Xavier scales the weights down as the layer gets wider, so each layer still "
                 "multiplies the gradient by about σ'(z)·(gain) < 1 — depth, not width, sets the product.").format(
                     narrow=narrow, wide=wide)
    if guess != truth:
        raise WrongAnswer(ex, _("you predicted {guess}, the experiment says {truth}: {evidence}").format(
                          guess=guess, truth=truth, evidence=evidence),
                          _("read the evidence, then change your prediction where you now see why."))
    return passed(ex, evidence)
