"""Optimizers, each update rule written once.

* :mod:`gradcourse.optim.functional` — ``step(name, param, grad, state, **hyper)`` and one function per rule
  (``adam_step`` ...), with the formula in its docstring; runs on numpy arrays and torch tensors.
* :mod:`gradcourse.optim.building_blocks` — the shared pieces (running averages, bias correction, weight
  decay coupled and decoupled, Adam's denominator, the LARS/LAMB trust ratio).
* The classes below are drop-in replacements for ``torch.optim`` (``SGD`` ... ``RAdam``: same signatures,
  defaults, errors and ``state_dict`` keys) plus ``LARS``, ``LAMB`` and ``Lion``, which torch lacks. They
  are thin adapters that hand each parameter group to the functional rules as lists of tensors.

Example::

    import gradcourse as gc
    opt = gc.optim.Adam(model.parameters(), lr=1e-3)   # instead of torch.optim.Adam
"""

from __future__ import annotations

from . import building_blocks, functional
from .torch_optimizers import LAMB, LARS, SGD, Adadelta, Adagrad, Adam, AdamW, Lion, NAdam, RAdam, RMSprop

__all__ = [
    "LAMB",
    "LARS",
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Lion",
    "NAdam",
    "RAdam",
    "RMSprop",
    "building_blocks",
    "functional",
]
