"""Parameters in one flat buffer: one rule call per group, the same numbers as torch.optim."""

from __future__ import annotations

import copy

import pytest
import torch

import gradcourse.optim as go
from gradcourse.optim.flat import contiguous_parameters_, flat_views

TOL = 1e-10


def make_model(seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2)
    ).double()


def make_data() -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(5)
    X = torch.randn(20, 4, generator=gen, dtype=torch.float64)
    return X, torch.sin(X[:, :2]) - X[:, 2:]


def train(model, opt, steps, set_to_none=False):
    X, Y = make_data()
    for _ in range(steps):
        opt.zero_grad(set_to_none=set_to_none)
        ((model(X) - Y) ** 2).mean().backward()
        opt.step()


@torch.no_grad()
def max_rel_diff(a, b) -> float:
    return max(float((x - y).abs().max() / y.abs().max()) for x, y in zip(a.parameters(), b.parameters(), strict=True))


def test_contiguous_parameters_keeps_values_and_collects_gradients():
    model, reference = make_model(), make_model()
    flat_param, flat_grad = contiguous_parameters_(model.parameters())
    assert flat_param.numel() == sum(p.numel() for p in model.parameters())
    assert max_rel_diff(model, reference) == 0.0
    X, Y = make_data()
    ((model(X) - Y) ** 2).mean().backward()
    ((reference(X) - Y) ** 2).mean().backward()
    assert torch.equal(flat_grad, torch.cat([p.grad.reshape(-1) for p in reference.parameters()]))
    assert flat_views(list(model.parameters())) is not None
    assert flat_views(list(reference.parameters())) is None


CASES = [
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05}),
    ("Adagrad", {"lr": 0.05, "initial_accumulator_value": 0.1}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True}),
    ("Adadelta", {"lr": 0.5}),
    ("Adam", {"lr": 0.01, "amsgrad": True, "maximize": False}),
    ("AdamW", {"lr": 0.01}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.01}),
    ("RAdam", {"lr": 0.01, "decoupled_weight_decay": True, "weight_decay": 0.01}),
]


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_flat_group_matches_torch(name, kwargs):
    flat_model, torch_model = make_model(), make_model()
    contiguous_parameters_(flat_model.parameters())
    ours = getattr(go, name)(flat_model.parameters(), **kwargs)
    theirs = getattr(torch.optim, name)(torch_model.parameters(), **kwargs)
    train(flat_model, ours, 25)
    train(torch_model, theirs, 25)
    assert max_rel_diff(flat_model, torch_model) <= TOL
    # The state follows torch's layout, and (when there is any) lives in one flat buffer per key.
    ours_sd, theirs_sd = ours.state_dict()["state"], theirs.state_dict()["state"]
    assert ours_sd.keys() == theirs_sd.keys()
    for pid in theirs_sd:
        assert ours_sd[pid].keys() == theirs_sd[pid].keys()
    params = list(flat_model.parameters())
    for key, value in ours.state.get(params[0], {}).items():
        if torch.is_tensor(value) and value.dim() > 0:
            storages = {ours.state[p][key].untyped_storage().data_ptr() for p in params}
            assert len(storages) == 1, key


def test_state_dict_of_a_flat_optimizer_moves_to_torch_and_back():
    flat_model = make_model()
    contiguous_parameters_(flat_model.parameters())
    ours = go.Adam(flat_model.parameters(), lr=0.01, amsgrad=True)
    train(flat_model, ours, 6)

    torch_model = make_model(seed=1)
    torch_model.load_state_dict(flat_model.state_dict())
    theirs = torch.optim.Adam(torch_model.parameters(), lr=0.01, amsgrad=True)
    theirs.load_state_dict(copy.deepcopy(ours.state_dict()))
    train(flat_model, ours, 10)
    train(torch_model, theirs, 10)
    assert max_rel_diff(flat_model, torch_model) <= TOL

    # And torch's state into a flat gradcourse optimizer (its state is moved into flat buffers on the next step).
    again = make_model(seed=2)
    again.load_state_dict(torch_model.state_dict())
    contiguous_parameters_(again.parameters())
    resumed = go.Adam(again.parameters(), lr=0.01, amsgrad=True)
    resumed.load_state_dict(copy.deepcopy(theirs.state_dict()))
    train(again, resumed, 10)
    train(torch_model, theirs, 10)
    assert max_rel_diff(again, torch_model) <= TOL


def test_falls_back_to_one_call_per_tensor_when_gradients_are_not_flat():
    flat_model, torch_model = make_model(), make_model()
    contiguous_parameters_(flat_model.parameters())
    ours = go.RMSprop(flat_model.parameters(), lr=0.01, centered=True)
    theirs = torch.optim.RMSprop(torch_model.parameters(), lr=0.01, centered=True)
    train(flat_model, ours, 5)  # flat
    train(flat_model, ours, 5, set_to_none=True)  # autograd now makes separate gradients: per-tensor path
    train(torch_model, theirs, 10)
    assert flat_views(list(flat_model.parameters())) is None
    assert max_rel_diff(flat_model, torch_model) <= TOL


@pytest.mark.parametrize("name", ["LARS", "LAMB"])
def test_layerwise_rules_stay_per_tensor_on_flat_parameters(name):
    flat_model, plain_model = make_model(), make_model()
    contiguous_parameters_(flat_model.parameters())
    lr = {"LARS": 1.0, "LAMB": 0.01}[name]
    train(flat_model, getattr(go, name)(flat_model.parameters(), lr=lr), 10)
    train(plain_model, getattr(go, name)(plain_model.parameters(), lr=lr), 10)
    assert max_rel_diff(flat_model, plain_model) == 0.0  # one norm per tensor, not one for the whole buffer


def test_contiguous_parameters_errors():
    with pytest.raises(ValueError, match="one dtype"):
        contiguous_parameters_([torch.zeros(2, requires_grad=True), torch.zeros(2, dtype=torch.float64)])
    w = torch.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="same parameter twice"):
        contiguous_parameters_([w, w])
    with pytest.raises(ValueError, match="no parameters"):
        contiguous_parameters_([])
