# %% [markdown]
# # 4.2 A training recipe
#
# **A new network trains badly. Is the learning rate wrong, the model too small, the data broken — or is there a
# bug? Which cheap checks, done in which order, tell these apart before hours go into tuning?** Experienced
# practitioners follow a routine, written down in the CS231n notes ("babysitting the learning process")
# {cite:p}`karpathy2015cs231n` and in Andrej Karpathy's "A Recipe for Training Neural Networks"
# {cite:p}`karpathy2019recipe`. This chapter runs it
# on the digits, and at every step it **breaks something on purpose** to show what the failure looks like:
#
# | step | the check | a failure tells you |
# |---|---|---|
# | 1 | the loss before any training is $\ln K$ for $K$ classes | the output layer's scale or size is wrong |
# | 2 | the network can drive the loss on 20 examples to about 0 | data, loss or update is broken |
# | 3 | a hand-written gradient agrees with finite differences | the backward pass is wrong |
# | 4 | training and validation curves have the expected shape | η too high or too low, overfitting, a bug |
# | 5 | hyperparameters are searched at random, on a log scale, coarse to fine | (the search itself) |

# %% tags=["hide-input"]
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

from gradcourse import data, nets, optim, plots, search
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # tiny models: one thread is fastest
threadpool_limits(1)

split = data.digits(as_tensors=True)  # 1,347 training and 450 validation images, 10 classes
X, y, X_val, y_val = split


def fit(model, optimizer, X, y, steps, *, every=5, zero_grad=True, shuffle_inputs=False):
    """Full-batch training for ``steps`` steps; returns the training loss of every step and the validation loss
    every ``every`` steps. ``zero_grad=False`` and ``shuffle_inputs=True`` are bugs, made on purpose."""
    generator = torch.Generator().manual_seed(0)
    train_losses, val_losses = [], []
    for t in range(1, steps + 1):
        inputs = X[torch.randperm(len(X), generator=generator)] if shuffle_inputs else X
        if zero_grad:
            optimizer.zero_grad()
        loss = F.cross_entropy(model(inputs), y)
        loss.backward()
        optimizer.step()
        train_losses.append(loss.item())
        if t % every == 0:
            with torch.no_grad():
                val_losses.append(F.cross_entropy(model(X_val), y_val).item())
    return np.array(train_losses), np.array(val_losses)


# %% [markdown]
# ## 1. The loss before training
#
# With $K$ classes and logits $z$, the cross-entropy of one example with label $y$ is
# $\ell = -\ln\big(e^{z_y} / \sum_{k=1}^{K} e^{z_k}\big)$. A freshly initialized network should know nothing, so
# its logits should be small and nearly equal; then every class gets probability $1/K$ and
#
# $$\ell(\theta_0) = \ln K, \qquad \ln 10 \approx 2.303 \text{ on the digits.}$$
#
# If the logits are not small, the loss is larger, and it grows with their spread: with large logits the network
# is confidently wrong about most examples, and the loss grows in proportion to the logits' size.
# A handy reading: $e^{\ell(\theta_0)}$ is the number of classes the network is undecided between. We build the
# same 2-hidden-layer network four ways and evaluate it on the whole training set without a single step.

# %%
def initial_loss(model):
    with torch.no_grad():
        logits = model(X)
        return F.cross_entropy(logits, y).item(), logits.std().item()


variants = {
    "torch's default init": nets.mlp(64, 10, depth=2, width=64, seed=0),
    "He init, head too": nets.mlp(64, 10, depth=2, width=64, init="kaiming_uniform", seed=0),
    "weights N(0, 1)": nets.mlp(64, 10, depth=2, width=64, init="normal", std=1.0, seed=0),
    "a head with 100 outputs": nets.mlp(64, 100, depth=2, width=64, seed=0),
}
start = {name: initial_loss(model) for name, model in variants.items()}
print(f"ln 10 = {math.log(10):.4f},  ln 100 = {math.log(100):.4f}")
for name, (loss, s) in start.items():
    print(f"{name:24s} initial loss {loss:9.4f}   logits' std {s:7.3f}   e^loss = {math.exp(min(loss, 50)):.3g}")

# %%
default, he, normal, wide = start.values()
claim(abs(default[0] - math.log(10)) < 0.01, f"default init: {default[0]:.4f}, within 0.01 of ln 10 = 2.3026")
claim(he[0] > math.log(10) + 0.1 and he[1] > 5 * default[1],
      f"He init up to the head: logits' std {he[1]:.2f} instead of {default[1]:.2f}, loss {he[0]:.3f} > ln 10")
claim(normal[0] > 100, f"N(0, 1) weights: initial loss {normal[0]:.0f}, a confidently wrong network")
claim(abs(wide[0] - math.log(100)) < 0.1, f"100 outputs: {wide[0]:.3f}, about ln 100 = 4.605, not ln 10")

# %% [markdown]
# So the first number a training run prints is already a test. A loss of about 2.3 says the head is right. A
# loss a little above it says the logits start too large: scale the last layer down (Karpathy's makemore
# lectures {cite:p}`karpathy2022building` multiply it by 0.01). A loss in the hundreds says the weights are far
# too large ([3.9](../03_algorithms/09_initialization.ipynb)). And a loss near $\ln 100$ on a 10-class problem
# says the head has the wrong number of outputs — a bug that PyTorch would not report, since labels 0–9 are valid
# indices into 100 outputs. Where the classes are unbalanced, the right start is the entropy of the label
# frequencies, and the head's bias can be set to their logarithms.
#
# ## 2. Overfit a tiny batch first
#
# Before training on everything, take **20 examples** and train on them alone. A network with thousands of
# parameters must memorize 20 examples: the loss should go to about 0. If it cannot, something is broken in the
# data, the loss or the update, and no amount of tuning will help. We train the default network with SGD
# (η = 0.1, momentum β = 0.9) for 60 full-batch steps — once correctly and with three bugs made on purpose:
#
# - **misaligned data**: every step the inputs are shuffled but the labels are not (a data loader that
#   permutes `X` and `y` separately);
# - **no `zero_grad()`**: gradients pile up from step to step, since `backward()` adds to `.grad`;
# - **frozen hidden layers**: `requires_grad` was switched off (a leftover of fine-tuning), so only the head
#   learns.

# %%
X20, y20 = X[:20], y[:20]
bugs = {"correct": {}, "misaligned data": {"shuffle_inputs": True}, "no zero_grad()": {"zero_grad": False},
        "frozen hidden layers": {}}
overfit, moved = {}, {}
for name, bug in bugs.items():
    model = nets.mlp(64, 10, depth=2, width=64, seed=0)
    if name == "frozen hidden layers":
        model.blocks.requires_grad_(False)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    overfit[name], _ = fit(model, optim.SGD(model.parameters(), lr=0.1, momentum=0.9), X20, y20, 60, **bug)
    moved[name] = {n: not torch.equal(p, before[n]) for n, p in model.named_parameters()}

fig, ax = plt.subplots(figsize=(7, 4))
for name, losses in overfit.items():
    ax.semilogy(np.arange(1, len(losses) + 1), losses, label=name)
ax.set_title("Overfitting 20 examples: the correct loop and three bugs")
ax.set_xlabel("step (full batch of 20 examples)")
ax.set_ylabel("training loss (nats, log scale)")
ax.legend()
plt.show()
counts = np.bincount(y20.numpy(), minlength=10) / 20
label_entropy = -np.sum(counts[counts > 0] * np.log(counts[counts > 0]))
for name, losses in overfit.items():
    print(f"{name:21s} loss after 20, 40, 60 steps: {losses[19]:9.3g} {losses[39]:9.3g} {losses[-1]:9.3g}   "
          f"parameters that moved: {sum(moved[name].values())} of {len(moved[name])}")
print(f"entropy of the 20 labels' frequencies: {label_entropy:.3f} nats")

# %%
final = {name: losses[-1] for name, losses in overfit.items()}
claim(final["correct"] < 1e-4, f"the correct loop memorizes 20 examples: loss {final['correct']:.1e} after 60 steps")
claim(abs(final["misaligned data"] - label_entropy) < 0.3,
      f"misaligned data: stuck at {final['misaligned data']:.2f}, near the labels' entropy {label_entropy:.2f}")
claim(final["no zero_grad()"] > 1 and max(overfit["no zero_grad()"]) > 100,
      f"no zero_grad(): the loss ends at {final['no zero_grad()']:.3g} after peaking at {max(overfit['no zero_grad()']):.2g}")
frozen_moved = moved["frozen hidden layers"]
claim(1e-4 < final["frozen hidden layers"] < 1 and sum(frozen_moved.values()) == 2,
      f"frozen hidden layers: the loss falls (to {final['frozen hidden layers']:.2f}), but only 2 of "
      f"{len(frozen_moved)} tensors, the head's, ever change")

# %% [markdown]
# Three bugs, three signatures. Misaligned data leaves the network nothing to learn but how often each label
# occurs, so the loss stalls at the entropy of the label frequencies. A missing `zero_grad()` makes each step the
# sum of all past gradients, an ever longer step, and the loss blows up. The third bug is the subtle one: 20
# examples are few enough for the head alone to memorize them from 64 random features, so the loss still falls,
# only more slowly. The test that catches it is cheap — **compare every parameter tensor before and after
# training**; a tensor that never moved is a bug until proven otherwise.
#
# ## 3. Gradient checking, done right
#
# If you write a backward pass by hand (a new layer, a custom loss), compare it with the central difference
# $\hat g_i = \big(\ell(\theta + \varepsilon e_i) - \ell(\theta - \varepsilon e_i)\big)/(2\varepsilon)$ through the
# relative error $r_i = |g_i - \hat g_i| / (|g_i| + |\hat g_i|)$ (`nets.gradient_check`, from
# [2.1](../02_concepts/01_backprop_from_scratch.ipynb)). Three details decide whether the check means anything:
#
# 1. **float64.** Rounding adds an error of about $10^{-16}\,|\ell|/\varepsilon$ in float64 but
#    $10^{-7}\,|\ell|/\varepsilon$ in float32, larger than the differences being measured.
# 2. **Few data points, and watch the kinks.** ReLU has a kink at $z = 0$. If some pre-activation lies within
#    about $\varepsilon$ of 0, the two evaluations fall on different sides, and $\hat g$ averages two slopes. Every
#    example adds pre-activations that might lie there, and every example makes each of the $2P$ evaluations
#    (for $P$ parameters) slower: check on a handful.
# 3. **No regularization.** A weight-decay term adds $\lambda_{\mathrm{wd}}\theta$ to both gradients; when it is large,
#    it dominates both and hides a wrong data gradient. Check the data loss alone (then the regularizer alone).
#
# The network is the course's numpy MLP with a hand-written backward pass (`nets.NumpyMLP`): 64 inputs, 16 ReLU
# units, 10 outputs, 4 training images, float64. We check the first layer's biases $b^{(1)}$ and the output
# weights $W^{(2)}$: 176 numbers, 352 evaluations of the loss.

# %%
X4, y4 = split.X_train[:4].numpy().astype(np.float64), split.y_train[:4].numpy()


def numpy_net(dtype=np.float64):
    return nets.NumpyMLP([64, 16, 10], activation="relu", init="kaiming_normal", seed=0, dtype=dtype)


def check(net, inputs, *, lam=0.0, bug=1.0, overall=False):
    """Largest relative error of b1's and W2's gradients (``overall``: W2's as one vector, ‖g − ĝ‖/(‖g‖ + ‖ĝ‖));
    ``lam``: an L2 term λ/2·‖W2‖²; ``bug``: a factor on the data gradient (4 = forgot to divide by N = 4)."""
    b1, W2 = net.params[0][1], net.params[1][0]
    _, grads, _ = net.loss_and_grads(inputs, y4, loss="cross_entropy")
    loss = lambda _: nets.cross_entropy_loss(net(inputs), y4)[0] + 0.5 * lam * np.sum(W2 * W2)
    analytic = [bug * grads[0][1], bug * grads[1][0] + lam * W2]
    if overall:
        g, g_hat = analytic[1], nets.numerical_gradient(loss, W2, 1e-5)
        return float(np.linalg.norm(g - g_hat) / (np.linalg.norm(g) + np.linalg.norm(g_hat)))
    numeric = [nets.numerical_gradient(loss, b1, 1e-5), nets.numerical_gradient(loss, W2, 1e-5)]
    return max(float(nets.relative_error(g, n).max()) for g, n in zip(analytic, numeric, strict=True))


net = numpy_net()
clean = check(net, X4)
net32 = numpy_net(np.float32)
in_float32 = check(net32, X4.astype(np.float32))
_, cache = net.forward(X4)
z = cache.z[0]  # the first layer's pre-activations, 4 × 16
unit = int(np.argmax(z[0]))
net.params[0][1][unit] -= z[0, unit] - 1e-7  # move one pre-activation to 1e-7, just right of the kink
kink = check(net, X4)
_, cache_all = numpy_net().forward(split.X_train.numpy().astype(np.float64))
print(f"float64, away from kinks: max relative error {clean:.1e}  (smallest |z|: {np.abs(z).min():.1e})")
print(f"float32, same network:    max relative error {in_float32:.2f}")
print(f"float64, one z at 1e-7:   max relative error {kink:.2f}")
print(f"smallest |z| over 4 examples {np.abs(z).min():.1e}, over all 1,347: {np.abs(cache_all.z[0]).min():.1e}")

# %%
claim(clean < 1e-6, f"float64, no kink nearby: relative error {clean:.1e}, the backward pass is right")
claim(in_float32 > 1e-2, f"float32: {in_float32:.2f}, useless for judging the same correct gradient")
claim(kink > 0.1, f"one pre-activation within ε of the kink: relative error {kink:.2f} for a correct gradient")
claim(np.abs(cache_all.z[0]).min() < 0.1 * np.abs(z).min(),
      f"all 1,347 examples bring a pre-activation {np.abs(z).min() / np.abs(cache_all.z[0]).min():.0f}× closer to "
      "the kink than 4 examples do")

# %% [markdown]
# Now a real bug: the backward pass forgets to divide by $N$, so the data gradient is 4 times too large. We measure
# the error of $W^{(2)}$'s gradient as a whole, $\lVert g - \hat g\rVert / (\lVert g\rVert + \lVert \hat g\rVert)$
# (entry by entry, a regularizer also creates entries where two terms cancel, which muddles the maximum). Without
# regularization the check cannot miss the bug. With a regularizer that dominates the gradient, it can:

# %%
hidden = {lam: check(numpy_net(), X4, lam=lam, bug=4.0, overall=True) for lam in (0.0, 1.0, 10.0, 100.0)}
for lam, err in hidden.items():
    print(f"data gradient 4× too large, λ_wd = {lam:5g}: relative error of W2's gradient {err:.3g}")
claim(hidden[0.0] > 0.5 and hidden[100.0] < 0.05,
      f"the same bug reads {hidden[0.0]:.2f} without regularization and {hidden[100.0]:.3f} with λ_wd = 100")

# %% [markdown]
# ## 4. Reading the curves
#
# Once the checks pass, train for real and plot the training **and** validation loss. Each of the panels below
# was produced on purpose: the 2-hidden-layer network, SGD with momentum 0.9, full-batch steps, validation
# every 5 steps.
#
# | run | what was done |
# |---|---|
# | healthy | η = 0.1 on all 1,347 images, 60 steps |
# | η too high | η = 3, 60 steps |
# | η too low | η = 0.001, 60 steps |
# | overfitting | η = 0.1 on only 50 images, 100 steps |
# | a bug | η = 0.1, training labels shuffled (a broken data pipeline), 100 steps |

# %%
def curves(lr, n=1347, steps=100, shuffle_labels=False):
    model = nets.mlp(64, 10, depth=2, width=64, seed=0)
    labels = y[:n][torch.randperm(n, generator=torch.Generator().manual_seed(0))] if shuffle_labels else y[:n]
    return *fit(model, optim.SGD(model.parameters(), lr=lr, momentum=0.9), X[:n], labels, steps), model


runs = {"healthy": curves(0.1, steps=60), "η too high": curves(3.0, steps=60), "η too low": curves(1e-3, steps=60),
        "overfitting": curves(0.1, n=50), "a bug": curves(0.1, shuffle_labels=True)}
fig, axes = plt.subplots(2, 3, figsize=(12, 6.5), sharey=True)
for ax, (name, (train_loss, val_loss, _)) in zip(axes.flat[:5], runs.items(), strict=True):
    ax.plot(np.arange(1, len(train_loss) + 1), train_loss, label="training")
    ax.plot(5 * np.arange(1, len(val_loss) + 1), val_loss, marker=".", label="validation")
    ax.axhline(math.log(10), color="0.5", linestyle=":", label="ln 10")
    ax.set_ylim(0, 4)
    ax.set_title(name)
    ax.set_xlabel("step")
axes[0, 0].set_ylabel("loss (nats)")
axes[1, 0].set_ylabel("loss (nats)")
axes[0, 0].legend()
axes[1, 2].axis("off")
fig.suptitle("Five training runs, four of them broken on purpose (loss above 4 clipped)")
plt.show()
for name, (train_loss, val_loss, _) in runs.items():
    print(f"{name:12s} training: max {train_loss.max():8.3g}, last {train_loss[-1]:.3g};   validation: "
          f"lowest {val_loss.min():.3f} at step {5 * (val_loss.argmin() + 1)}, last {val_loss[-1]:.3f}")

# %%
healthy, high, low, over, bug = runs.values()
with torch.no_grad():
    spread = high[2](X).std(dim=0).max().item()  # how much any logit varies from image to image
claim(healthy[1].min() < 0.25 and healthy[1][-1] < 1.2 * healthy[1].min(),
      f"healthy: validation falls to {healthy[1].min():.3f} and stays near it")
claim(high[0].max() > 10 and abs(high[0][-1] - math.log(10)) < 0.05,
      f"η too high: the loss jumps to {high[0].max():.3g}, then settles near ln 10: {high[0][-1]:.3f}")
claim(spread < 1e-3, f"and the network's output no longer depends on its input (largest std over images {spread:.1e})")
claim(np.all(np.diff(low[0]) < 0) and low[0][-1] > 2.0,
      f"η too low: the loss falls at every step, but only to {low[0][-1]:.3f}")
claim(over[0][-1] < 1e-3 and over[1][-1] > 1.3 * over[1].min(),
      f"overfitting: training loss {over[0][-1]:.1e}, validation up from {over[1].min():.2f} to {over[1][-1]:.2f}")
claim(bug[0][-1] < 2.1 and bug[1].min() > math.log(10) - 0.05 and bug[1][-1] > math.log(10),
      f"shuffled labels: training falls to {bug[0][-1]:.2f}, validation never below {bug[1].min():.2f} (about ln 10)")

# %% [markdown]
# How to read them:
#
# - **Healthy**: both curves fall fast, then flatten; the gap between them is small.
# - **η too high**: a jump in the first steps, then the loss settles near $\ln 10$. The jump threw the
#   weights so far that the network now outputs the same logits for every image (dead ReLU units,
#   [4.4](04_diagnosing_a_network.ipynb)), and the best it can still learn is the label frequencies. A loss that
#   rises, oscillates, or sits at $\ln K$ after a spike: lower η.
# - **η too low**: a nearly straight, slow descent. Nothing is wrong except patience: raise η.
# - **Overfitting**: the training loss goes to 0 while the validation loss turns upward after its minimum. More
#   data, regularization, a smaller model or early stopping — not a different η.
# - **A bug**: the training loss falls (the network memorizes noise) while the validation loss never gets below
#   chance. The learning curves look "trainable", the validation curve says nothing is being learned.
#
# ## 5. Random search beats grid search
#
# Now tune. Two rules from {cite:t}`bergstra2012random`. First, search η, weight decay and every other scale
# parameter **on a log scale**: between 0.001 and 0.01 matters as much as between 0.1 and 1. Second, **draw the
# settings at random** instead of laying a grid. Usually only a few hyperparameters matter much. A grid of $T$
# trials over $k$ hyperparameters tries only $T^{1/k}$ distinct values of the one that matters and wastes the rest
# on the ones that do not; random search tries $T$ distinct values of each.
#
# `gradcourse.search` implements both: `log_uniform` draws $x = e^u$ with $u \sim U(\ln a, \ln b)$, `log_grid`
# lays values at equal ratios, and `random_search` / `grid_search` run a function on each setting and return a
# table with `.best()`. The function here trains a 1-hidden-layer network (32 units) for 25 full-batch steps of
# SGD with momentum 0.9 on 256 training images and returns the validation loss — a short, cheap proxy, as a
# coarse search should be. The space: η in $[10^{-4}, 1]$, which matters a great deal, and weight decay
# $\lambda_{\mathrm{wd}}$ in $[10^{-6}, 10^{-4}]$, which after 25 steps hardly matters. Budget: 9 trials each, a
# 3 × 3 grid against random search with 5 different seeds.

# %%
X_small, y_small = X[:256], y[:256]


def validation_loss(lr, weight_decay):
    """Train briefly with SGD (momentum 0.9) at η = lr; the validation loss (inf if the run diverged)."""
    model = nets.mlp(64, 10, depth=1, width=32, seed=0)
    optimizer = optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=weight_decay)
    for _ in range(25):
        optimizer.zero_grad()
        F.cross_entropy(model(X_small), y_small).backward()
        optimizer.step()
    with torch.no_grad():
        value = F.cross_entropy(model(X_val), y_val).item()
    return value if math.isfinite(value) else math.inf


space = {"lr": (1e-4, 1.0), "weight_decay": (1e-6, 1e-4)}
grid = search.grid_search(validation_loss, space, points=3)
randoms = [search.random_search(validation_loss, space, n_trials=9, seed=seed) for seed in range(5)]
print(f"grid:            best validation loss {grid.best().value:.3f} at η = {grid.best().params['lr']:.3g}, "
      f"{len(set(grid.column('lr')))} distinct values of η tried")
for seed, result in enumerate(randoms):
    print(f"random, seed {seed}: best validation loss {result.best().value:.3f} at η = "
          f"{result.best().params['lr']:.3g}, {len(set(result.column('lr')))} distinct values of η tried")

fig, (plane, line) = plt.subplots(1, 2, figsize=(12, 4.3))
plane.scatter(grid.column("lr"), grid.column("weight_decay"), marker="s", s=60, color="0.5", label="3 × 3 grid")
plane.scatter(randoms[0].column("lr"), randoms[0].column("weight_decay"), color="C1", label="random, seed 0")
plane.set(xscale="log", yscale="log", title="The 9 settings each search tried",
          xlabel="learning rate η (log scale)", ylabel="weight decay λ_wd (log scale)")
plane.set_ylim(5e-7, 8e-4)  # room for the legend above the points
plane.legend(ncol=2)
for result, style in [(grid, dict(marker="s", s=60, color="0.5", label="grid"))] + [
        (r, dict(color=f"C{i + 1}", label=f"random, seed {i}")) for i, r in enumerate(randoms)]:
    line.scatter(result.column("lr"), np.minimum(result.values, 3.0), **style)
line.set(xscale="log", title="What each trial reached: only η matters", xlabel="learning rate η (log scale)",
         ylabel="validation loss (nats; diverged runs drawn at 3)")
line.legend(fontsize="small")
plt.show()

# %%
random_best = np.array([r.best().value for r in randoms])
claim(np.all(random_best <= grid.best().value),
      f"random search is at least as good in all 5 seeds: best {random_best.min():.3f}–{random_best.max():.3f} "
      f"against the grid's {grid.best().value:.3f}")
same_lr = [t.value for t in grid if t.params["lr"] == grid.best().params["lr"]]
claim(max(same_lr) - min(same_lr) < 0.2 * min(same_lr),
      f"the grid's three weight decays at its best η change the loss by only {max(same_lr) - min(same_lr):.3f}: "
      "six of its nine trials went to a hyperparameter that hardly matters")

# %% [markdown]
# The grid's η values are $10^{-4}$, $10^{-2}$ and $1$, fixed by the range, and none of them is near the good
# region around 0.1; its six other trials only repeated those three η with a different weight decay. Each random
# search, whatever its seed, tried nine different values of η and found the good region. A grid whose range
# happened to put a point near 0.1 would have fared better — random search does not depend on that kind of luck,
# and it can be stopped after any trial, while a grid is only complete when it is finished.
#
# ## 6. Coarse to fine, and the best value on the border
#
# A search is run in rounds: a **coarse** round over a wide range with short runs, then **finer** rounds around
# the best value. One warning comes first. If the best value lies at the **border** of the range, the optimum may
# lie outside it — the range must be widened before anything is refined. `SearchResult.on_border()` names the
# hyperparameters whose best value lies within 10 % (on the log scale) of an end of their range. Below: a first
# range that is too low, $\eta \in [10^{-5}, 10^{-2}]$; then, widened upward, $[10^{-3}, 10]$; then a finer
# round between a third and three times the best η. Six trials per round, weight decay fixed at $10^{-4}$.

# %%
lr_only = lambda lr: validation_loss(lr, 1e-4)
rounds = {"1: [1e-5, 1e-2]": search.random_search(lr_only, {"lr": (1e-5, 1e-2)}, n_trials=6, seed=0)}
print(f"round 1: best η = {rounds['1: [1e-5, 1e-2]'].best().params['lr']:.3g}, "
      f"on the border: {rounds['1: [1e-5, 1e-2]'].on_border()}")
rounds["2: [1e-3, 10], widened"] = search.random_search(lr_only, {"lr": (1e-3, 10.0)}, n_trials=6, seed=1)
best_lr = rounds["2: [1e-3, 10], widened"].best().params["lr"]
print(f"round 2: best η = {best_lr:.3g}, on the border: {rounds['2: [1e-3, 10], widened'].on_border()}")
fine_range = (best_lr / 3, best_lr * 3)
rounds[f"3: [{fine_range[0]:.2g}, {fine_range[1]:.2g}], finer"] = search.random_search(
    lr_only, {"lr": fine_range}, n_trials=6, seed=2)

fig, ax = plt.subplots(figsize=(8, 4))
for i, (name, result) in enumerate(rounds.items()):
    low_end, high_end = result.space["lr"]
    ax.hlines(-0.25 * (i + 1), low_end, high_end, color=f"C{i}", linewidth=6)
    ax.scatter(result.column("lr"), np.minimum(result.values, 3.0), color=f"C{i}", label=f"round {name}")
    print(f"round {name:30s} best validation loss {result.best().value:.3f} at η = {result.best().params['lr']:.3g}")
ax.set(xscale="log", ylim=(-0.95, 3.1), yticks=np.arange(0, 3.5, 0.5),
       title="Coarse to fine: each round's range (bars below 0) and its trials (dots)",
       xlabel="learning rate η (log scale)", ylabel="validation loss (nats; diverged runs drawn at 3)")
ax.legend(fontsize="small", loc="center right")
plt.show()

# %%
first, second, third = rounds.values()
claim(first.on_border() == ["lr"] and first.best().params["lr"] == first.column("lr").max() > 5e-3,
      f"round 1: the best η, {first.best().params['lr']:.2g}, is the largest tried, on the upper border of the range")
claim(second.on_border() == [] and second.best().value < first.best().value - 0.5,
      f"widened: the best η, {best_lr:.2g}, lies inside; the loss drops from {first.best().value:.2f} to "
      f"{second.best().value:.2f}")
near = {name: int(np.sum(r.values < second.best().value + 0.1)) for name, r in (("wide", second), ("fine", third))}
claim(near["fine"] >= 4 and near["wide"] <= 2,
      f"the finer round spends its trials where it matters: {near['fine']} of 6 within 0.1 of the best loss, "
      f"against {near['wide']} of 6 in the widened round")
claim(abs(third.best().value - second.best().value) < 0.02,
      f"but it finds no clearly better η: {third.best().value:.3f} against {second.best().value:.3f}")


# %% [markdown]
# Refining the first range would have polished the wrong answer: its best η is simply the largest it tried.
# Widening found the region where the loss is far lower. The finer round then confirmed it: nearly all its trials
# land near the best loss, and none is clearly better — near its optimum the loss is flat in η, which says the
# search for η is done. On a real problem the finer rounds also train longer, because short runs favour large
# learning rates; the best η of a 25-step proxy is a starting point, not the final answer.
#
# ## What we learned
#
# - **The initial loss is a test**: $\ln K$ (about 2.3 for 10 classes) for a healthy head; a little more means
#   logits that start too large; hundreds mean weights far too large; $\ln 100$ means 100 outputs.
# - **Overfit 20 examples first.** The correct loop reached a loss near 0 in 60 steps; misaligned data stalled at
#   the labels' entropy, a missing `zero_grad()` blew up. Frozen layers still lowered the loss — so also check
#   that every parameter tensor moves.
# - **Gradient checks** need float64, few examples, no pre-activation near a ReLU kink, and no regularizer: a
#   correct gradient read as "wrong" near a kink, and a wrong one read as "nearly right" under a large weight decay.
# - **Curves have signatures**: a spike then $\ln K$ (η too high), a slow straight line (too low), a validation
#   loss that turns upward (overfitting), a validation loss stuck at chance while training falls (a bug in the
#   data).
# - **Search at random, on a log scale, coarse to fine**, with `gradcourse.search`. With the same 9 trials,
#   random search beat a 3 × 3 grid in every seed, because only η mattered. A best value on the border means
#   "widen the range", not "refine".
#
# ## Exercises
#
# - [Exercise 4.7](../../exercises/student/04_code.ipynb) · Make a deep network learn, on a budget: choose an
#   optimizer, η, a schedule, the initialization and normalization so that an 8-layer network passes a validation
#   threshold in 66 steps. Apply this chapter's routine: check the initial loss, then search η on a log scale.
