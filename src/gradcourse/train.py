"""A short, readable training loop with the guard rails the course needs.

* :func:`train` -- mini-batch training of any ``nn.Module`` with any torch-compatible optimizer, returning a
  :class:`History` (per-step loss, learning rate and gradient norm; per-epoch train/validation loss and
  accuracy).
* A NaN/Inf guard: the moment the loss or the gradient stops being finite, training stops with
  :class:`TrainingDiverged`, whose message says where (step, epoch, the first layer with a non-finite
  activation or gradient) and what to try; the history up to that point is on the exception.
* :func:`save_checkpoint` / :func:`load_checkpoint`: a run saved after epoch 1 and resumed in fresh objects
  ends bit for bit where an uninterrupted run ends.
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
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from os import PathLike
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from tqdm.auto import tqdm

from gradcourse._validate import integer as _check_int
from gradcourse._validate import real as _check_real
from gradcourse.clip import clip_grad_norm_, clip_grad_value_
from gradcourse.data import batches
from gradcourse.diagnostics import NonFiniteReport, first_nonfinite, global_grad_norm
from gradcourse.seeding import seed_everything

__all__ = [
    "LOSSES",
    "LR_RULES",
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


#: The loss names :func:`train` accepts, and the functions they stand for (both average over the batch).
LOSSES = {"cross_entropy": F.cross_entropy, "mse": _mse}


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


def _diverged(model, loss_fn, xb, yb, *, history, step, epoch, value, norm, optimizer) -> TrainingDiverged:
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


def _check_lrs(optimizer: torch.optim.Optimizer) -> None:
    for i, group in enumerate(optimizer.param_groups):
        lr = float(group["lr"])
        if not math.isfinite(lr) or lr < 0:
            raise ValueError(f"lr must be finite and >= 0, got lr={lr} in optimizer.param_groups[{i}]")


def _loss_fn(loss: str):
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
    return LOSSES[loss]


def _float_dtype(model: nn.Module) -> tuple[torch.dtype, torch.device]:
    p = next((p for p in model.parameters() if p.is_floating_point()), None)
    return (p.dtype, p.device) if p is not None else (torch.get_default_dtype(), torch.device("cpu"))


def _tensors(data: Any, model: nn.Module, loss: str) -> tuple[Tensor, Tensor, Tensor | None, Tensor | None]:
    """``data`` as tensors ``(X, y, X_val, y_val)``: X in the model's dtype, y as class indices
    (cross-entropy) or in the model's dtype (mse). ``data`` is a ``gradcourse.data.Split`` / 4-tuple
    ``(X_train, y_train, X_val, y_val)`` or a pair ``(X, y)`` without a validation set."""
    if not isinstance(data, (tuple, list)) or len(data) not in (2, 4):
        raise ValueError(
            f"data must be (X, y) or (X_train, y_train, X_val, y_val) like gradcourse.data.digits(), "
            f"got {type(data).__name__}"
        )
    dtype, device = _float_dtype(model)
    target_dtype = torch.long if loss == "cross_entropy" else dtype
    out: list[Tensor | None] = []
    for k in range(0, len(data), 2):
        X, y = data[k], data[k + 1]
        if X is None and y is None and k == 2:
            out += [None, None]
            continue
        X = torch.as_tensor(X).to(device=device, dtype=dtype)
        y = torch.as_tensor(y).to(device=device, dtype=target_dtype)
        part = "training" if k == 0 else "validation"
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
    loss_fn = _loss_fn(loss)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = model(X)
            value = loss_fn(out, y).item()
            acc = _accuracy_count(out, y) / len(y) if loss == "cross_entropy" else None
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
# The loop
# --------------------------------------------------------------------------------------------------------


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
    numpy arrays or tensors. ``loss``: ``"cross_entropy"`` (y = class indices) or ``"mse"``.

    ``scheduler``: a torch LR scheduler (for example ``gradcourse.schedules.to_torch(...)``), stepped once per
    **batch**, after ``optimizer.step()``, so schedules are written in optimizer steps. A plateau scheduler
    (torch's, or ``gradcourse.schedules.ReduceLROnPlateau``, whose rate is then copied into every parameter
    group) is instead stepped after each evaluation with the validation loss (the epoch's training loss if
    there is no validation set).

    ``clip_value`` then ``clip_norm`` clip the gradient (``gradcourse.clip``) before each step; the recorded
    ``grad_norm`` is the norm before clipping.

    The NaN/Inf guard checks the loss every step, and the gradient norm when ``record_grad_norms`` is on
    (without it, a non-finite gradient is caught one step later through the loss).

    ``seed``: at the start of a fresh run, :func:`gradcourse.seeding.seed_everything` ``(seed)`` (dropout
    masks) and the mini-batch order of every epoch. ``history``: the History returned by
    :func:`load_checkpoint` to *resume*; training continues from ``history.epochs`` up to ``epochs`` in total
    without reseeding, since the checkpoint restored the random state.
    """
    loss_fn = _loss_fn(loss)
    epochs = _check_int("epochs", epochs, 1)
    batch_size = _check_int("batch_size", batch_size, 1)
    eval_every = _check_int("eval_every", eval_every, 1)
    clip_norm = None if clip_norm is None else _check_real("clip_norm", clip_norm, 0.0, open_low=True)
    clip_value = None if clip_value is None else _check_real("clip_value", clip_value, 0.0, open_low=True)
    _check_lrs(optimizer)
    X, y, X_val, y_val = _tensors(data, model, loss)
    if history is None:
        seed_everything(seed)
        history = History(seed=seed)
    elif history.seed != seed:
        raise ValueError(f"seed={seed} but the history being resumed was trained with seed={history.seed}")
    if history.epochs >= epochs:
        raise ValueError(f"epochs={epochs} is not more than the {history.epochs} epochs the history already has")

    params = [p for group in optimizer.param_groups for p in group["params"]]
    per_batch_scheduler = scheduler is not None and not _wants_metric(scheduler)
    n = len(X)
    with tqdm(range(history.epochs, epochs), desc="train", unit="epoch", disable=not progress, leave=False) as bar:
        for epoch in bar:
            model.train()
            loss_sum, correct = 0.0, 0
            for xb, yb in _batches(X, y, batch_size, history.seed, epoch):
                optimizer.zero_grad(set_to_none=True)
                out = model(xb)
                batch_loss = loss_fn(out, yb)
                batch_loss.backward()
                value = batch_loss.item()
                norm = global_grad_norm(params) if record_grad_norms else 0.0
                if not (math.isfinite(value) and math.isfinite(norm)):
                    raise _diverged(
                        model, loss_fn, xb, yb, history=history, step=history.steps + 1, epoch=epoch + 1,
                        value=value, norm=norm, optimizer=optimizer,
                    )
                if clip_value is not None:
                    clip_grad_value_(params, clip_value)
                if clip_norm is not None:
                    clip_grad_norm_(params, clip_norm)
                history.lr.append(float(optimizer.param_groups[0]["lr"]))
                optimizer.step()
                if per_batch_scheduler:
                    scheduler.step()
                history.loss.append(value)
                if record_grad_norms:
                    history.grad_norm.append(norm)
                loss_sum += value * len(yb)
                if loss == "cross_entropy":
                    correct += _accuracy_count(out, yb)
            history.train_loss.append(loss_sum / n)
            if loss == "cross_entropy":
                history.train_acc.append(correct / n)
            if (epoch + 1) % eval_every == 0 or epoch + 1 == epochs:
                monitored = history.train_loss[-1]
                if X_val is not None and len(X_val) > 0:
                    monitored, acc = evaluate(model, X_val, y_val, loss)
                    history.val_epoch.append(epoch + 1)
                    history.val_loss.append(monitored)
                    if acc is not None:
                        history.val_acc.append(acc)
                if scheduler is not None and not per_batch_scheduler:
                    _step_plateau(scheduler, optimizer, monitored)
                bar.set_postfix(loss=f"{history.train_loss[-1]:.4g}", val=f"{monitored:.4g}")
    return history


# --------------------------------------------------------------------------------------------------------
# Checkpoints
# --------------------------------------------------------------------------------------------------------


def _rng_state() -> dict[str, Any]:
    """Python, numpy (legacy global) and torch CPU random states, as plain types ``torch.load`` accepts with
    ``weights_only=True``."""
    name, keys, pos, has_gauss, cached = np.random.get_state()
    return {
        "python": random.getstate(),
        "numpy": (name, keys.tolist(), int(pos), int(has_gauss), float(cached)),
        "torch": torch.get_rng_state(),
    }


def _set_rng_state(state: dict[str, Any]) -> None:
    random.setstate(state["python"])
    name, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((name, np.asarray(keys, dtype=np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(state["torch"])


def save_checkpoint(
    path: str | PathLike,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler: Any = None,
    history: History | None = None,
) -> None:
    """Save everything a bit-for-bit resume needs: the model's, optimizer's and scheduler's ``state_dict``,
    the :class:`History`, and the random state of Python, numpy and torch (taken now)."""
    if scheduler is not None and not hasattr(scheduler, "state_dict"):
        raise ValueError(
            f"scheduler: {type(scheduler).__name__} has no state_dict(), so it cannot be checkpointed; "
            "use a torch scheduler (for example torch.optim.lr_scheduler.ReduceLROnPlateau)"
        )
    torch.save(
        {
            "format": 1,
            "model": model.state_dict(),
            "optimizer": None if optimizer is None else optimizer.state_dict(),
            "scheduler": None if scheduler is None else scheduler.state_dict(),
            "history": None if history is None else history.to_dict(),
            "rng": _rng_state(),
        },
        path,
    )


def load_checkpoint(
    path: str | PathLike,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler: Any = None,
    *,
    restore_rng: bool = True,
) -> History | None:
    """Load a :func:`save_checkpoint` file into freshly built objects (same architecture, same optimizer and
    scheduler types) and restore the random state; return the saved :class:`History` (``None`` if none was
    saved), to pass to ``train(..., history=...)``. Loads with ``weights_only=True`` (no arbitrary code)."""
    state = torch.load(path, weights_only=True)
    for name, obj in (("optimizer", optimizer), ("scheduler", scheduler)):
        if obj is not None and state[name] is None:
            raise ValueError(f"{name}: the checkpoint {str(path)!r} has no {name} state to load")
    model.load_state_dict(state["model"])
    if optimizer is not None:
        optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None:
        scheduler.load_state_dict(state["scheduler"])
    if restore_rng:
        _set_rng_state(state["rng"])
    return None if state["history"] is None else History.from_dict(state["history"])


# --------------------------------------------------------------------------------------------------------
# Learning-rate range test
# --------------------------------------------------------------------------------------------------------

#: How :func:`lr_range_test` turns its curve into one suggested learning rate.
LR_RULES = ("min/10", "steepest")


def _check_beta(beta: Any) -> None:
    if isinstance(beta, bool) or not isinstance(beta, (int, float)) or not 0 <= beta < 1:
        raise ValueError(f"beta must be a number in [0, 1), got {beta!r}")


def smooth(values: Any, beta: float) -> np.ndarray:
    """Exponential moving average with bias correction (the same correction as Adam's):
    ``a_t = beta * a_{t-1} + (1 - beta) * x_t``, ``a_0 = 0``, returns ``a_t / (1 - beta^t)`` for t = 1, 2, ..."""
    _check_beta(beta)
    out, avg = [], 0.0
    for t, x in enumerate(np.asarray(values, dtype=float), start=1):
        avg = beta * avg + (1 - beta) * x
        out.append(avg / (1 - beta**t))
    return np.asarray(out)


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
    loss_fn = _loss_fn(loss)
    start_lr = _check_real("start_lr", start_lr, 0.0, open_low=True)
    end_lr = _check_real("end_lr", end_lr, 0.0, open_low=True)
    if end_lr <= start_lr:
        raise ValueError(f"end_lr must be larger than start_lr, got start_lr={start_lr}, end_lr={end_lr}")
    num_steps = _check_int("num_steps", num_steps, 2)
    batch_size = _check_int("batch_size", batch_size, 1)
    if isinstance(diverge_factor, bool) or not (isinstance(diverge_factor, (int, float)) and diverge_factor > 1):
        raise ValueError(f"diverge_factor must be a number > 1, got {diverge_factor!r}")
    if rule not in LR_RULES:
        raise ValueError(f"rule must be one of {LR_RULES}, got {rule!r}")
    _check_beta(beta)
    X, y, _, _ = _tensors(data, model, loss)

    saved = (copy.deepcopy(model.state_dict()), copy.deepcopy(optimizer.state_dict()), _rng_state(), model.training)
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
            batch_loss = loss_fn(model(xb), yb)
            value = batch_loss.item()
            if not math.isfinite(value):
                diverged = True
                break
            batch_loss.backward()
            optimizer.step()
            raw.append(value)
            smoothed.append(smooth(raw, beta)[-1])
            best = min(best, smoothed[-1])
            if smoothed[-1] > diverge_factor * best:
                diverged = True
                break
    finally:
        if restore:
            model.load_state_dict(saved[0])
            optimizer.load_state_dict(saved[1])
            _set_rng_state(saved[2])
            model.train(saved[3])
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
