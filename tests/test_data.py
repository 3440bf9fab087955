"""Tests for gradcourse.data: offline, seeded, the right shapes and statistics, clear errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from gradcourse import data


# ------------------------------------------------------------------------------------------ digits
def test_digits_shapes_dtypes_and_stratified_split():
    s = data.digits()
    assert isinstance(s, data.Split)
    assert s.X_train.shape == (1347, 64) and s.X_val.shape == (450, 64)
    assert s.X_train.dtype == np.float32 and s.y_train.dtype == np.int64
    # stratified: every digit keeps (almost exactly) its share in the validation set
    counts = np.bincount(s.y_val, minlength=10)
    assert counts.min() >= 43 and counts.max() <= 46


def test_digits_standardized_with_training_statistics_only():
    s = data.digits()
    mean, std = s.X_train.mean(axis=0), s.X_train.std(axis=0)
    assert np.allclose(mean, 0.0, atol=1e-5)
    varying = std > 0
    assert np.allclose(std[varying], 1.0, atol=1e-4)
    assert (~varying).any(), "digits has blank corner pixels: the constant-pixel branch must be exercised"
    assert np.all(np.isfinite(s.X_train)) and np.all(np.isfinite(s.X_val))
    # the validation set is transformed with the training statistics, so its mean is close to, not exactly, 0
    assert 1e-4 < np.abs(s.X_val.mean(axis=0)).max() < 1.0


def test_digits_raw_values_and_reproducibility():
    raw = data.digits(standardize=False)
    assert raw.X_train.min() == 0.0 and raw.X_train.max() == 16.0
    again = data.digits(standardize=False)
    assert np.array_equal(raw.X_train, again.X_train) and np.array_equal(raw.y_val, again.y_val)
    other = data.digits(standardize=False, seed=1)
    assert not np.array_equal(raw.y_train, other.y_train)


def test_digits_as_tensors():
    s = data.digits(as_tensors=True, val_fraction=0.5)
    assert isinstance(s.X_train, torch.Tensor)
    assert s.X_train.dtype == torch.float32 and s.y_val.dtype == torch.int64
    assert len(s.X_train) + len(s.X_val) == 1797


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, float("nan"), "0.2"])
def test_digits_bad_val_fraction(bad):
    with pytest.raises(ValueError, match="val_fraction"):
        data.digits(val_fraction=bad)


# ------------------------------------------------------------------------------ linear regression
def test_linear_regression_reproduces_the_documents_numbers():
    X, y = data.linear_regression()
    rs = np.random.RandomState(1)  # what np.random.seed(1) then np.random.randn(...) would give
    X_doc = rs.randn(100, 1)
    y_doc = 3 * X_doc + 2 + rs.randn(100, 1) * 0.5
    assert X.shape == y.shape == (100, 1)
    assert np.array_equal(X, X_doc) and np.array_equal(y, y_doc)
    assert X[0, 0] == pytest.approx(1.6243453636632417)
    # least squares recovers slope ≈ 3, intercept ≈ 2
    slope, intercept = np.polyfit(X.ravel(), y.ravel(), 1)
    assert abs(slope - 3) < 0.15 and abs(intercept - 2) < 0.15


def test_linear_regression_linspace_variant_and_global_state_untouched():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    X, y = data.linear_regression(variant="linspace")
    assert np.array_equal(np.random.get_state()[1], before)
    assert X[0, 0] == -3.0 and X[-1, 0] == 3.0 and y.shape == (100, 1)
    slope = np.polyfit(X.ravel(), y.ravel(), 1)[0]
    assert abs(slope - 2) < 0.2
    with pytest.raises(ValueError, match="variant"):
        data.linear_regression(variant="cubic")
    with pytest.raises(ValueError, match="n must"):
        data.linear_regression(0)


# ------------------------------------------------------------------------------------- toy sets
def test_xor():
    X, y = data.xor()
    assert X.shape == (4, 2) and y.tolist() == [0, 1, 1, 0]
    assert np.array_equal(y, np.logical_xor(X[:, 0], X[:, 1]).astype(int))


def test_two_spirals_balanced_seeded_and_arms_interleaved():
    X, y = data.two_spirals(201, noise=0.0, seed=3)
    assert X.shape == (201, 2) and np.bincount(y).tolist() == [101, 100]
    X2, y2 = data.two_spirals(201, noise=0.0, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert np.all(np.linalg.norm(X, axis=1) <= 1.0 + 1e-12)
    # without noise, the two arms are point reflections of each other: class 1 = −(class 0 pattern)
    r = np.linalg.norm(X, axis=1)
    angle = np.arctan2(X[:, 1], X[:, 0]) - 2 * np.pi * 1.5 * r - np.pi * y
    assert np.allclose(np.cos(angle), 1.0)


def test_moons():
    X, y = data.moons(100, noise=0.05, seed=1)
    assert X.shape == (100, 2) and X.dtype == np.float64 and np.bincount(y).tolist() == [50, 50]
    assert np.array_equal(X, data.moons(100, noise=0.05, seed=1)[0])
    with pytest.raises(ValueError, match="noise"):
        data.moons(noise=-1.0)


def test_adding_problem_structure_and_baseline():
    X, y = data.adding_problem(2000, 30, seed=0)
    assert X.shape == (2000, 30, 2) and y.shape == (2000, 1) and X.dtype == np.float32
    markers = X[:, :, 1]
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, :15].sum(axis=1) == 1)  # one marker in each half
    assert np.allclose((X[:, :, 0] * markers).sum(axis=1, keepdims=True), y, atol=1e-6)
    # predicting the mean target 1 gives MSE ≈ Var(u1 + u2) = 1/6
    assert abs(np.mean((y - 1.0) ** 2) - 1 / 6) < 0.02
    Xt, yt = data.adding_problem(8, 10, seed=0, as_tensors=True)
    assert isinstance(Xt, torch.Tensor) and Xt.shape == (8, 10, 2)
    with pytest.raises(ValueError, match="T must"):
        data.adding_problem(10, 1)


# --------------------------------------------------------------------------------- Reddi et al.
def test_reddi_online_losses_gradients_projection():
    p = data.reddi_online(3.0)
    assert [p.grad(0.0, t) for t in range(1, 7)] == [3.0, -1.0, -1.0, 3.0, -1.0, -1.0]
    assert p.loss(0.5, 1) == 1.5 and p.loss(0.5, 2) == -0.5
    assert np.array_equal(p.project(np.array([-2.0, 0.3, 5.0])), [-1.0, 0.3, 1.0])
    assert torch.equal(p.project(torch.tensor([4.0])), torch.tensor([1.0]))
    g = p.grad(np.zeros(3), 1)
    assert g.shape == (3,) and np.all(g == 3.0)
    # the best fixed point is x* = −1 (zero regret), the worst is +1
    assert p.x_star == -1.0
    assert p.regret([-1.0] * 9) == 0.0
    assert p.regret([1.0] * 9) == pytest.approx(2 * 3 * (3.0 - 2))


@pytest.mark.parametrize("bad", [2.0, 1.0, float("inf"), True])
def test_reddi_online_needs_C_above_2(bad):
    with pytest.raises(ValueError, match="C must"):
        data.reddi_online(bad)


def test_reddi_online_step_count_starts_at_1():
    with pytest.raises(ValueError, match="t must"):
        data.reddi_online().grad(0.0, 0)


# --------------------------------------------------------------------------------------- batches
def test_batches_cover_every_example_once_and_are_seeded():
    X = np.arange(10, dtype=float).reshape(10, 1)
    y = np.arange(10)
    parts = list(data.batches(X, y, 4, seed=2))
    assert [len(b[1]) for b in parts] == [4, 4, 2]
    seen = np.concatenate([b[1] for b in parts])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))
    assert all(np.array_equal(bx.ravel(), by) for bx, by in parts)
    again = np.concatenate([b[1] for b in data.batches(X, y, 4, seed=2)])
    assert np.array_equal(seen, again)
    assert [len(b[1]) for b in data.batches(X, y, 4, drop_last=True)] == [4, 4]
    ordered = np.concatenate([b[1] for b in data.batches(X, y, 3, shuffle=False)])
    assert ordered.tolist() == list(range(10))


def test_batches_torch():
    X, y = torch.arange(12.0).reshape(6, 2), torch.arange(6)
    parts = list(data.batches(X, y, 4))
    assert isinstance(parts[0][0], torch.Tensor) and [len(b[1]) for b in parts] == [4, 2]
    assert torch.equal(torch.sort(torch.cat([b[1] for b in parts])).values, y)


def test_batches_bad_input_raises_at_call():
    X, y = np.zeros((5, 2)), np.zeros(5)
    with pytest.raises(ValueError, match="empty"):
        data.batches(np.zeros((0, 2)), np.zeros(0), 2)
    with pytest.raises(ValueError, match="same number"):
        data.batches(X, np.zeros(4), 2)
    with pytest.raises(ValueError, match="batch_size"):
        data.batches(X, y, 0)
    with pytest.raises(ValueError, match="NaN or inf"):
        data.batches(np.array([[1.0], [np.nan]]), np.zeros(2), 1)
    with pytest.raises(ValueError, match="NaN or inf"):
        data.batches(torch.tensor([[1.0], [float("inf")]]), torch.zeros(2), 1)
