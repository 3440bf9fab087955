"""gradcourse.curvature: Hessian-vector products and λ_max against an exact Hessian and a quadratic's eigenvalues."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gradcourse import curvature, nets


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _quadratic(eigenvalues, seed=0):
    """ℓ(θ) = ½ θᵀAθ with A = Q diag(eigenvalues) Qᵀ for a random rotation Q; returns (loss, [θ], A)."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues), len(eigenvalues))))
    A = torch.from_numpy(q @ np.diag(eigenvalues) @ q.T)
    theta = torch.from_numpy(rng.normal(size=len(eigenvalues))).requires_grad_()
    return (lambda: 0.5 * theta @ A @ theta), [theta], A


def _small_net():
    """A 3-4-2 tanh network on 6 examples (float64, 26 parameters) and its exact Hessian from torch.func."""
    model = nets.mlp(3, 2, depth=1, width=4, activation="tanh", init="xavier_uniform", seed=0, dtype=torch.float64)
    g = torch.Generator().manual_seed(1)
    X = torch.randn(6, 3, generator=g, dtype=torch.float64)
    y = torch.tensor([0, 1, 1, 0, 1, 0])
    params = list(model.parameters())
    names = [n for n, _ in model.named_parameters()]
    shapes = [p.shape for p in params]
    sizes = [p.numel() for p in params]

    def loss_of_flat(flat):
        pieces = [piece.view(s) for piece, s in zip(torch.split(flat, sizes), shapes, strict=True)]
        out = torch.func.functional_call(model, dict(zip(names, pieces, strict=True)), (X,))
        return F.cross_entropy(out, y)

    flat = torch.cat([p.detach().reshape(-1) for p in params])
    exact = torch.autograd.functional.hessian(loss_of_flat, flat)
    return model, (lambda: F.cross_entropy(model(X), y)), params, exact


def test_hessian_matches_exact_hessian_of_a_small_net():
    _, loss, params, exact = _small_net()
    H = curvature.hessian(loss, params)
    assert H.shape == (26, 26)
    torch.testing.assert_close(H, exact, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(H, H.T, rtol=1e-10, atol=1e-12)


def test_hessian_vector_product_matches_exact_hessian_times_v():
    model, loss, params, exact = _small_net()
    g = torch.Generator().manual_seed(2)
    v = [torch.randn(p.shape, generator=g, dtype=p.dtype) for p in params]
    hv = curvature.hessian_vector_product(loss, model, v)  # an nn.Module is accepted for params
    flat_v = torch.cat([u.reshape(-1) for u in v])
    torch.testing.assert_close(torch.cat([h.reshape(-1) for h in hv]), exact @ flat_v, rtol=1e-10, atol=1e-12)


def test_top_eigenvalue_of_a_small_net_is_the_exact_largest_magnitude_eigenvalue():
    _, loss, params, exact = _small_net()
    eigenvalues = torch.linalg.eigvalsh(exact)
    expected = eigenvalues[eigenvalues.abs().argmax()].item()
    top = curvature.top_eigenvalue(loss, params, max_iter=500, tol=1e-12)
    assert top.converged
    assert top.value == pytest.approx(expected, rel=1e-6)
    assert top.residual < 1e-3
    assert sum(float((u * u).sum()) for u in top.vector) == pytest.approx(1.0)


def test_top_eigenvalue_of_a_quadratic_is_its_largest_eigenvalue():
    eigenvalues = np.array([0.1, 0.5, 1.0, 2.0, 7.5])
    loss, params, _ = _quadratic(eigenvalues)
    top = curvature.top_eigenvalue(loss, params, max_iter=200, tol=1e-12)
    assert top.converged and top.value == pytest.approx(7.5, rel=1e-9)
    assert top.iterations < 200 and len(top.history) == top.iterations


def test_power_iteration_converges_at_rate_lambda2_over_lambda1():
    """Error of the Rayleigh quotient shrinks like (λ₂/λ₁)^(2k): slower when the gap is small."""
    fast = curvature.top_eigenvalue(*_quadratic(np.array([1.0, 2.0, 10.0]))[:2], max_iter=500, tol=1e-10)
    slow = curvature.top_eigenvalue(*_quadratic(np.array([1.0, 9.0, 10.0]))[:2], max_iter=500, tol=1e-10)
    assert fast.converged and slow.converged and fast.iterations < slow.iterations


def test_hessian_of_a_quadratic_is_A():
    loss, params, A = _quadratic(np.array([1.0, 3.0, 4.0]))
    torch.testing.assert_close(curvature.hessian(loss, params), A, rtol=1e-12, atol=1e-12)


def test_linear_loss_has_zero_hessian():
    theta = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    c = torch.tensor([3.0, 4.0], dtype=torch.float64)
    hv = curvature.hessian_vector_product(lambda: c @ theta, [theta], [torch.ones(2, dtype=torch.float64)])
    assert torch.equal(hv[0], torch.zeros(2, dtype=torch.float64))
    top = curvature.top_eigenvalue(lambda: c @ theta, [theta])
    assert top.value == 0.0 and top.converged


def test_parameters_and_global_random_state_are_untouched():
    model, loss, params, _ = _small_net()
    before = [p.detach().clone() for p in params]
    state = torch.get_rng_state()
    curvature.top_eigenvalue(loss, params, max_iter=5)
    assert torch.equal(torch.get_rng_state(), state)
    assert all(torch.equal(a, p) for a, p in zip(before, params, strict=True))
    assert all(p.grad is None for p in params)


def test_seed_makes_the_result_reproducible():
    _, loss, params, _ = _small_net()
    a = curvature.top_eigenvalue(loss, params, max_iter=7, seed=3)
    b = curvature.top_eigenvalue(loss, params, max_iter=7, seed=3)
    assert a.history == b.history and a.value == b.value


def test_stopping_at_max_iter_reports_not_converged_with_a_consistent_residual():
    loss, params, _ = _quadratic(np.array([1.0, 9.0, 10.0]))
    top = curvature.top_eigenvalue(loss, params, max_iter=3, tol=1e-14)
    assert not top.converged and top.iterations == 3
    hv = curvature.hessian_vector_product(loss, params, top.vector)
    residual = float(torch.linalg.norm(hv[0] - top.value * top.vector[0])) / abs(top.value)
    assert top.residual == pytest.approx(residual) and top.value < 10.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda th: curvature.top_eigenvalue(lambda: th.sum() ** 2, []), "params must be a non-empty list"),
        (lambda th: curvature.top_eigenvalue(lambda: th.sum() ** 2, [th.detach()]), "requires_grad=True"),
        (lambda th: curvature.top_eigenvalue(lambda: th**2, [th]), "scalar loss"),
        (lambda th: curvature.top_eigenvalue(lambda: th.sum() ** 2, [th], max_iter=0), "max_iter"),
        (lambda th: curvature.top_eigenvalue(lambda: th.sum() ** 2, [th], tol=-1.0), "tol"),
        (lambda th: curvature.hessian_vector_product(lambda: th.sum() ** 2, [th], [torch.ones(3)]), "same shapes"),
    ],
)
def test_bad_input_names_the_argument(call, message):
    theta = torch.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match=message):
        call(theta)
