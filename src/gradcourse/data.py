"""Data sets for the course: small, offline and seeded.

Nothing is downloaded. The one real data set, :func:`digits`, ships inside scikit-learn (1,797 images of
8×8 pixels, 10 classes); everything else is generated here from a seed, so the same call always returns the
same numbers.

=======================  ===============================================================================
function                 what it is for
=======================  ===============================================================================
``digits``               a real classification task, small enough to train a 20-layer MLP in seconds
``linear_regression``    the source documents' toy regressions (y = 3x + 2 + 0.5·noise, or y = 2x + noise)
``xor``                  the four XOR points: the smallest problem a linear model cannot solve
``two_spirals``          two interleaved spirals: needs depth, a classic hard toy problem
``moons``                scikit-learn's two half-moons
``adding_problem``       Hochreiter & Schmidhuber's long-dependency task for recurrent networks
``reddi_online``         the online problem on which Adam fails to converge (Reddi, Kale & Kumar 2018)
``batches``              mini-batches of (X, y), shuffled with a seed
=======================  ===============================================================================

Inputs meant for PyTorch networks (digits, adding problem) are float32 with int64 labels; the small numpy
toys are float64. Classification labels are int64 class indices.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from gradcourse._validate import all_finite
from gradcourse._validate import integer as _check_int
from gradcourse._validate import real as _check_real

__all__ = [
    "OnlineProblem",
    "Split",
    "adding_problem",
    "batches",
    "digits",
    "linear_regression",
    "moons",
    "reddi_online",
    "two_spirals",
    "xor",
]


class Split(NamedTuple):
    """A train/validation split: ``X_train, y_train, X_val, y_val``."""

    X_train: Any
    y_train: Any
    X_val: Any
    y_val: Any


def _to_tensors(*arrays: np.ndarray) -> tuple[Any, ...]:
    import torch  # imported only when asked for, so the numpy-only chapters stay light

    return tuple(torch.from_numpy(np.ascontiguousarray(a)) for a in arrays)


# ------------------------------------------------------------------------------------------ digits
@functools.lru_cache(maxsize=1)
def _digits_raw() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits  # bundled with scikit-learn: no download

    bunch = load_digits()
    return bunch.data.astype(np.float64), bunch.target.astype(np.int64)


def digits(*, val_fraction: float = 0.25, standardize: bool = True, seed: int = 0,
           as_tensors: bool = False) -> Split:
    """scikit-learn's handwritten digits: 1,797 images of 8×8 pixels (values 0–16), labels 0–9.

    The split is stratified (each digit keeps its share in both parts) and fixed by ``seed``; with the
    defaults the training set has 1,347 images and the validation set 450. With ``standardize=True`` every
    pixel is shifted and scaled by the **training** mean μ and standard deviation s, x ↦ (x − μ)/s, so the
    validation set never leaks into the statistics. Pixels that are constant in the training set (s = 0,
    e.g. the corners, which are always blank) are only shifted: we divide them by 1, not 0.

    Returns a :class:`Split` of float32 inputs of shape (n, 64) and int64 labels, as numpy arrays or, with
    ``as_tensors=True``, torch tensors.
    """
    from sklearn.model_selection import train_test_split

    _check_real("val_fraction", val_fraction, 0.0, 1.0, open_low=True, open_high=True)
    seed = _check_int("seed", seed, 0)
    X, y = _digits_raw()
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=val_fraction, stratify=y,
                                                      random_state=seed)
    if standardize:
        mean = X_train.mean(axis=0)
        std = X_train.std(axis=0)
        std[std == 0.0] = 1.0
        X_train = (X_train - mean) / std
        X_val = (X_val - mean) / std
    arrays = (X_train.astype(np.float32), y_train, X_val.astype(np.float32), y_val)
    return Split(*(_to_tensors(*arrays) if as_tensors else arrays))


# ------------------------------------------------------------------------------------------ toys
def linear_regression(n: int = 100, *, seed: int = 1, variant: str = "randn") -> tuple[np.ndarray, np.ndarray]:
    """The source documents' synthetic linear regressions, reproduced number for number.

    * ``variant="randn"``: x ~ N(0, 1), y = 3x + 2 + 0.5·ε with ε ~ N(0, 1) (true slope 3, intercept 2);
    * ``variant="linspace"``: x = linspace(−3, 3, n), y = 2x + ε (true slope 2, no intercept).

    Both draw from numpy's legacy generator seeded with ``seed`` (the documents call ``np.random.seed(1)``),
    but through a private ``RandomState``, so the global numpy state is left alone. Returns column vectors
    ``X`` and ``y`` of shape (n, 1), float64.
    """
    n = _check_int("n", n, 1)
    rs = np.random.RandomState(_check_int("seed", seed, 0))
    if variant == "randn":
        X = rs.randn(n, 1)
        y = 3 * X + 2 + rs.randn(n, 1) * 0.5
    elif variant == "linspace":
        X = np.linspace(-3, 3, n).reshape(n, 1)
        y = 2 * X + rs.randn(n).reshape(n, 1)
    else:
        raise ValueError(f"variant must be one of ('randn', 'linspace'), got {variant!r}")
    return X, y


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The XOR problem: X = the four corners of the unit square (float64, shape (4, 2)), y = x₁ XOR x₂ (int64).

    No line separates the two classes, so a network needs a hidden layer to fit it.
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return X, y


def two_spirals(n: int = 200, *, noise: float = 0.1, seed: int = 0, turns: float = 1.5
                ) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals in the plane, ``n`` points in all (class 0 gets the extra one if n is odd).

    For a point at position s ∈ [0, 1] along its arm (s = √u, u ~ U(0, 1), so points are spread evenly),
    radius r = s and angle φ = 2π·turns·s + kπ for class k; then Gaussian noise of standard deviation
    ``noise`` is added to both coordinates. The points are shuffled. Returns X (n, 2) float64 and y (n,) int64.
    """
    n = _check_int("n", n, 2)
    noise = _check_real("noise", noise, 0.0)
    turns = _check_real("turns", turns, 0.0, open_low=True)
    rng = np.random.default_rng(_check_int("seed", seed, 0))
    y = (np.arange(n) >= (n + 1) // 2).astype(np.int64)
    s = np.sqrt(rng.uniform(size=n))
    phi = 2 * np.pi * turns * s + np.pi * y
    X = np.stack([s * np.cos(phi), s * np.sin(phi)], axis=1) + noise * rng.standard_normal((n, 2))
    order = rng.permutation(n)
    return X[order], y[order]


def moons(n: int = 200, *, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's two interleaving half circles (``make_moons``), seeded: X (n, 2) float64, y (n,) int64."""
    from sklearn.datasets import make_moons

    n = _check_int("n", n, 2)
    noise = _check_real("noise", noise, 0.0)
    X, y = make_moons(n_samples=n, noise=noise, random_state=_check_int("seed", seed, 0))
    return X.astype(np.float64), y.astype(np.int64)


def adding_problem(n: int, T: int, *, seed: int = 0, as_tensors: bool = False) -> tuple[Any, Any]:
    """The adding problem (Hochreiter & Schmidhuber 1997), a test of long-range memory for recurrent nets.

    Each of the ``n`` sequences has ``T`` steps with two channels: a random value in [0, 1) and a marker
    that is 1 at exactly two steps (one in the first half, one in the second half) and 0 elsewhere. The
    target is the sum of the two marked values. To solve it the network must carry a number across up to
    T steps, which is exactly where gradients vanish or explode.

    A model that always predicts 1 (the mean target) has mean squared error Var(u₁ + u₂) = 2/12 = 1/6 ≈ 0.167:
    anything clearly below that has learned the task.

    Returns X of shape (n, T, 2) and y of shape (n, 1), float32 (numpy, or torch with ``as_tensors=True``).
    """
    n = _check_int("n", n, 1)
    T = _check_int("T", T, 2)
    rng = np.random.default_rng(_check_int("seed", seed, 0))
    values = rng.uniform(size=(n, T))
    half = T // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, T, size=n)
    markers = np.zeros((n, T))
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=2).astype(np.float32)
    y = (values[rows, first] + values[rows, second]).reshape(n, 1).astype(np.float32)
    return _to_tensors(X, y) if as_tensors else (X, y)


# ---------------------------------------------------------------------------------- Reddi et al.
@dataclass(frozen=True)
class OnlineProblem:
    """The online convex problem of Reddi, Kale & Kumar (2018, arXiv:1904.09237) on which Adam fails.

    On the interval x ∈ [−1, 1] the loss at step t (t = 1, 2, 3, …) is

        f_t(x) = C·x   if t mod 3 = 1,
        f_t(x) = −x    otherwise,

    with C > 2. Over each block of three steps the total loss is (C − 2)·x, so the best fixed point is
    x* = −1. The rare large gradient C points the right way, the frequent small gradients −1 the wrong way;
    Adam's second moment forgets the large gradient too quickly, so Adam (e.g. β₁ = 0, β₂ = 1/(1 + C²))
    drifts to x = +1, the worst point. AMSGrad fixes this.

    Methods work on Python floats, numpy arrays and torch tensors alike.
    """

    C: float = 3.0
    low: float = -1.0
    high: float = 1.0
    x_star: float = -1.0

    def _slope(self, t: int) -> float:
        t = _check_int("t", t, 1)
        return self.C if t % 3 == 1 else -1.0

    def loss(self, x: Any, t: int) -> Any:
        """f_t(x) = C·x if t mod 3 = 1 else −x."""
        return self._slope(t) * x

    def grad(self, x: Any, t: int) -> Any:
        """∇f_t(x) = C if t mod 3 = 1 else −1, with the shape and type of ``x``."""
        return x * 0 + self._slope(t)

    def project(self, x: Any) -> Any:
        """Π(x) = min(max(x, −1), 1), the closest point of [−1, 1] (the projection step of online descent)."""
        if hasattr(x, "clamp"):  # a torch tensor
            return x.clamp(self.low, self.high)
        return np.clip(x, self.low, self.high)

    def regret(self, xs: Any) -> float:
        """R_T = Σ_{t=1}^{T} f_t(x_t) − min_x Σ_t f_t(x) for the iterates ``xs`` = (x_1, …, x_T).

        Reddi et al. show Adam's average regret R_T / T does not go to 0 on this problem.
        """
        xs = np.asarray(xs, dtype=np.float64).reshape(-1)
        slopes = np.array([self._slope(t) for t in range(1, xs.size + 1)])
        best = min(float(np.sum(slopes)) * self.low, float(np.sum(slopes)) * self.high)
        return float(np.sum(slopes * xs)) - best


def reddi_online(C: float = 3.0) -> OnlineProblem:
    """The online problem f_t(x) = C·x if t mod 3 = 1 else −x on [−1, 1] (see :class:`OnlineProblem`); C > 2."""
    C = _check_real("C", C, 2.0, open_low=True, allowed="a finite number > 2 (so that the best point is x* = -1)")
    return OnlineProblem(C=C)


# --------------------------------------------------------------------------------------- batches
def batches(X: Any, y: Any, batch_size: int, *, shuffle: bool = True, seed: int = 0,
            drop_last: bool = False) -> Iterator[tuple[Any, Any]]:
    """Yield mini-batches ``(X[idx], y[idx])`` covering the data once (one epoch).

    With ``shuffle=True`` the order is a permutation drawn from ``seed``; call with ``seed=epoch`` to get a
    new, still reproducible, order every epoch. The last batch is smaller when ``batch_size`` does not divide
    the number of examples, unless ``drop_last=True``. Works for numpy arrays and torch tensors. Bad
    arguments raise at the call, not at the first ``next()``.
    """
    n = len(X)
    if n == 0:
        raise ValueError("X is empty: batches needs at least one example")
    if len(y) != n:
        raise ValueError(f"X and y must have the same number of examples (first dimension), got {n} and {len(y)}")
    batch_size = _check_int("batch_size", batch_size, 1)
    for name, a in (("X", X), ("y", y)):
        if not all_finite(a):
            raise ValueError(f"{name} contains NaN or inf; clean the data before training")
    order = np.random.default_rng(_check_int("seed", seed, 0)).permutation(n) if shuffle else np.arange(n)
    if hasattr(X, "index_select"):  # torch tensors want a tensor index
        import torch

        order = torch.from_numpy(order)
    stop = n - n % batch_size if drop_last else n
    return ((X[order[i:i + batch_size]], y[order[i:i + batch_size]]) for i in range(0, stop, batch_size))
