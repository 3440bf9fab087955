"""Show, in one line of a chapter, that our optimizer equals torch's: train both and compare the weights."""

from __future__ import annotations

from typing import Any

import torch

from gradcourse.data import batches


def max_difference_from_torch(
    name: str,
    hyper: dict[str, Any],
    X: Any,
    y: Any,
    *,
    batch_size: int = 32,
    steps: int = 100,
    seed: int = 0,
) -> float:
    """Train one float64 linear softmax classifier with ``gradcourse.optim.<name>`` and another, identical
    one with ``torch.optim.<name>`` — same initial weights, same mini-batches, ``steps`` updates of
    cross-entropy — and return max |θ_ours − θ_torch| over every weight and bias.

    ``X`` is (N, features), ``y`` integer labels (numpy arrays or tensors). A result at rounding level
    (≈ 1e-15) says the two implementations compute the same update rule.
    """
    from gradcourse import optim as ours

    if not hasattr(ours, name) or not hasattr(torch.optim, name):
        raise ValueError(f"name must be an optimizer class both gradcourse.optim and torch.optim have, got {name!r}")
    if steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    X = torch.as_tensor(X, dtype=torch.float64)
    y = torch.as_tensor(y, dtype=torch.int64)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (N, features) and y (N,), got shapes {tuple(X.shape)} and {tuple(y.shape)}")
    weights = []
    for module in (ours, torch.optim):
        torch.manual_seed(seed)
        model = torch.nn.Linear(X.shape[1], int(y.max()) + 1, dtype=torch.float64)
        optimizer = getattr(module, name)(model.parameters(), **hyper)
        done, epoch = 0, 0
        while done < steps:
            for Xb, yb in batches(X, y, batch_size, seed=seed + epoch):
                if done == steps:
                    break
                optimizer.zero_grad()
                torch.nn.functional.cross_entropy(model(Xb), yb).backward()
                optimizer.step()
                done += 1
            epoch += 1
        weights.append(torch.cat([p.detach().ravel() for p in model.parameters()]))
    return float((weights[0] - weights[1]).abs().max())
