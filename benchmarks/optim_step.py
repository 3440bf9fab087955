"""Cost of one optimizer step: gradcourse.optim against torch.optim's three CPU implementations.

Run with the project's interpreter (not part of pytest; about a minute on 2 cores)::

    .venv/bin/python benchmarks/optim_step.py              # writes benchmarks/results/optim_step.md

Setup: the parameters of one ``torch.nn.Linear(3162, 3162)`` (weight + bias ≈ 10.0 M float32 numbers) with a
fixed random gradient. For Adam, SGD(momentum=0.9) and RMSprop we time ``optimizer.step()`` for

* ``torch loop``    torch.optim.X(..., foreach=False)  (torch's default on CPU),
* ``torch foreach`` torch.optim.X(..., foreach=True),
* ``torch fused``   torch.optim.X(..., fused=True)      (Adam and SGD; torch has no fused RMSprop),
* ``gradcourse``    gradcourse.optim.X(...),
* ``gradcourse flat`` the same class after ``gradcourse.optim.flat.contiguous_parameters_`` has put the
  parameters (and their gradients) into one flat buffer, so the rule runs once per step for all tensors.

Each implementation owns its parameters and state (the gradient tensors are shared, read-only). Steps are
taken in rounds, one step of every implementation per round, so that a change in machine load hits all of
them alike; the first rounds are warm-up. We report the median over the timed rounds and the ratio
gradcourse / torch (below 1 = gradcourse is faster).

A second, smaller table splits the same 10 M numbers into many tensors (``--many``, default 200 tensors),
where the per-tensor Python overhead of a for-loop shows and torch's foreach is built to win.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import torch

import gradcourse.optim as go
from gradcourse.optim.flat import contiguous_parameters_

SIZE = 3162  # Linear(3162, 3162): 3162² + 3162 = 10,001,406 parameters
OPTIMIZERS = {
    "Adam": {"lr": 1e-3},
    "SGD": {"lr": 1e-3, "momentum": 0.9},
    "RMSprop": {"lr": 1e-3},
}
FUSED_ON_CPU = {"Adam", "SGD"}


def make_shapes(many: int) -> list[tuple[int, ...]]:
    """Tensor shapes: one Linear layer (many == 0), or ~the same number of values in ``many`` tensors."""
    if many == 0:
        return [(SIZE, SIZE), (SIZE,)]
    per = (SIZE * SIZE + SIZE) // many
    return [(per,)] * many


def implementations(name: str) -> dict[str, tuple]:
    impls = {
        "torch loop": (getattr(torch.optim, name), {"foreach": False}),
        "torch foreach": (getattr(torch.optim, name), {"foreach": True}),
    }
    if name in FUSED_ON_CPU:
        impls["torch fused"] = (getattr(torch.optim, name), {"fused": True})
    impls["gradcourse"] = (getattr(go, name), {})
    impls["gradcourse flat"] = (getattr(go, name), {})
    return impls


def time_steps(name: str, shapes: list[tuple[int, ...]], rounds: int, warmup: int) -> dict[str, float]:
    """Median seconds per ``step()`` for every implementation of ``name``, alternating between them."""
    gen = torch.Generator().manual_seed(0)
    start = [torch.randn(shape, generator=gen) for shape in shapes]
    grads = [torch.randn(shape, generator=gen) for shape in shapes]
    optimizers = {}
    for label, (cls, flags) in implementations(name).items():
        params = [torch.nn.Parameter(x.clone()) for x in start]
        if label == "gradcourse flat":
            _, flat_grad = contiguous_parameters_(params)
            torch.cat([g.reshape(-1) for g in grads], out=flat_grad)
        else:
            for p, g in zip(params, grads, strict=True):
                p.grad = g  # shared, read-only
        optimizers[label] = cls(params, **OPTIMIZERS[name], **flags)
    times: dict[str, list[float]] = {label: [] for label in optimizers}
    for round_ in range(warmup + rounds):
        for label, opt in optimizers.items():
            t0 = time.perf_counter()
            opt.step()
            elapsed = time.perf_counter() - t0
            if round_ >= warmup:
                times[label].append(elapsed)
    del optimizers
    return {label: statistics.median(ts) for label, ts in times.items()}


TORCH_COLUMNS = ("torch loop", "torch foreach", "torch fused")
OURS_COLUMNS = ("gradcourse", "gradcourse flat")


def table(results: dict[str, dict[str, float]]) -> list[str]:
    """Markdown: medians in ms, then each gradcourse variant divided by torch's foreach and fused."""
    ratios = [(ours, theirs) for ours in OURS_COLUMNS for theirs in ("torch loop", "torch foreach", "torch fused")]
    header = ["optimizer", *(f"{c} (ms)" for c in TORCH_COLUMNS + OURS_COLUMNS)]
    header += [f"{o.replace('gradcourse', 'ours')} / {t.replace('torch ', '')}" for o, t in ratios]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for name, med in results.items():
        cells = [f"{name}({', '.join(f'{k}={v}' for k, v in OPTIMIZERS[name].items())})"]
        cells += [f"{med[c] * 1e3:.1f}" if c in med else "n/a" for c in TORCH_COLUMNS + OURS_COLUMNS]
        cells += [f"{med[o] / med[t]:.2f}×" if t in med else "n/a" for o, t in ratios]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21, help="timed steps per implementation (default 21)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first (default 3)")
    parser.add_argument("--many", type=int, default=200, help="tensors in the second table; 0 to skip it")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "results" / "optim_step.md", help="markdown report"
    )
    args = parser.parse_args()
    if args.rounds < 20:
        parser.error("--rounds must be at least 20 (medians of fewer steps are too noisy)")

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    one_layer = {name: time_steps(name, make_shapes(0), args.rounds, args.warmup) for name in OPTIMIZERS}
    many = {}
    if args.many:
        many = {name: time_steps(name, make_shapes(args.many), args.rounds, args.warmup) for name in OPTIMIZERS}
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    report = [
        "# One optimizer step: gradcourse.optim vs torch.optim (CPU)",
        "",
        "Written by `benchmarks/optim_step.py`. Median over "
        f"{args.rounds} timed steps per implementation (after {args.warmup} warm-up rounds), implementations "
        "alternating step by step. Ratio = gradcourse time / torch time (below 1: gradcourse is faster). "
        "`flat` = parameters and gradients moved into one buffer by "
        "`gradcourse.optim.flat.contiguous_parameters_`, so one rule call updates the whole group.",
        "",
        f"torch {torch.__version__}, {torch.get_num_threads()} intra-op threads, {os.cpu_count()} CPUs, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}; "
        f"1-minute load average {load_before:.1f} before and {load_after:.1f} after the run "
        "(other work on the machine inflates all timings alike, not the ratios).",
        "",
        f"## One Linear({SIZE}, {SIZE}): weight + bias = {SIZE * SIZE + SIZE:,} float32 parameters in 2 tensors",
        "",
        *table(one_layer),
    ]
    if many:
        shapes = make_shapes(args.many)
        report += [
            "",
            f"## The same ~10 M parameters in {len(shapes)} tensors of {shapes[0][0]:,}",
            "",
            *table(many),
        ]
    text = "\n".join(report) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
