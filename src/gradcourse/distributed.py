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

How :func:`launch` works, in the order it happens:

1. It opens a listening socket on 127.0.0.1 with port 0 (the operating system picks a free port, with no race
   against other programs) and hosts the **rendezvous store** there: a small key-value server
   (``torch.distributed.TCPStore``) through which the workers find each other. ``torchrun``'s agent plays
   this part on a cluster.
2. It starts W new Python processes (``multiprocessing`` "forkserver", or "spawn" where there is no fork
   server: both safe with threads and inside Jupyter). Each joins the process group through the store, runs
   ``fn(*args)``, leaves the group (``destroy_process_group``) and sends back its result, or its exception
   with the traceback, through a pipe.
3. It waits for all results. On the first error, a worker that exits without an answer, or the deadline, it
   stops the other workers (terminate, then kill) and raises. A worker also exits by itself when the launcher
   dies (each holds the reading end of a "lifeline" pipe that only the launcher writes to), so no worker can
   outlive it.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from multiprocessing.connection import Connection, wait
from typing import Any

import numpy as np
import torch
import torch.distributed as dist

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
_GRACE = 0.5  # seconds to collect the other workers' reports after the first error (to name the first one)
_STOP = 5.0  # seconds a worker gets to exit after terminate() before it is killed


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
# The launcher
# --------------------------------------------------------------------------------------------------------


def _check_int(value: Any, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_positive_number(value: Any, name: str) -> float:
    ok = not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value) and value > 0
    if not ok:
        raise ValueError(f"{name} must be a finite number of seconds > 0, got {value!r}")
    return float(value)


def _loopback_interface() -> str | None:
    """The name of the loopback network interface ("lo" on Linux, "lo0" on macOS), or None if not found."""
    try:
        names = {name for _, name in socket.if_nameindex()}
    except OSError:
        return None
    return next((name for name in ("lo", "lo0") if name in names), None)


def _exit_with_launcher(lifeline: Connection) -> None:
    """Start a watchdog thread that ends this worker as soon as the launcher is gone.

    ``lifeline`` is the reading end of a pipe whose writing end only the launcher holds. Nothing is ever
    sent on it; reading blocks until the launcher closes it, or the operating system does because the
    launcher died. This is what guarantees that no worker outlives a launcher killed outright (``kill -9``),
    when no ``finally`` block of the launcher can run.
    """

    def watch() -> None:
        try:
            lifeline.recv()
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-launcher", daemon=True).start()


def _bootstrap(rank: int, world_size: int, port: int, timeout: float, fn: Callable[..., Any],
               args: tuple, conn: Connection, lifeline: Connection) -> None:
    """The body of worker process ``rank``: join the group, run ``fn(*args)``, leave, report.

    The report is one message on ``conn``: ``("ok", time, result)`` or
    ``("error", time, exception class name, message, traceback)``.
    """
    _exit_with_launcher(lifeline)
    torch.set_num_threads(1)  # W workers share the cores: one thread each
    if "GLOO_SOCKET_IFNAME" not in os.environ and (loopback := _loopback_interface()) is not None:
        os.environ["GLOO_SOCKET_IFNAME"] = loopback  # gloo's own connections on 127.0.0.1 too
    limit = timedelta(seconds=timeout)
    message: tuple | None = None
    try:
        store = dist.TCPStore(HOST, port, world_size, is_master=False, timeout=limit)
        dist.init_process_group("gloo", store=store, rank=rank, world_size=world_size, timeout=limit)
        try:
            message = ("ok", time.time(), fn(*args))
        except BaseException as err:
            # Take the time *before* leaving the group: leaving closes the connections, which makes the other
            # workers fail too, and the launcher must be able to tell which failure came first.
            message = _error_report(err)
            raise
        finally:
            dist.destroy_process_group()
    except BaseException as err:  # every failure, even KeyboardInterrupt, goes to the launcher
        message = message if message is not None and message[0] == "error" else _error_report(err)
    try:
        conn.send(message)
    except Exception as err:  # e.g. a result that cannot be pickled
        report = _error_report(err)
        text = f"the result of {getattr(fn, '__name__', fn)!r} could not be sent back to the launcher: {err}"
        conn.send((*report[:3], text, report[4]))
    finally:
        conn.close()


def _error_report(err: BaseException) -> tuple:
    """The message a worker sends for an exception: ("error", time, class name, text, traceback)."""
    return ("error", time.time(), type(err).__name__, str(err), traceback.format_exc())


def _context() -> multiprocessing.context.BaseContext:
    """How worker processes are started: "forkserver" where the platform has it, else "spawn".

    Both start workers that share no threads or locks with the launcher (plain "fork" of a process that
    runs torch's thread pools can deadlock). The fork server imports torch, this module and what the
    training needs (``_PRELOAD``) once, the first time a worker is needed, and every worker is a copy of it:
    launching is then fast. It exits when the launcher's process does.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _stop(processes: Sequence[multiprocessing.process.BaseProcess]) -> None:
    """Terminate every process still running, wait for it, and kill it if it does not exit."""
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(_STOP)
        if p.is_alive():
            p.kill()
            p.join(_STOP)


def _worker_error(rank: int, world_size: int, report: tuple) -> WorkerError:
    _, _, exc_type, text, tb = report
    return WorkerError(
        f"worker {rank} of {world_size} raised {exc_type}: {text}\n"
        f"The launcher stopped the other worker(s); no worker process is left running.\n"
        f"--- traceback in worker {rank} ---\n{tb}",
        rank=rank, world_size=world_size, exc_type=exc_type, remote_traceback=tb,
    )


def launch(fn: Callable[..., Any], world_size: int = 2, *, args: tuple = (), timeout: float = 60.0) -> list[Any]:
    """Run ``fn(*args)`` in ``world_size`` new processes joined in one gloo process group; return their results.

    Inside ``fn``, ``torch.distributed`` is ready to use: ``dist.get_rank()`` is the worker's number r
    (0 … W−1), ``dist.get_world_size()`` is W, and ``DistributedDataParallel`` or ``dist.all_reduce`` work.
    The result is the list ``[result of worker 0, result of worker 1, …]``.

    ``fn`` must be importable by name (defined in a module, not in a notebook cell), because each worker is a
    new Python process that imports it; ``args`` and the results must be picklable (numpy arrays,
    numbers, dataclasses of those).

    Cleanup is guaranteed: if a worker raises, the others are stopped and :class:`WorkerError` says which
    worker failed, with what, and its traceback; a worker that dies without answering also gives a
    :class:`WorkerError`; if the workers have not all finished after ``timeout`` seconds (for example one
    waits forever in an all-reduce for a peer that already returned) every worker is stopped and
    ``TimeoutError`` is raised. ``timeout`` also bounds each collective operation inside the workers. All
    connections use 127.0.0.1; the port is chosen by the operating system.
    """
    if not callable(fn):
        raise ValueError(f"fn must be a function to run in every worker, got {fn!r}")
    world_size = _check_int(world_size, "world_size")
    timeout = _check_positive_number(timeout, "timeout")
    if not isinstance(args, tuple):
        raise ValueError(f"args must be a tuple of arguments for fn, got {type(args).__name__}")

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind((HOST, 0))  # port 0: the operating system picks a free port
        listener.listen()
        port = listener.getsockname()[1]
        store = dist.TCPStore(HOST, port, world_size, is_master=True, timeout=timedelta(seconds=timeout),
                              wait_for_workers=False, master_listen_fd=listener.fileno())
    except BaseException:
        listener.close()
        raise
    listener.detach()  # the store owns the listening socket now and closes it when it is destroyed

    ctx = _context()
    processes: list[multiprocessing.process.BaseProcess] = []
    receivers: dict[Connection, int] = {}
    lifeline_reader, lifeline_writer = ctx.Pipe(duplex=False)  # only we write: closing it ends the workers
    try:
        for rank in range(world_size):
            receiver, sender = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_bootstrap,
                            args=(rank, world_size, port, timeout, fn, args, sender, lifeline_reader),
                            name=f"gradcourse-worker-{rank}", daemon=True)
            receivers[receiver] = rank
            p.start()
            sender.close()  # the child holds its own copy; closing ours lets recv() see the end if it dies
            processes.append(p)
        return _collect(processes, receivers, world_size, timeout)
    finally:
        _stop(processes)
        lifeline_writer.close()
        lifeline_reader.close()
        for receiver in receivers:
            receiver.close()
        del store


def _collect(processes: Sequence[multiprocessing.process.BaseProcess], receivers: dict[Connection, int],
             world_size: int, timeout: float) -> list[Any]:
    """Wait for one report per worker; raise on the first failure or at the deadline."""
    deadline = time.monotonic() + timeout
    reports: dict[int, tuple] = {}
    pending = dict(receivers)
    first_error_at: float | None = None
    while pending:
        if first_error_at is not None:
            remaining = first_error_at + _GRACE - time.monotonic()
        else:
            remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        for conn in wait(list(pending), timeout=remaining):
            rank = pending.pop(conn)
            try:
                reports[rank] = conn.recv()
            except EOFError:  # the process ended without sending anything
                p = processes[rank]
                p.join(_STOP)
                reports[rank] = ("died", time.time(), p.exitcode)
            if reports[rank][0] != "ok" and first_error_at is None:
                first_error_at = time.monotonic()

    failures = sorted((r[1], rank) for rank, r in reports.items() if r[0] != "ok")
    if failures:
        rank = failures[0][1]
        report = reports[rank]
        if report[0] == "error":
            raise _worker_error(rank, world_size, report)
        code = report[2]
        raise WorkerError(
            f"worker {rank} of {world_size} exited with code {code} without reporting a result (killed by a "
            f"signal if negative, e.g. -9 = out of memory). The launcher stopped the other worker(s); no worker "
            f"process is left running.",
            rank=rank, world_size=world_size, exitcode=code,
        )
    if pending:
        missing = sorted(pending.values())
        raise TimeoutError(
            f"worker(s) {missing} of {world_size} did not finish within timeout={timeout:g} s; every worker was "
            f"stopped. A worker that waits in a collective (all-reduce) for a peer that never joins it hangs: "
            f"check that every rank runs the same number of steps, or give a larger timeout."
        )
    return [reports[rank][2] for rank in range(world_size)]


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
            _check_int(getattr(self, name), name)
        _check_int(self.seed, "seed", minimum=0)
        if isinstance(self.lr, bool) or not isinstance(self.lr, (int, float)) or not (self.lr > 0 and
                                                                                        math.isfinite(self.lr)):
            raise ValueError(f"lr must be a finite number > 0, got {self.lr!r}")
        if isinstance(self.momentum, bool) or not isinstance(self.momentum, (int, float)) or not (
                0 <= self.momentum < 1):
            raise ValueError(f"momentum must be a number in [0, 1), got {self.momentum!r}")
        if self.dtype not in _DTYPES:
            raise ValueError(f"dtype must be one of {sorted(_DTYPES)}, got {self.dtype!r}")


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

    if not isinstance(config, DataParallelConfig):
        raise ValueError(f"config must be a DataParallelConfig, got {type(config).__name__}")
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
