"""PyTorch networks for the experiments: a configurable deep MLP, a vanilla tanh RNN and Pascanu's one-unit RNN.

* :func:`mlp` builds ``depth`` hidden blocks (Linear → optional normalization → activation, optionally with
  a skip connection h + f(h)) and a linear head. Depth, width, activation, initialization, normalization and
  residual connections are exactly the knobs the course turns to make a deep network trainable.
* :class:`TanhRNN` is the recurrence h_t = tanh(W_xh x_t + W_hh h_{t−1} + b); scaling W_hh to a chosen spectral
  radius makes gradients through time vanish (radius < 1) or explode (radius > 1).
* :class:`CliffRNN` is the one-unit model x_t = w·σ(x_{t−1}) + b of Pascanu, Mikolov & Bengio (2013): its loss
  surface over (w, b) has a cliff, where the gradient jumps by orders of magnitude. :func:`cliff_landscape`
  evaluates loss and gradient on a grid for the figure.

Every constructor takes a ``seed`` (or fixed numbers) and builds the same network every time, without
touching the global random state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from gradcourse._validate import choice, integer, real
from gradcourse.init import SCHEMES, init_bias_, init_tensor_
from gradcourse.nets.activations import ACTIVATIONS, get_activation

__all__ = [
    "MLP",
    "NORMS",
    "Block",
    "CliffLandscape",
    "CliffRNN",
    "TanhRNN",
    "cliff_landscape",
    "cliff_loss",
    "cliff_rnn",
    "mlp",
]

#: Normalization layers a block can use: none, BatchNorm1d (statistics over the batch) or LayerNorm (over features).
NORMS: tuple[str, ...] = ("none", "batch", "layer")

_ACTIVATION_MODULES: dict[str, type[nn.Module]] = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "identity": nn.Identity,
}
assert tuple(_ACTIVATION_MODULES) == ACTIVATIONS  # one list of names for numpy and torch


def _norm_layer(norm: str, width: int) -> nn.Module:
    if norm == "batch":
        return nn.BatchNorm1d(width)
    if norm == "layer":
        return nn.LayerNorm(width)
    return nn.Identity()


class Block(nn.Module):
    """One hidden block: f(h) = σ(norm(W h + b)); the block returns f(h), or h + f(h) when ``residual``.

    The skip connection is only added when input and output widths match (``self.residual`` tells you
    whether it is on). Its Jacobian is I + ∂f/∂h, so the gradient always has a path that is not shrunk.
    """

    def __init__(self, in_features: int, out_features: int, *, activation: str = "relu", norm: str = "none",
                 residual: bool = False) -> None:
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)
        self.norm = _norm_layer(choice("norm", norm, NORMS), out_features)
        self.act = _ACTIVATION_MODULES[get_activation(activation).name]()
        self.residual = bool(residual) and in_features == out_features

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        out = self.act(self.norm(self.linear(h)))
        return h + out if self.residual else out

    def extra_repr(self) -> str:
        return f"residual={self.residual}"


class MLP(nn.Module):
    """``blocks`` (a ModuleList of :class:`Block`) followed by a linear ``head``; built by :func:`mlp`."""

    def __init__(self, blocks: Sequence[Block], head: nn.Linear) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.head = head
        self.in_features = blocks[0].linear.in_features if blocks else head.in_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(f"x must have shape (batch, {self.in_features}), got {tuple(x.shape)}")
        for block in self.blocks:
            x = block(x)
        return self.head(x)


def _init_linear_(linear: nn.Linear, init: str, gain_name: str, std: float | None, generator: torch.Generator,
                  ) -> None:
    """Initialize one Linear layer with :func:`gradcourse.init.init_tensor_` and :func:`~gradcourse.init.init_bias_`
    (bias zero, except torch's own U(±1/√fan_in) for ``"default"``)."""
    init_tensor_(linear.weight, init, nonlinearity=gain_name, std=std, generator=generator)
    if linear.bias is not None:
        init_bias_(linear.bias, linear.in_features, init, generator=generator)


def mlp(
    in_features: int,
    out_features: int,
    *,
    depth: int,
    width: int,
    activation: str = "relu",
    init: str = "default",
    norm: str = "none",
    residual: bool = False,
    seed: int = 0,
    std: float | None = None,
    dtype: torch.dtype = torch.float32,
) -> MLP:
    """A deep fully connected network: ``depth`` hidden blocks of ``width`` units, then a linear head.

    Block l computes f(h) = σ(norm(W_l h + b_l)) (see :class:`Block`) and returns h + f(h) when ``residual``
    and the widths match (so every block but the first when in_features ≠ width). ``depth=0`` gives a
    linear model. ``init`` is a scheme of :data:`gradcourse.init.SCHEMES` (``std`` is used by ``"normal"``);
    hidden weights get the gain of ``activation``, the head the linear gain. ``norm`` is one of
    :data:`NORMS`. The same ``seed`` always gives the same weights, and the global torch RNG is left as it was.

    Example::

        >>> net = mlp(64, 10, depth=20, width=64, activation="tanh", init="xavier_uniform")
        >>> len(net.blocks), net.blocks[0].linear.weight.shape
        (20, torch.Size([64, 64]))
    """
    in_features = integer("in_features", in_features, 1)
    out_features = integer("out_features", out_features, 1)
    depth = integer("depth", depth, 0)
    width = integer("width", width, 1)
    act = get_activation(activation)
    choice("init", init, SCHEMES)
    choice("norm", norm, NORMS)
    generator = torch.Generator().manual_seed(integer("seed", seed, 0))
    with torch.random.fork_rng(devices=[]):  # nn.Linear draws a first init from the global RNG: leave it as is
        blocks = [Block(in_features if i == 0 else width, width, activation=act.name, norm=norm,
                        residual=residual) for i in range(depth)]
        head = nn.Linear(width if depth else in_features, out_features)
    model = MLP(blocks, head).to(dtype)  # convert first, so that the init below is drawn in ``dtype``
    for block in model.blocks:
        _init_linear_(block.linear, init, act.gain_name, std, generator)
    _init_linear_(model.head, init, "linear", std, generator)
    return model


class TanhRNN(nn.Module):
    """A vanilla recurrent network, h_t = tanh(W_xh x_t + W_hh h_{t−1} + b), h_0 = 0, read out at the end:
    ŷ = W_hy h_T + c.

    Back-propagation through time multiplies the gradient by diag(tanh'(·)) W_hhᵀ once per step, so over k
    steps it behaves like (W_hhᵀ)^k. Since tanh' ≤ 1, if the largest singular value of W_hh
    (:meth:`spectral_norm`) is below 1 the gradient *must* vanish, and it can only explode when that value is
    above 1 (Pascanu et al. 2013). The spectral radius ρ (largest |eigenvalue|, ρ ≤ spectral norm) sets the
    long-run rate: ‖(W_hhᵀ)^k‖ grows or shrinks like ρ^k. ``spectral_radius`` rescales W_hh after
    initialization so that ρ is exactly the value asked for.

    Input ``x`` has shape (batch, T, input_size) (batch first). ``forward(x, return_states=True)`` also returns
    the hidden states h_1 … h_T with ``retain_grad()`` on, so after ``loss.backward()`` each ``h_t.grad`` holds
    ∂L/∂h_t, the gradient that reached step t.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int, *, spectral_radius: float | None = None,
                 init: str = "default", seed: int = 0, dtype: torch.dtype = torch.float32) -> None:
        super().__init__()
        sizes = [integer(n, v, 1) for v, n in
                 ((input_size, "input_size"), (hidden_size, "hidden_size"), (output_size, "output_size"))]
        choice("init", init, SCHEMES)
        generator = torch.Generator().manual_seed(integer("seed", seed, 0))
        with torch.random.fork_rng(devices=[]):
            self.input_linear = nn.Linear(sizes[0], sizes[1])
            self.recurrent = nn.Linear(sizes[1], sizes[1], bias=False)
            self.head = nn.Linear(sizes[1], sizes[2])
        self.to(dtype)
        _init_linear_(self.input_linear, init, "tanh", None, generator)
        _init_linear_(self.recurrent, init, "tanh", None, generator)
        _init_linear_(self.head, init, "linear", None, generator)
        if spectral_radius is not None:
            self.set_spectral_radius_(spectral_radius)

    @property
    def W_hh(self) -> torch.Tensor:
        """The recurrent weight matrix W_hh (hidden_size × hidden_size)."""
        return self.recurrent.weight

    def spectral_radius(self) -> float:
        """ρ(W_hh) = max |λ| over the eigenvalues λ of W_hh."""
        with torch.no_grad():
            return float(torch.linalg.eigvals(self.W_hh.double()).abs().max())

    def spectral_norm(self) -> float:
        """‖W_hh‖₂, the largest singular value of W_hh: the most one step can stretch any vector."""
        with torch.no_grad():
            return float(torch.linalg.matrix_norm(self.W_hh.double(), ord=2))

    @torch.no_grad()
    def set_spectral_radius_(self, rho: float) -> TanhRNN:
        """Rescale W_hh in place so that ρ(W_hh) = ``rho``; returns the model."""
        rho = real("spectral_radius", rho, 0.0)
        current = self.spectral_radius()
        if current == 0.0:
            raise ValueError("W_hh has spectral radius 0 (all eigenvalues are 0), so it cannot be rescaled; "
                             "use another init")
        self.W_hh.mul_(rho / current)
        return self

    def forward(self, x: torch.Tensor, *, return_states: bool = False
                ) -> torch.Tensor | tuple[torch.Tensor, list[torch.Tensor]]:
        n_in = self.input_linear.in_features
        if x.ndim != 3 or x.shape[2] != n_in or x.shape[1] == 0:
            raise ValueError(f"x must have shape (batch, T, {n_in}) with T ≥ 1, got {tuple(x.shape)}")
        u = self.input_linear(x)  # W_xh x_t + b for every t at once
        h = u.new_zeros(x.shape[0], self.recurrent.in_features)
        states = []
        for t in range(x.shape[1]):
            h = torch.tanh(u[:, t] + self.recurrent(h))
            if return_states:
                if h.requires_grad:
                    h.retain_grad()
                states.append(h)
        y = self.head(h)
        return (y, states) if return_states else y


# ----------------------------------------------------------------------------------------------- cliff
def cliff_rnn(w: torch.Tensor, b: torch.Tensor, *, steps: int, x0: float) -> torch.Tensor:
    """Run x_t = w·σ(x_{t−1}) + b from x_0 = ``x0`` for ``steps`` steps and return x_T.

    ``w`` and ``b`` may be tensors of any (broadcastable) shape: each entry is its own independent one-unit
    network, which is how :func:`cliff_landscape` evaluates a whole grid in one pass.
    """
    x = torch.full_like(w * b, float(x0))
    for _ in range(steps):
        x = w * torch.sigmoid(x) + b
    return x


def cliff_loss(w: torch.Tensor, b: torch.Tensor, *, steps: int, x0: float, target: float) -> torch.Tensor:
    """The loss (x_T − target)² of the one-unit network (entry-wise for tensors ``w``, ``b``)."""
    return (cliff_rnn(w, b, steps=steps, x0=x0) - target) ** 2


class CliffRNN(nn.Module):
    """The one-unit recurrent network of Pascanu, Mikolov & Bengio (2013, arXiv:1211.5063, section 3):

        x_t = w·σ(x_{t−1}) + b,   x_0 = ``x0``,   loss = (x_T − target)².

    Two parameters, one unit, no input; yet for some (w, b) the map has two stable fixed points and a tiny
    change of b moves x_T from one to the other. There the loss surface has a near-vertical wall (a
    "cliff") and the gradient is huge: one plain gradient step can throw the parameters far away. Gradient
    clipping is the cure the paper proposes. The defaults (T = 50, x_0 = 0.5, target 0.7) are our choice.
    """

    def __init__(self, w: float, b: float, *, steps: int = 50, x0: float = 0.5, target: float = 0.7) -> None:
        super().__init__()
        w, b = real("w", w), real("b", b)
        self.steps = integer("steps", steps, 1)
        self.x0 = real("x0", x0)
        self.target = real("target", target)
        self.w = nn.Parameter(torch.tensor(w, dtype=torch.float64))
        self.b = nn.Parameter(torch.tensor(b, dtype=torch.float64))

    def forward(self) -> torch.Tensor:
        """x_T, the state after ``steps`` steps."""
        return cliff_rnn(self.w, self.b, steps=self.steps, x0=self.x0)

    def loss(self) -> torch.Tensor:
        """(x_T − target)²."""
        return cliff_loss(self.w, self.b, steps=self.steps, x0=self.x0, target=self.target)


class CliffLandscape(NamedTuple):
    """Loss and gradient of :class:`CliffRNN` on a grid; every array has shape (len(b_values), len(w_values)),
    ready for ``plt.contourf(landscape.w, landscape.b, landscape.loss)``."""

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    grad_w: np.ndarray
    grad_b: np.ndarray


def cliff_landscape(w_values: Sequence[float] | np.ndarray, b_values: Sequence[float] | np.ndarray, *,
                    steps: int = 50, x0: float = 0.5, target: float = 0.7) -> CliffLandscape:
    """Evaluate the loss (x_T − target)² and its gradient (∂/∂w, ∂/∂b) of :class:`CliffRNN` at every grid point.

    The whole grid runs as one batch of independent one-unit networks in float64, so a 200 × 200 grid
    takes a fraction of a second.
    """
    steps = integer("steps", steps, 1)
    axes = []
    for name, values in (("w_values", w_values), ("b_values", b_values)):
        arr = np.asarray(values, dtype=np.float64)
        if arr.ndim != 1 or arr.size == 0 or not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be a non-empty 1-D sequence of finite numbers, got shape {arr.shape}")
        axes.append(arr)
    W, B = np.meshgrid(*axes)
    w = torch.tensor(W, requires_grad=True)
    b = torch.tensor(B, requires_grad=True)
    loss = cliff_loss(w, b, steps=steps, x0=x0, target=target)
    loss.sum().backward()  # grid points are independent, so the sum's gradient is every point's own gradient
    return CliffLandscape(W, B, loss.detach().numpy(), w.grad.numpy(), b.grad.numpy())
