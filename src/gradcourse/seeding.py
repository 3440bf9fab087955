"""Seeding: one call makes numpy, Python's ``random`` and torch repeatable; the random state as plain data."""

from __future__ import annotations

import random
from typing import Any

import numpy as np

from gradcourse._validate import integer

__all__ = ["random_state", "seed_everything", "set_random_state"]


def seed_everything(seed: int = 0) -> np.random.Generator:
    """Seed Python's ``random``, numpy's legacy global RNG and torch (CPU), and return a fresh
    ``numpy.random.Generator`` seeded with the same value.

    Every chapter starts with ``rng = seed_everything(0)`` so that running it twice prints the same numbers.
    """
    seed = integer("seed", seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    import torch

    torch.manual_seed(seed)
    return np.random.default_rng(seed)


def random_state() -> dict[str, Any]:
    """Python's, numpy's (legacy global) and torch's CPU random states, taken now, as plain types (lists,
    tuples, numbers, one uint8 tensor) that ``torch.load(..., weights_only=True)`` accepts."""
    import torch

    name, keys, pos, has_gauss, cached = np.random.get_state()
    return {
        "python": random.getstate(),
        "numpy": (name, keys.tolist(), int(pos), int(has_gauss), float(cached)),
        "torch": torch.get_rng_state(),
    }


def set_random_state(state: dict[str, Any]) -> None:
    """Put back a state taken by :func:`random_state`."""
    import torch

    random.setstate(state["python"])
    name, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((name, np.asarray(keys, dtype=np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(state["torch"])
