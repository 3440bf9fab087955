"""Data-parallel training on one machine: a worker, and a launcher that always cleans up after it.

Data parallelism runs the *same* model in W processes ("workers", numbered by their **rank** 0 … W−1). Each
step, every worker takes its own B examples, computes its gradient, and the workers then **average** their
gradients (an all-reduce) before each takes the same optimizer step. Because the loss is a mean over
examples, the average of W means over B examples is the mean over all W·B examples:

    g = (1/W) Σ_r g_r,    g_r = (1/B) Σ_{i ∈ batch of rank r} ∇ℓ_i(θ)    ⇒    g = (1/(W·B)) Σ_{i ∈ all W·B} ∇ℓ_i(θ)

so W workers with batch B take exactly the steps of one process with batch W·B — up to the order in which
floating-point numbers are added (about 1e-7 relative in float32, 1e-16 in float64).

This module uses PyTorch's own engine for it: ``torch.distributed`` with the **gloo** backend (CPU) and
``DistributedDataParallel`` (DDP), which starts the all-reduce of each gradient bucket while backward is
still running. Everything talks over the loopback address 127.0.0.1 only.

* :func:`train_data_parallel` — the training function each worker runs (a small MLP on the digits). Run
  without a process group it is the one-process reference.
* :func:`launch` — start W worker processes, collect their results, and stop every one of them whatever
  happens (an exception in a worker, a worker that dies, a hang: :class:`WorkerError` or ``TimeoutError``,
  and no process is left behind).
* :func:`main` — the same training as a command-line script for ``torchrun``, which starts the workers on
  one or many machines (see :data:`TORCHRUN_EXAMPLE`).

How :func:`launch` works: it hosts the **rendezvous store** (``torch.distributed.TCPStore``, the small
key-value server through which the workers find each other) on a port the operating system picks, and
starts the workers with PyTorch's ``torch.multiprocessing.start_processes`` ("forkserver", or "spawn" where
there is none). Each worker makes itself the leader of its own **process group** (so that whatever it starts
can be ended with it), joins the gloo group, runs ``fn(*args)``, writes its result or its exception to a
file the launcher reads, and waits until every rank has returned before it leaves the group (a rank that
left early would break the connections of a peer still inside a collective). On the first failure, at the
deadline, or when the launcher itself is interrupted, every worker's process group is terminated and then
killed. A worker whose launcher dies (even by ``kill -9``) ends its process group itself: it watches a
"lifeline" pipe that only the launcher holds open.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import pickle
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from torch.multiprocessing import ProcessContext, ProcessExitedException, ProcessRaisedException, start_processes

from gradcourse._validate import choice, instance, integer, real

__all__ = [
    "HOST",
    "TORCHRUN_EXAMPLE",
    "DataParallelConfig",
    "DataParallelResult",
    "WorkerError",
    "launch",
    "main",
    "train_data_parallel",
]

HOST = "127.0.0.1"
"""The only address the launcher uses: the loopback interface, reachable from this machine only."""

TORCHRUN_EXAMPLE = """\
# On each of 2 machines (node-rank 0 and 1), 4 worker processes each: 8 workers in all.
# 10.0.0.1 is machine 0's address on the network the machines share; port 29500 must be open between them.
GLOO_SOCKET_IFNAME=eth0 torchrun --nnodes=2 --nproc-per-node=4 --node-rank=0 \\
    --master-addr=10.0.0.1 --master-port=29500 -m gradcourse.distributed --batch-size 32 --epochs 3
GLOO_SOCKET_IFNAME=eth0 torchrun --nnodes=2 --nproc-per-node=4 --node-rank=1 \\
    --master-addr=10.0.0.1 --master-port=29500 -m gradcourse.distributed --batch-size 32 --epochs 3
"""
"""How the training of :func:`train_data_parallel` runs on several machines with ``torchrun`` (text only)."""

# What the fork server imports once for all workers. torch._dynamo is imported by torch on the first
# construction of any optimizer (about 2 s of CPU); importing it here spares every worker that cost.
_PRELOAD = [__name__, "torch._dynamo", "torch.nn.parallel", "gradcourse.nets", "gradcourse.optim"]
_GRACE = 0.5  # seconds the other workers get to report after the first error (to name the first one)
_STOP = 1.0  # seconds a process group gets to exit after SIGTERM before it is killed
_SLACK = 3600.0  # added to the workers' own (gloo, store) timeouts: the launcher's deadline always comes first


# --------------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------------


class WorkerError(RuntimeError):
    """A worker process raised an exception or died. Every other worker has been stopped.

    Attributes: ``rank`` (which worker, 0-based), ``world_size``, ``exc_type`` (the name of the exception's
    class, or ``None`` if the process died without raising one), ``exitcode`` (for a process that died) and
    ``remote_traceback`` (the worker's traceback as text, ``""`` if there is none).
    """

    def __init__(self, message: str, *, rank: int, world_size: int, exc_type: str | None = None,
                 exitcode: int | None = None, remote_traceback: str = "") -> None:
        super().__init__(message)
        self.rank = rank
        self.world_size = world_size
        self.exc_type = exc_type
        self.exitcode = exitcode
        self.remote_traceback = remote_traceback


# --------------------------------------------------------------------------------------------------------
# Inside a worker
# --------------------------------------------------------------------------------------------------------


def _loopback_interface() -> str | None:
    """The name of the loopback network interface ("lo" on Linux, "lo0" on macOS), or None if not found."""
    try:
        names = {name for _, name in socket.if_nameindex()}
    except OSError:
        return None
    return next((name for name in ("lo", "lo0") if name in names), None)


def _own_process_group(lifeline: Connection) -> None:
    """Make this worker the leader of a new process group, and end the whole group (this worker and every
    process it started) as soon as the launcher is gone — even if it was killed outright and no cleanup of
    its ran.

    ``lifeline`` is the reading end of a pipe whose writing end only the launcher holds. Nothing is ever
    sent on it; reading blocks until the launcher closes it, or the operating system does because the
    launcher died. (The worker's parent process is the fork server, which does not exit while workers run,
    so watching the parent would not do.)
    """
    group = hasattr(os, "setpgid")
    if group:
        os.setpgid(0, 0)

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            lifeline.recv()
        if group:
            os.killpg(0, signal.SIGKILL)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-launcher", daemon=True).start()


def _post(outbox: str, rank: int, report: tuple) -> None:
    """Write this worker's report where the launcher reads it (whole or not at all: rename is atomic)."""
    tmp = os.path.join(outbox, f"{rank}.partial")
    with open(tmp, "wb") as f:
        pickle.dump(report, f)
    os.replace(tmp, os.path.join(outbox, f"{rank}.report"))


def _error_report(err: BaseException) -> tuple:
    """The report of an exception: ("error", time, class name, text, traceback)."""
    return ("error", time.time(), type(err).__name__, str(err), traceback.format_exc())


def _worker(rank: int, world_size: int, port: int, timeout: float, fn: Callable[..., Any], args: tuple,
            outbox: str, lifeline: Connection) -> None:
    """The body of worker process ``rank`` (called by torch's ``start_processes``): own process group, join
    the gloo group, run ``fn(*args)``, report, wait for the other ranks, leave."""
    _own_process_group(lifeline)
    torch.set_num_threads(1)  # W workers share the cores: one thread each
    if "GLOO_SOCKET_IFNAME" not in os.environ and (loopback := _loopback_interface()) is not None:
        os.environ["GLOO_SOCKET_IFNAME"] = loopback  # gloo's own connections on 127.0.0.1 too
    limit = timedelta(seconds=timeout + _SLACK)
    try:
        store = dist.TCPStore(HOST, port, world_size, is_master=False, timeout=limit)
        dist.init_process_group("gloo", store=store, rank=rank, world_size=world_size, timeout=limit)
        result = fn(*args)
    except BaseException as err:
        _post(outbox, rank, _error_report(err))  # before leaving: the launcher orders failures by time
        raise
    try:
        _post(outbox, rank, ("ok", time.time(), result))
    except Exception as err:  # e.g. a result that cannot be pickled
        report = _error_report(err)
        text = f"the result of {getattr(fn, '__name__', fn)!r} could not be sent back to the launcher: {err}"
        _post(outbox, rank, (*report[:3], text, report[4]))
        raise
    store.set(f"gradcourse/returned/{rank}", "1")
    store.wait([f"gradcourse/returned/{r}" for r in range(world_size)])
    dist.destroy_process_group()


# --------------------------------------------------------------------------------------------------------
# The launcher
# --------------------------------------------------------------------------------------------------------


def _start_method() -> str:
    """"forkserver" where the platform has it, else "spawn".

    Both start workers that share no threads or locks with the launcher (plain "fork" of a process that
    runs torch's thread pools can deadlock). The fork server imports torch, this module and what the
    training needs (``_PRELOAD``) once, the first time a worker is needed, and every worker is a copy of it:
    launching is then fast. It exits when the launcher's process does.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        multiprocessing.get_context("forkserver").set_forkserver_preload(_PRELOAD)
        return "forkserver"
    return "spawn"


def _check_sendable(fn: Callable[..., Any], args: tuple) -> None:
    """Workers are new Python processes that import ``fn`` by name and receive ``args`` pickled: say so
    now, instead of a PicklingError (or a worker that cannot find ``fn``) later."""
    main = sys.modules.get("__main__")
    if getattr(fn, "__module__", None) == "__main__" and not hasattr(main, "__file__"):
        raise ValueError(
            f"fn: {getattr(fn, '__qualname__', fn)!r} is defined in a notebook cell or an interactive session, "
            "which the worker processes cannot import; put it in a .py module and import it from there"
        )
    try:
        pickle.dumps(fn)
    except Exception as err:
        raise ValueError(
            f"fn must be a function defined at the top level of a module (the workers import it by name); "
            f"{getattr(fn, '__qualname__', fn)!r} is not ({type(err).__name__}: {err}). A lambda or a function "
            "defined inside another function cannot be sent to a worker"
        ) from None
    try:
        pickle.dumps(args)
    except Exception as err:
        raise ValueError(f"args must be picklable to reach the workers: {type(err).__name__}: {err}") from None


def launch(fn: Callable[..., Any], world_size: int = 2, *, args: tuple = (), timeout: float = 60.0) -> list[Any]:
    """Run ``fn(*args)`` in ``world_size`` new processes joined in one gloo process group; return their results.

    Inside ``fn``, ``torch.distributed`` is ready to use: ``dist.get_rank()`` is the worker's number r
    (0 … W−1), ``dist.get_world_size()`` is W, and ``DistributedDataParallel`` or ``dist.all_reduce`` work.
    The result is the list ``[result of worker 0, result of worker 1, …]``.

    ``fn`` must be importable by name (defined at the top level of a module, not a lambda and not in a
    notebook cell), because each worker is a new Python process that imports it; ``args`` and the results
    must be picklable (numpy arrays, numbers, dataclasses of those). A *script* that calls ``launch`` must
    do so under ``if __name__ == "__main__":`` — the workers import the script's module, and without the
    guard each of them would call ``launch`` again.

    Cleanup is guaranteed: if a worker raises, the others are stopped and :class:`WorkerError` says which
    worker failed, with what, and its traceback; a worker that dies without answering also gives a
    :class:`WorkerError`; if the workers have not all finished after ``timeout`` seconds (for example one
    waits forever in an all-reduce for a peer that already returned, or the ranks run different numbers of
    collectives) every worker is stopped and ``TimeoutError`` is raised. Stopping is hard: SIGTERM, then
    SIGKILL one second later, to each worker's whole process group, so processes a worker started end with
    it. All connections use 127.0.0.1; the port is chosen by the operating system.
    """
    if not callable(fn):
        raise ValueError(f"fn must be a function to run in every worker, got {fn!r}")
    world_size = integer("world_size", world_size, 1)
    timeout = real("timeout", timeout, 0.0, open_low=True, allowed="a finite number of seconds > 0")
    instance("args", args, tuple, "a tuple of arguments for fn")
    _check_sendable(fn, args)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind((HOST, 0))  # port 0: the operating system picks a free port
        listener.listen()
        port = listener.getsockname()[1]
        store = dist.TCPStore(HOST, port, world_size, is_master=True, timeout=timedelta(seconds=timeout + _SLACK),
                              wait_for_workers=False, master_listen_fd=listener.fileno())
    except BaseException:
        listener.close()
        raise
    listener.detach()  # the store owns the listening socket now and closes it when it is destroyed

    lifeline_reader, lifeline_writer = multiprocessing.Pipe(duplex=False)  # only we write: closing ends them
    with tempfile.TemporaryDirectory(prefix="gradcourse-launch-") as outbox:
        context: ProcessContext | None = None
        try:
            context = start_processes(_worker, args=(world_size, port, timeout, fn, args, outbox, lifeline_reader),
                                      nprocs=world_size, join=False, start_method=_start_method())
            return _wait(context, outbox, world_size, timeout)
        finally:
            lifeline_writer.close()
            if context is not None:
                _end(context)
            lifeline_reader.close()
            del store


def _reports(outbox: str, world_size: int) -> dict[int, tuple]:
    out = {}
    for rank in range(world_size):
        with contextlib.suppress(FileNotFoundError):
            with open(os.path.join(outbox, f"{rank}.report"), "rb") as f:
                out[rank] = pickle.load(f)
    return out


def _wait(context: ProcessContext, outbox: str, world_size: int, timeout: float) -> list[Any]:
    """Wait for every worker; raise on the first failure or at the deadline."""
    deadline = time.monotonic() + timeout
    try:
        while not context.join(timeout=max(0.0, deadline - time.monotonic()), grace_period=_GRACE):
            if time.monotonic() >= deadline:
                raise _timeout_error(outbox, world_size, timeout)
    except (ProcessRaisedException, ProcessExitedException) as exc:
        raise _failure(context, exc.error_index, _reports(outbox, world_size), world_size) from None
    reports = _reports(outbox, world_size)
    for rank in range(world_size):  # all exited with code 0; a KeyboardInterrupt in fn does that too
        if reports.get(rank, ("",))[0] != "ok":
            raise _failure(context, rank, reports, world_size)
    return [reports[rank][2] for rank in range(world_size)]


def _failure(context: ProcessContext, rank: int, reports: dict[int, tuple], world_size: int) -> WorkerError:
    """The error for the first failure. torch names the first worker that *exited* badly; if that one raised,
    the earliest exception of all is the cause (the others then fail because a peer left)."""
    if reports.get(rank, ("",))[0] == "error":
        _, rank = min((r[1], k) for k, r in reports.items() if r[0] == "error")
        _, _, exc_type, text, tb = reports[rank]
        return WorkerError(
            f"worker {rank} of {world_size} raised {exc_type}: {text}\n"
            f"The launcher stopped the other worker(s); no worker process is left running.\n"
            f"--- traceback in worker {rank} ---\n{tb}",
            rank=rank, world_size=world_size, exc_type=exc_type, remote_traceback=tb,
        )
    code = context.processes[rank].exitcode
    return WorkerError(
        f"worker {rank} of {world_size} exited with code {code} without reporting a result (killed by a "
        f"signal if negative, e.g. -9 = out of memory). The launcher stopped the other worker(s); no worker "
        f"process is left running.",
        rank=rank, world_size=world_size, exitcode=code,
    )


def _timeout_error(outbox: str, world_size: int, timeout: float) -> TimeoutError:
    returned = sorted(rank for rank, r in _reports(outbox, world_size).items() if r[0] == "ok")
    missing = [rank for rank in range(world_size) if rank not in returned]
    waiting = f" (worker(s) {returned} had returned and were waiting for them)" if returned else ""
    return TimeoutError(
        f"worker(s) {missing} of {world_size} did not finish within timeout={timeout:g} s{waiting}; every worker "
        f"was stopped. A worker that waits in a collective (all-reduce) for a peer that never joins it hangs: "
        f"check that every rank runs the same number of steps and collectives, or give a larger timeout."
    )


def _signal_groups(context: ProcessContext, sig: int) -> None:
    for p in context.processes:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if hasattr(os, "killpg"):
                os.killpg(p.pid, sig)  # the worker's group: the worker and everything it started
            else:  # pragma: no cover - Windows
                p.kill()


def _end(context: ProcessContext) -> None:
    """Stop every worker's process group (SIGTERM, then SIGKILL after ``_STOP`` s), reap the workers and
    remove torch's error files."""
    _signal_groups(context, signal.SIGTERM)
    stop_at = time.monotonic() + _STOP
    for p in context.processes:
        p.join(max(0.0, stop_at - time.monotonic()))
    _signal_groups(context, signal.SIGKILL)
    for p in context.processes:
        p.join()
    for path in context.error_files:
        with contextlib.suppress(FileNotFoundError, TypeError):
            os.unlink(path)


# --------------------------------------------------------------------------------------------------------
# The worker: data-parallel training of a small MLP on the digits
# --------------------------------------------------------------------------------------------------------

_DTYPES = {"float32": torch.float32, "float64": torch.float64}


@dataclass(frozen=True)
class DataParallelConfig:
    """Settings of :func:`train_data_parallel`.

    ``batch_size`` is the batch of *one* worker (B); with W workers a step uses W·B examples. The training
    set is the first ``n_examples`` examples of the data given to :func:`train_data_parallel` (by default
    the training digits of ``gradcourse.data.digits(seed=seed)``); the model is
    ``gradcourse.nets.mlp(64, 10, depth=1, width=width, seed=seed)`` trained by ``gradcourse.optim.SGD``
    (``lr``, ``momentum``) with the cross-entropy loss for ``epochs`` epochs. ``synchronize=False``
    trains without DDP: each worker then learns alone from its share of the data (to show what the
    gradient averaging does).
    """

    batch_size: int = 32
    epochs: int = 1
    lr: float = 0.1
    momentum: float = 0.0
    n_examples: int = 1024
    width: int = 32
    seed: int = 0
    dtype: str = "float32"
    synchronize: bool = True

    def __post_init__(self) -> None:
        for name in ("batch_size", "epochs", "n_examples", "width"):
            integer(name, getattr(self, name), 1)
        integer("seed", self.seed)
        real("lr", self.lr, 0.0, open_low=True)
        real("momentum", self.momentum, 0.0, 1.0, open_high=True)
        choice("dtype", self.dtype, tuple(_DTYPES))


@dataclass
class DataParallelResult:
    """What one worker (or the one-process run) ends with.

    ``params``: the final parameters by name (``"blocks.0.linear.weight"`` …), numpy arrays; ``losses``: the
    worker's own mini-batch loss at each step; ``batches``: for each step, the indices (into the first
    ``n_examples`` training digits) of the examples this worker used.
    """

    rank: int
    world_size: int
    config: dict[str, Any]
    params: dict[str, np.ndarray] = field(default_factory=dict)
    losses: list[float] = field(default_factory=list)
    batches: list[np.ndarray] = field(default_factory=list)


def train_data_parallel(config: DataParallelConfig, data: tuple[np.ndarray, np.ndarray] | None = None
                        ) -> DataParallelResult:
    """Train the digits MLP of ``config``; as one worker of a process group, or alone if there is none.

    ``data`` is ``(X, y)``, the training inputs (n, 64) and labels (n,); by default the training digits of
    ``gradcourse.data.digits(seed=config.seed)``. Passing them in saves every worker from loading them (and
    from importing scikit-learn); the first ``config.n_examples`` rows are used.

    In a process group of W workers (inside :func:`launch` or ``torchrun``) the model is wrapped in
    ``DistributedDataParallel``: at construction DDP copies rank 0's parameters to every worker, and during
    ``loss.backward()`` it all-reduces the gradients and divides by W, so every worker holds the *average*
    gradient and takes the same step. The data are split by ``DistributedSampler``: each epoch one
    permutation of the examples (seeded by ``seed + epoch``, the same on every worker), of which worker r
    takes positions r, r + W, r + 2W, … . Step k of worker r therefore uses positions r, r + W, … inside the
    block [k·W·B, (k+1)·W·B) of the permutation, and the W workers together use exactly the batch that one
    process with batch size W·B uses at step k.

    Without a process group (a plain call) this is that one process: W = 1, no DDP.
    """
    from torch.nn.parallel import DistributedDataParallel
    from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

    from gradcourse import nets
    from gradcourse.data import digits
    from gradcourse.optim import SGD

    instance("config", config, DataParallelConfig, "a DataParallelConfig")
    distributed = dist.is_available() and dist.is_initialized()
    rank, world_size = (dist.get_rank(), dist.get_world_size()) if distributed else (0, 1)
    if data is None:
        split = digits(seed=config.seed)
        data = (split.X_train, split.y_train)
    X_all, y_all = (np.asarray(a) for a in data)
    if X_all.ndim != 2 or X_all.shape[1] != 64 or y_all.shape != (len(X_all),):
        raise ValueError(f"data must be (X, y) with X of shape (n, 64) and y of shape (n,), got X of shape "
                         f"{X_all.shape} and y of shape {y_all.shape}")
    n = config.n_examples
    if n > len(X_all):
        raise ValueError(f"n_examples must be at most {len(X_all)} (the number of examples in data), got {n}")
    if n % world_size:
        raise ValueError(
            f"n_examples={n} must be divisible by the number of workers {world_size}, so that every worker gets "
            f"the same number of examples (DistributedSampler would otherwise repeat some)"
        )
    dtype = _DTYPES[config.dtype]
    X = torch.from_numpy(np.ascontiguousarray(X_all[:n])).to(dtype)
    y = torch.from_numpy(np.ascontiguousarray(y_all[:n])).long()
    dataset = TensorDataset(X, y, torch.arange(n))

    torch.manual_seed(config.seed)
    model = nets.mlp(64, 10, depth=1, width=config.width, seed=config.seed, dtype=dtype)
    net = DistributedDataParallel(model) if distributed and config.synchronize else model
    optimizer = SGD(net.parameters(), lr=config.lr, momentum=config.momentum)
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=config.seed)
    loader = DataLoader(dataset, batch_size=config.batch_size, sampler=sampler)

    result = DataParallelResult(rank=rank, world_size=world_size, config=asdict(config))
    for epoch in range(config.epochs):
        sampler.set_epoch(epoch)  # a new permutation each epoch, the same on every worker
        for xb, yb, idx in loader:
            optimizer.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(net(xb), yb)
            loss.backward()  # under DDP: gradients all-reduced (averaged) across the workers here
            optimizer.step()
            result.losses.append(loss.item())
            result.batches.append(idx.numpy().copy())
    result.params = {name: p.detach().numpy().copy() for name, p in model.named_parameters()}
    return result


# --------------------------------------------------------------------------------------------------------
# Command line, for torchrun
# --------------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m gradcourse.distributed`` under ``torchrun``: train with :func:`train_data_parallel`.

    ``torchrun`` starts the processes and gives each one its place through environment variables (``RANK``,
    ``WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT`` …); ``init_process_group("gloo")`` reads them. Run
    without ``torchrun`` (no ``RANK`` set) it trains in this one process. See :data:`TORCHRUN_EXAMPLE`.
    """
    parser = argparse.ArgumentParser(prog="python -m gradcourse.distributed", description=main.__doc__)
    parser.add_argument("--batch-size", type=int, default=32, help="examples per worker per step (B)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--momentum", type=float, default=0.0)
    parser.add_argument("--n-examples", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=0)
    ns = parser.parse_args(argv)
    config = DataParallelConfig(batch_size=ns.batch_size, epochs=ns.epochs, lr=ns.lr, momentum=ns.momentum,
                                n_examples=ns.n_examples, seed=ns.seed)
    joined = "RANK" in os.environ
    if joined:
        dist.init_process_group("gloo")
    try:
        result = train_data_parallel(config)
    finally:
        if joined:
            dist.destroy_process_group()
    if result.rank == 0:
        total = sum(float(np.abs(p).sum()) for p in result.params.values())
        print(f"{result.world_size} worker(s), {len(result.losses)} steps of {result.world_size}×{config.batch_size} "
              f"examples; last loss {result.losses[-1]:.4f}; sum of |θ| = {total:.6f}")


if __name__ == "__main__":
    main()
