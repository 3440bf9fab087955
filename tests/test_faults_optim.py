"""Bad input and faults thrown at the optimizers: each gets a clear error that names the argument, or a
correct result — never a silent wrong result or a raw numpy/torch error from deep inside a rule.

Every case here failed before the fix it names (issue 19, items 5 and 6; issue 20, item 5 on ``_register``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import gradcourse.optim as go
from gradcourse.optim import functional as F
from gradcourse.optim.rules import REGISTRY, _register

CLASSES = ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "NAdam", "RAdam", "LARS", "LAMB", "Lion"]
NUMERIC = {  # class -> its numeric hyperparameters (besides lr) that have a range
    "SGD": ["momentum", "dampening", "weight_decay"],
    "Adagrad": ["lr_decay", "weight_decay", "initial_accumulator_value", "eps"],
    "RMSprop": ["alpha", "eps", "weight_decay", "momentum"],
    "Adadelta": ["rho", "eps", "weight_decay"],
    "Adam": ["eps", "weight_decay"],
    "AdamW": ["eps", "weight_decay"],
    "NAdam": ["eps", "weight_decay", "momentum_decay"],
    "RAdam": ["eps", "weight_decay"],
    "LARS": ["momentum", "weight_decay", "trust_coefficient"],
    "LAMB": ["eps", "weight_decay"],
    "Lion": ["weight_decay"],
}
BAD_NUMBERS = [math.nan, math.inf, -math.inf, -0.5]
BAD_TYPES = ["0.1", None, True, [0.1]]
TOO_LARGE = {"dampening": 1.5, "alpha": 1.5, "rho": 1.5}  # decay rates: at most 1


def model_params(seed: int = 0) -> list[torch.nn.Parameter]:
    gen = torch.Generator().manual_seed(seed)
    return [torch.nn.Parameter(torch.randn(shape, generator=gen)) for shape in [(3, 2), (3,)]]


def with_grads(params: list[torch.nn.Parameter]) -> list[torch.nn.Parameter]:
    for p in params:
        p.grad = torch.ones_like(p)
    return params


def cases() -> list[tuple[str, str, object]]:
    out = []
    for cls, names in NUMERIC.items():
        for name in ["lr", *names]:
            values = BAD_NUMBERS + BAD_TYPES + ([TOO_LARGE[name]] if name in TOO_LARGE else [])
            out += [(cls, name, value) for value in values]
    return out


CASES = cases()
IDS = [f"{c}-{n}-{v!r}" for c, n, v in CASES]


# --- issue 19.5: a bad hyperparameter is rejected wherever it comes from --------------------------------


@pytest.mark.parametrize(("cls", "name", "value"), CASES, ids=IDS)
def test_bad_hyperparameter_in_the_constructor(cls, name, value):
    with pytest.raises(ValueError, match=rf"{name}|learning rate|epsilon"):
        getattr(go, cls)(model_params(), **{name: value})


@pytest.mark.parametrize(("cls", "name", "value"), CASES, ids=IDS)
def test_bad_hyperparameter_in_a_param_group_dict(cls, name, value):
    params = model_params()
    with pytest.raises(ValueError, match=r"param_groups\[1\]"):
        getattr(go, cls)([{"params": params[:1]}, {"params": params[1:], name: value}])


@pytest.mark.parametrize(("cls", "name", "value"), CASES, ids=IDS)
def test_bad_hyperparameter_from_add_param_group(cls, name, value):
    params = model_params()
    opt = getattr(go, cls)(params[:1])
    with pytest.raises(ValueError, match=r"param_groups\[1\]"):
        opt.add_param_group({"params": params[1:], name: value})


@pytest.mark.parametrize(("cls", "name", "value"), CASES, ids=IDS)
def test_bad_hyperparameter_set_later_is_caught_at_the_step_and_changes_nothing(cls, name, value):
    params = with_grads(model_params())
    opt = getattr(go, cls)([{"params": params[:1]}, {"params": params[1:]}])
    before = [p.detach().clone() for p in params]
    opt.param_groups[1][name] = value
    with pytest.raises(ValueError, match=r"param_groups\[1\]"):
        opt.step()
    for p, b in zip(params, before, strict=True):  # group 0, checked fine, was not updated either
        assert torch.equal(p.detach(), b)


@pytest.mark.parametrize(("name", "value"), [("lr", math.nan), ("eps", -1.0), ("dampening", math.nan)])
def test_functional_step_rejects_bad_hyperparameters_too(name, value):
    rule = "sgd" if name == "dampening" else "adam"
    theta = np.ones(2)
    with pytest.raises(ValueError):
        F.step(rule, theta, np.ones(2), {}, **{name: value})
    assert theta.tolist() == [1.0, 1.0]


def test_bad_betas_anywhere():
    with pytest.raises(ValueError, match=r"param_groups\[0\]: Invalid beta parameter at index 1: nan"):
        go.NAdam([{"params": model_params(), "betas": (0.9, math.nan)}])
    opt = go.Adam(with_grads(model_params()))
    opt.param_groups[0]["betas"] = (1.0, 0.999)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 0: 1.0"):
        opt.step()
    with pytest.raises(ValueError, match=r"betas\[0\] must be a number, got '0.9'"):
        F.step("lion", np.ones(2), np.ones(2), {}, betas=("0.9", 0.99))


# --- issue 19.6: smaller parity and robustness gaps ------------------------------------------------------


@pytest.mark.parametrize("cls", ["NAdam", "RAdam", "Adam"])
@pytest.mark.parametrize("make", [np.array, torch.tensor, list])
def test_betas_as_an_array_or_tensor_are_accepted_like_torch(cls, make):
    a, b = with_grads(model_params()), with_grads(model_params())
    getattr(go, cls)(a, betas=make([0.8, 0.99])).step()
    getattr(go, cls)(b, betas=(0.8, 0.99)).step()
    for x, y in zip(a, b, strict=True):
        assert torch.equal(x, y)


def test_sgd_momentum_true_is_refused_with_a_message():
    with pytest.raises(ValueError, match=r"momentum must be a number, got the bool True"):
        go.SGD(model_params(), lr=0.1, momentum=True)


def test_huge_learning_rate_names_lr_instead_of_a_raw_runtime_error():
    opt = go.SGD(with_grads(model_params()), lr=1e308)
    with pytest.raises(ValueError, match=r"lr=1e\+308 does not fit in the parameters' dtype"):
        opt.step()


def test_tensor_hyperparameter_on_numpy_arrays():
    a, b = np.array([1.0, -2.0]), np.array([1.0, -2.0])
    lr, beta2 = torch.tensor(0.1, dtype=torch.float64), torch.tensor(0.999, dtype=torch.float64)
    F.step("adam", a, np.array([0.5, 0.5]), {}, lr=lr, betas=(np.float64(0.9), beta2))
    F.step("adam", b, np.array([0.5, 0.5]), {}, lr=0.1)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_low_precision_gradient_is_used_in_the_parameters_precision(backend):
    wrap = np.asarray if backend == "numpy" else torch.as_tensor
    theta, reference = wrap(np.array([1.0, 2.0])), wrap(np.array([1.0, 2.0]))
    g64 = np.array([0.1, 1e-4])
    state, ref_state = {}, {}
    for _ in range(2):
        F.step("sgd", theta, wrap(g64.astype(np.float16)), state, lr=0.5, momentum=0.9)
        F.step("sgd", reference, wrap(g64.astype(np.float16).astype(np.float64)), ref_state, lr=0.5, momentum=0.9)
    assert state["momentum_buffer"].dtype == theta.dtype
    assert np.array_equal(np.asarray(theta), np.asarray(reference))


def test_read_only_numpy_parameter():
    theta = np.ones(2)
    theta.flags.writeable = False
    with pytest.raises(ValueError, match="param is a read-only numpy array"):
        F.step("sgd", theta, np.ones(2), {})


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_state_built_for_another_shape(backend):
    wrap = np.zeros if backend == "numpy" else torch.zeros
    state = F.init_state("adam", wrap(3))
    with pytest.raises(ValueError, match=r"state\['exp_avg'\] has shape \(3,\) but param has shape \(2,\)"):
        F.step("adam", wrap(2), wrap(2), state)


@pytest.mark.parametrize("step", ["3", None, -1, 1.5, math.nan, torch.tensor([1.0, 2.0])])
def test_corrupt_step_counter(step):
    state = F.init_state("adam", np.zeros(2))
    state["step"] = step
    with pytest.raises(ValueError, match=r"state\['step'\] must be a whole number >= 0"):
        F.step("adam", np.zeros(2), np.ones(2), state)


def test_corrupt_step_counter_in_a_loaded_optimizer_state():
    params = with_grads(model_params())
    opt = go.Adam(params)
    opt.step()
    opt.state[params[0]]["step"] = "garbage"
    with pytest.raises(ValueError, match="counter that is not a number"):
        opt.step()


@pytest.mark.parametrize(("name", "value"), [("lr", "0.1"), ("lr", None), ("eps", None), ("momentum", "0.9")])
def test_string_or_none_hyperparameter_names_the_argument(name, value):
    cls, rule = ("SGD", "sgd") if name == "momentum" else ("Adam", "adam")
    with pytest.raises(ValueError, match=rf"^{name} must be a number, got {value!r}"):
        getattr(go, cls)(model_params(), **{name: value})
    with pytest.raises(ValueError, match=rf"^{name} must be a number"):
        F.step(rule, np.ones(2), np.ones(2), {}, **{name: value})


# --- issue 20.5: a KeyError inside a rule is not disguised as "state made for other hyperparameters" -----


def test_a_typo_inside_a_rule_surfaces_as_its_own_key_error():
    def init(param, hyper):
        return {"exp_avg": np.zeros_like(param)}

    def typo_step(param, grad, state, *, lr=0.1):
        state["exp_avgg"] += grad  # the typo
        return param

    try:
        rule = _register("typo_test", init)(typo_step)
        with pytest.raises(KeyError, match="exp_avgg"):
            rule(np.zeros(2), np.ones(2), {})
    finally:
        REGISTRY.pop("typo_test", None)


def test_state_missing_an_entry_the_hyperparameters_need_is_still_explained():
    state = F.init_state("rmsprop", np.zeros(2))
    with pytest.raises(ValueError, match=r"no entry 'grad_avg', which these hyperparameters need"):
        F.step("rmsprop", np.zeros(2), np.ones(2), state, centered=True)
