# %% [markdown]
# # 3.10 Batch normalization from scratch
#
# **What exactly does a batch-normalization layer compute, forward and backward — and what follows from it: why
# does it behave differently in training and evaluation, why is a bias in front of it useless, and does it really
# let a deep network train with a larger learning rate?** Batch normalization {cite:p}`ioffe2015batch` standardizes
# every unit over the mini-batch. [3.11](11_normalization_residuals.ipynb) uses PyTorch's layer to restore the
# gradient flow of a deep network; this chapter builds the layer in numpy (`nets.BatchNorm`), derives its backward
# pass, and measures four consequences.

# %% tags=["hide-input"]
import copy

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gradcourse import data, nets, optim, plots
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

rng = seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)

# %% [markdown]
# ## Forward: standardize each unit over the batch
#
# For a batch of pre-activations $z \in \mathbb{R}^{B\times n}$ ($B$ examples, $n$ units) the layer computes, for
# each unit $j$, the batch mean $\bar z_j$ and the (biased) batch variance $s_j^2$, standardizes, and applies a
# learned scale $\gamma_{\rm bn}$ and shift $\beta_{\rm bn}$ (written `scale` and `shift` in code, so that
# $\beta$ and $\gamma$ keep their meanings of momentum and schedule decay):
#
# $$\bar z_j = \frac1B\sum_b z_{bj},\qquad s_j^2 = \frac1B\sum_b (z_{bj}-\bar z_j)^2,\qquad
# \hat z_{bj} = \frac{z_{bj}-\bar z_j}{\sqrt{s_j^2+\varepsilon}},\qquad y_{bj} = \gamma_{{\rm bn},j}\,\hat z_{bj}
# + \beta_{{\rm bn},j}.$$
#
# Whatever the scale and offset of $z$, each column of $\hat z$ has mean 0 and variance $s_j^2/(s_j^2+\varepsilon)
# \approx 1$; the scale and shift then let the network choose any other mean and spread it prefers.

# %%
z = rng.standard_normal((32, 4)) * np.array([0.01, 1.0, 10.0, 300.0]) + np.array([5.0, -2.0, 0.0, 1e3])
bn = nets.BatchNorm(4)
y, cache = bn.forward(z)
print("column means of z:", np.round(z.mean(0), 2), " std:", np.round(z.std(0), 3))
print("column means of y:", np.round(y.mean(0), 12), " std:", np.round(y.std(0), 3))
claim(np.abs(y.mean(0)).max() < 1e-12 and np.abs(y.std(0)[1:] - 1).max() < 1e-4 and 0.9 < y.std(0)[0] < 0.99,
      f"every unit comes out with mean 0 and standard deviation 1, except the unit with s = {z.std(0)[0]:.3f}: "
      f"{y.std(0)[0]:.3f}, because of ε")

# %% [markdown]
# The first unit's spread, $s \approx 0.009$, is close to $\sqrt{\varepsilon} \approx 0.003$, so its output standard
# deviation is visibly below 1: $\varepsilon$ matters only for units that barely vary.
#
# ## Backward: the compact formula
#
# Write $g_{bj} = \partial\ell/\partial y_{bj}$ for the gradient arriving from above and $\hat g = \gamma_{\rm bn}
# g$. The parameters are easy: $\partial\ell/\partial\gamma_{{\rm bn},j} = \sum_b g_{bj}\hat z_{bj}$ and
# $\partial\ell/\partial\beta_{{\rm bn},j} = \sum_b g_{bj}$. For $z$, the point is that $\bar z_j$ and $s_j^2$
# depend on **every** example. Drop the unit index and let $\sigma = \sqrt{s^2+\varepsilon}$. Then
# $\partial \bar z/\partial z_k = 1/B$ and $\partial \sigma/\partial z_k = (z_k-\bar z)/(B\sigma) = \hat z_k/B$, so
#
# $$\frac{\partial \hat z_b}{\partial z_k} = \frac{\delta_{bk} - 1/B}{\sigma} - \frac{\hat z_b\hat z_k}{B\sigma},
# \qquad \frac{\partial\ell}{\partial z_k} = \sum_b \hat g_b \frac{\partial \hat z_b}{\partial z_k}
# = \frac1\sigma\Big(\hat g_k - \frac1B\sum_b \hat g_b - \hat z_k\,\frac1B\sum_b \hat g_b\hat z_b\Big).$$
#
# Three terms: the direct path, minus the part of $\hat g$ that is common to the batch (it only moves the mean,
# which BN removes), minus the part along $\hat z$ (it only changes the spread, which BN also removes).
# `nets.BatchNorm.backward` is this one line. The cell checks it against central finite differences
# (`nets.gradient_check`) and against PyTorch's autograd through `nn.BatchNorm1d`, both in float64.

# %%
z = rng.standard_normal((8, 3)) * 2 + 1
weights = rng.standard_normal((8, 3))
bn = nets.BatchNorm(3, momentum=0.0)  # momentum 0: the running statistics stay fixed while we probe
bn.scale, bn.shift = rng.uniform(0.5, 2.0, 3), rng.standard_normal(3)


def loss_and_grads(z: np.ndarray) -> tuple[float, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """ℓ = Σ w ⊙ y² through our layer, and (∂ℓ/∂z, ∂ℓ/∂scale, ∂ℓ/∂shift) from its backward pass."""
    y, cache = bn.forward(z)
    return float(np.sum(weights * y**2)), bn.backward(2 * weights * y, cache)


fd_errors = {name: nets.gradient_check(lambda _, i=i: (loss_and_grads(z)[0], loss_and_grads(z)[1][i]), x)
             for i, (name, x) in enumerate([("z", z), ("scale", bn.scale), ("shift", bn.shift)])}
ref = nn.BatchNorm1d(3).double()
with torch.no_grad():
    ref.weight.copy_(torch.from_numpy(bn.scale))
    ref.bias.copy_(torch.from_numpy(bn.shift))
zt = torch.tensor(z, requires_grad=True)
(torch.from_numpy(weights) * ref(zt) ** 2).sum().backward()
ours = loss_and_grads(z)[1]
autograd_error = max(np.abs(a - b.numpy()).max() for a, b in zip(ours, (zt.grad, ref.weight.grad, ref.bias.grad),
                                                                 strict=True))
print("finite differences, largest relative error:", {k: f"{v:.1e}" for k, v in fd_errors.items()})
print(f"largest difference from torch autograd: {autograd_error:.1e}")

# %% tags=["hide-input"]
claim(max(fd_errors.values()) < 1e-7 and autograd_error < 1e-12,
      f"the compact backward formula is right: finite differences agree to {max(fd_errors.values()):.0e} "
      f"(relative), autograd to {autograd_error:.0e}")

# %% [markdown]
# ## A bias before batch normalization does nothing
#
# The formula has a consequence you can read off: summed over the batch, $\sum_k \partial\ell/\partial z_k =
# \frac1\sigma(\sum_k\hat g_k - \sum_b\hat g_b - \sum_k \hat z_k \cdot \frac1B\sum_b\hat g_b\hat z_b) = 0$, because
# $\sum_k \hat z_k = 0$. A bias $b$ of the linear layer in front, $z = Wh + b$, receives exactly that sum as its
# gradient — so it never moves. Forward, the same fact: adding a constant to a unit shifts $\bar z$ by the same
# constant, and $z - \bar z$ is unchanged. The shift $\beta_{\rm bn}$ is the only offset the block needs, which is
# why `nn.Linear(..., bias=False)` is the usual choice in front of `nn.BatchNorm1d`.

# %%
digits = data.digits(as_tensors=True)
block = nn.Sequential(nn.Linear(64, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 10)).double()
Xd, yd = digits.X_train[:128].double(), digits.y_train[:128]
F.cross_entropy(block(Xd), yd).backward()
bias_grad, weight_grad = block[0].bias.grad.norm().item(), block[0].weight.grad.norm().item()
with torch.no_grad():
    out_before = block(Xd)
    block[0].bias += 5.0
    shift_effect = (block(Xd) - out_before).abs().max().item()
print(f"‖∂ℓ/∂b‖ = {bias_grad:.1e}, ‖∂ℓ/∂W‖ = {weight_grad:.1e}; adding 5 to every bias moves the output by "
      f"{shift_effect:.1e}")
claim(bias_grad < 1e-12 * weight_grad and shift_effect < 1e-12,
      f"the bias before BN gets a zero gradient ({bias_grad:.0e}) and has no effect on the output")

# %% [markdown]
# ## Batch normalization couples the examples of a batch
#
# In training mode $\bar z$ and $s^2$ are computed from the batch, so example $b$'s output depends on every other
# example in it: a network with BN is not a function of one input at a time during training. The cell changes
# only example 0 of a batch of 16 and measures how much example 1's output moves — in training mode and in
# evaluation mode, where fixed running statistics replace $\bar z$ and $s^2$.

# %%
bn = nets.BatchNorm(4, momentum=0.0)
z = rng.standard_normal((16, 4))
z_changed = z.copy()
z_changed[0] += 3.0
moved = {}
for mode in ("training", "evaluation"):
    bn.train(mode == "training")
    moved[mode] = np.abs(bn.forward(z_changed)[0][1] - bn.forward(z)[0][1]).max()
    print(f"{mode:10s} mode: example 1's output moved by {moved[mode]:.3f} when example 0 changed")
pair_out = bn.train().forward(rng.standard_normal((2, 4)) * 7)[0]
print("a batch of two examples, training mode:", np.round(pair_out, 4).tolist())
claim(moved["training"] > 0.05 and moved["evaluation"] == 0.0,
      f"in training mode example 1 moved by {moved['training']:.2f}; in evaluation mode not at all")
claim(np.abs(np.abs(pair_out) - 1).max() < 1e-4, "with B = 2 every output is ±1, whatever the inputs")

# %% [markdown]
# The coupling is also why batch normalization needs batches of more than a handful of examples: with $B = 2$
# every output is $\pm 1$ whatever the inputs, as the last line shows.
#
# ## Running statistics: right in training mode, wrong in evaluation mode
#
# At evaluation time one wants a fixed function of each example, so BN uses running averages of $\bar z$ and $s^2$,
# updated at every training step. PyTorch's convention, which `nets.BatchNorm` follows, is
#
# $$\text{running} \leftarrow (1-m)\,\text{running} + m\cdot\text{batch value},\qquad m = \texttt{momentum} = 0.1,$$
#
# with the running mean starting at 0 and the running variance at 1 (and averaging the unbiased $\tfrac{B}{B-1}s^2$).
# After $t$ steps a share $(1-m)^t$ of those starting values is still in the average. The momentum never enters
# the training-mode forward pass, so it cannot show in the training loss — only in evaluation. The cell trains
# the same 3-layer BN network for one epoch (21 batches of 64) on **raw** digit pixels (values 0–16, so the first
# layer's pre-activations have variances far from 1) with three momenta — the default 0.1, a slow 0.001 (Keras's
# 0.999 correctly translated, a rate meant for a long run) and 0.99 — and compares the validation accuracy in
# the two modes. It then re-estimates the statistics with one pass over the training set in training mode
# (`momentum=None` makes PyTorch keep an exact average) — the usual fix.

# %%
raw = data.digits(standardize=False, as_tensors=True)


def bn_layers(model: nn.Module) -> list[nn.BatchNorm1d]:
    return [m for m in model.modules() if isinstance(m, nn.BatchNorm1d)]


def val_accuracy(model: nn.Module, training_mode: bool) -> float:
    """Validation accuracy in the given mode; training mode normalizes with the validation batch's statistics."""
    model = copy.deepcopy(model).train(training_mode)  # a copy: training mode would update the running stats
    with torch.no_grad():
        return (model(raw.X_val).argmax(1) == raw.y_val).float().mean().item()


momentum_runs, accuracy = {}, {}
for m in (0.1, 0.001, 0.99):
    model = nets.mlp(64, 10, depth=3, width=64, activation="relu", norm="batch", seed=0)
    for layer in bn_layers(model):
        layer.momentum = m
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    for idx in torch.randperm(len(raw.y_train), generator=torch.Generator().manual_seed(0))[:21 * 64].view(21, 64):
        optimizer.zero_grad()
        F.cross_entropy(model(raw.X_train[idx]), raw.y_train[idx]).backward()
        optimizer.step()
    momentum_runs[m], accuracy[m] = model, (val_accuracy(model, True), val_accuracy(model, False))
    print(f"momentum {m:5}: share of the start values left (1 − m)^21 = {(1 - m) ** 21:.2f}; validation accuracy "
          f"training mode {accuracy[m][0]:.1%}, evaluation mode {accuracy[m][1]:.1%}")
for layer in bn_layers(model := momentum_runs[0.001]):
    layer.reset_running_stats()
    layer.momentum = None
with torch.no_grad():
    model(raw.X_train)
acc_refit = val_accuracy(model, False)
print(f"momentum 0.001 after re-estimating the statistics on the training set: evaluation mode {acc_refit:.1%}")

# %% tags=["hide-input"]
same = all(torch.equal(p, q) for p, q in zip(momentum_runs[0.1].parameters(),
                                                 momentum_runs[0.99].parameters(), strict=True))
acc_train, acc_stale = accuracy[0.001]
claim(same, "the three momenta trained identical weights: momentum only affects evaluation")
claim(acc_stale < acc_train - 0.2 and acc_refit > acc_train - 0.02,
      f"stale running statistics (momentum 0.001): {acc_train:.1%} in training mode, {acc_stale:.1%} in evaluation "
      f"mode; re-estimated, {acc_refit:.1%}")

# %% [markdown]
# ```{admonition} Two opposite conventions
# :class: note
# PyTorch's `momentum` is the weight of the **new** batch (default 0.1). Keras's `BatchNormalization(momentum=0.99)`
# is the weight of the **old** average, so Keras's 0.99 is PyTorch's 0.01 — and a Keras value pasted into PyTorch
# (`momentum=0.99`) makes the "running" statistics almost those of the last batch alone — harmless above
# because every batch had 64 examples, harmful when the last batch of an epoch is a small remainder. Neither has anything to do with
# the optimizer's momentum $\beta$ ([3.3](03_momentum_nesterov.ipynb)).
# ```
#
# ## Does batch normalization permit a larger learning rate?
#
# {cite:t}`ioffe2015batch` write that batch normalization lets one use much higher learning rates. The scale
# invariance of [3.11](11_normalization_residuals.ipynb) suggests why: if a step
# makes a layer's weights larger, BN divides the larger output back down, so the layers above are not thrown out
# of range. The cell measures it: a 10-layer ReLU network (He initialization) on the standardized digits, plain
# SGD for 2 epochs at $\eta$ from $10^{-2}$ to 10, with and without BN. A run counts as **stable** if its loss
# stays finite and its mean training loss over the last epoch is below the starting loss $\ln 10 \approx 2.30$.

# %%
etas = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]


def last_epoch_loss(norm: str, eta: float, epochs: int = 2) -> float:
    """Mean training loss over the last epoch of SGD (batches of 64) on the digits; nan if it diverged."""
    model = nets.mlp(64, 10, depth=10, width=64, activation="relu", init="kaiming_normal", norm=norm, seed=0)
    optimizer = optim.SGD(model.parameters(), lr=eta)
    generator, losses = torch.Generator().manual_seed(0), []
    for _ in range(epochs):
        for idx in torch.randperm(len(digits.y_train), generator=generator)[:21 * 64].view(21, 64):
            loss = F.cross_entropy(model(digits.X_train[idx]), digits.y_train[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return float(np.mean(losses[-21:]))


sweep = {norm: [last_epoch_loss(norm, eta) for eta in etas] for norm in ("none", "batch")}
largest = {norm: max((eta for eta, loss in zip(etas, losses, strict=True) if loss < np.log(10)), default=0.0)
           for norm, losses in sweep.items()}
print(f"{'η':>6s} {'without BN':>11s} {'with BN':>8s}   (mean training loss over the last epoch)")
for i, eta in enumerate(etas):
    print(f"{eta:6g} {sweep['none'][i]:11.3f} {sweep['batch'][i]:8.3f}")
print(f"largest stable η: without BN {largest['none']:g}, with BN {largest['batch']:g}")
fig, ax = plt.subplots(figsize=(6.5, 4))
for norm, label in (("none", "without BN"), ("batch", "with BN")):
    losses = np.array(sweep[norm])
    ax.semilogx(etas, np.where(np.isfinite(losses), losses, np.nan), marker="o", label=label)
    diverged = [eta for eta, loss in zip(etas, losses, strict=True) if not np.isfinite(loss)]
    ax.plot(diverged, [np.log(10)] * len(diverged), "x", color="black", markersize=9)
ax.axhline(np.log(10), color="grey", linestyle=":", label="starting loss ln 10 (× = diverged)")
ax.set(title="10 ReLU layers on the digits, SGD for 2 epochs", xlabel="learning rate η (log scale)",
       ylabel="mean training loss (nats), last epoch")
ax.legend()
plt.show()
best = {norm: (np.nanmin(losses), etas[int(np.nanargmin(losses))]) for norm, losses in sweep.items()}
claim(largest["batch"] >= 10 * largest["none"] and not np.isfinite(sweep["none"][etas.index(1.0)]),
      f"BN raises the largest stable learning rate from {largest['none']:g} to {largest['batch']:g}; without BN "
      "η = 1 diverges")
claim(best["batch"][0] < 0.5 * best["none"][0],
      f"best loss with BN {best['batch'][0]:.3f} (η = {best['batch'][1]:g}), without {best['none'][0]:.3f} "
      f"(η = {best['none'][1]:g})")

# %% [markdown]
# Ioffe and Szegedy's claim holds here: without BN the network diverges from $\eta = 1$ on, with BN it still learns
# at $\eta = 3$ — a tenfold range. The larger rates are also the useful ones here: with BN the best rate is
# $\eta = 1$, where the plain network diverges, and in 42 steps it reaches a loss of 0.505 against the plain
# network's best 1.421. Past its own limit BN does not rescue SGD either: at $\eta = 10$ the loss is back above
# $\ln 10$.
#
# ## What we learned
#
# - Batch normalization standardizes each unit with its batch mean $\bar z$ and variance $s^2$, then applies a
#   learned scale and shift. Its backward pass is one line, $\partial\ell/\partial z = \frac1\sigma(\hat g -
#   \overline{\hat g} - \hat z\,\overline{\hat g\hat z})$; finite differences and autograd confirm it.
# - The gradient sums to zero over the batch, so a bias in front of BN never learns — and does nothing.
# - In training mode every example's output depends on the rest of the batch; in evaluation mode it does not.
# - Evaluation uses running averages whose momentum never touches training: too slow an average (or too few steps)
#   leaves the starting values in it, and the network that is right in training mode is wrong in evaluation mode.
#   Re-estimating the statistics on the training set repairs it. PyTorch's and Keras's momenta are complements.
# - On a 10-layer ReLU network BN widened the range of stable learning rates tenfold, as
#   {cite:t}`ioffe2015batch` claimed, and its best rate lay where the plain network diverges.
