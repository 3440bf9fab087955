"""A short, readable training loop with the guard rails the course needs.

* :func:`train` -- mini-batch training of any ``nn.Module`` with any torch-compatible optimizer, returning a
  :class:`History` (per-step loss, learning rate and gradient norm; per-epoch train/validation loss and
  accuracy).
* A NaN/Inf guard: the moment the loss or the gradient stops being finite, training stops with
  :class:`TrainingDiverged`, whose message says where (step, epoch, the first layer with a non-finite
  activation or gradient) and what to try; the history up to that point is on the exception.
* :func:`save_checkpoint` / :func:`load_checkpoint` (from :mod:`gradcourse.checkpoints`): a run saved after
  epoch 1 and resumed in fresh objects ends bit for bit where an uninterrupted run ends.
* :func:`lr_range_test`: the "LR finder" -- raise the learning rate exponentially and watch the loss.

One step of the loop, in order::

    g = grad of loss(model(x_batch), y_batch)            # loss.backward()
    stop with TrainingDiverged if loss or ||g|| is inf/NaN
    g = clip_by_value(g, clip_value); g = clip_by_global_norm(g, clip_norm)   # if asked for
    optimizer.step(); scheduler.step()                   # the scheduler is stepped once per *batch*
"""

from __future__ import annotations

import copy
import inspect
import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from tqdm.auto import tqdm

from gradcourse._validate import choice, integer, real
from gradcourse.checkpoints import CheckpointError, load_checkpoint, save_checkpoint
from gradcourse.clip import clip_grad_norm_, clip_grad_value_
from gradcourse.data import batches
from gradcourse.diagnostics import NonFiniteReport, first_nonfinite, global_grad_norm
from gradcourse.optim.building_blocks import bias_correction, ema_
from gradcourse.seeding import random_state, seed_everything, set_random_state

__all__ = [
    "LOSS_FUNCTIONS",
    "LR_RULES",
    "CheckpointError",
    "History",
    "LRRangeResult",
    "TrainingDiverged",
    "evaluate",
    "load_checkpoint",
    "lr_range_test",
    "save_checkpoint",
    "smooth",
    "train",
]


def _mse(output: Tensor, target: Tensor) -> Tensor:
    """Mean squared error; a target with as many entries as the output (``(n,)`` vs ``(n, 1)``) is reshaped
    to the output's shape instead of being silently broadcast to ``(n, n)``."""
    if output.shape != target.shape:
        if output.numel() != target.numel():
            raise ValueError(
                f"loss='mse': the model's output has shape {tuple(output.shape)} but the targets have shape "
                f"{tuple(target.shape)}; they need the same number of entries"
            )
        target = target.reshape(output.shape)
    return F.mse_loss(output, target)


@dataclass(frozen=True)
class _Loss:
    """A loss :func:`train` accepts: its function, and whether the targets are class labels (then accuracy
    is measured and the labels are checked against the number of outputs)."""

    fn: Callable[[Tensor, Tensor], Tensor]
    classifies: bool


_LOSSES = {"cross_entropy": _Loss(F.cross_entropy, classifies=True), "mse": _Loss(_mse, classifies=False)}
#: The loss names :func:`train` accepts, and the functions they stand for (both average over the batch).
LOSS_FUNCTIONS: dict[str, Callable[[Tensor, Tensor], Tensor]] = {name: spec.fn for name, spec in _LOSSES.items()}


def _loss(name: str) -> _Loss:
    return _LOSSES[choice("loss", name, tuple(_LOSSES))]


# --------------------------------------------------------------------------------------------------------
# History and the divergence error
# --------------------------------------------------------------------------------------------------------


@dataclass
class History:
    """What :func:`train` measured. Steps are counted from 1, epochs too.

    Per step: ``loss`` (the mini-batch loss), ``lr`` (the learning rate of the first parameter group used
    for that step), ``grad_norm`` (the global gradient norm before clipping; empty if
    ``record_grad_norms=False``).
    Per epoch: ``train_loss`` and ``train_acc``, the averages over the epoch's mini-batches while the model
    was learning (cheap, slightly pessimistic).
    Per evaluation (every ``eval_every`` epochs and after the last one): ``val_epoch`` (which epoch),
    ``val_loss`` and ``val_acc`` on the validation set, model in ``eval()`` mode.
    Accuracies are recorded for ``loss="cross_entropy"`` only.

    Steps are added an epoch at a time, so ``loss`` always holds whole epochs. ``interrupted_in_epoch`` is
    the epoch in which a :func:`train` call using this history was stopped (by an exception or Ctrl-C; ``0``
    if it never was): the model has then moved past the history, and resuming needs a checkpoint.
    """

    seed: int = 0
    loss: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_epoch: list[int] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    interrupted_in_epoch: int = 0

    @property
    def steps(self) -> int:
        """Optimizer steps taken so far."""
        return len(self.loss)

    @property
    def epochs(self) -> int:
        """Epochs completed so far."""
        return len(self.train_loss)

    def to_dict(self) -> dict[str, Any]:
        """Plain Python (ints, floats, lists): what a checkpoint stores."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> History:
        return cls(**d)


class TrainingDiverged(RuntimeError):
    """Raised by :func:`train` when the loss or the gradient becomes inf or NaN.

    Attributes: ``history`` (everything up to the last finite step), ``step`` and ``epoch`` (1-based, where
    it happened), ``last_finite_loss`` (``None`` if the very first step failed) and ``report`` (a
    :class:`gradcourse.diagnostics.NonFiniteReport` from re-running the failing batch).
    """

    def __init__(
        self,
        message: str,
        *,
        history: History,
        step: int,
        epoch: int,
        last_finite_loss: float | None,
        report: NonFiniteReport,
    ) -> None:
        super().__init__(message)
        self.history = history
        self.step = step
        self.epoch = epoch
        self.last_finite_loss = last_finite_loss
        self.report = report


def _max_abs(t: Tensor) -> float:
    return t.detach().abs().max().item() if t.numel() else 0.0


def _diverged(model, loss_fn, xb, yb, *, history, epoch, value, norm, optimizer) -> TrainingDiverged:
    """Build the error: re-run the failing batch under :func:`first_nonfinite` to say where it broke."""
    report = first_nonfinite(model, loss_fn, xb, yb)
    last = history.loss[-1] if history.loss else None
    if math.isfinite(value):
        what = f"the gradient norm is {norm} while the loss is still finite ({value:.6g})"
    else:
        what = f"the loss is {value}"
    where = str(report)
    if not report.found:  # every entry finite, yet the norm is not: sum of squares beyond the dtype's range
        name, p = max(
            ((n, p) for n, p in model.named_parameters() if p.grad is not None), key=lambda np_: _max_abs(np_[1].grad)
        )
        where += (
            f" -- every entry is finite, but the gradients are so large that their norm overflows {p.grad.dtype} "
            f"(largest |g| = {_max_abs(p.grad):.3g}, in {name!r})"
        )
    step = history.steps + 1
    message = (
        f"training diverged at step {step} (epoch {epoch}): {what}. "
        f"Last finite loss: {'none, the first step failed' if last is None else f'{last:.6g}'}.\n"
        f"Where: {where}.\n"
        f"What to try: a smaller learning rate (lr is {float(optimizer.param_groups[0]['lr']):g}; try a tenth, "
        f"or lr_range_test), gradient clipping (clip_norm=1.0), or check the initialization (gradcourse.init) "
        f"and the scale of the inputs. The {history.steps} finite steps before are on this exception as .history."
    )
    return TrainingDiverged(message, history=history, step=step, epoch=epoch, last_finite_loss=last, report=report)


# --------------------------------------------------------------------------------------------------------
# Argument checks and data
# --------------------------------------------------------------------------------------------------------


def _check_optimizer(optimizer: Any, model: nn.Module) -> list[Tensor]:
    """The optimizer's parameters, after checking that it is one, that its learning rates are usable and that
    every parameter it updates belongs to ``model`` (an optimizer built over another model trains nothing)."""
    if not (hasattr(optimizer, "param_groups") and callable(getattr(optimizer, "step", None))):
        raise ValueError(
            "optimizer must be a torch-style optimizer built over the model's parameters, for example "
            f"gradcourse.optim.SGD(model.parameters(), lr=0.1); got {optimizer!r}"
        )
    for i, group in enumerate(optimizer.param_groups):
        real(f"lr in optimizer.param_groups[{i}]", group["lr"], 0.0, allowed="a finite number >= 0")
    params = [p for group in optimizer.param_groups for p in group["params"]]
    own = {id(p) for p in model.parameters()}
    foreign = sum(id(p) not in own for p in params)
    if foreign:
        raise ValueError(
            f"optimizer: {foreign} of the {len(params)} parameters it updates are not parameters of model, so "
            "training would not change the model; build the optimizer from this model's parameters "
            "(optimizer = SGD(model.parameters(), ...))"
        )
    return params


def _check_scheduler(scheduler: Any, optimizer: Any) -> None:
    if scheduler is None:
        return
    if not callable(getattr(scheduler, "step", None)):
        raise ValueError(
            "scheduler must be a learning-rate scheduler object with a step() method, for example "
            "gradcourse.schedules.to_torch(optimizer, gradcourse.schedules.cosine_annealing, T_max=100); "
            f"got {scheduler!r}"
        )
    if getattr(scheduler, "optimizer", optimizer) is not optimizer:
        raise ValueError("scheduler was built for another optimizer; build it from the optimizer given to train")


def _float_dtype(model: nn.Module) -> tuple[torch.dtype, torch.device]:
    p = next((p for p in model.parameters() if p.is_floating_point()), None)
    return (p.dtype, p.device) if p is not None else (torch.get_default_dtype(), torch.device("cpu"))


def _labels(y: Any, part: str, device: torch.device) -> Tensor:
    """Class labels as int64, refusing what would be silently changed: fractions, NaN, negatives."""
    y = torch.as_tensor(y, device=device)
    if y.is_floating_point() or y.is_complex():
        if not (bool(torch.isfinite(y).all()) and bool((y == y.round()).all())):
            bad = y[~(torch.isfinite(y) & (y == y.round()))].flatten()[:3].tolist()
            raise ValueError(
                f"data: loss='cross_entropy' needs integer class labels, but the {part} labels include {bad}; "
                "pass class indices 0, 1, ..., C-1 (or use loss='mse' for real-valued targets)"
            )
    elif y.dtype == torch.bool:
        raise ValueError(f"data: the {part} labels are booleans; pass class indices 0, 1, ..., C-1 as integers")
    y = y.long()
    if y.numel() and int(y.min()) < 0:
        raise ValueError(f"data: class labels must be >= 0, but the {part} labels include {int(y.min())}")
    return y


def _tensors(data: Any, model: nn.Module, spec: _Loss) -> tuple[Tensor, Tensor, Tensor | None, Tensor | None]:
    """``data`` as tensors ``(X, y, X_val, y_val)``: X in the model's dtype, y as class indices
    (cross-entropy) or in the model's dtype (mse). ``data`` is a ``gradcourse.data.Split`` / 4-tuple
    ``(X_train, y_train, X_val, y_val)`` or a pair ``(X, y)`` without a validation set."""
    if not isinstance(data, (tuple, list)) or len(data) not in (2, 4):
        raise ValueError(
            f"data must be (X, y) or (X_train, y_train, X_val, y_val) like gradcourse.data.digits(), "
            f"got {type(data).__name__}"
        )
    dtype, device = _float_dtype(model)
    out: list[Tensor | None] = []
    for k in range(0, len(data), 2):
        X, y = data[k], data[k + 1]
        if X is None and y is None and k == 2:
            out += [None, None]
            continue
        part = "training" if k == 0 else "validation"
        X = torch.as_tensor(X).to(device=device, dtype=dtype)
        y = _labels(y, part, device) if spec.classifies else torch.as_tensor(y).to(device=device, dtype=dtype)
        if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
            raise ValueError(
                f"data: the {part} inputs and targets must have the same length, "
                f"got X of shape {tuple(X.shape)} and y of shape {tuple(y.shape)}"
            )
        if len(X) == 0 and k == 0:
            raise ValueError("data: the training set is empty")
        out += [X, y]
    if len(out) == 2:
        out += [None, None]
    return out[0], out[1], out[2], out[3]


def _largest_label(*labels: Tensor | None) -> int:
    return max(int(y.max()) for y in labels if y is not None and len(y))


def _check_label_range(output: Tensor, largest: int) -> None:
    """Every label must name one of the model's outputs (checked on the first batch's output, before any
    gradient is computed)."""
    width = output.shape[-1] if output.ndim > 1 else 1
    if largest >= width:
        raise ValueError(
            f"data: a class label is {largest} but the model has {width} outputs, so labels must lie in "
            f"[0, {width - 1}]; give the model one output per class"
        )


def _batches(X: Tensor, y: Tensor, batch_size: int, seed: int, epoch: int) -> Iterator[tuple[Tensor, Tensor]]:
    """One epoch of shuffled mini-batches. The order depends on (seed, epoch) only, so a resumed run sees the
    same batches as an uninterrupted one without storing a generator, and runs with different seeds do not
    share orders."""
    epoch_seed = int(np.random.SeedSequence([seed, epoch]).generate_state(1)[0])
    return batches(X, y, batch_size, shuffle=True, seed=epoch_seed)


def _accuracy_count(output: Tensor, target: Tensor) -> int:
    return int((output.argmax(dim=1) == target).sum())


def evaluate(model: nn.Module, X: Tensor, y: Tensor, loss: str = "cross_entropy") -> tuple[float, float | None]:
    """``(loss, accuracy)`` on the whole of ``X, y`` in ``eval()`` mode without gradients (accuracy ``None``
    for ``mse``). The model's train/eval mode is restored afterwards."""
    return _evaluate(model, X, y, _loss(loss))


def _evaluate(model: nn.Module, X: Tensor, y: Tensor, spec: _Loss) -> tuple[float, float | None]:
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = model(X)
            value = spec.fn(out, y).item()
            acc = _accuracy_count(out, y) / len(y) if spec.classifies else None
    finally:
        model.train(was_training)
    return value, acc


def _wants_metric(scheduler: Any) -> bool:
    """True for plateau-style schedulers, whose ``step`` takes the monitored loss: torch's
    ``ReduceLROnPlateau.step(metrics)`` and ``gradcourse.schedules.ReduceLROnPlateau.step(metric)``."""
    return not {"metrics", "metric"}.isdisjoint(inspect.signature(scheduler.step).parameters)


def _step_plateau(scheduler: Any, optimizer: torch.optim.Optimizer, monitored: float) -> None:
    new_lr = scheduler.step(monitored)
    if new_lr is not None:  # gradcourse's scalar tracker returns the rate instead of setting it
        for group in optimizer.param_groups:
            group["lr"] = float(new_lr)


# --------------------------------------------------------------------------------------------------------
# The loop: one epoch, the evaluation after it, and train() around them
# --------------------------------------------------------------------------------------------------------


@dataclass
class _Setup:
    """What every step of a :func:`train` call uses."""

    model: nn.Module
    optimizer: torch.optim.Optimizer
    params: list[Tensor]
    loss: _Loss
    clip_value: float | None
    clip_norm: float | None
    scheduler: Any
    per_batch_scheduler: bool
    record_grad_norms: bool
    largest_label: int | None  # for cross-entropy: checked against the model's outputs at the first step


def _run_epoch(run: _Setup, X: Tensor, y: Tensor, batch_size: int, history: History, epoch: int) -> History:
    """One epoch of steps, recorded in a new History holding only this epoch; ``history`` (the epochs before)
    is only read, for the guard's message."""
    model, optimizer = run.model, run.optimizer
    model.train()
    log = History(seed=history.seed)
    loss_sum, correct = 0.0, 0
    for xb, yb in _batches(X, y, batch_size, history.seed, epoch):
        optimizer.zero_grad(set_to_none=True)
        out = model(xb)
        if run.largest_label is not None:
            _check_label_range(out, run.largest_label)
            run.largest_label = None
        batch_loss = run.loss.fn(out, yb)
        batch_loss.backward()
        value = batch_loss.item()
        norm = global_grad_norm(run.params) if run.record_grad_norms else 0.0
        if not (math.isfinite(value) and math.isfinite(norm)):
            so_far = _joined(history, log)
            raise _diverged(model, run.loss.fn, xb, yb, history=so_far, epoch=epoch + 1, value=value, norm=norm,
                            optimizer=optimizer)
        if run.clip_value is not None:
            clip_grad_value_(run.params, run.clip_value)
        if run.clip_norm is not None:
            clip_grad_norm_(run.params, run.clip_norm)
        log.lr.append(float(optimizer.param_groups[0]["lr"]))
        optimizer.step()
        if run.per_batch_scheduler:
            run.scheduler.step()
        log.loss.append(value)
        if run.record_grad_norms:
            log.grad_norm.append(norm)
        loss_sum += value * len(yb)
        if run.loss.classifies:
            correct += _accuracy_count(out, yb)
    log.train_loss.append(loss_sum / len(X))
    if run.loss.classifies:
        log.train_acc.append(correct / len(X))
    return log


def _joined(history: History, more: History) -> History:
    """A copy of ``history`` with the lists of ``more`` appended."""
    both = copy.deepcopy(history)
    _extend(both, more)
    return both


def _extend(history: History, more: History) -> None:
    for name, values in more.to_dict().items():
        if isinstance(values, list):
            getattr(history, name).extend(values)


def _evaluate_epoch(run: _Setup, X_val: Tensor | None, y_val: Tensor | None, log: History, epoch: int) -> float:
    """Evaluate after ``epoch`` (0-based) into ``log``, step a plateau scheduler; return the monitored loss
    (validation loss, or the epoch's training loss without a validation set)."""
    monitored = log.train_loss[-1]
    if X_val is not None and len(X_val) > 0:
        monitored, acc = _evaluate(run.model, X_val, y_val, run.loss)
        log.val_epoch.append(epoch + 1)
        log.val_loss.append(monitored)
        if acc is not None:
            log.val_acc.append(acc)
    if run.scheduler is not None and not run.per_batch_scheduler:
        _step_plateau(run.scheduler, run.optimizer, monitored)
    return monitored


def train(
    model: nn.Module,
    data: Any,
    optimizer: torch.optim.Optimizer,
    *,
    epochs: int,
    batch_size: int = 64,
    loss: str = "cross_entropy",
    scheduler: Any = None,
    clip_norm: float | None = None,
    clip_value: float | None = None,
    eval_every: int = 1,
    progress: bool = True,
    record_grad_norms: bool = True,
    seed: int = 0,
    history: History | None = None,
) -> History:
    """Train ``model`` on ``data`` with ``optimizer`` and return the :class:`History`.

    ``data``: ``gradcourse.data.digits()`` (a Split), any ``(X_train, y_train, X_val, y_val)``, or ``(X, y)``;
    numpy arrays or tensors. ``loss``: ``"cross_entropy"`` (y = class indices 0 … C−1, checked against the
    model's C outputs) or ``"mse"``. ``optimizer`` must update parameters of ``model``.

    ``scheduler``: a torch LR scheduler object over ``optimizer`` (for example
    ``gradcourse.schedules.to_torch(optimizer, cosine_annealing, T_max=...)``), stepped once per **batch**,
    after ``optimizer.step()``, so schedules are written in optimizer steps. A plateau scheduler (torch's, or
    ``gradcourse.schedules.ReduceLROnPlateau``, whose rate is then copied into every parameter group) is
    instead stepped after each evaluation with the validation loss (the epoch's training loss if there is
    no validation set).

    ``clip_value`` then ``clip_norm`` clip the gradient (``gradcourse.clip``) before each step; the recorded
    ``grad_norm`` is the norm before clipping.

    The NaN/Inf guard checks the loss every step, and the gradient norm when ``record_grad_norms`` is on
    (without it, a non-finite gradient is caught one step later through the loss).

    ``seed``: at the start of a fresh run, :func:`gradcourse.seeding.seed_everything` ``(seed)`` (dropout
    masks) and the mini-batch order of every epoch. ``history``: the History returned by
    :func:`load_checkpoint` (or by an earlier call that finished) to *resume*; training continues from
    ``history.epochs`` up to ``epochs`` in total without reseeding. ``history`` grows an epoch at a time: a
    call stopped part-way through an epoch leaves it at the last whole epoch and sets
    ``history.interrupted_in_epoch``, and such a history is refused (the model has moved past it: resume from a
    checkpoint instead).
    """
    spec = _loss(loss)
    epochs = integer("epochs", epochs, 1)
    batch_size = integer("batch_size", batch_size, 1)
    eval_every = integer("eval_every", eval_every, 1)
    clip_norm = None if clip_norm is None else real("clip_norm", clip_norm, 0.0, open_low=True)
    clip_value = None if clip_value is None else real("clip_value", clip_value, 0.0, open_low=True)
    params = _check_optimizer(optimizer, model)
    _check_scheduler(scheduler, optimizer)
    fresh = history is None
    history = _start(history, seed, epochs)
    X, y, X_val, y_val = _tensors(data, model, spec)
    if fresh:
        seed_everything(seed)
    run = _Setup(model, optimizer, params, spec, clip_value, clip_norm, scheduler,
                 per_batch_scheduler=scheduler is not None and not _wants_metric(scheduler),
                 record_grad_norms=record_grad_norms,
                 largest_label=_largest_label(y, y_val) if spec.classifies else None)
    with tqdm(range(history.epochs, epochs), desc="train", unit="epoch", disable=not progress, leave=False) as bar:
        for epoch in bar:
            try:
                log = _run_epoch(run, X, y, batch_size, history, epoch)
                if (epoch + 1) % eval_every == 0 or epoch + 1 == epochs:
                    bar.set_postfix(val=f"{_evaluate_epoch(run, X_val, y_val, log, epoch):.4g}")
            except BaseException:
                history.interrupted_in_epoch = epoch + 1
                raise
            _extend(history, log)
    return history


def _start(history: History | None, seed: int, epochs: int) -> History:
    if history is None:
        return History(seed=integer("seed", seed))
    if not isinstance(history, History):
        raise ValueError(f"history must be a History (from train or load_checkpoint) or None, got {history!r}")
    if history.interrupted_in_epoch:
        raise ValueError(
            f"history: the train() call that used it was stopped part-way through epoch "
            f"{history.interrupted_in_epoch}, so the model and optimizer have taken steps this history does not "
            "hold; resume from a checkpoint (load_checkpoint) or start a fresh run"
        )
    if history.seed != seed:
        raise ValueError(f"seed={seed} but the history being resumed was trained with seed={history.seed}")
    if history.epochs >= epochs:
        raise ValueError(f"epochs={epochs} is not more than the {history.epochs} epochs the history already has")
    return history


# --------------------------------------------------------------------------------------------------------
# Learning-rate range test
# --------------------------------------------------------------------------------------------------------

#: How :func:`lr_range_test` turns its curve into one suggested learning rate.
LR_RULES = ("min/10", "steepest")


def _check_beta(beta: Any) -> float:
    return real("beta", beta, 0.0, 1.0, open_high=True)


class _Smoother:
    """The bias-corrected moving average of :func:`smooth`, one value at a time (O(1) per value), built from
    the optimizers' own pieces: ``ema_`` (a ← β·a + (1 − β)·x) and ``bias_correction`` (1 − βᵗ)."""

    def __init__(self, beta: float) -> None:
        self.beta = _check_beta(beta)
        self.avg = np.zeros(())
        self.t = 0

    def __call__(self, x: float) -> float:
        self.t += 1
        ema_(self.avg, np.asarray(float(x)), self.beta)
        return float(self.avg) / bias_correction(self.beta, self.t)


def smooth(values: Any, beta: float) -> np.ndarray:
    """Exponential moving average with bias correction (the same correction as Adam's):
    ``a_t = beta * a_{t-1} + (1 - beta) * x_t``, ``a_0 = 0``, returns ``a_t / (1 - beta^t)`` for t = 1, 2, ..."""
    smoother = _Smoother(beta)
    return np.array([smoother(x) for x in np.asarray(values, dtype=float).reshape(-1)], dtype=float)


@dataclass(frozen=True)
class LRRangeResult:
    """``lrs[i]`` was used for step i; ``losses`` is the smoothed loss, ``raw_losses`` the mini-batch loss.
    ``diverged`` is True if the test stopped early because the loss blew up."""

    lrs: np.ndarray
    losses: np.ndarray
    raw_losses: np.ndarray
    suggested_lr: float
    rule: str
    diverged: bool


@dataclass
class _Snapshot:
    """What :func:`lr_range_test` puts back with ``restore=True``."""

    model_state: dict[str, Any]
    optimizer_state: dict[str, Any]
    rng: dict[str, Any]
    training: bool

    @classmethod
    def take(cls, model: nn.Module, optimizer: torch.optim.Optimizer) -> _Snapshot:
        return cls(copy.deepcopy(model.state_dict()), copy.deepcopy(optimizer.state_dict()), random_state(),
                   model.training)

    def restore(self, model: nn.Module, optimizer: torch.optim.Optimizer) -> None:
        model.load_state_dict(self.model_state)
        optimizer.load_state_dict(self.optimizer_state)
        set_random_state(self.rng)
        model.train(self.training)


def lr_range_test(
    model: nn.Module,
    data: Any,
    optimizer: torch.optim.Optimizer,
    *,
    start_lr: float = 1e-7,
    end_lr: float = 10.0,
    num_steps: int = 100,
    loss: str = "cross_entropy",
    batch_size: int = 64,
    beta: float = 0.98,
    diverge_factor: float = 4.0,
    rule: str = "min/10",
    seed: int = 0,
    restore: bool = True,
) -> LRRangeResult:
    """The learning-rate range test ("LR finder").

    Smith (2017, arXiv:1506.01186) raised the learning rate linearly during a short run and read off where
    the accuracy starts to rise and where it falls apart; the exponential version used here (popularised by
    fast.ai) covers many decades in few steps: step i (0-based) of N uses

        lr_i = start_lr * (end_lr / start_lr) ** (i / (N - 1))       (every parameter group)

    The loss is smoothed with :func:`smooth` (``beta``); the test stops as soon as the smoothed loss exceeds
    ``diverge_factor`` times the best smoothed loss so far, or the loss is inf/NaN (that step is dropped).

    Suggested learning rate (``rule``):

    * ``"min/10"`` (default): the lr at the lowest smoothed loss, divided by 10. The minimum itself lies at
      or *beyond* the edge of stability (an unstable direction needs a few steps to grow while the rate
      keeps rising, and the smoothing lags), so a tenth of it is a safe, still fast choice. On a quadratic
      (gradient descent is stable for lr < 2/L) it lands at about half of 2/L (tested);
    * ``"steepest"``: the lr where the smoothed loss falls fastest against log(lr).

    With ``restore=True`` the model, optimizer and random state are put back afterwards, so the test can be
    run before a real training run without changing it.
    """
    spec = _loss(loss)
    start_lr = real("start_lr", start_lr, 0.0, open_low=True)
    end_lr = real("end_lr", end_lr, 0.0, open_low=True)
    if end_lr <= start_lr:
        raise ValueError(f"end_lr must be larger than start_lr, got start_lr={start_lr}, end_lr={end_lr}")
    num_steps = integer("num_steps", num_steps, 2)
    batch_size = integer("batch_size", batch_size, 1)
    diverge_factor = real("diverge_factor", diverge_factor, 1.0, open_low=True)
    rule = choice("rule", rule, LR_RULES)
    smoother = _Smoother(beta)
    _check_optimizer(optimizer, model)
    X, y, _, _ = _tensors(data, model, spec)

    saved = _Snapshot.take(model, optimizer)
    seed_everything(seed)
    lrs = start_lr * (end_lr / start_lr) ** (np.arange(num_steps) / (num_steps - 1))
    stream = itertools.chain.from_iterable(_batches(X, y, batch_size, seed, e) for e in itertools.count())
    raw: list[float] = []
    smoothed: list[float] = []
    best, diverged = math.inf, False
    model.train()
    try:
        for lr, (xb, yb) in zip(lrs, stream, strict=False):
            for group in optimizer.param_groups:
                group["lr"] = float(lr)
            optimizer.zero_grad(set_to_none=True)
            out = model(xb)
            if spec.classifies and not raw:
                _check_label_range(out, _largest_label(y))
            batch_loss = spec.fn(out, yb)
            value = batch_loss.item()
            if not math.isfinite(value):
                diverged = True
                break
            batch_loss.backward()
            optimizer.step()
            raw.append(value)
            smoothed.append(smoother(value))
            best = min(best, smoothed[-1])
            if smoothed[-1] > diverge_factor * best:
                diverged = True
                break
    finally:
        if restore:
            saved.restore(model, optimizer)
    if not raw:
        raise ValueError(f"start_lr={start_lr}: the loss was already inf/NaN at the first step")
    used = lrs[: len(raw)]
    losses = np.asarray(smoothed)
    if rule == "min/10":
        suggested = used[int(np.argmin(losses))] / 10
    else:
        suggested = used[int(np.argmin(np.gradient(losses, np.log(used))))] if len(raw) > 1 else used[0]
    return LRRangeResult(
        lrs=used, losses=losses, raw_losses=np.asarray(raw), suggested_lr=float(suggested), rule=rule,
        diverged=diverged,
    )
