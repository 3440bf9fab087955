"""Seeding: one call makes numpy, Python's ``random`` and torch repeatable."""

from __future__ import annotations

import random

import numpy as np


def seed_everything(seed: int = 0) -> np.random.Generator:
    """Seed Python's ``random``, numpy's legacy global RNG and torch (CPU), and return a fresh
    ``numpy.random.Generator`` seeded with the same value.

    Every chapter starts with ``rng = seed_everything(0)`` so that running it twice prints the same numbers.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a runtime dependency
        pass
    else:
        torch.manual_seed(seed)
    return np.random.default_rng(seed)
