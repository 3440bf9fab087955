# %% [markdown]
# # 3.1 Gradient descent, SGD and mini-batches
#
# Every optimizer in this part of the course is a variation on one line, $\theta \leftarrow \theta - \eta\, g$.
# This first section asks the question that comes *before* momentum, Adam or clipping: **which gradient $g$
# do we plug in?** The exact gradient of the whole training loss (gradient descent), the gradient of a single
# example (stochastic gradient descent, SGD), or the gradient of a small random batch (mini-batch SGD)?
#
# We answer with measurements on a real problem (scikit-learn's handwritten digits): mini-batching trades
# gradient *noise* against *cost per step*. And we check what it does not do: it does not make a too-large
# learning rate safe, and it does not cure vanishing gradients.

# %% tags=["hide-input"]
import time

import matplotlib.pyplot as plt
import numpy as np

from gradcourse import data, nets, optim, plots, problems
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## One update rule, three gradients
#
# A training loss is an average over the $N$ training examples,
#
# $$\ell(\theta) = \frac{1}{N}\sum_{i=1}^{N} \ell_i(\theta), \qquad \nabla \ell(\theta) = \frac{1}{N}\sum_{i=1}^{N}\nabla \ell_i(\theta).$$
#
# All three methods take the step $\theta_{t+1} = \theta_t - \eta\, g_t$. They differ only in $g_t$:
#
# | method | gradient $g_t$ | examples per step |
# |---|---|---|
# | (full-batch) gradient descent, GD | $\nabla \ell(\theta_t)$, the exact gradient | $N$ |
# | stochastic gradient descent, SGD {cite:p}`robbins1951stochastic` | $\nabla \ell_i(\theta_t)$ for one random example $i$ | 1 |
# | mini-batch SGD | $g_B = \frac{1}{B}\sum_{i\in\mathcal{B}_t} \nabla \ell_i(\theta_t)$ for a random batch $\mathcal{B}_t$ of $B$ examples | $B$ |
#
# A random batch gives an *unbiased* estimate: $\mathbb{E}[g_B] = \nabla \ell(\theta)$. It is the exact gradient
# plus zero-mean noise whose size we measure below. (In Chinese texts 批量梯度下降, "batch gradient descent",
# usually means *full*-batch GD, and 小批量 mini-batch.)
#
# Our problem: multinomial logistic regression on the digits (a linear layer 64 → 10 with a softmax
# cross-entropy loss; 1,347 training images). It is a `NumpyMLP` with no hidden layer, and every update is the
# course's `sgd` rule from `gradcourse.optim.functional` — the same function `gradcourse.optim.SGD` runs.

# %%
split = data.digits()
X, y = split.X_train.astype(np.float64), split.y_train
N = len(X)


def new_model() -> nets.NumpyMLP:
    """Logistic regression on the digits: one linear layer, 64 pixels -> 10 class scores."""
    return nets.NumpyMLP([64, 10], seed=0)


def full_loss(net: nets.NumpyMLP) -> float:
    return net.loss_and_grads(X, y, loss="cross_entropy")[0]


def sgd_update(net: nets.NumpyMLP, grads, states, lr: float) -> None:
    """One step of the library's SGD rule on every weight matrix and bias vector of the network."""
    for (W, b), (dW, db), (state_W, state_b) in zip(net.params, grads, states, strict=True):
        optim.functional.step("sgd", W, dW, state_W, lr=lr)
        optim.functional.step("sgd", b, db, state_b, lr=lr)


def train(batch_size: int, lr: float, epochs: int = 3, seed: int = 0, evals_per_epoch: int = 5) -> dict:
    """Mini-batch SGD for some epochs (batch order drawn from `seed`); record the full training loss after each
    of the first 3 updates and then about `evals_per_epoch` times per epoch (inf once the run has diverged)."""
    net = new_model()
    states = [({}, {}) for _ in net.params]
    record = {"epoch": [0.0], "update": [0], "loss": [full_loss(net)]}
    seen, updates = 0, 0
    every = max(1, N // evals_per_epoch)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs):
            for Xb, yb in data.batches(X, y, batch_size, seed=1000 * seed + epoch):
                _, grads, _ = net.loss_and_grads(Xb, yb, loss="cross_entropy")
                sgd_update(net, grads, states, lr)
                seen, updates = seen + len(Xb), updates + 1
                if updates <= 3 or seen % every < len(Xb) or seen == N * (epoch + 1):
                    record["epoch"].append(seen / N)
                    record["update"].append(updates)
                    record["loss"].append(full_loss(net))
    loss = np.array(record.pop("loss"))
    return {"loss": np.where(np.isfinite(loss), loss, np.inf)} | {k: np.array(v) for k, v in record.items()}


# %% [markdown]
# ## Experiment 1: the same number of passes over the data
#
# We give each method three *epochs* (three passes over the 1,347 images), so they do the same arithmetic on
# examples. GD makes 3 updates, mini-batch SGD with $B = 32$ makes 129, and SGD with $B = 1$ makes 4,041.
# Each method gets its own learning rate, and a fair comparison needs each at its best, so first we sweep: powers
# of about 3 for each method, widened until the best value sits *inside* the grid — a best value on the
# border of a grid only says "look further out" (the CS231n notes' rule). GD is deterministic; a mini-batch run
# depends on the order of the batches, so $B = 32$ is run with three shuffling seeds and scored by the mean.
# ($B = 1$, with 32 times as many steps per epoch, gets one seed.)

# %%
grids = {
    "GD (B = 1347)": (N, [0.3, 1.0, 3.0, 10.0, 30.0, 100.0], [0]),
    "mini-batch (B = 32)": (32, [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0], [0, 1, 2]),
    "SGD (B = 1)": (1, [0.01, 0.03, 0.1], [0]),
}
sweep = {label: {lr: [train(B, lr, seed=s) for s in seeds] for lr in lrs} for label, (B, lrs, seeds) in grids.items()}

fig, ax = plt.subplots(figsize=(6.5, 4))
best_lr = {}
for label, by_lr in sweep.items():
    lrs = list(by_lr)
    score = np.array([np.mean([run["loss"][-1] for run in by_lr[lr]]) for lr in lrs])
    best_lr[label] = lrs[int(np.argmin(score))]
    ax.loglog(lrs, np.minimum(score, 10), "o-", label=f"{label}: best η = {best_lr[label]:g}")
    print(f"{label:20s} " + "  ".join(f"η={lr:g}: {s:.3f}" for lr, s in zip(lrs, score, strict=True)))
ax.set(title="Learning-rate sweep: 3 epochs each", xlabel="learning rate η (log scale)",
       ylabel="training loss after 3 epochs (mean over seeds)")
ax.legend(fontsize="small")
plt.show()

# %% tags=["hide-input"]
for label, by_lr in sweep.items():
    lrs = list(by_lr)
    claim(lrs[0] < best_lr[label] < lrs[-1], f"{label}: the best η = {best_lr[label]:g} lies inside its grid "
          f"[{lrs[0]:g}, {lrs[-1]:g}]")
per_seed = {lr: np.array([run["loss"][-1] for run in runs_]) for lr, runs_ in sweep["mini-batch (B = 32)"].items()}
claim(best_lr["mini-batch (B = 32)"] == 1.0 and np.all(per_seed[1.0] < np.minimum(per_seed[0.3], per_seed[3.0])),
      f"B = 32: η = 1 beats its neighbours 0.3 and 3 on every seed (final loss per seed {np.round(per_seed[1.0], 3)})")

# %% [markdown]
# A grid that stopped at $\eta = 1$ would have put $B = 32$'s best value on its border, where it could be the
# edge of a slope still going down. Widened to 3 and 10, the loss rises again on that side, so $\eta = 1$ is a
# real optimum for three epochs, on every seed. Now the three methods, each at its best $\eta$
# (seed 0's run):

# %%
runs = {label: sweep[label][best_lr[label]][0] for label in sweep}

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for label, run in runs.items():
    ax1.semilogy(run["epoch"], run["loss"], marker=".", label=label)
    ax2.loglog(np.maximum(run["update"], 1), run["loss"], marker=".", label=label)
ax1.set(title="Per pass over the data, small batches win", xlabel="epochs (passes over the training set)",
        ylabel="full training loss (cross-entropy)")
ax2.set(title="Per update, the exact gradient wins", xlabel="number of updates (log scale)",
        ylabel="full training loss (cross-entropy)")
ax1.legend()
ax2.legend()
plt.show()

for label, run in runs.items():
    print(f"{label:20s} η = {best_lr[label]:<5g} updates: {run['update'][-1]:5d}   loss after 3 epochs: "
          f"{run['loss'][-1]:.3f}   after 3 updates: {run['loss'][3]:.3f}")

# %% tags=["hide-input"]
final = {label: run["loss"][-1] for label, run in runs.items()}
gd, mb = runs["GD (B = 1347)"], runs["mini-batch (B = 32)"]
claim(max(final["mini-batch (B = 32)"], final["SGD (B = 1)"]) < 0.5 * final["GD (B = 1347)"],
      "per epoch, both stochastic methods end below half of GD's loss")
claim(gd["update"][3] == mb["update"][3] == 3 and gd["loss"][3] < mb["loss"][3],
      f"per update, the exact gradient does better: after 3 updates GD {gd['loss'][3]:.3f}, B = 32 {mb['loss'][3]:.3f}")

# %% [markdown]
# Both panels are the same runs. Per pass over the data, GD is far behind: it spends 1,347 gradient
# evaluations on *one* careful step, while mini-batch SGD makes $N/B \approx 42$ slightly noisy steps with the
# same work. Per update, GD is ahead, because its gradient has no noise. Which one matters depends on
# what a step costs — Experiment 3 — and how noisy a small batch is — Experiment 2.

# %% [markdown]
# ## Experiment 2: gradient noise against batch size
#
# How far is the mini-batch gradient $g_B$ from the true gradient $\nabla \ell$? Write
# $\sigma_g^2 = \frac{1}{N}\sum_i \lVert\nabla\ell_i - \nabla \ell\rVert^2$ for the spread of the per-example
# gradients. For $B$ examples drawn **with** replacement, the average of $B$ independent draws has
#
# $$\mathbb{E}\,\lVert g_B - \nabla \ell\rVert^2 = \frac{\sigma_g^2}{B},$$
#
# so the noise *variance* falls like $1/B$ and its standard deviation like $1/\sqrt{B}$: four times the batch
# for half the noise. Real batches are drawn **without** replacement (each example once per epoch), and then
# the *finite-population correction* applies:
#
# $$\mathbb{E}\,\lVert g_B - \nabla \ell\rVert^2 = \frac{\sigma_g^2}{B}\cdot\frac{N-B}{N-1},$$
#
# which is 0 for $B = N$ — full-batch GD has no noise at all. We measure the left side over 600 random batches
# for each $B \in \{1, 4, 16, 64, 256\}$ at a fixed $\theta$ (the initial weights) and compare.

# %%
def flat(grads) -> np.ndarray:
    """All gradient entries of a network as one vector."""
    return np.concatenate([np.concatenate([dW.ravel(), db]) for dW, db in grads])


net0 = new_model()
g_true = flat(net0.loss_and_grads(X, y, loss="cross_entropy")[1])
per_example = np.stack([flat(net0.loss_and_grads(X[i:i + 1], y[i:i + 1], loss="cross_entropy")[1]) for i in range(N)])
sigma2_g = np.mean(np.sum((per_example - g_true) ** 2, axis=1))

batch_sizes = np.array([1, 4, 16, 64, 256])
n_batches = 600
measured = []
for B in batch_sizes:
    deviations, epoch = [], 0
    while len(deviations) < n_batches:
        for Xb, yb in data.batches(X, y, int(B), seed=epoch, drop_last=True):
            deviations.append(np.sum((flat(net0.loss_and_grads(Xb, yb, loss="cross_entropy")[1]) - g_true) ** 2))
        epoch += 1
    measured.append(np.mean(deviations[:n_batches]))
measured = np.array(measured)
fpc = (N - batch_sizes) / (N - 1)
predicted = sigma2_g / batch_sizes * fpc
slope = np.polyfit(np.log(batch_sizes), np.log(measured), 1)[0]
slope_corrected = np.polyfit(np.log(batch_sizes), np.log(measured / fpc), 1)[0]

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.loglog(batch_sizes, measured, "o", label="measured (600 batches each)")
ax.loglog(batch_sizes, sigma2_g / batch_sizes, "--", label="σ_g²/B (with replacement)")
ax.loglog(batch_sizes, predicted, "-", label="σ_g²/B · (N−B)/(N−1) (without replacement)")
ax.set(title=f"Mini-batch gradient noise falls like 1/B (fitted slope {slope:.3f})",
       xlabel="batch size B (log scale)", ylabel="E‖g_B − ∇ℓ‖²  (log scale)")
ax.legend()
plt.show()

print(f"σ_g² (spread of the {N} per-example gradients) = {sigma2_g:.2f}")
print(" B    measured E‖g_B − ∇ℓ‖²   σ_g²/B·(N−B)/(N−1)   ratio   (N−B)/(N−1)")
for B, m, p, c in zip(batch_sizes, measured, predicted, fpc, strict=True):
    print(f"{B:3d}   {m:18.4f}   {p:18.4f}   {m / p:6.3f}   {c:8.3f}")

# %% tags=["hide-input"]
claim(abs(slope + 1) < 0.1, f"the variance of the mini-batch gradient falls like 1/B: log-log slope {slope:.3f}")
claim(abs(slope_corrected + 1) < 0.05 and slope < -1, f"without replacement it falls a little faster ({slope:.3f}); "
      f"dividing out (N−B)/(N−1) gives {slope_corrected:.3f}")
claim(np.all(np.abs(measured / predicted - 1) < 0.15), "σ_g²/B·(N−B)/(N−1) predicts every measurement within 15 %: "
      f"ratios {np.round(measured / predicted, 3)}")

# %% [markdown]
# The prediction holds across two and a half decades of batch size. Note the size of the correction at
# $B = 256$ (last column): the measured noise is about a fifth below $\sigma_g^2/B$, which makes the raw slope
# slightly steeper than $-1$. For a data set of millions of examples the correction is invisible, which is why
# most texts just write $\sigma_g^2/B$. What this noise does to where SGD ends up — a *noise floor* of the loss
# proportional to $\eta\sigma_g^2/B$, and how a decaying $\eta$ removes it — is the subject of
# [3.2](02_sgd_theory.ipynb).

# %% [markdown]
# ## Experiment 3: what a step costs
#
# Halving the noise costs four times the examples. But a step's *time* does not grow in proportion to $B$:
# a computer processes a batch as one matrix product, and for small $B$ the fixed cost of a step (Python,
# function calls, memory traffic) dominates. We time one step — forward, backward and update — for each $B$.
# (These are the only numbers in this chapter that change from run to run and machine to machine.)

# %%
def time_one_step(B: int, repeats: int = 20) -> float:
    """Best-of-`repeats` wall-clock time of one SGD step (loss, gradients, update) on B examples."""
    net, states = new_model(), [({}, {})]
    Xb, yb = X[:B], y[:B]
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        _, grads, _ = net.loss_and_grads(Xb, yb, loss="cross_entropy")
        sgd_update(net, grads, states, lr=1e-3)
        best = min(best, time.perf_counter() - start)
    return best


timing_sizes = [1, 4, 16, 64, 256]
seconds = np.array([time_one_step(B) for B in timing_sizes])
per_example_time = seconds / np.array(timing_sizes)

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.loglog(timing_sizes, seconds * 1e6, "o-", label="time per step")
ax.loglog(timing_sizes, per_example_time * 1e6, "s--", label="time per example")
ax.set(title="A step's cost grows far slower than its batch", xlabel="batch size B (log scale)",
       ylabel="time (µs, log scale)")
ax.legend()
plt.show()
for B, s, e in zip(timing_sizes, seconds, per_example_time, strict=True):
    print(f"B = {B:5d}: {s * 1e6:8.1f} µs per step, {e * 1e6:7.2f} µs per example")
claim(per_example_time[-1] < per_example_time[0] / 5, "256 examples in one step cost far less than 256 single "
      f"steps: {per_example_time[-1] * 1e6:.2f} against {per_example_time[0] * 1e6:.1f} µs per example")

# %% [markdown]
# For small $B$ a step costs about the same whatever its size, so the larger batch's lower noise is nearly
# free; beyond that the time grows with $B$. On a GPU the flat region extends to thousands of examples, which
# is why practitioners pick the largest batch the hardware processes "for free" — and why part 5 asks what
# happens to the learning rate when the batch gets very large ([5.1](../05_trends/01_large_batch.ipynb)).

# %% [markdown]
# ## What mini-batching does not fix
#
# ```{admonition} Common misconception
# :class: warning
# 「使用批量梯度下降（mini-batch gradient descent）而不是梯度下降，以减少梯度的变化，从而稳定训练过程」 (A4 §3.4:
# "use mini-batch gradient descent instead of gradient descent, to reduce the variation of the gradient").
# **In fact** a mini-batch gradient varies *more* than the full gradient, whose noise is zero (Experiment 2); only
# against $B = 1$ is it calmer. It cures neither divergence nor vanishing gradients, as the next two cells show
# ([claim 71 in 6.2](../06_faq/02_claims_checked.ipynb#claim-71)).
# ```
#
# ### A too-large learning rate diverges at every batch size
#
# Beyond $\eta = 2/L$ ($L$ the largest curvature of the loss) gradient descent does not converge faster, it
# diverges ([2.3](../02_concepts/03_learning_rate.ipynb); the documents' "overfitting" reading is
# [claim 69](../06_faq/02_claims_checked.ipynb#claim-69)). Does a mini-batch change that? We use A1's regression data
# ($y = 3x + 2 + 0.5\,\varepsilon$, 100 points) with the mean squared error. For a linear model $\hat y = wx + b$
# this loss is a quadratic in $\theta = (w, b)$ with Hessian $H = \frac{2}{N}\sum_i (x_i, 1)^\top (x_i, 1)$, so
# $L = \lambda_{\max}(H)$ is known exactly. On average over the random batch, the mini-batch step is the GD step,
# $\mathbb{E}[\theta_{t+1}] = (I - \eta H)\,\mathbb{E}[\theta_t] + \text{const}$, so for $\eta > 2/L$ even the
# *average* iterate runs away — for every batch size. We run 300 updates.

# %%
Xr, yr = data.linear_regression(100, seed=1)
Z = np.hstack([Xr, np.ones_like(Xr)])
L_smooth = np.linalg.eigvalsh(2 * Z.T @ Z / len(Xr)).max()
print(f"largest curvature L = {L_smooth:.3f}, so GD is stable for η < 2/L = {2 / L_smooth:.3f}")


def regression_run(batch_size: int, lr: float, updates: int = 300) -> np.ndarray:
    """Mini-batch SGD on A1's linear regression; the full MSE after every update (inf once it overflows)."""
    net = nets.NumpyMLP([1, 1], seed=0)
    states = [({}, {})]
    losses, epoch = [net.loss_and_grads(Xr, yr)[0]], 0
    with np.errstate(over="ignore", invalid="ignore"):
        while len(losses) <= updates and losses[-1] < 1e30:
            for Xb, yb in data.batches(Xr, yr, batch_size, seed=epoch):
                if len(losses) > updates or losses[-1] > 1e30:
                    break
                sgd_update(net, net.loss_and_grads(Xb, yb)[1], states, lr)
                (W, b), = net.params
                ok = np.all(np.isfinite(W)) and np.abs(W).max() < 1e15
                losses.append(net.loss_and_grads(Xr, yr)[0] if ok else np.inf)
            epoch += 1
    return np.array(losses)


factors = [0.5, 0.9, 1.1]  # η as a multiple of 2/L
regression_batches = [1, 4, 16, 100]
results = {(f, B): regression_run(B, f * 2 / L_smooth) for f in factors for B in regression_batches}

fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharey=True)
for ax, f in zip(axes, factors, strict=True):
    for B in regression_batches:
        curve = results[(f, B)]
        ax.semilogy(np.arange(len(curve)), np.minimum(curve, 1e30), label=f"B = {B}" + (" (full)" if B == 100 else ""))
    ax.set(title=f"η = {f}·(2/L)", xlabel="update", ylabel="full training MSE (log scale)")
    ax.legend(fontsize="small")
fig.suptitle("Mini-batches do not make a too-large learning rate safe")
plt.show()

initial = results[(0.5, 1)][0]
floors = [np.mean(results[(0.5, B)][-50:]) for B in regression_batches]
print("final MSE after 300 updates (inf = overflowed):")
for f in factors:
    print(f"  η = {f}·(2/L): " + ",  ".join(f"B={B}: {results[(f, B)][-1]:.3g}" for B in regression_batches))
print("noise floor of the loss at η = 0.5·(2/L):", ", ".join(f"B={B}: {v:.3f}" for B, v in zip(regression_batches, floors, strict=True)))

# %% tags=["hide-input"]
claim(all(results[(1.1, B)][-1] > 1e6 * initial for B in regression_batches), "η = 1.1·(2/L) diverges at every batch size")
claim(all(results[(0.5, B)][-1] < initial / 5 for B in regression_batches), "η = 0.5·(2/L) converges at every batch size")
claim(results[(0.9, 100)][-1] < 1.0 < 1e6 * initial < results[(0.9, 1)][-1],
      "η = 0.9·(2/L) converges for full-batch GD but diverges for B = 1: small batches need a SMALLER η")
claim(all(a > b for a, b in zip(floors, floors[1:], strict=False)), "at a fixed η the noise floor falls as B grows")

# %% [markdown]
# Three lessons in one figure. Above $2/L$ every batch size diverges, exactly like full-batch GD. Below it,
# *small* batches are the fragile ones: at $\eta = 0.9\cdot(2/L)$ a single example's curvature $2(x_i^2+1)$ can be
# several times $L$, and SGD with $B = 1$ blows up where GD converges. And where everything converges, the loss
# does not settle at its minimum but hovers above it, at a **noise floor** that falls as $B$ grows — this is what
# mini-batching really stabilises. (A decaying learning rate removes the floor: [3.2](02_sgd_theory.ipynb),
# [3.7](07_schedules.ipynb).)

# %% [markdown]
# ### A vanishing gradient vanishes in every mini-batch
#
# A mini-batch gradient is "the gradient plus zero-mean noise", and its noise is back-propagated through the same
# small per-layer factors as the signal ([2.2](../02_concepts/02_vanishing_exploding.ipynb)), so it vanishes too;
# noise is no remedy (A5's "noise model" is [claim 87](../06_faq/02_claims_checked.ipynb#claim-87)). A 10-hidden-layer
# sigmoid network on the digits (Xavier initialization): we compare the gradient norm of the first layer's weights
# with the last layer's, for the full batch and for every mini-batch of 16 in one epoch.

# %%
deep = nets.NumpyMLP([64] + [32] * 10 + [10], activation="sigmoid", init="xavier_uniform", seed=0)


def first_to_last(grads) -> float:
    norms = [np.linalg.norm(dW) for dW, _ in grads]
    return norms[0] / norms[-1]


full_ratio = first_to_last(deep.loss_and_grads(X, y, loss="cross_entropy")[1])
batch_ratios = np.array([first_to_last(deep.loss_and_grads(Xb, yb, loss="cross_entropy")[1])
                         for Xb, yb in data.batches(X, y, 16, seed=0)])
print(f"‖∂ℓ/∂W⁽¹⁾‖ / ‖∂ℓ/∂W⁽¹¹⁾‖, full batch:       {full_ratio:.2e}")
print(f"‖∂ℓ/∂W⁽¹⁾‖ / ‖∂ℓ/∂W⁽¹¹⁾‖, {len(batch_ratios)} batches of 16: median {np.median(batch_ratios):.2e}, "
      f"largest {batch_ratios.max():.2e}")
claim(full_ratio < 1e-4 and batch_ratios.max() < 1e-4, "the first layer's gradient has vanished (below 1e-4 of the "
      f"last layer's) for the full batch and in every one of the {len(batch_ratios)} mini-batches")

# %% [markdown]
# What does help is changing the product itself: initialization ([3.9](09_initialization.ipynb)),
# normalization and residual connections ([3.11](11_normalization_residuals.ipynb)).
#
# ## SGD and its variants are gradient methods
#
# SGD, momentum and Nesterov's method are *first-order gradient methods*: every step evaluates the gradient
# once and is built from it (A4 calls them "non-gradient", [claim 74](../06_faq/02_claims_checked.ipynb#claim-74)).
# Non-gradient (zeroth-order) methods — random search, evolution strategies — use only values of the loss. The
# check: a problem that counts how often its gradient is asked for, and one whose gradient is zero.

# %%
calls = {"n": 0}


def counting_grad(theta):
    calls["n"] += 1
    return problems.ELLIPSE.grad(theta)


counted = problems.Objective(name="ellipse (counting gradient calls)", f=problems.ELLIPSE.f, grad=counting_grad,
                             minimum=problems.ELLIPSE.minimum, xlim=problems.ELLIPSE.xlim, ylim=problems.ELLIPSE.ylim)
flat_problem = problems.Objective(name="zero gradient", f=lambda x: 0 * x[0], grad=lambda x: np.zeros_like(x),
                                  minimum=None, xlim=(-1, 1), ylim=(-1, 1))
x0 = np.array([-4.0, 2.0])
for method in ["gd", "momentum", "nesterov"]:
    calls["n"] = 0
    problems.run(counted, method, x0, steps=50, lr=0.1)
    still = problems.run(flat_problem, method, x0, steps=50, lr=0.1)
    claim(calls["n"] == 50 and np.all(still == x0), f"{method}: {calls['n']} gradient evaluations in 50 steps, "
          "and it does not move where the gradient is zero")

# %% [markdown]
# ## What we learned
#
# - GD, SGD and mini-batch SGD are one rule, $\theta \leftarrow \theta - \eta g$, with three estimates of the
#   gradient. A mini-batch gradient is unbiased; its noise variance is $\frac{\sigma_g^2}{B}\cdot\frac{N-B}{N-1}$ —
#   measured slope $-1$ on a log-log plot, with a small finite-population correction.
# - Per pass over the data, small batches make far more progress than full-batch GD; per update, the exact
#   gradient is better. A step's time grows much more slowly than $B$ for small batches, which is why moderate
#   batches are the usual compromise.
# - A learning rate is chosen by a sweep whose best value lies inside the grid, over more than one seed: for
#   $B = 32$, $\eta = 1$ beat its neighbours on each of the three batch orders, so it is not one lucky order's choice.
# - Mini-batching reduces noise (relative to $B = 1$) and lowers the loss's noise floor. It does **not** make
#   $\eta > 2/L$ safe — every batch size diverges, and small batches need a *smaller* $\eta$ — and it does not
#   revive a vanishing gradient.
# - Next: why SGD converges at all, and at what rate, in [3.2](02_sgd_theory.ipynb); then
#   [3.3 momentum and Nesterov](03_momentum_nesterov.ipynb) fix GD's other weakness, slowness on ill-conditioned
#   problems. Exercises for part 3: [exercises/student/03_algorithms](../../exercises/student/03_algorithms.ipynb).
