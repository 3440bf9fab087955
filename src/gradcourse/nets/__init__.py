"""Networks for the course: a numpy MLP with hand-written backprop, and PyTorch builders.

* :mod:`~gradcourse.nets.activations` — σ and σ' for sigmoid, tanh, ReLU and identity, in one table;
  stable softmax and log-softmax.
* :mod:`~gradcourse.nets.numpy_mlp` — :class:`NumpyMLP`: forward pass with a cache, backward pass that returns
  every weight gradient and every back-propagated signal ∂L/∂h_l.
* :mod:`~gradcourse.nets.gradcheck` — :func:`gradient_check` by central finite differences.
* :mod:`~gradcourse.nets.torch_nets` — :func:`mlp` (depth, width, activation, init, norm, residual),
  :class:`TanhRNN`, :class:`CliffRNN` and :func:`cliff_landscape`.
* :mod:`~gradcourse.nets.transformer` — :func:`tiny_transformer`: a small transformer whose blocks put the
  LayerNorm after (post-LN) or before (pre-LN) each sublayer; :class:`SelfAttention` written out.
"""

from __future__ import annotations

from gradcourse.nets.activations import ACTIVATIONS, Activation, get_activation, log_softmax, softmax
from gradcourse.nets.batchnorm import BatchNorm, BatchNormCache
from gradcourse.nets.gradcheck import gradient_check, numerical_gradient, relative_error
from gradcourse.nets.numpy_mlp import LOSSES, ForwardCache, NumpyMLP, cross_entropy_loss, mse_loss
from gradcourse.nets.torch_nets import (
    MLP,
    NORMS,
    Block,
    CliffLandscape,
    CliffRNN,
    TanhRNN,
    cliff_landscape,
    cliff_loss,
    cliff_rnn,
    mlp,
)
from gradcourse.nets.transformer import (
    NORM_POSITIONS,
    SelfAttention,
    TinyTransformer,
    TransformerBlock,
    tiny_transformer,
)

__all__ = [
    "ACTIVATIONS",
    "BatchNorm",
    "BatchNormCache",
    "LOSSES",
    "MLP",
    "NORMS",
    "NORM_POSITIONS",
    "Activation",
    "Block",
    "CliffLandscape",
    "CliffRNN",
    "ForwardCache",
    "NumpyMLP",
    "SelfAttention",
    "TanhRNN",
    "TinyTransformer",
    "TransformerBlock",
    "cliff_landscape",
    "cliff_loss",
    "cliff_rnn",
    "cross_entropy_loss",
    "get_activation",
    "gradient_check",
    "log_softmax",
    "mlp",
    "mse_loss",
    "numerical_gradient",
    "relative_error",
    "softmax",
    "tiny_transformer",
]
