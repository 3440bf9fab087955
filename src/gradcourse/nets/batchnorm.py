"""Batch normalization in numpy: forward with a cache, hand-written backward, running statistics.

For a batch of pre-activations z ∈ R^(B×n) (B examples, n units) the layer computes, per unit j,

    z̄_j = (1/B) Σ_b z_bj,    s²_j = (1/B) Σ_b (z_bj − z̄_j)²,    ẑ_bj = (z_bj − z̄_j) / √(s²_j + ε),
    y_bj = γ_bn,j · ẑ_bj + β_bn,j

(``scale`` = γ_bn and ``shift`` = β_bn here, so that β and γ keep their course meanings: momentum and a
schedule's decay). With upstream gradient g = ∂ℓ/∂y and ĝ = γ_bn · g, the backward pass is the compact formula

    ∂ℓ/∂z_bj = (1/√(s²_j + ε)) · (ĝ_bj − mean_b ĝ_bj − ẑ_bj · mean_b(ĝ_bj ẑ_bj)),
    ∂ℓ/∂γ_bn,j = Σ_b g_bj ẑ_bj,    ∂ℓ/∂β_bn,j = Σ_b g_bj.

In evaluation mode z̄ and s² are replaced by running averages, updated in training mode with PyTorch's
convention: ``running ← (1 − momentum) · running + momentum · batch value`` (momentum is the weight of the
**new** batch; Keras's ``momentum`` is the weight of the old value), and the running variance averages the
unbiased variance B/(B − 1) · s² while the forward pass uses the biased s². This matches
``torch.nn.BatchNorm1d`` to float64 rounding (tests/test_batchnorm.py).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from gradcourse._validate import all_finite, integer, real

__all__ = ["BatchNorm", "BatchNormCache"]


class BatchNormCache(NamedTuple):
    """What :meth:`BatchNorm.backward` needs from the forward pass."""

    z_hat: np.ndarray  # the standardized input ẑ, shape (B, n)
    inv_std: np.ndarray  # 1/√(s² + ε) (training) or 1/√(running var + ε) (evaluation), shape (n,)
    training: bool  # whether the batch statistics were used (then z̄ and s² depend on every example)


class BatchNorm:
    """Batch normalization of ``num_features`` units (numpy, float64), like ``torch.nn.BatchNorm1d``.

    ``scale`` (γ_bn, starts at 1) and ``shift`` (β_bn, starts at 0) are the learned parameters;
    ``running_mean`` and ``running_var`` (start at 0 and 1) are the statistics used in evaluation mode.

    Example::

        >>> bn = BatchNorm(3)
        >>> y, cache = bn.forward(np.arange(12.0).reshape(4, 3))
        >>> np.allclose(y.mean(axis=0), 0.0), bn.running_mean
        (True, array([0.45, 0.55, 0.65]))
    """

    def __init__(self, num_features: int, *, eps: float = 1e-5, momentum: float = 0.1) -> None:
        self.num_features = integer("num_features", num_features, 1)
        self.eps = real("eps", eps, 0.0, open_low=True, allowed="a finite number > 0 (e.g. 1e-5)")
        self.momentum = real("momentum", momentum, 0.0, 1.0,
                             allowed="a number in [0, 1]: the weight of the new batch (torch's convention)")
        self.scale = np.ones(self.num_features)
        self.shift = np.zeros(self.num_features)
        self.running_mean = np.zeros(self.num_features)
        self.running_var = np.ones(self.num_features)
        self.training = True

    def train(self, mode: bool = True) -> BatchNorm:
        """Training mode (batch statistics, running averages updated) or, with ``mode=False``, evaluation."""
        self.training = bool(mode)
        return self

    def eval(self) -> BatchNorm:
        """Evaluation mode: normalize with the running statistics and leave them unchanged."""
        return self.train(False)

    def forward(self, z: np.ndarray) -> tuple[np.ndarray, BatchNormCache]:
        """Normalize the batch ``z`` of shape (B, num_features); return the output and the cache for backward."""
        z = self._check_input(z)
        if self.training:
            batch_size = z.shape[0]
            if batch_size < 2:
                raise ValueError("z must hold at least 2 examples in training mode (the variance of one example "
                                 "is 0); call .eval() to normalize single examples with the running statistics")
            mean = z.mean(axis=0)
            var = z.var(axis=0)  # biased: 1/B
            m = self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mean
            self.running_var = (1 - m) * self.running_var + m * var * batch_size / (batch_size - 1)
        else:
            mean, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        z_hat = (z - mean) * inv_std
        return self.scale * z_hat + self.shift, BatchNormCache(z_hat, inv_std, self.training)

    def backward(self, grad_out: np.ndarray, cache: BatchNormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (∂ℓ/∂z, ∂ℓ/∂scale, ∂ℓ/∂shift) given ``grad_out`` = ∂ℓ/∂y and the forward pass's ``cache``."""
        if not isinstance(cache, BatchNormCache):
            raise ValueError("cache must be the BatchNormCache returned by forward(), got "
                             f"{type(cache).__name__}")
        grad_out = np.asarray(grad_out, dtype=np.float64)
        if grad_out.shape != cache.z_hat.shape:
            raise ValueError(f"grad_out must have the output's shape {cache.z_hat.shape}, got {grad_out.shape}")
        z_hat = cache.z_hat
        grad_scale = (grad_out * z_hat).sum(axis=0)
        grad_shift = grad_out.sum(axis=0)
        g_hat = grad_out * self.scale
        if cache.training:  # z̄ and s² depend on every example: the two mean terms
            grad_z = cache.inv_std * (g_hat - g_hat.mean(axis=0) - z_hat * (g_hat * z_hat).mean(axis=0))
        else:  # fixed statistics: an affine map per unit
            grad_z = cache.inv_std * g_hat
        return grad_z, grad_scale, grad_shift

    def _check_input(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, dtype=np.float64)
        if z.ndim != 2 or z.shape[1] != self.num_features:
            raise ValueError(f"z must have shape (batch, {self.num_features}), got {z.shape}")
        if not all_finite(z):
            raise ValueError("z contains NaN or inf: batch normalization of non-finite values is meaningless")
        return z
