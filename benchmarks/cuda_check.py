"""One script for a GPU machine: gradcourse.optim equals torch.optim on CUDA, and its step is not slower.

    python benchmarks/cuda_check.py            # from the repository root; about 2-4 minutes on one GPU

1. **Parity on CUDA.** Every torch-equivalent class (SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW, NAdam,
   RAdam), over the hyperparameter variants of ``tests/test_optim_parity.py``, trains the tests' small tanh
   network on the GPU next to torch's own class (torch's CUDA default, the foreach implementation), in
   float64 and float32. LARS, LAMB and Lion, which torch lacks, are compared with the same class on the CPU.
   Tolerance (max relative difference of the parameters after the run): 1e-10 in float64, 1e-4 in float32.
2. **Step cost on CUDA.** ``benchmarks/optim_step.py``'s three parameter lists (one 10 M tensor, a 50-tensor
   transformer, GPT-2 small's 146 tensors): the default class against torch's foreach and fused steps.
   Target: gradcourse / torch foreach ≤ 1.0 (a ratio above 1.05 fails, to allow for timing noise).

Prints everything; exit status 0 when every check passes, 1 otherwise. Without a GPU it runs part 1 on the
CPU as a dry run of the script itself and says clearly that the CUDA parts were skipped.
"""

from __future__ import annotations

import inspect
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "benchmarks")]

import optim_step  # noqa: E402
import test_optim_parity as P  # noqa: E402  (the hyperparameter grid and the test problem of the CPU tests)

import gradcourse.optim as go  # noqa: E402

STEPS = 30
TOLERANCE = {torch.float64: 1e-10, torch.float32: 1e-4}
RATIO_LIMIT = 1.05
PAPERS = {"LARS": P.sample_lars, "LAMB": P.sample_lamb, "Lion": P.sample_lion}


def problem(seed: int, device: str, dtype: torch.dtype) -> tuple[list[torch.Tensor], torch.Tensor, torch.Tensor]:
    """The parity tests' 3-6-2 tanh network and data, moved to ``device`` and ``dtype``."""
    params = [p.detach().to(device, dtype).requires_grad_() for p in P.make_params(seed)]
    X, Y = (t.to(device, dtype) for t in P.make_data(seed))
    return params, X, Y


def train(cls: type, kwargs: dict, seed: int, device: str, dtype: torch.dtype) -> list[torch.Tensor]:
    params, X, Y = problem(seed, device, dtype)
    P.run(cls(params, **kwargs), params, X, Y, STEPS, kwargs.get("maximize", False))
    return [p.detach().double().cpu() for p in params]


def supported(cls: type, kwargs: dict) -> bool:
    """False if this torch version's class lacks one of the arguments (e.g. an older torch)."""
    return set(kwargs) <= set(inspect.signature(cls).parameters)


def max_rel(ours: list[torch.Tensor], ref: list[torch.Tensor]) -> float:
    return max(P.rel_err(a, b) for a, b in zip(ours, ref, strict=True))


def parity(device: str) -> bool:
    print(f"\n== 1. parity with torch.optim on {device} ({STEPS} steps of the tests' tanh network) ==")
    ok, rows = True, 0
    for dtype in (torch.float64, torch.float32):
        tol = TOLERANCE[dtype]
        for name, sampler, variants in P.TORCH_GRID:
            for variant in variants:
                kwargs = sampler(np.random.default_rng(0), **variant)
                label = f"{name}({'+'.join(variant) or 'plain'}) {str(dtype)[6:]}"
                if not supported(getattr(torch.optim, name), kwargs):
                    print(f"  skip  {label}: this torch's {name} lacks one of {sorted(kwargs)}")
                    continue
                err = max_rel(train(getattr(go, name), kwargs, 0, device, dtype),
                              train(getattr(torch.optim, name), kwargs, 0, device, dtype))
                good = err <= tol
                ok &= good
                rows += 1
                print(f"  {'ok  ' if good else 'FAIL'}  {label:42s} max rel diff vs torch {err:.1e} (≤ {tol:g})")
        for name, sampler in PAPERS.items():
            kwargs = sampler(np.random.default_rng(0), weight_decay=True)
            cls = getattr(go, name)
            err = max_rel(train(cls, kwargs, 0, device, dtype), train(cls, kwargs, 0, "cpu", dtype))
            good = err <= tol
            ok &= good
            rows += 1
            label = f"{name} {str(dtype)[6:]}"
            print(f"  {'ok  ' if good else 'FAIL'}  {label:42s} max rel diff vs CPU {err:.1e} (≤ {tol:g})")
    print(f"  -> {'all' if ok else 'NOT all'} {rows} parity checks passed")
    return ok


def speed(device: str) -> bool:
    print(f"\n== 2. step cost on {device}: gradcourse.optim.X(params) vs torch.optim.X(params, foreach / fused) ==")
    text, results = optim_step.run(device, list(optim_step.CASES), list(optim_step.OPTIMIZERS), rounds=30, warmup=5)
    print(text)
    ok = True
    for case, per_optimizer in results.items():
        for name, med in per_optimizer.items():
            ratio = med["gradcourse"] / med["torch foreach"]
            if ratio > RATIO_LIMIT:
                ok = False
                print(f"  FAIL  {case}, {name}: gradcourse / torch foreach = {ratio:.2f} > {RATIO_LIMIT}")
    print(f"  -> step cost {'within' if ok else 'NOT within'} the target (gradcourse / foreach ≤ {RATIO_LIMIT})")
    return ok


def main() -> int:
    started = time.perf_counter()
    cuda = torch.cuda.is_available()
    print(f"torch {torch.__version__}, Python {sys.version.split()[0]}, numpy {np.__version__}")
    if cuda:
        print(f"GPU: {torch.cuda.get_device_name(0)}")
    else:
        print("NO GPU: torch sees no CUDA device. The CUDA parts are SKIPPED; part 1 runs on the CPU as a dry run.")
    ok = parity("cuda" if cuda else "cpu")
    if cuda:
        ok &= speed("cuda")
    else:
        print("\n== 2. step cost on CUDA: SKIPPED (no GPU) ==")
    print(f"\n{'PASS' if ok else 'FAIL'}{'' if cuda else ' (CPU dry run only; CUDA not checked)'} "
          f"in {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
