"""gradcourse.problems: hand-written gradients, minima, the η < 2/L rule, and run() against the rules."""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np
import pytest
import torch

from gradcourse.problems import (
    ALIASES,
    BEALE,
    ELLIPSE,
    OBJECTIVES,
    ROSENBROCK,
    SADDLE,
    Objective,
    Quadratic,
    diverged,
    run,
)
from gradcourse.schedules import cosine_annealing

ALL = [ROSENBROCK, BEALE, ELLIPSE, SADDLE, Quadratic(50.0, L=3.0, rotation=0.7)]
IDS = [p.name for p in ALL]


def _points(problem: Objective, n: int = 20, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lo = np.array([problem.xlim[0], problem.ylim[0]])
    hi = np.array([problem.xlim[1], problem.ylim[1]])
    return lo + (hi - lo) * rng.random((n, 2))


# --- gradients and Hessians ------------------------------------------------------------------------------


@pytest.mark.parametrize("problem", ALL, ids=IDS)
def test_grad_matches_central_differences(problem):
    h = 1e-6
    for x in _points(problem):
        fd = [(problem.f(x + h * e) - problem.f(x - h * e)) / (2 * h) for e in np.eye(2)]
        np.testing.assert_allclose(problem.grad(x), fd, rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize("problem", ALL, ids=IDS)
def test_grad_and_hessian_match_torch_autograd(problem):
    for x in _points(problem, n=10, seed=1):
        xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        problem.f(xt).backward()
        np.testing.assert_allclose(problem.grad(x), xt.grad.numpy(), rtol=1e-12, atol=1e-9)
        if problem.hessian is not None:
            H = torch.autograd.functional.hessian(problem.f, torch.tensor(x, dtype=torch.float64))
            np.testing.assert_allclose(problem.hessian(x), H.numpy(), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("problem", ALL, ids=IDS)
def test_f_and_grad_are_vectorised_over_a_grid(problem):
    X1, X2, F = problem.grid(n=7)
    assert X1.shape == X2.shape == F.shape == (7, 7)
    G = problem.grad(np.stack([X1, X2]))
    assert G.shape == (2, 7, 7)
    for i, j in [(0, 0), (3, 5), (6, 2)]:
        x = np.array([X1[i, j], X2[i, j]])
        assert F[i, j] == pytest.approx(problem.f(x), rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(G[:, i, j], problem.grad(x), rtol=1e-12, atol=1e-12)
    assert X1.min() == problem.xlim[0] and X2.max() == problem.ylim[1]


# --- minima ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("problem", [p for p in ALL if p.minimum is not None], ids=lambda p: p.name)
def test_minimum_is_a_minimum(problem):
    x_star = problem.minimum
    assert problem.f(x_star) == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(problem.grad(x_star), 0.0, atol=1e-12)
    assert np.all(problem.f(_points(problem, n=500).T) > problem.f(x_star))
    rng = np.random.default_rng(2)
    nearby = x_star + 1e-3 * rng.normal(size=(100, 2))
    assert np.all(problem.f(nearby.T) > problem.f(x_star))
    if problem.hessian is not None:
        assert np.all(np.linalg.eigvalsh(problem.hessian(x_star)) > 0)


def test_saddle_is_stationary_but_not_a_minimum():
    assert SADDLE.minimum is None
    np.testing.assert_array_equal(SADDLE.grad(np.zeros(2)), [0.0, 0.0])
    eig = np.linalg.eigvalsh(SADDLE.hessian(np.zeros(2)))
    assert eig.min() < 0 < eig.max()
    assert SADDLE.f(np.array([0.0, 1e-3])) < SADDLE.f(np.zeros(2))


def test_objectives_by_name():
    assert OBJECTIVES == {"Rosenbrock": ROSENBROCK, "Beale": BEALE, "ellipse": ELLIPSE, "saddle": SADDLE}
    assert ROSENBROCK.f(np.array([0.0, 0.0])) == 1.0  # (1 - 0)² + 100(0 - 0)²
    assert BEALE.f(np.array([0.0, 0.0])) == pytest.approx(1.5**2 + 2.25**2 + 2.625**2)


# --- Quadratic ---------------------------------------------------------------------------------------------


def test_ellipse_is_the_d2l_objective():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 50))
    np.testing.assert_allclose(ELLIPSE.f(x), 0.1 * x[0] ** 2 + 2 * x[1] ** 2, rtol=1e-14)
    assert (ELLIPSE.L, ELLIPSE.mu, ELLIPSE.kappa) == pytest.approx((4.0, 0.2, 20.0))
    assert ELLIPSE.max_stable_lr == pytest.approx(0.5)


@pytest.mark.parametrize("kappa,L,rotation", [(1.0, 1.0, 0.0), (10.0, 2.0, 0.3), (1000.0, 0.5, -2.0)])
def test_quadratic_curvatures_and_step_sizes(kappa, L, rotation):
    q = Quadratic(kappa, L=L, rotation=rotation)
    np.testing.assert_allclose(np.linalg.eigvalsh(q.A), [L / kappa, L], rtol=1e-12)
    assert q.mu == pytest.approx(L / kappa)
    assert q.max_stable_lr == pytest.approx(2 / L)
    assert q.optimal_lr == pytest.approx(2 / (L + L / kappa))
    # the optimal step gives the textbook rate (κ − 1)/(κ + 1) and beats nearby steps
    assert q.contraction(q.optimal_lr) == pytest.approx((kappa - 1) / (kappa + 1), abs=1e-12)
    for lr in (0.9 * q.optimal_lr, 1.1 * q.optimal_lr):
        assert q.contraction(lr) > q.contraction(q.optimal_lr)
    assert q.contraction(q.max_stable_lr) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "kwargs,word",
    [
        ({"kappa": 0.5}, "kappa"),
        ({"kappa": math.inf}, "kappa"),
        ({"kappa": 10, "L": 0.0}, "L"),
        ({"kappa": 10, "L": -1.0}, "L"),
        ({"kappa": 10, "rotation": math.nan}, "rotation"),
        ({"kappa": "10"}, "kappa"),
    ],
)
def test_quadratic_rejects_bad_arguments(kwargs, word):
    with pytest.raises(ValueError, match=word):
        Quadratic(**kwargs)


# --- run: the η < 2/L rule ----------------------------------------------------------------------------------


def test_gd_path_is_the_closed_form():
    """θ_t = (I − ηA)^t θ_0 exactly: run() with sgd is plain gradient descent."""
    q = Quadratic(10.0, L=2.0, rotation=0.4)
    x0 = np.array([-4.0, 2.0])
    path = run(q, "sgd", x0, 30, lr=0.3)
    M = np.eye(2) - 0.3 * q.A
    expected = np.array([np.linalg.matrix_power(M, t) @ x0 for t in range(31)])
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("problem", [ELLIPSE, Quadratic(10.0, L=2.0, rotation=0.4)], ids=["ellipse", "rotated"])
def test_sgd_converges_below_2_over_L_and_diverges_above(problem):
    x0 = np.array([-5.0, -2.0])
    below = run(problem, "sgd", x0, 300, lr=0.95 * problem.max_stable_lr)
    above = run(problem, "sgd", x0, 300, lr=1.05 * problem.max_stable_lr)
    assert not diverged(below)
    assert np.linalg.norm(below[-1]) < 1e-6
    assert diverged(above)
    assert np.linalg.norm(above[-1]) > 1e3 or not np.all(np.isfinite(above[-1]))
    # the measured rate at the optimal step is the contraction the theory predicts
    fast = run(problem, "sgd", x0, 50, lr=problem.optimal_lr)
    rate = (np.linalg.norm(fast[50]) / np.linalg.norm(fast[0])) ** (1 / 50)
    assert rate <= problem.contraction(problem.optimal_lr) + 1e-12


def test_divergence_is_not_an_error():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow RuntimeWarnings either
        path = run(ROSENBROCK, "sgd", [-1.5, 2.0], 200, lr=0.1)
    assert path.shape == (201, 2)
    assert diverged(path)
    np.testing.assert_array_equal(path[0], [-1.5, 2.0])
    assert np.isnan(path[-1]).all()
    finite_rows = np.all(np.isfinite(path), axis=1)
    assert finite_rows[0] and not finite_rows[-1]
    assert np.all(np.diff(finite_rows.astype(int)) <= 0), "once non-finite, the rest stays nan"


def test_diverged_helper():
    assert not diverged(np.zeros((5, 2)))
    assert diverged(np.array([[1.0, 0.0], [np.inf, 0.0]]))
    assert diverged(np.array([[1.0, 0.0], [20.0, 0.0]]))
    assert not diverged(np.array([[1.0, 0.0], [20.0, 0.0]]), factor=100.0)
    assert not diverged(np.array([[-5.0, 0.0], [40.0, 0.0], [1.0, 0.0]])), "overshooting and coming back is fine"
    # just above 2/L: slow but real divergence
    assert diverged(run(ELLIPSE, "sgd", [-5.0, -2.0], 100, lr=0.52))
    assert not diverged(run(ELLIPSE, "sgd", [-5.0, -2.0], 100, lr=0.5))  # η = 2/L: bounded oscillation
    with pytest.raises(ValueError, match="factor"):
        diverged(np.zeros((5, 2)), factor=0.5)
    with pytest.raises(ValueError, match="shape"):
        diverged(np.zeros((5, 3)))


# --- run: same numbers as the update rules --------------------------------------------------------------


def _hand_loop(problem, rule, x0, steps, lr_at, **hyper):
    from gradcourse.optim import functional

    theta = np.array(x0, dtype=np.float64)
    state = functional.init_state(rule, theta, **hyper)
    path = [theta.copy()]
    for t in range(steps):
        functional.step(rule, theta, problem.grad(theta), state, lr=lr_at(t), **hyper)
        path.append(theta.copy())
    return np.array(path)


@pytest.mark.parametrize(
    "rule,lr,hyper",
    [
        ("sgd", 1e-3, {"momentum": 0.9, "nesterov": True}),
        ("adam", 0.05, {"amsgrad": True}),
        ("rmsprop", 0.01, {}),
        ("adagrad", 0.5, {}),
        ("lion", 0.01, {}),
    ],
)
def test_run_matches_a_hand_loop_of_functional_step(rule, lr, hyper):
    x0 = [-1.5, 2.0]
    expected = _hand_loop(ROSENBROCK, rule, x0, 40, lambda t: lr, **hyper)
    np.testing.assert_array_equal(run(ROSENBROCK, rule, x0, 40, lr=lr, **hyper), expected)


def test_lr_schedule_is_called_with_the_step_index():
    schedule = lambda t: 0.05 / (1 + t)
    expected = _hand_loop(BEALE, "adam", [1.0, 1.5], 25, schedule)
    np.testing.assert_array_equal(run(BEALE, "adam", [1.0, 1.5], 25, lr_schedule=schedule), expected)
    cosine = functools.partial(cosine_annealing, base_lr=0.4, T_max=20)
    expected = _hand_loop(ELLIPSE, "sgd", [-5.0, -2.0], 20, cosine, momentum=0.5)
    np.testing.assert_array_equal(
        run(ELLIPSE, "momentum", [-5.0, -2.0], 20, lr_schedule=cosine, momentum=0.5), expected
    )
    constant = run(ELLIPSE, "sgd", [-5.0, -2.0], 10, lr_schedule=lambda t: 0.4)
    np.testing.assert_array_equal(constant, run(ELLIPSE, "sgd", [-5.0, -2.0], 10, lr=0.4))


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_aliases_are_their_rule_with_preset_hyperparameters(alias):
    rule, preset = ALIASES[alias]
    expected = run(ROSENBROCK, rule, [-1.0, 1.0], 20, lr=1e-3, **preset)
    np.testing.assert_array_equal(run(ROSENBROCK, alias, [-1.0, 1.0], 20, lr=1e-3), expected)


def test_run_leaves_x0_alone_and_handles_zero_steps():
    x0 = np.array([-5.0, -2.0])
    path = run(ELLIPSE, "adam", x0, 0, lr=0.1)
    assert path.shape == (1, 2)
    run(ELLIPSE, "adam", x0, 5, lr=0.1)
    np.testing.assert_array_equal(x0, [-5.0, -2.0])
    assert run(ELLIPSE, "Adam", x0, 3, lr=0.1).shape == (4, 2)  # names are case-insensitive


# --- run: clear errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args,kwargs,pattern",
    [
        ((ELLIPSE, "adamax", [1.0, 1.0], 5), {}, r"optimizer must be one of .*sgd.*adam.*momentum.*; got 'adamax'"),
        ((ELLIPSE, "sgd", [1.0, 1.0, 1.0], 5), {"lr": 0.1}, "x0 must be 2 finite real numbers"),
        ((ELLIPSE, "sgd", [[1.0, 1.0]], 5), {"lr": 0.1}, "x0"),
        ((ELLIPSE, "sgd", [np.nan, 1.0], 5), {"lr": 0.1}, "x0"),
        ((ELLIPSE, "sgd", ["a", "b"], 5), {"lr": 0.1}, "x0"),
        ((ELLIPSE, "sgd", [1.0, 1.0], 5), {"lr": math.nan}, "lr must be a finite learning rate"),
        ((ELLIPSE, "sgd", [1.0, 1.0], 5), {"lr": math.inf}, "lr must be"),
        ((ELLIPSE, "sgd", [1.0, 1.0], -1), {"lr": 0.1}, "steps must be a non-negative integer"),
        ((ELLIPSE, "sgd", [1.0, 1.0], 5), {"lr": 0.1, "momentun": 0.9}, "momentun"),
        ((ELLIPSE, "sgd", [1.0, 1.0], 2.5), {"lr": 0.1}, "steps"),
        ((lambda x: x, "sgd", [1.0, 1.0], 5), {"lr": 0.1}, "problem must be"),
        ((ELLIPSE, "sgd", [1.0, 1.0], 5), {"lr": 0.1, "lr_schedule": lambda t: 0.1}, "either lr or lr_schedule"),
        ((ELLIPSE, "sgd", [1.0, 1.0], 5), {"lr_schedule": 0.1}, "lr_schedule must be a function"),
        ((ELLIPSE, "sgd", [1.0, 1.0], 5), {"lr_schedule": lambda t: math.nan if t == 3 else 0.1}, "t=3"),
    ],
)
def test_run_rejects_bad_arguments(args, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        run(*args, **kwargs)


def test_grid_rejects_bad_n():
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        ROSENBROCK.grid(n=1)
