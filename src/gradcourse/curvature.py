"""Curvature of a loss: Hessian-vector products and the top Hessian eigenvalue (the *sharpness*).

The Hessian H = ∇²ℓ(θ) of a network's loss has as many rows as the network has parameters, far too many to
build. Its product with a vector is cheap: Hv is the gradient of the scalar g·v, where g = ∇ℓ(θ) is kept
differentiable (double backward, Pearlmutter 1994). One Hessian-vector product costs about two gradients.

- ``hessian_vector_product(loss, params, v)``: Hv for a list of tensors v shaped like ``params``;
- ``top_eigenvalue(loss, params)``: λ_max(H) by power iteration on Hv, with the eigenvector and a residual;
- ``hessian(loss, params)``: the full matrix, for small models and tests only.

``loss`` is a zero-argument callable returning the scalar loss at the current values of ``params`` (for a
model: ``lambda: F.cross_entropy(model(X), y)``), so the routines never change the parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from gradcourse._validate import integer, real

__all__ = ["TopEigen", "hessian", "hessian_vector_product", "top_eigenvalue"]

Loss = Callable[[], Tensor]


def _params(params: Sequence[Tensor] | torch.nn.Module) -> list[Tensor]:
    if isinstance(params, torch.nn.Module):
        params = [p for p in params.parameters() if p.requires_grad]
    params = list(params)
    if not params or not all(isinstance(p, Tensor) and p.requires_grad for p in params):
        raise ValueError("params must be a non-empty list of tensors with requires_grad=True (or an nn.Module)")
    return params


def _gradient(loss: Loss, params: list[Tensor]) -> tuple[Tensor, ...]:
    value = loss()
    if not isinstance(value, Tensor) or value.numel() != 1:
        raise ValueError("loss must be a callable returning the scalar loss tensor, e.g. "
                         "lambda: F.cross_entropy(model(X), y)")
    return torch.autograd.grad(value, params, create_graph=True, allow_unused=True)


def _hvp(grads: Sequence[Tensor | None], params: list[Tensor], v: Sequence[Tensor]) -> list[Tensor]:
    """Hv = ∇(g·v), reusing the differentiable gradient ``grads`` (its graph is kept for the next product)."""
    dot = sum((g * u).sum() for g, u in zip(grads, v, strict=True) if g is not None)
    if not isinstance(dot, Tensor) or not dot.requires_grad:  # the loss is linear in params: H = 0
        return [torch.zeros_like(p) for p in params]
    out = torch.autograd.grad(dot, params, retain_graph=True, allow_unused=True)
    return [torch.zeros_like(p) if h is None else h.detach() for h, p in zip(out, params, strict=True)]


def _check_vector(v: Sequence[Tensor], params: list[Tensor]) -> list[Tensor]:
    v = list(v)
    if len(v) != len(params) or any(u.shape != p.shape for u, p in zip(v, params, strict=False)):
        raise ValueError("v (or start) must be a list of tensors with the same shapes as params, "
                         "one per parameter tensor")
    return v


def hessian_vector_product(loss: Loss, params: Sequence[Tensor] | torch.nn.Module,
                           v: Sequence[Tensor]) -> list[Tensor]:
    """H v, where H = ∇²ℓ(θ) at the current ``params`` and ``v`` is a list of tensors shaped like them.

    Two passes of automatic differentiation: g = ∇ℓ with its graph kept, then ∇(g·v) (Pearlmutter 1994).
    """
    params = _params(params)
    v = _check_vector(v, params)
    return _hvp(_gradient(loss, params), params, v)


def hessian(loss: Loss, params: Sequence[Tensor] | torch.nn.Module) -> Tensor:
    """The full Hessian (n × n for n parameters in all), one Hessian-vector product per column.

    Only for small models (tests, the quadratic check in 2.4): it costs n products and n² numbers.
    """
    params = _params(params)
    grads = _gradient(loss, params)
    sizes = [p.numel() for p in params]
    n = sum(sizes)
    columns = []
    for i in range(n):
        flat = torch.zeros(n, dtype=params[0].dtype, device=params[0].device)
        flat[i] = 1.0
        pieces = torch.split(flat, sizes)
        hv = _hvp(grads, params, [piece.view_as(p) for piece, p in zip(pieces, params, strict=True)])
        columns.append(torch.cat([h.reshape(-1) for h in hv]))
    return torch.stack(columns, dim=1)


@dataclass(frozen=True)
class TopEigen:
    """Result of :func:`top_eigenvalue`.

    ``value``: the Rayleigh quotient vᵀHv of the final unit vector v; ``vector``: v, shaped like the params;
    ``residual``: ‖Hv − value·v‖ / |value| (small when v is an eigenvector); ``iterations``: products used;
    ``converged``: whether the relative change of ``value`` fell below ``tol``; ``history``: value per iteration.
    """

    value: float
    vector: list[Tensor]
    residual: float
    iterations: int
    converged: bool
    history: list[float]


def _dot(a: Sequence[Tensor], b: Sequence[Tensor]) -> float:
    return float(sum((x * y).sum() for x, y in zip(a, b, strict=True)))


def top_eigenvalue(loss: Loss, params: Sequence[Tensor] | torch.nn.Module, *, max_iter: int = 100,
                   tol: float = 1e-4, seed: int = 0, start: Sequence[Tensor] | None = None) -> TopEigen:
    """The eigenvalue of largest magnitude of H = ∇²ℓ(θ) by power iteration: v ← Hv/‖Hv‖.

    For the loss of a network at or near a minimum this is λ_max, the sharpness (the negative eigenvalues are
    much smaller in magnitude); a negative ``value`` says the most curved direction curves down. Each
    iteration costs one Hessian-vector product; iteration stops when the Rayleigh quotient changes by less
    than ``tol`` (relative) from one iteration to the next, or after ``max_iter``. The start vector is
    Gaussian, drawn from its own generator seeded with ``seed`` (the global random state is untouched), or
    ``start`` (e.g. the previous result's ``vector`` when tracking λ_max during training: a warm start).
    Power iteration converges at rate |λ₂/λ₁| per step, so check ``converged`` and ``residual``.
    """
    params = _params(params)
    max_iter = integer("max_iter", max_iter, 1)
    tol = real("tol", tol, 0.0, open_low=True)
    generator = torch.Generator().manual_seed(integer("seed", seed, 0))
    if start is None:
        v = [torch.randn(p.shape, generator=generator, dtype=p.dtype).to(p.device) for p in params]
    else:
        v = [u.detach().to(p.dtype) for u, p in zip(_check_vector(start, params), params, strict=True)]
    norm = math.sqrt(_dot(v, v))
    if norm == 0.0:
        raise ValueError("start must not be the zero vector: give a nonzero list of tensors shaped like params")
    v = [u / norm for u in v]
    grads = _gradient(loss, params)
    history: list[float] = []
    converged = False
    for i in range(max_iter):
        hv = _hvp(grads, params, v)
        value = _dot(v, hv)  # Rayleigh quotient of the unit vector v
        history.append(value)
        norm = math.sqrt(_dot(hv, hv))
        if (len(history) > 1 and abs(history[-1] - history[-2]) <= tol * abs(history[-1])) or norm == 0.0:
            converged = True  # (norm 0: Hv = 0, v is an eigenvector with eigenvalue 0)
            break
        if i < max_iter - 1:
            v = [h / norm for h in hv]
    residual_vec = [h - value * u for h, u in zip(hv, v, strict=True)]
    residual = math.sqrt(_dot(residual_vec, residual_vec)) / (abs(value) if value != 0 else 1.0)
    return TopEigen(value=value, vector=v, residual=residual, iterations=len(history), converged=converged,
                    history=history)
