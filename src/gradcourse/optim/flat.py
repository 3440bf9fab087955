"""Many parameter tensors, one flat buffer: one vectorized call updates them all.

An optimizer that loops over a network's tensors pays a fixed cost per tensor and per operation (a Python
call, a kernel launch). With hundreds of small tensors that cost dominates; torch.optim's ``foreach`` and
``fused`` implementations exist to hide it. For the elementwise rules (everything but LARS and LAMB, whose
trust ratio needs one norm per tensor) there is a simpler way: if the parameters are *views into one flat
buffer*, and so are their gradients, the whole group is a single long vector and the rule runs once.

:func:`contiguous_parameters_` arranges that for a model::

    flat_param, flat_grad = contiguous_parameters_(model.parameters())
    opt = gradcourse.optim.Adam(model.parameters())
    ...
    opt.zero_grad(set_to_none=False)    # keep the gradients inside the flat buffer

gradcourse's optimizer classes notice the layout (:func:`flat_views`) and update the group in one call; the
per-parameter ``state`` then holds views into flat state buffers, so ``state_dict`` keeps torch's layout.
With ``zero_grad()`` (``set_to_none=True``) autograd allocates fresh, separate gradients and the optimizer
quietly falls back to one call per tensor: same numbers, just slower.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch

__all__ = ["FlatState", "contiguous_parameters_", "flat_views"]


def contiguous_parameters_(params: Iterable[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Move parameters into one flat buffer and give them gradients that are views into a second one.

    Changes each parameter's ``.data`` (its values are kept) and sets its ``.grad`` to zeros; the parameter
    objects stay the same, so modules and optimizers keep working. Returns ``(flat_param, flat_grad)``.
    All parameters must share dtype and device.
    """
    params = [p for p in params]
    if not params:
        raise ValueError("contiguous_parameters_ got no parameters")
    dtypes, devices = {p.dtype for p in params}, {p.device for p in params}
    if len(dtypes) > 1 or len(devices) > 1:
        raise ValueError(
            f"contiguous_parameters_ needs one dtype and one device, got dtypes {sorted(map(str, dtypes))} and "
            f"devices {sorted(map(str, devices))}; call it once per dtype/device"
        )
    if len({id(p) for p in params}) != len(params):
        raise ValueError("contiguous_parameters_ got the same parameter twice (tied weights): pass it once")
    total = sum(p.numel() for p in params)
    flat_param = torch.empty(total, dtype=params[0].dtype, device=params[0].device)
    flat_grad = torch.zeros_like(flat_param)
    offset = 0
    with torch.no_grad():
        for p in params:
            n = p.numel()
            flat_param[offset : offset + n].copy_(p.reshape(-1))
            p.data = flat_param[offset : offset + n].view_as(p)
            p.grad = flat_grad[offset : offset + n].view_as(p)
            offset += n
    return flat_param, flat_grad


def _consecutive(tensors: list[torch.Tensor]) -> torch.Tensor | None:
    """The flat 1-D tensor spanning ``tensors`` if they lie back to back in one storage, else None."""
    first = tensors[0]
    storage = first.untyped_storage().data_ptr()
    offset = first.storage_offset()
    for t in tensors:
        if (
            not t.is_contiguous()
            or t.dtype != first.dtype
            or t.untyped_storage().data_ptr() != storage
            or t.storage_offset() != offset
        ):
            return None
        offset += t.numel()
    total = offset - first.storage_offset()
    return torch.empty(0, dtype=first.dtype, device=first.device).set_(
        first.untyped_storage(), first.storage_offset(), (total,)
    )


def flat_views(params: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor] | None:
    """``(flat_param, flat_grad)`` if the parameters, and separately their gradients, lie back to back in one
    buffer each (as :func:`contiguous_parameters_` leaves them), else None."""
    if len(params) < 2:
        return None
    flat_param = _consecutive(params)
    if flat_param is None:
        return None
    flat_grad = _consecutive([p.grad for p in params])
    if flat_grad is None:
        return None
    return flat_param, flat_grad


class FlatState:
    """Keeps one group's optimizer state as flat buffers whose slices are the per-parameter state tensors.

    ``gather`` builds the state dict a rule sees for the flat vector; ``scatter`` writes the result back
    as torch's per-parameter entries (array entries as views into the flat buffers, counters as copies).
    """

    def __init__(self) -> None:
        self._flat: dict[str, torch.Tensor] = {}
        self._views: dict[str, list[torch.Tensor]] = {}

    def gather(self, states: list[dict[str, Any]], total: int) -> dict[str, Any] | None:
        """The flat state for ``states`` (one dict per parameter, in buffer order), or None if the entries
        cannot be merged (different keys, or counters that differ between parameters)."""
        if not any(states):
            return {}
        keys = set(states[0])
        if any(set(s) != keys for s in states):
            return None
        flat: dict[str, Any] = {}
        for key in states[0]:
            values = [s[key] for s in states]
            first = values[0]
            if first is None:
                if any(v is not None for v in values):
                    return None
                flat[key] = None
            elif torch.is_tensor(first) and first.dim() == 0:  # counters: step, mu_product
                if any(not torch.is_tensor(v) or v.dim() != 0 or float(v) != float(first) for v in values):
                    return None
                flat[key] = first.clone()
            elif torch.is_tensor(first):
                views = self._views.get(key)
                if views is not None and len(views) == len(values) and all(map(lambda a, b: a is b, values, views)):
                    flat[key] = self._flat[key]
                else:  # first flat step for this state (or it was replaced, e.g. by load_state_dict)
                    flat[key] = torch.cat([v.reshape(-1) for v in values])
            else:
                return None
        if any(torch.is_tensor(v) and v.dim() == 1 and v.numel() != total for v in flat.values()):
            return None
        return flat

    def scatter(self, flat: dict[str, Any], states: list[dict[str, Any]], params: list[torch.Tensor]) -> None:
        """Store the flat state back into the per-parameter ``states``."""
        for key, value in flat.items():
            if torch.is_tensor(value) and value.dim() == 1:
                if self._flat.get(key) is not value:
                    self._flat[key] = value
                    views, offset = [], 0
                    for p in params:
                        views.append(value[offset : offset + p.numel()].view_as(p))
                        offset += p.numel()
                    self._views[key] = views
                for s, view in zip(states, self._views[key], strict=True):
                    s[key] = view
            elif torch.is_tensor(value):
                for s in states:
                    if torch.is_tensor(s.get(key)):
                        s[key].copy_(value)
                    else:
                        s[key] = value.clone()
            else:
                for s in states:
                    s[key] = value
