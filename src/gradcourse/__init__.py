"""gradcourse: the library behind the executable textbook on vanishing and exploding gradients.

Submodules are imported on first use, so ``import gradcourse`` stays fast and a chapter only pays for
what it touches::

    import gradcourse as gc
    gc.optim.Adam(model.parameters(), lr=1e-3)   # imports gradcourse.optim here
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_SUBMODULES = (
    "check",
    "claims",
    "clip",
    "curvature",
    "data",
    "diagnostics",
    "distributed",
    "documents",
    "explorables",
    "init",
    "nets",
    "optim",
    "plots",
    "problems",
    "schedules",
    "search",
    "seeding",
    "train",
)

__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'gradcourse' has no attribute {name!r}; submodules are: {', '.join(_SUBMODULES)}")
