"""Drop-in replacements for torch.optim classes, as thin adapters over the rules of :mod:`.rules`.

``gradcourse.optim.Adam(model.parameters(), lr=1e-3)`` behaves like ``torch.optim.Adam``: same constructor
signature, defaults and error messages, ``param_groups``, ``zero_grad``, closures, LR schedulers, hooks, and
a ``state_dict`` with torch's keys, so checkpoints move between the two in both directions. The arithmetic
is not here: :meth:`_RuleOptimizer.step` hands each parameter group to the functional rule (``adam_step``
...) as lists of tensors, which the rule updates with torch's multi-tensor (``foreach``) operations.

Differences from torch, by design:

* one implementation for every setting: ``foreach`` is accepted (any value) and changes nothing;
  ``fused=True``, ``capturable=True`` and ``differentiable=True`` select torch machinery we do not have
  (fused C++ kernels, CUDA-graph capture, autograd through the step) and raise ``ValueError``;
* temporaries (e.g. Adam's denominator) of CPU tensors are kept between steps, not reallocated
  (:class:`gradcourse._backend.Scratch`);
* hyperparameters are checked at every step, wherever they came from (constructor, param group dicts,
  ``add_param_group``, a later ``group["lr"] = …``): NaN, ±inf, strings and None are rejected everywhere
  (torch lets some through), as are SGD's dampening outside [0, 1] and RMSprop's α > 1;
* complex and sparse gradients are not supported (torch supports some).

``LARS``, ``LAMB`` and ``Lion``, which torch lacks, use the same machinery with their papers' arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import torch
from torch.optim import Optimizer

from .._backend import Scratch
from .rules import (
    REGISTRY,
    Rule,
    adadelta_step,
    adagrad_step,
    adam_step,
    adamw_step,
    lamb_step,
    lars_step,
    lion_step,
    nadam_step,
    radam_step,
    rmsprop_step,
    scalar_dtype,
    sgd_step,
)
from .validation import check_hyperparameters

__all__ = ["LAMB", "LARS", "SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Lion", "NAdam", "RAdam", "RMSprop"]

_UNSUPPORTED = {
    "fused": "torch's fused C++ kernels",
    "capturable": "CUDA-graph capture",
    "differentiable": "autograd through the optimizer step",
}
_COUNTERS = ("step", "mu_product")  # per-parameter 0-d tensors in torch's state


class _RuleOptimizer(Optimizer):
    """A torch.optim.Optimizer whose ``step`` applies the functional rule named ``rule`` to each group."""

    rule: ClassVar[str]

    def __init__(self, params: Any, defaults: dict[str, Any]) -> None:
        check_hyperparameters(self.rule, defaults, torch_types=True)
        self._reject_unsupported(defaults)
        self._scratch = Scratch()
        super().__init__(params, defaults)

    def _reject_unsupported(self, options: dict[str, Any]) -> None:
        for flag, feature in _UNSUPPORTED.items():
            if options.get(flag):
                raise ValueError(
                    f"{type(self).__name__}({flag}=True) is not supported: gradcourse.optim has one "
                    f"implementation and no {feature}. Use {flag}={'None' if flag == 'fused' else 'False'}, "
                    f"or torch.optim.{type(self).__name__} if you need it."
                )

    def _hyperparameters(self, group: dict[str, Any], index: int) -> dict[str, Any]:
        """The group's hyperparameters of this rule, checked, as Python numbers."""
        self._reject_unsupported(group)
        rule = REGISTRY[self.rule]
        return check_hyperparameters(self.rule, {k: group[k] for k in rule.defaults}, where=f"param_groups[{index}]")

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        super().add_param_group(param_group)
        self._hyperparameters(self.param_groups[-1], len(self.param_groups) - 1)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Called by ``load_state_dict`` and unpickling: complete old param groups, make counters tensors."""
        super().__setstate__(state)
        self.__dict__.setdefault("_scratch", Scratch())
        for group in self.param_groups:
            for key, value in self.defaults.items():
                group.setdefault(key, value)
            for p in group["params"]:
                p_state = self.state.get(p, {})
                for key in _COUNTERS:
                    if key in p_state and not torch.is_tensor(p_state[key]):
                        p_state[key] = torch.tensor(float(p_state[key]), dtype=scalar_dtype())

    @torch.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform a single optimization step.

        Args:
            closure (Callable, optional): A closure that reevaluates the model and returns the loss.
        """
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        rule = REGISTRY[self.rule]
        # every group checked before any is updated: a bad value leaves all parameters as they were
        hypers = [self._hyperparameters(group, index) for index, group in enumerate(self.param_groups)]
        with self._scratch:
            for group, hyper in zip(self.param_groups, hypers, strict=True):
                for params, grads, states in self._batches(rule, group, hyper):
                    if rule.elementwise:
                        state = {key: None if v is None else [s[key] for s in states] for key, v in states[0].items()}
                        rule.step(params, grads, state, **hyper)
                        for key, values in state.items():  # entries the rule created (SGD's first buffer)
                            if values is not None and states[0].get(key) is not values[0]:
                                for p, s, value in zip(params, states, values, strict=True):
                                    s[key] = value
                                    self.state[p] = s
                    else:
                        rule.step(params[0], grads[0], states[0], **hyper)
        return loss

    def _batches(self, rule: Rule, group: dict[str, Any], hyper: dict[str, Any]) -> list[tuple[list, list, list]]:
        """The group's parameters that have a gradient, with their gradients and states, in lists a rule can
        update in one call: same device, dtype, state entries and step count (one parameter per list for
        LARS and LAMB, which need one norm per tensor). Creates the state of a parameter's first step."""
        batches: dict[Any, tuple[list, list, list]] = {}
        hyper = {**rule.defaults, **hyper}
        for i, p in enumerate(group["params"]):
            grad = p.grad
            if grad is None:
                continue
            if grad.is_sparse:
                raise RuntimeError(f"{type(self).__name__} does not support sparse gradients")
            if torch.is_complex(p):
                raise ValueError(f"{type(self).__name__}: complex parameters are not supported")
            state = self.state.get(p)
            if not state:
                state = rule.init(p, hyper)
                if state:  # torch keeps no state for a parameter that needs none (SGD without momentum)
                    self.state[p] = state
            if rule.elementwise:
                try:
                    counters = tuple(float(state[key]) for key in _COUNTERS if key in state)
                except (TypeError, ValueError, RuntimeError):
                    raise ValueError(
                        f"{type(self).__name__}: the state of parameter {i} of the group holds a counter that is "
                        f"not a number ({ {k: state[k] for k in _COUNTERS if k in state} }); the state is corrupt"
                    ) from None
                key = (p.device, p.dtype, counters, tuple(k for k, v in state.items() if v is not None))
            else:
                key = i
            params, grads, states = batches.setdefault(key, ([], [], []))
            params.append(p)
            grads.append(grad)
            states.append(state)
        return list(batches.values())


def _doc(summary: str, rule: Callable) -> str:
    """Class docstring = one line of purpose + the rule's own docstring (the formula lives there only)."""
    return f"{summary}\n\n    Update rule (from :func:`gradcourse.optim.rules.{rule.__name__}`):\n\n    {rule.__doc__}"


class SGD(_RuleOptimizer):
    rule = "sgd"

    def __init__(
        self,
        params: Any,
        lr: float | torch.Tensor = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float | torch.Tensor = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr,
                "momentum": momentum,
                "dampening": dampening,
                "weight_decay": weight_decay,
                "nesterov": nesterov,
                "maximize": maximize,
                "foreach": foreach,
                "differentiable": differentiable,
                "fused": fused,
            },
        )


class Adagrad(_RuleOptimizer):
    rule = "adagrad"

    def __init__(
        self,
        params: Any,
        lr: float | torch.Tensor = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr,
                "lr_decay": lr_decay,
                "eps": eps,
                "weight_decay": weight_decay,
                "initial_accumulator_value": initial_accumulator_value,
                "foreach": foreach,
                "maximize": maximize,
                "differentiable": differentiable,
                "fused": fused,
            },
        )
        # torch.optim.Adagrad creates its state here, not at the first step; so do we.
        init = REGISTRY[self.rule].init
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = init(p, group)


class RMSprop(_RuleOptimizer):
    rule = "rmsprop"

    def __init__(
        self,
        params: Any,
        lr: float | torch.Tensor = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr,
                "momentum": momentum,
                "alpha": alpha,
                "eps": eps,
                "centered": centered,
                "weight_decay": weight_decay,
                "capturable": capturable,
                "foreach": foreach,
                "maximize": maximize,
                "differentiable": differentiable,
            },
        )


class Adadelta(_RuleOptimizer):
    rule = "adadelta"

    def __init__(
        self,
        params: Any,
        lr: float | torch.Tensor = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr,
                "rho": rho,
                "eps": eps,
                "weight_decay": weight_decay,
                "maximize": maximize,
                "capturable": capturable,
                "foreach": foreach,
                "differentiable": differentiable,
            },
        )


class Adam(_RuleOptimizer):
    rule = "adam"

    def __init__(
        self,
        params: Any,
        lr: float | torch.Tensor = 1e-3,
        betas: tuple[float | torch.Tensor, float | torch.Tensor] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr,
                "betas": tuple(betas),
                "eps": eps,
                "weight_decay": weight_decay,
                "amsgrad": amsgrad,
                "maximize": maximize,
                "foreach": foreach,
                "capturable": capturable,
                "differentiable": differentiable,
                "fused": fused,
                "decoupled_weight_decay": decoupled_weight_decay,
            },
        )


class AdamW(Adam):
    # Same layout as torch: AdamW is Adam with decoupled_weight_decay=True (rule "adam"), so the param groups
    # and state_dict match torch.optim.AdamW's key for key.

    def __init__(
        self,
        params: Any,
        lr: float | torch.Tensor = 1e-3,
        betas: tuple[float | torch.Tensor, float | torch.Tensor] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True


class NAdam(_RuleOptimizer):
    rule = "nadam"

    def __init__(
        self,
        params: Any,
        lr: float | torch.Tensor = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr,
                "betas": betas,
                "eps": eps,
                "weight_decay": weight_decay,
                "momentum_decay": momentum_decay,
                "decoupled_weight_decay": decoupled_weight_decay,
                "maximize": maximize,
                "foreach": foreach,
                "capturable": capturable,
                "differentiable": differentiable,
            },
        )


class RAdam(_RuleOptimizer):
    rule = "radam"

    def __init__(
        self,
        params: Any,
        lr: float | torch.Tensor = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr,
                "betas": betas,
                "eps": eps,
                "weight_decay": weight_decay,
                "maximize": maximize,
                "foreach": foreach,
                "capturable": capturable,
                "decoupled_weight_decay": decoupled_weight_decay,
                "differentiable": differentiable,
            },
        )


class LARS(_RuleOptimizer):
    rule = "lars"

    def __init__(
        self,
        params: Any,
        lr: float = 1.0,
        momentum: float = 0.9,
        weight_decay: float = 0.0,
        trust_coefficient: float = 1e-3,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            {
                "lr": lr,
                "momentum": momentum,
                "weight_decay": weight_decay,
                "trust_coefficient": trust_coefficient,
                "maximize": maximize,
            },
        )


class LAMB(_RuleOptimizer):
    rule = "lamb"

    def __init__(
        self,
        params: Any,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize},
        )


class Lion(_RuleOptimizer):
    rule = "lion"

    def __init__(
        self,
        params: Any,
        lr: float = 1e-4,
        betas: tuple[float, float] = (0.9, 0.99),
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, {"lr": lr, "betas": betas, "weight_decay": weight_decay, "maximize": maximize})


SGD.__doc__ = _doc("Stochastic gradient descent; a drop-in for ``torch.optim.SGD``.", sgd_step)
Adagrad.__doc__ = _doc("AdaGrad; a drop-in for ``torch.optim.Adagrad``.", adagrad_step)
RMSprop.__doc__ = _doc("RMSprop; a drop-in for ``torch.optim.RMSprop``.", rmsprop_step)
Adadelta.__doc__ = _doc("Adadelta; a drop-in for ``torch.optim.Adadelta``.", adadelta_step)
Adam.__doc__ = _doc("Adam (and AMSGrad); a drop-in for ``torch.optim.Adam``.", adam_step)
AdamW.__doc__ = _doc("AdamW; a drop-in for ``torch.optim.AdamW``.", adamw_step)
NAdam.__doc__ = _doc("NAdam; a drop-in for ``torch.optim.NAdam``.", nadam_step)
RAdam.__doc__ = _doc("RAdam; a drop-in for ``torch.optim.RAdam``.", radam_step)
LARS.__doc__ = _doc("LARS, layer-wise adaptive rate scaling (torch has no LARS).", lars_step)
LAMB.__doc__ = _doc("LAMB, layer-wise adaptive moments (torch has no LAMB).", lamb_step)
Lion.__doc__ = _doc("Lion, evolved sign momentum (torch has no Lion).", lion_step)
