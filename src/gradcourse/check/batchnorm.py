"""Check for exercise 3.10: BatchNorm's forward and backward pass, written by hand in numpy.

The truth is torch's ``torch.nn.functional.batch_norm`` (training mode) and its autograd; the student's own
gradients are also put through a finite-difference gradient check (:mod:`gradcourse.nets.gradcheck`), the
tool the exercise teaches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as TF

from gradcourse.check._core import WrongAnswer, as_array, call, compare, passed
from gradcourse.check._i18n import _
from gradcourse.check.answers import unpack
from gradcourse.nets import gradcheck

__all__ = ["batchnorm"]


def _torch_truth(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, dy: np.ndarray, eps: float
                 ) -> tuple[np.ndarray, ...]:
    xt, gt, bt = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (x, gamma, beta))
    y = TF.batch_norm(xt, None, None, weight=gt, bias=bt, training=True, eps=eps)
    dx, dg, db = torch.autograd.grad(y, (xt, gt, bt), grad_outputs=torch.tensor(dy))
    return y.detach().numpy(), dx.numpy(), dg.numpy(), db.numpy()


def _mistakes(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, dy: np.ndarray, eps: float) -> dict[str, Any]:
    N = x.shape[0]
    mu, var = x.mean(axis=0), x.var(axis=0)
    xhat = (x - mu) / np.sqrt(var + eps)
    xhat_unbiased = (x - mu) / np.sqrt(x.var(axis=0, ddof=1) + eps)
    return {
        "y_unbiased": gamma * xhat_unbiased + beta,
        "y_no_eps": gamma * (x - mu) / np.sqrt(var) + beta,
        "dx_constant_stats": dy * gamma / np.sqrt(var + eps),
        "dx_only_mean": (dy - dy.mean(axis=0)) * gamma / np.sqrt(var + eps),
        "dgamma_mean": (dy * xhat).mean(axis=0),
        "dbeta_mean": dy.mean(axis=0),
        "N": N,
    }


def batchnorm(fn: Callable[..., Any]) -> None:
    """Exercise 3.10: ``fn(x, gamma, shift, dy, eps)`` returns (y, dx, dgamma, dshift) of BatchNorm in training
    mode over a batch x of shape (N, features): y = γ·x̂ + b, x̂ = (x − μ_B)/√(σ_B² + ε)."""
    ex = "batchnorm"
    rng = np.random.default_rng(9)
    # (label, x, whether the student's dx is also put through the finite-difference gradient check)
    cases = [(_("a batch of 8 with 3 features"), rng.normal(2.0, 3.0, size=(8, 3)), True),
             (_("a batch of 2 (the smallest BatchNorm accepts)"), rng.normal(size=(2, 4)), False),
             (_("a feature that is constant over the batch"),
              np.column_stack([rng.normal(size=16), np.full(16, 5.0)]), False)]
    for label, x, with_gradcheck in cases:
        F = x.shape[1]
        gamma, beta, dy, eps = rng.normal(1.0, 0.5, F), rng.normal(size=F), rng.normal(size=x.shape), 1e-5
        y_t, dx_t, dg_t, db_t = _torch_truth(x, gamma, beta, dy, eps)
        wrong = _mistakes(x, gamma, beta, dy, eps)
        out = call(ex, fn, x.copy(), gamma.copy(), beta.copy(), dy.copy(), eps)
        y, dx, dgamma, dbeta = unpack(ex, out, ("y", "dx", "dgamma", "dshift"))
        y = as_array(ex, y, name="y", shape=x.shape)
        compare(ex, y, y_t, name="y", case=label, rtol=1e-6, atol=1e-8, diagnoses=[
            (wrong["y_unbiased"], _("BatchNorm normalizes with the BIASED batch variance, (1/N)Σ(x − μ)² (np.var's "
                                    "default); ddof=1 is what it keeps for the running estimate.")),
            (wrong["y_no_eps"], _("ε goes inside the square root: √(σ² + ε) — without it a constant feature "
                                  "divides by zero."))])
        compare(ex, dbeta, db_t, name=_("db (the shift's gradient)"), case=label, diagnoses=[
            (wrong["dbeta_mean"], _("db sums dy over the batch (the shift b is added to every example); the "
                                    "mean is already in the loss, hence in dy."))])
        compare(ex, dgamma, dg_t, name="dγ", case=label, diagnoses=[
            (wrong["dgamma_mean"], _("dγ = Σ_n dy·x̂, a sum over the batch, not a mean."))])
        compare(ex, dx, dx_t, name="dx", case=label, rtol=1e-5, atol=1e-8, diagnoses=[
            (wrong["dx_constant_stats"], _("you treated μ_B and σ_B as constants; both depend on every x in the "
                                           "batch, so dx has a path through each of them as well.")),
            (wrong["dx_only_mean"], _("the path through μ_B is there (− mean(dy)), the one through σ_B² is missing "
                                      "(− x̂·mean(dy·x̂))."))])
        if with_gradcheck:  # the student's dx passes the finite-difference gradient check too
            def loss_and_grad(xx: np.ndarray, gamma: np.ndarray = gamma, beta: np.ndarray = beta,
                              dy: np.ndarray = dy, eps: float = eps) -> tuple[float, np.ndarray]:
                out = call(ex, fn, xx.copy(), gamma.copy(), beta.copy(), dy.copy(), eps)
                yy, ddx, _dgamma, _dshift = unpack(ex, out, ("y", "dx", "dgamma", "dshift"))
                yy = as_array(ex, yy, name="y", shape=xx.shape)
                return float(np.sum(yy * dy)), as_array(ex, ddx, name="dx", shape=xx.shape)

            err = gradcheck.gradient_check(loss_and_grad, x.copy())
            if not err < 1e-5:
                raise WrongAnswer(ex, _("your dx fails the gradient check: largest relative error "
                                        "{error:.2g}.").format(error=err))
    passed(ex, _("your backward pass matches torch's autograd and finite differences: every x in the batch moves "
                 "μ_B and σ_B², so dx loses the mean of dy and its component along x̂."))
