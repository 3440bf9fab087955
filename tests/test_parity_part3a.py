"""The "ours against torch's" checks that chapters 3.1, 3.3, 3.4 and 3.5 used to run, kept as regression tests.

Each chapter trained the same float64 softmax classifier on the digits (mini-batches of 32, 100 steps) with
``gradcourse.optim.X`` and ``torch.optim.X`` and compared the weights. Most of those settings are already in
``tests/test_optim_parity.py::test_class_matches_torch`` (random hyperparameters, two seeds, state compared too):

* 3.1 ``SGD`` plain → ``SGD-plain``;
* 3.3 ``momentum``, ``nesterov``, ``dampening`` → ``SGD-momentum``, ``SGD-momentum+nesterov``,
  ``SGD-momentum+dampening``;
* 3.4 ``Adagrad`` plain and ``lr_decay`` + ``initial_accumulator_value`` → ``Adagrad-plain``,
  ``Adagrad-lr_decay+initial``; ``RMSprop`` plain and ``centered`` + ``momentum`` → ``RMSprop-plain``,
  ``RMSprop-momentum+centered+weight_decay+maximize``;
* 3.5 ``Adam``, ``amsgrad``, L2 ``weight_decay``, ``AdamW``, ``NAdam``/``RAdam`` plain and with decoupled decay →
  ``Adam-plain``, ``Adam-amsgrad``, ``Adam-weight_decay``, ``AdamW-plain``, ``NAdam-plain``,
  ``NAdam-weight_decay+decoupled+maximize``, ``RAdam-plain``, ``RAdam-weight_decay+decoupled+maximize``.

This file holds the chapters' settings that grid does not reach: weight decay without ``maximize`` (SGD plain, SGD
with momentum but no Nesterov, Adadelta) and every optimizer of these chapters at torch's own default
hyperparameters, which the grid never uses (it always draws its own).
"""

from __future__ import annotations

import pytest

from gradcourse.data import digits
from gradcourse.optim.parity import max_difference_from_torch

SPLIT = digits()
TOL = 1e-10

CHAPTER_SETTINGS = [
    pytest.param("SGD", {"lr": 0.5, "weight_decay": 1e-2}, id="3.1-SGD-weight_decay"),
    pytest.param("SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 1e-3}, id="3.3-SGD-momentum+weight_decay"),
    pytest.param("Adadelta", {"rho": 0.95, "weight_decay": 1e-3}, id="3.4-Adadelta-rho+weight_decay"),
]
DEFAULTS = ["SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "NAdam", "RAdam"]


@pytest.mark.parametrize(("name", "hyper"), CHAPTER_SETTINGS)
def test_chapter_settings_match_torch(name, hyper):
    assert max_difference_from_torch(name, hyper, SPLIT.X_train, SPLIT.y_train) < TOL


@pytest.mark.parametrize("name", DEFAULTS)
def test_torch_defaults_match_torch(name):
    """Constructed with no hyperparameters at all, ours runs torch's defaults (lr, betas, eps, alpha, rho, ...)."""
    assert max_difference_from_torch(name, {}, SPLIT.X_train, SPLIT.y_train) < TOL

