"""gradcourse.diagnostics: every statistic against a value worked out by hand."""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from gradcourse import diagnostics as dg


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """Tiny networks: one intra-op thread avoids spinning threads when the two cores are shared."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _linear(weight, bias=None) -> nn.Linear:
    weight = torch.tensor(weight, dtype=torch.float64)
    layer = nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(weight)
        if bias is not None:
            layer.bias.copy_(torch.tensor(bias, dtype=torch.float64))
    return layer


@pytest.fixture
def two_layer():
    """x = [1, 2] -> h = W1 x = [3, 2] -> out = W2 h = 1, y = 3, L = (out - y)^2 = 4.

    By hand: dL/dout = 2 (out - y) = -4;  dL/dh = -4 * W2 = [-4, 4];
    dW2 = -4 * h = [-12, -8];  dW1 = outer([-4, 4], [1, 2]) = [[-4, -8], [4, 8]].
    """
    model = nn.Sequential(_linear([[1.0, 1.0], [0.0, 1.0]]), _linear([[1.0, -1.0]]))
    x = torch.tensor([[1.0, 2.0]], dtype=torch.float64)
    y = torch.tensor([[3.0]], dtype=torch.float64)
    return model, x, y


def test_gradient_and_signal_norms_of_a_two_layer_linear_net_match_the_hand_values(two_layer):
    model, x, y = two_layer
    with dg.LayerRecorder(model) as rec:
        loss = F.mse_loss(model(x), y)
        loss.backward()
    assert loss.item() == 4.0
    assert rec.signal_norms() == pytest.approx({"0": 4 * math.sqrt(2), "1": 4.0})
    torch.testing.assert_close(rec.activations["0"], torch.tensor([[3.0, 2.0]], dtype=torch.float64))
    assert dg.grad_norms(model) == pytest.approx({"0": math.sqrt(160), "1": math.sqrt(208)})
    by_parameter = dg.grad_norms(model, by="parameter")
    assert by_parameter == pytest.approx({"0.weight": math.sqrt(160), "1.weight": math.sqrt(208)})
    assert dg.global_grad_norm(model) == pytest.approx(math.sqrt(160 + 208))


def test_grad_data_and_update_data_ratios_match_the_hand_values(two_layer):
    model, x, y = two_layer
    F.mse_loss(model(x), y).backward()
    # dW1 = [[-4, -8], [4, 8]]: mean 0, sample variance 160/3;  W1 = [[1, 1], [0, 1]]: sample std 0.5
    assert dg.grad_data_ratios(model)["0.weight"] == pytest.approx(math.sqrt(160 / 3) / 0.5)
    before = dg.snapshot(model)
    torch.optim.SGD(model.parameters(), lr=0.1).step()  # delta W1 = -0.1 dW1
    ratios = dg.update_data_ratios(model, before)
    assert ratios["0.weight"] == pytest.approx(math.log10(0.1 * math.sqrt(160 / 3) / 0.5))
    assert set(ratios) == {"0.weight", "1.weight"}
    assert dg.UPDATE_DATA_RATIO_TARGET == 1e-3


def test_activation_stats_of_hand_made_tensors():
    relu = dg.activation_stats(torch.tensor([[0.0, 1.0, 0.0], [0.0, 2.0, 3.0]]), "relu")
    # mean 1; deviations -1, 0, -1, -1, 1, 2 -> sample variance 8 / 5; unit 0 is zero in both rows
    assert (relu.mean, relu.std) == pytest.approx((1.0, math.sqrt(8 / 5)))
    assert (relu.zero, relu.dead, relu.saturated) == (pytest.approx(0.5), pytest.approx(1 / 3), None)
    tanh = dg.activation_stats(torch.tensor([[0.5, 0.98], [-0.99, 0.96]]), "tanh")
    assert tanh.saturated == pytest.approx(0.5) and tanh.dead is None
    sigmoid = dg.activation_stats(torch.tensor([[0.01, 0.5], [0.98, 0.03]]), "sigmoid")
    assert sigmoid.saturated == pytest.approx(0.5)  # 0.03 sits on the boundary: not saturated
    other = dg.activation_stats(torch.tensor([[0.99, 0.0]]), "other")
    assert other.saturated is None and other.dead is None and other.zero is None


def test_relu_layer_with_a_large_negative_bias_is_entirely_dead():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    with torch.no_grad():
        model[0].bias.copy_(torch.tensor([-100.0, -100.0, 100.0, -100.0]))
    with dg.LayerRecorder(model, (nn.ReLU,)) as rec:
        model(torch.randn(16, 3))
    stats = rec.activation_stats()
    assert list(stats) == ["1"] and stats["1"].kind == "relu"
    assert stats["1"].dead == 0.75 and stats["1"].zero == 0.75
    with torch.no_grad():
        model[0].bias.fill_(-100.0)
    with dg.LayerRecorder(model, ["1"]) as rec:
        model(torch.randn(16, 3))
    assert (rec.activation_stats()["1"].dead, rec.activation_stats()["1"].std) == (1.0, 0.0)


def test_tanh_with_huge_weights_saturates_and_sigmoid_is_recognised():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 8), nn.Sigmoid())
    with torch.no_grad():
        model[0].weight.mul_(1e4)
        model[2].weight.zero_()
        model[2].bias.fill_(0.0)
    with dg.LayerRecorder(model) as rec:
        model(torch.randn(32, 5)).sum().backward()
    stats = rec.activation_stats()
    assert stats["1"].kind == "tanh" and stats["1"].saturated == 1.0
    assert stats["3"].kind == "sigmoid" and stats["3"].saturated == 0.0  # sigmoid(0) = 0.5 everywhere
    assert stats["3"].mean == pytest.approx(0.5)
    # the saturated tanh passes (almost) nothing back: tanh' = 1 - a^2 = 0 in float32
    assert rec.signal_norms()["0"] == 0.0


def test_hooks_are_removed_after_the_block_even_on_error():
    model = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    with pytest.raises(RuntimeError):
        with dg.LayerRecorder(model):
            model(torch.zeros(1, 3))  # wrong input width
    with dg.NonFiniteWatch(model):
        assert any(m._forward_hooks for m in model)
    assert not any(m._forward_hooks for m in model)
    assert all(not p._backward_hooks for p in model.parameters())


def test_orthogonal_linear_chain_is_an_isometry():
    torch.manual_seed(0)
    layers = [nn.Linear(6, 6, bias=False, dtype=torch.float64) for _ in range(5)]
    for layer in layers:
        nn.init.orthogonal_(layer.weight)
    model = nn.Sequential(*layers)
    sv = dg.jacobian_singular_values(model, torch.randn(4, 6, dtype=torch.float64), per_example=True)
    assert sv.shape == (4, 6)
    np.testing.assert_allclose(sv, 1.0, atol=1e-12)


def test_jacobian_singular_values_of_known_maps():
    diag = nn.Sequential(_linear([[3.0, 0.0, 0.0], [0.0, -2.0, 0.0], [0.0, 0.0, 1.0]]))
    np.testing.assert_allclose(dg.jacobian_singular_values(diag, torch.ones(3, dtype=torch.float64)), [3, 2, 1])
    torch.manual_seed(1)
    net = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3)).double()
    x = torch.randn(3, 4, dtype=torch.float64)
    expected = np.stack([
        torch.linalg.svdvals(torch.autograd.functional.jacobian(lambda v: net(v), xi)).numpy() for xi in x
    ])
    np.testing.assert_allclose(dg.jacobian_singular_values(net, x, per_example=True), expected, rtol=1e-12)
    np.testing.assert_allclose(dg.jacobian_singular_values(net, x), expected.mean(axis=0), rtol=1e-12)


def _tanh_chain():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 2))


def test_first_nonfinite_names_the_layer_with_an_inf_weight():
    model = _tanh_chain()
    with torch.no_grad():
        model[2].weight[0, 0] = math.inf
    x, y = torch.randn(5, 3), torch.tensor([0, 1, 0, 1, 1])
    report = dg.first_nonfinite(model, F.cross_entropy, x, y)
    # forward: layer 2's output holds +-inf; tanh squashes it to +-1, so the loss stays finite
    assert report.forward == "2" and math.isfinite(report.loss)
    # backward: layers 4 and 3 pass finite gradients; layer 2 computes inf * 0 = NaN for its input
    assert (report.backward, report.backward_what) == ("2", "input")
    assert report.nonfinite_parameters == ("2.weight",) and report.found
    assert all(p.grad is None for p in model.parameters())  # .grad untouched
    assert "'2'" in str(report)


def test_first_nonfinite_with_a_nan_weight_and_with_a_healthy_model():
    model = _tanh_chain()
    x, y = torch.randn(5, 3), torch.tensor([0, 1, 0, 1, 1])
    healthy = dg.first_nonfinite(model, F.cross_entropy, x, y)
    assert not healthy.found and healthy.forward is None and healthy.backward is None
    with torch.no_grad():
        model[0].bias[1] = math.nan
    report = dg.first_nonfinite(model, F.cross_entropy, x, y)
    assert report.forward == "0" and report.nonfinite_parameters == ("0.bias",)
    assert math.isnan(report.loss) and report.backward == "4"  # NaN loss: the last layer is reached first


class _Sqrt(nn.Module):
    def forward(self, x):
        return torch.sqrt(x)


def test_a_gradient_feeding_several_modules_is_credited_to_the_last_one():
    """sqrt is finite at 0 but its derivative 1 / (2 sqrt(0)) is not: the first non-finite gradient is made
    by the sqrt module's backward, for the tensor it shares with the nn.Identity before it."""
    torch.manual_seed(0)
    model = nn.Sequential(
        OrderedDict(lin=nn.Linear(3, 4), relu=nn.ReLU(), same=nn.Identity(), sqrt=_Sqrt(), head=nn.Linear(4, 2))
    )
    with torch.no_grad():
        model.lin.bias.copy_(torch.tensor([-100.0, 100.0, 100.0, 100.0]))  # unit 0 is 0 after the ReLU
    report = dg.first_nonfinite(model, F.cross_entropy, torch.randn(5, 3), torch.zeros(5, dtype=torch.long))
    assert report.forward is None and math.isfinite(report.loss)
    assert (report.backward, report.backward_what) == ("sqrt", "input")


def test_bad_arguments_raise_value_errors_naming_them():
    model = nn.Sequential(nn.Linear(2, 2))
    with pytest.raises(ValueError, match="kind"):
        dg.activation_stats(torch.ones(2, 2), "softplus")
    with pytest.raises(ValueError, match="non-empty"):
        dg.activation_stats(torch.ones(0, 2), "relu")
    with pytest.raises(ValueError, match="by"):
        dg.grad_norms(model, by="layer")
    with pytest.raises(ValueError, match="modules"):
        dg.LayerRecorder(model, ["nope"])
    with pytest.raises(ValueError, match="inputs"):
        dg.jacobian_singular_values(model, torch.ones(0, 2))
    with pytest.raises(ValueError, match="snapshot"):
        dg.update_data_ratios(model, {"other.weight": torch.ones(2, 2)})
