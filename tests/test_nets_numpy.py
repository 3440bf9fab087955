"""Tests for the numpy side of gradcourse.nets: activations, NumpyMLP's hand-written backprop, gradient checks.

The reference for every number is torch autograd in float64.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gradcourse import data
from gradcourse.nets import (
    ACTIVATIONS,
    LOSSES,
    NumpyMLP,
    get_activation,
    gradient_check,
    log_softmax,
    numerical_gradient,
    softmax,
)

TORCH_ACT = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "identity": lambda z: z}
Z = np.concatenate([np.linspace(-40, 40, 8001), [-1000.0, -745.0, 0.0, 745.0, 1000.0]])


# ------------------------------------------------------------------------------------- activations
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_and_derivative_match_torch(name):
    act = get_activation(name)
    z = torch.tensor(Z, requires_grad=True)
    out = TORCH_ACT[name](z)
    (d,) = torch.autograd.grad(out.sum(), z)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings, even at |z| = 1000
        f, df = act.f(Z), act.df(Z)
    np.testing.assert_allclose(f, out.detach().numpy(), rtol=1e-12, atol=1e-300)
    # torch computes σ' from the output, σ(1 − σ), which rounds to 0 or 2e-16 in the tails; we are exact there
    np.testing.assert_allclose(df, d.numpy(), rtol=1e-10, atol=3e-16)
    assert f.dtype == df.dtype == np.float64
    assert act.f(Z.astype(np.float32)).dtype == np.float32


def test_derivative_bounds_are_the_course_facts():
    s, t, r = (get_activation(n).df(Z) for n in ("sigmoid", "tanh", "relu"))
    assert s.max() == 0.25 and np.all(s <= 0.25) and s[Z == 0.0][0] == 0.25  # σ' ≤ 1/4, equal at 0
    assert t.max() == 1.0 and np.all(t <= 1.0)  # tanh' ≤ 1
    assert set(np.unique(r)) == {0.0, 1.0} and r[Z == 0.0][0] == 0.0  # ReLU' ∈ {0, 1}, 0 at 0 like torch
    for name in ACTIVATIONS:
        act = get_activation(name)
        assert act.df(Z).max() == act.max_slope


def test_sigmoid_and_derivatives_are_exact_in_the_tails():
    sig, tanh = get_activation("sigmoid"), get_activation("tanh")
    assert sig.f(np.array([-1000.0]))[0] == 0.0 and sig.f(np.array([1000.0]))[0] == 1.0
    assert sig.f(np.array([-700.0]))[0] > 0.0  # e^(−700) ≈ 1e-304: computed, not rounded to 0
    z = np.array([-40.0, 40.0])
    assert sig.df(z) == pytest.approx(np.exp(-40.0), rel=1e-12)  # σ(40)(1 − σ(40)) would give 0
    assert tanh.df(z) == pytest.approx(4 * np.exp(-80.0), rel=1e-12)  # 1 − tanh(40)² would give 0


def test_softmax_and_log_softmax_are_stable():
    z = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p, lp = softmax(z), log_softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(lp, F.log_softmax(torch.tensor(z), dim=1).numpy(), rtol=1e-12)
    assert np.isfinite(lp).all() and lp[0, 2] == -2000.0
    np.testing.assert_allclose(softmax(z, axis=0), F.softmax(torch.tensor(z), dim=0).numpy(), rtol=1e-12)


def test_unknown_activation_lists_the_choices():
    with pytest.raises(ValueError, match=r"activation must be one of 'sigmoid', 'tanh', 'relu', 'identity'; got"):
        get_activation("gelu")
    with pytest.raises(ValueError, match="activation"):
        NumpyMLP([2, 3, 1], activation="softplus")


# ------------------------------------------------------------------------------------- torch twin
def torch_reference(net: NumpyMLP, X: np.ndarray, y: np.ndarray, loss: str):
    """The same network in torch autograd (float64): loss, output, weight grads and ∂L/∂h_l."""
    h = torch.tensor(X)
    params, hidden = [], []
    for l, (W, b) in enumerate(net.params, start=1):
        Wt, bt = torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)
        params.append((Wt, bt))
        h = h @ Wt.T + bt
        if l < net.n_layers:
            h = TORCH_ACT[net.activation.name](h)
            h.retain_grad()
            hidden.append(h)
    if loss == "mse":
        value = F.mse_loss(h, torch.tensor(y).reshape(h.shape))
    else:
        value = F.cross_entropy(h, torch.tensor(y))
    value.backward()
    grads = [(W.grad.numpy(), b.grad.numpy()) for W, b in params]
    return value.item(), h.detach().numpy(), grads, [v.grad.numpy() for v in hidden]


def random_problem(seed: int, loss: str):
    rng = np.random.default_rng(seed)
    depth = int(rng.integers(1, 5))
    sizes = [int(v) for v in rng.integers(1, 7, size=depth + 1)]
    n_out = int(rng.integers(2, 5)) if loss == "cross_entropy" else int(rng.integers(1, 4))
    sizes.append(n_out)
    N = int(rng.integers(1, 9))
    X = rng.normal(size=(N, sizes[0]))
    y = rng.integers(0, n_out, size=N) if loss == "cross_entropy" else rng.normal(size=(N, n_out))
    return sizes, X, y


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("seed", range(4))
def test_forward_and_every_gradient_match_torch_autograd(activation, loss, seed):
    sizes, X, y = random_problem(seed, loss)
    init = ("xavier_uniform", "xavier_normal", "kaiming_normal", "orthogonal")[seed]
    net = NumpyMLP(sizes, activation=activation, init=init, seed=seed)
    value, grads, signals = net.loss_and_grads(X, y, loss=loss)
    t_value, t_out, t_grads, t_signals = torch_reference(net, X, y, loss)

    np.testing.assert_allclose(net(X), t_out, rtol=1e-8, atol=1e-12)
    assert value == pytest.approx(t_value, rel=1e-8, abs=1e-14)
    assert len(grads) == len(sizes) - 1 and len(signals) == len(sizes) - 2
    for (dW, db), (tW, tb), (W, b) in zip(grads, t_grads, net.params, strict=True):
        assert dW.shape == W.shape and db.shape == b.shape
        np.testing.assert_allclose(dW, tW, rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(db, tb, rtol=1e-8, atol=1e-12)
    for s, ts in zip(signals, t_signals, strict=True):
        np.testing.assert_allclose(s, ts, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_every_gradient_agrees_with_finite_differences(activation, loss):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(6, 3))
    y = np.arange(6) % 3 if loss == "cross_entropy" else rng.normal(size=(6, 3))
    net = NumpyMLP([3, 5, 4, 3], activation=activation, seed=3)
    for layer in range(net.n_layers):
        for k in range(2):  # W, then b
            def f(_, layer=layer, k=k):
                value, grads, _ = net.loss_and_grads(X, y, loss=loss)
                return value, grads[layer][k]

            assert gradient_check(f, net.params[layer][k]) < 1e-5


def test_mse_accepts_a_flat_target_for_one_output():
    net = NumpyMLP([2, 3, 1], seed=0)
    X, y = data.xor()
    flat = net.loss_and_grads(X, y)
    column = net.loss_and_grads(X, y.reshape(4, 1).astype(float))
    assert flat[0] == column[0]
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(flat[1], column[1], strict=True))


# ------------------------------------------------------------------------------- behaviour
def test_signals_vanish_with_sigmoid_but_not_with_tanh():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 16)), rng.normal(size=(32, 1))
    norms = {}
    for act in ("sigmoid", "tanh"):
        _, _, signals = NumpyMLP([16] * 11 + [1], activation=act).loss_and_grads(X, y)
        norms[act] = [np.linalg.norm(s) for s in signals]
    first_over_last = {k: v[0] / v[-1] for k, v in norms.items()}
    # each sigmoid layer multiplies the signal by at most 1/4 (times the weights): 10 layers ≈ 4^-9
    assert first_over_last["sigmoid"] < 1e-4
    assert first_over_last["tanh"] > 0.1


def test_gradient_descent_solves_xor():
    X, y = data.xor()
    net = NumpyMLP([2, 8, 2], activation="tanh", seed=0)
    first = net.loss_and_grads(X, y, loss="cross_entropy")[0]
    for _ in range(500):
        loss, grads, _ = net.loss_and_grads(X, y, loss="cross_entropy")
        net.sgd_step(grads, lr=0.5)
    assert loss < 0.05 < first
    assert np.array_equal(net(X).argmax(axis=1), y)


def test_same_seed_same_network_and_float32():
    a, b, c = (NumpyMLP([4, 6, 2], seed=s) for s in (5, 5, 6))
    assert all(np.array_equal(p[0], q[0]) for p, q in zip(a.params, b.params, strict=True))
    assert not np.array_equal(a.params[0][0], c.params[0][0])
    assert a.params[0][0].shape == (6, 4) and np.all(a.params[0][1] == 0)
    net32 = NumpyMLP([4, 6, 2], dtype=np.float32)
    assert net32(np.ones((3, 4))).dtype == np.float32
    assert NumpyMLP([4, 6, 2], init="normal", std=0.01).params[0][0].std() < 0.02


# ---------------------------------------------------------------------------------- gradcheck
def test_gradient_check_catches_a_wrong_gradient():
    x = np.array([1.0, -2.0, 0.5])
    assert gradient_check(lambda x: (np.sum(x**3), 3 * x**2), x) < 1e-8
    assert gradient_check(lambda x: (np.sum(x**3), 2 * x**2), x) > 0.1
    np.testing.assert_array_equal(x, [1.0, -2.0, 0.5])  # restored exactly after the in-place nudges
    np.testing.assert_allclose(numerical_gradient(lambda x: np.sum(np.sin(x)), x), np.cos(x), rtol=1e-8)


def test_gradient_check_bad_input():
    with pytest.raises(ValueError, match="float numpy array"):
        gradient_check(lambda x: (0.0, x), np.array([1, 2]))
    with pytest.raises(ValueError, match="eps"):
        gradient_check(lambda x: (0.0, x), np.ones(2), eps=0.0)
    with pytest.raises(ValueError, match="grad.shape"):
        gradient_check(lambda x: (0.0, np.ones(3)), np.ones(2))
    with pytest.raises(ValueError, match="NaN or inf"):
        gradient_check(lambda x: (0.0, x), np.array([np.nan]))


# ---------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sizes": [3]}, "sizes"),
        ({"sizes": [3, 0, 1]}, "sizes"),
        ({"sizes": [3, 2.5, 1]}, "sizes"),
        ({"sizes": [3, 2], "init": "he"}, "init must be one of"),
        ({"sizes": [3, 2], "dtype": np.int64}, "dtype"),
        ({"sizes": [3, 2], "seed": -1}, "seed must be a non-negative integer"),
        ({"sizes": [3, 2], "init": "normal"}, "std"),
    ],
)
def test_bad_constructor_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        NumpyMLP(**kwargs)


def test_bad_batches_name_the_argument():
    net = NumpyMLP([3, 4, 2], seed=0)
    good_X = np.ones((5, 3))
    with pytest.raises(ValueError, match=r"X must have shape \(batch, 3\).*reshape"):
        net.forward(np.ones(3))
    with pytest.raises(ValueError, match=r"X must have shape \(batch, 3\), got \(5, 4\)"):
        net.forward(np.ones((5, 4)))
    with pytest.raises(ValueError, match="X is empty"):
        net.forward(np.ones((0, 3)))
    with pytest.raises(ValueError, match="finite"):
        net.forward(np.array([[1.0, np.inf, 0.0]]))
    with pytest.raises(ValueError, match=r"y must have the output's shape \(5, 2\)"):
        net.loss_and_grads(good_X, np.ones(5))
    with pytest.raises(ValueError, match="y must contain finite"):
        net.loss_and_grads(good_X, np.full((5, 2), np.nan))
    with pytest.raises(ValueError, match="integer class labels"):
        net.loss_and_grads(good_X, np.ones(5), loss="cross_entropy")
    with pytest.raises(ValueError, match=r"must lie in \[0, 2\)"):
        net.loss_and_grads(good_X, np.array([0, 1, 2, 0, 1]), loss="cross_entropy")
    with pytest.raises(ValueError, match=r"loss must be one of 'mse', 'cross_entropy'; got"):
        net.loss_and_grads(good_X, np.ones((5, 2)), loss="hinge")
