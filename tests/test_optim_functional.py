"""The functional API: names, defaults, state keys, argument checks, building blocks, toy problems."""

from __future__ import annotations

import contextlib
import math

import numpy as np
import pytest
import torch

import gradcourse.optim as go
from gradcourse._backend import Scratch
from gradcourse.optim import building_blocks as B
from gradcourse.optim import functional as F


def test_rules_and_per_rule_functions():
    assert F.RULES == (
        "sgd", "adagrad", "rmsprop", "adadelta", "adam", "adamw", "nadam", "radam", "lars", "lamb", "lion"
    )
    for name in F.RULES:
        assert F.get_rule(name) is getattr(F, f"{name}_step")
        assert F.get_rule(name).__doc__.count("←") >= 1  # the formula is in the docstring
    assert F.get_rule("AdamW") is F.adamw_step


def test_defaults_are_torchs_and_a_fresh_copy():
    assert F.defaults("adam") == {
        "lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False,
        "maximize": False, "decoupled_weight_decay": False,
    }
    assert F.defaults("adamw")["weight_decay"] == 1e-2
    assert F.defaults("sgd")["lr"] == 1e-3 and F.defaults("adadelta")["lr"] == 1.0
    d = F.defaults("sgd")
    d["lr"] = 123.0
    assert F.defaults("sgd")["lr"] == 1e-3


STATE_CASES = [
    ("SGD", "sgd", {"momentum": 0.9}),
    ("SGD", "sgd", {}),
    ("Adagrad", "adagrad", {}),
    ("RMSprop", "rmsprop", {}),
    ("RMSprop", "rmsprop", {"momentum": 0.5, "centered": True}),
    ("Adadelta", "adadelta", {}),
    ("Adam", "adam", {}),
    ("Adam", "adam", {"amsgrad": True}),
    ("AdamW", "adamw", {"amsgrad": True}),
    ("NAdam", "nadam", {}),
    ("RAdam", "radam", {}),
]


@pytest.mark.parametrize(("cls", "rule", "hyper"), STATE_CASES)
def test_init_state_has_torchs_keys(cls, rule, hyper):
    p = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
    theirs = getattr(torch.optim, cls)([p], **hyper)
    p.grad = torch.ones_like(p)
    theirs.step()
    ours = F.init_state(rule, torch.zeros(3, 2, dtype=torch.float64), **hyper)
    assert list(ours) == list(theirs.state.get(p, {}))
    for key, value in ours.items():
        if key in ("step", "mu_product"):
            assert torch.is_tensor(value) and value.dtype == theirs.state[p][key].dtype
        elif value is not None:
            assert value.shape == p.shape and value.dtype == p.dtype


def test_init_state_on_numpy_uses_plain_numbers():
    state = F.init_state("nadam", np.zeros(2))
    assert state["step"] == 0 and state["mu_product"] == 1.0
    assert isinstance(state["exp_avg"], np.ndarray)
    assert F.init_state("adagrad", np.zeros(2), initial_accumulator_value=0.5)["sum"].tolist() == [0.5, 0.5]


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_step_updates_in_place_and_counts_steps(backend):
    theta = np.array([1.0, -2.0]) if backend == "numpy" else torch.tensor([1.0, -2.0], dtype=torch.float64)
    grad = theta * 0 + 0.5
    state = {}
    out = F.step("adam", theta, grad, state, lr=0.1)
    assert out is theta
    # Adam's first step moves every coordinate by η·g/|g| (up to ε): m̂ = g, √v̂ = |g|.
    np.testing.assert_allclose(np.asarray(theta), [0.9, -2.1], rtol=1e-7)
    F.step("adam", theta, grad, state, lr=0.1)
    assert float(state["step"]) == 2.0
    assert isinstance(state["step"], int if backend == "numpy" else torch.Tensor)


def test_step_on_a_leaf_tensor_that_requires_grad():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w**2).sum().backward()
    F.step("sgd", w, w.grad, {}, lr=0.25)
    assert w.detach().tolist() == [0.5, 1.0] and w.requires_grad


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: F.step("adamm", np.zeros(2), np.zeros(2), {}), r"unknown optimizer 'adamm'; choose one of sgd"),
        (
            lambda: F.step("adam", np.zeros(2), np.zeros(2), {}, momentum=0.9),
            r"adam has no hyperparameter\(s\) momentum",
        ),
        (lambda: F.step("adam", np.zeros(2), np.zeros(2), {}, lr=-1.0), r"Invalid learning rate: -1.0"),
        (lambda: F.step("rmsprop", np.zeros(2), np.zeros(2), {}, alpha=-0.5), r"Invalid alpha value: -0.5"),
        (lambda: F.step("sgd", np.zeros(2), np.zeros(2), {}, nesterov=True), r"Nesterov momentum requires"),
        (lambda: F.step("sgd", np.zeros(2), np.zeros(3), {}), r"grad has shape \(3,\) but param has shape \(2,\)"),
        (lambda: F.step("sgd", np.zeros(2, dtype=int), np.zeros(2), {}), r"param must be a floating-point"),
        (lambda: F.step("sgd", [0.0, 1.0], np.zeros(2), {}), r"param must be a floating-point .* got list"),
        (lambda: F.step("sgd", np.zeros(2), torch.zeros(2), {}), r"param is a ndarray but grad is a Tensor"),
        (lambda: F.step("sgd", np.zeros(2), np.zeros(2), None), r"state must be a dict"),
        (lambda: F.init_state("lamb", np.zeros(2), betas=(0.9, 1.2)), r"Invalid beta parameter at index 1: 1.2"),
        (lambda: F.defaults("nope"), r"unknown optimizer 'nope'"),
    ],
)
def test_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_state_made_for_other_hyperparameters_is_explained():
    theta = np.zeros(2)
    state = F.init_state("adam", theta)  # amsgrad=False: no max_exp_avg_sq
    with pytest.raises(ValueError, match=r"no entry 'max_exp_avg_sq'.*init_state\('adam'"):
        F.step("adam", theta, np.ones(2), state, amsgrad=True)


LIST_HYPER = {
    "rmsprop": {"centered": True, "momentum": 0.5},
    "sgd": {"momentum": 0.9, "nesterov": True},
    "adam": {"amsgrad": True},
    "adagrad": {"lr_decay": 0.01},
}
ELEMENTWISE = [name for name in F.RULES if name not in ("lars", "lamb")]


@pytest.mark.parametrize("scratch", [False, True])
@pytest.mark.parametrize("rule", ELEMENTWISE)
def test_a_rule_on_a_list_of_tensors_equals_the_rule_on_each(rule, scratch):
    # One formula, three backends: the list path (torch._foreach_*, or kept buffers inside Scratch) must give
    # exactly the numbers of one call per tensor.
    gen = torch.Generator().manual_seed(0)
    shapes = [(4, 3), (1 << 16,), (2, 2, 2)]  # one large enough for the kept buffers of Scratch
    start = [torch.randn(s, generator=gen, dtype=torch.float64) for s in shapes]
    grads = [[torch.randn(s, generator=gen, dtype=torch.float64) for s in shapes] for _ in range(4)]
    kw = {"maximize": True, "lr": 0.01, "weight_decay": 0.1, **LIST_HYPER.get(rule, {})}
    one = [x.clone() for x in start]
    many = [x.clone() for x in start]
    one_states = [{} for _ in start]
    per_tensor = [F.init_state(rule, x, **kw) for x in many]
    many_state = {k: None if v is None else [s[k] for s in per_tensor] for k, v in per_tensor[0].items()}
    keep = Scratch()
    for gs in grads:
        for x, g, s in zip(one, gs, one_states, strict=True):
            F.step(rule, x, g, s, **kw)
        with keep if scratch else contextlib.nullcontext():
            F.get_rule(rule)(many, gs, many_state, **kw)
    for a, b in zip(one, many, strict=True):
        assert torch.equal(a, b)
    for i, s in enumerate(one_states):
        for key, value in s.items():
            assert torch.equal(torch.as_tensor(value), torch.as_tensor(many_state[key][i])), key


def test_scratch_reuses_the_memory_of_temporaries_and_changes_no_number():
    from gradcourse import _backend as K

    v = torch.rand(1 << 16)
    keep = Scratch()
    with keep:
        first = K.sqrt(v)
        other = K.sqrt(v)
    assert first.data_ptr() != other.data_ptr()  # two temporaries alive at once never share memory
    with keep:
        again = K.sqrt(v + 1.0)
    assert again.data_ptr() == first.data_ptr() and torch.equal(again, torch.sqrt(v + 1.0))
    assert K.sqrt(v).data_ptr() != first.data_ptr()  # outside the block: fresh memory
    with keep:
        assert K.sqrt(v[:10]).data_ptr() != first.data_ptr()  # small tensors: fresh memory is cheap


def test_the_callers_gradient_is_never_modified():
    grad = torch.tensor([1.0, -1.0], dtype=torch.float64)
    for rule in F.RULES:
        theta = torch.tensor([0.5, 0.25], dtype=torch.float64)
        F.step(rule, theta, grad, {}, maximize=True, **({"weight_decay": 0.1} if rule != "lion" else {}))
        assert grad.tolist() == [1.0, -1.0], rule


# --- building blocks -------------------------------------------------------------------------------------


def test_ema_forms():
    avg, x = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    np.testing.assert_allclose(B.ema_(avg.copy(), x, 0.9), 0.9 * avg + 0.1 * x)
    np.testing.assert_allclose(B.ema_(avg.copy(), x, 0.9, squared=True), 0.9 * avg + 0.1 * x**2)
    np.testing.assert_allclose(B.ema_(avg.copy(), x, 0.9, weight=0.7), 0.9 * avg + 0.7 * x)
    np.testing.assert_allclose(B.ema_(avg.copy(), x, 1.0, weight=1.0, squared=True), avg + x**2)


def test_bias_correction_turns_the_first_average_into_the_gradient():
    beta, g = 0.9, 2.5
    m = (1 - beta) * g  # one EMA step from zero
    assert B.bias_correction(beta, 1) == pytest.approx(1 - beta)
    assert m / B.bias_correction(beta, 1) == pytest.approx(g)
    assert B.bias_correction(beta, 200) == pytest.approx(1.0, abs=1e-9)


def test_adaptive_denominator_is_sqrt_vhat_plus_eps():
    v, t, beta2, eps = np.array([1e-6, 0.5, 4.0]), 3, 0.999, 1e-3
    np.testing.assert_allclose(B.adaptive_denominator(v, t, beta2, eps), np.sqrt(v / (1 - beta2**t)) + eps, rtol=1e-14)


def test_coupled_and_decoupled_weight_decay():
    theta, g = np.array([2.0, -4.0]), np.array([0.5, 0.5])
    np.testing.assert_allclose(B.l2_penalty(g, theta, 0.1), [0.7, 0.1])
    np.testing.assert_allclose(B.decoupled_weight_decay_(theta.copy(), 0.5, 0.1), [1.9, -3.8])
    # AdamW's decay never enters the moments: with g = 0 the moments stay zero and θ only shrinks.
    theta, state = np.array([2.0, -4.0]), {}
    F.step("adamw", theta, np.zeros(2), state, lr=0.5, weight_decay=0.1)
    np.testing.assert_allclose(theta, [1.9, -3.8])
    assert not state["exp_avg"].any() and not state["exp_avg_sq"].any()


def test_effective_gradient_leaves_grad_alone_when_nothing_changes():
    g = np.array([1.0, 2.0])
    assert B.effective_gradient(g, np.zeros(2)) is g
    np.testing.assert_allclose(B.effective_gradient(g, np.ones(2), maximize=True, weight_decay=0.5), [-0.5, -1.5])


# --- the chapters' use: 2-D toy problems on numpy -------------------------------------------------------

TOY_LR = {
    "sgd": {"lr": 0.2, "momentum": 0.5},
    "adagrad": {"lr": 0.5},
    "rmsprop": {"lr": 0.05},
    "adadelta": {"lr": 1.0, "eps": 1e-2},
    "adam": {"lr": 0.1},
    "adamw": {"lr": 0.1},
    "nadam": {"lr": 0.1},
    "radam": {"lr": 0.1},
    "lars": {"lr": 1.0, "trust_coefficient": 0.05},
    "lamb": {"lr": 0.05},
    "lion": {"lr": 0.02},
}


@pytest.mark.parametrize("rule", F.RULES)
def test_every_rule_descends_an_ill_conditioned_quadratic(rule):
    # f(x, y) = 0.1x² + 2y²  (κ = 20), from (−1.5, 2).
    def f(z):
        return 0.1 * z[0] ** 2 + 2.0 * z[1] ** 2

    theta, state = np.array([-1.5, 2.0]), {}
    start = f(theta)
    for _ in range(150):
        F.step(rule, theta, np.array([0.2 * theta[0], 4.0 * theta[1]]), state, **TOY_LR[rule])
    assert math.isfinite(f(theta)) and f(theta) < 0.5 * start


def test_classes_are_exported():
    for name in ("SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "NAdam", "RAdam", "LARS", "LAMB", "Lion"):
        assert issubclass(getattr(go, name), torch.optim.Optimizer)
