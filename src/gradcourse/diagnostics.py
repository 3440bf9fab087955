"""Diagnostics: look inside a network to see whether its gradients vanish, explode or turn into NaN.

Everything here works on any ``torch.nn.Module`` and leaves the model as it found it. The tools that need
hooks are context managers, so the hooks are removed when the ``with`` block ends, even on an error::

    with LayerRecorder(model) as rec:            # forward hooks on every leaf module
        loss = F.cross_entropy(model(x), y)
        loss.backward()
    rec.activation_stats()    # {layer: ActivationStats(mean, std, saturated, dead, zero)}
    rec.signal_norms()        # {layer: ||dL/dh_l||}, the back-propagated signal at each layer's output
    grad_norms(model)         # {layer: ||g||} over each layer's own parameters
    grad_data_ratios(model)   # {weight: std(g) / std(theta)}

    before = snapshot(model)
    optimizer.step()
    update_data_ratios(model, before)   # {weight: log10(std(delta theta) / std(theta))}, aim near -3

What the numbers mean (the "diagnosing a network" chapter draws each one):

* **Saturation.** Where tanh or sigmoid sits on its flat tails, its derivative is nearly zero and the layer
  passes almost no gradient back. Following Karpathy ("Building makemore part 3"), a tanh output counts as
  saturated when ``|a| > 0.97`` (there tanh' = 1 - a^2 < 0.06); a sigmoid output when ``a < 0.03`` or
  ``a > 0.97``, the same 3 % margin from the ends of its range (there sigma' = a(1 - a) < 0.03, an eighth
  of its peak 0.25). The thresholds are :data:`TANH_SATURATION` and :data:`SIGMOID_SATURATION`.
* **Dead ReLUs.** A ReLU unit that outputs 0 for every example in the batch gets no gradient at all, so
  nothing will revive it. ``dead`` is the share of such units; ``zero`` the share of zero entries.
* **grad:data ratio** ``std(g) / std(theta)`` per weight matrix: how large the gradient is next to the
  weights it will change.
* **update:data ratio** ``log10(std(theta_after - theta_before) / std(theta_before))`` per weight matrix and
  step: the relative size of the step the optimizer actually took (so it works for Adam as well as SGD).
  Karpathy's rule of thumb is about 1e-3 (:data:`UPDATE_DATA_RATIO_TARGET`, ``-3`` on the log10 axis): much
  lower and the layer learns too slowly, much higher and the step is too big.
* **Jacobian singular values** of the input-output map ``x -> f(x)``: all near 1 is *dynamical isometry*
  (Saxe et al. 2014; Pennington et al. 2017), where signals neither shrink nor grow through depth.
* **The first non-finite value**: :func:`first_nonfinite` names the first layer whose forward output, and
  the first layer whose gradient, contains inf or NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from gradcourse._validate import all_finite, choice
from gradcourse.clip import global_norm

__all__ = [
    "ACTIVATION_KINDS",
    "SIGMOID_SATURATION",
    "TANH_SATURATION",
    "UPDATE_DATA_RATIO_TARGET",
    "ActivationStats",
    "LayerRecorder",
    "NonFiniteReport",
    "NonFiniteWatch",
    "activation_kind",
    "activation_stats",
    "first_nonfinite",
    "global_grad_norm",
    "grad_data_ratios",
    "grad_norms",
    "jacobian_singular_values",
    "snapshot",
    "std_ratio",
    "update_data_ratios",
]

#: A tanh output ``a`` is saturated when ``|a| > TANH_SATURATION`` (Karpathy, makemore part 3).
TANH_SATURATION = 0.97
#: A sigmoid output ``a`` is saturated when ``a < SIGMOID_SATURATION[0]`` or ``a > SIGMOID_SATURATION[1]``.
SIGMOID_SATURATION = (0.03, 0.97)
#: Rule of thumb for the update:data ratio std(delta theta) / std(theta): about 1e-3 (log10 = -3).
UPDATE_DATA_RATIO_TARGET = 1e-3

#: The activation families whose saturation / death we measure; every other module is "other".
ACTIVATION_KINDS = ("tanh", "sigmoid", "relu", "other")

_KIND_OF_MODULE: tuple[tuple[type[nn.Module], str], ...] = (
    (nn.Tanh, "tanh"),
    (nn.Sigmoid, "sigmoid"),
    (nn.ReLU, "relu"),
)


# --------------------------------------------------------------------------------------------------------
# Pure statistics of one tensor
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivationStats:
    """Summary of one layer's output ``a`` over a batch.

    ``mean`` and ``std`` are over all entries (``std`` is torch's default, with Bessel's correction).
    ``saturated`` (tanh, sigmoid), ``dead`` and ``zero`` (ReLU) are shares between 0 and 1, and ``None``
    for the kinds they do not apply to.
    """

    kind: str
    mean: float
    std: float
    saturated: float | None = None
    dead: float | None = None
    zero: float | None = None


def activation_kind(module: nn.Module) -> str:
    """``"tanh"``, ``"sigmoid"`` or ``"relu"`` for those torch modules, ``"other"`` for anything else."""
    for cls, kind in _KIND_OF_MODULE:
        if isinstance(module, cls):
            return kind
    return "other"


def activation_stats(a: Tensor, kind: str = "other") -> ActivationStats:
    """Statistics of a batch of activations ``a`` (first dimension = examples).

    * tanh:    ``saturated = share of entries with |a| > 0.97``
    * sigmoid: ``saturated = share of entries with a < 0.03 or a > 0.97``
    * relu:    ``zero = share of entries equal to 0``;
      ``dead = share of units that are 0 for every example`` (a *unit* is one position in the non-batch
      dimensions: a feature of a Linear layer, a channel-pixel of a conv layer).
    """
    choice("kind", kind, ACTIVATION_KINDS)
    if not isinstance(a, Tensor) or a.ndim == 0 or a.numel() == 0:
        raise ValueError(f"a must be a non-empty tensor with a batch dimension, got {_describe(a)}")
    a = a.detach()
    stats: dict[str, Any] = {"kind": kind, "mean": a.mean().item(), "std": a.std().item()}
    if kind == "tanh":
        stats["saturated"] = (a.abs() > TANH_SATURATION).double().mean().item()
    elif kind == "sigmoid":
        low, high = SIGMOID_SATURATION
        stats["saturated"] = ((a < low) | (a > high)).double().mean().item()
    elif kind == "relu":
        is_zero = a.reshape(a.shape[0], -1) == 0
        stats["zero"] = is_zero.double().mean().item()
        stats["dead"] = is_zero.all(dim=0).double().mean().item()
    return ActivationStats(**stats)


def std_ratio(numerator: Tensor, denominator: Tensor) -> float:
    """``std(numerator) / std(denominator)``: the grad:data ratio with (g, theta), the update:data ratio
    with (delta theta, theta). inf when ``denominator`` is constant (for example a zero-initialised weight)."""
    return (numerator.detach().std() / denominator.detach().std()).item()


def _describe(x: Any) -> str:
    if isinstance(x, Tensor):
        return f"a tensor of shape {tuple(x.shape)}"
    return f"{type(x).__name__}"


# --------------------------------------------------------------------------------------------------------
# Parameter gradients and ratios (no hooks needed: they read .grad after backward)
# --------------------------------------------------------------------------------------------------------


def global_grad_norm(parameters: Iterable[Tensor] | nn.Module) -> float:
    """``||g|| = sqrt(sum_i ||g_i||^2)`` over every parameter that has a gradient (0.0 if none has one),
    computed by :func:`gradcourse.clip.global_norm`.

    This is the number ``clip_grad_norm_`` compares with ``max_norm``; it is inf or NaN as soon as one
    gradient entry is.
    """
    if isinstance(parameters, nn.Module):
        parameters = parameters.parameters()
    return float(global_norm([p.grad for p in parameters if p.grad is not None]))


def grad_norms(model: nn.Module, *, by: str = "module") -> dict[str, float]:
    """Euclidean norm of the gradient, per layer, after ``loss.backward()``.

    ``by="module"``: one entry per module that owns parameters, the norm over its own parameters
    (``sqrt(||dW||^2 + ||db||^2)`` for a Linear layer), keyed by module name (``"blocks.3.linear"``).
    ``by="parameter"``: one entry per parameter (``"blocks.3.linear.weight"``).
    Parameters without a gradient are skipped.
    """
    if choice("by", by, ("module", "parameter")) == "parameter":
        return {n: torch.linalg.vector_norm(p.grad).item() for n, p in model.named_parameters() if p.grad is not None}
    norms = {}
    for name, module in model.named_modules():
        own = list(module.parameters(recurse=False))
        if any(p.grad is not None for p in own):
            norms[name or type(module).__name__] = global_grad_norm(own)
    return norms


def _weights(model: nn.Module, weights_only: bool) -> Iterator[tuple[str, Tensor]]:
    """The parameters the ratios are reported for: by default matrices and kernels (``ndim >= 2``), as in
    Karpathy's plots; biases and normalisation gains start constant, so std(theta) would be 0."""
    for name, p in model.named_parameters():
        if p.ndim >= 2 or not weights_only:
            yield name, p


def grad_data_ratios(model: nn.Module, *, weights_only: bool = True) -> dict[str, float]:
    """``std(g) / std(theta)`` for every weight that has a gradient, keyed by parameter name."""
    return {n: std_ratio(p.grad, p) for n, p in _weights(model, weights_only) if p.grad is not None}


def snapshot(model: nn.Module, *, weights_only: bool = True) -> dict[str, Tensor]:
    """Copies of the weights, taken just before ``optimizer.step()``, for :func:`update_data_ratios`."""
    return {n: p.detach().clone() for n, p in _weights(model, weights_only)}


def update_data_ratios(model: nn.Module, before: dict[str, Tensor]) -> dict[str, float]:
    """``log10(std(theta - theta_before) / std(theta_before))`` per weight in ``before``.

    We use the standard-deviation form (not ``||delta theta|| / ||theta||``) so that it is on the same footing
    as :func:`grad_data_ratios`, and the *actual* change of the weights, so it is right for any optimizer.
    Compare with ``log10(UPDATE_DATA_RATIO_TARGET) = -3``. A weight that did not move gives ``-inf``.
    """
    params = dict(model.named_parameters())
    unknown = sorted(set(before) - set(params))
    if unknown:
        raise ValueError(f"before has names the model does not: {unknown[:3]}; take it with snapshot(model)")
    with np.errstate(divide="ignore"):
        return {n: float(np.log10(std_ratio(params[n] - old, old))) for n, old in before.items()}


# --------------------------------------------------------------------------------------------------------
# Hooks
# --------------------------------------------------------------------------------------------------------


def _leaf_modules(model: nn.Module, modules: Iterable[str] | tuple[type, ...] | None) -> dict[str, nn.Module]:
    """Pick the modules to hook: all leaves (modules without children), leaves of the given types, or the
    modules with the given names."""
    if isinstance(modules, tuple) and all(isinstance(t, type) for t in modules):
        types, modules = modules, None
    else:
        types = (nn.Module,)
    if modules is None:
        chosen = {n: m for n, m in model.named_modules() if not any(m.children()) and isinstance(m, types)}
        return {n or type(m).__name__: m for n, m in chosen.items()}
    named = dict(model.named_modules())
    names = [modules] if isinstance(modules, str) else list(modules)
    missing = [n for n in names if n not in named]
    if missing:
        raise ValueError(f"modules: no module named {missing[0]!r}; some names are {list(named)[1:6]}")
    return {n: named[n] for n in names}


def _first_tensor(output: Any) -> Tensor | None:
    if isinstance(output, Tensor):
        return output
    if isinstance(output, (tuple, list)):
        return next((o for o in output if isinstance(o, Tensor)), None)
    return None


class _Hooks:
    """Context-manager plumbing shared by the recorders: hooks are added on ``__enter__`` and removed by
    ``__exit__`` or :meth:`remove`."""

    def __init__(self) -> None:
        self._handles: list[Any] = []

    def _attach(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def __enter__(self):
        self.remove()
        self._attach()
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def remove(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()


class LayerRecorder(_Hooks):
    """Record each layer's output ``h_l`` (forward) and the signal ``dL/dh_l`` that reaches it (backward).

    ``modules``: ``None`` for every leaf module, a tuple of module types (``(nn.Tanh,)``), or a list of
    module names. After the ``with`` block, :attr:`activations` and :attr:`signals` hold detached copies
    from the last forward and backward pass. A module called more than once per pass (an RNN cell) keeps the
    output of its last call and the signal of its first call (which backward reaches last).
    """

    def __init__(self, model: nn.Module, modules: Iterable[str] | tuple[type, ...] | None = None) -> None:
        super().__init__()
        self.modules = _leaf_modules(model, modules)
        self.kinds = {name: activation_kind(m) for name, m in self.modules.items()}
        self.activations: dict[str, Tensor] = {}
        self.signals: dict[str, Tensor] = {}

    def _attach(self) -> None:
        for name, module in self.modules.items():
            self._handles.append(module.register_forward_hook(self._forward_hook(name)))

    def _forward_hook(self, name: str) -> Callable[..., None]:
        def hook(module: nn.Module, inputs: Any, output: Any) -> None:
            out = _first_tensor(output)
            if out is None:
                return
            # clone: an in-place op later in the forward pass (ReLU(inplace=True)) would change a plain view
            self.activations[name] = out.detach().clone()
            if out.requires_grad:
                self._handles.append(out.register_hook(lambda g: self.signals.__setitem__(name, g.detach())))

        return hook

    def activation_stats(self) -> dict[str, ActivationStats]:
        """:func:`activation_stats` of every recorded output, with the kind read from the module type."""
        return {n: activation_stats(a, self.kinds[n]) for n, a in self.activations.items()}

    def signal_norms(self) -> dict[str, float]:
        """``||dL/dh_l||`` (Frobenius norm over the batch) per layer, in forward order. With a mean loss
        it scales as 1 / batch size; compare layers with each other, not across batch sizes."""
        return {n: torch.linalg.vector_norm(self.signals[n]).item() for n in self.modules if n in self.signals}


@dataclass(frozen=True)
class NonFiniteReport:
    """Where inf/NaN first appears in one forward + backward pass.

    * ``forward``: the first module, in forward order, whose output contains inf or NaN.
    * ``backward``: the first module, *in the order the gradient reaches it* (from the loss backwards), whose
      backward step produced a non-finite gradient -- for its own parameters or for its input -- and
      ``backward_what`` says which (``"weight"``, ``"bias"``, ``"input"``). If the loss is already non-finite
      every gradient is, and ``backward`` names the last layer.
    * ``nonfinite_parameters``: parameters that already hold inf or NaN (the usual cause after a huge step).
    """

    loss: float
    forward: str | None
    backward: str | None
    backward_what: str | None
    nonfinite_parameters: tuple[str, ...]

    @property
    def found(self) -> bool:
        """True if anything is non-finite."""
        return bool(self.forward or self.backward or self.nonfinite_parameters or not math.isfinite(self.loss))

    def __str__(self) -> str:
        params = ", ".join(self.nonfinite_parameters[:5]) or "none"
        if len(self.nonfinite_parameters) > 5:
            params += f", ... ({len(self.nonfinite_parameters)} in all)"
        grad = f"{self.backward!r} (gradient of its {self.backward_what})" if self.backward else "none"
        act = repr(self.forward) if self.forward else "none"
        return (
            f"loss = {self.loss:.6g}; first non-finite activation (forward order): {act}; "
            f"first non-finite gradient (backward order): {grad}; parameters holding inf/NaN: {params}"
        )


class NonFiniteWatch(_Hooks):
    """Hooks that note the first module whose forward output, and the first whose gradient, is non-finite.

    The gradient hooks sit on each leaf module's *input* and on every parameter, so the module named is the
    one whose backward step turned a finite incoming gradient into inf/NaN. When one tensor feeds several
    modules, its gradient is the sum of theirs and is credited to the last of them in forward order (so an
    ``nn.Identity`` that passes its input on is skipped in favour of the module after it).
    """

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model
        self.modules = _leaf_modules(model, None)
        self.forward: str | None = None
        self.backward: str | None = None
        self.backward_what: str | None = None
        # id(input tensor) -> (the tensor, kept alive so the id stays unique; [name of its last consumer])
        self._consumers: dict[int, tuple[Tensor, list[str]]] = {}

    def _attach(self) -> None:
        for name, module in self.modules.items():
            self._handles.append(module.register_forward_hook(self._forward_hook(name)))
        for full_name, p in self.model.named_parameters():
            if p.requires_grad:
                owner, _, short = full_name.rpartition(".")
                self._handles.append(p.register_hook(self._grad_hook([owner or type(self.model).__name__], short)))

    def remove(self) -> None:
        super().remove()
        self._consumers.clear()

    def _grad_hook(self, credit: list[str], what: str) -> Callable[[Tensor], None]:
        def hook(grad: Tensor) -> None:
            if self.backward is None and not all_finite(grad):
                self.backward, self.backward_what = credit[0], what

        return hook

    def _forward_hook(self, name: str) -> Callable[..., None]:
        def hook(module: nn.Module, inputs: Any, output: Any) -> None:
            out = _first_tensor(output)
            if self.forward is None and out is not None and not all_finite(out.detach()):
                self.forward = name
            for x in inputs:
                if not (isinstance(x, Tensor) and x.requires_grad):
                    continue
                if id(x) in self._consumers:
                    self._consumers[id(x)][1][0] = name
                else:
                    credit = [name]
                    self._consumers[id(x)] = (x, credit)
                    self._handles.append(x.register_hook(self._grad_hook(credit, "input")))

        return hook


def first_nonfinite(
    model: nn.Module, loss_fn: Callable[[Tensor, Tensor], Tensor], inputs: Tensor, targets: Tensor
) -> NonFiniteReport:
    """Run ``loss_fn(model(inputs), targets)`` forward and backward and report where inf/NaN first appears.

    The gradients are taken with ``torch.autograd.grad``, so the parameters' ``.grad`` are left untouched;
    the model's train/eval mode is not changed.
    """
    params = [p for p in model.parameters() if p.requires_grad]
    with NonFiniteWatch(model) as watch, torch.enable_grad():
        loss = loss_fn(model(inputs), targets)
        if params and loss.requires_grad:
            torch.autograd.grad(loss, params, allow_unused=True)
    bad = tuple(n for n, p in model.named_parameters() if not all_finite(p.detach()))
    return NonFiniteReport(
        loss=loss.item(),
        forward=watch.forward,
        backward=watch.backward,
        backward_what=watch.backward_what,
        nonfinite_parameters=bad,
    )


# --------------------------------------------------------------------------------------------------------
# Input-output Jacobian
# --------------------------------------------------------------------------------------------------------


def jacobian_singular_values(model: nn.Module, inputs: Tensor, *, per_example: bool = False) -> np.ndarray:
    """Singular values of the input-output Jacobian ``J(x) = d model(x) / dx`` at each example ``x``.

    ``inputs`` has a batch dimension first (a single example without one is accepted too); each example's
    output and input are flattened, so ``J`` is ``(d_out, d_in)`` with ``k = min(d_out, d_in)`` singular
    values. Returns, largest first, an array of shape ``(batch, k)`` if ``per_example``, else their mean over
    the batch, shape ``(k,)``. For a histogram of the spectrum use ``per_example=True`` and ``.ravel()``.

    Each example goes through the model alone, so put a model with batch normalisation in ``eval()`` first.
    """
    if not isinstance(inputs, Tensor) or inputs.numel() == 0:
        raise ValueError(f"inputs must be a non-empty tensor, got {_describe(inputs)}")
    x = inputs.detach()
    if x.ndim == 1:
        x = x.unsqueeze(0)

    def f(example: Tensor) -> Tensor:
        return model(example.unsqueeze(0)).reshape(-1)

    try:
        jac = torch.func.vmap(torch.func.jacrev(f))(x)
    except RuntimeError:  # a module vmap cannot batch: one example at a time
        jac = torch.stack([torch.func.jacrev(f)(xi) for xi in x])
    jac = jac.reshape(x.shape[0], -1, x[0].numel())
    sv = torch.linalg.svdvals(jac).detach().cpu().numpy()
    return sv if per_example else sv.mean(axis=0)
