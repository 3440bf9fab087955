"""How fast are the course's networks? Run: ``.venv/bin/python benchmarks/mlp_speed.py``.

1. One epoch (batch 64) of SGD on the digits training set (1,347 images) with a 20-layer, width-64 ReLU MLP
   from :func:`gradcourse.nets.mlp`, with 1 and with 2 torch threads. Target: well under 1 s.
2. Forward + backward of the same network on one batch of 64: our numpy :class:`~gradcourse.nets.NumpyMLP`
   (hand-written backprop) against torch autograd, with identical weights, in float64 and float32.

Every number is the median of several repeats after a warm-up. The table is printed and written to
``benchmarks/results/mlp_speed.md``.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from gradcourse import data
from gradcourse.nets import NumpyMLP, mlp

DEPTH, WIDTH, BATCH = 20, 64, 64
RESULTS = Path(__file__).parent / "results" / "mlp_speed.md"


def median_seconds(fn: Callable[[], object], repeats: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def epoch_seconds(threads: int) -> float:
    """Median time of one training epoch (checking on the way that the network does learn)."""
    torch.set_num_threads(threads)
    split = data.digits(as_tensors=True)
    model = mlp(64, 10, depth=DEPTH, width=WIDTH, activation="relu", init="kaiming_normal", seed=0)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    epoch = 0

    def one_epoch() -> None:
        nonlocal epoch
        epoch += 1
        for xb, yb in data.batches(split.X_train, split.y_train, BATCH, seed=epoch):
            optimizer.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            optimizer.step()

    seconds = median_seconds(one_epoch, repeats=3, warmup=1)
    with torch.no_grad():
        loss = F.cross_entropy(model(split.X_train), split.y_train).item()
    assert loss < 2.0, f"after 4 epochs the training loss should be well below log(10) = 2.3, got {loss:.3f}"
    return seconds


def numpy_vs_torch(dtype: np.dtype, threads: int) -> tuple[float, float]:
    """Median forward+backward time of NumpyMLP and of the identical torch network on one batch."""
    torch.set_num_threads(threads)
    split = data.digits()
    X, y = split.X_train[:BATCH].astype(dtype), split.y_train[:BATCH]
    net = NumpyMLP([64] + [WIDTH] * DEPTH + [10], activation="relu", init="kaiming_normal", seed=0, dtype=dtype)
    twin = mlp(64, 10, depth=DEPTH, width=WIDTH, activation="relu", dtype=getattr(torch, np.dtype(dtype).name))
    with torch.no_grad():
        for linear, (W, b) in zip([blk.linear for blk in twin.blocks] + [twin.head], net.params, strict=True):
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def torch_step() -> float:
        twin.zero_grad(set_to_none=True)
        loss = F.cross_entropy(twin(Xt), yt)
        loss.backward()
        return loss.item()

    ours = net.loss_and_grads(X, y, loss="cross_entropy")[0]
    assert abs(ours - torch_step()) < (1e-10 if dtype == np.float64 else 1e-4), "numpy and torch disagree"
    t_numpy = median_seconds(lambda: net.loss_and_grads(X, y, loss="cross_entropy"), repeats=20)
    t_torch = median_seconds(torch_step, repeats=20)
    return t_numpy, t_torch


def main() -> str:
    threads_default = torch.get_num_threads()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# MLP speed",
        "",
        f"{DEPTH}-layer, width-{WIDTH} ReLU MLP (gradcourse.nets.mlp), batch {BATCH}, digits training set "
        f"(1,347 images). torch {torch.__version__}, numpy {np.__version__}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average {load:.1f} at start. "
        "Medians after warm-up.",
        "",
        "## One training epoch (SGD with momentum, 22 batches)",
        "",
        "| torch threads | epoch time (s) |",
        "|---:|---:|",
    ]
    epoch = {threads: epoch_seconds(threads) for threads in (1, 2)}
    lines += [f"| {threads} | {seconds:.3f} |" for threads, seconds in epoch.items()]
    lines += [
        "",
        "## Forward + backward on one batch: hand-written numpy vs torch autograd (identical weights)",
        "",
        "| dtype | torch threads | numpy (ms) | torch (ms) | numpy / torch |",
        "|---|---:|---:|---:|---:|",
    ]
    for dtype in (np.float64, np.float32):
        for threads in (1, 2):
            t_numpy, t_torch = numpy_vs_torch(np.dtype(dtype), threads)
            lines.append(f"| {np.dtype(dtype).name} | {threads} | {1e3 * t_numpy:.2f} | {1e3 * t_torch:.2f} | "
                         f"{t_numpy / t_torch:.2f} |")
    lines += [
        "",
        f"In this run an epoch with two torch threads took {epoch[2] / epoch[1]:.1f}× as long as with one. "
        "For networks this small a second thread has little work to share, and when the machine is busy "
        "(load average near or above the number of cores) every parallel operation waits for a free core. "
        "`torch.set_num_threads(1)` is the safe choice for the course's small experiments.",
        "",
    ]
    torch.set_num_threads(threads_default)
    report = "\n".join(lines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    return report


if __name__ == "__main__":
    print(main())
