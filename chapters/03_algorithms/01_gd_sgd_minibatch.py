# %% [markdown]
# # 3.1 Gradient descent, SGD and mini-batches
#
# Every optimizer in this part of the course is a variation on one line, $\theta \leftarrow \theta - \eta\, g$.
# This first section asks the question that comes *before* momentum, Adam or clipping: **which gradient $g$
# do we plug in?** The exact gradient of the whole training loss (gradient descent), the gradient of a single
# example (stochastic gradient descent, SGD), or the gradient of a small random batch (mini-batch SGD)?
#
# We answer with measurements on a real problem (scikit-learn's handwritten digits), and we check what
# mini-batching does — it trades gradient *noise* against *cost per step* — and what it does not do: it does not
# make a too-large learning rate safe, and it does not cure vanishing gradients.

# %% [markdown]
# ## What the source documents say in their section 3, and where this course checks it
#
# All five source articles have a section 3 on "core algorithms and their mathematics". This part of the course
# (sections 3.1–3.8) goes through every item; the table says where.
#
# | Document | What its section 3 says | Verdict | Checked in |
# |---|---|---|---|
# | A1 §3.1, A3 §3.1, A4 §3.1, A5 §3.1 | gradient descent $\theta_{t+1} = \theta_t - \eta\nabla L(\theta_t)$ | correct | here |
# | A1 §3.1 | GD is 「一种最先进的优化算法」 ("a most advanced optimization algorithm") | wrong: it is the simplest, and slow on ill-conditioned problems | [3.2](03_momentum_nesterov.ipynb) |
# | A4 §3.2 | the chain rule $\partial J/\partial\theta_i = \sum_j \partial J/\partial z_j\,\partial z_j/\partial\theta_i$ | correct | [2.1](../02_concepts/01_backprop_from_scratch.ipynb) |
# | A4 §3.3 | a larger learning rate converges faster "but may cause overfitting" | wrong: it makes training diverge | here |
# | A4 §3.4 | mini-batch GD "reduces the variation of the gradient" and so helps against vanishing/exploding gradients | half wrong | here |
# | A5 §3.2–3.3 | a "mathematical model" of vanishing gradients across *training steps*, "solved" by adding noise $\epsilon$ | wrong | here and [2.2](../02_concepts/02_vanishing_exploding.ipynb) |
# | A3 §3.2, A2 §2 | momentum | A3's is right only if $\Delta\theta_t = \theta_t - \theta_{t-1}$; A2's average form is right with a rescaled step | [3.2](03_momentum_nesterov.ipynb) |
# | A1 §3.2 | AdaGrad, RMSprop formulas | wrong accumulator / wrong average | [3.3](04_adagrad_rmsprop_adadelta.ipynb) |
# | A1 §3.2, A2 §2, A3 §3.3 | Adam formulas | no bias correction, ε misplaced, a mangled correction factor | [3.4](05_adam_family.ipynb) |
# | A4 §3.4 | Adam adapts the learning rate to the gradient | true, per coordinate — but it does not clip | [3.4](05_adam_family.ipynb) |
# | A1 §3.2 | fixed, "exponential" $\alpha(1-t/T)^\gamma$ and "restart" learning rates | the formula is polynomial, not exponential, decay | [3.5](07_schedules.ipynb) |
# | A2 §2 | gradient clipping by value and by norm | correct in outline | [3.6](08_clipping.ipynb) |
# | A4 §3.4 | Xavier / He initialization | correct in outline | [3.7](09_initialization.ipynb) |
#
# (A2 has no section 3: its mathematics is in its section 2, 「数学原理」.)

# %%
import time

import matplotlib.pyplot as plt
import numpy as np

from gradcourse import data, nets, plots, problems
from gradcourse.optim import functional as F
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## One update rule, three gradients
#
# A training loss is an average over the $N$ training examples,
#
# $$L(\theta) = \frac{1}{N}\sum_{i=1}^{N} \ell_i(\theta), \qquad \nabla L(\theta) = \frac{1}{N}\sum_{i=1}^{N}\nabla \ell_i(\theta).$$
#
# All three methods take the step $\theta_{t+1} = \theta_t - \eta\, g_t$. They differ only in $g_t$:
#
# | method | gradient $g_t$ | examples per step |
# |---|---|---|
# | (full-batch) gradient descent, GD | $\nabla L(\theta_t)$, the exact gradient | $N$ |
# | stochastic gradient descent, SGD ([Robbins & Monro, 1951](../06_faq/03_references.ipynb#robbins1951stochastic)) | $\nabla \ell_i(\theta_t)$ for one random example $i$ | 1 |
# | mini-batch SGD | $g_B = \frac{1}{B}\sum_{i\in\mathcal{B}_t} \nabla \ell_i(\theta_t)$ for a random batch $\mathcal{B}_t$ of $B$ examples | $B$ |
#
# A random batch gives an *unbiased* estimate: $\mathbb{E}[g_B] = \nabla L(\theta)$. It is the exact gradient plus
# zero-mean noise whose size we measure below. (In Chinese texts 批量梯度下降, "batch gradient descent", usually
# means *full*-batch GD, and 小批量 mini-batch; the documents mix the two.)
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
        F.step("sgd", W, dW, state_W, lr=lr)
        F.step("sgd", b, db, state_b, lr=lr)


def train(batch_size: int, lr: float, epochs: int, evals_per_epoch: int = 5) -> dict:
    """Mini-batch SGD for some epochs; record the full training loss after each of the first 3 updates and
    then about `evals_per_epoch` times per epoch."""
    net = new_model()
    states = [({}, {}) for _ in net.params]
    record = {"epoch": [0.0], "update": [0], "loss": [full_loss(net)]}
    seen, updates = 0, 0
    every = max(1, N // evals_per_epoch)
    for epoch in range(epochs):
        for Xb, yb in data.batches(X, y, batch_size, seed=epoch):
            _, grads, _ = net.loss_and_grads(Xb, yb, loss="cross_entropy")
            sgd_update(net, grads, states, lr)
            seen, updates = seen + len(Xb), updates + 1
            if updates <= 3 or seen % every < len(Xb) or seen == N * (epoch + 1):
                record["epoch"].append(seen / N)
                record["update"].append(updates)
                record["loss"].append(full_loss(net))
    return {key: np.array(values) for key, values in record.items()}


# %% [markdown]
# ## Experiment 1: the same number of passes over the data
#
# We give each method three *epochs* (three passes over the 1,347 images), so they do the same arithmetic on
# examples, and each its own learning rate, the best of a sweep we ran beforehand (exercise: repeat it):
# $\{0.01, 0.03, 0.1, 0.3, 1\}$ for the two stochastic methods and $\{0.3, 1, 3, 10, 30\}$ for GD, which can afford
# larger steps. GD makes 3 updates, mini-batch SGD with $B = 32$ makes 129, and SGD with $B = 1$ makes 4,041.

# %%
settings = {"GD (B = 1347)": (N, 3.0), "mini-batch (B = 32)": (32, 1.0), "SGD (B = 1)": (1, 0.03)}
runs = {label: train(B, lr, epochs=3) for label, (B, lr) in settings.items()}

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
    print(f"{label:22s} updates: {run['update'][-1]:5d}   loss after 3 epochs: {run['loss'][-1]:.3f}")

# %%
final = {label: run["loss"][-1] for label, run in runs.items()}
gd, mb, sgd = runs["GD (B = 1347)"], runs["mini-batch (B = 32)"], runs["SGD (B = 1)"]
assert final["mini-batch (B = 32)"] < 0.5 * final["GD (B = 1347)"], "per epoch, mini-batches beat full-batch GD"
assert final["SGD (B = 1)"] < 0.5 * final["GD (B = 1347)"], "per epoch, SGD beats full-batch GD"
# per update, the exact gradient makes more progress: compare after the same (small) number of updates
assert gd["update"][3] == mb["update"][3] == 3
assert gd["loss"][3] < mb["loss"][3], "per update, the exact gradient does better: GD's 3 updates beat 3 noisy ones"
print("Per epoch: small batches are far ahead. Per update: the exact gradient is better. Both checked.")

# %% [markdown]
# Both panels are the same runs. Per pass over the data, GD is far behind: it spends 1,347 gradient
# evaluations on *one* careful step, while mini-batch SGD makes 43 slightly noisy steps with the same work. Per
# update, GD is ahead, because its gradient has no noise. Which one matters depends on what a step costs —
# Experiment 3 — and how noisy a small batch is — Experiment 2.

# %% [markdown]
# ## Experiment 2: gradient noise against batch size
#
# How far is the mini-batch gradient $g_B$ from the true gradient $\nabla L$? Write
# $\sigma^2 = \frac{1}{N}\sum_i \lVert\nabla\ell_i - \nabla L\rVert^2$ for the spread of the per-example
# gradients. For $B$ examples drawn **with** replacement, the average of $B$ independent draws has
#
# $$\mathbb{E}\,\lVert g_B - \nabla L\rVert^2 = \frac{\sigma^2}{B},$$
#
# so the noise *variance* falls like $1/B$ and its standard deviation like $1/\sqrt{B}$: four times the batch
# for half the noise. Real batches are drawn **without** replacement (each example once per epoch), and then
# the *finite-population correction* applies:
#
# $$\mathbb{E}\,\lVert g_B - \nabla L\rVert^2 = \frac{\sigma^2}{B}\cdot\frac{N-B}{N-1},$$
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
sigma2 = np.mean(np.sum((per_example - g_true) ** 2, axis=1))

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
predicted = sigma2 / batch_sizes * fpc

print(f"σ² (spread of the {N} per-example gradients) = {sigma2:.2f}")
print(" B    measured E‖g_B − ∇L‖²   σ²/B·(N−B)/(N−1)   ratio   (N−B)/(N−1)")
for B, m, p, c in zip(batch_sizes, measured, predicted, fpc, strict=True):
    print(f"{B:3d}   {m:18.4f}   {p:16.4f}   {m / p:6.3f}   {c:8.3f}")

# %%
slope = np.polyfit(np.log(batch_sizes), np.log(measured), 1)[0]
slope_corrected = np.polyfit(np.log(batch_sizes), np.log(measured / fpc), 1)[0]

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.loglog(batch_sizes, measured, "o", label="measured (600 batches each)")
ax.loglog(batch_sizes, sigma2 / batch_sizes, "--", label="σ²/B (with replacement)")
ax.loglog(batch_sizes, predicted, "-", label="σ²/B · (N−B)/(N−1) (without replacement)")
ax.set(title=f"Mini-batch gradient noise falls like 1/B (fitted slope {slope:.3f})",
       xlabel="batch size B (log scale)", ylabel="E‖g_B − ∇L‖²  (log scale)")
ax.legend()
plt.show()

print(f"log-log slope: {slope:.3f} as measured, {slope_corrected:.3f} after dividing out (N−B)/(N−1)")
assert abs(slope + 1) < 0.1, f"variance of the mini-batch gradient ∝ 1/B: slope {slope:.3f} should be ≈ −1"
assert abs(slope_corrected + 1) < 0.05, "with the finite-population correction the slope is −1 within noise"
assert np.all(np.abs(measured / predicted - 1) < 0.15), "σ²/B·(N−B)/(N−1) predicts every measurement within 15 %"
assert slope < -1, "without replacement the noise falls a little faster than 1/B (the correction shrinks with B)"

# %% [markdown]
# The prediction holds across two and a half decades of batch size. Note the size of the correction: at
# $B = 256$ it is $(1347 - 256)/1346 = 0.81$, so the measured noise is 19 % below $\sigma^2/B$, which makes the raw
# slope slightly steeper than $-1$. For a data set of millions of examples the correction is invisible, which is
# why most texts just write $\sigma^2/B$.

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
per_example = seconds / np.array(timing_sizes)

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.loglog(timing_sizes, seconds * 1e6, "o-", label="time per step")
ax.loglog(timing_sizes, per_example * 1e6, "s--", label="time per example")
ax.set(title="A step's cost grows far slower than its batch", xlabel="batch size B (log scale)",
       ylabel="time (µs, log scale)")
ax.legend()
plt.show()
for B, s, e in zip(timing_sizes, seconds, per_example, strict=True):
    print(f"B = {B:5d}: {s * 1e6:8.1f} µs per step, {e * 1e6:7.2f} µs per example")

assert seconds[timing_sizes.index(256)] < 256 * seconds[0] / 5, "256 examples cost far less than 256 single steps"
assert per_example[timing_sizes.index(256)] < per_example[0] / 5, "the cost per example falls with B"

# %% [markdown]
# Up to $B \approx 16$ a step costs about the same whatever its size, so the larger batch's lower noise is
# nearly free; beyond that the time grows with $B$. On a GPU the flat region extends to thousands of examples,
# which is why practitioners pick the largest batch the hardware processes "for free" — and why part 5 asks
# what happens to the learning rate when the batch gets very large
# ([large-batch training](../05_trends/01_large_batch.ipynb)).

# %% [markdown]
# ## What mini-batching does not fix
#
# Two of the documents present mini-batches as a remedy for unstable training:
#
# > **The documents say** (A4 §3.4): 「**批量梯度下降**：我们可以使用批量梯度下降（mini-batch gradient
# > descent）而不是梯度下降，以减少梯度的变化，从而稳定训练过程。」
# > — "Batch gradient descent: we can use batch gradient descent (mini-batch gradient descent) instead of gradient
# > descent, to reduce the variation of the gradient and so stabilise training" (listed as a remedy for vanishing
# > and exploding gradients).
# >
# > **What is true:** compared with full-batch gradient descent, a mini-batch gradient has *more* variation, not
# > less — Experiment 2 measured it, and GD's is zero. Compared with single-example SGD it has less, $\propto 1/B$.
# > Either way, the noise is not what makes deep networks hard to train: mini-batching neither makes a
# > too-large learning rate safe nor revives a vanishing gradient. The two cells below check both.
#
# ### A too-large learning rate diverges at every batch size
#
# > **The documents say** (A4 §3.3): 「学习率越大，算法更快地收敛，但也可能导致过拟合。」
# > — "The larger the learning rate, the faster the algorithm converges, but it may also lead to overfitting."
# >
# > **What is true:** beyond $\eta = 2/L$ ($L$ the largest curvature of the loss) gradient descent does not
# > converge faster, it **diverges** ([the preface](../00_preface/01_how_to_use.ipynb) shows it on a quadratic,
# > [2.3](../02_concepts/03_learning_rate.ipynb) on a network). Overfitting is a different thing: fitting the
# > training set *too well*.
#
# We use A1's own regression data ($y = 3x + 2 + 0.5\,\varepsilon$, 100 points) with the mean squared error. For a
# linear model $\hat y = wx + b$ this loss is a quadratic in $\theta = (w, b)$ with Hessian
# $H = \frac{2}{N}\sum_i (x_i, 1)^\top (x_i, 1)$, so $L = \lambda_{\max}(H)$ is known exactly. On average over the
# random batch, the mini-batch step is the GD step, $\mathbb{E}[\theta_{t+1}] = (I - \eta H)\,\mathbb{E}[\theta_t] + \text{const}$,
# so for $\eta > 2/L$ even the *average* iterate runs away — for every batch size. We run 300 updates.

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
        while len(losses) <= updates:
            for Xb, yb in data.batches(Xr, yr, batch_size, seed=epoch):
                if len(losses) > updates or not np.isfinite(losses[-1]) or losses[-1] > 1e30:
                    break
                _, grads, _ = net.loss_and_grads(Xb, yb)
                sgd_update(net, grads, states, lr)
                (W, b), = net.params
                ok = np.all(np.isfinite(W)) and np.abs(W).max() < 1e15
                losses.append(net.loss_and_grads(Xr, yr)[0] if ok else np.inf)
            epoch += 1
            if not np.isfinite(losses[-1]) or losses[-1] > 1e30:
                break
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
print("final MSE after 300 updates (inf = overflowed):")
for f in factors:
    print(f"  η = {f}·(2/L): " + ",  ".join(f"B={B}: {results[(f, B)][-1]:.3g}" for B in regression_batches))

# %%
for B in regression_batches:
    assert results[(1.1, B)][-1] > 1e6 * initial, f"η = 1.1·(2/L) diverges with B = {B}"
    assert results[(0.5, B)][-1] < initial / 5, f"η = 0.5·(2/L) converges with B = {B}"
assert results[(0.9, 100)][-1] < 1.0, "η = 0.9·(2/L) converges for full-batch GD ..."
assert results[(0.9, 1)][-1] > 1e6 * initial, "... but diverges for B = 1: small batches need a SMALLER η"
floors = [np.mean(results[(0.5, B)][-50:]) for B in regression_batches]
assert all(a > b for a, b in zip(floors, floors[1:], strict=False)), "at a fixed η the noise floor of the loss falls as B grows"
print("noise floor of the loss at η = 0.5·(2/L):", ", ".join(f"B={B}: {v:.3f}" for B, v in zip(regression_batches, floors, strict=True)))

# %% [markdown]
# Three lessons in one figure. Above $2/L$ every batch size diverges, exactly like full-batch GD. Below it,
# *small* batches are the fragile ones: at $\eta = 0.9\cdot(2/L)$ a single example's curvature $2(x_i^2+1)$ can be
# several times $L$, and SGD with $B = 1$ blows up where GD converges. And where everything converges, the loss
# does not settle at its minimum but hovers above it, at a **noise floor** that falls as $B$ grows — this is what
# mini-batching really stabilises. (A decaying learning rate removes the floor: [schedules](07_schedules.ipynb).)

# %% [markdown]
# ### A vanishing gradient vanishes in every mini-batch
#
# > **The documents say** (A5 §3.3): 「解决梯度消失问题的数学模型如下：
# > $\nabla J(\theta_t) = \prod_{i=1}^n \sigma'(z_i) \nabla J(\theta_{t-1}) + \epsilon$
# > 其中，$\epsilon$ 表示梯度消失问题的噪声」
# > — "The mathematical model that solves the vanishing-gradient problem is … where ε represents the noise of the
# > vanishing-gradient problem."
# >
# > **What is true:** the product $\prod_i \sigma'(z_i)$ runs over the *layers* of one backward pass, not over
# > training steps $t$ ([2.2](../02_concepts/02_vanishing_exploding.ipynb) derives it). And adding noise does not
# > solve anything: a mini-batch gradient *is* "the gradient plus zero-mean noise", and its noise is
# > back-propagated through the same small factors, so it vanishes too.
#
# A 10-hidden-layer sigmoid network on the digits (Xavier initialization): we compare the gradient norm of the
# first layer's weights with the last layer's, for the full batch and for every mini-batch of 16 in one epoch.

# %%
deep = nets.NumpyMLP([64] + [32] * 10 + [10], activation="sigmoid", init="xavier_uniform", seed=0)


def first_to_last(grads) -> float:
    norms = [np.linalg.norm(dW) for dW, _ in grads]
    return norms[0] / norms[-1]


full_ratio = first_to_last(deep.loss_and_grads(X, y, loss="cross_entropy")[1])
batch_ratios = np.array([first_to_last(deep.loss_and_grads(Xb, yb, loss="cross_entropy")[1])
                         for Xb, yb in data.batches(X, y, 16, seed=0)])
print(f"‖∂L/∂W_1‖ / ‖∂L/∂W_11‖, full batch:       {full_ratio:.2e}")
print(f"‖∂L/∂W_1‖ / ‖∂L/∂W_11‖, {len(batch_ratios)} batches of 16: median {np.median(batch_ratios):.2e}, "
      f"largest {batch_ratios.max():.2e}")
assert full_ratio < 1e-4, "the full-batch gradient of the first layer has vanished"
assert batch_ratios.max() < 1e-4, "it has vanished in every single mini-batch as well: noise does not revive it"

# %% [markdown]
# In every one of the 85 mini-batches the first layer receives less than $10^{-4}$ of the last layer's gradient,
# just as with the full batch. What does help is changing the product itself: initialization
# ([3.7](09_initialization.ipynb)), normalization and residual connections
# ([3.8](11_normalization_residuals.ipynb)).

# %% [markdown]
# ## SGD and its variants are gradient methods
#
# > **The documents say** (A4 §5.2): 「**非梯度优化**：……非梯度优化方法，如梯度下降的变体（例如Nesterov
# > accelerated gradient）或随机梯度下降（SGD）的变体，将会成为深度学习中优化方法的主流。」
# > — "Non-gradient optimization methods … such as variants of gradient descent (e.g. Nesterov accelerated
# > gradient) or variants of SGD, will become the mainstream of optimization in deep learning."
# >
# > **What is true:** SGD, momentum and Nesterov's method are *first-order gradient methods*: every step evaluates
# > the gradient once and is built from it. Non-gradient (zeroth-order) methods — random search, evolution
# > strategies — use only values of the loss.
#
# The check: we hand each method a problem that counts how often its gradient is asked for, and a problem
# whose gradient is zero.

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
    print(f"{method:9s}: {calls['n']} gradient evaluations in 50 steps; moved {np.abs(still - x0).max():.1f} "
          "on a zero gradient")
    assert calls["n"] == 50, f"{method} evaluates the gradient exactly once per step"
    assert np.all(still == x0), f"{method} does not move when the gradient is zero: it is a gradient method"

# %% [markdown]
# ## Our SGD against torch's
#
# `gradcourse.optim.SGD` is a drop-in replacement for `torch.optim.SGD` that runs the same `sgd` rule as the
# numpy code above. On the digits in float64, with mini-batches of 32 (plain, and with weight decay) and of 128,
# 100 steps of each give the same weights as torch's to rounding error.

# %%
from gradcourse.optim.parity import max_difference_from_torch

cases = {
    "SGD lr=0.5, B=32": ({"lr": 0.5}, 32),
    "SGD lr=0.5, weight_decay=1e-2, B=32": ({"lr": 0.5, "weight_decay": 1e-2}, 32),
    "SGD lr=1.0, B=128": ({"lr": 1.0}, 128),
}
print(f"{'setting':40s} max |θ_ours − θ_torch| after 100 steps")
for name, (hyper, B) in cases.items():
    diff = max_difference_from_torch("SGD", hyper, X, y, batch_size=B)
    print(f"{name:40s} {diff:.1e}")
    assert diff < 1e-12, f"{name}: ours and torch's agree to rounding error"

# %% [markdown]
# ## What we learned
#
# - GD, SGD and mini-batch SGD are one rule, $\theta \leftarrow \theta - \eta g$, with three estimates of the
#   gradient. A mini-batch gradient is unbiased; its noise variance is $\frac{\sigma^2}{B}\cdot\frac{N-B}{N-1}$ —
#   measured slope $-1$ on a log-log plot, with a small finite-population correction.
# - Per pass over the data, small batches make far more progress than full-batch GD; per update, the exact
#   gradient is better. A step's time grows much more slowly than $B$ for small batches, which is why moderate
#   batches are the usual compromise.
# - Mini-batching reduces noise (relative to $B = 1$) and lowers the loss's noise floor. It does **not** make
#   $\eta > 2/L$ safe — every batch size diverges, and small batches need a *smaller* $\eta$ — and it does not
#   revive a vanishing gradient.
# - SGD, momentum and Nesterov are gradient methods: one gradient evaluation per step.
# - Next: [momentum and Nesterov](03_momentum_nesterov.ipynb) fix GD's other weakness, slowness on
#   ill-conditioned problems. Exercises for part 3: [exercises/student/03_algorithms](../../exercises/student/03_algorithms.ipynb).
