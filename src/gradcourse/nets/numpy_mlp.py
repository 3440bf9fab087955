"""A multilayer perceptron in plain numpy, with back-propagation written out by hand.

Notation (the chapter's): the network has L linear layers. With h_0 = X (one example per row),

    z_l = h_{l−1} W_lᵀ + b_l          (pre-activation of layer l, l = 1 … L)
    h_l = σ(z_l)                      (hidden layers, l = 1 … L−1)
    ŷ   = z_L                         (the output layer is linear: logits or regression outputs)

W_l has shape (out, in), as in ``torch.nn.Linear``. Back-propagation moves the error signal
δ_l = ∂L/∂z_l from the output back to the input:

    δ_L     = ∂L/∂ŷ                                    (from the loss)
    ∂L/∂W_l = δ_lᵀ h_{l−1},     ∂L/∂b_l = Σ_rows δ_l   (the weight gradients)
    ∂L/∂h_l = δ_{l+1} W_{l+1}                          (the back-propagated signal)
    δ_l     = (W_{l+1}ᵀ δ_{l+1}) ⊙ σ'(z_l) = ∂L/∂h_l ⊙ σ'(z_l)

(with examples in rows, "W_{l+1}ᵀ δ_{l+1}" for one column vector becomes ``delta @ W`` for a batch). Each
layer multiplies the signal by W_{l+1}ᵀ and by σ'(z_l): with sigmoid units σ' ≤ 1/4, so unless the weights
are large the signal shrinks geometrically with depth. That is the vanishing gradient, and
:meth:`NumpyMLP.loss_and_grads` returns every ∂L/∂h_l so you can watch it happen.

Losses (both averaged over the batch of N examples, exactly as PyTorch's defaults):

* ``"mse"`` — L = (1/(N·k)) Σ_n Σ_j (ŷ_nj − y_nj)², the mean over all N·k entries (``torch.nn.MSELoss()``),
  so δ_L = 2(ŷ − y)/(N·k). (Some texts use ½‖ŷ − y‖² per example instead; that only rescales L and every
  gradient by a constant, which a learning rate absorbs.)
* ``"cross_entropy"`` — softmax then negative log-likelihood of integer labels,
  L = −(1/N) Σ_n log softmax(ŷ_n)_{y_n} (``torch.nn.CrossEntropyLoss()``), so δ_L = (softmax(ŷ) − onehot(y))/N.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gradcourse._validate import choice, integer
from gradcourse.init import SCHEMES, init_array, init_bias
from gradcourse.nets.activations import get_activation, log_softmax, softmax

__all__ = ["LOSSES", "ForwardCache", "NumpyMLP", "cross_entropy_loss", "mse_loss"]

LOSSES: tuple[str, ...] = ("mse", "cross_entropy")


def mse_loss(y_hat: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error L = mean((ŷ − y)²) over all entries, and its gradient ∂L/∂ŷ = 2(ŷ − y) / ŷ.size."""
    diff = y_hat - y
    return float(np.mean(diff * diff)), (2.0 / diff.size) * diff


def cross_entropy_loss(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Softmax cross-entropy L = −(1/N) Σ_n log softmax(z_n)_{y_n} and its gradient (softmax(z) − onehot(y)) / N.

    ``logits`` has shape (N, k); ``labels`` holds N integers in [0, k).
    """
    n = logits.shape[0]
    rows = np.arange(n)
    loss = -float(np.mean(log_softmax(logits, axis=1)[rows, labels]))
    grad = softmax(logits, axis=1)
    grad[rows, labels] -= 1.0
    return loss, grad / n


@dataclass
class ForwardCache:
    """What the forward pass remembers for the backward pass.

    ``h[l]`` is the input of layer l+1, i.e. h_0 = X, h_1, …, h_{L−1}; ``z[l]`` is the pre-activation z_{l+1}
    (so ``z[-1]`` is the output ŷ = z_L).
    """

    h: list[np.ndarray]
    z: list[np.ndarray]


class NumpyMLP:
    """A fully connected network in numpy: ``sizes = [n_in, n_hidden_1, …, n_out]``.

    Hidden layers use ``activation`` (one of :data:`~gradcourse.nets.activations.ACTIVATIONS`); the output
    layer is linear. Weights are drawn with :func:`gradcourse.init.init_array` using scheme ``init`` (one of
    :data:`gradcourse.init.SCHEMES`; ``std`` is the standard deviation for ``init="normal"``). The gain of a
    hidden layer's weights comes from the activation that follows it, the output layer uses the linear gain.
    Biases come from :func:`gradcourse.init.init_bias`: zero, except for ``init="default"`` (torch.nn.Linear's
    own U(±1/√fan_in)). The generator is seeded with ``seed``: the same arguments give the same network.

    ``params`` is a list of ``(W, b)`` pairs, W of shape (out, in) and b of shape (out,), one per layer.

    Example::

        >>> net = NumpyMLP([2, 8, 1], activation="tanh", seed=0)
        >>> loss, grads, signals = net.loss_and_grads(np.ones((4, 2)), np.zeros((4, 1)))
        >>> [g[0].shape for g in grads], [s.shape for s in signals]
        ([(8, 2), (1, 8)], [(4, 8)])
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "tanh",
        init: str = "xavier_uniform",
        seed: int = 0,
        dtype: type | np.dtype = np.float64,
        *,
        std: float | None = None,
    ) -> None:
        self.sizes = _check_sizes(sizes)
        self.activation = get_activation(activation)
        self.init = choice("init", init, SCHEMES)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be np.float32 or np.float64, got {dtype!r}")
        rng = np.random.default_rng(integer("seed", seed, 0))
        self.params: list[tuple[np.ndarray, np.ndarray]] = []
        for l, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:], strict=True), start=1):
            gain_name = self.activation.gain_name if l < len(self.sizes) - 1 else "linear"
            W = init_array((n_out, n_in), init, nonlinearity=gain_name, std=std, rng=rng)
            b = init_bias(n_out, n_in, init, rng=rng)
            self.params.append((W.astype(self.dtype), b.astype(self.dtype)))

    @property
    def n_layers(self) -> int:
        """L, the number of linear layers (hidden layers + the output layer)."""
        return len(self.params)

    def __repr__(self) -> str:
        return f"NumpyMLP(sizes={self.sizes}, activation={self.activation.name!r}, dtype={self.dtype.name})"

    # ------------------------------------------------------------------ forward
    def forward(self, X: np.ndarray) -> tuple[np.ndarray, ForwardCache]:
        """Compute ŷ for a batch ``X`` of shape (N, n_in); return ``(ŷ, cache)``.

        z_l = h_{l−1} W_lᵀ + b_l, h_l = σ(z_l) for hidden layers, ŷ = z_L.
        """
        h = self._check_inputs(X)
        cache = ForwardCache(h=[h], z=[])
        for l, (W, b) in enumerate(self.params, start=1):
            z = h @ W.T + b
            cache.z.append(z)
            if l < self.n_layers:
                h = self.activation.f(z)
                cache.h.append(h)
        return cache.z[-1], cache

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """ŷ for the batch ``X`` (the forward pass without the cache)."""
        return self.forward(X)[0]

    # ----------------------------------------------------------------- backward
    def backward(
        self, cache: ForwardCache, d_out: np.ndarray
    ) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[np.ndarray]]:
        """Back-propagate δ_L = ``d_out`` = ∂L/∂ŷ through the network.

        Returns ``(grads, signals)``: ``grads[l-1] = (∂L/∂W_l, ∂L/∂b_l)`` for l = 1 … L, and
        ``signals[l-1] = ∂L/∂h_l`` for the hidden layers l = 1 … L−1 (first hidden layer first).
        The recursion, from the last layer to the first::

            ∂L/∂W_l = δ_lᵀ h_{l−1}        ∂L/∂b_l = Σ_rows δ_l
            ∂L/∂h_{l−1} = δ_l W_l          δ_{l−1} = ∂L/∂h_{l−1} ⊙ σ'(z_{l−1})
        """
        if d_out.shape != cache.z[-1].shape:
            raise ValueError(f"d_out must have the output's shape {cache.z[-1].shape}, got {d_out.shape}")
        grads: list[tuple[np.ndarray, np.ndarray]] = []
        signals: list[np.ndarray] = []
        delta = d_out
        for l in range(self.n_layers, 0, -1):
            W, _ = self.params[l - 1]
            grads.append((delta.T @ cache.h[l - 1], delta.sum(axis=0)))
            if l > 1:
                dh = delta @ W  # ∂L/∂h_{l−1} = W_lᵀ δ_l, one example per row
                signals.append(dh)
                delta = dh * self.activation.df(cache.z[l - 2])
        grads.reverse()
        signals.reverse()
        return grads, signals

    def loss_and_grads(
        self, X: np.ndarray, y: np.ndarray, loss: str = "mse"
    ) -> tuple[float, list[tuple[np.ndarray, np.ndarray]], list[np.ndarray]]:
        """Forward, loss and backward in one call: returns ``(loss, grads, signals)``.

        ``loss="mse"``: ``y`` has the output's shape (N, k), or (N,) when k = 1.
        ``loss="cross_entropy"``: ``y`` holds N integer class labels in [0, k).
        ``grads`` is a list of (∂L/∂W_l, ∂L/∂b_l), ``signals`` the list of ∂L/∂h_l for the hidden layers
        (see :meth:`backward`).
        """
        choice("loss", loss, LOSSES)
        y_hat, cache = self.forward(X)
        if loss == "mse":
            value, d_out = mse_loss(y_hat, self._check_targets(y, y_hat.shape))
        else:
            value, d_out = cross_entropy_loss(y_hat, self._check_labels(y, y_hat.shape))
        grads, signals = self.backward(cache, d_out)
        return value, grads, signals

    def sgd_step(self, grads: Sequence[tuple[np.ndarray, np.ndarray]], lr: float) -> None:
        """Plain gradient descent θ ← θ − η g on every weight and bias, in place."""
        for (W, b), (dW, db) in zip(self.params, grads, strict=True):
            W -= lr * dW
            b -= lr * db

    # ------------------------------------------------------------------ checks
    def _check_inputs(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X)
        n_in = self.sizes[0]
        if X.ndim != 2 or X.shape[1] != n_in:
            hint = " (for one example use X.reshape(1, -1))" if X.shape == (n_in,) else ""
            raise ValueError(f"X must have shape (batch, {n_in}), got {X.shape}{hint}")
        if X.shape[0] == 0:
            raise ValueError("X is empty: it needs at least one row (example)")
        if not np.issubdtype(X.dtype, np.number) or not np.all(np.isfinite(X)):
            raise ValueError("X must contain finite numbers only (found NaN, inf or a non-numeric value)")
        return X.astype(self.dtype, copy=False)

    def _check_targets(self, y: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        y = np.asarray(y)
        if y.shape == shape[:1] and shape[1] == 1:
            y = y.reshape(shape)
        if y.shape != shape:
            raise ValueError(f"y must have the output's shape {shape} for loss='mse', got {y.shape}")
        if not np.issubdtype(y.dtype, np.number) or not np.all(np.isfinite(y)):
            raise ValueError("y must contain finite numbers only (found NaN, inf or a non-numeric value)")
        return y.astype(self.dtype, copy=False)

    def _check_labels(self, y: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        y = np.asarray(y)
        n, k = shape
        if y.shape != (n,) or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"y must be {n} integer class labels (shape ({n},)) for loss='cross_entropy', "
                             f"got shape {y.shape} and dtype {y.dtype}")
        if y.min() < 0 or y.max() >= k:
            raise ValueError(f"y (class labels) must lie in [0, {k}) for a network with {k} outputs, "
                             f"got values from {y.min()} to {y.max()}")
        return y


def _check_sizes(sizes: Sequence[int]) -> list[int]:
    try:
        out = [int(s) for s in sizes]
        ok = len(out) >= 2 and all(s >= 1 and s == s0 for s, s0 in zip(out, sizes, strict=True))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"sizes must list at least two positive integers [n_in, …, n_out], got {sizes!r}")
    return out
