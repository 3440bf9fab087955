"""Activation functions and their derivatives, in one table.

Every hidden layer of a network computes a pre-activation z and then h = σ(z). Back-propagation needs the
derivative σ'(z) of each activation, and the *size* of that derivative is the whole story of vanishing
gradients: every layer multiplies the backward signal by σ'(z), so if σ'(z) ≤ 1/4 (the sigmoid) twenty
layers shrink it by at least 4²⁰ ≈ 10¹² (unless the weights are large enough to compensate).

=========  ======================  ===============================  ===================
name       σ(z)                    σ'(z)                            largest σ'(z)
=========  ======================  ===============================  ===================
sigmoid    1 / (1 + e^(−z))        σ(z) · (1 − σ(z))                1/4  (at z = 0)
tanh       tanh(z)                 1 − tanh(z)²                     1    (at z = 0)
relu       max(0, z)               1 if z > 0 else 0                1    (for z > 0)
identity   z                       1                                1
=========  ======================  ===============================  ===================

All derivatives here take the **pre-activation z**, not the output h. (One of the source documents writes
``sigmoid_derivative(x) = x * (1 - x)``, which is only right if you pass it the *output* σ(z); passing z is a
classic bug.) At z = 0 the ReLU derivative is taken as 0, as PyTorch does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from gradcourse._validate import choice

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "identity",
    "identity_prime",
    "log_softmax",
    "relu",
    "relu_prime",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "tanh",
    "tanh_prime",
]


def _float_type(z: np.ndarray) -> np.dtype:
    """The float dtype a derivative should have: z's own if z is float32/float64, else float64."""
    return np.result_type(z.dtype, np.float32)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow.

    The textbook formula overflows for large negative z (e^(−z) = e^(1000) = inf, with a warning). We only ever
    exponentiate −|z| ≤ 0: with e = e^(−|z|) ∈ (0, 1],
    σ(z) = 1 / (1 + e) for z ≥ 0 and σ(z) = e / (1 + e) for z < 0 (multiply top and bottom by e^z).
    """
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    """σ'(z) = σ(z) · (1 − σ(z)) ≤ 1/4, with equality only at z = 0.

    Computed as e / (1 + e)² with e = e^(−|z|) (the same number, since σ' is symmetric: σ'(−z) = σ'(z)).
    Writing it that way keeps the tails exact: for z = 40, 1 − σ(z) rounds to 0 in float64 but
    σ'(40) ≈ e^(−40) ≈ 4e-18 is still computed correctly, which matters when you plot log σ'.
    """
    e = np.exp(-np.abs(np.asarray(z)))
    return e / ((1.0 + e) * (1.0 + e))


def tanh(z: np.ndarray) -> np.ndarray:
    """tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)) = 2σ(2z) − 1 (numpy's version is already stable)."""
    return np.tanh(z)


def tanh_prime(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 − tanh(z)² ≤ 1, with equality only at z = 0.

    Since tanh(z) = 2σ(2z) − 1, also tanh'(z) = 4σ'(2z): we compute it that way so the tails stay exact
    (1 − tanh(z)² cancels to 0 once |z| > 19).
    """
    return 4.0 * sigmoid_prime(2.0 * np.asarray(z))


def relu(z: np.ndarray) -> np.ndarray:
    """ReLU(z) = max(0, z)."""
    return np.maximum(z, 0)


def relu_prime(z: np.ndarray) -> np.ndarray:
    """ReLU'(z) = 1 if z > 0 else 0 (0 at z = 0, as in PyTorch): the backward signal passes or is cut."""
    z = np.asarray(z)
    return (z > 0).astype(_float_type(z))


def identity(z: np.ndarray) -> np.ndarray:
    """identity(z) = z (a "linear" layer: no non-linearity at all)."""
    return np.asarray(z)


def identity_prime(z: np.ndarray) -> np.ndarray:
    """identity'(z) = 1."""
    z = np.asarray(z)
    return np.ones(z.shape, dtype=_float_type(z))


class Activation(NamedTuple):
    """One row of the activation table: the function σ, its derivative σ' (of the pre-activation z),
    the largest value σ' can take (the factor that bounds how much a layer can *grow* the gradient), and
    the name :func:`gradcourse.init.calculate_gain` knows it by (PyTorch calls the identity "linear")."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    max_slope: float
    gain_name: str


_TABLE: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, 0.25, "sigmoid"),
    "tanh": Activation("tanh", tanh, tanh_prime, 1.0, "tanh"),
    "relu": Activation("relu", relu, relu_prime, 1.0, "relu"),
    "identity": Activation("identity", identity, identity_prime, 1.0, "linear"),
}

#: The hidden activations every network in the course can use.
ACTIVATIONS: tuple[str, ...] = tuple(_TABLE)


def get_activation(name: str, *, argname: str = "activation") -> Activation:
    """Look an activation up by name; an unknown name raises a ValueError listing the allowed ones."""
    return _TABLE[choice(argname, name, ACTIVATIONS)]


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(z)_k = e^(z_k) / Σ_j e^(z_j), stable.

    Subtracting the largest logit first changes nothing (the factor e^(−max) cancels) but keeps every exponent
    ≤ 0, so nothing overflows.
    """
    z = np.asarray(z)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax(z)_k = z_k − log Σ_j e^(z_j) = (z_k − m) − log Σ_j e^(z_j − m), with m = max_j z_j.

    Taking the log of :func:`softmax` instead would give log(0) = −inf for very negative logits.
    """
    z = np.asarray(z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
