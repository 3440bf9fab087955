"""Faults and bad input: checkpoints, train(), schedules and the argument checks of the core modules.

Every test here failed before the reliability work (issue 19 items 1-3 and 6, issue 20 items 2-5) and
passes now. The last test is the tally: hundreds of bad inputs thrown at the core modules, each of which
must end in a clear ``ValueError`` raised by gradcourse itself (never a silent result, never a raw error from
deep inside torch or numpy). Run ``python tests/test_faults.py`` to print the tally.

(The launcher's faults need worker processes and are in ``test_distributed.py``.)
"""

from __future__ import annotations

import functools
import inspect
import io
import math
import os
import re
import traceback
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

import gradcourse
from gradcourse import checkpoints, data, diagnostics, distributed, init, nets, problems, schedules, train
from gradcourse.checkpoints import CheckpointError, load_checkpoint, save_checkpoint
from gradcourse.optim import building_blocks

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _data(n=24, d=4, classes=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g)
    return X, X[:, :classes].argmax(dim=1)


def _model(seed=0, d=4, classes=3):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(d, 8), nn.Tanh(), nn.Linear(8, classes))


def _state(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


def _same(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


# --- 19.1: an interrupted save keeps the previous checkpoint ---------------------------------------------


@FAST
@given(fraction=st.floats(0.0, 1.0))
def test_a_save_interrupted_at_any_byte_leaves_the_previous_checkpoint_loadable(tmp_path_factory, fraction):
    folder = tmp_path_factory.mktemp("ckpt")
    path = folder / "run.pt"
    good = _model(seed=1)
    save_checkpoint(path, good)
    real_save = torch.save

    def save_then_ctrl_c(obj, f, *args, **kwargs):
        buffer = io.BytesIO()
        real_save(obj, buffer)
        part = buffer.getvalue()[: int(fraction * len(buffer.getvalue()))]
        if isinstance(f, (str, os.PathLike)):  # a save in place truncates the old file first
            Path(f).write_bytes(part)
        else:
            f.write(part)
        raise KeyboardInterrupt

    checkpoints.torch.save = save_then_ctrl_c
    try:
        with pytest.raises(KeyboardInterrupt):
            save_checkpoint(path, _model(seed=2))
    finally:
        checkpoints.torch.save = real_save
    fresh = _model(seed=3)
    load_checkpoint(path, fresh)
    assert _same(fresh.state_dict(), good.state_dict()), "the previous checkpoint survived the interrupted save"
    assert sorted(p.name for p in folder.iterdir()) == ["run.pt"], "no temporary file is left behind"


# --- 19.2: a failed load changes nothing; damaged files get one clear message ----------------------------


def test_loading_another_architecture_raises_before_touching_the_model(tmp_path):
    nets.mlp(64, 5, depth=1, width=16)
    save_checkpoint(tmp_path / "five.pt", nets.mlp(64, 5, depth=1, width=16, seed=1))
    target = nets.mlp(64, 10, depth=1, width=16, seed=2)
    before = _state(target)
    with pytest.raises(CheckpointError, match=r"another architecture.*different shapes.*head.weight"):
        load_checkpoint(tmp_path / "five.pt", target)
    assert _same(before, target.state_dict()), "no tensor was overwritten"


def test_an_sgd_checkpoint_does_not_load_into_adam_and_nothing_changes(tmp_path):
    model = _model()
    sgd = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    train.train(model, _data(), sgd, epochs=1, batch_size=8, progress=False)
    save_checkpoint(tmp_path / "sgd.pt", model, sgd)
    other = _model(seed=5)
    before = _state(other)
    adam = torch.optim.Adam(other.parameters())
    with pytest.raises(CheckpointError, match=r"torch.optim.sgd.SGD, not of a torch.optim.adam.Adam"):
        load_checkpoint(tmp_path / "sgd.pt", other, adam)
    assert _same(before, other.state_dict()) and adam.state == {}
    two_groups = torch.optim.SGD([{"params": [other[0].weight]}, {"params": list(other.parameters())[1:]}], lr=0.1)
    with pytest.raises(CheckpointError, match=r"groups of sizes \[4\], the optimizer \[1, 3\]"):
        load_checkpoint(tmp_path / "sgd.pt", other, two_groups)
    assert _same(before, other.state_dict())


@FAST
@given(junk=st.one_of(st.binary(max_size=300), st.text(max_size=100).map(str.encode)))
def test_any_file_that_is_not_a_checkpoint_gets_one_clear_message(tmp_path_factory, junk):
    path = tmp_path_factory.mktemp("junk") / "x.pt"
    path.write_bytes(junk)
    model = _model()
    before = _state(model)
    with pytest.raises(CheckpointError, match="is not a valid gradcourse checkpoint"):
        load_checkpoint(path, model)
    assert _same(before, model.state_dict())


@pytest.mark.parametrize("cut", [0.0, 0.1, 0.5, 0.99])
def test_truncated_and_foreign_files_name_the_cause(tmp_path, cut):
    path = tmp_path / "c.pt"
    save_checkpoint(path, _model())
    whole = path.read_bytes()
    path.write_bytes(whole[: int(cut * len(whole))])
    with pytest.raises(CheckpointError, match="is not a valid gradcourse checkpoint.*truncated"):
        load_checkpoint(path, _model())
    torch.save({"weights": torch.ones(3)}, path)  # a torch file, but not ours
    with pytest.raises(CheckpointError, match="not written by gradcourse"):
        load_checkpoint(path, _model())


def test_flipped_bytes_in_a_weight_are_caught_by_the_checksum(tmp_path):
    model = _model()
    path = tmp_path / "c.pt"
    save_checkpoint(path, model)
    raw = bytearray(path.read_bytes())
    weight = model[0].weight.detach().numpy().tobytes()
    at = bytes(raw).find(weight)
    assert at > 0, "the weight's bytes are stored verbatim"
    for i in range(at + 8, at + 24):  # 16 bytes inside the first layer's weight
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))
    fresh = _model(seed=9)
    before = _state(fresh)
    with pytest.raises(CheckpointError, match="damaged.*checksum"):
        load_checkpoint(path, fresh)
    assert _same(before, fresh.state_dict())


# --- 19.3: train() refuses what would silently train nothing or the wrong thing ---------------------------


def test_an_optimizer_over_another_models_parameters_is_refused():
    model, other = _model(), _model(seed=1)
    with pytest.raises(ValueError, match="optimizer: 4 of the 4 parameters it updates are not parameters of model"):
        train.train(model, _data(), torch.optim.SGD(other.parameters(), lr=0.1), epochs=1, progress=False)


@FAST
@given(label=st.one_of(st.floats(-5, 5), st.sampled_from([math.nan, math.inf, -math.inf])))
def test_fractional_or_negative_float_labels_are_refused_for_cross_entropy(label):
    X, y = _data()
    y = y.double()
    y[3] = label
    model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    if math.isfinite(label) and label == round(label) and 0 <= label <= 2:
        train.train(model, (X, y), opt, epochs=1, progress=False)  # whole numbers in range are class labels
    else:
        with pytest.raises(ValueError, match="data: .*labels"):
            train.train(model, (X, y), opt, epochs=1, progress=False)


def test_labels_beyond_the_models_outputs_are_named():
    X, y = _data()
    y[0] = 7
    model = _model()
    with pytest.raises(ValueError, match=r"a class label is 7 but the model has 3 outputs"):
        train.train(model, (X, y), torch.optim.SGD(model.parameters(), lr=0.1), epochs=1, progress=False)


class _StopAt(nn.Module):
    """Wraps a model; raises KeyboardInterrupt (as Ctrl-C does) at its n-th forward pass."""

    def __init__(self, inner: nn.Module, n: int) -> None:
        super().__init__()
        self.inner, self.n, self.calls = inner, n, 0

    def forward(self, x):
        self.calls += 1
        if self.calls == self.n:
            raise KeyboardInterrupt
        return self.inner(x)


def test_an_interrupted_train_leaves_the_history_at_whole_epochs_and_refuses_to_resume_from_it():
    model = _StopAt(_model(), n=3 * 3 + 2)  # 24 examples, batch 8: 3 steps an epoch; stop in epoch 4
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    h = train.train(model, _data(), opt, epochs=2, batch_size=8, progress=False)
    with pytest.raises(KeyboardInterrupt):
        train.train(model, _data(), opt, epochs=5, batch_size=8, progress=False, history=h)
    assert (h.epochs, h.steps, len(h.lr), len(h.grad_norm)) == (3, 9, 9, 9), "steps and epochs agree"
    assert h.interrupted_in_epoch == 4
    with pytest.raises(ValueError, match="stopped part-way through epoch 4.*checkpoint"):
        train.train(model, _data(), opt, epochs=5, batch_size=8, progress=False, history=h)


# --- 19.6: train()'s and the schedules' smaller gaps -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"scheduler": "cosine"}, "scheduler must be a learning-rate scheduler object with a step"),
        ({"optimizer": None}, "optimizer must be a torch-style optimizer"),
        ({"history": {"loss": []}}, "history must be a History"),
        ({"seed": -1}, "seed must be a non-negative integer"),
    ],
)
def test_train_names_a_wrong_kind_of_argument(change, match):
    model = _model()
    kwargs = {"optimizer": torch.optim.SGD(model.parameters(), lr=0.1), "epochs": 1, "progress": False, **change}
    with pytest.raises(ValueError, match=match):
        train.train(model, _data(), **kwargs)


def test_a_scheduler_of_another_optimizer_is_refused():
    model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    elsewhere = schedules.to_torch(torch.optim.SGD(_model().parameters(), lr=0.1), schedules.cosine_annealing,
                                   T_max=10)
    with pytest.raises(ValueError, match="scheduler was built for another optimizer"):
        train.train(model, _data(), opt, epochs=1, scheduler=elsewhere, progress=False)


@FAST
@given(gamma=st.floats(1.0001, 3.0), step=st.integers(0, 100_000))
def test_exponential_decay_never_overflows_with_a_raw_error(gamma, step):
    try:
        value = schedules.exponential_decay(step, base_lr=0.1, gamma=gamma)
    except ValueError as err:
        assert "overflows" in str(err) and "gamma" in str(err)
    else:
        assert math.isfinite(value)


def test_constant_with_no_scaled_steps_is_refused_instead_of_differing_from_torch():
    with pytest.raises(ValueError, match="total_iters must be >= 1 when factor != 1"):
        schedules.constant(0, base_lr=0.1, factor=0.5, total_iters=0)
    assert schedules.constant(3, base_lr=0.1) == 0.1  # the defaults still mean "constant"


def test_to_torch_takes_last_epoch_and_explains_what_resuming_needs():
    p = [torch.zeros(1, requires_grad=True)]
    opt = torch.optim.SGD(p, lr=1.0)
    with pytest.raises(ValueError, match="last_epoch=3 resumes a schedule.*initial_lr"):
        schedules.to_torch(opt, schedules.cosine_annealing, T_max=10, last_epoch=3)
    schedules.to_torch(opt, schedules.cosine_annealing, T_max=10)  # records initial_lr
    schedules.to_torch(opt, schedules.cosine_annealing, T_max=10, last_epoch=3)
    assert opt.param_groups[0]["lr"] == pytest.approx(schedules.cosine_annealing(4, base_lr=1.0, T_max=10))
    with pytest.raises(ValueError, match="do not fit it.*T_maxx"):
        schedules.to_torch(opt, schedules.cosine_annealing, T_max=10, T_maxx=10)


# --- issue 20: one validation module, names that do not mislead, train() in pieces -------------------------

_OWN = ["train", "checkpoints", "distributed", "init", "problems", "seeding", "data", "schedules",
        "diagnostics", "nets/torch_nets", "nets/gradcheck", "nets/numpy_mlp", "nets/activations"]


@pytest.mark.parametrize("module", _OWN)
def test_argument_checks_go_through_the_validation_module(module):
    """No hand-rolled "a number but not a bool" checks outside gradcourse._validate."""
    source = Path(gradcourse.__file__).parent.joinpath(f"{module}.py").read_text()
    hand_rolled = re.findall(r"isinstance\([\w.]+, bool\) or not isinstance\(|not isinstance\([\w.]+, bool\) and "
                             r"isinstance\([\w.]+, \(int|raise ValueError\(f\"\{name\} must be an integer", source)
    assert hand_rolled == [], f"{module}: {hand_rolled}"


def test_no_name_means_two_things():
    assert not hasattr(distributed, "_check_int"), "one integer check, with one argument order"
    assert not hasattr(train, "LOSSES") and isinstance(nets.LOSSES, tuple) and isinstance(train.LOSS_FUNCTIONS, dict)
    assert not hasattr(diagnostics, "_all_finite") and not hasattr(data, "_all_finite")


def test_train_tests_no_loss_name_and_lr_range_test_smooths_once_per_step(monkeypatch):
    assert 'loss == "cross_entropy"' not in inspect.getsource(train)
    assert train.ema_ is building_blocks.ema_ and train.bias_correction is building_blocks.bias_correction

    def no_whole_curve(*args, **kwargs):
        raise AssertionError("lr_range_test recomputed the whole smoothed curve")

    monkeypatch.setattr(train, "smooth", no_whole_curve)
    X = torch.randn(64, 3, dtype=torch.float64)
    model = nn.Linear(3, 1, dtype=torch.float64)
    result = train.lr_range_test(model, (X, X.sum(1)), torch.optim.SGD(model.parameters(), lr=0.1), loss="mse",
                                 num_steps=30, batch_size=64)
    monkeypatch.undo()
    np.testing.assert_allclose(result.losses, train.smooth(result.raw_losses, 0.98))


def test_the_launcher_is_torchs():
    from torch.multiprocessing import start_processes

    assert distributed.start_processes is start_processes


# --- the tally ---------------------------------------------------------------------------------------------

_BAD_NUMBERS = [math.nan, math.inf, -math.inf, -1.0, "0.1", None, True, [0.1], 1e309]


def _cases():
    """(what, call) pairs: every call is a bad input or a fault, and must raise a clear ValueError."""
    X, y = _data()
    cases = []

    def add(what, fn, *args, **kwargs):
        cases.append((what, functools.partial(fn, *args, **kwargs)))

    for name, fn in [(n, getattr(schedules, n)) for n in ("constant", "step_decay", "exponential_decay",
                                                          "polynomial_decay", "cosine_annealing",
                                                          "cosine_warm_restarts", "linear_warmup")]:
        good = {"constant": {}, "step_decay": {"step_size": 3}, "exponential_decay": {"gamma": 0.9},
                "polynomial_decay": {"total_iters": 10}, "cosine_annealing": {"T_max": 10},
                "cosine_warm_restarts": {"T_0": 5}, "linear_warmup": {"warmup_steps": 5}}[name]
        for arg in ("base_lr", *good):
            for bad in _BAD_NUMBERS:
                add(f"schedules.{name}({arg}={bad!r})", fn, 3, **{"base_lr": 0.1, **good, arg: bad})
        for bad in (-1, 2.5, "3", None):
            add(f"schedules.{name}(step={bad!r})", fn, bad, base_lr=0.1, **good)
    add("exponential_decay past overflow", schedules.exponential_decay, 8000, base_lr=0.1, gamma=1.1)
    add("constant(total_iters=0, factor=0.5)", schedules.constant, 0, base_lr=0.1, factor=0.5, total_iters=0)
    opt = torch.optim.SGD(_model().parameters(), lr=0.1)
    add("to_torch(last_epoch=3)", schedules.to_torch, opt, schedules.cosine_annealing, T_max=5, last_epoch=3)
    add("to_torch(unknown kwarg)", schedules.to_torch, opt, schedules.cosine_annealing, T_mx=5)
    add("to_torch(fn='cosine')", schedules.to_torch, opt, "cosine")

    def run_train(change):
        model = change.pop("model", None) or _model()
        kwargs = {"data": (X, y), "optimizer": torch.optim.SGD(model.parameters(), lr=0.1), "epochs": 1,
                  "progress": False, "batch_size": 8}
        kwargs.update(change)
        return train.train(model, kwargs.pop("data"), kwargs.pop("optimizer"), **kwargs)

    for arg in ("epochs", "batch_size", "eval_every", "clip_norm", "clip_value", "seed"):
        for bad in _BAD_NUMBERS + [0, -3]:
            if (arg in ("clip_norm", "clip_value") and bad is None) or (arg == "seed" and bad == 0):
                continue  # None means "no clipping"; seed 0 is a seed
            add(f"train({arg}={bad!r})", run_train, {arg: bad})
    frac = y.double()
    frac[0] = 0.5
    big = y.clone()
    big[0] = 9
    neg = y.clone()
    neg[0] = -1
    for what, d in [("float labels 0.5", (X, frac)), ("label 9 of 3 classes", (X, big)), ("label -1", (X, neg)),
                    ("nan label", (X, torch.full((24,), math.nan))), ("bool labels", (X, y > 0)),
                    ("X only", X), ("lengths differ", (X, y[:-1])), ("empty", (X[:0], y[:0])),
                    ("three parts", (X, y, X)), ("a dict", {"X": X})]:
        add(f"train(data={what})", run_train, {"data": d})
    for what, change in [("scheduler='cosine'", {"scheduler": "cosine"}), ("optimizer=None", {"optimizer": None}),
                         ("optimizer of another model",
                          {"optimizer": torch.optim.SGD(_model().parameters(), lr=0.1)}),
                         ("loss='hinge'", {"loss": "hinge"}), ("history={}", {"history": {}}),
                         ("lr=nan in a group", {"optimizer": torch.optim.SGD(_model().parameters(), lr=math.nan)})]:
        add(f"train({what})", run_train, change)

    def interrupted_history():
        model = _StopAt(_model(), n=5)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        h = train.History()
        try:
            train.train(model, (X, y), opt, epochs=2, batch_size=8, progress=False, history=h)
        except KeyboardInterrupt:
            pass
        return train.train(model, (X, y), opt, epochs=2, batch_size=8, progress=False, history=h)

    add("train(history=interrupted)", interrupted_history)

    for arg, bad in [("start_lr", 0.0), ("end_lr", math.inf), ("num_steps", 1), ("beta", 1.0), ("beta", "0.9"),
                     ("diverge_factor", 1.0), ("rule", "valley"), ("batch_size", 0), ("loss", "l1")]:
        model = _model()
        add(f"lr_range_test({arg}={bad!r})", train.lr_range_test, model, (X, y),
            torch.optim.SGD(model.parameters(), lr=0.1), **{arg: bad})
    add("smooth(beta=1)", train.smooth, [1.0, 2.0], 1.0)
    for arg in ("val_fraction",):
        for bad in _BAD_NUMBERS + [0.0, 1.0]:
            add(f"data.digits({arg}={bad!r})", data.digits, **{arg: bad})
    for bad in _BAD_NUMBERS + [2.0]:
        add(f"data.reddi_online(C={bad!r})", data.reddi_online, bad)
    for bad in (0, -1, 2.5, None):
        add(f"data.batches(batch_size={bad!r})", lambda b: list(data.batches(X, y, b)), bad)
    add("data.batches(X with nan)", data.batches, torch.full((4, 2), math.nan), torch.zeros(4), 2)
    for bad in _BAD_NUMBERS:
        add(f"init.normal(std={bad!r})", init.normal, (3, 4), bad)
        if bad not in (None, -1.0):  # None: the default slope; a negative slope is a slope
            add(f"init.calculate_gain('leaky_relu', {bad!r})", init.calculate_gain, "leaky_relu", bad)
        if bad != -1.0:
            add(f"nets.CliffRNN(w={bad!r})", nets.CliffRNN, bad, 0.0)
        add(f"problems.run(lr={bad!r})", problems.run, problems.ELLIPSE, "sgd", [1.0, 1.0], 3, lr=bad)
        add(f"problems.Quadratic(kappa={bad!r})", problems.Quadratic, bad)
    for bad in ((3, -1), (3, 2.5), "ab", 5, (3,)):
        add(f"init.fan_in_and_fan_out({bad!r})", init.fan_in_and_fan_out, bad)
    add("init.calculate_gain('swish')", init.calculate_gain, "swish")
    add("init.init_tensor_(numpy)", init.init_tensor_, np.zeros((3, 3)), "xavier_uniform")
    add("init.kaiming_std(fan=0)", init.kaiming_std, 0, 1.0)
    for bad in (1, -2, 2.5, None):
        add(f"problems.ELLIPSE.grid(n={bad!r})", problems.ELLIPSE.grid, bad)
    for bad in (-2, 2.5, None, "3"):
        add(f"problems.run(steps={bad!r})", problems.run, problems.ELLIPSE, "sgd", [1.0, 1.0], bad, lr=0.1)
    add("problems.run(optimizer='adamax')", problems.run, problems.ELLIPSE, "adamax", [1.0, 1.0], 3)
    add("problems.run(problem='rosenbrock')", problems.run, "rosenbrock", "sgd", [1.0, 1.0], 3)
    add("diagnostics.grad_norms(by='layer')", diagnostics.grad_norms, _model(), by="layer")
    add("diagnostics.activation_stats(kind='gelu')", diagnostics.activation_stats, torch.ones(3, 2), "gelu")
    add("nets.gradient_check(eps=0)", nets.gradient_check, lambda z: (float(z @ z), 2 * z), np.ones(3), eps=0)
    add("nets.TanhRNN.set_spectral_radius_(nan)", nets.TanhRNN(2, 3, 1).set_spectral_radius_, math.nan)
    for bad in ({"batch_size": 0}, {"lr": math.nan}, {"momentum": 1.0}, {"dtype": "float16"}, {"seed": -1}):
        add(f"DataParallelConfig({bad})", distributed.DataParallelConfig, **bad)
    for what, kwargs in [("world_size=0", {"world_size": 0}), ("timeout=-1", {"timeout": -1.0}),
                         ("args=[1]", {"args": [1]})]:
        add(f"distributed.launch({what})", distributed.launch, distributed.train_data_parallel, **kwargs)
    add("distributed.launch(lambda)", distributed.launch, lambda: 1, 2)
    add("seeding.seed_everything(-1)", gradcourse.seeding.seed_everything, -1)
    return cases


def _checkpoint_cases(folder: Path):
    model = _model()
    sgd = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    sgd.step()
    good = folder / "good.pt"
    save_checkpoint(good, model, sgd)
    whole = good.read_bytes()
    cases = []
    for i, cut in enumerate((0.0, 0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999)):
        path = folder / f"cut{i}.pt"
        path.write_bytes(whole[: int(cut * len(whole))])
        cases.append((f"load(truncated at {cut:.1%})", functools.partial(load_checkpoint, path, _model())))
    for what, content in [("text", b"hello checkpoint\n" * 9), ("garbage", bytes(range(256)) * 4)]:
        path = folder / f"{what}.pt"
        path.write_bytes(content)
        cases.append((f"load({what})", functools.partial(load_checkpoint, path, _model())))
    torch.save([1, 2, 3], folder / "list.pt")
    cases.append(("load(a torch file of a list)", functools.partial(load_checkpoint, folder / "list.pt", _model())))
    cases.append(("load(into mlp of other shape)", functools.partial(load_checkpoint, good, _model(classes=5))))
    cases.append(("load(SGD into Adam)",
                  functools.partial(load_checkpoint, good, _model(), torch.optim.Adam(_model().parameters()))))
    cases.append(("load(model-only file with optimizer)",
                  functools.partial(load_checkpoint, folder / "model.pt", _model(),
                                    torch.optim.SGD(_model().parameters(), lr=0.1))))
    save_checkpoint(folder / "model.pt", model)
    raw = bytearray(whole)
    at = bytes(raw).find(model[0].weight.detach().numpy().tobytes())
    raw[at + 4] ^= 0x01
    (folder / "flipped.pt").write_bytes(bytes(raw))
    cases.append(("load(one bit flipped in a weight)", functools.partial(load_checkpoint, folder / "flipped.pt",
                                                                          _model())))
    return cases


def _outcome(call) -> tuple[str, str]:
    """("clear" | "silent" | "raw", detail) for one bad input."""
    try:
        call()
    except ValueError as err:
        frames = traceback.extract_tb(err.__traceback__)
        ours = frames and "gradcourse" in frames[-1].filename and "site-packages" not in frames[-1].filename
        return ("clear", str(err).splitlines()[0]) if ours else ("raw", f"{type(err).__name__}: {err}")
    except Exception as err:
        return "raw", f"{type(err).__name__}: {err}"
    return "silent", "returned without an error"


def tally(folder: Path) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {"clear": [], "silent": [], "raw": []}
    for what, call in _cases() + _checkpoint_cases(folder):
        kind, detail = _outcome(call)
        out[kind].append((what, detail))
    return out


def test_the_tally_every_bad_input_gets_a_clear_error(tmp_path):
    result = tally(tmp_path)
    total = sum(map(len, result.values()))
    assert total >= 300, total
    assert result["silent"] == [] and result["raw"] == [], {k: v for k, v in result.items() if k != "clear"}


if __name__ == "__main__":  # python tests/test_faults.py: print the tally
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        found = tally(Path(folder))
    total = sum(map(len, found.values()))
    print(f"bad inputs tried: {total}; clear errors: {len(found['clear'])}; silent wrong: {len(found['silent'])}; "
          f"raw tracebacks or hangs: {len(found['raw'])}")
    for kind in ("silent", "raw"):
        for what, detail in found[kind]:
            print(f"  {kind}: {what}: {detail[:150]}")
