"""Tests for the torch side of gradcourse.nets: mlp(), TanhRNN, CliffRNN and its landscape."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from gradcourse.init import SCHEMES
from gradcourse.nets import NORMS, CliffRNN, TanhRNN, cliff_landscape, mlp


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny networks run fastest on one thread; with two threads on a busy 2-core machine, torch's
    thread pool waits for a core at every operation and a 20-layer forward+backward takes seconds."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


GEN = torch.Generator().manual_seed(0)
X = torch.randn(64, 32, generator=GEN)
Y = torch.randint(0, 10, (64,), generator=GEN)


def first_over_last_grad(model: nn.Module) -> float:
    F.cross_entropy(model(X), Y).backward()
    norms = [block.linear.weight.grad.norm().item() for block in model.blocks]
    return norms[0] / norms[-1]


# ------------------------------------------------------------------------------------------ mlp
def test_mlp_structure():
    net = mlp(32, 10, depth=5, width=16, activation="tanh", norm="layer", residual=True)
    assert isinstance(net.blocks, nn.ModuleList) and len(net.blocks) == 5
    assert net.blocks[0].linear.weight.shape == (16, 32) and net.blocks[4].linear.weight.shape == (16, 16)
    assert [b.residual for b in net.blocks] == [False, True, True, True, True]  # widths differ in block 0
    assert isinstance(net.blocks[1].norm, nn.LayerNorm) and isinstance(net.blocks[1].act, nn.Tanh)
    assert net(X).shape == (64, 10)
    assert isinstance(mlp(3, 2, depth=1, width=4, norm="batch").blocks[0].norm, nn.BatchNorm1d)
    linear = mlp(3, 2, depth=0, width=4)
    assert len(linear.blocks) == 0 and linear(torch.ones(5, 3)).shape == (5, 2)


def test_residual_block_computes_h_plus_f_of_h():
    block = mlp(8, 1, depth=2, width=8, activation="relu", residual=True, seed=1).blocks[1]
    h = torch.randn(4, 8, generator=torch.Generator().manual_seed(2))
    f_of_h = torch.relu(block.linear(h))
    assert torch.allclose(block(h), h + f_of_h, rtol=1e-6, atol=1e-7)
    plain = mlp(8, 1, depth=2, width=8, activation="relu", residual=False, seed=1).blocks[1]
    assert torch.equal(plain(h), f_of_h)


def test_mlp_is_deterministic_and_leaves_the_global_rng_alone():
    state = torch.get_rng_state()
    a = mlp(32, 10, depth=3, width=16, init="kaiming_normal", seed=7)
    assert torch.equal(torch.get_rng_state(), state)
    b = mlp(32, 10, depth=3, width=16, init="kaiming_normal", seed=7)
    c = mlp(32, 10, depth=3, width=16, init="kaiming_normal", seed=8)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert not torch.equal(a.blocks[0].linear.weight, c.blocks[0].linear.weight)


def test_default_init_is_exactly_torch_linear_after_manual_seed():
    torch.manual_seed(3)
    reference = [nn.Linear(5, 8), nn.Linear(8, 8), nn.Linear(8, 3)]
    net = mlp(5, 3, depth=2, width=8, seed=3)
    ours = [net.blocks[0].linear, net.blocks[1].linear, net.head]
    for r, o in zip(reference, ours, strict=True):
        assert torch.equal(r.weight, o.weight) and torch.equal(r.bias, o.bias)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_init_scheme_builds(scheme):
    std = 0.05 if scheme == "normal" else None
    net = mlp(16, 4, depth=2, width=16, activation="tanh", init=scheme, std=std, dtype=torch.float64)
    w = net.blocks[1].linear.weight
    assert w.dtype == torch.float64 and torch.isfinite(w).all()
    bias_is_zero = bool((net.blocks[1].linear.bias == 0).all())
    assert bias_is_zero == (scheme != "default")
    if scheme == "orthogonal":  # gain 5/3 for tanh: every singular value is 5/3
        assert torch.allclose(torch.linalg.svdvals(w.detach()), torch.tensor(5 / 3, dtype=torch.float64))


def test_depth_makes_sigmoid_gradients_vanish_and_the_fixes_work():
    kw = {"depth": 20, "width": 32, "activation": "sigmoid", "init": "xavier_uniform"}
    plain = first_over_last_grad(mlp(32, 10, **kw))
    residual = first_over_last_grad(mlp(32, 10, residual=True, **kw))
    batchnorm = first_over_last_grad(mlp(32, 10, norm="batch", **kw))
    assert plain < 1e-9  # 20 sigmoid layers: the first layer learns ~10^12 times slower than the last
    assert residual > 1e-2 and batchnorm > 1e-1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "gelu"}, r"activation must be one of 'sigmoid', 'tanh', 'relu', 'identity'; got"),
        ({"init": "he"}, "init must be one of"),
        ({"norm": "group"}, r"norm must be one of 'none', 'batch', 'layer'; got"),
        ({"depth": -1}, "depth must be a non-negative integer"),
        ({"width": 0}, "width must be an integer >= 1"),
        ({"width": 2.5}, "width must be an integer"),
        ({"seed": -1}, "seed must be a non-negative integer"),
    ],
)
def test_mlp_bad_arguments(kwargs, message):
    args = {"depth": 2, "width": 4, **kwargs}
    with pytest.raises(ValueError, match=message):
        mlp(3, 2, **args)
    assert set(NORMS) == {"none", "batch", "layer"}


def test_mlp_wrong_input_shape():
    with pytest.raises(ValueError, match=r"x must have shape \(batch, 3\), got \(2, 4\)"):
        mlp(3, 2, depth=1, width=4)(torch.ones(2, 4))


# --------------------------------------------------------------------------------------- TanhRNN
def rnn_state_grad_norms(rnn: TanhRNN, x: torch.Tensor) -> list[float]:
    y_hat, states = rnn(x, return_states=True)
    (y_hat - 1.0).pow(2).mean().backward()
    return [h.grad.norm().item() for h in states]


def test_tanh_rnn_shapes_and_spectral_radius():
    rnn = TanhRNN(2, 16, 3, spectral_radius=0.9, seed=1)
    assert rnn.spectral_radius() == pytest.approx(0.9, rel=1e-5)
    assert rnn(torch.zeros(5, 7, 2)).shape == (5, 3)
    rnn.set_spectral_radius_(2.0)
    assert rnn.spectral_radius() == pytest.approx(2.0, rel=1e-5)
    assert rnn.spectral_norm() >= rnn.spectral_radius() - 1e-6  # ρ ≤ ‖W‖₂ for every matrix
    a, b = TanhRNN(2, 8, 1, seed=4), TanhRNN(2, 8, 1, seed=4)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))


def test_tanh_rnn_gradient_through_time_grows_as_radius_to_the_power_T():
    # zero input and zero biases keep h_t = 0, where tanh' = 1: BPTT multiplies by W_hhᵀ = 1.5·Qᵀ each step
    rnn = TanhRNN(2, 16, 1, spectral_radius=1.5, init="orthogonal", dtype=torch.float64)
    norms = rnn_state_grad_norms(rnn, torch.zeros(4, 20, 2, dtype=torch.float64))
    assert norms[0] / norms[-1] == pytest.approx(1.5**19, rel=1e-10)


def test_tanh_rnn_gradient_vanishes_for_small_radius():
    rnn = TanhRNN(2, 16, 1, spectral_radius=0.5, dtype=torch.float64)
    x = torch.randn(4, 30, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    norms = rnn_state_grad_norms(rnn, x)
    assert norms[0] / norms[-1] < 0.5**25


def test_tanh_rnn_bad_input():
    rnn = TanhRNN(2, 4, 1)
    with pytest.raises(ValueError, match=r"x must have shape \(batch, T, 2\)"):
        rnn(torch.zeros(3, 2))
    with pytest.raises(ValueError, match="spectral_radius"):
        rnn.set_spectral_radius_(-1.0)
    with pytest.raises(ValueError, match="hidden_size"):
        TanhRNN(2, 0, 1)
    with pytest.raises(ValueError, match="init must be one of"):
        TanhRNN(2, 4, 1, init="zeros")


# -------------------------------------------------------------------------------------- CliffRNN
def test_cliff_rnn_forward_loss_and_gradient():
    model = CliffRNN(5.0, -2.5, steps=50)
    x = 0.5
    for _ in range(50):
        x = 5.0 * (1 / (1 + np.exp(-x))) - 2.5
    assert model().item() == pytest.approx(x, rel=1e-12)
    loss = model.loss()
    assert loss.item() == pytest.approx((x - 0.7) ** 2, rel=1e-12)
    loss.backward()
    # finite differences on b agree with autograd
    eps = 1e-6
    up, down = CliffRNN(5.0, -2.5 + eps).loss().item(), CliffRNN(5.0, -2.5 - eps).loss().item()
    assert model.b.grad.item() == pytest.approx((up - down) / (2 * eps), rel=1e-5)


def test_cliff_landscape_has_a_cliff_and_matches_the_module():
    ws, bs = np.linspace(-2.0, 12.0, 71), np.linspace(-8.0, 2.0, 51)
    land = cliff_landscape(ws, bs)
    assert land.loss.shape == land.grad_w.shape == land.grad_b.shape == land.w.shape == (51, 71)
    assert np.all(np.isfinite(land.loss)) and np.all(np.isfinite(land.grad_b))
    # the same point through the module
    i, j = 20, 40
    model = CliffRNN(float(land.w[i, j]), float(land.b[i, j]))
    model.loss().backward()
    assert model.w.grad.item() == pytest.approx(land.grad_w[i, j], rel=1e-10)
    assert model.b.grad.item() == pytest.approx(land.grad_b[i, j], rel=1e-10)
    # the cliff: at w = 5, moving b by 0.001 moves the loss by more than 5 (a wall, not a slope) ...
    line = cliff_landscape([5.0], np.linspace(-3.5, -1.5, 2001))
    assert np.abs(np.diff(line.loss[:, 0])).max() > 5.0
    assert np.median(np.abs(line.grad_b)) < 10.0
    # ... and zooming in on the wall, the gradient is ten thousand times steeper than elsewhere
    wall = cliff_landscape([5.0], np.linspace(-2.62, -2.60, 2001))
    assert np.abs(wall.grad_b).max() > 1e4


def test_cliff_bad_input():
    with pytest.raises(ValueError, match="w must be a finite number"):
        CliffRNN(float("nan"), 0.0)
    with pytest.raises(ValueError, match="steps"):
        CliffRNN(1.0, 0.0, steps=0)
    with pytest.raises(ValueError, match="b_values"):
        cliff_landscape([1.0], [])
