"""Checks for part 1 (background): σ', the product of per-layer factors, and which deep networks vanish.

The truth comes from the library: :mod:`gradcourse.nets.activations` for σ and σ', torch's autograd for
the chain rule, :func:`gradcourse.nets.mlp` and :func:`gradcourse.diagnostics.grad_norms` for real networks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from gradcourse.check._core import call, compare, passed
from gradcourse.check._i18n import _
from gradcourse.check.answers import check_bool, finite_or_explain, grade_table, require_answer
from gradcourse.nets import activations

__all__ = ["VANISHING_SETTINGS", "chain_gradient", "layer1_to_layer20", "sigmoid_prime", "vanishing_prediction"]


def sigmoid_prime(fn: Callable[[np.ndarray], np.ndarray]) -> None:
    """Exercise 1.1: ``fn(z)`` returns σ'(z) = σ(z)(1 − σ(z)) elementwise, without NaN for large |z|."""
    ex = "sigmoid_prime"
    z = np.array([-4.0, -1.0, 0.0, 0.5, 3.0])
    s = activations.sigmoid(z)
    with np.errstate(all="ignore"):
        got = call(ex, fn, z.copy())
    compare(ex, got, activations.sigmoid_prime(z), name="σ'(z)", case="z = [-4, -1, 0, 0.5, 3]", diagnoses=[
        (z * (1 - z), _("z·(1 − z) is right only if you pass it the OUTPUT s = σ(z) (the source A5's "
                        "sigmoid_derivative(x) = x(1 − x)); here the argument is z: compute s = σ(z) first, "
                        "then s·(1 − s).")),
        (s, _("that is σ(z) itself; its derivative is σ(z)·(1 − σ(z)).")),
        (1 - np.tanh(z) ** 2, _("1 − tanh(z)² is the derivative of tanh, not of the logistic sigmoid.")),
        (1 - s, _("that is 1 − σ(z); multiply it by σ(z).")),
        (-s * (1 - s), _("the sign: σ is increasing, so σ'(z) > 0.")),
    ])
    z_big = np.array([-800.0, -40.0, 40.0, 800.0])
    with np.errstate(all="ignore"):
        got = call(ex, fn, z_big.copy())
    finite_or_explain(ex, got, name=_("σ'(z) for z = [-800, -40, 40, 800]"), hint=_(
        "e^(−z) overflows to inf at z = −800, and inf/inf or inf·0 is NaN. Compute s = 1/(1 + e^(−z)) first "
        "(it is exactly 0 or 1 at the extremes) and return s·(1 − s)."))
    compare(ex, got, activations.sigmoid_prime(z_big), name="σ'(z)", case="z = [-800, -40, 40, 800]", atol=1e-12)
    return passed(ex, _("σ'(0) = 1/4 is its largest value, so a sigmoid layer passes back at most 1/4 of the "
                        "gradient (times its weight)."))


def _chain_truth(x: float, w: np.ndarray, b: np.ndarray) -> float:
    """dh_D/dx for h_l = σ(w_l h_{l−1} + b_l), by torch's autograd (float64)."""
    h0 = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    h = h0
    for wl, bl in zip(w.tolist(), b.tolist(), strict=True):
        h = torch.sigmoid(wl * h + bl)
    (grad,) = torch.autograd.grad(h, h0)
    return grad.item()


def _chain_forward(x: float, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pre-activations z_l and outputs h_l of the one-unit chain (used only to name typical mistakes)."""
    zs, hs, h = [], [], x
    for wl, bl in zip(w, b, strict=True):
        z = wl * h + bl
        h = float(activations.sigmoid(z))
        zs.append(z)
        hs.append(h)
    return np.array(zs), np.array(hs)


def chain_gradient(fn: Callable[[float, np.ndarray, np.ndarray], float]) -> None:
    """Exercise 1.2: ``fn(x, w, b)`` returns dh_D/dx = Π_l w_l σ'(z_l) for a chain of one-unit sigmoid layers."""
    ex = "chain_gradient"
    rng = np.random.default_rng(1)
    cases = [
        (_("x = 0.5, 5 layers with random w, b"), 0.5, rng.normal(0, 2, 5), rng.normal(0, 1, 5), 1e-9),
        (_("x = -1, a single layer"), -1.0, np.array([3.0]), np.array([0.5]), 1e-9),
        (_("x = 0, 30 layers with w = 1, b = 0"), 0.0, np.ones(30), np.zeros(30), 0.0),
    ]
    for case, x, w, b, atol in cases:
        zs, hs = _chain_forward(x, w, b)
        got = call(ex, fn, x, w.copy(), b.copy())
        compare(ex, got, np.array(_chain_truth(x, w, b)), name="dh_D/dx", case=case, atol=atol, diagnoses=[
            (np.prod(activations.sigmoid_prime(zs)), _("you multiplied the σ'(z_l) but left out the weights: "
                                                       "z_l = w_l·h_{l−1} + b_l, so each layer contributes "
                                                       "w_l·σ'(z_l).")),
            (np.prod(w), _("you multiplied the weights but left out σ'(z_l): every sigmoid layer also contributes "
                           "its slope σ'(z_l) ≤ 1/4.")),
            (np.prod(w * activations.sigmoid_prime(hs)), _("σ' must be evaluated at the pre-activation z_l, "
                                                           "not at the output h_l = σ(z_l).")),
            (np.prod(w) * 0.25 ** len(w), _("that is the bound Π w_l·(1/4), reached only if every z_l = 0; "
                                            "use the actual σ'(z_l).")),
            (hs[-1], _("that is the output h_D of the forward pass; the exercise asks for its derivative dh_D/dx.")),
        ])
    return passed(ex, _("with w = 1 and b = 0, thirty layers leave (1/4)^30 ≈ 8.7e-19 of the gradient: depth "
                        "alone makes a sigmoid network's first layers deaf."))


# --- exercise 1.3: which of four 20-layer networks has vanishing gradients? -------------------------------

#: The four networks of exercise 1.3: key -> (activation, init scheme of :mod:`gradcourse.init`).
VANISHING_SETTINGS: dict[str, tuple[str, str]] = {
    "sigmoid + xavier": ("sigmoid", "xavier_uniform"),  # i18n: keep
    "tanh + xavier": ("tanh", "xavier_uniform"),  # i18n: keep
    "relu + torch default": ("relu", "default"),  # i18n: keep
    "relu + he": ("relu", "kaiming_normal"),  # i18n: keep
}


@functools.cache
def layer1_to_layer20(activation: str, init: str, *, batch: int = 256) -> float:
    """‖∂ℓ/∂θ‖ of hidden layer 1 divided by that of hidden layer 20, for ``nets.mlp(64, 10, depth=20,
    width=64, ...)`` on a batch of digits (cross-entropy, seed 0). Cached: the networks are seeded."""
    import torch.nn.functional as F

    from gradcourse import data, diagnostics, nets

    split = data.digits(as_tensors=True)
    model = nets.mlp(64, 10, depth=20, width=64, activation=activation, init=init, seed=0)
    F.cross_entropy(model(split.X_train[:batch]), split.y_train[:batch]).backward()
    norms = diagnostics.grad_norms(model)
    return norms["blocks.0.linear"] / norms["blocks.19.linear"]


def vanishing_prediction(prediction: Any) -> None:
    """Exercise 1.3: ``prediction[key]`` is True if layer 1's gradient is below 1/100 of layer 20's."""
    ex = "vanishing_prediction"
    prediction = require_answer(ex, prediction)
    ratios = {key: layer1_to_layer20(*setting) for key, setting in VANISHING_SETTINGS.items()}
    truth = {key: bool(r < 1e-2) for key, r in ratios.items()}
    why = {
        "sigmoid + xavier": _("σ' ≤ 1/4 at every layer, and Xavier's weights do not make up for it"),  # i18n: keep
        "tanh + xavier": _("tanh' = 1 at 0 and Xavier keeps the signal's variance, so the factors stay "  # i18n: keep
                           "near 1"),
        "relu + torch default": _("torch's default U(±1/√n_in) has variance 1/(3·n_in); ReLU halves the "  # i18n: keep
                                  "signal again, so each layer shrinks it by about √6"),
        "relu + he": _("He's variance 2/n_in makes up exactly for ReLU zeroing half its inputs"),  # i18n: keep
    }
    explain = {k: _("layer 1 / layer 20 = {ratio}; {why}.").format(ratio=f"{ratios[k]:.2g}", why=why[k])
               for k in ratios}
    summary = "; ".join(f"{k}: {r:.2g}" for k, r in ratios.items())
    return grade_table(ex, prediction, truth, name="vanishes", read=check_bool, explain=explain,
                       summary=_("layer 1 / layer 20 — {ratios}").format(ratios=summary))
