"""Checks for part 3 (algorithms): momentum, Adam, the source A3's broken code, clipping, He init, warmup.

The truth comes from the library, so each rule is written once: :mod:`gradcourse.optim.functional` (torch's
SGD momentum and Adam), :func:`gradcourse.problems.run`, :func:`gradcourse.clip.clip_by_global_norm`,
:mod:`gradcourse.init` (fans, gains, standard deviations) and :func:`gradcourse.schedules.warmup_cosine`.
What this module writes out itself are the *mistakes* — the wrong versions students typically write — so
that a wrong answer can be recognised and named.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gradcourse import clip, init, problems, schedules
from gradcourse.check._core import WrongAnswer, as_array, call, compare, passed
from gradcourse.check._i18n import _
from gradcourse.check.answers import call_or_explain, check_number, finite_or_explain, require_answer, unpack
from gradcourse.optim import functional as F

__all__ = [
    "adam_a3_bug",
    "adam_spike_prediction",
    "adam_step",
    "adam_step_after_spike",
    "clip_by_norm",
    "he_normal",
    "library_path",
    "momentum_a3_bug",
    "momentum_step",
    "rmsprop_step",
    "warmup_cosine",
]


def library_path(step: Callable[..., Any], theta0: np.ndarray, grads: Sequence[np.ndarray],
                 hypers: dict[str, Any] | Sequence[dict[str, Any]]) -> list[np.ndarray]:
    """θ after each step of the library's rule ``step`` (e.g. ``functional.adam_step``), from ``theta0`` along
    the fixed gradients ``grads``; ``hypers`` is one dict of hyperparameters, or one per step."""
    per_step = [hypers] * len(grads) if isinstance(hypers, dict) else list(hypers)
    theta, state, path = theta0.copy(), {}, []
    for g, hyper in zip(grads, per_step, strict=True):
        step(theta, g, state, **hyper)
        path.append(theta.copy())
    return path


# --- exercise 3.1: one step of SGD with momentum, torch's form --------------------------------------------


def _momentum_mistake(theta0: np.ndarray, grads: Sequence[np.ndarray], lrs: Sequence[float], mu: float,
                      kind: str) -> list[np.ndarray]:
    """θ after each step when momentum is written the wrong way ``kind``."""
    theta, b, path = theta0.copy(), None, []
    for g, lr in zip(grads, lrs, strict=True):
        if kind == "lr_inside":  # Sutskever et al.'s form: v ← βv − ηg, θ ← θ + v
            b = -lr * g if b is None else mu * b - lr * g
            theta = theta + b
        elif kind == "ema":  # an exponential average started at zero: b ← βb + (1 − β)g
            b = (1 - mu) * g if b is None else mu * b + (1 - mu) * g
            theta = theta - lr * b
        elif kind == "ascent":
            b = g if b is None else mu * b + g
            theta = theta + lr * b
        elif kind == "plain":
            theta = theta - lr * g
        path.append(theta.copy())
    return path


def _momentum_hints() -> dict[str, str]:
    """The sentence that names each wrong way of writing momentum, in the student's language."""
    return {
        "lr_inside": _("you put η inside the buffer (v ← βv − ηg, θ ← θ + v, as Sutskever et al. write it). torch "
                       "sums the gradients, b ← βb + g, and applies η afterwards, θ ← θ − ηb; the two agree only "
                       "while η is constant, and here η changes between steps."),
        "ema": _("b ← βb + (1 − β)g is an exponential average (that is Adam's m, or torch's dampening = β); "
                 "torch's SGD momentum sums: b ← βb + g."),
        "ascent": _("the sign: θ ← θ − ηb goes downhill; θ + ηb climbs."),
        "plain": _("the buffer is never used: with momentum the step follows b ← βb + g (b = g at the first "
                   "step), not the current g alone."),
    }


def momentum_step(fn: Callable[..., Any]) -> None:
    """Exercise 3.1: ``fn(theta, grad, buf, *, lr, momentum)`` returns (theta, buf), torch's SGD momentum β."""
    ex = "momentum_step"
    hints = _momentum_hints()
    rng = np.random.default_rng(3)
    cases = [((3,), 0.9, [0.1, 0.1, 0.05, 0.05, 0.02]), ((2, 2), 0.5, [0.2, 0.1, 0.3, 0.1]),
             ((3,), 0.0, [0.1, 0.05])]
    for shape, mu, lrs in cases:
        theta0 = rng.normal(size=shape)
        grads = [rng.normal(size=shape) for _unused in lrs]
        truth = library_path(F.sgd_step, theta0, grads, [{"lr": lr, "momentum": mu} for lr in lrs])
        mistakes = {k: _momentum_mistake(theta0, grads, lrs, mu, k) for k in hints}
        theta, buf = theta0.copy(), None
        for t, (g, lr) in enumerate(zip(grads, lrs, strict=True)):
            out = call(ex, fn, theta.copy(), g.copy(), None if buf is None else buf.copy(),
                       lr=lr, momentum=mu)
            theta, buf = unpack(ex, out, ("theta", "buf"))
            case = (_("β = {beta}, step {step}, η = {lr} (buf was None: the first step)") if t == 0 else
                    _("β = {beta}, step {step}, η = {lr}")).format(beta=mu, step=t + 1, lr=lr)
            theta = compare(ex, theta, truth[t], name="θ", case=case,
                            diagnoses=[(mistakes[k][t], hints[k]) for k in hints])
            if mu != 0 or buf is not None:
                buf = as_array(ex, buf, name=_("the returned buf"), shape=shape)
    return passed(ex, _("your steps match gradcourse.optim's SGD (= torch.optim.SGD) with momentum, also when η "
                        "changes."))


# --- exercise 3.2: the source A3's momentum, repaired -----------------------------------------------------


def _a3_momentum(grad_f: Callable, theta: np.ndarray, lr: float, beta: float, iterations: int, *,
                 update_prev_after: bool = True, prev_starts_at_zero: bool = True, sign: float = 1.0) -> np.ndarray:
    """The source A3's heavy-ball loop, with each of its mistakes switchable (to recognise what is left)."""
    theta = theta.copy()
    theta_prev = np.zeros_like(theta) if prev_starts_at_zero else theta.copy()
    for _unused in range(iterations):
        new = theta - lr * grad_f(theta) + sign * beta * (theta - theta_prev)
        theta_prev = new.copy() if update_prev_after else theta
        theta = new
    return theta


def momentum_a3_bug(fn: Callable[..., Any]) -> None:
    """Exercise 3.2: ``fn(grad_f, theta, lr, beta, iterations)`` is A3's momentum loop, repaired."""
    ex = "momentum_a3_bug"
    mistakes = [
        (dict(), _("this is still the documents' code: θ_prev is set to the NEW θ right after the step, so from "
                   "the second step on θ − θ_prev = 0 and momentum does nothing (and the first step adds β·θ₀, "
                   "because θ_prev starts at 0).")),
        (dict(prev_starts_at_zero=False), _("momentum never acts: θ_prev is overwritten with the new θ after the "
                                            "step, so θ − θ_prev is always 0 — this is plain gradient descent. Save "
                                            "the old θ before you overwrite it.")),
        (dict(update_prev_after=False), _("the order is fixed, but θ_prev starts at 0, so the first step adds "
                                          "β·(θ₀ − 0) = β·θ₀ out of nowhere; start with θ_prev = θ₀ (no motion "
                                          "yet).")),
        (dict(update_prev_after=False, prev_starts_at_zero=False, sign=-1.0),
         _("the momentum term has the wrong sign: it is +β(θ_t − θ_{t−1}), keep going the way you went.")),
    ]
    x0 = np.array([-4.0, 2.0])
    # each problem's .name ('ellipse', 'quadratic κ=10'), written here so that it can be shown translated
    for problem, label, lr, beta in ((problems.ELLIPSE, _("ellipse"), 0.1, 0.9),
                                     (problems.Quadratic(10.0, L=1.0, rotation=0.3),
                                      _("quadratic κ={kappa:g}").format(kappa=10.0), 0.5, 0.5)):
        for iterations in (0, 1, 2, 25):
            expected = problems.run(problem, "sgd", x0, iterations, lr=lr, momentum=beta)[-1]
            got = call(ex, fn, problem.grad, x0.copy(), lr, beta, iterations)
            diagnoses = [(_a3_momentum(problem.grad, x0, lr, beta, iterations, **kw), hint) for kw, hint in mistakes]
            compare(ex, got, expected, name="θ", diagnoses=diagnoses,
                    case=_("{problem}, η = {lr}, β = {beta}, {iterations} iterations").format(
                        problem=label, lr=lr, beta=beta, iterations=iterations))
    return passed(ex, _("your loop now matches torch's SGD with momentum: θ_{t+1} = θ_t − ηg_t + "
                        "β(θ_t − θ_{t−1})."))


# --- exercise 3.3: one step of Adam with bias correction --------------------------------------------------


def _adam_mistake(theta0: np.ndarray, grads: Sequence[np.ndarray], lr: float, betas: tuple[float, float],
                  eps: float, kind: str) -> list[np.ndarray]:
    """θ after each step of Adam written the wrong way ``kind``."""
    b1, b2 = betas
    theta, m, v, path = theta0.copy(), np.zeros_like(theta0), np.zeros_like(theta0), []
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * (np.abs(g) if kind == "abs" else g * g)
        c = t + 1 if kind == "t_plus_1" else t
        m_hat = m if kind in ("no_bias", "only_v") else m / (1 - b1**c)
        v_hat = v if kind in ("no_bias", "only_m") else v / (1 - b2**c)
        if kind == "eps_inside":
            step = m_hat / np.sqrt(v_hat + eps)
        elif kind == "no_sqrt":
            step = m_hat / (v_hat + eps)
        else:
            step = m_hat / (np.sqrt(v_hat) + eps)
        theta = theta + lr * step if kind == "ascent" else theta - lr * step
        path.append(theta.copy())
    return path


def _adam_hints() -> dict[str, str]:
    """The sentence that names each wrong way of writing Adam, in the student's language."""
    return {
        "no_bias": _("did you divide m by 1 − β₁ᵗ and v by 1 − β₂ᵗ? Without bias correction the early steps are "
                     "wrong."),
        "only_m": _("you corrected m but not v: divide v by 1 − β₂ᵗ as well."),
        "only_v": _("you corrected v but not m: divide m by 1 − β₁ᵗ as well."),
        "eps_inside": _("ε belongs outside the square root, √v̂ + ε (torch's form); √(v̂ + ε) differs a lot where "
                        "v̂ is tiny — look at the coordinates with small gradients."),
        "t_plus_1": _("the step counter is off by one: t = 1 at the first step, so the first correction is "
                      "1 − β₁."),
        "ascent": _("the sign: θ ← θ − η m̂/(√v̂ + ε) goes downhill."),
        "no_sqrt": _("divide by the square ROOT of v̂ (plus ε): √v̂ has the units of g, so m̂/√v̂ is "
                     "dimensionless."),
        "abs": _("v averages the SQUARED gradient g², not |g|."),
    }


def adam_step(fn: Callable[..., Any]) -> None:
    """Exercise 3.3: ``fn(theta, grad, m, v, t, *, lr, betas, eps)`` returns (theta, m, v), Adam with bias
    correction (torch's form, ε outside the root)."""
    ex = "adam_step"
    hints = _adam_hints()
    rng = np.random.default_rng(4)
    scales = np.array([[1.0, 2.0, 0.5], [1e-5, 3e-5, 2e-5]])  # second row: tiny gradients, where ε matters
    cases = [  # the first: one weight with g = 1 at the first step, where the size of the update names the mistake
        (_("a single weight, g = 1 at the first step"), np.array([0.5]),
         [np.array([1.0]), np.array([-0.5]), np.array([2.0])], 0.01, (0.9, 0.999), 1e-8),
        (_("a 2×3 weight, second row with tiny gradients"), rng.normal(size=(2, 3)),
         [rng.normal(size=(2, 3)) * scales for _unused in range(5)], 0.1, (0.8, 0.99), 1e-8),
        (_("g = 0 at the first step (nothing should move)"), np.array([1.0, -1.0]),
         [np.zeros(2), np.array([0.3, -0.2])], 0.05, (0.9, 0.999), 1e-8),
    ]
    for index, (label, theta0, grads, lr, betas, eps) in enumerate(cases):
        truth = library_path(F.adam_step, theta0, grads, {"lr": lr, "betas": betas, "eps": eps})
        mistakes = {k: _adam_mistake(theta0, grads, lr, betas, eps, k) for k in hints}
        theta, m, v = theta0.copy(), np.zeros_like(theta0), np.zeros_like(theta0)
        for t, g in enumerate(grads, start=1):
            out = call(ex, fn, theta.copy(), g.copy(), m.copy(), v.copy(), t, lr=lr, betas=betas, eps=eps)
            theta, m, v = unpack(ex, out, ("theta", "m", "v"))
            theta = finite_or_explain(ex, theta, name=_("θ after step t = {t}").format(t=t), hint=_(
                "at t = 1 the corrections are 1 − β₁ and 1 − β₂; 1 − β⁰ = 0 divides by zero. The counter t starts "
                "at 1 — did you use t − 1?"))
            diagnoses = [(mistakes[k][t - 1], hints[k]) for k in hints]
            if t == 1 and index == 0:
                diagnoses = [(mistakes[k][0], _("after one step with g = 1 your update is {ratio:.3g}·lr; with bias "
                                                "correction it is 1·lr — {hint}").format(
                                  ratio=(theta0 - mistakes[k][0]).item() / lr, hint=hints[k]))
                             for k in ("no_bias", "only_m", "only_v")] + diagnoses
            theta = compare(ex, theta, truth[t - 1], name="θ", diagnoses=diagnoses,
                            case=_("{case}, step t = {t}").format(case=label, t=t))
            m = as_array(ex, m, name=_("the returned m"), shape=theta0.shape)
            v = as_array(ex, v, name=_("the returned v"), shape=theta0.shape)
    return passed(ex, _("your steps match gradcourse.optim's Adam (= torch.optim.Adam), bias correction and all."))


# --- exercise 3.4: the source A3's Adam, repaired ---------------------------------------------------------


def _a3_adam(X: np.ndarray, Y: np.ndarray, theta: np.ndarray, alpha: float, beta1: float, beta2: float,
             epsilon: float, iterations: int, *, shadow: bool, residual: bool, counter: bool) -> np.ndarray:
    """A3's Adam loop with each of its three bugs switchable: ``shadow`` (the name m is both len(X) and the
    first moment), ``residual`` (v averages Xᵀ(r²) instead of g²), ``counter`` (bias correction with the
    total number of iterations instead of t)."""
    n = len(X)
    theta = theta.copy()
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    divisor: Any = n
    with np.errstate(all="ignore"):
        for t in range(1, iterations + 1):
            r = X @ theta - Y
            g = X.T @ r / n
            m = beta1 * m + (1 - beta1) * (X.T @ r) / divisor
            if shadow:
                divisor = m.copy()
            v = beta2 * v + (1 - beta2) * (X.T @ r**2 if residual else g * g)
            c = iterations if counter else t
            theta = theta - alpha * (m / (1 - beta1**c)) / (np.sqrt(v / (1 - beta2**c)) + epsilon)
    return theta


def _a3_adam_bugs() -> dict[str, str]:
    """The sentence that names each of A3's three Adam bugs, in the student's language."""
    return {
        "shadow": _("the name m holds both len(X) and the first moment: from the second step on the gradient is "
                    "divided by the moment itself. Give the number of samples its own name (n)."),
        "residual": _("v must average the squared GRADIENT g², with g = Xᵀ(Xθ − Y)/n; X.T @ (X @ theta - Y) ** 2 "
                      "squares the residual instead (** binds tighter than @) and drops the 1/n."),
        "counter": _("the bias correction must use the current step t = 1, 2, 3, … (1 − β₁ᵗ), not the total number "
                     "of iterations."),
    }


def adam_a3_bug(fn: Callable[..., Any]) -> None:
    """Exercise 3.4: ``fn(X, Y, theta, alpha, beta1, beta2, epsilon, iterations)`` is A3's Adam, repaired."""
    ex = "adam_a3_bug"
    bugs = _a3_adam_bugs()
    rng = np.random.default_rng(5)
    X = np.column_stack([np.linspace(0.5, 3.0, 40), np.ones(40)])  # positive: A3's v stays ≥ 0, no NaN
    Y = X @ np.array([2.0, -1.0]) + rng.normal(size=40)
    combos = [dict(shadow=s, residual=r, counter=c) for s in (True, False) for r in (True, False)
              for c in (True, False) if s or r or c]
    for alpha, betas, eps, iterations in ((0.1, (0.9, 0.999), 1e-7, 3), (0.05, (0.8, 0.99), 1e-8, 60),
                                          (0.1, (0.9, 0.999), 1e-7, 1)):
        theta0 = np.array([0.5, 0.5])
        expected, state = theta0.copy(), {}
        for _unused in range(iterations):
            F.adam_step(expected, X.T @ (X @ expected - Y) / len(X), state, lr=alpha, betas=betas, eps=eps)
        with np.errstate(all="ignore"):
            got = call(ex, fn, X.copy(), Y.copy(), theta0.copy(), alpha, betas[0], betas[1], eps, iterations)
        got = finite_or_explain(ex, got, name="θ", hint=_("a division by (almost) zero: {cause}").format(
            cause=bugs["shadow"]))
        diagnoses = []
        for combo in combos:
            wrong = _a3_adam(X, Y, theta0, alpha, *betas, eps, iterations, **combo)
            if np.all(np.isfinite(wrong)):
                left = [bugs[k] for k, on in combo.items() if on]
                listed = " ".join(f"({i}) {text}" for i, text in enumerate(left, start=1))
                diagnoses.append((wrong, _("{count} bug(s) left: {bugs}").format(count=len(left), bugs=listed)))
        compare(ex, got, expected, name="θ", diagnoses=diagnoses,
                case=_("α = {alpha}, β = {betas}, {iterations} iteration(s)").format(alpha=alpha, betas=betas,
                                                                                     iterations=iterations))
    return passed(ex, _("your loop now matches gradcourse.optim's Adam on the gradient g = Xᵀ(Xθ − Y)/n."))


# --- exercise 3.5: clipping by global norm ----------------------------------------------------------------


def _clip_mistakes(grads: list[np.ndarray], max_norm: float) -> dict[str, list[np.ndarray]]:
    norms = [np.linalg.norm(g) for g in grads]
    total = math.sqrt(sum(n * n for n in norms))
    with np.errstate(all="ignore"):
        return {
            "value": [np.clip(g, -max_norm, max_norm) for g in grads],
            "each": [g * min(1.0, max_norm / (n + 1e-6)) for g, n in zip(grads, norms, strict=True)],
            "always": [g * max_norm / (total + 1e-6) for g in grads],
            "sum_of_norms": [g * min(1.0, max_norm / (sum(norms) + 1e-6)) for g in grads],
            "largest_entry": [g * min(1.0, max_norm / (max(np.abs(g).max() for g in grads) + 1e-6)) for g in grads],
        }


def _clip_hints() -> dict[str, str]:
    """The sentence that names each wrong way of clipping, in the student's language."""
    return {
        "value": _("that is clipping by VALUE (each entry cut to ±max_norm), which can turn the direction of the "
                   "step; clipping by norm multiplies every entry by the same factor c = min(1, max_norm/‖g‖)."),
        "each": _("you clipped each array by its own norm; the norm is GLOBAL: ‖g‖ = √(Σ_i ‖g_i‖²) over all arrays "
                  "together, and every array is multiplied by the same factor."),
        "always": _("you rescaled to length max_norm even when the gradient was already shorter; the factor is "
                    "min(1, max_norm/‖g‖): short gradients are left alone."),
        "sum_of_norms": _("the global norm is √(Σ_i ‖g_i‖²), not Σ_i ‖g_i‖."),
        "largest_entry": _("you used the largest |entry| (the ∞-norm); clip_grad_norm_'s default is the 2-norm "
                           "√(Σ g²)."),
    }


def clip_by_norm(fn: Callable[..., Any]) -> None:
    """Exercise 3.5: ``fn(grads, max_norm)`` returns new arrays c·g_i, c = min(1, max_norm/‖g‖), ‖g‖ global."""
    ex = "clip_by_norm"
    hints = _clip_hints()
    base = [np.array([[1.0, -2.0], [2.0, 0.0]]), np.array([4.0, -2.0, 2.0])]
    cases = [
        (_("two arrays, global norm √33 ≈ 5.74 > max_norm = 2"), base, 2.0),
        (_("the same arrays with max_norm = 10 (already short enough)"), base, 10.0),
        (_("one array with one huge entry, max_norm = 1"), [np.array([100.0, 1.0, -1.0])], 1.0),
        (_("all gradients zero"), [np.zeros((2, 2)), np.zeros(3)], 1.0),
    ]
    for case, grads, max_norm in cases:
        all_zero = not any(np.any(g) for g in grads)
        expected, _unused = clip.clip_by_global_norm(grads, max_norm)
        with np.errstate(all="ignore"):
            out = call_or_explain(ex, fn, [g.copy() for g in grads], max_norm, crash_hint=_(
                "the norm is 0 here: compute c = min(1, max_norm/(‖g‖ + 1e-6)) as torch does, so nothing divides "
                "by zero.") if all_zero else None)
        if not isinstance(out, (list, tuple)) or len(out) != len(grads):
            if isinstance(out, (list, tuple)):
                message = _("({case}) your function should return a list of {count} arrays, one per gradient, got "
                            "{type} of length {length}.")
            else:
                message = _("({case}) your function should return a list of {count} arrays, one per gradient, got "
                            "{type}.")
            raise WrongAnswer(ex, message.format(case=case, count=len(grads), type=type(out).__name__,
                                                 length=len(out) if isinstance(out, (list, tuple)) else None),
                              "return [c * g for g in grads].")  # i18n: keep
        arrays = []
        for i, (g_out, g_in) in enumerate(zip(out, grads, strict=True)):
            name = _("array {index} ({case})").format(index=i, case=case)
            finite_or_explain(ex, g_out, name=name, hint=_(
                "with all gradients zero the norm is 0 and max_norm/0 is inf; compute c = min(1, max_norm/(‖g‖ + "
                "1e-6)) as torch does, or skip the scaling when ‖g‖ ≤ max_norm."))
            arrays.append(as_array(ex, g_out, name=name, shape=g_in.shape))
        flat = np.concatenate([a.ravel() for a in arrays])
        diagnoses = [(np.concatenate([w.ravel() for w in wrong]), hints[k])
                     for k, wrong in _clip_mistakes(grads, max_norm).items()]
        compare(ex, flat, np.concatenate([e.ravel() for e in expected]), name=_("the clipped gradients (flattened)"),
                case=case, rtol=1e-5, diagnoses=diagnoses)
    return passed(ex, _("the direction of the step is kept; only its length is capped at max_norm."))


# --- exercise 3.6: He (Kaiming) normal initialization -----------------------------------------------------


def he_normal(fn: Callable[..., Any]) -> None:
    """Exercise 3.6: ``fn(shape, rng)`` draws W ~ N(0, 2/n_in) with fan_in from torch's (out, in, k…) shapes."""
    ex = "he_normal"
    gain = init.calculate_gain("relu")
    for shape in ((512, 64), (64, 512), (32, 16, 3, 3)):
        fan_in, fan_out = init.fan_in_and_fan_out(shape)
        expected = init.kaiming_std(fan_in, gain)
        name = _("W of shape {shape}").format(shape=shape)
        w = as_array(ex, call(ex, fn, shape, np.random.default_rng(0)), name=name, shape=shape)
        again = as_array(ex, call(ex, fn, shape, np.random.default_rng(0)), name=name, shape=shape)
        if not np.array_equal(w, again):
            raise WrongAnswer(ex, _("two calls with the same rng seed gave different weights (shape {shape}).").format(
                                  shape=shape),
                              _("draw with the generator you are given, rng.normal(0.0, std, size=shape), not with "
                                "np.random: the same seed must give the same network."))
        case = _("shape {shape}: n_in = {fan_in}, n_out = {fan_out}").format(shape=shape, fan_in=fan_in,
                                                                              fan_out=fan_out)
        std = float(w.std())
        compare(ex, std, np.array(expected), name=_("the standard deviation of your W"), case=case, rtol=0.04,
                diagnoses=[
                    (init.kaiming_std(fan_out, gain), _("you used n_out; He's forward rule uses n_in — for a "
                     "Linear weight of shape (out, in) that is shape[1] (times the kernel size for a convolution).")),
                    (init.kaiming_std(shape[1], gain), _("for a convolution weight (out, in, k1, k2) n_in is "
                     "in·k1·k2: each output sums over the whole kernel.")),
                    (init.kaiming_std(fan_in, 1.0), _("you left out ReLU's gain √2: He uses σ² = 2/n_in (LeCun's "
                     "1/n_in would shrink the signal by √2 per ReLU layer).")),
                    (init.xavier_std(fan_in, fan_out), _("that is Xavier/Glorot's σ = √(2/(n_in + n_out)); He's "
                     "is σ = √(2/n_in).")),
                    (2.0 / fan_in, _("2/n_in is the VARIANCE; numpy's normal() takes the standard deviation "
                     "√(2/n_in).")),
                    (2.0 / math.sqrt(fan_in), _("the gain is √2, not 2: σ = √2/√n_in.")),
                ])
        if abs(float(w.mean())) > 5 * expected / math.sqrt(w.size):
            raise WrongAnswer(ex, _("the mean of your W is {mean:.3g} ({case}); it should be 0.").format(
                                  mean=float(w.mean()), case=case),
                              _("draw from N(0, σ²): zero mean."))
        tails = float(np.mean(np.abs(w) > 2 * expected))
        if tails < 0.02:
            raise WrongAnswer(ex, _("only {fraction:.1%} of your weights lie beyond 2σ; a normal distribution has "
                                    "4.6% there ({case}).").format(fraction=tails, case=case),
                              _("that looks like a uniform distribution: He normal draws from N(0, 2/n_in), e.g. "
                                "rng.normal(0.0, std, size=shape)."))
        # A normal has 0.27 % of its mass beyond 3σ: 88 of 32,768 weights (a count below 40 has probability
        # < 1e-8). A normal clipped or truncated at ±2.5σ (torch's trunc_normal_ with a = −2σ, b = 2σ, say)
        # has none there — its σ is nearly right, so only the tails can tell.
        far = int(np.sum(np.abs(w) > 3 * expected))
        if w.size >= 30_000 and far < 40:
            raise WrongAnswer(ex, _("{far} of your {total:,} weights lie beyond 3σ; a normal distribution puts "
                                    "about {expected:.0f} there ({case}).").format(far=far, total=w.size,
                                                                                   expected=0.0027 * w.size, case=case),
                              _("your distribution has no tails: is it clipped or truncated (np.clip, "
                                "trunc_normal_)? He normal is the full N(0, 2/n_in)."))
    return passed(ex, _("σ = √(2/n_in) (√2 = calculate_gain('relu') = {gain:.4f}) keeps the variance of a ReLU "
                        "network's signal constant through depth.").format(gain=gain))


# --- exercise 3.7: linear warmup, then cosine decay -------------------------------------------------------


def _warmup_cosine_mistake(t: int, base_lr: float, W: int, T: int, kind: str) -> float:
    if t < W and kind != "no_warmup":
        return base_lr * ((t + 1) / W if kind == "warmup_plus_1" else t / W)
    start = 0 if kind in ("not_shifted", "no_warmup") else W
    length = T if kind in ("not_shifted", "no_warmup") else T - W
    p = (t - start + (1 if kind == "cosine_plus_1" else 0)) / length
    if kind != "no_hold":
        p = min(p, 1.0)
    angle = {"degrees": 180.0 * p, "no_pi": p}.get(kind, math.pi * p)
    return base_lr * (1 + math.cos(angle)) / 2


def _warmup_hints() -> dict[str, str]:
    """The sentence that names each wrong way of writing the schedule, in the student's language."""
    return {
        "degrees": _("np.cos takes radians: half a turn is π, not 180 — use (1 + cos(π·p))/2."),
        "no_pi": _("(1 + cos(π·p))/2 falls from 1 to 0 as p goes from 0 to 1; without π it only falls to "
                   "(1 + cos 1)/2 ≈ 0.77."),
        "warmup_plus_1": _("off by one in the warmup: at step t = 0 the rate is 0 and it reaches base_lr at t = W, "
                           "so η_t = base_lr·t/W."),
        "cosine_plus_1": _("off by one in the cosine: at t = W the cosine part starts at p = 0 (η = base_lr), so "
                           "p = (t − W)/(T − W)."),
        "not_shifted": _("the cosine must start where the warmup ends: p = (t − W)/(T − W), not t/T."),
        "no_hold": _("past total_steps the cosine climbs back up; hold η at 0 there (p = min(p, 1))."),
        "no_warmup": _("the first warmup_steps steps must ramp up linearly from 0: η_t = base_lr·t/W for t < W."),
    }


def warmup_cosine(fn: Callable[..., Any]) -> None:
    """Exercise 3.7: ``fn(step, *, base_lr, warmup_steps, total_steps)`` is linear warmup from 0, then cosine
    decay to 0 at total_steps, held at 0 afterwards."""
    ex = "warmup_cosine"
    hints = _warmup_hints()
    for base_lr, W, T in ((0.1, 5, 50), (1.0, 1, 10), (0.5, 10, 12)):
        steps = range(T + 6)
        expected = np.array([schedules.warmup_cosine(t, base_lr=base_lr, warmup_steps=W, total_steps=T,
                                                     start_factor=0.0, hold_at_end=True) for t in steps])
        got = np.array([float(as_array(ex, call(ex, fn, t, base_lr=base_lr, warmup_steps=W, total_steps=T),
                                       name=_("η at step {step}").format(step=t), shape=())) for t in steps])
        case = _("base_lr = {base_lr}, warmup_steps = {warmup_steps}, total_steps = {total_steps}").format(
            base_lr=base_lr, warmup_steps=W, total_steps=T)
        first_wrong = int(np.argmax(~np.isclose(got, expected, rtol=1e-6, atol=1e-9)))
        diagnoses = [(np.array([_warmup_cosine_mistake(t, base_lr, W, T, k) for t in steps]), h)
                     for k, h in hints.items()]
        compare(ex, got, expected, name=_("your η_t for t = 0 … total_steps + 5"),
                case=_("{case}; first difference at step {step}: {got:.6g} instead of {expected:.6g}").format(
                    case=case, step=first_wrong, got=got[first_wrong], expected=expected[first_wrong]),
                diagnoses=diagnoses)
    return passed(ex, _("matches gradcourse.schedules.warmup_cosine(start_factor=0, hold_at_end=True)."))


# --- exercise 3.8: predict Adam's step after a gradient spike ---------------------------------------------


def adam_step_after_spike(lr: float = 1e-3, steps: int = 100, spike: float = 100.0) -> float:
    """|Δθ|/η of Adam (torch defaults) at the step where g jumps from 1 (for ``steps`` steps) to ``spike``."""
    theta, state = np.zeros(1), {}
    for _unused in range(steps):
        F.step("adam", theta, np.ones(1), state, lr=lr)
    before = theta.copy()
    F.step("adam", theta, np.full(1, spike), state, lr=lr)
    return float(np.abs(theta - before)[0] / lr)


def adam_spike_prediction(prediction: Any) -> None:
    """Exercise 3.8: the predicted |Δθ|/η at the spike must be within a factor 1.5 of the measured one."""
    ex = "adam_spike_prediction"
    prediction = require_answer(ex, prediction)
    guess = check_number(ex, prediction, "adam_step_after_spike")
    truth = adam_step_after_spike()
    why = _("measured {measured:.3g}·η. At the spike m̂ jumps from 1 to about 10.9, but v̂ jumps from 1 to about "
            "105, so √v̂ ≈ 10.2 grows just as much: the ratio m̂/√v̂ stays near 1, where plain SGD's step would be "
            "100·η. That is not clipping: the spike stays in m and v and shapes the steps after it (see 3.5).").format(
                measured=truth)
    if guess <= 0 or not truth / 1.5 <= guess <= truth * 1.5:
        hint = (_("that is SGD's step η·g; Adam divides by √v̂, which grows with the spike too.") if 50 <= guess <= 200
                else _("that is what you get if only m reacted; v̂ reacts too.") if 5 <= guess <= 20 else
                _("Adam's step cannot be negative: this asks for the length |Δθ| in units of η.") if guess <= 0
                else None)
        raise WrongAnswer(ex, _("you predicted {guess:g}·η; {explanation}").format(guess=guess, explanation=why),
                          hint)
    return passed(ex, why)


# --- exercise 3b.4: one RMSprop step -------------------------------------------------------------------------


def _rmsprop_mistake(theta0: np.ndarray, grads: Sequence[np.ndarray], lr: float, alpha: float, eps: float,
                     kind: str) -> list[np.ndarray]:
    theta, v, path = theta0.copy(), np.zeros_like(theta0), []
    for t, g in enumerate(grads, start=1):
        v = (1 - alpha) * v + alpha * g * g if kind == "swapped" else alpha * v + (1 - alpha) * g * g
        v_used = v / (1 - alpha**t) if kind == "bias_corrected" else v
        denom = np.sqrt(v_used + eps) if kind == "eps_inside" else np.sqrt(v_used) + eps
        theta = theta - lr * (g / denom if kind != "adagrad" else g / (np.sqrt(v_used) + eps))
        path.append(theta.copy())
    return path


def _rmsprop_hints() -> dict[str, str]:
    """The sentence that names each wrong way of writing RMSprop, in the student's language."""
    return {
        "swapped": _("α weighs the OLD average: v ← αv + (1 − α)g² (α = 0.99 keeps 99 % of the past)."),
        "bias_corrected": _("torch's RMSprop has no bias correction (that is Adam's): divide by √v + ε directly."),
        "eps_inside": _("ε goes outside the square root: √v + ε (torch's form)."),
    }


def rmsprop_step(fn: Callable[..., Any]) -> None:
    """Exercise 3b.4: ``fn(theta, grad, v, *, lr, alpha, eps)`` returns (theta, v): torch's RMSprop step."""
    ex = "rmsprop_step"
    hints = _rmsprop_hints()
    rng = np.random.default_rng(13)
    for label, scale, lr, alpha, eps in (("α = 0.99", 1.0, 0.01, 0.99, 1e-8),
                                         (_("α = 0.5, tiny gradients"), 1e-3, 0.1, 0.5, 1e-4)):
        theta0 = rng.normal(size=(2, 3))
        grads = [rng.normal(size=(2, 3)) * scale for _unused in range(4)]
        truth = library_path(F.rmsprop_step, theta0, grads, {"lr": lr, "alpha": alpha, "eps": eps})
        mistakes = {k: _rmsprop_mistake(theta0, grads, lr, alpha, eps, k) for k in hints}
        theta, v = theta0.copy(), np.zeros_like(theta0)
        for t, g in enumerate(grads):
            theta, v = unpack(ex, call(ex, fn, theta.copy(), g.copy(), v.copy(), lr=lr, alpha=alpha, eps=eps),
                              ("theta", "v"))
            theta = compare(ex, theta, truth[t], name="θ", case=_("{case}, step {step}").format(case=label, step=t + 1),
                            diagnoses=[(mistakes[k][t], h) for k, h in hints.items()])
            v = as_array(ex, v, name=_("the returned v"), shape=theta0.shape)
    passed(ex, _("your steps match gradcourse.optim's RMSprop (= torch.optim.RMSprop): a per-coordinate step η/√v, "
                 "large where gradients have been small — AdaGrad's idea with a memory that forgets."))
