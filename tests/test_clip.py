"""gradcourse.clip equals torch.nn.utils.clip_grad_norm_ / clip_grad_value_, on torch and on numpy input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from gradcourse import clip as C

SHAPES = [(30, 20), (20,), (8, 3, 3, 3), (1,)]
NORM_TYPES = [1.0, 2.0, 3.5, math.inf]


def random_grads(seed: int, scale: float = 1.0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [scale * rng.standard_normal(s) for s in SHAPES]


def params_with(grads: list[np.ndarray | None]) -> list[torch.nn.Parameter]:
    """float64 torch parameters whose .grad are copies of ``grads`` (None stays None)."""
    params = []
    for i, g in enumerate(grads):
        shape = SHAPES[i % len(SHAPES)] if g is None else g.shape
        p = torch.nn.Parameter(torch.zeros(shape, dtype=torch.float64))
        p.grad = None if g is None else torch.tensor(g)
        params.append(p)
    return params


def grads_of(params) -> list[np.ndarray | None]:
    return [None if p.grad is None else p.grad.numpy().copy() for p in params]


def concatenated_norm(grads, p) -> float:
    return float(np.linalg.norm(np.concatenate([g.ravel() for g in grads]), ord=p))


# ----------------------------------------------------------------------------------------------------------
# norm clipping
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("norm_type", NORM_TYPES)
@pytest.mark.parametrize("ratio", [2.0, 0.3], ids=["below", "above"])
def test_clip_grad_norm_equals_torch(norm_type, ratio):
    grads = random_grads(seed=int(10 * ratio) + int(min(norm_type, 9)))
    total = concatenated_norm(grads, norm_type)
    max_norm = ratio * total  # "below": nothing happens; "above": clipped down to max_norm
    theirs, ours = params_with(grads), params_with(grads)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    got = C.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float64
    assert got.item() == pytest.approx(total, rel=1e-12)  # the total norm *before* clipping
    assert torch.equal(got, expected)
    for a, b in zip(grads_of(ours), grads_of(theirs), strict=True):
        np.testing.assert_array_equal(a, b)
    after = concatenated_norm(grads_of(ours), norm_type)
    if ratio > 1:
        for a, g in zip(grads_of(ours), grads, strict=True):
            np.testing.assert_array_equal(a, g)
    else:
        assert after == pytest.approx(max_norm, rel=1e-6) and after < max_norm


@pytest.mark.parametrize("norm_type", NORM_TYPES)
@pytest.mark.parametrize("ratio", [2.0, 0.3], ids=["below", "above"])
def test_numpy_path_equals_torch_path(norm_type, ratio):
    grads = random_grads(seed=7)
    max_norm = ratio * concatenated_norm(grads, norm_type)
    params = params_with(grads)
    torch_total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
    arrays = [g.copy() for g in grads]
    ids = [id(a) for a in arrays]
    np_total = C.clip_grad_norm_(arrays, max_norm, norm_type=norm_type)
    assert isinstance(np_total, float)
    assert np_total == pytest.approx(torch_total.item(), rel=1e-12)
    assert [id(a) for a in arrays] == ids  # modified in place, same objects
    for a, b in zip(arrays, grads_of(params), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0)
    # the pure version gives the same numbers and leaves its input alone
    originals = [g.copy() for g in grads]
    clipped, pure_total = C.clip_by_global_norm(grads, max_norm, norm_type)
    assert pure_total == np_total
    for c, a, g, o in zip(clipped, arrays, grads, originals, strict=True):
        np.testing.assert_array_equal(c, a)
        np.testing.assert_array_equal(g, o)


def test_pure_global_norm_clipping_on_tensors_equals_torch():
    grads = random_grads(seed=3, scale=5.0)
    tensors = [torch.tensor(g) for g in grads]
    clipped, total = C.clip_by_global_norm(tensors, 1.0)
    params = params_with(grads)
    expected_total = torch.nn.utils.clip_grad_norm_(params, 1.0)
    assert torch.equal(total, expected_total)
    for c, p, t, g in zip(clipped, params, tensors, grads, strict=True):
        assert torch.equal(c, p.grad)
        np.testing.assert_array_equal(t.numpy(), g)  # input untouched


def test_none_grads_are_skipped_like_torch():
    grads = random_grads(seed=4, scale=3.0)
    with_holes = [grads[0], None, grads[2], None]
    theirs, ours = params_with(with_holes), params_with(with_holes)
    expected = torch.nn.utils.clip_grad_norm_(theirs, 0.5)
    got = C.clip_grad_norm_(ours, 0.5)
    assert torch.equal(got, expected)
    assert got.item() == pytest.approx(concatenated_norm([grads[0], grads[2]], 2), rel=1e-12)
    assert ours[1].grad is None and ours[3].grad is None
    assert torch.equal(ours[0].grad, theirs[0].grad) and torch.equal(ours[2].grad, theirs[2].grad)
    # no gradient at all: torch returns tensor(0.) and so do we
    assert torch.equal(C.clip_grad_norm_(params_with([None, None]), 1.0), torch.tensor(0.0))
    assert torch.equal(torch.nn.utils.clip_grad_norm_(params_with([None, None]), 1.0), torch.tensor(0.0))


@pytest.mark.parametrize("bad", [math.inf, math.nan])
@pytest.mark.parametrize("norm_type", [2.0, math.inf])
def test_non_finite_gradients(bad, norm_type):
    grads = random_grads(seed=5)
    grads[2][0, 1, 2, 0] = bad
    # error_if_nonfinite=True: RuntimeError (torch's type and meaning), gradients untouched
    theirs, ours = params_with(grads), params_with(grads)
    with pytest.raises(RuntimeError, match="non-finite"):
        torch.nn.utils.clip_grad_norm_(theirs, 1.0, norm_type=norm_type, error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match="error_if_nonfinite=False"):
        C.clip_grad_norm_(ours, 1.0, norm_type=norm_type, error_if_nonfinite=True)
    for a, g in zip(grads_of(ours), grads, strict=True):
        np.testing.assert_array_equal(a, g)
    with pytest.raises(RuntimeError, match="non-finite"):
        C.clip_grad_norm_([g.copy() for g in grads], 1.0, norm_type=norm_type, error_if_nonfinite=True)
    # error_if_nonfinite=False: scaled by the non-finite norm anyway, exactly as torch does
    expected = torch.nn.utils.clip_grad_norm_(theirs, 1.0, norm_type=norm_type)
    got = C.clip_grad_norm_(ours, 1.0, norm_type=norm_type)
    assert torch.equal(got, expected) or (got.isnan() and expected.isnan())
    arrays = [g.copy() for g in grads]
    C.clip_grad_norm_(arrays, 1.0, norm_type=norm_type)
    for a, b, c in zip(grads_of(ours), grads_of(theirs), arrays, strict=True):
        np.testing.assert_array_equal(a, b)  # assert_array_equal treats NaN == NaN
        np.testing.assert_array_equal(c, b)


def test_global_norm_is_the_norm_of_the_concatenation():
    grads = random_grads(seed=6)
    for p in NORM_TYPES:
        assert C.global_norm(grads, p) == pytest.approx(concatenated_norm(grads, p), rel=1e-12)
    assert C.global_norm(grads, "inf") == max(np.abs(g).max() for g in grads)
    assert C.global_norm([], 2) == 0.0


def test_clip_coefficient_formula():
    assert C.clip_coefficient(0.5, 1.0) == 1.0
    assert C.clip_coefficient(4.0, 1.0) == 1.0 / (4.0 + 1e-6)
    assert C.clip_coefficient(math.inf, 1.0) == 0.0
    assert math.isnan(C.clip_coefficient(math.nan, 1.0))
    t = C.clip_coefficient(torch.tensor(4.0, dtype=torch.float64), 1.0)
    assert isinstance(t, torch.Tensor) and t.item() == 1.0 / (4.0 + 1e-6)


def test_accepts_single_tensor_generator_and_float32_arrays():
    grads = random_grads(seed=8, scale=4.0)
    p = params_with(grads[:1])[0]
    q = params_with(grads[:1])[0]
    assert torch.equal(C.clip_grad_norm_(p, 1.0), torch.nn.utils.clip_grad_norm_(q, 1.0))
    assert torch.equal(p.grad, q.grad)
    model = torch.nn.Linear(4, 3).double()
    model(torch.ones(2, 4, dtype=torch.float64)).pow(2).sum().backward()
    total = C.clip_grad_norm_(model.parameters(), 0.1)  # a generator, as in most training loops
    assert total.item() > 0.1
    assert C.global_norm([p.grad for p in model.parameters()]).item() == pytest.approx(0.1, rel=1e-5)
    g32 = grads[0].astype(np.float32)
    C.clip_grad_norm_(g32, 1.0)
    assert g32.dtype == np.float32 and float(np.linalg.norm(g32)) == pytest.approx(1.0, rel=1e-5)


# ----------------------------------------------------------------------------------------------------------
# value clipping
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("clip_value", [0.0, 0.5, 1.7, 100.0])
def test_clip_grad_value_equals_torch_on_both_paths(clip_value):
    grads = random_grads(seed=9)
    theirs, ours = params_with(grads + [None]), params_with(grads + [None])
    torch.nn.utils.clip_grad_value_(theirs, clip_value)
    assert C.clip_grad_value_(ours, clip_value) is None
    arrays = [g.copy() for g in grads]
    C.clip_grad_value_(arrays, clip_value)
    pure = C.clip_by_value(grads, clip_value)
    for a, b, c, d in zip(grads_of(ours)[:-1], grads_of(theirs)[:-1], arrays, pure, strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(c, b)
        np.testing.assert_array_equal(d, b)
    assert ours[-1].grad is None
    assert max(np.abs(a).max() for a in arrays) <= clip_value
    pure_t = C.clip_by_value([torch.tensor(g) for g in grads], clip_value)
    for t, b in zip(pure_t, grads_of(theirs)[:-1], strict=True):
        np.testing.assert_array_equal(t.numpy(), b)


def test_norm_clipping_keeps_direction_value_clipping_turns_it():
    g = [np.array([100.0, 0.9, -0.9]), np.array([[0.9, 0.9]])]

    def cosine(a, b):
        a, b = np.concatenate([x.ravel() for x in a]), np.concatenate([x.ravel() for x in b])
        return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))

    by_norm, total = C.clip_by_global_norm(g, 1.0)
    by_value = C.clip_by_value(g, 1.0)
    assert total > 1.0
    assert cosine(by_norm, g) == pytest.approx(1.0, abs=1e-12)
    assert cosine(by_value, g) < 0.6  # 0.50: the small entries now weigh almost as much as the big one


# ----------------------------------------------------------------------------------------------------------
# validation
# ----------------------------------------------------------------------------------------------------------
def test_bad_arguments_raise_value_error():
    grads = random_grads(seed=10)
    with pytest.raises(ValueError, match="max_norm must be a number >= 0"):
        C.clip_grad_norm_(grads, -1.0)
    with pytest.raises(ValueError, match="max_norm"):
        C.clip_by_global_norm(grads, math.nan)
    for bad in (0, -2.0, "two", math.nan):
        with pytest.raises(ValueError, match="norm_type must be a number > 0 or 'inf'"):
            C.clip_grad_norm_(grads, 1.0, norm_type=bad)
    with pytest.raises(ValueError, match="clip_value must be a number >= 0"):
        C.clip_grad_value_(grads, -0.1)
    with pytest.raises(ValueError, match="clip_value"):
        C.clip_by_value(grads, None)
    with pytest.raises(ValueError, match="not a mix"):
        C.clip_grad_norm_([grads[0], torch.zeros(3)], 1.0)
    with pytest.raises(ValueError, match="floating-point"):
        C.clip_grad_norm_([np.arange(5)], 1.0)
    with pytest.raises(ValueError, match="list of numpy arrays or a list of torch tensors"):
        C.clip_by_value([[1.0, 2.0]], 1.0)
