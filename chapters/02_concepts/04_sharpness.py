# %% [markdown]
# # 2.4 How sharp is a real network?
#
# [2.3](03_learning_rate.ipynb) proved that gradient descent on a quadratic is stable if and only if
# $\eta < 2/L$, where $L = \lambda_{\max}(H)$ is the largest eigenvalue of the Hessian $H = \nabla^2\ell$. A
# network's loss is not a quadratic, but at every point $\theta$ it has a Hessian, and the largest eigenvalue of
# that Hessian — the **sharpness** $\lambda_{\max}(\theta)$ — is the curvature of the quadratic that best
# describes the loss near $\theta$. So this chapter asks three questions:
#
# 1. Can we compute $\lambda_{\max}$ of a network with thousands of parameters, whose Hessian we cannot even store?
# 2. Does $2/\lambda_{\max}$ tell us where the learning-rate range test of 2.3 sees the loss take off?
# 3. What happens to $\lambda_{\max}$ while gradient descent trains the network?

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from gradcourse import curvature, data, nets, optim, plots, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
split = data.digits(as_tensors=True)

# %% [markdown]
# ## The Hessian times a vector, without the Hessian
#
# The digits network of 2.3 (64 → 64 → 64 → 10, ReLU) has about nine thousand parameters, so its Hessian has
# tens of millions of entries (the cell below prints both numbers). We never need them: the product $Hv$ with any vector $v$ is the gradient
# of a scalar,
#
# $$Hv = \nabla_\theta\big(\nabla_\theta\ell(\theta)\cdot v\big),$$
#
# because differentiating $g\cdot v = \sum_i v_i\,\partial\ell/\partial\theta_i$ once more gives
# $\sum_i v_i\,\partial^2\ell/\partial\theta_j\partial\theta_i = (Hv)_j$. Automatic differentiation computes it
# with a second backward pass through the graph of the first ("double backward"): one Hessian-vector product
# costs about two gradients {cite:p}`pearlmutter1994fast`.
#
# The largest eigenvalue then comes from **power iteration**: start from a random unit vector and repeat
# $v \leftarrow Hv/\lVert Hv\rVert$. Writing $v$ in the eigenvectors of $H$, each product multiplies the
# component along eigenvector $i$ by $\lambda_i$, so the component with the largest $|\lambda_i|$ takes over,
# and the Rayleigh quotient $v^\top Hv$ converges to that eigenvalue; the error shrinks like
# $(\lambda_2/\lambda_1)^{2k}$ after $k$ products. `gradcourse.curvature.top_eigenvalue(loss, params)` does
# exactly this and reports the number of products, whether it converged and the residual
# $\lVert Hv - \lambda v\rVert/|\lambda|$.
#
# First a problem whose answer we know: $\ell(\theta) = \tfrac12\theta^\top A\theta$ in 100 dimensions, with
# $A = Q\operatorname{diag}(\lambda_1,\dots,\lambda_{100})Q^\top$ for a random rotation $Q$ and eigenvalues
# spread from 0.01 to 5 — so $H = A$ and $\lambda_{\max} = 5$ exactly.

# %%
rng = np.random.default_rng(0)
eigenvalues = np.linspace(0.01, 4.0, 100)
eigenvalues[-1] = 5.0  # the top eigenvalue, with a gap to the next one (4.0)
Q, _ = np.linalg.qr(rng.normal(size=(100, 100)))
A = torch.from_numpy(Q @ np.diag(eigenvalues) @ Q.T)
theta = torch.from_numpy(rng.normal(size=100)).requires_grad_()

quad_top = curvature.top_eigenvalue(lambda: 0.5 * theta @ A @ theta, [theta], max_iter=500, tol=1e-12)
print(f"power iteration: λ_max = {quad_top.value:.10f} after {quad_top.iterations} Hessian-vector products "
      f"(residual {quad_top.residual:.1e}); exact: {eigenvalues.max()}")
print(f"predicted number of products for a 1e-12 error: ln(1e-12)/ln((4/5)²) = {np.log(1e-12) / np.log(0.64):.0f}")
claim(abs(quad_top.value - 5.0) < 1e-8 and quad_top.converged,
      f"on the quadratic, power iteration finds λ_max = {quad_top.value:.8f} (exact 5)")

# %% [markdown]
# The number of products depends on the gap: with $\lambda_2/\lambda_1 = 4/5$, each product shrinks the error
# of the Rayleigh quotient by $(4/5)^2 = 0.64$, so reaching $10^{-12}$ takes about $\ln 10^{-12}/\ln 0.64$
# products — the prediction and the count of the run are printed above. A network's top
# eigenvalues are often closer together; we stop at a relative change of $10^{-4}$ and print the residual.
#
# ## The sharpness of the digits network
#
# The same routine on the digits network of 2.3 at initialization, on the full training set (1,347 images,
# cross-entropy loss $\ell$):

# %%
X, y = split.X_train, split.y_train


def digits_net():
    """The network of 2.3's range test: 64 → 64 → 64 → 10, ReLU, PyTorch's default initialization."""
    return nets.mlp(64, 10, depth=2, width=64, activation="relu", seed=0)


def sharpness(model, **options):
    """λ_max of the full-batch cross-entropy loss's Hessian at the model's current weights."""
    return curvature.top_eigenvalue(lambda: F.cross_entropy(model(X), y), model, **options)


net = digits_net()
n_params = sum(p.numel() for p in net.parameters())
top0 = sharpness(net, max_iter=200, tol=1e-4)
print(f"{n_params} parameters, a Hessian of {n_params**2:.1e} entries; λ_max = {top0.value:.3f} after {top0.iterations} products "
      f"(residual {top0.residual:.1e}); 2/λ_max = {2 / top0.value:.2f}")
claim(top0.converged and top0.value > 0, f"at initialization the sharpness is λ_max = {top0.value:.3f}, "
      f"so gradient descent on the local quadratic would be stable up to η = 2/λ_max = {2 / top0.value:.2f}")

# %% [markdown]
# ## 2/λ_max and the learning-rate range test
#
# The range test of 2.3 raises $\eta$ exponentially, one mini-batch step at a time, and watches the smoothed
# loss. If the local quadratic picture holds, the loss should turn up once $\eta$ passes $2/\lambda_{\max}$ of
# the *current* weights. We run the same test, note where the smoothed loss is lowest (where it takes off), and
# then replay the first $i$ steps of the test for a few $i$ (same seed, same batches: `restore=False` keeps the
# weights where step $i$ left them) to measure $\lambda_{\max}$ along the way.

# %%
def range_test(model, end_lr=10.0, num_steps=100, restore=True):
    """2.3's range test: SGD, η from 1e-4 growing by the same factor every step (10⁵ over 100 steps)."""
    return train.lr_range_test(model, split, optim.SGD(model.parameters(), lr=1e-3), start_lr=1e-4,
                               end_lr=end_lr, num_steps=num_steps, restore=restore)


found = range_test(digits_net())
take_off = int(np.argmin(found.losses))
print(f"η grows by {found.lrs[1] / found.lrs[0] - 1:.0%} per step; the smoothed loss is lowest at step {take_off}, "
      f"η = {found.lrs[take_off]:.2f}; the test stops at η = {found.lrs[-1]:.2f}")

replayed = {}
for i in (take_off - 15, take_off - 10, take_off - 5, take_off):
    model = digits_net()
    range_test(model, end_lr=float(found.lrs[i]), num_steps=i + 1, restore=False)  # the same first i + 1 steps
    replayed[i] = sharpness(model, max_iter=100, tol=1e-3).value
print(" step |   η    | λ_max(θ) | 2/λ_max")
for i, lam in replayed.items():
    print(f" {i:4d} | {found.lrs[i]:6.3f} | {lam:8.3f} | {2 / lam:7.3f}")

# %%
steps_i = np.array(list(replayed))
stable_limit = 2 / np.array(list(replayed.values()))
crossed = steps_i[found.lrs[steps_i] > stable_limit]
fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
ax.semilogx(found.lrs, found.losses, color="C0", label="smoothed loss")
ax.axvline(found.lrs[take_off], color="C3", linestyle="--", label=f"loss takes off: η = {found.lrs[take_off]:.2f}")
ax.axvline(2 / top0.value, color="0.5", linestyle=":", label=f"2/λ_max at initialization = {2 / top0.value:.1f}")
ax.set_ylim(0, 2 * found.losses[0])  # the loss shoots far above this at the end
ax.set_title("Range test (SGD, digits)")
ax.set_xlabel("learning rate η at that step (log scale)")
ax.set_ylabel("smoothed training loss ℓ (cross-entropy)")
ax.legend(fontsize="small")
ax2.loglog(found.lrs[steps_i], stable_limit, "s-", color="C2", label="2/λ_max of the weights at that step")
ax2.loglog(found.lrs[steps_i], found.lrs[steps_i], color="0.4", linestyle="--", label="η itself")
ax2.axvline(found.lrs[take_off], color="C3", linestyle="--")
ax2.set_title("The stability limit falls as the network sharpens")
ax2.set_xlabel("learning rate η at that step (log scale)")
ax2.set_ylabel("learning rate (log scale)")
ax2.legend(fontsize="small")
plt.show()

first_cross = int(crossed.min()) if crossed.size else None
claim(first_cross is not None and replayed[first_cross] > 2 * top0.value,
      f"the network sharpens during the test: λ_max grows from {top0.value:.2f} to {max(replayed.values()):.2f}, "
      f"so 2/λ_max falls from {2 / top0.value:.2f} to {2 / max(replayed.values()):.3f}")
claim(first_cross is not None and first_cross > steps_i.min() and take_off - first_cross <= 10,
      f"η first exceeds 2/λ_max(θ) at measured step {first_cross} (η = {found.lrs[first_cross]:.2f} > "
      f"{2 / replayed[first_cross]:.2f}; five steps earlier it was still below), within 10 steps of the "
      f"take-off at step {take_off}")

# %% [markdown]
# Two lessons. First, the sharpness at initialization alone would have put the edge at
# $2/\lambda_{\max} \approx 4$, above where the loss actually took off: the edge **moves**, because the network
# becomes sharper while it trains. Second, measured at the weights the test had reached, the crossing of
# $\eta$ and $2/\lambda_{\max}(\theta)$ lands just before the take-off, as the quadratic picture predicts. The
# test is not a clean instrument — mini-batch noise, the smoothing's lag and an $\eta$ that grows 12 % per step
# all blur it — which is why its conventional reading takes a tenth of the loss minimum rather than the
# minimum itself (2.3).
#
# ## Sharpness during training: the edge of stability
#
# Cohen et al. {cite:p}`cohen2021gradient` tracked $\lambda_{\max}$ during full-batch gradient descent and found
# two regularities: the sharpness first **rises** (progressive sharpening), until it reaches $2/\eta$; there it
# stops rising and hovers around $2/\eta$, while the loss keeps falling, though no longer monotonically (the
# **edge of stability**). The quadratic theory says that a sharpness above $2/\eta$ is unstable; a network
# escapes by moving to a region of lower curvature, and comes back.
#
# We repeat their experiment in miniature, where it is cleanest in their paper: a tanh network with the
# squared-error loss $\ell = \tfrac{1}{2N}\sum_n\lVert f(x_n) - \text{onehot}(y_n)\rVert^2$, on $N = 128$ training
# images, full-batch gradient descent at $\eta \in \{0.1, 0.25, 0.5\}$ for 500 steps, with $\lambda_{\max}$ measured
# every 25 steps (warm-started from the previous eigenvector, so a few products suffice).

# %%
X_small, Y_small = X[:128], F.one_hot(y[:128], 10).to(X.dtype)


def track_sharpness(eta, steps=500, every=25):
    """Full-batch GD on the tanh net; returns (steps measured, λ_max there, loss per step)."""
    model = nets.mlp(64, 10, depth=2, width=64, activation="tanh", seed=0)
    loss_fn = lambda: 0.5 * (model(X_small) - Y_small).pow(2).sum(dim=1).mean()  # noqa: E731
    gd = optim.SGD(model.parameters(), lr=eta)
    measured_at, lams, losses, v = [], [], [], None
    for t in range(steps + 1):
        if t % every == 0:
            top = curvature.top_eigenvalue(loss_fn, model, max_iter=15, tol=1e-3, start=v)
            measured_at.append(t)
            lams.append(top.value)
            v = top.vector
        gd.zero_grad()
        value = loss_fn()
        value.backward()
        gd.step()
        losses.append(value.item())
    return np.array(measured_at), np.array(lams), np.array(losses)


runs = {eta: track_sharpness(eta) for eta in (0.1, 0.25, 0.5)}

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
for k, (eta, (at, lams, losses)) in enumerate(runs.items()):
    axes[0].plot(at, lams, color=f"C{k}", label=f"η = {eta}")
    axes[0].axhline(2 / eta, color=f"C{k}", linestyle="--", linewidth=1)
    axes[1].semilogy(losses, color=f"C{k}", label=f"η = {eta}")
axes[0].set_ylim(0, 12)
axes[0].set_title("Sharpness during full-batch GD (dashed: 2/η)")
axes[0].set_xlabel("step t")
axes[0].set_ylabel("λ_max(H)")
axes[1].set_title("Training loss")
axes[1].set_xlabel("step t")
axes[1].set_ylabel("squared-error loss ℓ (log scale)")
for ax in axes:
    ax.legend()
plt.show()

print("  η   | 2/η  | λ_max at t=0 | largest λ_max | mean λ_max, last 250 steps | loss t=0 → 500")
for eta, (at, lams, losses) in runs.items():
    late = lams[at >= 250]
    print(f" {eta:<4} | {2 / eta:4.1f} | {lams[0]:12.2f} | {lams.max():13.2f} | "
          f"{late.mean():26.2f} | {losses[0]:.3f} → {losses[-1]:.4f}")

# %% tags=["hide-input"]
for eta in (0.25, 0.5):
    at, lams, losses = runs[eta]
    claim(lams.max() >= 2 * lams[0], f"η = {eta}: progressive sharpening, λ_max {lams[0]:.2f} → {lams.max():.2f}")
    late = lams[at >= 250]
    claim(lams.max() > 1.5 * lams[0] and np.all(np.abs(late / (2 / eta) - 1) < 0.2),
          f"η = {eta}: λ_max rises from {lams[0]:.2f} to {lams.max():.2f}, then hovers at 2/η = {2 / eta:g} "
          f"(last 250 steps: {late.min():.2f} … {late.max():.2f})")
    claim(losses[-1] < 0.1 * losses[0] and np.any(np.diff(losses) > 0),
          f"η = {eta}: the loss still falls ({losses[0]:.3f} → {losses[-1]:.4f}), but not monotonically")
at, lams, _ = runs[0.1]
claim(np.all(np.diff(lams[at >= 100]) > 0) and lams[-1] < 0.5 * (2 / 0.1) and lams.max() >= 2 * lams[0],
      f"η = 0.1: λ_max keeps rising ({lams[4]:.2f} at t = 100 → {lams[-1]:.2f} at t = 500) but is still far "
      f"below 2/η = 20 when we stop")

# %% [markdown]
# What we observed, and where it is not clean:
#
# - **Progressive sharpening** happened at every $\eta$: the sharpness at least doubled from its initial value
#   (the table's "largest λ_max" column against its first).
# - At $\eta = 0.25$ and $0.5$ it **stopped at $2/\eta$** and hovered there, while the loss kept falling —
#   the edge of stability. At $\eta = 0.5$ it first overshot $2/\eta$ before settling, and in both runs
#   the average over the last 250 steps sits just *above* $2/\eta$, as Cohen et al. also report: "hovers at
#   $2/\eta$" is not a hard ceiling, and gradient descent does not diverge although the quadratic theory says a
#   sharpness above $2/\eta$ should make it.
# - At $\eta = 0.1$, 500 steps were not enough to reach $2/\eta = 20$: whether and when sharpening reaches
#   the edge depends on the run's length, the loss and the data. With the cross-entropy loss the picture is
#   less clean still: Cohen et al. note that the sharpness eventually *decreases* late in training, as the
#   logits grow and the softmax saturates.
#
# So the answer to "nobody knows a network's $L$" is: we can measure it, and the learning rate itself pushes
# it. Gradient descent tends to settle where the local $L$ is about $2/\eta$, so an $\eta$ below
# $2/\lambda_{\max}$ at initialization is no guarantee for later (the range test above showed it). That is one
# motivation for warmup: start with a small $\eta$ while the sharpness adapts
# ([3.7](../03_algorithms/07_schedules.ipynb)).
#
# ## What we learned
#
# - A Hessian-vector product is a second backward pass, $Hv = \nabla(\nabla\ell\cdot v)$, at about the cost of
#   two gradients; power iteration on it gives the sharpness $\lambda_{\max}$ of a network whose Hessian we
#   could not store. On a quadratic it recovers the exact eigenvalue.
# - The range test's take-off is where $\eta$ overtakes $2/\lambda_{\max}$ of the weights the test has reached
#   — not of the initial weights, because the network sharpens while it trains.
# - Under full-batch gradient descent the sharpness rises until it reaches $2/\eta$ and then hovers there
#   (the edge of stability) while the loss keeps falling, non-monotonically.
#
# **Exercise:** predict from the $\eta = 0.1$ run how many steps the sharpness needs to reach $2/\eta = 20$
# (extrapolate its slope), then run `track_sharpness(0.1, steps=…)` with that many steps and compare.
