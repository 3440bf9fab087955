"""The one-line parity check the algorithm chapters use really detects a different update rule."""

from __future__ import annotations

import pytest
import torch

import gradcourse.optim
from gradcourse.data import digits
from gradcourse.optim.parity import max_difference_from_torch

SPLIT = digits()
X, Y = SPLIT.X_train[:256], SPLIT.y_train[:256]


@pytest.mark.parametrize("name, hyper", [("SGD", {"lr": 0.1, "momentum": 0.9}), ("Adam", {"lr": 1e-2})])
def test_our_optimizers_match_torch_to_rounding(name, hyper):
    assert max_difference_from_torch(name, hyper, X, Y, steps=20) < 1e-12


def test_a_slightly_different_rule_is_caught(monkeypatch):
    class OffByOnePercent(torch.optim.SGD):
        def __init__(self, params, lr, **kw):
            super().__init__(params, lr=lr * 1.01, **kw)

    monkeypatch.setattr(gradcourse.optim, "SGD", OffByOnePercent)
    assert max_difference_from_torch("SGD", {"lr": 0.1}, X, Y, steps=20) > 1e-6


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="name must be an optimizer class"):
        max_difference_from_torch("Adamm", {}, X, Y)
    with pytest.raises(ValueError, match="shapes"):
        max_difference_from_torch("SGD", {"lr": 0.1}, X, Y[:10])
