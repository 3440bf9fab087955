"""Two-dimensional test functions for watching optimizers move.

A point is θ = (x₁, x₂). Every objective here knows its value ``f(θ)``, its gradient ``grad(θ)`` (worked out
by hand, checked against finite differences and torch autograd in the tests), where its minimum is, and a
plotting window ``xlim`` × ``ylim``.

``f`` is *vectorised*: the first axis holds the two coordinates, any further axes are a grid. So the same
function gives one number for ``θ`` of shape (2,) and a whole contour map for a meshgrid::

    X1, X2 = np.meshgrid(np.linspace(-2, 2, 101), np.linspace(-1, 3, 101))
    F = ROSENBROCK.f(np.stack([X1, X2]))        # shape (101, 101); ROSENBROCK.grid() does exactly this

``f`` uses only ``+ - * **`` and indexing, so it also accepts a torch tensor (that is how the tests check
the hand-written gradients against autograd).

``run(problem, "adam", x0, steps, lr=0.1)`` moves a point with one of the update rules of
:mod:`gradcourse.optim.functional` and returns the whole path, ready for
:func:`gradcourse.plots.contour_with_trajectories`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from gradcourse._validate import choice, instance, integer
from gradcourse._validate import real as _check_real

__all__ = [
    "ALIASES",
    "BEALE",
    "ELLIPSE",
    "OBJECTIVES",
    "Objective",
    "Quadratic",
    "ROSENBROCK",
    "SADDLE",
    "diverged",
    "run",
]


# --- argument checks ---------------------------------------------------------------------------------------


def _is_real_array(x) -> bool:
    try:
        a = np.asarray(x)
    except (TypeError, ValueError):
        return False
    return a.dtype.kind in "iuf"


@dataclass(eq=False)
class Objective:
    """A 2-D objective: a name, f, its gradient (and Hessian if cheap), its minimum and a plotting window.

    ``f(x)`` and ``grad(x)`` take ``x`` of shape (2, ...) — x[0] is x₁, x[1] is x₂ — and return shapes
    (...) and (2, ...). ``hessian(x)`` (or None) takes one point of shape (2,) and returns a (2, 2) matrix.
    ``minimum`` is the global minimiser θ* as an array of shape (2,), or None when f has no minimum
    (``SADDLE`` is unbounded below).
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray] = field(repr=False)
    grad: Callable[[np.ndarray], np.ndarray] = field(repr=False)
    minimum: np.ndarray | None
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    hessian: Callable[[np.ndarray], np.ndarray] | None = field(default=None, repr=False)

    def grid(self, n: int = 201) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``(X1, X2, F)``: an n × n meshgrid over ``xlim`` × ``ylim`` and f on it (for contours)."""
        n = integer("n", n, 2, allowed="an integer >= 2 (grid points per axis)")
        X1, X2 = np.meshgrid(np.linspace(*self.xlim, n), np.linspace(*self.ylim, n))
        return X1, X2, np.asarray(self.f(np.stack([X1, X2])), dtype=float)


class Quadratic(Objective):
    """f(θ) = ½ θᵀAθ, where A has eigenvalues μ = L/κ and L, turned by ``rotation`` radians.

    A = R diag(μ, L) Rᵀ with R the rotation by angle φ = ``rotation``; with φ = 0 the flat direction (small
    curvature μ) is x₁ and the steep one (curvature L) is x₂. The minimum is θ* = 0 with f(θ*) = 0.

    This is the problem on which the whole theory of step sizes can be done by hand. Gradient descent
    θ ← θ − η A θ multiplies the error along each eigenvector by (1 − ηλ), λ ∈ {μ, L}, so

    - it converges exactly when |1 − ηλ| < 1 for both, i.e. 0 < η < 2/L (``max_stable_lr``);
    - the per-step contraction ρ(η) = max(|1 − ημ|, |1 − ηL|) (``contraction(lr)``) is smallest at
      η = 2/(L + μ) (``optimal_lr``), where ρ = (κ − 1)/(κ + 1).

    Parameters: ``kappa`` = κ = L/μ ≥ 1 (condition number), ``L`` > 0 (largest curvature, the smoothness
    constant), ``rotation`` = φ in radians, ``name`` for titles and legends.
    """

    def __init__(self, kappa: float, L: float = 1.0, rotation: float = 0.0, *, name: str | None = None):
        _check_real("kappa", kappa, 1.0, allowed="a finite number >= 1 (the condition number κ = L/μ)")
        _check_real("L", L, 0.0, open_low=True, allowed="a finite number > 0 (the largest curvature)")
        _check_real("rotation", rotation, allowed="a finite angle in radians")
        self.kappa = float(kappa)
        self.L = float(L)
        self.rotation = float(rotation)
        c, s = math.cos(self.rotation), math.sin(self.rotation)
        R = np.array([[c, -s], [s, c]])
        self.A = R @ np.diag([self.mu, self.L]) @ R.T
        (a11, a12), (_, a22) = self.A.tolist()

        def f(x):
            return 0.5 * (a11 * x[0] ** 2 + 2 * a12 * x[0] * x[1] + a22 * x[1] ** 2)

        def grad(x):
            x = np.asarray(x, dtype=float)
            return np.stack([a11 * x[0] + a12 * x[1], a12 * x[0] + a22 * x[1]])

        super().__init__(
            name=name if name is not None else f"quadratic κ={self.kappa:g}",
            f=f,
            grad=grad,
            minimum=np.zeros(2),
            xlim=(-6.0, 6.0),
            ylim=(-3.0, 3.0),
            hessian=lambda x: self.A.copy(),
        )

    def __repr__(self) -> str:
        return f"Quadratic(kappa={self.kappa:g}, L={self.L:g}, rotation={self.rotation:g}, name={self.name!r})"

    @property
    def mu(self) -> float:
        """μ = L/κ, the smallest curvature (strong-convexity constant)."""
        return self.L / self.kappa

    @property
    def max_stable_lr(self) -> float:
        """2/L: gradient descent converges for 0 < η < 2/L and diverges for η > 2/L."""
        return 2.0 / self.L

    @property
    def optimal_lr(self) -> float:
        """2/(L + μ): the constant step that minimises the contraction ρ(η); then ρ = (κ − 1)/(κ + 1)."""
        return 2.0 / (self.L + self.mu)

    def contraction(self, lr: float) -> float:
        """ρ(η) = max(|1 − ημ|, |1 − ηL|): plain GD gives ‖θ_t − θ*‖ ≤ ρ(η)^t ‖θ_0 − θ*‖ (ρ < 1 converges)."""
        _check_real("lr", lr, allowed="a finite learning rate η")
        return max(abs(1.0 - lr * self.mu), abs(1.0 - lr * self.L))


# --- Rosenbrock (a=1, b=100): f = (a − x₁)² + b(x₂ − x₁²)², minimum at (a, a²) ------------------------
_A, _B = 1.0, 100.0


def _rosenbrock_f(x):
    return (_A - x[0]) ** 2 + _B * (x[1] - x[0] ** 2) ** 2


def _rosenbrock_grad(x):
    x1, x2 = np.asarray(x, dtype=float)
    r = x2 - x1**2
    return np.stack([-2 * (_A - x1) - 4 * _B * x1 * r, 2 * _B * r])


def _rosenbrock_hessian(x):
    x1, x2 = np.asarray(x, dtype=float)
    return np.array([[2 - 4 * _B * (x2 - x1**2) + 8 * _B * x1**2, -4 * _B * x1], [-4 * _B * x1, 2 * _B]])


ROSENBROCK = Objective(
    name="Rosenbrock",
    f=_rosenbrock_f,
    grad=_rosenbrock_grad,
    minimum=np.array([_A, _A**2]),
    xlim=(-2.0, 2.0),
    ylim=(-1.0, 3.0),
    hessian=_rosenbrock_hessian,
)
"""Rosenbrock's banana valley f = (1 − x₁)² + 100(x₂ − x₁²)²: easy to find the valley, slow to follow it."""


# --- Beale: f = (1.5 − x₁ + x₁x₂)² + (2.25 − x₁ + x₁x₂²)² + (2.625 − x₁ + x₁x₂³)², minimum at (3, ½) ------
_BEALE_C = (1.5, 2.25, 2.625)


def _beale_f(x):
    return sum((c - x[0] + x[0] * x[1] ** k) ** 2 for k, c in enumerate(_BEALE_C, start=1))


def _beale_grad(x):
    x1, x2 = np.asarray(x, dtype=float)
    g1, g2 = 0.0, 0.0
    for k, c in enumerate(_BEALE_C, start=1):
        r = c - x1 + x1 * x2**k  # residual k; ∂r/∂x₁ = x₂ᵏ − 1, ∂r/∂x₂ = k x₁ x₂ᵏ⁻¹
        g1 = g1 + 2 * r * (x2**k - 1)
        g2 = g2 + 2 * r * k * x1 * x2 ** (k - 1)
    return np.stack([g1, g2])


BEALE = Objective(
    name="Beale",
    f=_beale_f,
    grad=_beale_grad,
    minimum=np.array([3.0, 0.5]),
    xlim=(-4.5, 4.5),
    ylim=(-4.5, 4.5),
)
"""Beale's function: flat plateaus and steep walls, minimum f(3, ½) = 0."""


ELLIPSE = Quadratic(kappa=20.0, L=4.0, name="ellipse")
"""f = 0.1·x₁² + 2·x₂² (the objective d2l uses): a Quadratic with μ = 0.2, L = 4, κ = 20; GD needs η < 0.5."""


# --- Saddle: f = x₁² − x₂², a stationary point at 0 that is not a minimum ------------------------------
def _saddle_f(x):
    return x[0] ** 2 - x[1] ** 2


def _saddle_grad(x):
    x1, x2 = np.asarray(x, dtype=float)
    return np.stack([2 * x1, -2 * x2])


SADDLE = Objective(
    name="saddle",
    f=_saddle_f,
    grad=_saddle_grad,
    minimum=None,
    xlim=(-2.0, 2.0),
    ylim=(-2.0, 2.0),
    hessian=lambda x: np.diag([2.0, -2.0]),
)
"""f = x₁² − x₂²: the gradient vanishes at 0, but f is unbounded below along x₂ (``minimum`` is None)."""

OBJECTIVES: dict[str, Objective] = {p.name: p for p in (ROSENBROCK, BEALE, ELLIPSE, SADDLE)}
"""The named objectives of this module by name (``Quadratic(κ)`` makes more)."""


# --- running an optimizer ---------------------------------------------------------------------------------

ALIASES: dict[str, tuple[str, dict]] = {
    "gd": ("sgd", {}),
    "momentum": ("sgd", {"momentum": 0.9}),
    "nesterov": ("sgd", {"momentum": 0.9, "nesterov": True}),
    "amsgrad": ("adam", {"amsgrad": True}),
}
"""Names ``run`` accepts besides the rules of ``gradcourse.optim.functional``: name -> (rule, preset
hyperparameters). Hyperparameters you pass win: ``run(p, "momentum", x0, 50, lr=0.1, momentum=0.5)``."""


def run(
    problem: Objective,
    optimizer: str,
    x0,
    steps: int,
    *,
    lr_schedule: Callable[[int], float] | None = None,
    **hyper,
) -> np.ndarray:
    """Run ``steps`` updates of an optimizer on a 2-D problem; return the path, shape (steps + 1, 2).

    Row 0 is ``x0``; row t is θ after t updates θ_t = step(θ_{t−1}, g = ∇f(θ_{t−1})). The update is
    ``gradcourse.optim.functional.step(rule, θ, g, state, **hyper)`` — the same rule the chapters derive and
    the torch-compatible optimizers use — so no formula is repeated here.

    ``optimizer`` is a rule name of ``gradcourse.optim.functional.RULES`` or an alias of ``ALIASES``
    ("gd", "momentum", "nesterov", "amsgrad"). ``hyper`` are torch's names (``lr``, ``momentum``,
    ``betas`` ...); missing ones take torch's defaults. ``lr_schedule(t)`` (optional, instead of ``lr``)
    gives η for update t = 0, 1, …, steps − 1, e.g. ``functools.partial(schedules.cosine_annealing,
    base_lr=0.1, T_max=steps)``.

    Divergence is not an error: once θ or ∇f(θ) stops being finite the remaining rows are nan, and
    :func:`diverged` tells whether a path ran away. Bad arguments raise ``ValueError``.
    """
    from gradcourse.optim import functional

    instance("problem", problem, Objective, "a gradcourse.problems.Objective (e.g. ROSENBROCK or Quadratic(10))")
    name = choice("optimizer", instance("optimizer", optimizer, str, "a name (str)").lower(),
                  (*functional.RULES, *ALIASES))
    rule, preset = ALIASES.get(name, (name, {}))
    hyper = {**preset, **hyper}

    theta = np.array(x0, dtype=float) if _is_real_array(x0) else None
    if theta is None or theta.shape != (2,) or not np.all(np.isfinite(theta)):
        raise ValueError(f"x0 must be 2 finite real numbers (a point θ = (x₁, x₂)), got {x0!r}")
    steps = integer("steps", steps)
    if "lr" in hyper:
        _check_real("lr", hyper["lr"], 0.0, allowed="a finite learning rate η >= 0")
    if lr_schedule is not None:
        if not callable(lr_schedule):
            raise ValueError(f"lr_schedule must be a function step -> lr, got {lr_schedule!r}")
        if "lr" in hyper:
            raise ValueError("give either lr or lr_schedule, not both (lr_schedule(t) sets η at each step)")

    path = np.full((steps + 1, 2), np.nan)
    path[0] = theta
    state = functional.init_state(rule, theta, **hyper)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps):
            if lr_schedule is not None:
                lr = lr_schedule(t)
                _check_real("lr_schedule(t)", lr, 0.0, allowed=f"a finite learning rate η >= 0 (at t={t})")
                hyper["lr"] = float(lr)
            g = problem.grad(theta)
            if not np.all(np.isfinite(g)):
                break
            functional.step(rule, theta, g, state, **hyper)
            if not np.all(np.isfinite(theta)):
                break
            path[t + 1] = theta
    return path


def diverged(path: np.ndarray, *, factor: float = 10.0) -> bool:
    """True when a path from :func:`run` ran away.

    That is: some entry is not finite (the run overflowed), or the last point θ_T ended farther from the
    origin than ``factor`` × max(‖θ_0‖, 1). Gradient descent on ``ELLIPSE`` from (−5, −2) with η = 0.52,
    just above 2/L = 0.5, is 4·10³ away after 100 steps: diverged, though still finite.
    """
    _check_real("factor", factor, 1.0, open_low=True, allowed="a finite number > 1")
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2 or len(path) == 0:
        raise ValueError(f"path must have shape (steps + 1, 2) as returned by run(), got shape {path.shape}")
    if not np.all(np.isfinite(path)):
        return True
    start, end = np.linalg.norm(path[0]), np.linalg.norm(path[-1])
    return bool(end > factor * max(start, 1.0))
