"""gradcourse.schedules equals torch.optim.lr_scheduler step for step (t = 0, past the end, restarts)."""

from __future__ import annotations

import inspect
import math
from functools import partial

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler as L

from gradcourse import schedules as S

BASE = 0.1


def torch_lrs(make_scheduler, n: int, lrs=(BASE,)) -> np.ndarray:
    """Learning rates of every param group at scheduler steps t = 0..n, driven by torch.optim.SGD.

    Shape (n + 1, groups). ``optimizer.step()`` is called before each ``scheduler.step()`` as torch asks.
    """
    params = [torch.nn.Parameter(torch.zeros(2, dtype=torch.float64)) for _ in lrs]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, lrs, strict=True)]
    opt = torch.optim.SGD(groups, momentum=0.9)
    sched = make_scheduler(opt)
    out = [[g["lr"] for g in opt.param_groups]]
    for _ in range(n):
        opt.step()
        sched.step()
        out.append([g["lr"] for g in opt.param_groups])
    return np.array(out, dtype=np.float64)


# (id, torch scheduler factory, our schedule, its keywords (base_lr = BASE added when it takes one),
#  number of steps, exact): exact = torch evaluates the same closed form, so the floats must be identical;
#  otherwise torch's recursive form differs by rounding only, tested to 1e-12 relative.
CASES = [
    ("constant", lambda o: L.ConstantLR(o, factor=0.25, total_iters=6), S.constant,
     dict(factor=0.25, total_iters=6), 20, False),
    ("step", lambda o: L.StepLR(o, step_size=7, gamma=0.5), S.step_decay,
     dict(step_size=7, gamma=0.5), 60, False),
    ("multistep", lambda o: L.MultiStepLR(o, milestones=[3, 10, 40], gamma=0.3), S.multistep_decay,
     dict(milestones=[3, 10, 40], gamma=0.3), 60, False),
    ("exponential", lambda o: L.ExponentialLR(o, gamma=0.97), S.exponential_decay,
     dict(gamma=0.97), 200, False),
    ("exponential_growth", lambda o: L.ExponentialLR(o, gamma=1.05), S.exponential_decay,
     dict(gamma=1.05), 50, False),
    ("polynomial_p1", lambda o: L.PolynomialLR(o, total_iters=30, power=1.0), S.polynomial_decay,
     dict(total_iters=30), 50, False),
    ("polynomial_p0.9", lambda o: L.PolynomialLR(o, total_iters=37, power=0.9), S.polynomial_decay,
     dict(total_iters=37, power=0.9), 60, False),
    ("polynomial_p2", lambda o: L.PolynomialLR(o, total_iters=25, power=2.0), S.polynomial_decay,
     dict(total_iters=25, power=2.0), 40, False),
    # three periods of T_max: the rate falls, rises back to base_lr at 2·T_max, falls again
    ("cosine", lambda o: L.CosineAnnealingLR(o, T_max=20), S.cosine_annealing,
     dict(T_max=20), 60, False),
    ("cosine_eta_min", lambda o: L.CosineAnnealingLR(o, T_max=17, eta_min=0.01), S.cosine_annealing,
     dict(T_max=17, eta_min=0.01), 51, False),
    ("warm_restarts", lambda o: L.CosineAnnealingWarmRestarts(o, T_0=6), S.cosine_warm_restarts,
     dict(T_0=6), 40, True),
    ("warm_restarts_mult", lambda o: L.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001),
     S.cosine_warm_restarts, dict(T_0=3, T_mult=2, eta_min=0.001), 100, True),
    ("linear_warmup", lambda o: L.LinearLR(o, start_factor=0.1, total_iters=10), S.linear_warmup,
     dict(warmup_steps=10, start_factor=0.1), 25, False),
    ("linear_warmup_default", lambda o: L.LinearLR(o, total_iters=5), S.linear_warmup,
     dict(warmup_steps=5), 12, False),
    ("linear_decay", lambda o: L.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=8),
     S.linear_warmup, dict(warmup_steps=8, start_factor=1.0, end_factor=0.2), 15, False),
    ("warmup_then_step", lambda o: L.SequentialLR(
        o, [L.LinearLR(o, start_factor=0.2, total_iters=5), L.StepLR(o, step_size=4, gamma=0.5)],
        milestones=[5]),
     S.with_warmup, dict(warmup_steps=5, start_factor=0.2, schedule=S.step_decay, step_size=4, gamma=0.5),
     30, False),
    ("warmup_then_exponential", lambda o: L.SequentialLR(
        o, [L.LinearLR(o, total_iters=4), L.ExponentialLR(o, gamma=0.9)], milestones=[4]),
     S.with_warmup, dict(warmup_steps=4, schedule=S.exponential_decay, gamma=0.9), 30, False),
    ("warmup_then_restarts", lambda o: L.SequentialLR(
        o, [L.LinearLR(o, start_factor=0.5, total_iters=3), L.CosineAnnealingWarmRestarts(o, T_0=5)],
        milestones=[3]),
     S.with_warmup, dict(warmup_steps=3, start_factor=0.5, schedule=S.cosine_warm_restarts, T_0=5),
     30, False),
    ("warmup_cosine", lambda o: L.SequentialLR(
        o, [L.LinearLR(o, start_factor=0.01, total_iters=10),
            L.CosineAnnealingLR(o, T_max=40, eta_min=0.001)],
        milestones=[10]),
     S.warmup_cosine, dict(warmup_steps=10, total_steps=50, start_factor=0.01, eta_min=0.001), 80, False),
    ("one_cycle_cos", lambda o: L.OneCycleLR(o, max_lr=1.0, total_steps=100), S.one_cycle,
     dict(max_lr=1.0, total_steps=100), 100, True),
    ("one_cycle_linear", lambda o: L.OneCycleLR(o, max_lr=0.5, total_steps=57, pct_start=0.25,
                                                anneal_strategy="linear", div_factor=10.0,
                                                final_div_factor=100.0),
     S.one_cycle, dict(max_lr=0.5, total_steps=57, pct_start=0.25, anneal_strategy="linear", div_factor=10.0,
                       final_div_factor=100.0), 57, True),
    ("one_cycle_three_phase", lambda o: L.OneCycleLR(o, max_lr=2.0, total_steps=90, three_phase=True),
     S.one_cycle, dict(max_lr=2.0, total_steps=90, three_phase=True), 90, True),
    ("cyclic_triangular", lambda o: L.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=5), S.cyclic,
     dict(base_lr=0.01, max_lr=0.1, step_size_up=5), 40, True),
    ("cyclic_triangular2_asym", lambda o: L.CyclicLR(o, 0.01, 0.1, step_size_up=4, step_size_down=7,
                                                     mode="triangular2"),
     S.cyclic, dict(base_lr=0.01, max_lr=0.1, step_size_up=4, step_size_down=7, mode="triangular2"),
     60, True),
    ("cyclic_exp_range", lambda o: L.CyclicLR(o, 0.01, 0.1, step_size_up=6, mode="exp_range", gamma=0.98),
     S.cyclic, dict(base_lr=0.01, max_lr=0.1, step_size_up=6, mode="exp_range", gamma=0.98), 60, True),
]  # fmt: skip
IDS = [c[0] for c in CASES]


def _with_base(fn, kw):
    takes_base = "base_lr" in inspect.signature(fn).parameters
    return {"base_lr": BASE, **kw} if takes_base else dict(kw)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_schedule_equals_torch_scheduler(case):
    _, make, fn, kw, n, exact = case
    expected = torch_lrs(make, n)[:, 0]
    ours = S.schedule_values(fn, n + 1, **_with_base(fn, kw))
    assert ours.shape == (n + 1,)
    if exact:
        np.testing.assert_array_equal(ours, expected)
    else:
        np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_to_torch_drives_optimizer_like_torch_scheduler(case):
    _, make, fn, kw, n, _ = case
    lr0 = BASE if "base_lr" not in kw else kw["base_lr"]
    expected = torch_lrs(make, n, lrs=(lr0,))[:, 0]
    got = torch_lrs(lambda opt: S.to_torch(opt, fn, **kw), n, lrs=(lr0,))[:, 0]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)


def test_to_torch_gives_each_group_its_own_base_lr():
    n = 45
    expected = torch_lrs(lambda o: L.CosineAnnealingLR(o, T_max=15, eta_min=0.001), n, lrs=(0.1, 0.02))
    got = torch_lrs(lambda o: S.to_torch(o, S.cosine_annealing, T_max=15, eta_min=0.001), n, lrs=(0.1, 0.02))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)
    assert got[0, 0] == 0.1 and got[0, 1] == 0.02


def test_to_torch_learning_rate_is_the_one_the_optimizer_uses():
    # SGD without momentum on f(θ) = θ (gradient 1): each step moves θ by exactly -η_t
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=0.5)
    sched = S.to_torch(opt, S.step_decay, step_size=2, gamma=0.1)
    moves = []
    for _ in range(6):
        before = p.item()
        opt.zero_grad()
        p.sum().backward()
        opt.step()
        sched.step()
        moves.append(before - p.item())
    expected = [S.step_decay(t, base_lr=0.5, step_size=2, gamma=0.1) for t in range(6)]
    np.testing.assert_allclose(moves, expected, rtol=1e-12)


def test_sequential_of_three_equals_sequential_lr():
    n = 40
    make = lambda o: L.SequentialLR(  # noqa: E731
        o,
        [L.ConstantLR(o, factor=0.5, total_iters=3), L.ExponentialLR(o, gamma=0.9), L.StepLR(o, 4, 0.5)],
        milestones=[5, 15],
    )
    schedules = [
        partial(S.constant, base_lr=BASE, factor=0.5, total_iters=3),
        partial(S.exponential_decay, base_lr=BASE, gamma=0.9),
        partial(S.step_decay, base_lr=BASE, step_size=4, gamma=0.5),
    ]
    ours = S.schedule_values(S.sequential, n + 1, schedules=schedules, milestones=[5, 15])
    np.testing.assert_allclose(ours, torch_lrs(make, n)[:, 0], rtol=1e-12, atol=0)


def test_cosine_annealing_is_periodic_past_t_max_and_hold_variant_stays_at_eta_min():
    kw = dict(base_lr=BASE, T_max=10, eta_min=0.01)
    free = S.schedule_values(S.cosine_annealing, 41, **kw)
    held = S.schedule_values(S.cosine_annealing, 41, hold_at_end=True, **kw)
    assert free[0] == BASE and free[10] == 0.01
    assert free[20] == pytest.approx(BASE, rel=1e-15)  # back at the top after 2·T_max
    np.testing.assert_allclose(free[11:20], free[9:0:-1], rtol=1e-14)  # mirror image around T_max
    np.testing.assert_array_equal(held[:11], free[:11])
    np.testing.assert_array_equal(held[10:], np.full(31, 0.01))
    # the hold variant through to_torch as well
    got = torch_lrs(lambda o: S.to_torch(o, S.cosine_annealing, T_max=10, eta_min=0.01, hold_at_end=True), 40)
    np.testing.assert_allclose(got[:, 0], held, rtol=1e-12)


def test_warmup_cosine_hold_at_end():
    kw = dict(base_lr=BASE, warmup_steps=5, total_steps=25, eta_min=0.001)
    free = S.schedule_values(S.warmup_cosine, 40, **kw)
    held = S.schedule_values(S.warmup_cosine, 40, hold_at_end=True, **kw)
    np.testing.assert_array_equal(held[:26], free[:26])
    assert free[25] == 0.001 and np.all(held[25:] == 0.001) and free[39] > 0.01


def test_one_cycle_past_the_end_raises_like_torch():
    with pytest.raises(ValueError, match="Tried to step"):
        torch_lrs(lambda o: L.OneCycleLR(o, max_lr=1.0, total_steps=20), 21)
    last = torch_lrs(lambda o: L.OneCycleLR(o, max_lr=1.0, total_steps=20), 20)[-1, 0]
    assert S.one_cycle(20, max_lr=1.0, total_steps=20) == last  # t = total_steps: allowed, extrapolated
    with pytest.raises(ValueError, match="total_steps"):
        S.one_cycle(21, max_lr=1.0, total_steps=20)


def test_polynomial_is_not_exponential():
    # α(1 − t/T)^γ (called "exponential decay" in a source document) reaches 0 at t = T; α·γ^t never does
    poly = S.schedule_values(S.polynomial_decay, 31, base_lr=1.0, total_iters=30, power=2.0)
    expo = S.schedule_values(S.exponential_decay, 31, base_lr=1.0, gamma=0.9)
    assert poly[30] == 0.0 and np.all(expo > 0)
    # the ratio of consecutive values is constant for exponential decay only
    assert np.ptp(expo[1:] / expo[:-1]) < 1e-12 and np.ptp(poly[1:30] / poly[:29]) > 0.1
    assert "polynomial" in S.exponential_decay.__doc__ and "exponential" in S.polynomial_decay.__doc__


def test_schedule_values_accepts_a_count_or_steps():
    kw = dict(base_lr=BASE, step_size=3, gamma=0.5)
    assert S.schedule_values(S.step_decay, 0, **kw).shape == (0,)
    picked = S.schedule_values(S.step_decay, [0, 3, 9], **kw)
    np.testing.assert_array_equal(picked, [BASE, BASE / 2, BASE / 8])
    values = S.schedule_values(S.step_decay, np.arange(7), **kw)
    assert values.dtype == np.float64 and values.shape == (7,)


def test_cosine_warm_restarts_restarts_at_cycle_starts():
    starts = [0, 3, 9, 21, 45]  # T_0 = 3, T_mult = 2: cycles of 3, 6, 12, 24
    for s in starts:
        assert S.cosine_warm_restarts(s, base_lr=BASE, T_0=3, T_mult=2) == BASE
    assert S.cosine_warm_restarts(10**9, base_lr=BASE, T_0=3, T_mult=2) < BASE  # fast for huge steps


# ----------------------------------------------------------------------------------------------------------
# reduce on plateau
# ----------------------------------------------------------------------------------------------------------
def _metrics(seed: int, n: int = 80) -> list[float]:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 1.0 / (1.0 + 0.3 * t) + 0.05 * rng.standard_normal(n)
    values[30:40] = values[29]  # an exact plateau
    return [float(v) for v in values]


PLATEAU_CONFIGS = [
    dict(),
    dict(factor=0.5, patience=2),
    dict(factor=0.5, patience=0, threshold=0.05, threshold_mode="abs", cooldown=3, min_lr=0.01),
    dict(mode="max", factor=0.3, patience=1, threshold=0.01),
    dict(mode="max", factor=0.5, patience=3, threshold_mode="abs", threshold=0.0, min_lr=0.02, eps=1e-3),
]


@pytest.mark.parametrize("config", PLATEAU_CONFIGS)
def test_reduce_on_plateau_equals_torch(config):
    metrics = _metrics(seed=len(config))
    if config.get("mode") == "max":
        metrics = [-m for m in metrics]
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=BASE)
    theirs = L.ReduceLROnPlateau(opt, **config)
    ours = S.ReduceLROnPlateau(BASE, **config)
    got, expected = [], []
    for m in metrics:
        opt.step()
        theirs.step(m)
        expected.append(opt.param_groups[0]["lr"])
        got.append(ours.step(m))
    assert got == expected
    assert len(set(got)) > 1  # the rate was actually reduced at least once
    assert ours.num_bad_epochs == theirs.num_bad_epochs and ours.best == theirs.best


def test_reduce_on_plateau_rejects_bad_input():
    with pytest.raises(ValueError, match="factor"):
        S.ReduceLROnPlateau(0.1, factor=1.0)
    with pytest.raises(ValueError, match="mode"):
        S.ReduceLROnPlateau(0.1, mode="minimum")
    with pytest.raises(ValueError, match="patience"):
        S.ReduceLROnPlateau(0.1, patience=-1)
    sched = S.ReduceLROnPlateau(0.1)
    with pytest.raises(ValueError, match="metric must be finite"):
        sched.step(math.nan)
    with pytest.raises(ValueError, match="metric must be a number"):
        sched.step("loss")


# ----------------------------------------------------------------------------------------------------------
# validation
# ----------------------------------------------------------------------------------------------------------
BAD = [
    (S.step_decay, dict(step=-1, base_lr=BASE, step_size=3), "step must be a non-negative integer"),
    (S.cosine_annealing, dict(step=2.5, base_lr=BASE, T_max=3), "step must be a non-negative integer"),
    (S.cosine_annealing, dict(step=True, base_lr=BASE, T_max=3), "step must be a non-negative integer"),
    (S.cosine_annealing, dict(step=0, base_lr=BASE, T_max=0), r"T_max must be a finite number > 0"),
    (S.cosine_annealing, dict(step=0, base_lr=BASE, T_max=-5), r"T_max .* got -5"),
    (S.cosine_annealing, dict(step=0, base_lr=BASE, T_max=5, eta_min=-0.1), "eta_min"),
    (S.cosine_annealing, dict(step=0, base_lr=math.nan, T_max=5), "base_lr"),
    (S.exponential_decay, dict(step=0, base_lr=BASE, gamma=0.0), r"gamma must be a finite number > 0"),
    (S.exponential_decay, dict(step=0, base_lr=BASE, gamma=-0.5), r"gamma .* got -0.5"),
    (S.step_decay, dict(step=0, base_lr=BASE, step_size=3, gamma=0), "gamma"),
    (S.step_decay, dict(step=0, base_lr=BASE, step_size=0), r"step_size must be an integer >= 1"),
    (S.multistep_decay, dict(step=0, base_lr=BASE, milestones=[5, 3]), "strictly increasing"),
    (S.polynomial_decay, dict(step=0, base_lr=BASE, total_iters=0), "total_iters"),
    (S.polynomial_decay, dict(step=0, base_lr=BASE, total_iters=5, power=0), "power"),
    (S.cosine_warm_restarts, dict(step=0, base_lr=BASE, T_0=0), "T_0"),
    (S.cosine_warm_restarts, dict(step=0, base_lr=BASE, T_0=5, T_mult=0), "T_mult"),
    (S.linear_warmup, dict(step=0, base_lr=BASE, warmup_steps=0), "warmup_steps"),
    (S.linear_warmup, dict(step=0, base_lr=BASE, warmup_steps=5, start_factor=1.5),
     r"start_factor .* \[0, 1\]"),
    (S.warmup_cosine, dict(step=0, base_lr=BASE, warmup_steps=20, total_steps=10), "warmup_steps must be <"),
    (S.warmup_cosine, dict(step=0, base_lr=BASE, warmup_steps=10, total_steps=10), "warmup_steps must be <"),
    (S.one_cycle, dict(step=0, max_lr=1.0, total_steps=10, pct_start=0.05), "pct_start"),
    (S.one_cycle, dict(step=0, max_lr=1.0, total_steps=10, pct_start=1.0), "pct_start"),
    (S.one_cycle, dict(step=0, max_lr=1.0, total_steps=10, pct_start=0.6, three_phase=True), "pct_start"),
    (S.one_cycle, dict(step=0, max_lr=1.0, total_steps=10, anneal_strategy="cosine"), "anneal_strategy"),
    (S.cyclic, dict(step=0, base_lr=0.01, max_lr=0.1, mode="sawtooth"), "mode must be one of"),
    (S.cyclic, dict(step=0, base_lr=0.01, max_lr=0.1, step_size_up=0), "step_size_up"),
    (S.sequential, dict(step=0, schedules=[S.constant], milestones=[3]), "one more schedule than milestones"),
]  # fmt: skip


@pytest.mark.parametrize(("fn", "kw", "match"), BAD, ids=[f"{b[0].__name__}-{i}" for i, b in enumerate(BAD)])
def test_bad_arguments_raise_value_error_naming_them(fn, kw, match):
    kw = dict(kw)
    step = kw.pop("step")
    with pytest.raises(ValueError, match=match):
        fn(step, **kw)


def test_to_torch_rejects_zero_lr_and_reports_schedule_errors_at_construction():
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.0)
    with pytest.raises(ValueError, match=r"param_groups\[0\]\['lr'\] must be > 0"):
        S.to_torch(opt, S.cosine_annealing, T_max=10)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    with pytest.raises(ValueError, match="T_max"):
        S.to_torch(opt, S.cosine_annealing, T_max=0)
