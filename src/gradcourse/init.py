"""Weight initialization: Xavier/Glorot, He/Kaiming, LeCun, orthogonal, Glorot's "standard", normal.

Why it matters: in a layer h = W x with n inputs of variance v and independent zero-mean weights of
variance σ², each output has variance n·σ²·v. Stacking D layers multiplies the signal's variance by
(n σ²)^D, so unless n·σ² ≈ 1 (times a correction for the nonlinearity, the *gain*) activations and
gradients vanish or explode exponentially with depth. Each scheme picks σ to keep that product near 1:

=================  ==============================  ===========================================
scheme             distribution                    scale
=================  ==============================  ===========================================
xavier_normal      N(0, σ²)                        σ = gain·√(2 / (fan_in + fan_out))
xavier_uniform     U(−a, a)                        a = gain·√(6 / (fan_in + fan_out)) = √3·σ
kaiming_normal     N(0, σ²)                        σ = gain / √fan     (fan = fan_in or fan_out)
kaiming_uniform    U(−a, a)                        a = gain·√(3 / fan) = √3·σ
lecun_normal       N(0, σ²)                        σ = 1 / √fan_in
glorot_standard    U(−a, a)                        a = 1 / √fan_in      (Glorot & Bengio 2010, eq. 1)
orthogonal         random (semi-)orthogonal Q      Q·gain, all singular values = gain
normal             N(0, σ²)                        σ = std (given)
default            torch.nn.Linear's own init      kaiming_uniform with a = √5, i.e. U(±1/√fan_in)
=================  ==============================  ===========================================

A uniform U(−a, a) has variance a²/3, hence a = √3·σ for the same variance (:func:`uniform_bound`).

**Fans** follow torch: a Linear weight has shape (out, in), so fan_in = in, fan_out = out; a convolution
weight (out, in, k1, k2, …) has fan_in = in·k1·k2·…, fan_out = out·k1·k2·… (:func:`fan_in_and_fan_out`).

Each scheme's scale is one small pure function (``xavier_std``, ``xavier_uniform_bound``, ``kaiming_std``
…) used by both the numpy samplers (``xavier_uniform(shape, gain, rng)``, returning a new array) and their
torch in-place twins (``xavier_uniform_(tensor, gain, generator)``). The torch twins compute the scale with
the same floating-point operations as ``torch.nn.init`` and draw from the same generator calls, so with
equal seeds they give bit-identical tensors. The dispatchers :func:`init_array` and :func:`init_tensor_`
select a scheme by name (``SCHEMES``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np
import torch

from gradcourse._validate import choice, instance, integer, real

__all__ = [
    "SCHEMES",
    "NONLINEARITIES",
    "calculate_gain",
    "fan_in_and_fan_out",
    "uniform_bound",
    "xavier_std",
    "xavier_uniform_bound",
    "kaiming_std",
    "kaiming_uniform_bound",
    "lecun_std",
    "glorot_standard_bound",
    "default_bias_bound",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_uniform",
    "kaiming_normal",
    "lecun_normal",
    "orthogonal",
    "glorot_standard",
    "normal",
    "xavier_uniform_",
    "xavier_normal_",
    "kaiming_uniform_",
    "kaiming_normal_",
    "lecun_normal_",
    "orthogonal_",
    "glorot_standard_",
    "normal_",
    "init_array",
    "init_tensor_",
    "init_bias",
    "init_bias_",
]

SCHEMES = (
    "default",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_uniform",
    "kaiming_normal",
    "lecun_normal",
    "orthogonal",
    "glorot_standard",
    "normal",
)

_LINEAR_LIKE = (
    "linear",
    "identity",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
)
#: names accepted by :func:`calculate_gain` (torch's, plus "identity" as another name for "linear")
NONLINEARITIES = (*_LINEAR_LIKE, "sigmoid", "tanh", "relu", "leaky_relu", "selu")
_FAN_MODES = ("fan_in", "fan_out")
#: the negative slope torch.nn.Linear passes to kaiming_uniform_ for its default init
_TORCH_LINEAR_A = math.sqrt(5)

Shape = Sequence[int]


# ---------------------------------------------------------------------------------------------------------
# gain and fans
# ---------------------------------------------------------------------------------------------------------
def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (torch's table), used to scale the init's standard deviation.

    =====================  =====================================
    nonlinearity           gain
    =====================  =====================================
    linear / identity      1
    conv*, conv_transpose*  1
    sigmoid                1
    tanh                   5/3
    relu                   √2
    leaky_relu             √(2 / (1 + slope²))   (slope = param, default 0.01)
    selu                   3/4
    =====================  =====================================

    The ReLU gain √2 makes up for ReLU zeroing half its inputs (it halves the second moment). The SELU
    value 3/4 is torch's empirical choice; for self-normalising networks use "linear" (gain 1) instead.
    """
    choice("nonlinearity", nonlinearity, NONLINEARITIES)
    if nonlinearity in _LINEAR_LIKE or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else real("param (the leaky_relu negative slope)", param)
        return math.sqrt(2.0 / (1 + slope**2))
    return 3.0 / 4  # selu


def _check_shape(shape: Any, min_dims: int = 2) -> tuple[int, ...]:
    try:
        dims = tuple(shape)
    except TypeError:
        raise ValueError(f"shape must be a sequence of integers such as (out, in), got {shape!r}") from None
    dims = tuple(integer(f"shape[{i}]", d) for i, d in enumerate(dims))
    if len(dims) < min_dims:
        raise ValueError(
            f"shape must have at least {min_dims} dimensions, (out, in) for a Linear weight or "
            f"(out, in, k1, ...) for a convolution, to define fan_in and fan_out; got {shape!r}. "
            "Biases (1 dimension) have no fan: use init_bias, or scheme 'normal'."
        )
    return dims


def fan_in_and_fan_out(shape: Shape) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of this shape, with torch's convention.

        Linear (out, in):               fan_in = in,        fan_out = out
        Conv   (out, in, k1, k2, ...):  fan_in = in·k1·k2…, fan_out = out·k1·k2…

    fan_in is the number of inputs each output unit sums over; fan_out the number of outputs each input
    feeds. Raises ``ValueError`` for fewer than 2 dimensions.
    """
    dims = _check_shape(shape)
    receptive = math.prod(dims[2:])
    return dims[1] * receptive, dims[0] * receptive


def _fan(shape: Shape, mode: str) -> int:
    mode_ = choice("mode", mode.lower() if isinstance(mode, str) else mode, _FAN_MODES)
    fan_in, fan_out = fan_in_and_fan_out(shape)
    return fan_in if mode_ == "fan_in" else fan_out


def _check_fan(name: str, fan: Any) -> int:
    return integer(name, fan, 1, allowed="a positive integer (a weight with no entries has no scale)")


# ---------------------------------------------------------------------------------------------------------
# the scale of each scheme: one pure function each
# ---------------------------------------------------------------------------------------------------------
def uniform_bound(std: float) -> float:
    """The a for which U(−a, a) has standard deviation ``std``: a = √3·std (since Var U(−a, a) = a²/3)."""
    return math.sqrt(3.0) * std


def xavier_std(fan_in: int, fan_out: int, gain: float = 1.0) -> float:
    """Xavier/Glorot standard deviation: σ = gain·√(2 / (fan_in + fan_out)).

    The compromise between keeping the forward variance (needs σ² = 1/fan_in) and the backward variance
    (needs σ² = 1/fan_out) of Glorot & Bengio (2010): σ² = 2/(fan_in + fan_out).
    """
    total = _check_fan("fan_in", fan_in) + _check_fan("fan_out", fan_out)
    return gain * math.sqrt(2.0 / float(total))


def xavier_uniform_bound(fan_in: int, fan_out: int, gain: float = 1.0) -> float:
    """Xavier/Glorot uniform bound: a = gain·√(6 / (fan_in + fan_out)) = √3·xavier_std."""
    return uniform_bound(xavier_std(fan_in, fan_out, gain))


def kaiming_std(fan: int, gain: float) -> float:
    """He/Kaiming standard deviation: σ = gain / √fan (He et al. 2015; gain √2 for ReLU gives σ² = 2/fan)."""
    return gain / math.sqrt(_check_fan("fan", fan))


def kaiming_uniform_bound(fan: int, gain: float) -> float:
    """He/Kaiming uniform bound: a = gain·√(3 / fan) = √3·kaiming_std."""
    return uniform_bound(kaiming_std(fan, gain))


def lecun_std(fan_in: int) -> float:
    """LeCun standard deviation: σ = 1 / √fan_in (LeCun et al. 1998; the init SELU networks need).

    Note: JAX and Keras draw ``lecun_normal`` from a *truncated* normal; here it is a plain normal.
    """
    return kaiming_std(fan_in, 1.0)


def glorot_standard_bound(fan_in: int) -> float:
    """Bound of the "standard" initialization of Glorot & Bengio (2010, eq. 1): a = 1 / √fan_in.

    W ~ U(−1/√n, 1/√n) with n the size of the previous layer (= fan_in). Its variance 1/(3n) is a third
    of what keeps the signal's variance: the paper shows activations shrinking layer after layer with it.
    """
    return 1.0 / math.sqrt(_check_fan("fan_in", fan_in))


def default_bias_bound(fan_in: int) -> float:
    """torch.nn.Linear's default bias bound: b ~ U(−1/√fan_in, 1/√fan_in) (Glorot's standard formula)."""
    return glorot_standard_bound(fan_in)


def _kaiming_gain(a: float, nonlinearity: str) -> float:
    # torch passes the slope ``a`` as the gain parameter (used only by "leaky_relu"; a = 0 means ReLU)
    return calculate_gain(nonlinearity, a)


# ---------------------------------------------------------------------------------------------------------
# drawing: the only place that knows numpy from torch
# ---------------------------------------------------------------------------------------------------------
def _rng(rng: Any) -> Any:
    """A numpy Generator; ``None`` uses numpy's global random state (seeded by ``seed_everything``)."""
    if rng is None:
        return np.random
    if isinstance(rng, Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    if isinstance(rng, (np.random.Generator, np.random.RandomState)):
        return rng
    raise ValueError(f"rng must be a numpy Generator, an integer seed or None, got {rng!r}")


def _draw_numpy(shape: Shape, kind: str, scale: float, rng: Any) -> np.ndarray:
    """A new float64 array: U(−scale, scale), N(0, scale²) or a (semi-)orthogonal matrix times scale."""
    r = _rng(rng)
    shape = tuple(shape)
    if kind == "uniform":
        return np.asarray(r.uniform(-scale, scale, size=shape), dtype=np.float64)
    if kind == "normal":
        return np.asarray(r.normal(0.0, scale, size=shape), dtype=np.float64)
    rows = shape[0]
    gaussian = np.asarray(r.standard_normal((rows, math.prod(shape) // rows)), dtype=np.float64)
    return (_semi_orthogonal(gaussian) * scale).reshape(shape)


def _draw_torch(
    tensor: torch.Tensor, kind: str, scale: float, generator: torch.Generator | None
) -> torch.Tensor:
    """Fill ``tensor`` in place, with the same generator calls as torch.nn.init."""
    instance("tensor", tensor, torch.Tensor, "a torch.Tensor (use the function without '_' for numpy)")
    with torch.no_grad():
        if kind == "uniform":
            return tensor.uniform_(-scale, scale, generator=generator)
        if kind == "normal":
            return tensor.normal_(0.0, scale, generator=generator)
        rows = tensor.shape[0]
        gaussian = tensor.new_empty((rows, tensor.numel() // rows)).normal_(0, 1, generator=generator)
        tensor.view_as(gaussian).copy_(_semi_orthogonal(gaussian))
        return tensor.mul_(scale)


def _semi_orthogonal(a: Any) -> Any:
    """Q from the QR decomposition of a Gaussian matrix ``a`` (numpy or torch), made uniformly distributed.

    For a tall matrix (rows ≥ cols) a = QR gives Q with orthonormal columns (QᵀQ = I); a wide matrix is
    transposed first so that its rows come out orthonormal (QQᵀ = I). Multiplying column j of Q by the sign
    of R_jj makes Q Haar-distributed (Mezzadri 2007), as torch.nn.init.orthogonal_ does.
    """
    xp = torch if isinstance(a, torch.Tensor) else np
    wide = a.shape[0] < a.shape[1]
    if wide:
        a = a.T
    q, r = xp.linalg.qr(a)
    q = q * xp.sign(xp.diagonal(r))
    return q.T if wide else q


def _check_std(std: Any) -> float:
    return real("std", std, 0.0)


def _orthogonal_shape(shape: Shape) -> tuple[int, ...]:
    dims = _check_shape(shape)
    if math.prod(dims) == 0:
        raise ValueError(f"shape must have no zero dimension for orthogonal init, got {tuple(shape)!r}")
    return dims


# ---------------------------------------------------------------------------------------------------------
# named samplers: (kind, scale) of each, then numpy and torch twins
# ---------------------------------------------------------------------------------------------------------
def _xavier_uniform_spec(shape: Shape, gain: float) -> tuple[str, float]:
    return "uniform", xavier_uniform_bound(*fan_in_and_fan_out(shape), gain)


def _xavier_normal_spec(shape: Shape, gain: float) -> tuple[str, float]:
    return "normal", xavier_std(*fan_in_and_fan_out(shape), gain)


def _kaiming_uniform_spec(shape: Shape, gain: float, mode: str = "fan_in") -> tuple[str, float]:
    return "uniform", kaiming_uniform_bound(_fan(shape, mode), gain)


def _kaiming_normal_spec(shape: Shape, gain: float, mode: str = "fan_in") -> tuple[str, float]:
    return "normal", kaiming_std(_fan(shape, mode), gain)


def _lecun_normal_spec(shape: Shape) -> tuple[str, float]:
    return "normal", lecun_std(fan_in_and_fan_out(shape)[0])


def _glorot_standard_spec(shape: Shape) -> tuple[str, float]:
    return "uniform", glorot_standard_bound(fan_in_and_fan_out(shape)[0])


def _orthogonal_spec(shape: Shape, gain: float) -> tuple[str, float]:
    _orthogonal_shape(shape)
    return "orthogonal", gain


def _normal_spec(std: float) -> tuple[str, float]:
    return "normal", _check_std(std)


def xavier_uniform(shape: Shape, gain: float = 1.0, rng: Any = None) -> np.ndarray:
    """W ~ U(−a, a), a = gain·√(6/(fan_in + fan_out)) (Glorot & Bengio 2010). New float64 array.

    ``rng``: a ``numpy.random.Generator``, an integer seed, or None (numpy's global state, which
    ``gradcourse.seeding.seed_everything`` seeds).
    """
    return _draw_numpy(shape, *_xavier_uniform_spec(shape, gain), rng)


def xavier_normal(shape: Shape, gain: float = 1.0, rng: Any = None) -> np.ndarray:
    """W ~ N(0, σ²), σ = gain·√(2/(fan_in + fan_out)) (Glorot & Bengio 2010). New float64 array."""
    return _draw_numpy(shape, *_xavier_normal_spec(shape, gain), rng)


def kaiming_uniform(
    shape: Shape, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", rng: Any = None
) -> np.ndarray:
    """W ~ U(−b, b), b = gain·√(3/fan) (He et al. 2015), gain = calculate_gain(nonlinearity, a).

    ``mode="fan_in"`` keeps the variance of the forward signal, ``"fan_out"`` that of the backward
    gradient. ``a`` is the negative slope of a leaky ReLU (only used with ``nonlinearity="leaky_relu"``;
    the defaults a = 0, "leaky_relu" give the ReLU gain √2, as torch).
    """
    return _draw_numpy(shape, *_kaiming_uniform_spec(shape, _kaiming_gain(a, nonlinearity), mode), rng)


def kaiming_normal(
    shape: Shape, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu", rng: Any = None
) -> np.ndarray:
    """W ~ N(0, σ²), σ = gain/√fan (He et al. 2015), gain = calculate_gain(nonlinearity, a)."""
    return _draw_numpy(shape, *_kaiming_normal_spec(shape, _kaiming_gain(a, nonlinearity), mode), rng)


def lecun_normal(shape: Shape, rng: Any = None) -> np.ndarray:
    """W ~ N(0, 1/fan_in) (LeCun et al. 1998). New float64 array."""
    return _draw_numpy(shape, *_lecun_normal_spec(shape), rng)


def orthogonal(shape: Shape, gain: float = 1.0, rng: Any = None) -> np.ndarray:
    """A random (semi-)orthogonal matrix times ``gain`` (Saxe et al. 2014), as torch.nn.init.orthogonal_.

    The weight is viewed as a (rows, cols) matrix with rows = shape[0]; then WᵀW = gain²·I if rows ≥ cols,
    WWᵀ = gain²·I if rows < cols. All singular values equal ``gain``, so a deep *linear* network built from
    such layers neither shrinks nor grows any direction of the signal.
    """
    return _draw_numpy(shape, *_orthogonal_spec(shape, gain), rng)


def glorot_standard(shape: Shape, rng: Any = None) -> np.ndarray:
    """W ~ U(−1/√fan_in, 1/√fan_in), the "standard" init of Glorot & Bengio (2010, eq. 1)."""
    return _draw_numpy(shape, *_glorot_standard_spec(shape), rng)


def normal(shape: Shape, std: float, rng: Any = None) -> np.ndarray:
    """W ~ N(0, std²) with a fixed std (e.g. 0.01), whatever the layer size. Any number of dimensions."""
    return _draw_numpy(_check_shape(shape, 0), *_normal_spec(std), rng)


def xavier_uniform_(
    tensor: torch.Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> torch.Tensor:
    """In-place twin of :func:`xavier_uniform` (same values as ``torch.nn.init.xavier_uniform_``)."""
    return _draw_torch(tensor, *_xavier_uniform_spec(tensor.shape, gain), generator)


def xavier_normal_(
    tensor: torch.Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> torch.Tensor:
    """In-place twin of :func:`xavier_normal` (same values as ``torch.nn.init.xavier_normal_``)."""
    return _draw_torch(tensor, *_xavier_normal_spec(tensor.shape, gain), generator)


def kaiming_uniform_(
    tensor: torch.Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """In-place twin of :func:`kaiming_uniform` (same values as ``torch.nn.init.kaiming_uniform_``)."""
    return _draw_torch(
        tensor, *_kaiming_uniform_spec(tensor.shape, _kaiming_gain(a, nonlinearity), mode), generator
    )


def kaiming_normal_(
    tensor: torch.Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """In-place twin of :func:`kaiming_normal` (same values as ``torch.nn.init.kaiming_normal_``)."""
    return _draw_torch(
        tensor, *_kaiming_normal_spec(tensor.shape, _kaiming_gain(a, nonlinearity), mode), generator
    )


def lecun_normal_(tensor: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """In-place twin of :func:`lecun_normal`: N(0, 1/fan_in)."""
    return _draw_torch(tensor, *_lecun_normal_spec(tensor.shape), generator)


def orthogonal_(
    tensor: torch.Tensor, gain: float = 1.0, generator: torch.Generator | None = None
) -> torch.Tensor:
    """In-place twin of :func:`orthogonal` (same values as ``torch.nn.init.orthogonal_``)."""
    return _draw_torch(tensor, *_orthogonal_spec(tensor.shape, gain), generator)


def glorot_standard_(tensor: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """In-place twin of :func:`glorot_standard`: U(−1/√fan_in, 1/√fan_in)."""
    return _draw_torch(tensor, *_glorot_standard_spec(tensor.shape), generator)


def normal_(tensor: torch.Tensor, std: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """In-place twin of :func:`normal`: N(0, std²) (as ``torch.nn.init.normal_(tensor, 0, std)``)."""
    return _draw_torch(tensor, *_normal_spec(std), generator)


# ---------------------------------------------------------------------------------------------------------
# dispatchers
# ---------------------------------------------------------------------------------------------------------
def _scheme_spec(shape: Shape, scheme: str, nonlinearity: str, std: float | None) -> tuple[str, float]:
    """(kind, scale) of a scheme by name; the single table behind init_array and init_tensor_."""
    choice("scheme", scheme, SCHEMES)
    gain = calculate_gain(nonlinearity)  # validates the name even for schemes that do not use a gain
    if scheme == "normal":
        if std is None:
            raise ValueError(
                "scheme 'normal' needs std (the standard deviation), e.g. std=0.01; got std=None"
            )
        return _normal_spec(std)
    if std is not None:
        raise ValueError(
            f"std is only used by scheme 'normal'; scheme {scheme!r} computes its own scale, got std={std!r}"
        )
    if scheme == "default":  # torch.nn.Linear.reset_parameters: kaiming_uniform_(weight, a=√5)
        return _kaiming_uniform_spec(shape, calculate_gain("leaky_relu", _TORCH_LINEAR_A))
    if scheme == "xavier_uniform":
        return _xavier_uniform_spec(shape, gain)
    if scheme == "xavier_normal":
        return _xavier_normal_spec(shape, gain)
    if scheme == "kaiming_uniform":
        return _kaiming_uniform_spec(shape, gain)
    if scheme == "kaiming_normal":
        return _kaiming_normal_spec(shape, gain)
    if scheme == "lecun_normal":
        return _lecun_normal_spec(shape)
    if scheme == "orthogonal":
        return _orthogonal_spec(shape, gain)
    return _glorot_standard_spec(shape)


def init_array(
    shape: Shape, scheme: str, *, nonlinearity: str = "linear", std: float | None = None, rng: Any = None
) -> np.ndarray:
    """A new float64 weight array of ``shape`` (torch layout: (out, in) for a Linear) drawn by ``scheme``.

    ``scheme`` is one of ``SCHEMES``. The gain ``calculate_gain(nonlinearity)`` scales xavier_*,
    kaiming_* (fan_in mode) and orthogonal; lecun_normal, glorot_standard, normal and default are defined
    without a gain and ignore it. "normal" needs ``std`` (and is the only scheme that takes it).
    "default" is torch.nn.Linear's weight init, U(±1/√fan_in) (:func:`init_bias` gives its bias).
    """
    return _draw_numpy(shape, *_scheme_spec(shape, scheme, nonlinearity, std), rng)


def init_tensor_(
    tensor: torch.Tensor,
    scheme: str,
    *,
    nonlinearity: str = "linear",
    std: float | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Fill ``tensor`` in place by ``scheme`` (see :func:`init_array`) and return it.

    With "default" on a weight this reproduces the weight part of ``torch.nn.Linear.reset_parameters``
    exactly (same generator calls); it touches only the tensor given. For the bias use :func:`init_bias_`.
    """
    instance("tensor", tensor, torch.Tensor, "a torch.Tensor (use init_array for numpy)")
    return _draw_torch(tensor, *_scheme_spec(tensor.shape, scheme, nonlinearity, std), generator)


def _bias_bound(fan_in: int, scheme: str) -> float | None:
    """U(±bound) for "default" (torch.nn.Linear's bias), None (zeros) for every other scheme."""
    choice("scheme", scheme, SCHEMES)
    return default_bias_bound(fan_in) if scheme == "default" else None


def init_bias(size: int, fan_in: int, scheme: str, *, rng: Any = None) -> np.ndarray:
    """The bias that goes with a weight initialized by ``scheme``: zeros, except for "default", which
    draws torch.nn.Linear's bias b ~ U(−1/√fan_in, 1/√fan_in) (fan_in of the weight)."""
    shape = _check_shape((size,), 1)
    bound = _bias_bound(fan_in, scheme)
    return np.zeros(shape) if bound is None else _draw_numpy(shape, "uniform", bound, rng)


def init_bias_(
    bias: torch.Tensor, fan_in: int, scheme: str, *, generator: torch.Generator | None = None
) -> torch.Tensor:
    """In-place twin of :func:`init_bias` (with "default", the same draw as torch.nn.Linear's bias)."""
    bound = _bias_bound(fan_in, scheme)
    if bound is None:
        with torch.no_grad():
            return bias.zero_()
    return _draw_torch(bias, "uniform", bound, generator)
