"""gradcourse.train: the loop, the NaN guard, checkpoints and the LR range test."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import torch
from torch import nn

from gradcourse import schedules
from gradcourse.data import digits
from gradcourse.train import (
    History,
    TrainingDiverged,
    evaluate,
    load_checkpoint,
    lr_range_test,
    save_checkpoint,
    smooth,
    train,
)


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """Tiny networks gain nothing from a second intra-op thread and lose a lot when other processes share
    the two cores (threads spin waiting for each other), so these tests run on one."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _classification(n=96, n_val=32, d=6, classes=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n + n_val, d, generator=g)
    y = (X[:, :classes].argmax(dim=1)).long()
    return X[:n], y[:n], X[n:], y[n:]


def _net(seed=0, d=6, classes=3, dropout=0.0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(d, 16), nn.Tanh(), nn.Dropout(dropout), nn.Linear(16, classes))


def _regression(n=64, d=3, seed=0):
    """y = X w + b + noise in float64, and L, the largest eigenvalue of the Hessian of the mean squared
    error in (w, b): H = (2/n) [X 1]^T [X 1]. Gradient descent is stable for lr < 2/L."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * np.array([1.0, 2.0, 0.5])
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3 + 0.1 * rng.normal(size=n)
    A = np.hstack([X, np.ones((n, 1))])
    L = np.linalg.eigvalsh(2 / n * A.T @ A).max()
    return torch.from_numpy(X), torch.from_numpy(y), float(L)


def _linear_model(d=3, seed=0):
    torch.manual_seed(seed)
    return nn.Linear(d, 1, dtype=torch.float64)


# --- the loop --------------------------------------------------------------------------------------------


def test_history_records_every_step_and_evaluation():
    data = _classification()
    model = _net()
    h = train(model, data, torch.optim.SGD(model.parameters(), lr=0.1), epochs=3, batch_size=40, eval_every=2,
              progress=False)
    assert h.steps == 3 * 3 and len(h.lr) == len(h.grad_norm) == 9  # ceil(96 / 40) = 3 batches per epoch
    assert h.epochs == 3 and len(h.train_acc) == 3
    assert h.val_epoch == [2, 3] and len(h.val_loss) == len(h.val_acc) == 2  # every 2nd epoch and the last
    assert h.lr == [0.1] * 9 and all(g > 0 for g in h.grad_norm)
    assert h.train_loss[-1] < h.train_loss[0]
    assert (h.val_loss[-1], h.val_acc[-1]) == evaluate(model, data[2], data[3])
    other = _net()
    quiet = train(other, data, torch.optim.SGD(other.parameters(), lr=0.1), epochs=1, progress=False,
                  record_grad_norms=False)
    assert quiet.grad_norm == [] and quiet.steps == 2


def test_mse_pairs_without_validation_and_one_dimensional_targets():
    X, y, _ = _regression()
    model = _linear_model()
    h = train(model, (X, y), torch.optim.SGD(model.parameters(), lr=0.05), epochs=20, batch_size=64,
              loss="mse", progress=True)
    assert h.train_acc == [] and h.val_loss == [] and h.val_epoch == []
    assert h.train_loss[-1] < 0.05 < h.train_loss[0]  # the noise variance is 0.01


def test_two_runs_with_the_same_seed_are_identical_and_another_seed_differs():
    data = _classification()

    def run(seed):
        model = _net(dropout=0.2)
        h = train(model, data, torch.optim.Adam(model.parameters(), lr=1e-2), epochs=2, batch_size=32,
                  progress=False, seed=seed)
        return h, model

    (h1, m1), (h2, m2), (h3, _) = run(0), run(0), run(1)
    assert h1 == h2
    assert all(torch.equal(a, b) for a, b in zip(m1.state_dict().values(), m2.state_dict().values(), strict=True))
    assert h1.loss != h3.loss  # other batch order, other dropout masks


def test_a_resumed_run_equals_an_uninterrupted_one_bit_for_bit(tmp_path):
    data = _classification()

    def fresh(init_seed):
        model = _net(seed=init_seed, dropout=0.2)
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
        return model, opt, sched

    straight_model, opt, sched = fresh(0)
    straight = train(straight_model, data, opt, epochs=2, batch_size=32, scheduler=sched, progress=False)

    model, opt, sched = fresh(0)
    first = train(model, data, opt, epochs=1, batch_size=32, scheduler=sched, progress=False)
    save_checkpoint(tmp_path / "ckpt.pt", model, opt, sched, first)
    torch.manual_seed(123)  # disturb the random state: the checkpoint must restore it
    model2, opt2, sched2 = fresh(7)  # other initial weights, overwritten by the checkpoint
    loaded = load_checkpoint(tmp_path / "ckpt.pt", model2, opt2, sched2)
    assert loaded == first
    resumed = train(model2, data, opt2, epochs=2, batch_size=32, scheduler=sched2, history=loaded, progress=False)

    assert resumed == straight  # every per-step loss, lr and grad norm, every epoch metric, exactly
    for a, b in zip(straight_model.state_dict().values(), model2.state_dict().values(), strict=True):
        assert torch.equal(a, b)
    with pytest.raises(ValueError, match="seed"):
        train(model2, data, opt2, epochs=3, history=resumed, seed=5, progress=False)


def test_scheduler_is_stepped_once_per_batch_and_a_plateau_scheduler_once_per_evaluation():
    data = _classification()
    model = _net()
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.5**t)
    h = train(model, data, opt, epochs=2, batch_size=32, scheduler=sched, progress=False)
    assert h.lr == [0.5**t for t in range(6)]

    model = _net()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    # mode="max" on a falling validation loss: every evaluation is "no improvement" after the first
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max", factor=0.5, patience=0)
    h = train(model, data, opt, epochs=3, batch_size=32, scheduler=plateau, progress=False)
    assert h.lr == pytest.approx([0.1] * 6 + [0.05] * 3)
    # gradcourse's scalar ReduceLROnPlateau returns the rate; train copies it into the optimizer
    model = _net()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    ours = schedules.ReduceLROnPlateau(0.1, mode="max", factor=0.5, patience=0)
    h2 = train(model, data, opt, epochs=3, batch_size=32, scheduler=ours, progress=False)
    assert h2.lr == h.lr and h2.loss == h.loss


def test_clipping_caps_the_step_and_grad_norm_is_recorded_before_clipping():
    X, y, _ = _regression()
    model = _linear_model()
    before = torch.cat([p.detach().flatten() for p in model.parameters()])
    h = train(model, (X, y), torch.optim.SGD(model.parameters(), lr=0.1), epochs=1, batch_size=64, loss="mse",
              clip_norm=1e-3, progress=False)
    after = torch.cat([p.detach().flatten() for p in model.parameters()])
    assert h.grad_norm[0] > 1.0
    assert torch.linalg.vector_norm(after - before).item() == pytest.approx(0.1 * 1e-3, rel=1e-5)

    model = _linear_model()
    before = torch.cat([p.detach().flatten() for p in model.parameters()])
    train(model, (X, y), torch.optim.SGD(model.parameters(), lr=0.1), epochs=1, batch_size=64, loss="mse",
          clip_value=1e-3, progress=False)
    after = torch.cat([p.detach().flatten() for p in model.parameters()])
    np.testing.assert_allclose((after - before).abs().numpy(), 0.1 * 1e-3, rtol=1e-9)  # every entry clipped


# --- the NaN guard ---------------------------------------------------------------------------------------


def test_a_diverging_run_stops_with_a_clear_error_and_keeps_its_history():
    X, y, L = _regression()
    model = _linear_model()
    with pytest.raises(TrainingDiverged) as info:
        train(model, (X, y), torch.optim.SGD(model.parameters(), lr=50 * 2 / L), epochs=500, batch_size=64,
              loss="mse", progress=False)
    err = info.value
    assert err.step > 10 and err.epoch == err.step  # one batch per epoch
    assert len(err.history.loss) == err.step - 1 and all(math.isfinite(v) for v in err.history.loss)
    assert err.last_finite_loss == err.history.loss[-1] and err.report.found
    message = str(err)
    for words in (f"step {err.step}", f"epoch {err.epoch}", "last finite loss", "learning rate", "clip", "init"):
        assert words in message.lower(), words


def test_the_guard_names_the_layer_whose_gradient_turns_non_finite_first():
    data = _classification()
    model = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 3))
    with torch.no_grad():
        model[2].weight[0, 0] = math.inf  # forward stays finite after tanh; backward makes inf * 0 = NaN
    with pytest.raises(TrainingDiverged) as info:
        train(model, data, torch.optim.SGD(model.parameters(), lr=0.1), epochs=1, progress=False)
    err = info.value
    assert (err.step, err.epoch, err.last_finite_loss, err.history.steps) == (1, 1, None, 0)
    assert (err.report.forward, err.report.backward, err.report.backward_what) == ("2", "2", "input")
    assert "gradient norm is nan" in str(err) and "'2'" in str(err)


def test_the_guard_explains_a_gradient_norm_that_overflows_although_every_entry_is_finite():
    model = nn.Linear(2, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1e8, 0.0]]))
        model.bias.zero_()
    X, y = torch.tensor([[1e10, 1e10]]), torch.zeros(1)
    # out = 1e18, loss = 1e36 (finite in float32); dW = 2 * 1e18 * x = 2e28 each, but ||g||^2 = 8e56 is not
    with pytest.raises(TrainingDiverged) as info:
        train(model, (X, y), torch.optim.SGD(model.parameters(), lr=0.1), epochs=1, loss="mse", progress=False)
    assert not info.value.report.found
    assert "overflows torch.float32" in str(info.value) and "largest |g| = 2e+28, in 'weight'" in str(info.value)


# --- checkpoints and arguments ---------------------------------------------------------------------------


def test_checkpoint_without_optimizer_state_refuses_to_load_one(tmp_path):
    model = _net()
    save_checkpoint(tmp_path / "m.pt", model)
    other = _net(seed=3)
    assert load_checkpoint(tmp_path / "m.pt", other) is None
    assert torch.equal(other[0].weight, model[0].weight)
    with pytest.raises(ValueError, match="optimizer"):
        load_checkpoint(tmp_path / "m.pt", other, torch.optim.SGD(other.parameters(), lr=0.1))
    with pytest.raises(ValueError, match="scheduler.*state_dict"):
        save_checkpoint(tmp_path / "s.pt", model, None, schedules.ReduceLROnPlateau(0.1))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"data": (torch.zeros(0, 6), torch.zeros(0, dtype=torch.long))}, "data.*empty"),
        ({"data": (torch.zeros(5, 6), torch.zeros(4, dtype=torch.long))}, "data.*same length"),
        ({"data": (torch.zeros(5, 6), torch.zeros(5), torch.zeros(3, 6), torch.zeros(2))}, "data.*validation"),
        ({"data": torch.zeros(5, 6)}, "data must be"),
        ({"loss": "hinge"}, "loss must be one of"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": -1}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"eval_every": 0}, "eval_every"),
        ({"clip_norm": -1.0}, "clip_norm"),
        ({"clip_value": math.nan}, "clip_value"),
        ({"lr": math.nan}, "lr"),
        ({"lr": math.inf}, "lr"),
    ],
)
def test_bad_arguments_raise_value_errors_naming_them(change, match):
    model = _net()
    kwargs = {"data": _classification(), "epochs": 1, "progress": False}
    kwargs.update(change)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    if "lr" in kwargs:
        opt.param_groups[0]["lr"] = kwargs.pop("lr")
    with pytest.raises(ValueError, match=match):
        train(model, kwargs.pop("data"), opt, **kwargs)


def test_one_epoch_of_a_deep_mlp_on_digits_is_fast():
    """20 Linear layers of width 64, 1,347 digits, batch 64: about 0.1 s per epoch on an idle 2-core machine;
    the best of three epochs keeps the measurement honest on a busy one."""
    split = digits()
    torch.manual_seed(0)
    layers = [nn.Linear(64, 64), nn.ReLU()]
    for _ in range(18):
        layers += [nn.Linear(64, 64), nn.ReLU()]
    model = nn.Sequential(*layers, nn.Linear(64, 10))  # 20 Linear layers
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    history, times = None, []
    for epochs in range(1, 5):  # the first epoch warms up
        start = time.perf_counter()
        history = train(model, split, opt, epochs=epochs, history=history, progress=False)
        times.append(time.perf_counter() - start)
    assert history.steps == 4 * math.ceil(1347 / 64)
    assert min(times[1:]) < 1.0, f"{min(times[1:]):.3f} s per epoch"


# --- LR range test ---------------------------------------------------------------------------------------


def test_lr_range_test_brackets_the_stability_bound_of_a_quadratic():
    X, y, L = _regression()
    model = _linear_model()
    start = [p.detach().clone() for p in model.parameters()]
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    result = lr_range_test(model, (X, y), opt, start_lr=1e-4, end_lr=10.0, num_steps=200, loss="mse",
                           batch_size=len(X))
    assert result.diverged and result.lrs[-1] > 2 / L  # gradient descent blows up only above 2/L
    assert 2 / L / 100 < result.suggested_lr < 2 / L
    assert result.lrs.shape == result.losses.shape == result.raw_losses.shape
    np.testing.assert_allclose(result.losses, smooth(result.raw_losses, 0.98))
    assert all(torch.equal(a, b) for a, b in zip(start, model.parameters(), strict=True))  # restored
    assert opt.param_groups[0]["lr"] == 0.01
    steep = lr_range_test(model, (X, y), opt, start_lr=1e-4, end_lr=10.0, num_steps=200, loss="mse",
                          batch_size=len(X), rule="steepest")
    assert 2 / L / 1000 < steep.suggested_lr < 2 / L


def test_smooth_is_a_bias_corrected_moving_average():
    np.testing.assert_allclose(smooth([2.0, 2.0, 2.0], 0.9), [2.0, 2.0, 2.0])  # a constant stays constant
    np.testing.assert_allclose(smooth([1.0, 3.0], 0.5), [1.0, (0.25 * 1 + 0.5 * 3) / 0.75])
    with pytest.raises(ValueError, match="beta"):
        smooth([1.0], 1.0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start_lr": 0.0}, "start_lr"),
        ({"end_lr": math.inf}, "end_lr"),
        ({"start_lr": 1.0, "end_lr": 0.1}, "end_lr"),
        ({"num_steps": 1}, "num_steps"),
        ({"diverge_factor": 1.0}, "diverge_factor"),
        ({"rule": "valley"}, "rule"),
        ({"beta": 1.0}, "beta"),
    ],
)
def test_lr_range_test_rejects_bad_arguments(kwargs, match):
    X, y, _ = _regression()
    model = _linear_model()
    with pytest.raises(ValueError, match=match):
        lr_range_test(model, (X, y), torch.optim.SGD(model.parameters(), lr=0.1), loss="mse", **kwargs)


def test_history_round_trips_through_a_dict():
    h = History(seed=3, loss=[1.0, 0.5], lr=[0.1, 0.1], val_epoch=[1])
    assert History.from_dict(h.to_dict()) == h and h.steps == 2 and h.epochs == 0
