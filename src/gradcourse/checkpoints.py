"""Checkpoints that survive an interrupted save and refuse to half-load.

* :func:`save_checkpoint` writes the model's, optimizer's and scheduler's ``state_dict``, the training
  history and the random state to a temporary file *in the same folder*, flushes it to the disk and only
  then renames it over ``path`` (``os.replace``, atomic): a save killed half-way leaves the previous
  checkpoint intact. A SHA-256 checksum of the contents is stored with them.
* :func:`load_checkpoint` reads the file (``weights_only=True``: no code runs), verifies the checksum and
  checks that it fits the objects given (parameter names and shapes, optimizer and scheduler type, parameter
  groups) **before** changing any of them. Anything wrong raises :class:`CheckpointError`, which says what.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from os import PathLike
from typing import Any

import torch
from torch import nn

from gradcourse.seeding import random_state, set_random_state

__all__ = ["FORMAT", "CheckpointError", "load_checkpoint", "save_checkpoint"]

FORMAT = 2
"""Version of the file layout. Format 1 (no checksum, no type names) is still read."""


class CheckpointError(ValueError):
    """The file is not a valid checkpoint, is damaged, or does not fit the objects it is loaded into.
    Nothing was changed when this is raised."""


def _type_name(obj: Any) -> str | None:
    return None if obj is None else f"{type(obj).__module__}.{type(obj).__qualname__}"


def _leaves(obj: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Every tensor and plain value inside nested dicts, lists and tuples, with its path, in a fixed order."""
    if isinstance(obj, dict):
        for key in sorted(obj, key=repr):
            yield from _leaves(obj[key], f"{where}/{key!r}")
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from _leaves(item, f"{where}/{i}")
    else:
        yield where, obj


def _checksum(contents: dict[str, Any]) -> str:
    """SHA-256 over every tensor's dtype, shape and bytes and every other value's repr."""
    digest = hashlib.sha256()
    for where, leaf in _leaves(contents):
        digest.update(where.encode())
        if isinstance(leaf, torch.Tensor):
            t = leaf.detach().to("cpu").contiguous()
            digest.update(f"{t.dtype}{tuple(t.shape)}".encode())
            digest.update(t.reshape(-1).view(torch.uint8).numpy().tobytes())
        else:
            digest.update(repr(leaf).encode())
    return digest.hexdigest()


def save_checkpoint(
    path: str | PathLike,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler: Any = None,
    history: Any = None,
) -> None:
    """Save everything a bit-for-bit resume needs: the model's, optimizer's and scheduler's ``state_dict``,
    the history (a :class:`gradcourse.train.History`), and the random state of Python, numpy and torch
    (taken now). The file at ``path`` is replaced atomically: it is either the old checkpoint or the new one,
    never a mixture, whenever the save is interrupted."""
    if scheduler is not None and not hasattr(scheduler, "state_dict"):
        raise ValueError(
            f"scheduler: {type(scheduler).__name__} has no state_dict(), so it cannot be checkpointed; "
            "use a torch scheduler (for example torch.optim.lr_scheduler.ReduceLROnPlateau)"
        )
    contents = {
        "model": model.state_dict(),
        "optimizer": None if optimizer is None else optimizer.state_dict(),
        "optimizer_type": _type_name(optimizer),
        "scheduler": None if scheduler is None else scheduler.state_dict(),
        "scheduler_type": _type_name(scheduler),
        "history": None if history is None else history.to_dict(),
        "rng": random_state(),
    }
    folder, name = os.path.split(os.path.abspath(os.fspath(path)))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".partial")
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o644)  # mkstemp's 0600 would make the checkpoint private to its owner
        with os.fdopen(fd, "wb") as f:
            torch.save({"format": FORMAT, "sha256": _checksum(contents), **contents}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read(path: str | PathLike) -> dict[str, Any]:
    """The file's contents, or CheckpointError saying why it is not a checkpoint (a missing file stays a
    FileNotFoundError)."""
    bad = f"{os.fspath(path)!r} is not a valid gradcourse checkpoint"
    try:
        state = torch.load(path, weights_only=True, map_location="cpu")
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise
    except Exception as err:  # truncated, empty, garbage, text, a pickle of arbitrary objects: torch's errors vary
        raise CheckpointError(
            f"{bad}: it cannot be read ({type(err).__name__}: {str(err).splitlines()[0] if str(err) else '-'}). "
            "It may be truncated (an interrupted copy or download) or another kind of file; save it again "
            "with gradcourse.train.save_checkpoint."
        ) from None
    if not isinstance(state, dict) or state.get("format") not in (1, FORMAT) or "model" not in state:
        raise CheckpointError(f"{bad}: it was not written by gradcourse.train.save_checkpoint")
    if state["format"] == FORMAT:
        stored = state.pop("sha256", None)
        contents = {k: v for k, v in state.items() if k != "format"}
        if stored != _checksum(contents):
            raise CheckpointError(
                f"{os.fspath(path)!r} is damaged: its contents do not match the checksum stored in it (bytes "
                "changed on disk or in a copy). Use an earlier checkpoint."
            )
    return state


def _check_model(path: str | PathLike, saved: dict[str, torch.Tensor], model: nn.Module) -> None:
    own = model.state_dict()
    missing = [k for k in own if k not in saved]
    unexpected = [k for k in saved if k not in own]
    reshaped = [
        f"{k}: saved {tuple(saved[k].shape)}, model {tuple(own[k].shape)}"
        for k in own
        if k in saved and tuple(saved[k].shape) != tuple(own[k].shape)
    ]
    problems = []
    if missing:
        problems.append(f"missing from the checkpoint: {missing[:4]}")
    if unexpected:
        problems.append(f"not in the model: {unexpected[:4]}")
    if reshaped:
        problems.append(f"different shapes: {reshaped[:4]}")
    if problems:
        raise CheckpointError(
            f"model: the checkpoint {os.fspath(path)!r} was saved from another architecture ("
            + "; ".join(problems)
            + "). Build the model exactly as when it was saved; nothing was loaded."
        )


def _check_optimizer(path: str | PathLike, state: dict[str, Any], optimizer: torch.optim.Optimizer) -> None:
    where = f"optimizer: the checkpoint {os.fspath(path)!r}"
    saved_type = state.get("optimizer_type")
    if saved_type is not None and saved_type != _type_name(optimizer):
        raise CheckpointError(
            f"{where} holds the state of a {saved_type}, not of a {_type_name(optimizer)}; build the same "
            "optimizer as when it was saved. Nothing was loaded."
        )
    saved_groups = [len(g["params"]) for g in state["optimizer"]["param_groups"]]
    own_groups = [len(g["params"]) for g in optimizer.param_groups]
    if saved_groups != own_groups:
        raise CheckpointError(
            f"{where} has parameter groups of sizes {saved_groups}, the optimizer {own_groups}; build it over "
            "the same parameters in the same groups. Nothing was loaded."
        )
    params = [p for g in optimizer.param_groups for p in g["params"]]
    ids = [i for g in state["optimizer"]["param_groups"] for i in g["params"]]
    for index, p in zip(ids, params, strict=True):
        for key, value in state["optimizer"]["state"].get(index, {}).items():
            if isinstance(value, torch.Tensor) and value.ndim > 0 and value.shape != p.shape:
                raise CheckpointError(
                    f"{where} has state {key!r} of shape {tuple(value.shape)} for a parameter of shape "
                    f"{tuple(p.shape)}. Nothing was loaded."
                )


def load_checkpoint(
    path: str | PathLike,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler: Any = None,
    *,
    restore_rng: bool = True,
) -> Any:
    """Load a :func:`save_checkpoint` file into freshly built objects (same architecture, same optimizer and
    scheduler types) and restore the random state; return the saved :class:`gradcourse.train.History`
    (``None`` if none was saved), to pass to ``train(..., history=...)``.

    Everything is checked before anything changes: a file that is not a checkpoint, a damaged one (checksum),
    or one that does not fit ``model``, ``optimizer`` or ``scheduler`` raises :class:`CheckpointError` and
    leaves them as they were. Loads with ``weights_only=True`` (no arbitrary code)."""
    from gradcourse.train import History  # train imports this module

    state = _read(path)
    for name, obj in (("optimizer", optimizer), ("scheduler", scheduler)):
        if obj is not None and state.get(name) is None:
            raise CheckpointError(f"{name}: the checkpoint {os.fspath(path)!r} has no {name} state to load")
    _check_model(path, state["model"], model)
    if optimizer is not None:
        _check_optimizer(path, state, optimizer)
    saved_type = state.get("scheduler_type")
    if scheduler is not None and saved_type is not None and saved_type != _type_name(scheduler):
        raise CheckpointError(
            f"scheduler: the checkpoint {os.fspath(path)!r} holds a {saved_type}, not a {_type_name(scheduler)}"
        )
    try:
        history = None if state["history"] is None else History.from_dict(state["history"])
    except TypeError as err:
        raise CheckpointError(f"history: the checkpoint {os.fspath(path)!r} has a malformed history ({err})") from None
    model.load_state_dict(state["model"])
    if optimizer is not None:
        optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None:
        scheduler.load_state_dict(state["scheduler"])
    if restore_rng:
        set_random_state(state["rng"])
    return history
