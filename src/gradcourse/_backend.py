"""Tiny numpy / torch helpers, so that one formula runs on both kinds of array.

The optimizer rules in :mod:`gradcourse.optim` are written once. On the chapters' 2-D toy problems the
parameters are numpy arrays; on real networks they are torch tensors. Each helper below performs one
elementwise operation *in place* (the trailing underscore, as in torch) and picks the right call for the
array it is given:

* torch tensors use torch's fused in-place methods (``lerp_``, ``addcmul_``, ``addcdiv_``), which read and
  write memory once and allocate nothing;
* numpy arrays use ufuncs with ``out=``; a few small temporaries are fine for the toy problems.

Nothing here knows about optimizers. :class:`Workspace` keeps scratch arrays alive between steps so a rule
that needs a temporary (for example Adam's denominator √v + ε) does not allocate fresh memory every step.
"""

from __future__ import annotations

import numpy as np
import torch

Array = np.ndarray | torch.Tensor

__all__ = [
    "Array",
    "Workspace",
    "add",
    "add_",
    "add_scalar_",
    "addcdiv_",
    "addcmul",
    "clone",
    "copy_",
    "div",
    "empty_like",
    "full_like",
    "is_tensor",
    "lerp_",
    "maximum_",
    "mul",
    "mul_",
    "neg",
    "norm",
    "scale_add_",
    "scale_addcmul_",
    "scratch",
    "sign",
    "sqrt",
    "sqrt_",
    "zeros_like",
]


def is_tensor(x: object) -> bool:
    """True for a torch tensor, False for anything else (numpy arrays)."""
    return isinstance(x, torch.Tensor)


# --- new arrays ------------------------------------------------------------------------------------------


def zeros_like(x: Array) -> Array:
    """A new array of zeros with the shape, dtype (and device) of ``x``."""
    if is_tensor(x):
        return torch.zeros_like(x, memory_format=torch.preserve_format)
    return np.zeros_like(x)


def full_like(x: Array, value: float) -> Array:
    """A new array filled with ``value``, shaped like ``x``."""
    if is_tensor(x):
        return torch.full_like(x, value, memory_format=torch.preserve_format)
    return np.full_like(x, value)


def empty_like(x: Array) -> Array:
    """A new uninitialised array shaped like ``x`` (write into it before reading)."""
    if is_tensor(x):
        return torch.empty_like(x)
    return np.empty_like(x)


def clone(x: Array) -> Array:
    """An independent copy of ``x`` (detached from autograd for tensors)."""
    if is_tensor(x):
        return x.detach().clone()
    return np.array(x, copy=True)


# --- out-of-place results written into ``out`` -----------------------------------------------------------


def neg(x: Array, out: Array) -> Array:
    """out = −x."""
    if is_tensor(x):
        return torch.neg(x, out=out)
    return np.negative(x, out=out)


def add(a: Array, b: Array | float, out: Array, alpha: float = 1.0) -> Array:
    """out = a + α·b, where b is an array or a number (``out`` may be ``a`` itself)."""
    if is_tensor(a):
        return torch.add(a, b, alpha=alpha, out=out)
    return np.add(a, b if alpha == 1.0 else alpha * b, out=out)


def addcmul(a: Array, b: Array, c: Array, value: float, out: Array) -> Array:
    """out = a + value·b·c  (elementwise product b·c)."""
    if is_tensor(a):
        return torch.addcmul(a, b, c, value=value, out=out)
    return np.add(a, value * b * c, out=out)


def copy_(dst: Array, src: Array) -> Array:
    """dst ← src (entries copied, ``dst`` keeps its own memory)."""
    if is_tensor(dst):
        return dst.copy_(src)
    np.copyto(dst, src)
    return dst


def div(a: Array, b: Array, out: Array) -> Array:
    """out = a / b elementwise (``out`` may be ``a`` or ``b``)."""
    if is_tensor(a):
        return torch.div(a, b, out=out)
    return np.divide(a, b, out=out)


def mul(a: Array, b: Array, out: Array) -> Array:
    """out = a · b elementwise (``out`` may be ``a`` or ``b``)."""
    if is_tensor(a):
        return torch.mul(a, b, out=out)
    return np.multiply(a, b, out=out)


def sqrt(x: Array, out: Array) -> Array:
    """out = √x elementwise."""
    if is_tensor(x):
        return torch.sqrt(x, out=out)
    return np.sqrt(x, out=out)


def sign(x: Array, out: Array) -> Array:
    """out = sign(x) elementwise, with sign(0) = 0."""
    if is_tensor(x):
        return torch.sign(x, out=out)
    return np.sign(x, out=out)


def norm(x: Array) -> float:
    """The Euclidean norm ‖x‖₂ of all entries of ``x``, as a Python float."""
    if is_tensor(x):
        return float(torch.linalg.vector_norm(x))
    return float(np.linalg.norm(x))


# --- in-place updates ------------------------------------------------------------------------------------


def mul_(a: Array, factor: float) -> Array:
    """a ← factor·a."""
    if is_tensor(a):
        return a.mul_(factor)
    a *= factor
    return a


def add_(a: Array, b: Array, alpha: float = 1.0) -> Array:
    """a ← a + α·b."""
    if is_tensor(a):
        return a.add_(b, alpha=alpha)
    if alpha == 1.0:
        a += b
    else:
        a += alpha * b
    return a


def add_scalar_(a: Array, value: float) -> Array:
    """a ← a + value (the same number added to every entry)."""
    if is_tensor(a):
        return a.add_(value)
    a += value
    return a


def sqrt_(a: Array) -> Array:
    """a ← √a."""
    if is_tensor(a):
        return a.sqrt_()
    return np.sqrt(a, out=a)


def lerp_(a: Array, b: Array, weight: float) -> Array:
    """a ← a + w·(b − a), the linear interpolation from ``a`` towards ``b``."""
    if is_tensor(a):
        return a.lerp_(b, weight)
    a += weight * (b - a)
    return a


def scale_add_(a: Array, decay: float, b: Array, weight: float) -> Array:
    """a ← decay·a + weight·b  (one pass over memory when weight = 1: a ← b + decay·a)."""
    if weight == 1.0:
        return add(b, a, a, alpha=decay)
    if decay != 1.0:
        mul_(a, decay)
    return add_(a, b, weight)


def scale_addcmul_(a: Array, decay: float, b: Array, c: Array, weight: float) -> Array:
    """a ← decay·a + weight·b·c  (elementwise product b·c)."""
    if decay != 1.0:
        mul_(a, decay)
    if is_tensor(a):
        return a.addcmul_(b, c, value=weight)
    a += weight * b * c
    return a


def addcdiv_(a: Array, b: Array, c: Array, value: float) -> Array:
    """a ← a + value·b/c  (elementwise quotient b/c)."""
    if is_tensor(a):
        return a.addcdiv_(b, c, value=value)
    a += value * (b / c)
    return a


def maximum_(a: Array, b: Array) -> Array:
    """a ← max(a, b) elementwise."""
    if is_tensor(a):
        return torch.maximum(a, b, out=a)
    return np.maximum(a, b, out=a)


# --- scratch memory --------------------------------------------------------------------------------------


class Workspace:
    """Scratch arrays kept alive between optimizer steps.

    A rule asks for ``workspace.like(param, "denom")`` and gets an uninitialised array with ``param``'s shape.
    The memory is one flat buffer per (slot, dtype, device), grown to the largest parameter seen and then
    reused, so a training loop allocates its temporaries once instead of every step (for a 40 MB tensor a
    fresh allocation costs about as much as the arithmetic). Only the contents of the *current* call are
    meaningful; two different slots never share memory.
    """

    def __init__(self) -> None:
        self._buffers: dict[tuple, Array] = {}
        self._views: dict[tuple, Array] = {}

    def like(self, x: Array, slot: str) -> Array:
        """An uninitialised scratch array shaped like ``x``, private to ``slot``."""
        tensor = is_tensor(x)
        key = (slot, x.dtype, x.device if tensor else "numpy")
        view_key = (key, tuple(x.shape))
        view = self._views.get(view_key)
        if view is not None:
            return view
        n = x.numel() if tensor else x.size
        buffer = self._buffers.get(key)
        if buffer is None or len(buffer) < n:
            buffer = torch.empty(n, dtype=x.dtype, device=x.device) if tensor else np.empty(n, dtype=x.dtype)
            self._buffers[key] = buffer
            self._views = {k: v for k, v in self._views.items() if k[0] != key}  # views of the old buffer
        view = buffer[:n].view(x.shape) if tensor else buffer[:n].reshape(x.shape)
        self._views[view_key] = view
        return view

    def clear(self) -> None:
        """Release all scratch memory."""
        self._buffers.clear()
        self._views.clear()


def scratch(workspace: Workspace | None, x: Array, slot: str) -> Array:
    """A temporary shaped like ``x``: from ``workspace`` if given, else freshly allocated."""
    if workspace is None:
        return empty_like(x)
    return workspace.like(x, slot)
