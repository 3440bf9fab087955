"""gradcourse.optim's classes are drop-ins for torch.optim's: signatures, defaults, errors, state_dict,
schedulers, closures, zero_grad, pickling."""

from __future__ import annotations

import copy
import inspect
import pickle

import pytest
import torch

import gradcourse.optim as go
from gradcourse.optim import functional as F

TORCH_TWINS = ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "NAdam", "RAdam"]
RULE_OF = {
    "SGD": "sgd",
    "Adagrad": "adagrad",
    "RMSprop": "rmsprop",
    "Adadelta": "adadelta",
    "Adam": "adam",
    "AdamW": "adamw",
    "NAdam": "nadam",
    "RAdam": "radam",
    "LARS": "lars",
    "LAMB": "lamb",
    "Lion": "lion",
}
TOL = 1e-10


def make_model(seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3)).double()


def make_data(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(100 + seed)
    X = torch.randn(24, 4, generator=gen, dtype=torch.float64)
    return X, torch.cos(X[:, :3]) + 0.1 * X[:, 1:]


def train(model, opt, X, Y, steps, scheduler=None):
    for _ in range(steps):
        opt.zero_grad()
        ((model(X) - Y) ** 2).mean().backward()
        opt.step()
        if scheduler is not None:
            scheduler.step()


@torch.no_grad()
def max_rel_diff(model_a, model_b) -> float:
    return max(
        float((a - b).abs().max() / b.abs().max())
        for a, b in zip(model_a.parameters(), model_b.parameters(), strict=True)
    )


# --- constructor: signature, defaults, param_groups ------------------------------------------------------


def _signature(cls) -> list[tuple]:
    params = inspect.signature(cls.__init__).parameters.values()
    return [(p.name, p.kind, p.default) for p in params]


@pytest.mark.parametrize("name", TORCH_TWINS)
def test_constructor_signature_is_torchs(name):
    assert _signature(getattr(go, name)) == _signature(getattr(torch.optim, name))


@pytest.mark.parametrize("name", list(RULE_OF))
def test_class_defaults_equal_functional_defaults(name):
    sig = inspect.signature(getattr(go, name).__init__).parameters
    for key, value in F.defaults(RULE_OF[name]).items():
        assert sig[key].default == value, key


@pytest.mark.parametrize("name", TORCH_TWINS)
def test_param_groups_carry_torchs_keys(name):
    model = make_model()
    ours = getattr(go, name)(model.parameters())
    theirs = getattr(torch.optim, name)(model.parameters())
    assert list(ours.param_groups[0]) == list(theirs.param_groups[0])
    assert {k: v for k, v in ours.param_groups[0].items() if k != "params"} == {
        k: v for k, v in theirs.param_groups[0].items() if k != "params"
    }
    assert isinstance(ours, torch.optim.Optimizer)


# --- errors ----------------------------------------------------------------------------------------------

INVALID = [
    ("SGD", {"lr": -0.1}),
    ("SGD", {"momentum": -0.5}),
    ("SGD", {"weight_decay": -1.0}),
    ("SGD", {"nesterov": True}),
    ("SGD", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}),
    ("SGD", {"lr": torch.tensor([0.1, 0.2])}),
    ("Adagrad", {"lr": -1.0}),
    ("Adagrad", {"lr_decay": -1.0}),
    ("Adagrad", {"weight_decay": -1.0}),
    ("Adagrad", {"initial_accumulator_value": -1.0}),
    ("Adagrad", {"eps": -1.0}),
    ("RMSprop", {"lr": -1.0}),
    ("RMSprop", {"eps": -1.0}),
    ("RMSprop", {"momentum": -1.0}),
    ("RMSprop", {"weight_decay": -1.0}),
    ("RMSprop", {"alpha": -0.5}),
    ("Adadelta", {"lr": -1.0}),
    ("Adadelta", {"rho": 1.5}),
    ("Adadelta", {"eps": -1.0}),
    ("Adadelta", {"weight_decay": -1.0}),
    ("Adam", {"lr": -1e-3}),
    ("Adam", {"lr": float("nan")}),
    ("Adam", {"eps": -1.0}),
    ("Adam", {"betas": (1.0, 0.999)}),
    ("Adam", {"betas": (0.9, -0.1)}),
    ("Adam", {"betas": (0, 0.999)}),
    ("Adam", {"weight_decay": -1.0}),
    ("AdamW", {"betas": (0.9, 1.0)}),
    ("AdamW", {"weight_decay": -0.01}),
    ("NAdam", {"lr": -1.0}),
    ("NAdam", {"betas": (-0.1, 0.999)}),
    ("NAdam", {"momentum_decay": -1.0}),
    ("NAdam", {"weight_decay": -1.0}),
    ("RAdam", {"eps": -1.0}),
    ("RAdam", {"betas": (0.9, 1.5)}),
    ("RAdam", {"weight_decay": -1.0}),
]


@pytest.mark.parametrize(("name", "kwargs"), INVALID, ids=[f"{n}-{'-'.join(k)}" for n, k in INVALID])
def test_invalid_hyperparameters_raise_torchs_error(name, kwargs):
    params = list(make_model().parameters())
    with pytest.raises(Exception) as theirs:
        getattr(torch.optim, name)(params, **kwargs)
    with pytest.raises(type(theirs.value)) as ours:
        getattr(go, name)(params, **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_nan_learning_rate_is_rejected_even_where_torch_lets_it_through():
    with pytest.raises(ValueError, match="Invalid learning rate: nan"):
        go.SGD(make_model().parameters(), lr=float("nan"))


@pytest.mark.parametrize(
    ("name", "flag"),
    [("Adam", "fused"), ("AdamW", "fused"), ("SGD", "fused"), ("Adagrad", "fused"), ("Adam", "capturable"),
     ("RMSprop", "capturable"), ("NAdam", "differentiable"), ("Adadelta", "differentiable")],
)
def test_unsupported_torch_features_are_rejected_clearly(name, flag):
    with pytest.raises(ValueError, match=rf"{flag}=True\) is not supported.*torch\.optim\.{name}"):
        getattr(go, name)(make_model().parameters(), **{flag: True})


@pytest.mark.parametrize("foreach", [None, False, True])
def test_foreach_is_accepted_and_changes_nothing(foreach):
    X, Y = make_data()
    a, b = make_model(), make_model()
    train(a, go.Adam(a.parameters(), lr=0.01, foreach=foreach), X, Y, 5)
    train(b, go.Adam(b.parameters(), lr=0.01), X, Y, 5)
    assert max_rel_diff(a, b) == 0.0


def test_unsupported_flag_in_a_loaded_state_dict_is_caught_at_step():
    model = make_model()
    X, Y = make_data()
    opt = go.Adam(model.parameters())
    opt.param_groups[0]["fused"] = True
    with pytest.raises(ValueError, match="fused=True"):
        train(model, opt, X, Y, 1)


def test_sparse_and_complex_gradients_raise():
    emb = torch.nn.Embedding(5, 2, sparse=True)
    emb(torch.tensor([1, 2])).sum().backward()
    with pytest.raises(RuntimeError, match="does not support sparse gradients"):
        go.Adam(emb.parameters()).step()
    z = torch.zeros(3, dtype=torch.complex128, requires_grad=True)
    z.grad = torch.ones_like(z)
    with pytest.raises(ValueError, match="complex parameters"):
        go.SGD([z], lr=0.1).step()


# --- state_dict: both directions, training continues identically ----------------------------------------

ROUND_TRIP = [
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.05}),
    ("Adagrad", {"lr": 0.05, "lr_decay": 0.01, "initial_accumulator_value": 0.1}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True}),
    ("Adadelta", {"lr": 0.5, "weight_decay": 0.01}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.01}),
    ("AdamW", {"lr": 0.01, "amsgrad": True}),
    ("NAdam", {"lr": 0.01, "decoupled_weight_decay": True, "weight_decay": 0.01}),
    ("RAdam", {"lr": 0.01}),
]


def _resume(module, name, kwargs, checkpoint):
    model = make_model(seed=1)
    model.load_state_dict(checkpoint["model"])
    opt = getattr(module, name)(model.parameters(), **kwargs)
    opt.load_state_dict(copy.deepcopy(checkpoint["opt"]))
    return model, opt


@pytest.mark.parametrize("direction", ["torch->ours", "ours->torch"])
@pytest.mark.parametrize(("name", "kwargs"), ROUND_TRIP, ids=[f"{n}-{i}" for i, (n, _) in enumerate(ROUND_TRIP)])
def test_state_dict_moves_between_torch_and_ours(name, kwargs, direction):
    X, Y = make_data()
    first, second = (torch.optim, go) if direction == "torch->ours" else (go, torch.optim)
    # Train 7 steps with the first implementation and save a checkpoint.
    model = make_model()
    opt = getattr(first, name)(model.parameters(), **kwargs)
    train(model, opt, X, Y, 7)
    checkpoint = copy.deepcopy({"model": model.state_dict(), "opt": opt.state_dict()})

    # The second implementation resumes from it, and so does the first (torch's load_state_dict casts some
    # state, e.g. NAdam's float32 mu_product to the parameters' float64, so compare like with like).
    other_model, other = _resume(second, name, kwargs, checkpoint)
    same_model, same = _resume(first, name, kwargs, checkpoint)
    assert other.state_dict()["param_groups"] == checkpoint["opt"]["param_groups"]

    for m, o in ((model, opt), (other_model, other), (same_model, same)):
        train(m, o, X, Y, 15)
    assert max_rel_diff(other_model, model) <= TOL  # training continues as if never interrupted
    assert max_rel_diff(other_model, same_model) <= TOL
    a, b = same.state_dict()["state"], other.state_dict()["state"]
    assert a.keys() == b.keys()
    for pid in a:
        assert a[pid].keys() == b[pid].keys()
        for key, value in a[pid].items():
            assert type(value) is type(b[pid][key]), key
            if torch.is_tensor(value):
                assert value.dtype == b[pid][key].dtype, key
                assert float((value - b[pid][key]).abs().max()) <= TOL * max(float(value.abs().max()), 1e-300)


def test_step_counter_is_a_tensor_like_torchs():
    X, Y = make_data()
    model = make_model()
    opt = go.Adam(model.parameters())
    train(model, opt, X, Y, 3)
    step = opt.state_dict()["state"][0]["step"]
    assert torch.is_tensor(step) and step.dtype == torch.float32 and float(step) == 3.0


def test_old_checkpoints_with_float_step_are_upgraded():
    X, Y = make_data()
    model = make_model()
    opt = go.NAdam(model.parameters(), lr=0.01)
    train(model, opt, X, Y, 2)
    sd = copy.deepcopy(opt.state_dict())
    for s in sd["state"].values():
        s["step"], s["mu_product"] = float(s["step"]), float(s["mu_product"])
    opt.load_state_dict(sd)
    assert all(torch.is_tensor(s["step"]) and torch.is_tensor(s["mu_product"]) for s in opt.state.values())
    train(model, opt, X, Y, 1)
    assert float(next(iter(opt.state.values()))["step"]) == 3.0


# --- schedulers, closures, zero_grad, pickling -----------------------------------------------------------


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_torch_step_lr_drives_our_optimizer(name):
    X, Y = make_data()
    a, b = make_model(), make_model()
    ours = getattr(go, name)(a.parameters(), lr=0.05)
    theirs = getattr(torch.optim, name)(b.parameters(), lr=0.05)
    sched_ours = torch.optim.lr_scheduler.StepLR(ours, step_size=4, gamma=0.5)
    sched_theirs = torch.optim.lr_scheduler.StepLR(theirs, step_size=4, gamma=0.5)
    train(a, ours, X, Y, 10, sched_ours)
    train(b, theirs, X, Y, 10, sched_theirs)
    assert ours.param_groups[0]["lr"] == pytest.approx(0.05 * 0.5**2)
    assert sched_ours.get_last_lr() == sched_theirs.get_last_lr()
    assert max_rel_diff(a, b) <= TOL


def test_tensor_learning_rate_is_accepted():
    X, Y = make_data()
    a, b = make_model(), make_model()
    train(a, go.Adam(a.parameters(), lr=torch.tensor(0.01, dtype=torch.float64)), X, Y, 5)
    train(b, torch.optim.Adam(b.parameters(), lr=torch.tensor(0.01, dtype=torch.float64)), X, Y, 5)
    assert max_rel_diff(a, b) <= TOL


@pytest.mark.parametrize("name", ["SGD", "Adam", "LAMB"])
def test_closure_is_evaluated_and_its_loss_returned(name):
    X, Y = make_data()
    model = make_model()
    opt = getattr(go, name)(model.parameters(), lr=0.01)
    calls = []

    def closure():
        calls.append(1)
        opt.zero_grad()
        loss = ((model(X) - Y) ** 2).mean()
        loss.backward()
        return loss

    first = opt.step(closure)
    second = opt.step(closure)
    assert len(calls) == 2 and torch.is_tensor(first)
    assert second.item() < first.item()


def test_zero_grad_and_hooks_are_inherited():
    model = make_model()
    X, Y = make_data()
    opt = go.RMSprop(model.parameters())
    seen = []
    opt.register_step_post_hook(lambda optimizer, args, kwargs: seen.append(type(optimizer).__name__))
    ((model(X) - Y) ** 2).mean().backward()
    opt.step()
    opt.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    assert seen == ["RMSprop"]


def test_pickle_and_deepcopy_keep_working():
    X, Y = make_data()
    model = make_model()
    opt = go.Adam(model.parameters(), lr=0.01)
    train(model, opt, X, Y, 2)
    clone = pickle.loads(pickle.dumps(opt))
    assert isinstance(clone, go.Adam) and clone.param_groups[0]["lr"] == 0.01
    copied_model = copy.deepcopy(model)
    copied = go.Adam(copied_model.parameters(), lr=0.01)
    copied.load_state_dict(opt.state_dict())
    copied2 = copy.deepcopy(copied)
    train(copied_model, copied2, X, Y, 1)  # a deep-copied optimizer still steps (its scratch memory is rebuilt)


@pytest.mark.parametrize("name", ["LARS", "LAMB", "Lion"])
def test_paper_optimizers_are_torch_optimizers_that_train(name):
    X, Y = make_data()
    model = make_model()
    lr = {"LARS": 2.0, "LAMB": 0.01, "Lion": 3e-3}[name]
    opt = getattr(go, name)(model.parameters(), lr=lr)
    loss0 = ((model(X) - Y) ** 2).mean().item()
    train(model, opt, X, Y, 40)
    assert ((model(X) - Y) ** 2).mean().item() < loss0
    sd = opt.state_dict()
    assert isinstance(opt, torch.optim.Optimizer) and len(sd["state"]) == 4
