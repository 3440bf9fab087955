"""gradcourse.optim equals torch.optim, and the numpy path of every rule equals its torch path.

Each torch-equivalent class is run next to torch's own class for 60 steps on a small tanh MLP (four
parameter tensors of different shapes, float64), for a grid of hyperparameter variants (momentum, nesterov,
dampening, weight decay coupled and decoupled, maximize, amsgrad, centered, ...) with random values drawn
from several seeds. Parameters and optimizer state must agree to 1e-10 relative.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch

import gradcourse.optim as go
from gradcourse.optim import functional as F

STEPS = 60
TOL = 1e-10
SHAPES = [(6, 3), (6,), (2, 6), (2,)]  # W1, b1, W2, b2 of a 3-6-2 tanh network


# --- hyperparameter samplers: variant flags -> concrete random values ------------------------------------


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    return float(rng.uniform(low, high))


def _betas(rng: np.random.Generator) -> tuple[float, float]:
    return (_u(rng, 0.5, 0.95), _u(rng, 0.9, 0.9999))


def sample_sgd(rng, momentum=False, dampening=False, nesterov=False, weight_decay=False, maximize=False):
    kw = {"lr": _u(rng, 0.01, 0.2), "maximize": maximize}
    if momentum:
        kw["momentum"] = _u(rng, 0.5, 0.95)
        kw["nesterov"] = nesterov
        if dampening:
            kw["dampening"] = _u(rng, 0.05, 0.5)
    if weight_decay:
        kw["weight_decay"] = _u(rng, 1e-3, 0.1)
    return kw


def sample_adagrad(rng, lr_decay=False, weight_decay=False, initial=False, maximize=False):
    kw = {"lr": _u(rng, 0.01, 0.2), "eps": float(rng.choice([1e-10, 1e-6])), "maximize": maximize}
    if lr_decay:
        kw["lr_decay"] = _u(rng, 1e-3, 0.1)
    if weight_decay:
        kw["weight_decay"] = _u(rng, 1e-3, 0.1)
    if initial:
        kw["initial_accumulator_value"] = _u(rng, 0.01, 0.5)
    return kw


def sample_rmsprop(rng, momentum=False, centered=False, weight_decay=False, maximize=False):
    kw = {"lr": _u(rng, 1e-3, 2e-2), "alpha": _u(rng, 0.8, 0.999), "eps": float(rng.choice([1e-8, 1e-4]))}
    kw["centered"], kw["maximize"] = centered, maximize
    if momentum:
        kw["momentum"] = _u(rng, 0.3, 0.9)
    if weight_decay:
        kw["weight_decay"] = _u(rng, 1e-3, 0.1)
    return kw


def sample_adadelta(rng, weight_decay=False, maximize=False):
    kw = {"lr": _u(rng, 0.1, 1.0), "rho": _u(rng, 0.8, 0.99), "eps": float(rng.choice([1e-6, 1e-3]))}
    kw["maximize"] = maximize
    if weight_decay:
        kw["weight_decay"] = _u(rng, 1e-3, 0.1)
    return kw


def sample_adam(rng, amsgrad=False, weight_decay=False, decoupled=False, maximize=False):
    kw = {"lr": _u(rng, 1e-3, 3e-2), "betas": _betas(rng), "eps": float(rng.choice([1e-8, 1e-4]))}
    kw.update(amsgrad=amsgrad, maximize=maximize, decoupled_weight_decay=decoupled)
    if weight_decay:
        kw["weight_decay"] = _u(rng, 1e-3, 0.1)
    return kw


def sample_adamw(rng, amsgrad=False, weight_decay=True, maximize=False):
    kw = {"lr": _u(rng, 1e-3, 3e-2), "betas": _betas(rng), "eps": float(rng.choice([1e-8, 1e-4]))}
    kw.update(amsgrad=amsgrad, maximize=maximize, weight_decay=_u(rng, 1e-3, 0.1) if weight_decay else 0.0)
    return kw


def sample_nadam(rng, weight_decay=False, decoupled=False, maximize=False):
    kw = {"lr": _u(rng, 1e-3, 3e-2), "betas": _betas(rng), "eps": float(rng.choice([1e-8, 1e-4]))}
    kw.update(momentum_decay=_u(rng, 1e-3, 1e-2), decoupled_weight_decay=decoupled, maximize=maximize)
    if weight_decay:
        kw["weight_decay"] = _u(rng, 1e-3, 0.1)
    return kw


def sample_radam(rng, weight_decay=False, decoupled=False, maximize=False):
    # β₂ ≤ 0.999 so the rectified (adaptive) branch switches on within the run, after the plain-momentum steps.
    kw = {"lr": _u(rng, 1e-3, 3e-2), "betas": (_u(rng, 0.5, 0.95), _u(rng, 0.9, 0.999))}
    kw.update(eps=float(rng.choice([1e-8, 1e-4])), decoupled_weight_decay=decoupled, maximize=maximize)
    if weight_decay:
        kw["weight_decay"] = _u(rng, 1e-3, 0.1)
    return kw


def sample_lars(rng, momentum=True, weight_decay=False, maximize=False):
    kw = {"lr": _u(rng, 0.5, 2.0), "trust_coefficient": _u(rng, 1e-3, 2e-2), "maximize": maximize}
    kw["momentum"] = _u(rng, 0.5, 0.95) if momentum else 0.0
    if weight_decay:
        kw["weight_decay"] = _u(rng, 1e-4, 1e-2)
    return kw


def sample_lamb(rng, weight_decay=False, maximize=False):
    kw = {"lr": _u(rng, 1e-3, 2e-2), "betas": _betas(rng), "eps": float(rng.choice([1e-6, 1e-4]))}
    kw["maximize"] = maximize
    if weight_decay:
        kw["weight_decay"] = _u(rng, 1e-3, 0.1)
    return kw


def sample_lion(rng, weight_decay=False, maximize=False):
    kw = {"lr": _u(rng, 1e-4, 1e-2), "betas": (_u(rng, 0.8, 0.95), _u(rng, 0.95, 0.999)), "maximize": maximize}
    if weight_decay:
        kw["weight_decay"] = _u(rng, 1e-3, 0.1)
    return kw


# (class / rule name, sampler, variants); every variant runs with two seeds.
TORCH_GRID: list[tuple[str, Callable, list[dict]]] = [
    (
        "SGD",
        sample_sgd,
        [
            {},
            {"momentum": True},
            {"momentum": True, "dampening": True},
            {"momentum": True, "nesterov": True},
            {"weight_decay": True, "maximize": True},
            {"momentum": True, "nesterov": True, "weight_decay": True, "maximize": True},
        ],
    ),
    (
        "Adagrad",
        sample_adagrad,
        [{}, {"lr_decay": True, "initial": True}, {"weight_decay": True, "maximize": True}],
    ),
    (
        "RMSprop",
        sample_rmsprop,
        [
            {},
            {"momentum": True},
            {"centered": True},
            {"momentum": True, "centered": True, "weight_decay": True, "maximize": True},
        ],
    ),
    ("Adadelta", sample_adadelta, [{}, {"weight_decay": True, "maximize": True}]),
    (
        "Adam",
        sample_adam,
        [
            {},
            {"amsgrad": True},
            {"weight_decay": True},
            {"weight_decay": True, "decoupled": True, "amsgrad": True},
            {"maximize": True, "weight_decay": True},
        ],
    ),
    ("AdamW", sample_adamw, [{}, {"amsgrad": True}, {"maximize": True, "weight_decay": False}]),
    ("NAdam", sample_nadam, [{}, {"weight_decay": True}, {"weight_decay": True, "decoupled": True, "maximize": True}]),
    ("RAdam", sample_radam, [{}, {"weight_decay": True}, {"weight_decay": True, "decoupled": True, "maximize": True}]),
]

CASES = [
    pytest.param(name, sampler, variant, seed, id=f"{name}-{'+'.join(variant) or 'plain'}-seed{seed}")
    for name, sampler, variants in TORCH_GRID
    for variant in variants
    for seed in (0, 1)
]


# --- the test problem ------------------------------------------------------------------------------------


def make_params(seed: int) -> list[torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    return [torch.randn(shape, generator=gen, dtype=torch.float64).requires_grad_() for shape in SHAPES]


def make_data(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(1000 + seed)
    X = torch.randn(32, 3, generator=gen, dtype=torch.float64)
    Y = torch.sin(X @ torch.randn(3, 2, generator=gen, dtype=torch.float64))
    return X, Y


def mlp_loss(params: list[torch.Tensor], X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
    W1, b1, W2, b2 = params
    return ((torch.tanh(X @ W1.T + b1) @ W2.T + b2 - Y) ** 2).mean()


def run(opt: torch.optim.Optimizer, params, X, Y, steps: int, maximize: bool) -> list[float]:
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = mlp_loss(params, X, Y)
        (-loss if maximize else loss).backward()  # maximizing −L is minimizing L: the run stays bounded
        opt.step()
        losses.append(loss.item())
    return losses


def rel_err(ours: torch.Tensor, ref: torch.Tensor) -> float:
    scale = ref.abs().max().clamp_min(1e-300)
    return float((ours - ref).abs().max() / scale)


def assert_same_state(ours: torch.optim.Optimizer, theirs: torch.optim.Optimizer) -> None:
    """Same state keys for every parameter, same values; step counters are tensors of the same dtype."""
    for p_o, p_t in zip(
        (p for g in ours.param_groups for p in g["params"]),
        (p for g in theirs.param_groups for p in g["params"]),
        strict=True,
    ):
        s_o, s_t = ours.state.get(p_o, {}), theirs.state.get(p_t, {})
        assert set(s_o) == set(s_t)
        for key, ref in s_t.items():
            assert torch.is_tensor(s_o[key]) and s_o[key].dtype == ref.dtype, key
            assert rel_err(s_o[key], ref) <= TOL, key


# --- tests -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "sampler", "variant", "seed"), CASES)
def test_class_matches_torch(name, sampler, variant, seed):
    kwargs = sampler(np.random.default_rng(seed), **variant)
    X, Y = make_data(seed)
    p_ours, p_torch = make_params(seed), make_params(seed)
    # Alternate torch's for-loop and foreach implementations between seeds (CPU default is the for-loop).
    theirs = getattr(torch.optim, name)(p_torch, foreach=bool(seed % 2), **kwargs)
    ours = getattr(go, name)(p_ours, **kwargs)
    maximize = kwargs.get("maximize", False)
    losses_torch = run(theirs, p_torch, X, Y, STEPS, maximize)
    run(ours, p_ours, X, Y, STEPS, maximize)
    assert losses_torch[-1] != losses_torch[0]  # the run actually moved
    for a, b in zip(p_ours, p_torch, strict=True):
        assert rel_err(a.detach(), b.detach()) <= TOL
    assert_same_state(ours, theirs)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_param_groups_with_their_own_hyperparameters(name):
    X, Y = make_data(3)
    p_ours, p_torch = make_params(3), make_params(3)
    extra = {"SGD": {"momentum": 0.9}, "Adam": {"amsgrad": True}, "RMSprop": {"centered": True}}[name]

    def groups(params):
        return [
            {"params": params[:2], "lr": 0.02, "weight_decay": 0.05, **extra},
            {"params": params[2:], "lr": 0.005},
        ]

    theirs = getattr(torch.optim, name)(groups(p_torch), lr=0.01)
    ours = getattr(go, name)(groups(p_ours), lr=0.01)
    run(theirs, p_torch, X, Y, STEPS, False)
    run(ours, p_ours, X, Y, STEPS, False)
    for a, b in zip(p_ours, p_torch, strict=True):
        assert rel_err(a.detach(), b.detach()) <= TOL
    assert_same_state(ours, theirs)


def test_parameters_without_gradient_are_left_alone():
    params = make_params(0)
    frozen_before = params[3].detach().clone()
    X, Y = make_data(0)
    opt = go.Adam(params, lr=0.01)
    loss = mlp_loss(params, X, Y)
    loss.backward()
    params[3].grad = None
    opt.step()
    assert torch.equal(params[3].detach(), frozen_before)
    assert params[3] not in opt.state and params[0] in opt.state


# --- the numpy path of every rule equals its torch path --------------------------------------------------

NUMPY_SHAPES = [(3, 2), (4,), (2, 2, 2)]
RULE_SAMPLERS: dict[str, tuple[Callable, dict]] = {
    "sgd": (sample_sgd, {"momentum": True, "nesterov": True, "weight_decay": True}),
    "adagrad": (sample_adagrad, {"lr_decay": True, "weight_decay": True, "initial": True}),
    "rmsprop": (sample_rmsprop, {"momentum": True, "centered": True, "weight_decay": True}),
    "adadelta": (sample_adadelta, {"weight_decay": True}),
    "adam": (sample_adam, {"amsgrad": True, "weight_decay": True}),
    "adamw": (sample_adamw, {"amsgrad": True}),
    "nadam": (sample_nadam, {"weight_decay": True, "decoupled": True}),
    "radam": (sample_radam, {"weight_decay": True}),
    "lars": (sample_lars, {"weight_decay": True}),
    "lamb": (sample_lamb, {"weight_decay": True}),
    "lion": (sample_lion, {"weight_decay": True}),
}


def field_gradient(x, center):
    """Gradient of f(θ) = Σ log cosh(θ − c) + 0.05 Σ θ⁴: non-quadratic, written for numpy and torch alike."""
    xp = torch if torch.is_tensor(x) else np
    return xp.tanh(x - center) + 0.2 * x**3


@pytest.fixture
def float64_default():
    """torch keeps step / mu_product in float32 unless the default dtype is float64; the numpy path keeps
    Python floats. Make them comparable."""
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


def test_every_rule_is_covered():
    assert set(RULE_SAMPLERS) == set(F.RULES)


@pytest.mark.parametrize("maximize", [False, True])
@pytest.mark.parametrize("rule", list(RULE_SAMPLERS))
def test_numpy_path_equals_torch_path(rule, maximize, float64_default):
    sampler, variant = RULE_SAMPLERS[rule]
    rng = np.random.default_rng(7)
    hyper = sampler(rng, **variant)
    hyper["maximize"] = maximize
    start = [rng.standard_normal(shape) for shape in NUMPY_SHAPES]
    centers = [rng.standard_normal(shape) for shape in NUMPY_SHAPES]
    sign = -1.0 if maximize else 1.0

    np_params = [x.copy() for x in start]
    np_states = [{} for _ in start]
    t_params = [torch.tensor(x) for x in start]
    t_states = [{} for _ in start]
    t_centers = [torch.tensor(c) for c in centers]
    for _ in range(50):
        for x, c, s in zip(np_params, centers, np_states, strict=True):
            F.step(rule, x, sign * field_gradient(x, c), s, **hyper)
        for x, c, s in zip(t_params, t_centers, t_states, strict=True):
            F.step(rule, x, sign * field_gradient(x, c), s, **hyper)
    for a, b, x0 in zip(np_params, t_params, start, strict=True):
        assert np.abs(a - x0).max() > 1e-3  # it moved
        assert np.abs(a - b.numpy()).max() <= TOL * np.abs(a).max()
    for s_np, s_t in zip(np_states, t_states, strict=True):
        assert set(s_np) == set(s_t)
        for key in s_np:
            a, b = np.asarray(s_np[key], dtype=float), np.asarray(s_t[key], dtype=float)
            assert np.abs(a - b).max() <= TOL * max(np.abs(b).max(), 1e-300), key
