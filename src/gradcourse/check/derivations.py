"""Checks for the *derive* exercises: the student writes a closed-form result as a function of the symbols,
and the check measures the same quantity with the course library and compares.

No formula is stored here as the answer: each truth is measured (a run of the library's optimizer, a
simulated mini-batch, a deep network's forward pass, torch's autograd). What this module writes out are the
*wrong* formulas students typically derive, so that a wrong answer can be named.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import torch

from gradcourse import init, problems
from gradcourse.check._core import WrongAnswer, as_array, call, compare, passed
from gradcourse.check._i18n import _
from gradcourse.check.answers import unpack
from gradcourse.optim import functional as F

__all__ = [
    "adam_bias_factor",
    "attention_scale",
    "combine_shard_gradients",
    "heavy_ball_max_lr",
    "he_variance",
    "minibatch_variance",
    "optimal_lr",
    "residual_gain",
    "sgd_noise_floor",
    "steps_to_shrink",
]

Mistakes = Mapping[str, Callable[..., float]]


def _formula(ex: str, fn: Callable[..., Any], cases: Iterable[dict[str, Any]], measure: Callable[..., float],
             mistakes: Mistakes, *, name: str, rtol: float) -> None:
    """Compare ``fn(**case)`` with the measured ``measure(**case)`` for every case; name a known mistake."""
    for case in cases:
        got = call(ex, fn, **case)
        truth = measure(**case)
        with np.errstate(all="ignore"):
            diagnoses = [(np.array(float(wrong(**case))), hint) for hint, wrong in mistakes.items()]
        shown = ", ".join(f"{k} = {v:g}" for k, v in case.items())
        compare(ex, got, np.array(truth), name=name,
                case=_("{values}; measured {measured:.4g}").format(values=shown, measured=truth), rtol=rtol,
                atol=1e-12, diagnoses=diagnoses)


# --- 2.2: how fast a linear RNN's gradient shrinks ------------------------------------------------------


def _measured_steps(rho: float, factor: float) -> float:
    """The first T with ‖(Wᵀ)ᵀ‖₂ ≤ 1/factor, for a symmetric 8×8 W of spectral radius ρ (seeded)."""
    rng = np.random.default_rng(11)
    q, _unused = np.linalg.qr(rng.normal(size=(8, 8)))
    W = q @ np.diag(rho * np.linspace(-1.0, 1.0, 8) ** 3) @ q.T
    gain, T = np.eye(8), 0
    while np.linalg.norm(gain, 2) > 1.0 / factor:
        gain, T = W.T @ gain, T + 1
    return float(T)


def steps_to_shrink(fn: Callable[..., Any]) -> None:
    """Exercise 2.4: ``fn(rho, factor)`` = the fewest steps T after which backpropagation through a linear RNN
    with a symmetric recurrent matrix of spectral radius ρ < 1 has shrunk the gradient by ``factor``."""
    ex = "steps_to_shrink"
    cases = [dict(rho=0.9, factor=1e3), dict(rho=0.5, factor=1e6), dict(rho=0.99, factor=10.0),
             dict(rho=0.7, factor=100.0)]
    _formula(ex, fn, cases, _measured_steps, {
        _("T is an integer: the first T with ρᵀ ≤ 1/factor, i.e. ⌈ln(factor)/ln(1/ρ)⌉ — round up."):
            lambda rho, factor: math.log(factor) / math.log(1 / rho),
        _("ln(1/ρ) ≈ 1 − ρ only for ρ near 1; keep the logarithm."):
            lambda rho, factor: math.ceil(math.log(factor) / (1 - rho)),
        _("the sign: ln ρ < 0 for ρ < 1, so divide by ln(1/ρ) = −ln ρ."):
            lambda rho, factor: math.ceil(math.log(factor) / math.log(rho)),
    }, name=_("your T"), rtol=1e-9)
    passed(ex, _("each step multiplies the gradient by Wᵀ, so after T steps its size is at most ρᵀ times what it "
                 "was: T = ⌈ln(factor)/ln(1/ρ)⌉ — and with ρ = 0.99 ten steps barely register, while 0.5 kills it "
                 "in 20."))


# --- 2.3 and 3.6: the best constant step on a quadratic, and its rate --------------------------------------


def _measured_rate(L: float, mu: float, lr: float, steps: int = 200) -> float:
    """Per-step contraction of the library's gradient descent on diag(μ, L), from (1, 1): the ratio
    (‖θ_T‖/‖θ_{T−50}‖)^(1/50) once the faster direction has died out."""
    problem = problems.Quadratic(L / mu, L=L)
    path = problems.run(problem, "gd", np.array([1.0, 1.0]), steps, lr=lr)
    return float((np.linalg.norm(path[-1]) / np.linalg.norm(path[-51])) ** (1.0 / 50))


def optimal_lr(fn: Callable[..., Any]) -> None:
    """Exercise 2.5: ``fn(L, mu)`` returns (η*, ρ*): the constant step that makes gradient descent on a quadratic
    with curvatures in [μ, L] converge fastest, and the factor ρ* by which the error shrinks per step."""
    ex = "optimal_lr"
    for L, mu in ((4.0, 1.0), (10.0, 0.1), (1.0, 0.5)):
        kappa = L / mu
        eta, rate = unpack(ex, call(ex, fn, L=L, mu=mu), ("eta_star", "rate"))
        eta = float(as_array(ex, eta, name="η*", shape=()))
        rate = float(as_array(ex, rate, name="ρ*", shape=()))
        case = f"L = {L:g}, μ = {mu:g} (κ = {kappa:g})"
        if not 0 < eta < 2 / L:
            raise WrongAnswer(ex, _("η* = {eta:.4g} ({case}) is not a convergent step: gradient descent needs "
                                    "0 < η < 2/L = {limit:.4g}.").format(eta=eta, case=case, limit=2 / L),
                              _("η* balances the steepest direction (|1 − ηL|) against the flattest (|1 − ημ|)."))
        measured = {e: _measured_rate(L, mu, e) for e in (eta, 0.97 * eta, 1.03 * eta)}
        if min(measured[0.97 * eta], measured[1.03 * eta]) < measured[eta] - 1e-9:
            hint = {round(1 / L, 12): _("1/L zeroes the steepest direction but leaves the flat one at 1 − μ/L; a "
                                        "larger step helps the flat direction until both shrink equally fast."),
                    round(1 / mu, 12): _("1/μ is too large for the steep direction.")}.get(round(eta, 12))
            better = min(measured, key=measured.get)
            raise WrongAnswer(ex, _("η* = {eta:.4g} ({case}) is not the fastest: η = {better:.4g} contracts by "
                                    "{better_rate:.4f} per step, yours by {your_rate:.4f}.").format(
                                  eta=eta, case=case, better=better, better_rate=measured[better],
                                  your_rate=measured[eta]),
                              hint or _("at the best step the two directions shrink equally fast: "
                                        "|1 − ηL| = |1 − ημ|."))
        compare(ex, rate, np.array(measured[eta]), name="ρ*",
                case=_("{case}; measured with your η*").format(case=case), rtol=1e-3,
                diagnoses=[(1 - 1 / kappa, _("1 − 1/κ is the rate at η = 1/L; at η* both directions shrink by "
                                             "|1 − η*μ| = (κ − 1)/(κ + 1).")),
                           ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1), _("(√κ − 1)/(√κ + 1) is what "
                            "momentum achieves (3.3); plain gradient descent is slower: (κ − 1)/(κ + 1).")),
                           (((kappa - 1) / (kappa + 1)) ** 2, _("that is the factor for two steps (or for f − f*); "
                            "per step the error shrinks by (κ − 1)/(κ + 1)."))])
    passed(ex, _("η* = 2/(L + μ) makes the steepest and the flattest direction shrink equally, by (κ − 1)/(κ + 1) "
                 "per step: with κ = 100 that is 0.98, about 115 steps per factor 10 — which is why preconditioning "
                 "(3.6) attacks κ itself."))


# --- 3.1: the variance of a mini-batch gradient ---------------------------------------------------------


def _measured_minibatch_variance(sigma2: float, B: int, N: int) -> float:
    """Exact variance of the mean of B of N numbers drawn without replacement (every subset enumerated), the N
    numbers having population variance ``sigma2``."""
    values = np.linspace(-1.0, 1.0, N) ** 3
    values = (values - values.mean()) / values.std() * math.sqrt(sigma2)
    means = [np.mean(values[list(c)]) for c in itertools.combinations(range(N), B)]
    return float(np.var(means))


def minibatch_variance(fn: Callable[..., Any]) -> None:
    """Exercise 3.1: ``fn(sigma2, B, N)`` = the variance of a mini-batch gradient: the mean of B of the N
    per-example gradients, drawn without replacement, when those have population variance σ²."""
    ex = "minibatch_variance"
    cases = [dict(sigma2=1.0, B=1, N=8), dict(sigma2=2.0, B=3, N=10), dict(sigma2=0.5, B=8, N=8),
             dict(sigma2=4.0, B=5, N=12)]
    _formula(ex, fn, cases, _measured_minibatch_variance, {
        _("σ²/B is right when examples are drawn WITH replacement; without replacement a batch of all N examples "
          "has no noise at all: multiply by (N − B)/(N − 1)."): lambda sigma2, B, N: sigma2 / B,
        _("the finite-population factor is (N − B)/(N − 1), not (N − B)/N (check B = 1: the variance must be σ²)."):
            lambda sigma2, B, N: sigma2 / B * (N - B) / N,
        _("the standard deviation falls as 1/√B, the variance as 1/B."): lambda sigma2, B, N: sigma2 / math.sqrt(B),
    }, name=_("your variance"), rtol=1e-6)
    passed(ex, _("Var = (σ²/B)·(N − B)/(N − 1): noise falls as 1/B, and vanishes at B = N (full-batch gradient "
                 "descent has none)."))


# --- 3.2: SGD's noise floor -------------------------------------------------------------------------------


def _measured_floor(lr: float, lam: float, sigma2: float) -> float:
    """Mean of ℓ = ½λθ² over 20,000 independent chains of the library's SGD with noisy gradients λθ + ξ,
    ξ ~ N(0, σ²), averaged over steps 300–700 (long after the start, which is θ = 0)."""
    rng = np.random.default_rng(7)
    theta, state, losses = np.zeros(20_000), {}, []
    for t in range(700):
        F.sgd_step(theta, lam * theta + rng.normal(0.0, math.sqrt(sigma2), theta.shape), state, lr=lr)
        if t >= 300:
            losses.append(0.5 * lam * float(np.mean(theta**2)))
    return float(np.mean(losses))


def sgd_noise_floor(fn: Callable[..., Any]) -> None:
    """Exercise 3.2: ``fn(lr, lam, sigma2)`` = the expected loss E[ℓ] that SGD settles at on ℓ(θ) = ½λθ² when
    each gradient carries independent noise of variance σ_g²."""
    ex = "sgd_noise_floor"
    cases = [dict(lr=0.1, lam=1.0, sigma2=1.0), dict(lr=0.5, lam=2.0, sigma2=0.5), dict(lr=0.05, lam=10.0, sigma2=2.0)]
    _formula(ex, fn, cases, _measured_floor, {
        _("ησ²/4 is the small-η limit (ηλ ≪ 1); keep the exact stationary variance ησ²/(λ(2 − ηλ))."):
            lambda lr, lam, sigma2: lr * sigma2 / 4,
        _("that is the variance of θ; the loss is ½λ·Var(θ)."):
            lambda lr, lam, sigma2: lr * sigma2 / (lam * (2 - lr * lam)),
        _("the loss is ½λθ², so E[ℓ] = ½λ·Var(θ): you dropped the ½."):
            lambda lr, lam, sigma2: lr * sigma2 / (2 - lr * lam),
        _("the noise enters θ multiplied by η, so its variance by η²: Var(θ) = η²σ²/(1 − (1 − ηλ)²)."):
            lambda lr, lam, sigma2: sigma2 / (2 * (2 - lr * lam)),
    }, name=_("your E[ℓ]"), rtol=0.05)
    passed(ex, _("E[ℓ] = ησ²/(2(2 − ηλ)) ≈ ησ²/4: the floor is proportional to η — the reason to decay η (3.7) or "
                 "to grow B (3.1) late in training."))


# --- 3.3: the heavy ball's stability region -----------------------------------------------------------------


def _converges(lam: float, beta: float, lr: float, steps: int = 3000) -> bool:
    """Whether the library's SGD with momentum (torch's form, = the heavy ball at constant η) shrinks on ½λθ²."""
    theta, state, early = np.array([1.0]), {}, 0.0
    for t in range(steps):
        F.sgd_step(theta, lam * theta, state, lr=lr, momentum=beta)
        if not np.isfinite(theta[0]) or abs(theta[0]) > 1e12:
            return False
        if 200 <= t < 400:
            early = max(early, abs(theta[0]))
    return abs(theta[0]) < early


def _measured_max_lr(lam: float, beta: float) -> float:
    """The largest stable η, found by bisection on runs of the library's momentum."""
    low, high = 0.0, 4.0 / lam  # 2(1 + β)/λ < 4/λ for every β < 1
    for _unused in range(16):
        mid = (low + high) / 2
        low, high = (mid, high) if _converges(lam, beta, mid) else (low, mid)
    return low


def heavy_ball_max_lr(fn: Callable[..., Any]) -> None:
    """Exercise 3.3: ``fn(lam, beta)`` = the largest η for which the heavy ball (SGD with momentum β) converges
    on ℓ(θ) = ½λθ²."""
    ex = "heavy_ball_max_lr"
    mistakes: Mistakes = {
        _("2/λ is plain gradient descent's limit; momentum widens it: the characteristic root −1 appears at "
          "ηλ = 2(1 + β)."): lambda lam, beta: 2 / lam,
        _("momentum WIDENS the stable range: 2(1 + β)/λ, not 2(1 − β)/λ."): lambda lam, beta: 2 * (1 - beta) / lam,
        _("2/((1 − β)λ) is where the effective step η/(1 − β) reaches 2/λ; the real limit comes from the root −1 "
          "of z² − (1 + β − ηλ)z + β."): lambda lam, beta: 2 / ((1 - beta) * lam),
        _("you lost the factor 2: ηλ < 2(1 + β)."): lambda lam, beta: (1 + beta) / lam,
    }
    for case in (dict(lam=1.0, beta=0.9), dict(lam=4.0, beta=0.5), dict(lam=2.0, beta=0.0)):
        got = float(as_array(ex, call(ex, fn, **case), name=_("your η_max"), shape=()))
        # Quick test first: the library's momentum must converge just below your η_max and diverge just above.
        if got > 0 and _converges(case["lam"], case["beta"], 0.98 * got) and not _converges(
                case["lam"], case["beta"], 1.02 * got):
            continue
        _formula(ex, lambda got=got, **kw: got, [case], _measured_max_lr, mistakes, name=_("your η_max"),
                 rtol=0.01)
    passed(ex, _("η < 2(1 + β)/λ: with β = 0.9 the heavy ball is stable up to 3.8/λ, almost twice GD's 2/λ — "
                 "momentum is not only faster, it tolerates larger steps."))


# --- 3.5: Adam's bias-correction factor ---------------------------------------------------------------------


def _measured_bias(beta1: float, t: int) -> float:
    theta, state = np.zeros(1), {}
    for _unused in range(t):
        F.adam_step(theta, np.ones(1), state, lr=1e-3, betas=(beta1, 0.999), eps=1e-8)
    return float(state["exp_avg"][0])


def adam_bias_factor(fn: Callable[..., Any]) -> None:
    """Exercise 3.5: ``fn(beta1, t)`` = c_t in m_t = c_t·g, when every gradient so far was g and m_0 = 0."""
    ex = "adam_bias_factor"
    cases = [dict(beta1=0.9, t=1), dict(beta1=0.9, t=10), dict(beta1=0.5, t=3), dict(beta1=0.99, t=50)]
    _formula(ex, fn, cases, _measured_bias, {
        _("β₁ᵗ is the weight still on m_0 = 0; the weights on the gradients add up to 1 − β₁ᵗ."):
            lambda beta1, t: beta1**t,
        _("1/(1 − β₁ᵗ) is the CORRECTION Adam multiplies by; the factor it undoes is 1 − β₁ᵗ."):
            lambda beta1, t: 1 / (1 - beta1**t),
        _("off by one: after t gradients the geometric sum (1 − β₁)(1 + β₁ + … + β₁ᵗ⁻¹) has t terms."):
            lambda beta1, t: 1 - beta1 ** (t + 1),
    }, name=_("your c_t"), rtol=1e-9)
    passed(ex, _("m_t = (1 − β₁ᵗ)·g: at t = 1 with β₁ = 0.9 the average is only 0.1·g, so Adam divides by 1 − β₁ᵗ "
                 "(and v by 1 − β₂ᵗ, where β₂ = 0.999 makes it 0.001 at first)."))


# --- 3.9: He's variance from the variance recursion --------------------------------------------------------


def _second_moment_gain(var_w: float, n_in: int, depth: int = 30) -> float:
    """Per-layer factor of E[z²] in a deep ReLU network with W ~ N(0, var_w), measured over ``depth`` layers."""
    gen = torch.Generator().manual_seed(3)
    h = torch.randn(2048, n_in, generator=gen, dtype=torch.float64)
    z = h
    first = None
    for _unused in range(depth):
        W = torch.randn(n_in, n_in, generator=gen, dtype=torch.float64) * math.sqrt(var_w)
        z = torch.relu(z) @ W.T
        first = float(z.pow(2).mean()) if first is None else first
    return (float(z.pow(2).mean()) / first) ** (1.0 / (depth - 1))


def he_variance(fn: Callable[..., Any]) -> None:
    """Exercise 3.9: ``fn(n_in)`` = the weight variance that keeps E[z²] constant from layer to layer of a deep
    ReLU network (z^(l) = W^(l) φ(z^(l−1)), zero-mean symmetric z)."""
    ex = "he_variance"
    gain = init.calculate_gain("relu")
    for n_in in (64, 256, 100):
        got = float(as_array(ex, call(ex, fn, n_in=n_in), name=_("your Var(W)"), shape=()))
        expected = init.kaiming_std(n_in, gain) ** 2
        if not math.isclose(got, expected, rel_tol=1e-9):
            measured = _second_moment_gain(got, n_in) if 0 < got < 1 else float("nan")
            if np.isfinite(measured):
                effect = _("measured in a 30-layer ReLU network of width {width}, your Var(W) multiplies E[z²] by "
                           "{per_layer:.3g} per layer ({total:.2g} after 30 layers)").format(
                               width=n_in, per_layer=measured, total=measured**30)
            else:
                effect = _("that is not a usable variance")
            compare(ex, got, np.array(expected), name=_("your Var(W)"),
                    case=_("n_in = {n_in}; {effect}").format(n_in=n_in, effect=effect), rtol=1e-9,
                    diagnoses=[
                        (1 / n_in, _("1/n_in is LeCun's: right for a linear or tanh network, but ReLU zeroes half "
                                     "of its inputs, E[φ(z)²] = ½E[z²], so the weights must make up a factor 2.")),
                        (math.sqrt(2 / n_in), _("that is the standard deviation; the question asks for the "
                                                "variance.")),
                        (4 / n_in, _("E[φ(z)²] = ½E[z²] for a symmetric z: the factor is 2, not 4.")),
                    ])
    measured = _second_moment_gain(init.kaiming_std(256, gain) ** 2, 256)
    passed(ex, _("Var(z^(l)) = n_in·Var(W)·½Var(z^(l−1)) is constant when Var(W) = 2/n_in; measured over 30 ReLU "
                 "layers of width 256, E[z²] changes by a factor {factor:.3f} per layer.").format(factor=measured))


# --- 3.11: the gradient through residual blocks -------------------------------------------------------------


def _measured_gains(a: float, D: int) -> tuple[float, float]:
    """∂h_D/∂h_0 for D plain blocks h ← a·h and D residual blocks h ← h + a·h, by torch's autograd."""
    out = []
    for residual in (False, True):
        h0 = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
        h = h0
        for _unused in range(D):
            h = h + a * h if residual else a * h
        (grad,) = torch.autograd.grad(h, h0)
        out.append(float(grad))
    return out[0], out[1]


def residual_gain(fn: Callable[..., Any]) -> None:
    """Exercise 3.11: ``fn(a, D)`` returns (plain, residual): ∂h_D/∂h_0 through D blocks h ← a·h, and through D
    residual blocks h ← h + a·h."""
    ex = "residual_gain"
    for a, D in ((0.5, 10), (0.1, 20), (-0.3, 7), (1.5, 4)):
        plain, residual = unpack(ex, call(ex, fn, a=a, D=D), ("plain", "residual"))
        truth = _measured_gains(a, D)
        case = f"a = {a:g}, D = {D}"
        compare(ex, plain, np.array(truth[0]), name="plain", case=case, rtol=1e-9, diagnoses=[
            (a * D, _("the chain rule MULTIPLIES the per-block derivatives: a·a·…·a = a^D, not a sum."))])
        compare(ex, residual, np.array(truth[1]), name="residual", case=case, rtol=1e-9, diagnoses=[
            (1 + a**D, _("each residual block's derivative is 1 + a, and D of them multiply: (1 + a)^D, not "
                         "1 + a^D (that would be ONE skip connection around the whole stack).")),
            (1 + a * D, _("1 + aD is only the first-order term of (1 + a)^D.")),
        ])
    passed(ex, _("plain blocks give a^D (0.1^20 = 1e-20: gone), residual blocks (1 + a)^D: the identity path keeps "
                 "a gradient of at least order 1 when the branches are small — why residual networks train at "
                 "depth."))


# --- 5.2: combining gradients from workers ------------------------------------------------------------------


def combine_shard_gradients(fn: Callable[..., Any]) -> None:
    """Exercise 5.5: ``fn(grads, sizes)`` combines each worker's mean gradient over its shard of ``sizes[k]``
    examples into the gradient of the mean loss over all the examples."""
    ex = "combine_shard_gradients"
    rng = np.random.default_rng(8)
    X, y, w = rng.normal(size=(23, 3)), rng.normal(size=23), rng.normal(size=3)
    for sizes in ((8, 8, 7), (20, 2, 1), (23,), (6, 6, 6, 5)):
        bounds = np.cumsum((0,) + sizes)
        shards = []
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            wt = torch.tensor(w, requires_grad=True)
            loss = ((torch.tensor(X[lo:hi]) @ wt - torch.tensor(y[lo:hi])) ** 2).mean()
            (g,) = torch.autograd.grad(loss, wt)
            shards.append(g.numpy())
        wt = torch.tensor(w, requires_grad=True)
        (full,) = torch.autograd.grad(((torch.tensor(X) @ wt - torch.tensor(y)) ** 2).mean(), wt)
        got = call(ex, fn, [g.copy() for g in shards], list(sizes))
        compare(ex, got, full.numpy(), name=_("the combined gradient"),
                case=_("shards of {sizes} examples").format(sizes=sizes), rtol=1e-9,
                diagnoses=[
                    (np.mean(shards, axis=0), _("the plain mean of the workers' gradients (what "
                     "DistributedDataParallel's all-reduce averages) equals the full gradient only when every "
                     "shard has the same size; weight each by its number of examples n_k/N.")),
                    (np.sum(shards, axis=0), _("each worker's gradient is already a mean over its shard; summing "
                     "them counts each shard's mean once regardless of its size.")),
                ])
    passed(ex, _("g = Σ_k (n_k/N)·ḡ_k. All-reduce then divide by the number of workers is right only for equal "
                 "shards — why data-parallel samplers pad or drop the last batch."))


# --- 5.4: the attention scale --------------------------------------------------------------------------------


def _measured_std(d: int, scale: float) -> float:
    gen = torch.Generator().manual_seed(5)
    q = torch.randn(20_000, d, generator=gen, dtype=torch.float64)
    k = torch.randn(20_000, d, generator=gen, dtype=torch.float64)
    return float(((q * k).sum(dim=1) * scale).std())


def attention_scale(fn: Callable[..., Any]) -> None:
    """Exercise 5.6: ``fn(d)`` = the factor s in softmax(s·qᵀk) that gives the logits unit variance when the
    entries of q and k are independent with mean 0 and variance 1."""
    ex = "attention_scale"
    for d in (16, 64, 256):
        got = float(as_array(ex, call(ex, fn, d=d), name=_("your scale"), shape=()))
        std = _measured_std(d, got)
        if not 0.97 < std < 1.03:
            diagnoses = {1 / d: _("1/d makes the VARIANCE of qᵀk/d equal 1/d; the variance of qᵀk is d, so divide "
                                  "by its square root."),
                         1.0: _("without a scale the logits have standard deviation √d: the softmax saturates on "
                                "its largest entry and passes back almost no gradient."),
                         1 / math.log(d): _("the variance of a sum of d independent products is d: divide by √d.")}
            hint = next((h for v, h in diagnoses.items() if math.isclose(got, v, rel_tol=1e-9)), None)
            raise WrongAnswer(ex, _("with d = {d} and your scale {scale:.4g}, the logits s·qᵀk have standard "
                                    "deviation {std:.3g} (measured on 20,000 pairs), not 1.").format(
                                  d=d, scale=got, std=std), hint)
    passed(ex, _("Var(qᵀk) = Σ Var(q_i k_i) = d, so s = 1/√d: the logits keep unit variance at any width, and the "
                 "softmax does not saturate as d grows."))
