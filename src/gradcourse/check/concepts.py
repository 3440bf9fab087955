"""Checks for part 2 (concepts): one layer's backward pass, the largest stable learning rate, divergence.

The truth comes from the library: :class:`gradcourse.nets.NumpyMLP` (hand-written back-propagation),
:class:`gradcourse.problems.Quadratic` (``max_stable_lr`` = 2/L) and :func:`gradcourse.problems.run` with
:func:`~gradcourse.problems.diverged`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gradcourse import problems
from gradcourse.check._core import WrongAnswer, as_array, call, compare, passed
from gradcourse.check._i18n import _
from gradcourse.check.answers import check_bool, grade_table, require_answer, unpack
from gradcourse.nets import NumpyMLP, activations

__all__ = ["DIVERGENCE_LRS", "DIVERGENCE_START", "dense_backward", "largest_stable_lr", "sharpness", "will_diverge"]


# --- exercise 2.1: backward pass of h = σ(x Wᵀ + b) ---------------------------------------------------------


def _layer_case(n_batch: int, n_in: int, n_out: int, seed: int) -> dict[str, np.ndarray]:
    """A sigmoid layer inside a small NumpyMLP, with its input x, weights, the signal dh = ∂ℓ/∂h reaching it
    from above, and the library's gradients dx, dW, db."""
    rng = np.random.default_rng(seed)
    net = NumpyMLP([4, n_in, n_out, 2], activation="sigmoid", init="xavier_uniform", seed=seed)
    X, y = rng.normal(size=(n_batch, 4)), rng.normal(size=(n_batch, 2))
    _output, cache = net.forward(X)
    _loss, grads, signals = net.loss_and_grads(X, y, loss="mse")
    W, b = net.params[1]
    return {"x": cache.h[1], "W": W, "b": b, "z": cache.z[1], "dh": signals[1],
            "dx": signals[0], "dW": grads[1][0], "db": grads[1][1]}


def dense_backward(fn: Callable[..., Any]) -> None:
    """Exercise 2.1: ``fn(x, W, b, dh)`` returns (dx, dW, db) for h = σ(z), z = x Wᵀ + b (W of shape (out, in))."""
    ex = "dense_backward"
    for n_batch, n_in, n_out, seed in ((5, 4, 3, 0), (6, 3, 3, 1)):
        c = _layer_case(n_batch, n_in, n_out, seed)
        case = _("batch {batch}, W of shape ({n_out}, {n_in})").format(batch=n_batch, n_out=n_out, n_in=n_in)
        x, W, z, dh = c["x"], c["W"], c["z"], c["dh"]
        out = call(ex, fn, x.copy(), W.copy(), c["b"].copy(), dh.copy())
        dx, dW, db = unpack(ex, out, ("dx", "dW", "db"))
        dz = dh * activations.sigmoid_prime(z)
        no_slope = _("you forgot σ'(z): the signal dh must be multiplied by σ'(z) = σ(z)(1 − σ(z)) before it "
                     "reaches W and x (dz = dh ⊙ σ'(z)).")
        slope_of_z = _("σ'(z) = σ(z)(1 − σ(z)), not z(1 − z): x(1 − x) is the derivative only when x is the "
                       "output σ(z).")
        slope_of_h = _("σ' must be evaluated at the pre-activation z = x Wᵀ + b, not at the output h = σ(z).")
        wrong_dz = [(dh, no_slope), (dh * z * (1 - z), slope_of_z),
                    (dh * activations.sigmoid_prime(activations.sigmoid(z)), slope_of_h)]
        square = n_in == n_out  # only then do the transposed mistakes have the right shape to be named
        transposed_dW = [(x.T @ dz, _("dW must have W's shape (out, in): dW = dzᵀ x; you computed xᵀ dz, "
                                      "its transpose."))] if square else []
        transposed_dx = [(dz @ W.T, _("dx = dz W (W has shape (out, in), dz has shape (batch, out)); "
                                      "you used Wᵀ."))] if square else []
        compare(ex, dW, c["dW"], name="dW", case=case,
                diagnoses=[(d.T @ x, why) for d, why in wrong_dz] + transposed_dW)
        compare(ex, db, c["db"], name="db", case=case, diagnoses=[(d.sum(axis=0), why) for d, why in wrong_dz] + [
            (dz.mean(axis=0), _("db is the SUM of dz over the batch: the 1/N of the mean loss is already inside "
                                "dh."))])
        compare(ex, dx, c["dx"], name="dx", case=case, diagnoses=[(d @ W, why) for d, why in wrong_dz] + transposed_dx)
    return passed(ex, _("the σ'(z) ≤ 1/4 in dz = dh ⊙ σ'(z) is the factor that, layer after layer, makes "
                        "gradients vanish."))


# --- exercise 2.2: the largest stable learning rate on a quadratic -----------------------------------------


def largest_stable_lr(fn: Callable[[np.ndarray], float]) -> None:
    """Exercise 2.2: ``fn(H)`` returns 2/L, L the largest eigenvalue of the symmetric matrix H."""
    ex = "largest_stable_lr"
    cases = [problems.Quadratic(20.0, L=4.0), problems.Quadratic(10.0, L=2.5, rotation=0.7),
             problems.Quadratic(1.0, L=3.0)]
    for p in cases:
        H = p.A
        case = "H = " + np.array2string(H, precision=3, separator=", ").replace("\n", "")
        got = call(ex, fn, H.copy())
        compare(ex, got, np.array(p.max_stable_lr), name=_("your η_max"), case=case, diagnoses=[
            (1.0 / p.L, _("1/L is the step that zeroes the steepest direction in one step; gradient descent is "
                          "stable up to twice that, η < 2/L.")),
            (2.0 / p.mu, _("you used the smallest eigenvalue μ; the steepest direction (largest eigenvalue L) is "
                           "the one that blows up first.")),
            (1.0 / p.mu, _("1/μ uses the flattest direction; stability is decided by the steepest one: η < 2/L.")),
            (2.0 / np.trace(H), _("2/trace(H) uses the sum of the eigenvalues; the limit is 2/L with L the "
                                  "largest.")),
            (2.0 / np.max(np.diag(H)), _("the diagonal entries of H are not its eigenvalues once H is rotated: "
                                         "use np.linalg.eigvalsh(H).max().")),
            (p.optimal_lr, _("2/(L + μ) is the best constant step (fastest convergence), not the largest stable "
                             "one.")),
        ])
    p = cases[1]
    x0 = np.array([-2.0, 1.5])
    below = problems.diverged(problems.run(p, "gd", x0, 200, lr=0.95 * p.max_stable_lr))
    above = problems.diverged(problems.run(p, "gd", x0, 200, lr=1.05 * p.max_stable_lr))
    if below and above:
        detail = _("on the rotated quadratic, gradient descent with 0.95·η_max diverges and with 1.05·η_max "
                   "diverges.")
    elif below:
        detail = _("on the rotated quadratic, gradient descent with 0.95·η_max diverges and with 1.05·η_max "
                   "converges.")
    elif above:
        detail = _("on the rotated quadratic, gradient descent with 0.95·η_max converges and with 1.05·η_max "
                   "diverges.")
    else:
        detail = _("on the rotated quadratic, gradient descent with 0.95·η_max converges and with 1.05·η_max "
                   "converges.")
    return passed(ex, detail)


# --- exercise 2.3: predict which learning rates diverge on the ellipse --------------------------------------

#: Learning rates of exercise 2.3, on :data:`gradcourse.problems.ELLIPSE` (L = 4, so 2/L = 0.5).
DIVERGENCE_LRS: tuple[float, ...] = (0.1, 0.45, 0.55)
#: Starting point of exercise 2.3.
DIVERGENCE_START: tuple[float, float] = (-5.0, -2.0)


def will_diverge(prediction: Any) -> None:
    """Exercise 2.3: ``prediction[lr]`` is True if 100 steps of gradient descent on ELLIPSE diverge."""
    ex = "will_diverge"
    prediction = require_answer(ex, prediction)
    p = problems.ELLIPSE
    truth, explain = {}, {}
    for lr in DIVERGENCE_LRS:
        path = problems.run(p, "gd", DIVERGENCE_START, 100, lr=lr)
        truth[lr] = problems.diverged(path)
        end = np.linalg.norm(path[-1]) if np.all(np.isfinite(path[-1])) else float("inf")
        if lr * p.L > 2:
            template = _("η·L = {eta_L:.2g} is above 2, so the steep direction is multiplied by 1 − ηL = "
                         "{factor:.2g} each step; after 100 steps ‖θ‖ = {norm:.3g} (it started at {start:.3g}).")
        else:
            template = _("η·L = {eta_L:.2g} is below 2, so the steep direction is multiplied by 1 − ηL = "
                         "{factor:.2g} each step; after 100 steps ‖θ‖ = {norm:.3g} (it started at {start:.3g}).")
        explain[lr] = template.format(eta_L=lr * p.L, factor=1 - lr * p.L, norm=end,
                                      start=np.linalg.norm(DIVERGENCE_START))
    return grade_table(ex, prediction, truth, name="will_diverge", read=check_bool, explain=explain,
                       summary=_("η < 2/L = {limit:g} converges, η > 2/L diverges — whatever the flat direction "
                                 "does.").format(limit=2 / p.L))


# --- exercise 2.6: sharpness by power iteration on Hessian-vector products -------------------------------


def _sharpness_cases() -> list[tuple[str, Callable[[np.ndarray], np.ndarray], int, float]]:
    """(label, hvp, dim, λ_max) for a rotated quadratic, a random PSD matrix, and the least-squares loss of a
    linear model on the digits (its Hessian-vector product by torch's double backward)."""
    import torch

    from gradcourse import data

    rng = np.random.default_rng(12)
    q, _r = np.linalg.qr(rng.normal(size=(30, 30)))
    A = q @ np.diag(np.linspace(0.1, 3.0, 30) ** 2) @ q.T
    quad = problems.Quadratic(25.0, L=5.0, rotation=0.4)
    X = torch.as_tensor(data.digits().X_train[:200], dtype=torch.float64)
    w0 = torch.zeros(64, dtype=torch.float64)

    def digits_hvp(v: np.ndarray) -> np.ndarray:
        w = w0.clone().requires_grad_(True)
        loss = 0.5 * ((X @ w - 1.0) ** 2).mean()
        (g,) = torch.autograd.grad(loss, w, create_graph=True)
        (hv,) = torch.autograd.grad(g @ torch.as_tensor(v, dtype=torch.float64), w)
        return hv.numpy()

    H_digits = (X.T @ X / len(X)).numpy()
    return [
        (_("a 2-D quadratic with L = {L:g}, κ = 25").format(L=quad.L), lambda v: quad.A @ v, 2, float(quad.L)),
        (_("a random 30×30 positive definite matrix"), lambda v: A @ v, 30, float(np.linalg.eigvalsh(A).max())),
        (_("the least-squares loss of a linear model on 200 digits"), digits_hvp, 64,
         float(np.linalg.eigvalsh(H_digits).max())),
    ]


def sharpness(fn: Callable[..., Any]) -> None:
    """Exercise 2.6: ``fn(hvp, dim, iters, rng)`` returns λ_max of H using only Hessian-vector products."""
    ex = "sharpness"
    for label, hvp, dim, truth in _sharpness_cases():
        calls = [0]

        def counted(v: np.ndarray, hvp: Callable[[np.ndarray], np.ndarray] = hvp, calls: list[int] = calls
                    ) -> np.ndarray:
            calls[0] += 1
            return hvp(np.asarray(v, dtype=float))

        got = call(ex, fn, counted, dim, 150, np.random.default_rng(0))
        value = float(as_array(ex, got, name=_("your λ_max"), shape=()))
        if calls[0] == 0:
            raise WrongAnswer(ex, _("your function never called hvp ({case}).").format(case=label),
                              _("the point is to use only Hv."))
        hint = None
        if abs(value) > 10 * truth:
            hint = _("without normalizing v after each product it grows like λ_max^k; divide by ‖Hv‖ every step.")
        elif value < 0:
            hint = _("λ_max of a positive definite H is positive: vᵀHv/vᵀv, not −vᵀHv or a difference.")
        elif abs(value - truth) > 1e-2 * truth and abs(value * dim - truth) < 0.5 * truth:
            hint = _("vᵀHv is λ only for a unit vector v: divide by vᵀv (or normalize v).")
        compare(ex, value, np.array(truth), name=_("your λ_max"), case=label, rtol=1e-3,
                diagnoses=[] if hint is None else [(np.array(value), hint)])
    passed(ex, _("power iteration needs only Hv: a network's sharpness costs a few hundred backward passes, never "
                 "the n×n Hessian. GD is stable while η < 2/λ_max."))
