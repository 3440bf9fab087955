"""Cost of one optimizer step: what a user of gradcourse.optim gets by default, against torch.optim.

Run with the project's interpreter (not part of pytest)::

    .venv/bin/python benchmarks/optim_step.py                  # CPU; writes benchmarks/results/optim_step.md
    python benchmarks/optim_step.py --device cuda              # on a GPU; writes optim_step_cuda.md

What is timed is ``optimizer.step()`` of ``gradcourse.optim.X(params, lr=…)`` built over a plain list of
parameters — nothing special called, exactly what a user writes — next to

* ``torch foreach``  torch.optim.X(params, foreach=True)  (torch's multi-tensor implementation),
* ``torch fused``    torch.optim.X(params, fused=True)    (where torch has one: Adam, AdamW, SGD),

for three parameter lists (float32):

* ``one tensor``  one 10 M tensor;
* ``transformer`` 50 tensors of a small transformer (4 blocks of width 512: attention, MLP and layer-norm
  weights and biases, plus a final layer norm; 12.6 M numbers);
* ``gpt2-small``  146 tensors shaped like GPT-2 small (token and position embeddings and 12 blocks of 12
  tensors at width 768; 124 M numbers).

Each implementation owns its parameters and state; the gradients are shared, read-only. Steps are taken in
rounds, one step of every implementation per round, so that a change in machine load hits all of them alike;
the first rounds are warm-up. We report the median over the timed rounds and the ratio gradcourse / torch
(below 1: gradcourse is faster). On CUDA each step is timed between two ``torch.cuda.synchronize()``.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import statistics
import time
from pathlib import Path

import torch

import gradcourse.optim as go

OPTIMIZERS = {
    "Adam": {"lr": 1e-3},
    "AdamW": {"lr": 1e-3},
    "SGD": {"lr": 1e-3, "momentum": 0.9},
    "RMSprop": {"lr": 1e-3},
}
FUSED = {"Adam", "AdamW", "SGD"}


def _block(width: int) -> list[tuple[int, ...]]:
    """The 12 parameter tensors of one transformer block: attention (qkv, out), MLP (up, down), 2 layer norms."""
    d = width
    return [(d,), (d,), (3 * d, d), (3 * d,), (d, d), (d,), (d,), (d,), (4 * d, d), (4 * d,), (d, 4 * d), (d,)]


CASES: dict[str, list[tuple[int, ...]]] = {
    "one tensor": [(10_000_000,)],
    "transformer": [shape for _ in range(4) for shape in _block(512)] + [(512,), (512,)],
    "gpt2-small": [(50257, 768), (1024, 768)] + [shape for _ in range(12) for shape in _block(768)],
}


def describe(case: str) -> str:
    shapes = CASES[case]
    return f"{case}: {len(shapes)} tensors, {sum(math.prod(s) for s in shapes) / 1e6:.1f} M numbers"


def time_steps(name: str, case: str, device: str, rounds: int, warmup: int) -> dict[str, float]:
    """Median seconds per ``step()`` of every implementation of ``name`` on ``case``, alternating between them."""
    gen = torch.Generator().manual_seed(0)
    shapes = CASES[case]
    grads = [torch.randn(s, generator=gen).to(device) for s in shapes]
    impls = {"torch foreach": (getattr(torch.optim, name), {"foreach": True})}
    if name in FUSED:
        impls["torch fused"] = (getattr(torch.optim, name), {"fused": True})
    impls["gradcourse"] = (getattr(go, name), {})
    optimizers = {}
    for label, (cls, flags) in impls.items():
        params = [torch.nn.Parameter(torch.randn(s, generator=gen).to(device)) for s in shapes]
        for p, g in zip(params, grads, strict=True):
            p.grad = g
        optimizers[label] = cls(params, **OPTIMIZERS[name], **flags)
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    times: dict[str, list[float]] = {label: [] for label in optimizers}
    for round_ in range(warmup + rounds):
        for label, opt in optimizers.items():
            sync()
            t0 = time.perf_counter()
            opt.step()
            sync()
            if round_ >= warmup:
                times[label].append(time.perf_counter() - t0)
    del optimizers, grads
    gc.collect()
    return {label: statistics.median(ts) for label, ts in times.items()}


def table(results: dict[str, dict[str, float]]) -> list[str]:
    """Markdown: medians in ms, then gradcourse divided by torch's foreach and fused."""
    header = ["optimizer", "torch foreach (ms)", "torch fused (ms)", "gradcourse (ms)"]
    header += ["ours / foreach", "ours / fused"]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    for name, med in results.items():
        fused = med.get("torch fused")
        cells = [
            f"{name}({', '.join(f'{k}={v}' for k, v in OPTIMIZERS[name].items())})",
            f"{med['torch foreach'] * 1e3:.2f}",
            "n/a" if fused is None else f"{fused * 1e3:.2f}",
            f"{med['gradcourse'] * 1e3:.2f}",
            f"{med['gradcourse'] / med['torch foreach']:.2f}×",
            "n/a" if fused is None else f"{med['gradcourse'] / fused:.2f}×",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def run(device: str, cases: list[str], optimizers: list[str], rounds: int, warmup: int) -> tuple[str, dict]:
    """Time every optimizer on every case; return the markdown report and the raw medians."""
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results = {case: {name: time_steps(name, case, device, rounds, warmup) for name in optimizers} for case in cases}
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    where = (
        torch.cuda.get_device_name(device)
        if device.startswith("cuda")
        else f"{torch.get_num_threads()} intra-op threads, {os.cpu_count()} CPUs, "
        f"{platform.processor() or platform.machine()}"
    )
    report = [
        f"# One optimizer step: gradcourse.optim vs torch.optim ({device})",
        "",
        f"Written by `benchmarks/optim_step.py --device {device}`. Median over {rounds} timed steps per "
        f"implementation (after {warmup} warm-up rounds), implementations alternating step by step. "
        "`gradcourse` is the class built over a plain list of parameters, as a user builds it. "
        "Ratio = gradcourse time / torch time (below 1: gradcourse is faster).",
        "",
        f"torch {torch.__version__}, {where}, Python {platform.python_version()}; 1-minute load average "
        f"{load_before:.1f} before and {load_after:.1f} after the run.",
    ]
    for case, res in results.items():
        report += ["", f"## {describe(case)}", "", *table(res)]
    return "\n".join(report) + "\n", results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    parser.add_argument("--rounds", type=int, default=21, help="timed steps per implementation (default 21)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first (default 3)")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, from: {', '.join(CASES)}")
    parser.add_argument("--optimizers", default=",".join(OPTIMIZERS), help="comma-separated class names")
    parser.add_argument("--out", type=Path, default=None, help="markdown report (default benchmarks/results/…)")
    args = parser.parse_args()
    if args.rounds < 5:
        parser.error("--rounds must be at least 5")
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        parser.error("--device cuda: torch sees no GPU here")
    cases, names = args.cases.split(","), args.optimizers.split(",")
    for value, known, flag in ((cases, CASES, "--cases"), (names, OPTIMIZERS, "--optimizers")):
        if not set(value) <= set(known):
            parser.error(f"{flag}: unknown {sorted(set(value) - set(known))}; choose from {', '.join(known)}")
    text, _ = run(args.device, cases, names, args.rounds, args.warmup)
    print(text)
    suffix = "" if args.device == "cpu" else "_" + args.device.split(":")[0]
    out = args.out or Path(__file__).parent / "results" / f"optim_step{suffix}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
