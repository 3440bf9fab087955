"""Tests for gradcourse.nets.batchnorm: the numpy BatchNorm against torch.nn.BatchNorm1d in float64.

Forward, backward (∂ℓ/∂z, ∂ℓ/∂scale, ∂ℓ/∂shift), running statistics over several batches, evaluation mode, and
a finite-difference check of the hand-written backward pass.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from gradcourse.nets import BatchNorm, BatchNormCache, gradient_check


def _pair(n: int, momentum: float, rng: np.random.Generator) -> tuple[BatchNorm, torch.nn.BatchNorm1d]:
    ours = BatchNorm(n, momentum=momentum)
    ours.scale = rng.uniform(0.5, 2.0, n)
    ours.shift = rng.standard_normal(n)
    ref = torch.nn.BatchNorm1d(n, momentum=momentum).double()
    with torch.no_grad():
        ref.weight.copy_(torch.from_numpy(ours.scale))
        ref.bias.copy_(torch.from_numpy(ours.shift))
    return ours, ref


def _check_step(ours: BatchNorm, ref: torch.nn.BatchNorm1d, z: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
    """One forward and backward pass of both layers; assert output and the three gradients agree."""
    y, cache = ours.forward(z)
    dz, dscale, dshift = ours.backward(grad_out, cache)
    ref.zero_grad()
    zt = torch.tensor(z, requires_grad=True)
    yt = ref(zt)
    yt.backward(torch.from_numpy(grad_out))
    np.testing.assert_allclose(y, yt.detach().numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(dz, zt.grad.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(dscale, ref.weight.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dshift, ref.bias.grad.numpy(), rtol=1e-12, atol=1e-12)
    return y


@pytest.mark.parametrize("momentum", [0.1, 0.5, 1.0])
def test_forward_backward_and_running_stats_match_torch(momentum):
    rng = np.random.default_rng(0)
    ours, ref = _pair(5, momentum, rng)
    for step in range(4):  # several batches, so the running averages are compounded
        z = rng.standard_normal((16, 5)) * rng.uniform(0.1, 10, 5) + rng.uniform(-5, 5, 5)
        grad_out = rng.standard_normal((16, 5))
        _check_step(ours, ref, z, grad_out)
        np.testing.assert_allclose(ours.running_mean, ref.running_mean.numpy(), rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(ours.running_var, ref.running_var.numpy(), rtol=1e-13, atol=1e-13)
        assert step < 1 or not np.allclose(ours.running_mean, 0.0)


def test_eval_mode_matches_torch_and_leaves_running_stats_alone():
    rng = np.random.default_rng(1)
    ours, ref = _pair(4, 0.1, rng)
    for _ in range(3):
        z = rng.standard_normal((8, 4)) * 3 + 2
        ours.forward(z)
        ref(torch.from_numpy(z))
    ours.eval()
    ref.eval()
    before = ours.running_mean.copy(), ours.running_var.copy()
    z = rng.standard_normal((3, 4))
    grad_out = rng.standard_normal((3, 4))
    y = _check_step(ours, ref, z, grad_out)
    np.testing.assert_array_equal(ours.running_mean, before[0])
    np.testing.assert_array_equal(ours.running_var, before[1])
    # one example at a time gives the same rows: in evaluation mode the examples are independent
    np.testing.assert_allclose(ours.forward(z[:1])[0], y[:1], rtol=0, atol=1e-15)


@pytest.mark.parametrize("training", [True, False])
def test_backward_passes_finite_difference_check(training):
    rng = np.random.default_rng(2)
    bn = BatchNorm(3, momentum=0.0)  # momentum 0: the running statistics stay fixed while we probe
    bn.scale = rng.uniform(0.5, 2.0, 3)
    bn.shift = rng.standard_normal(3)
    bn.running_mean, bn.running_var = rng.standard_normal(3), rng.uniform(0.5, 2.0, 3)
    bn.train(training)
    z = rng.standard_normal((6, 3)) * 2 + 1
    weights = rng.standard_normal((6, 3))

    def loss_and_grads():
        y, cache = bn.forward(z)
        return float(np.sum(weights * y**2)), bn.backward(2 * weights * y, cache)

    assert gradient_check(lambda _: (loss_and_grads()[0], loss_and_grads()[1][0]), z) < 1e-7
    assert gradient_check(lambda _: (loss_and_grads()[0], loss_and_grads()[1][1]), bn.scale) < 1e-7
    assert gradient_check(lambda _: (loss_and_grads()[0], loss_and_grads()[1][2]), bn.shift) < 1e-7


def test_training_gradient_is_orthogonal_to_ones_and_z_hat():
    rng = np.random.default_rng(3)
    bn = BatchNorm(4, eps=1e-12)  # Σ ẑ² = B·s²/(s² + ε): orthogonality to ẑ holds up to ε/s²
    y, cache = bn.forward(rng.standard_normal((10, 4)) * 5 + 3)
    dz, _, _ = bn.backward(rng.standard_normal((10, 4)), cache)
    np.testing.assert_allclose(dz.sum(axis=0), 0.0, atol=1e-13)  # why a bias before BN gets no gradient
    np.testing.assert_allclose((dz * cache.z_hat).sum(axis=0), 0.0, atol=1e-12)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="num_features"):
        BatchNorm(0)
    with pytest.raises(ValueError, match="momentum"):
        BatchNorm(3, momentum=1.5)
    with pytest.raises(ValueError, match="eps"):
        BatchNorm(3, eps=0.0)
    bn = BatchNorm(3)
    with pytest.raises(ValueError, match=r"shape \(batch, 3\)"):
        bn.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="at least 2 examples"):
        bn.forward(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="NaN or inf"):
        bn.forward(np.full((4, 3), np.nan))
    _, cache = bn.forward(np.arange(12.0).reshape(4, 3))
    assert isinstance(cache, BatchNormCache)
    with pytest.raises(ValueError, match="grad_out"):
        bn.backward(np.zeros((2, 3)), cache)
    with pytest.raises(ValueError, match="cache"):
        bn.backward(np.zeros((4, 3)), None)
    assert bn.eval().forward(np.zeros((1, 3)))[0].shape == (1, 3)  # one example is fine in evaluation mode
