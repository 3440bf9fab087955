"""gradcourse.init: gains, fans and bounds equal torch.nn.init's; samples have the intended variance."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch.nn import init as TI

from gradcourse import init as I

TORCH_NONLINEARITIES = [
    "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "sigmoid", "tanh", "relu", "leaky_relu", "selu",
]  # fmt: skip
SHAPES = [(3, 5), (5, 3), (1, 1), (8, 4, 3, 3), (2, 3, 4), (6, 2, 1, 1, 5)]


# ----------------------------------------------------------------------------------------------------------
# gain, fans, bounds
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", TORCH_NONLINEARITIES)
def test_calculate_gain_equals_torch(name):
    assert I.calculate_gain(name) == TI.calculate_gain(name)


@pytest.mark.parametrize("slope", [None, 0, 0.2, 1, 3, -0.5, math.sqrt(5)])
def test_leaky_relu_gain_equals_torch(slope):
    assert I.calculate_gain("leaky_relu", slope) == TI.calculate_gain("leaky_relu", slope)


def test_gain_values_and_errors():
    assert I.calculate_gain("identity") == 1.0  # gradcourse.nets calls the linear activation "identity"
    assert I.calculate_gain("relu") == math.sqrt(2) and I.calculate_gain("tanh") == 5 / 3
    assert I.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match=r"nonlinearity must be one of .*'tanh'.*'leaky_relu'.*got 'gelu'"):
        I.calculate_gain("gelu")
    with pytest.raises(ValueError, match="negative slope"):
        I.calculate_gain("leaky_relu", True)


@pytest.mark.parametrize("shape", SHAPES)
def test_fans_equal_torch(shape):
    assert I.fan_in_and_fan_out(shape) == TI._calculate_fan_in_and_fan_out(torch.empty(shape))
    assert I.fan_in_and_fan_out(torch.Size(shape)) == I.fan_in_and_fan_out(list(shape))


def test_linear_weight_convention():
    layer = torch.nn.Linear(in_features=7, out_features=3)
    assert tuple(layer.weight.shape) == (3, 7) and I.fan_in_and_fan_out(layer.weight.shape) == (7, 3)


@pytest.mark.parametrize("shape", [(5,), (), "ab", (3, -1), (2.0, 3)])
def test_bad_shapes_raise(shape):
    with pytest.raises(ValueError, match="shape"):
        I.fan_in_and_fan_out(shape)


@pytest.mark.parametrize(("fan_in", "fan_out"), [(1, 1), (784, 256), (3, 1000), (27, 64)])
@pytest.mark.parametrize("gain", [1.0, 5 / 3, math.sqrt(2.0)])
def test_bounds_equal_torch_formulas(fan_in, fan_out, gain):
    # written out exactly as torch/nn/init.py computes them
    torch_xavier_std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    assert I.xavier_std(fan_in, fan_out, gain) == torch_xavier_std
    assert I.xavier_uniform_bound(fan_in, fan_out, gain) == math.sqrt(3.0) * torch_xavier_std
    assert I.xavier_uniform_bound(fan_in, fan_out, gain) == pytest.approx(
        gain * math.sqrt(6.0 / (fan_in + fan_out)), rel=1e-15
    )
    torch_kaiming_std = gain / math.sqrt(fan_in)
    assert I.kaiming_std(fan_in, gain) == torch_kaiming_std
    assert I.kaiming_uniform_bound(fan_in, gain) == math.sqrt(3.0) * torch_kaiming_std
    assert I.lecun_std(fan_in) == 1 / math.sqrt(fan_in)
    assert I.glorot_standard_bound(fan_in) == 1 / math.sqrt(fan_in) == I.default_bias_bound(fan_in)
    # torch.nn.Linear's a = √5 trick is U(±1/√fan_in) up to rounding
    default = I.kaiming_uniform_bound(fan_in, TI.calculate_gain("leaky_relu", math.sqrt(5)))
    assert default == pytest.approx(1 / math.sqrt(fan_in), rel=1e-15)


def test_zero_fans_raise():
    with pytest.raises(ValueError, match="fan_in must be a positive integer"):
        I.xavier_std(0, 5)
    with pytest.raises(ValueError, match="fan must be a positive integer"):
        I.kaiming_normal((4, 0))


# ----------------------------------------------------------------------------------------------------------
# torch twins: same generator, same numbers as torch.nn.init
# ----------------------------------------------------------------------------------------------------------
TWINS = [
    (I.xavier_uniform_, TI.xavier_uniform_, (64, 32), {}),
    (I.xavier_uniform_, TI.xavier_uniform_, (16, 8, 3, 3), dict(gain=5 / 3)),
    (I.xavier_normal_, TI.xavier_normal_, (64, 32), dict(gain=2.0)),
    (I.kaiming_uniform_, TI.kaiming_uniform_, (64, 32), {}),
    (I.kaiming_uniform_, TI.kaiming_uniform_, (64, 32), dict(a=math.sqrt(5))),
    (I.kaiming_uniform_, TI.kaiming_uniform_, (16, 8, 3, 3), dict(mode="fan_out", nonlinearity="relu")),
    (I.kaiming_normal_, TI.kaiming_normal_, (64, 32), dict(nonlinearity="tanh")),
    (I.kaiming_normal_, TI.kaiming_normal_, (64, 32), dict(a=0.2, mode="fan_out")),
    (I.orthogonal_, TI.orthogonal_, (64, 32), {}),
    (I.orthogonal_, TI.orthogonal_, (20, 50), dict(gain=1.5)),
    (I.orthogonal_, TI.orthogonal_, (16, 8, 3, 3), dict(gain=math.sqrt(2))),
]


@pytest.mark.parametrize(("ours", "theirs", "shape", "kw"), TWINS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_torch_twins_equal_torch_nn_init(ours, theirs, shape, kw, dtype):
    a, b = torch.empty(shape, dtype=dtype), torch.empty(shape, dtype=dtype)
    out = ours(a, **kw, generator=torch.Generator().manual_seed(11))
    theirs(b, **kw, generator=torch.Generator().manual_seed(11))
    assert out is a and torch.equal(a, b)


def test_normal_twin_equals_torch_normal():
    a, b = torch.empty(100, 10), torch.empty(100, 10)
    I.normal_(a, 0.02, generator=torch.Generator().manual_seed(1))
    TI.normal_(b, 0.0, 0.02, generator=torch.Generator().manual_seed(1))
    assert torch.equal(a, b)


@pytest.mark.parametrize(("fan_in", "fan_out"), [(7, 4), (100, 30), (1, 1)])
def test_default_reproduces_torch_linear(fan_in, fan_out):
    torch.manual_seed(5)
    layer = torch.nn.Linear(fan_in, fan_out)
    torch.manual_seed(5)
    w, b = torch.empty(fan_out, fan_in), torch.full((fan_out,), 7.0)  # not empty(): it may hold NaN garbage
    bias_before = b.clone()
    I.init_tensor_(w, "default")
    assert torch.equal(b, bias_before)  # a weight's init touches only the weight
    I.init_bias_(b, fan_in, "default")
    assert torch.equal(w, layer.weight) and torch.equal(b, layer.bias)


def test_init_tensor_dispatches_to_the_named_twins():
    shape, seed = (40, 30), 2
    expected = {
        "xavier_uniform": lambda t, g: I.xavier_uniform_(t, gain=math.sqrt(2), generator=g),
        "xavier_normal": lambda t, g: I.xavier_normal_(t, gain=math.sqrt(2), generator=g),
        "kaiming_uniform": lambda t, g: I.kaiming_uniform_(t, nonlinearity="relu", generator=g),
        "kaiming_normal": lambda t, g: I.kaiming_normal_(t, nonlinearity="relu", generator=g),
        "lecun_normal": lambda t, g: I.lecun_normal_(t, generator=g),
        "orthogonal": lambda t, g: I.orthogonal_(t, gain=math.sqrt(2), generator=g),
        "glorot_standard": lambda t, g: I.glorot_standard_(t, generator=g),
        "default": lambda t, g: TI.kaiming_uniform_(t, a=math.sqrt(5), generator=g),
    }
    assert set(expected) | {"normal"} == set(I.SCHEMES)
    for scheme, fill in expected.items():
        a, b = torch.empty(shape), torch.empty(shape)
        I.init_tensor_(a, scheme, nonlinearity="relu", generator=torch.Generator().manual_seed(seed))
        fill(b, torch.Generator().manual_seed(seed))
        assert torch.equal(a, b), scheme
    a, b = torch.empty(shape), torch.empty(shape)
    I.init_tensor_(a, "normal", std=0.1, generator=torch.Generator().manual_seed(seed))
    TI.normal_(b, 0.0, 0.1, generator=torch.Generator().manual_seed(seed))
    assert torch.equal(a, b)


# ----------------------------------------------------------------------------------------------------------
# samples: variance within sampling error of the target
# ----------------------------------------------------------------------------------------------------------
SHAPE = (800, 500)  # fan_in = 500, fan_out = 800, n = 400 000 samples
FAN_IN, FAN_OUT = 500, 800
# (scheme, nonlinearity, distribution, target standard deviation)
TARGETS = [
    ("xavier_uniform", "tanh", "uniform", 5 / 3 * math.sqrt(2 / (FAN_IN + FAN_OUT))),
    ("xavier_normal", "linear", "normal", math.sqrt(2 / (FAN_IN + FAN_OUT))),
    ("kaiming_uniform", "relu", "uniform", math.sqrt(2 / FAN_IN)),
    ("kaiming_normal", "relu", "normal", math.sqrt(2 / FAN_IN)),
    ("lecun_normal", "linear", "normal", math.sqrt(1 / FAN_IN)),
    ("glorot_standard", "linear", "uniform", math.sqrt(1 / (3 * FAN_IN))),
    ("default", "linear", "uniform", math.sqrt(1 / (3 * FAN_IN))),
    ("normal", "linear", "normal", 0.05),
]


def assert_variance_matches(x: np.ndarray, distribution: str, sigma: float) -> None:
    """mean ≈ 0 and mean(x²) ≈ σ², each within 5 standard errors for this many samples.

    SE(mean) = σ/√n. SE(mean(x²)) = √(Var(x²)/n) with Var(x²) = E x⁴ − σ⁴ = 2σ⁴ for a normal and
    (a⁴/5 − a⁴/9) = 0.8σ⁴ for U(−a, a) (a² = 3σ²).
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    n = x.size
    kurtosis_term = {"normal": 2.0, "uniform": 0.8}[distribution]
    assert abs(x.mean()) < 5 * sigma / math.sqrt(n)
    assert abs(np.mean(x**2) - sigma**2) < 5 * sigma**2 * math.sqrt(kurtosis_term / n)
    if distribution == "uniform":
        bound = math.sqrt(3) * sigma
        assert np.abs(x).max() <= bound * (1 + 1e-12)
        assert np.abs(x).max() > bound * (1 - 50 / n)  # P(all inside) = (1 − 50/n)^n ≈ e^-50


@pytest.mark.parametrize(("scheme", "nonlinearity", "distribution", "sigma"), TARGETS)
def test_sampled_variance_numpy(scheme, nonlinearity, distribution, sigma):
    std = 0.05 if scheme == "normal" else None
    x = I.init_array(SHAPE, scheme, nonlinearity=nonlinearity, std=std, rng=np.random.default_rng(0))
    assert x.shape == SHAPE and x.dtype == np.float64
    assert_variance_matches(x, distribution, sigma)


@pytest.mark.parametrize(("scheme", "nonlinearity", "distribution", "sigma"), TARGETS)
def test_sampled_variance_torch(scheme, nonlinearity, distribution, sigma):
    std = 0.05 if scheme == "normal" else None
    t = torch.empty(SHAPE, dtype=torch.float64)
    I.init_tensor_(t, scheme, nonlinearity=nonlinearity, std=std, generator=torch.Generator().manual_seed(0))
    assert_variance_matches(t.numpy(), distribution, sigma)


def test_kaiming_fan_out_mode_uses_fan_out():
    x = I.kaiming_normal(SHAPE, mode="fan_out", nonlinearity="relu", rng=1)
    assert_variance_matches(x, "normal", math.sqrt(2 / FAN_OUT))
    y = I.kaiming_uniform((64, 16, 3, 3), a=0.1, mode="fan_out", rng=1)  # fan_out = 64·9
    assert_variance_matches(y, "uniform", math.sqrt(2 / (1 + 0.01)) / math.sqrt(64 * 9))


def test_numpy_samplers_and_dispatcher_agree_and_are_seeded():
    shape = (30, 20)
    pairs = [
        (I.xavier_uniform(shape, gain=5 / 3, rng=3),
         I.init_array(shape, "xavier_uniform", nonlinearity="tanh", rng=3)),
        (I.xavier_normal(shape, rng=3), I.init_array(shape, "xavier_normal", rng=3)),
        (I.kaiming_uniform(shape, rng=3), I.init_array(shape, "kaiming_uniform", nonlinearity="relu", rng=3)),
        (I.kaiming_normal(shape, rng=3), I.init_array(shape, "kaiming_normal", nonlinearity="relu", rng=3)),
        (I.lecun_normal(shape, rng=3), I.init_array(shape, "lecun_normal", rng=3)),
        (I.orthogonal(shape, rng=3), I.init_array(shape, "orthogonal", rng=3)),
        (I.glorot_standard(shape, rng=3), I.init_array(shape, "glorot_standard", rng=3)),
        (I.normal(shape, 0.1, rng=3), I.init_array(shape, "normal", std=0.1, rng=3)),
        (I.kaiming_uniform(shape, a=math.sqrt(5), rng=3), I.init_array(shape, "default", rng=3)),
    ]  # fmt: skip
    for a, b in pairs:
        np.testing.assert_array_equal(a, b)
    np.random.seed(4)
    first = I.xavier_uniform(shape)  # rng=None: numpy's global state, which seed_everything seeds
    np.random.seed(4)
    np.testing.assert_array_equal(first, I.xavier_uniform(shape))
    assert not np.array_equal(I.xavier_uniform(shape, rng=1), I.xavier_uniform(shape, rng=2))


def test_numpy_default_bias():
    b = I.init_bias(200_000, 50, "default", rng=0)
    assert_variance_matches(b, "uniform", 1 / math.sqrt(3 * 50))
    np.testing.assert_array_equal(I.init_bias(5, 50, "xavier_uniform"), np.zeros(5))
    t = torch.ones(5)
    assert torch.equal(I.init_bias_(t, 50, "kaiming_normal"), torch.zeros(5))


# ----------------------------------------------------------------------------------------------------------
# orthogonal
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(50, 50), (80, 30), (30, 80), (12, 4, 3, 3), (64, 4, 2, 2)])
@pytest.mark.parametrize("gain", [1.0, math.sqrt(2)])
def test_orthogonal_has_all_singular_values_equal_to_gain(shape, gain):
    rows = shape[0]
    cols = math.prod(shape[1:])
    small = min(rows, cols)
    w_np = I.orthogonal(shape, gain=gain, rng=0).reshape(rows, cols)
    w_t = I.orthogonal_(torch.empty(shape, dtype=torch.float64), gain=gain, generator=torch.Generator())
    for w in (w_np, w_t.reshape(rows, cols).numpy()):
        gram = w.T @ w if rows >= cols else w @ w.T  # WᵀW for tall, WWᵀ for wide
        np.testing.assert_allclose(gram, gain**2 * np.eye(small), atol=1e-12)
        np.testing.assert_allclose(np.linalg.svd(w, compute_uv=False), np.full(small, gain), rtol=1e-12)


def test_orthogonal_sign_fix_matches_torch_algorithm():
    # the same Gaussian matrix through the numpy and the torch branch gives the same Q ...
    a = np.random.default_rng(0).standard_normal((9, 5))
    q_np = I._semi_orthogonal(a)
    q_t = I._semi_orthogonal(torch.tensor(a))
    np.testing.assert_allclose(q_np, q_t.numpy(), atol=1e-12)
    # ... with the signs fixed so that R = Qᵀa has a positive diagonal (what makes Q Haar-distributed)
    assert np.all(np.diag(q_np.T @ a) > 0)
    wide = a.T
    assert np.all(np.diag(I._semi_orthogonal(wide) @ wide.T) > 0)


# ----------------------------------------------------------------------------------------------------------
# dispatcher validation
# ----------------------------------------------------------------------------------------------------------
def test_dispatcher_errors_list_the_allowed_values():
    with pytest.raises(ValueError, match=r"scheme must be one of 'default', 'xavier_uniform'.*got 'he'"):
        I.init_array((3, 4), "he")
    with pytest.raises(ValueError, match=r"scheme must be one of"):
        I.init_tensor_(torch.empty(3, 4), "glorot")
    with pytest.raises(ValueError, match=r"nonlinearity must be one of .*'relu'.*got 'ReLU'"):
        I.init_array((3, 4), "xavier_uniform", nonlinearity="ReLU")
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        I.init_array((4,), "xavier_uniform")
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        I.init_tensor_(torch.empty(4), "default")
    with pytest.raises(ValueError, match="needs std"):
        I.init_array((3, 4), "normal")
    with pytest.raises(ValueError, match="std is only used by scheme 'normal'"):
        I.init_array((3, 4), "kaiming_normal", std=0.1)
    with pytest.raises(ValueError, match="std must be a finite number >= 0"):
        I.init_array((3, 4), "normal", std=-1.0)
    with pytest.raises(ValueError, match="mode must be one of 'fan_in', 'fan_out'"):
        I.kaiming_uniform((3, 4), mode="fan_avg")
    with pytest.raises(ValueError, match="rng must be"):
        I.xavier_normal((3, 4), rng="seed")
    with pytest.raises(ValueError, match="tensor must be a torch.Tensor"):
        I.init_tensor_(np.zeros((3, 4)), "default")
    # "normal" works for any shape, biases included
    assert I.init_array((7,), "normal", std=0.1, rng=0).shape == (7,)
