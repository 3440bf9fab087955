"""One formula, three backends: elementwise helpers for a numpy array, a torch tensor or a list of tensors.

The optimizer rules in :mod:`gradcourse.optim` are written once, against the helpers below. On the
chapters' 2-D toy problems the parameters are numpy arrays; on a real network they are torch tensors; and
the torch.optim-compatible classes hand a rule a whole parameter group as a *list* of tensors, which the
helpers update with torch's multi-tensor ``torch._foreach_*`` operations (one call for all tensors, the
way torch's own ``foreach`` optimizers are fast on a GPU). Each helper picks the call for what it is given:

* names ending in ``_`` change their first argument in place and return it (as in torch);
* the others return a new array (a temporary: a rule keeps its state in arrays made by :func:`zeros_like`,
  :func:`full_like` or :func:`clone`).

Inside ``with Scratch():`` the temporaries made for large CPU tensors come from buffers kept from the
previous call instead of fresh memory (a fresh 40 MB buffer costs about as much as the arithmetic on it; on
a GPU, torch's caching allocator already reuses memory). The numbers never change.
"""

from __future__ import annotations

import contextvars
import numbers
from typing import Any

import numpy as np
import torch

Array = np.ndarray | torch.Tensor
Arrays = np.ndarray | torch.Tensor | list[torch.Tensor]

__all__ = [
    "Array",
    "Arrays",
    "Scratch",
    "add",
    "add_",
    "addcdiv_",
    "addcmul",
    "addcmul_",
    "clamp",
    "clone",
    "div",
    "div_",
    "full_like",
    "is_floating",
    "is_tensor",
    "lerp",
    "lerp_",
    "maximum_",
    "mul_",
    "neg",
    "norm",
    "sign_",
    "sqrt",
    "sqrt_",
    "zeros_like",
]


def is_tensor(x: object) -> bool:
    """True for a torch tensor, False for anything else (numpy arrays)."""
    return isinstance(x, torch.Tensor)


def is_floating(x: Array) -> bool:
    """True if ``x`` holds real floating-point numbers."""
    return x.is_floating_point() if is_tensor(x) else np.issubdtype(x.dtype, np.floating)


# --- arrays a rule keeps (its state) ---------------------------------------------------------------------


def zeros_like(x: Arrays) -> Arrays:
    """New zeros shaped like ``x`` (same dtype and device)."""
    if isinstance(x, list):
        return [zeros_like(t) for t in x]
    return torch.zeros_like(x, memory_format=torch.preserve_format) if is_tensor(x) else np.zeros_like(x)


def full_like(x: Arrays, value: float) -> Arrays:
    """New arrays filled with ``value``, shaped like ``x``."""
    if isinstance(x, list):
        return [full_like(t, value) for t in x]
    return torch.full_like(x, value, memory_format=torch.preserve_format) if is_tensor(x) else np.full_like(x, value)


def clone(x: Arrays) -> Arrays:
    """An independent copy of ``x`` (detached from autograd for tensors)."""
    if isinstance(x, list):
        return [clone(t) for t in x]
    return x.detach().clone() if is_tensor(x) else np.array(x, copy=True)


# --- temporaries -----------------------------------------------------------------------------------------

_SCRATCH: contextvars.ContextVar[Scratch | None] = contextvars.ContextVar("gradcourse_scratch", default=None)


class Scratch:
    """Memory for the temporaries of the helpers below, reused from one ``with`` block to the next.

    Inside the block, the n-th temporary of a given shape and dtype made for a large CPU tensor is the n-th buffer
    kept for that shape and dtype (made on first use). A caller that runs the same computation every step
    (an optimizer) thus allocates its temporaries once. Arrays returned inside the block are only valid until
    the same block runs again.
    """

    def __init__(self) -> None:
        self._buffers: dict[tuple, list[torch.Tensor]] = {}
        self._taken: dict[tuple, int] = {}
        self._token: contextvars.Token | None = None

    def take(self, x: torch.Tensor) -> torch.Tensor:
        """An uninitialised contiguous buffer shaped like ``x``."""
        key = (x.shape, x.dtype)
        index = self._taken.get(key, 0)
        self._taken[key] = index + 1
        buffers = self._buffers.setdefault(key, [])
        if index == len(buffers):
            buffers.append(torch.empty(x.shape, dtype=x.dtype))
        return buffers[index]

    def __enter__(self) -> Scratch:
        self._taken.clear()
        self._token = _SCRATCH.set(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _SCRATCH.reset(self._token)

    def __getstate__(self) -> dict:  # an optimizer that holds one is pickled and deep-copied without buffers
        return {}

    def __setstate__(self, state: dict) -> None:
        self.__init__()


_KEEP_FROM = 1 << 16  # numbers: below this a fresh allocation is cheap (the C library reuses small blocks)


def _out(x: torch.Tensor) -> torch.Tensor | None:
    """Where a temporary shaped like ``x`` goes: a kept buffer for a large CPU tensor inside ``Scratch``, else
    None (new memory)."""
    scratch = _SCRATCH.get()
    if scratch is None or x.device.type != "cpu" or x.numel() < _KEEP_FROM:
        return None
    return scratch.take(x)


def _new(x: Arrays, numpy_op, torch_op, foreach_op, *args: Any, **kwargs: Any) -> Arrays:
    """``op(x, *args)`` into a new array: one foreach call for a list, except that large CPU tensors inside
    ``Scratch`` are done one by one into kept buffers."""
    if isinstance(x, list):
        outs = [_out(t) for t in x] if _SCRATCH.get() is not None else None
        if outs is None or all(out is None for out in outs):
            return list(foreach_op(x, *args, **kwargs))
        columns = [a if isinstance(a, list) else [a] * len(x) for a in args]
        return [torch_op(t, *row, out=out, **kwargs) for t, out, *row in zip(x, outs, *columns, strict=True)]
    if is_tensor(x):
        return torch_op(x, *args, out=_out(x), **kwargs)
    return numpy_op(x, *args, **kwargs)


def _np_add(a: np.ndarray, b: Any, alpha: float = 1.0) -> np.ndarray:
    return a + (b if alpha == 1.0 else alpha * b)


def _np_lerp(a: np.ndarray, b: np.ndarray, weight: float) -> np.ndarray:
    return a + weight * (b - a)


def _np_addcmul(a: np.ndarray, b: np.ndarray, c: np.ndarray, value: float = 1.0) -> np.ndarray:
    return a + value * (b * c)


def neg(x: Arrays) -> Arrays:
    """−x."""
    return _new(x, np.negative, torch.neg, torch._foreach_neg)


def sqrt(x: Arrays) -> Arrays:
    """√x elementwise."""
    return _new(x, np.sqrt, torch.sqrt, torch._foreach_sqrt)


def add(a: Arrays, b: Any, alpha: float = 1.0) -> Arrays:
    """a + α·b, where b is an array (list) like ``a`` or a number."""
    if isinstance(b, numbers.Number):
        return _new(a, np.add, torch.add, torch._foreach_add, alpha * b)
    return _new(a, _np_add, torch.add, torch._foreach_add, b, alpha=alpha)


def div(a: Arrays, b: Arrays) -> Arrays:
    """a / b elementwise."""
    return _new(a, np.divide, torch.div, torch._foreach_div, b)


def lerp(a: Arrays, b: Arrays, weight: float) -> Arrays:
    """a + w·(b − a), the point a fraction w of the way from ``a`` to ``b``."""
    return _new(a, _np_lerp, torch.lerp, torch._foreach_lerp, b, weight)


def addcmul(a: Arrays, b: Arrays, c: Arrays, value: float = 1.0) -> Arrays:
    """a + value·b·c (elementwise product b·c)."""
    return _new(a, _np_addcmul, torch.addcmul, torch._foreach_addcmul, b, c, value=value)


# --- in-place updates ------------------------------------------------------------------------------------


def mul_(a: Arrays, b: Any) -> Arrays:
    """a ← a·b, where b is an array (list) like ``a`` or a number."""
    if isinstance(a, list):
        torch._foreach_mul_(a, b)
    elif is_tensor(a):
        a.mul_(b)
    else:
        np.multiply(a, b, out=a)
    return a


def div_(a: Arrays, b: Any) -> Arrays:
    """a ← a / b, where b is an array (list) like ``a`` or a number."""
    if isinstance(a, list):
        torch._foreach_div_(a, b)
    elif is_tensor(a):
        a.div_(b)
    else:
        np.divide(a, b, out=a)
    return a


def add_(a: Arrays, b: Any, alpha: float = 1.0) -> Arrays:
    """a ← a + α·b, where b is an array (list) like ``a`` or a number."""
    if isinstance(a, list):
        if isinstance(b, list):
            torch._foreach_add_(a, b, alpha=alpha)
        else:
            torch._foreach_add_(a, alpha * b)
    elif is_tensor(a):
        a.add_(b, alpha=alpha)
    else:
        np.add(a, b if alpha == 1.0 else alpha * b, out=a)
    return a


def lerp_(a: Arrays, b: Arrays, weight: float) -> Arrays:
    """a ← a + w·(b − a), the linear interpolation from ``a`` towards ``b``."""
    if isinstance(a, list):
        torch._foreach_lerp_(a, b, weight)
    elif is_tensor(a):
        a.lerp_(b, weight)
    else:
        a += weight * (b - a)
    return a


def addcmul_(a: Arrays, b: Arrays, c: Arrays, value: float = 1.0) -> Arrays:
    """a ← a + value·b·c (elementwise product b·c)."""
    if isinstance(a, list):
        torch._foreach_addcmul_(a, b, c, value=value)
    elif is_tensor(a):
        a.addcmul_(b, c, value=value)
    else:
        a += value * (b * c)
    return a


def addcdiv_(a: Arrays, b: Arrays, c: Arrays, value: float = 1.0) -> Arrays:
    """a ← a + value·b/c (elementwise quotient b/c)."""
    if isinstance(a, list):
        torch._foreach_addcdiv_(a, b, c, value=value)
    elif is_tensor(a):
        a.addcdiv_(b, c, value=value)
    else:
        a += value * (b / c)
    return a


def sqrt_(a: Arrays) -> Arrays:
    """a ← √a."""
    if isinstance(a, list):
        torch._foreach_sqrt_(a)
    elif is_tensor(a):
        a.sqrt_()
    else:
        np.sqrt(a, out=a)
    return a


def sign_(a: Arrays) -> Arrays:
    """a ← sign(a), with sign(0) = 0."""
    if isinstance(a, list):
        torch._foreach_sign_(a)
    elif is_tensor(a):
        a.sign_()
    else:
        np.sign(a, out=a)
    return a


def maximum_(a: Arrays, b: Arrays) -> Arrays:
    """a ← max(a, b) elementwise."""
    if isinstance(a, list):
        torch._foreach_maximum_(a, b)
    elif is_tensor(a):
        torch.maximum(a, b, out=a)
    else:
        np.maximum(a, b, out=a)
    return a


def clamp(x: Array, low: float, high: float, *, inplace: bool = False) -> Array:
    """min(max(x, low), high) elementwise: a new array, or ``x`` itself changed when ``inplace``."""
    if is_tensor(x):
        return x.clamp_(low, high) if inplace else x.clamp(low, high)
    return np.clip(x, low, high, out=x if inplace else None)


# --- reductions ------------------------------------------------------------------------------------------


def norm(x: Array, p: float = 2.0) -> Any:
    """‖x‖_p of all entries of ``x`` (any shape) as one vector: a 0-dim tensor for a tensor, a numpy scalar
    for a numpy array (0 for an empty one); p = inf gives the largest |entry|."""
    if is_tensor(x):
        return torch.linalg.vector_norm(x, p)
    if x.size == 0:
        return x.dtype.type(0)
    return np.linalg.norm(x.ravel(), ord=p)
