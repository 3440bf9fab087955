"""LARS, LAMB and Lion against numbers worked out by hand from their papers' equations.

torch has none of the three, so the reference is arithmetic written here straight from the papers:

* LARS — You, Gitman & Ginsburg 2017 (arXiv:1708.03888), Algorithm 1:
  λ = η·‖w‖/(‖∇L(w)‖ + β‖w‖);  v ← m·v + γ·λ·(∇L(w) + βw);  w ← w − v.
* LAMB — You et al. (arXiv:1904.00962, 2019; ICLR 2020), Algorithm 2 with φ = identity:
  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);  v̂ = v/(1−β₂ᵗ);  r = m̂/(√v̂ + ε);
  x ← x − η·‖x‖/‖r + λx‖·(r + λx).
* Lion — Chen et al. 2023 (arXiv:2302.06675):
  c = β₁m + (1−β₁)g;  θ ← θ − η(sign(c) + λθ);  m ← β₂m + (1−β₂)g.

Each vector is checked on three paths: the functional rule on numpy, the functional rule on torch, and the
torch-compatible class.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import gradcourse.optim as go
from gradcourse.optim import functional as F
from gradcourse.optim.building_blocks import trust_ratio

PATHS = ["numpy", "torch", "class"]
CLASS_OF = {"lars": go.LARS, "lamb": go.LAMB, "lion": go.Lion}


def run_steps(path: str, rule: str, theta0, grads, **hyper):
    """Apply ``rule`` with the given gradient sequence; return θ after every step and the final state."""
    history = []
    if path == "numpy":
        theta, state = np.array(theta0, dtype=float), {}
        for g in grads:
            F.step(rule, theta, np.array(g, dtype=float), state, **hyper)
            history.append(theta.copy())
        return history, state
    theta = torch.tensor(theta0, dtype=torch.float64)
    if path == "torch":
        state = {}
        for g in grads:
            F.step(rule, theta, torch.tensor(g, dtype=torch.float64), state, **hyper)
            history.append(theta.numpy().copy())
        return history, state
    theta.requires_grad_()
    opt = CLASS_OF[rule]([theta], **hyper)
    for g in grads:
        theta.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        history.append(theta.detach().numpy().copy())
    return history, opt.state[theta]


def close(actual, expected, tol=1e-12):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), rtol=tol, atol=tol)


# --- LARS ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_lars_two_steps_by_hand(path):
    # γ = 0.5 (lr), m = 0.9 (momentum), β = 0.1 (weight_decay), η = 0.01 (trust_coefficient).
    # Step 1: w = (3, 4), ‖w‖ = 5;  g = (0.6, 0.8), ‖g‖ = 1.
    #   λ = 0.01·5 / (1 + 0.1·5) = 1/30;   g + βw = (0.9, 1.2)
    #   v = 0.5·(1/30)·(0.9, 1.2) = (0.015, 0.02);   w = (2.985, 3.98)
    # Step 2: ‖w‖ = √(2.985² + 3.98²) = √24.750625 = 4.975;  g = (0, −2), ‖g‖ = 2.
    #   λ = 0.01·4.975 / (2 + 0.4975) = 199/9990;   g + βw = (0.2985, −1.602)
    #   v = 0.9·(0.015, 0.02) + 0.5·(199/9990)·(0.2985, −1.602) = (0.0164730480480…, 0.0020441441441…)
    #   w = (2.985, 3.98) − v = (2.9685269519519…, 3.9779558558558…)
    history, state = run_steps(
        path, "lars", [3.0, 4.0], [[0.6, 0.8], [0.0, -2.0]],
        lr=0.5, momentum=0.9, weight_decay=0.1, trust_coefficient=0.01,
    )
    close(history[0], [2.985, 3.98])
    close(history[1], [2.985 - 0.0164730480480480, 3.98 - 0.0020441441441441])
    close(state["momentum_buffer"], [0.0164730480480480, 0.0020441441441441])


@pytest.mark.parametrize("path", PATHS)
def test_lars_zero_weights_use_trust_ratio_one(path):
    # ‖w‖ = 0 would make λ = 0 and freeze the layer forever; our convention is λ = 1 (a plain SGD step).
    # v = 0.5·1·(1, −2) = (0.5, −1);  w = (−0.5, 1).
    history, _ = run_steps(path, "lars", [0.0, 0.0], [[1.0, -2.0]], lr=0.5, momentum=0.9, weight_decay=0.1)
    close(history[0], [-0.5, 1.0])


@pytest.mark.parametrize("path", PATHS)
def test_lars_without_momentum(path):
    # λ = 0.01·5/(1 + 0) = 0.05; w = (3, 4) − 2·0.05·(0.6, 0.8) = (2.94, 3.92); no state is kept.
    history, state = run_steps(path, "lars", [3.0, 4.0], [[0.6, 0.8]], lr=2.0, momentum=0.0, trust_coefficient=0.01)
    close(history[0], [2.94, 3.92])
    assert "momentum_buffer" not in state


# --- LAMB ------------------------------------------------------------------------------------------------


def lamb_by_hand(theta, grads, lr, beta1, beta2, eps, wd):
    """Algorithm 2 of You et al., one coordinate at a time, in plain Python floats."""
    m, v = [0.0] * len(theta), [0.0] * len(theta)
    history = []
    for t, g in enumerate(grads, start=1):
        m = [beta1 * mi + (1 - beta1) * gi for mi, gi in zip(m, g, strict=True)]
        v = [beta2 * vi + (1 - beta2) * gi * gi for vi, gi in zip(v, g, strict=True)]
        m_hat = [mi / (1 - beta1**t) for mi in m]
        v_hat = [vi / (1 - beta2**t) for vi in v]
        r = [mh / (math.sqrt(vh) + eps) + wd * x for mh, vh, x in zip(m_hat, v_hat, theta, strict=True)]
        ratio = math.sqrt(sum(x * x for x in theta)) / math.sqrt(sum(ri * ri for ri in r))
        theta = [x - lr * ratio * ri for x, ri in zip(theta, r, strict=True)]
        history.append(theta)
    return history, m, v


@pytest.mark.parametrize("path", PATHS)
def test_lamb_first_step_by_hand(path):
    # η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-6, λ = 0.01;  x = (3, 4), g = (0.6, 0.8).
    #   m = 0.1·g, v = 0.001·g²  ⇒  m̂ = g = (0.6, 0.8),  √v̂ = |g| = (0.6, 0.8)
    #   r + λx = (0.6/0.600001 + 0.03, 0.8/0.800001 + 0.04) = (1.0299983333361…, 1.0399987500015…)
    #   ‖x‖/‖r + λx‖ = 5 / 1.4637171… = 3.4159397381…
    #   x = (3, 4) − 0.1·3.4159397381·(1.0299983333, 1.0399987500) = (2.6481587763…, 3.6447426942…)
    history, state = run_steps(
        path, "lamb", [3.0, 4.0], [[0.6, 0.8]], lr=0.1, betas=(0.9, 0.999), eps=1e-6, weight_decay=0.01
    )
    r = np.array([0.6 / 0.600001 + 0.03, 0.8 / 0.800001 + 0.04])
    expected = np.array([3.0, 4.0]) - 0.1 * (5.0 / np.sqrt(r @ r)) * r
    close(history[0], expected)
    close(history[0], [2.6481587763, 3.6447426942], tol=1e-10)
    close(state["exp_avg"], [0.06, 0.08])
    close(state["exp_avg_sq"], [0.00036, 0.00064])
    assert float(state["step"]) == 1.0


@pytest.mark.parametrize("path", PATHS)
def test_lamb_three_steps_against_algorithm_2(path):
    grads = [[0.6, 0.8, -0.2], [-0.3, 0.1, 0.05], [0.2, -0.4, 0.3]]
    hyper = {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.02}
    history, state = run_steps(path, "lamb", [1.0, -2.0, 0.5], grads, **hyper)
    expected, m, v = lamb_by_hand([1.0, -2.0, 0.5], grads, 0.05, 0.8, 0.99, 1e-6, 0.02)
    for ours, ref in zip(history, expected, strict=True):
        close(ours, ref)
    close(state["exp_avg"], m)
    close(state["exp_avg_sq"], v)


@pytest.mark.parametrize("path", PATHS)
def test_lamb_zero_weights_use_trust_ratio_one(path):
    # x = 0: ‖x‖ = 0, so the ratio is 1 and the step is η·r with r = g/(|g| + ε) (first step, λx = 0).
    history, _ = run_steps(path, "lamb", [0.0, 0.0], [[0.5, -0.25]], lr=0.1, eps=1e-6)
    close(history[0], [-0.1 * 0.5 / 0.500001, 0.1 * 0.25 / 0.250001])


# --- Lion ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_lion_two_steps_by_hand(path):
    # η = 0.1, β₁ = 0.9, β₂ = 0.99, λ = 0.1;  θ = (1, −2, 0.5), m = 0.
    # Step 1, g = (0.3, −0.1, 0):  c = 0.1·g = (0.03, −0.01, 0), sign(c) = (1, −1, 0)
    #   θ = θ − 0.1·(sign(c) + 0.1θ) = (1 − 0.11, −2 + 0.12, 0.5 − 0.005) = (0.89, −1.88, 0.495)
    #   m = 0.01·g = (0.003, −0.001, 0)
    # Step 2, g = (−0.5, 0.2, 0.4):  c = 0.9m + 0.1g = (−0.0473, 0.0191, 0.04), sign(c) = (−1, 1, 1)
    #   θ = (0.89 − 0.1(−1 + 0.089), −1.88 − 0.1(1 − 0.188), 0.495 − 0.1(1 + 0.0495)) = (0.9811, −1.9612, 0.39005)
    #   m = 0.99m + 0.01g = (−0.00203, 0.00101, 0.004)
    history, state = run_steps(
        path, "lion", [1.0, -2.0, 0.5], [[0.3, -0.1, 0.0], [-0.5, 0.2, 0.4]],
        lr=0.1, betas=(0.9, 0.99), weight_decay=0.1,
    )
    close(history[0], [0.89, -1.88, 0.495])
    close(history[1], [0.9811, -1.9612, 0.39005])
    close(state["exp_avg"], [-0.00203, 0.00101, 0.004])
    assert set(state) == {"exp_avg"}


def test_lion_update_has_the_same_size_in_every_coordinate():
    theta = np.array([0.0, 0.0, 0.0, 0.0])
    F.step("lion", theta, np.array([1e-9, -3.0, 250.0, -1e-3]), {}, lr=0.01)
    close(np.abs(theta), [0.01] * 4)


# --- the shared convention ------------------------------------------------------------------------------


def test_trust_ratio_convention():
    assert trust_ratio(5.0, 2.0) == 2.5
    assert trust_ratio(5.0, 2.0, coefficient=0.01) == pytest.approx(0.025)
    assert trust_ratio(0.0, 2.0, coefficient=0.01) == 1.0
    assert trust_ratio(5.0, 0.0, coefficient=0.01) == 1.0


@pytest.mark.parametrize(
    ("cls", "kwargs", "message"),
    [
        (go.LARS, {"lr": -1.0}, "Invalid learning rate: -1.0"),
        (go.LARS, {"trust_coefficient": -0.1}, "Invalid trust_coefficient value: -0.1"),
        (go.LARS, {"momentum": -0.1}, "Invalid momentum value: -0.1"),
        (go.LAMB, {"betas": (0.9, 1.0)}, "Invalid beta parameter at index 1: 1.0"),
        (go.LAMB, {"eps": -1.0}, "Invalid epsilon value: -1.0"),
        (go.Lion, {"weight_decay": -1.0}, "Invalid weight_decay value: -1.0"),
        (go.Lion, {"betas": (0.9,)}, r"betas must be a pair"),
    ],
)
def test_paper_optimizers_validate_like_torch(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls([torch.zeros(2, requires_grad=True)], **kwargs)
