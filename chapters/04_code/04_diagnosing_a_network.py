# %% [markdown]
# # 4.4 Diagnosing a network
#
# A network that does not learn rarely says why. The loss sits at $\ln 10 \approx 2.3$, or creeps down, or
# turns into NaN. This chapter is about looking **inside**: at each layer's activations, at the gradients that
# reach it, and at how much each optimizer step changes its weights. The diagnostics follow Andrej Karpathy's
# lecture on activations and gradients {cite:p}`karpathy2022building`;
# they are implemented once in `gradcourse.diagnostics` and drawn by `gradcourse.plots`.
#
# We break networks **on purpose**, in a known way, and check that each diagnostic points at the broken
# thing — then fix it and check that the diagnostic says so:
#
# | what is broken | what you see from outside | the diagnostic that names it |
# |---|---|---|
# | tanh layers **saturated** (weights too large) | slow or no learning | share of activations with $\lvert a\rvert > 0.97$; gradient histograms |
# | ReLU units **dead** (large negative bias) | no learning at all | share of units that output 0 for every example |
# | **one layer** with weights 50× too large | loss blows up, NaN | per-layer gain of the forward signal; gradient norms and grad:data ratios per layer |
# | a learning rate far too small or too large | slow progress, or divergence | update:data ratio per step (rule of thumb: about $10^{-3}$); the LR range test |
# | training diverges | NaN loss | the NaN guard of `gradcourse.train.train` names the step and the layer |
#
# All networks are `gradcourse.nets.mlp` models on the digits data (`gradcourse.data.digits()`: 8×8 images,
# 10 classes), with 5 hidden blocks of width 64.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits
from torch import nn

from gradcourse import data, diagnostics, nets, optim, plots, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # tiny models: one thread is fastest
threadpool_limits(1)

split = data.digits(as_tensors=True)
X, y = split.X_train, split.y_train  # 1,347 standardized images, labels 0-9
DEPTH, WIDTH = 5, 64


def net(activation, init, **kw):
    """A 5-block MLP on the digits (the same seed, hence the same random draws, every time)."""
    return nets.mlp(64, 10, depth=DEPTH, width=WIDTH, activation=activation, init=init, seed=0, **kw)


def record(model, modules):
    """One forward and backward pass on the whole training set with a LayerRecorder on ``modules``."""
    model.zero_grad()
    with diagnostics.LayerRecorder(model, modules) as recorder:
        F.cross_entropy(model(X), y).backward()
    return recorder


# %% [markdown]
# ## 1. Saturated tanh units
#
# $\tanh'(z) = 1 - \tanh(z)^2$, so where a unit's output $a = \tanh(z)$ is near ±1 its derivative is near 0
# and it passes almost no gradient back. With $|a| > 0.97$ the derivative is below $0.06$; we call such a unit
# **saturated** (`diagnostics.TANH_SATURATION`). A layer's pre-activation is $z = Wh + b$; with $n_{\text{in}}$
# inputs of size about 1 and weights of standard deviation $s$, $z$ has a standard deviation of about
# $s\sqrt{n_{\text{in}}}$. With $s = 1$ and $n_{\text{in}} = 64$ that is 8: deep in the flat tails.
#
# **Broken:** weights $N(0, 1)$. **Fixed:** weights $N(0, 1/n_{\text{in}})$, i.e. $s = 1/8$ (LeCun's
# scaling; [3.9](../03_algorithms/09_initialization.ipynb) compares it with Xavier and He). The histograms show
# every tanh layer's outputs; each panel's title gives its saturated share.

# %%
saturated_net = net("tanh", "normal", std=1.0)
fixed_tanh_net = net("tanh", "normal", std=1 / np.sqrt(64))
tanh_records = {"saturated": record(saturated_net, (nn.Tanh,)), "fixed": record(fixed_tanh_net, (nn.Tanh,))}
saturation = {name: np.array([s.saturated for s in rec.activation_stats().values()])
              for name, rec in tanh_records.items()}

activations = {f"{name}, layer {k + 1}": a for name, rec in tanh_records.items()
               for k, a in enumerate(rec.activations.values())}
fig = plots.histograms_by_layer(activations, activation="tanh", bins=40,
                                title="tanh outputs by layer: weights N(0, 1) (top) and N(0, 1/64) (bottom)",
                                xlabel="activation a = tanh(z)")
plt.show()
for name, shares in saturation.items():
    print(f"{name:9s} saturated share per layer: {np.round(shares, 3)}")

# %% [markdown]
# (The fixed network's histograms narrow with depth: $N(0, 1/n_{\text{in}})$ weights without tanh's gain of
# 5/3 shrink the signal a little at every layer — at depth 5 that is harmless; section
# [3.9](../03_algorithms/09_initialization.ipynb) explains the gain.)

# %%
claim(saturation["saturated"].mean() > 0.5, "N(0, 1) weights: most tanh units are saturated")
claim(saturation["fixed"].max() < 0.1, "N(0, 1/n_in) weights: fewer than 10 % in every layer")

# %% [markdown]
# What saturation does to the **gradients**: the signal each layer receives on its pre-activation,
# $\delta = \partial\ell/\partial z = \partial\ell/\partial a \odot \tanh'(z)$, is multiplied by the derivative
# of the unit. Its histogram, on a log scale because the values span many orders of magnitude, is the
# "gradient histogram" of the diagnosis: saturated units pile up at the far left, with gradients thousands of
# times smaller than the largest in their layer.

# %%
linear_records = {"saturated": record(saturated_net, (nn.Linear,)), "fixed": record(fixed_tanh_net, (nn.Linear,))}
deltas = {f"{name}, layer {k + 1}": np.log10(rec.signals[f"blocks.{k}.linear"].abs().numpy() + 1e-30).clip(-12)
          for name, rec in linear_records.items() for k in range(DEPTH)}
fig = plots.histograms_by_layer(deltas, bins=40, title="Gradient histograms: log10 |∂ℓ/∂z| by layer "
                                "(top: saturated, bottom: fixed)", xlabel="log10 |∂ℓ/∂z|")
plt.show()

tiny_share = {}
for name, rec in linear_records.items():
    shares = []
    for k in range(DEPTH):
        d = rec.signals[f"blocks.{k}.linear"].abs()
        shares.append((d < 1e-3 * d.max()).double().mean().item())
    tiny_share[name] = np.array(shares)
    print(f"{name:9s} share of |∂ℓ/∂z| below 1/1000 of the layer's largest: {np.round(tiny_share[name], 2)}")
claim(tiny_share["saturated"].min() > 0.5, "saturated: most units pass back (almost) nothing")
claim(tiny_share["fixed"].max() < 0.1, "fixed: nearly every unit passes a useful gradient back")

# %% [markdown]
# ## 2. Dead ReLUs
#
# A ReLU unit outputs $\max(0, z)$. If $z < 0$ for **every** example, the unit outputs 0 everywhere, its
# derivative is 0 everywhere, and no gradient will ever reach its weights: it is **dead**, and nothing in
# training revives it. A large negative bias does that. **Broken:** He-initialized weights and every hidden
# bias set to −5. **Fixed:** the same weights with biases 0 (the course's He init).
#
# `activation_stats` reports two shares for a ReLU layer: `zero`, the share of zero entries (normal: about
# half), and `dead`, the share of units that are zero for *all* 1,347 examples.

# %%
dead_net = net("relu", "kaiming_uniform")
with torch.no_grad():
    for block in dead_net.blocks:
        block.linear.bias.fill_(-5.0)
alive_net = net("relu", "kaiming_uniform")
relu_records = {"bias −5": record(dead_net, (nn.ReLU,)), "bias 0": record(alive_net, (nn.ReLU,))}
dead_share = {name: np.array([s.dead for s in rec.activation_stats().values()]) for name, rec in relu_records.items()}

fig = plots.histograms_by_layer({f"{name}, layer {k + 1}": a for name, rec in relu_records.items()
                                 for k, a in enumerate(rec.activations.values())}, activation="relu", bins=40,
                                title="ReLU outputs by layer: biases −5 (top) and 0 (bottom)",
                                xlabel="activation a = max(0, z)")
plt.show()
dead_grads = diagnostics.grad_norms(dead_net)
head_grads = diagnostics.grad_norms(dead_net, by="parameter")
for name, shares in dead_share.items():
    print(f"{name:8s} dead share per layer: {np.round(shares, 3)}")
print("gradient norm per block, biases −5:", {k: round(v, 6) for k, v in dead_grads.items()})

# %%
claim(dead_share["bias −5"].mean() > 0.5, "biases −5: most ReLU units are dead")
claim(dead_share["bias 0"].max() < 0.05, "biases 0: (almost) no dead units")
claim(all(dead_grads[f"blocks.{k}.linear"] == 0.0 for k in range(DEPTH)), "dead layers get exactly zero gradient")
claim(head_grads["head.weight"] == 0.0 < head_grads["head.bias"], "the head sees only zeros: only its bias can learn")

# %% [markdown]
# The last line is the reason dead units stay dead: the gradient of every hidden weight is exactly 0, so no
# optimizer — SGD, momentum, Adam — will move them. The head's input is all zeros too, so of the whole network
# only the head's bias gets a gradient: the best it can learn is how often each digit occurs.
#
# ## 3. One exploding layer
#
# Take a healthy network (ReLU, He init) and multiply the weight matrix of **block 3** by 50 — the kind of
# damage a bad initialization of a single layer, or a huge optimizer step, does. Which diagnostic finds the
# layer? We measure, for the healthy and the broken network:
#
# - the **forward gain** of every block: std of its output over std of its input (about 1 in a well
#   initialized ReLU network);
# - the **gradient norm** of every block's weights, $\lVert\partial\ell/\partial W^{(l)}\rVert$;
# - the **grad:data ratio** std(g)/std(θ) of every weight matrix.

# %%
healthy_net = net("relu", "kaiming_uniform")
exploding_net = net("relu", "kaiming_uniform")
BROKEN = 2  # block 3, counting from 1
with torch.no_grad():
    exploding_net.blocks[BROKEN].linear.weight.mul_(50.0)

summary = {}
for name, model in (("healthy", healthy_net), ("block 3 × 50", exploding_net)):
    rec = record(model, (nn.ReLU,))
    stds = np.array([X.std().item()] + [s.std for s in rec.activation_stats().values()])
    norms = diagnostics.grad_norms(model)
    ratios = diagnostics.grad_data_ratios(model)
    summary[name] = {
        "forward gain": stds[1:] / stds[:-1],
        "grad norm": np.array([norms[f"blocks.{k}.linear"] for k in range(DEPTH)]),
        "grad:data": np.array([ratios[f"blocks.{k}.linear.weight"] for k in range(DEPTH)]),
    }

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
for name, s in summary.items():
    left.semilogy(np.arange(1, DEPTH + 1), s["forward gain"], marker="o", label=name)
left.set_xticks(range(1, DEPTH + 1))
left.set_title("Forward gain per block: std(output) / std(input)")
left.set_xlabel("block (1 = input side)")
left.set_ylabel("gain (log scale)")
left.legend()
plots.grad_norms_by_layer({name: s["grad norm"] for name, s in summary.items()}, ax=right,
                          title="Gradient norm of each block's weights")
plt.show()
for name, s in summary.items():
    print(f"{name:13s}" + "  ".join(f"{key} {np.array2string(v, precision=3)}" for key, v in s.items()))

# %%
broken, healthy = summary["block 3 × 50"], summary["healthy"]
others = [k for k in range(DEPTH) if k != BROKEN]
growth = broken["grad norm"] / healthy["grad norm"]
claim(broken["forward gain"][BROKEN] > 10 * np.delete(broken["forward gain"], BROKEN).max(),
      "the forward gain names the broken block: it is the largest, by more than 10×")
claim(int(np.argmin(broken["grad:data"])) == BROKEN and broken["grad:data"][BROKEN] * 100 < np.delete(
    broken["grad:data"], BROKEN
).min(),
      "its grad:data ratio is the smallest, by more than 100×")
claim(growth[others].min() > 10 and growth[BROKEN] < 3,
      "every OTHER block's gradient grew more than 10×; the broken block's own gradient barely changed")
claim(int(np.argmin(broken["grad norm"])) == BROKEN, "the broken block has the SMALLEST gradient norm, not the largest")

# %% [markdown]
# The result is worth remembering because it is the opposite of the naive guess: **the layer that explodes is
# not the layer with the largest gradient.** Multiplying $W_3$ by 50 multiplies everything *after* it in the
# forward pass by about 50 (ReLU is positively homogeneous), so the inputs $h^{(l-1)}$ of blocks 4, 5 are 50×
# larger, and so are their gradients $\partial\ell/\partial W^{(l)} = \delta^{(l)} h^{(l-1)\top}$. Backwards, the signal
# passes through $W_3^\top$ and arrives at blocks 1, 2 50× larger. Block 3's own gradient
# $\delta_3 h_2^\top$ contains neither factor: its input $h_2$ is unchanged, and $\delta_3$ is computed
# *before* the signal goes through $W_3^\top$. So:
#
# - the **forward gain** (std of a block's output over its input) points straight at the block;
# - relative to its weights, the broken block learns 50× slower than the others: its **grad:data ratio** is
#   the smallest, while every other layer's gradient has exploded.
#
# ## 4. The update:data ratio over time
#
# A gradient's size means little on its own; what matters is how much a step changes the weights *relative
# to their size*. The **update:data ratio** $\operatorname{std}(\theta_{t+1} - \theta_t)/\operatorname{std}(\theta_t)$
# (`diagnostics.update_data_ratios`, on a log10 scale) measures that for every weight matrix at every step.
# Karpathy's rule of thumb is about $10^{-3}$ (`diagnostics.UPDATE_DATA_RATIO_TARGET`): far below it a layer
# learns too slowly, far above it a step rewrites a good part of the layer. For plain SGD the update is
# $-\eta g$, so the ratio is exactly η times the grad:data ratio std(g)/std(θ).
#
# We train the fixed tanh network of section 1 with plain SGD at three learning rates, three epochs each,
# recording both ratios at every step.

# %%
LRS = (1e-3, 3e-2, 1.0)
ratio_runs = {}
for lr in LRS:
    model = net("tanh", "normal", std=1 / np.sqrt(64))
    optimizer = optim.SGD(model.parameters(), lr=lr)
    grad_data, update_data = [], []
    for epoch in range(3):
        for xb, yb in data.batches(X, y, 50, seed=epoch):
            optimizer.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            grad_data.append(list(diagnostics.grad_data_ratios(model).values()))
            before = diagnostics.snapshot(model)
            optimizer.step()
            update_data.append(list(diagnostics.update_data_ratios(model, before).values()))
    val_loss, val_acc = train.evaluate(model, split.X_val, split.y_val)
    ratio_runs[lr] = {"grad:data": np.array(grad_data), "log10 update:data": np.array(update_data), "val_acc": val_acc}
layer_labels = [f"W{k}" for k in range(1, DEPTH + 1)] + ["head"]

fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharey=True)
for ax, lr in zip(axes, LRS, strict=True):
    run = ratio_runs[lr]
    plots.grad_norms_over_time(10.0 ** run["log10 update:data"], layer_labels=layer_labels, ax=ax,
                               title=f"SGD η = {lr:g}: validation accuracy {run['val_acc']:.0%}",
                               ylabel="update:data ratio (log scale)")
    ax.axhline(diagnostics.UPDATE_DATA_RATIO_TARGET, color="red", linestyle="--", label="rule of thumb 1e-3")
    ax.legend(fontsize="x-small", ncol=2)
plt.show()
for lr, run in ratio_runs.items():
    print(f"η = {lr:<6g} median log10 update:data per layer {np.round(np.median(run['log10 update:data'], axis=0), 2)}"
          f"   validation accuracy {run['val_acc']:.3f}")

# %%
first = {lr: run["log10 update:data"][0] for lr, run in ratio_runs.items()}
claim(all(np.allclose(10.0 ** run["log10 update:data"], lr * run["grad:data"], rtol=1e-3)
          for lr, run in ratio_runs.items()) and np.allclose(first[3e-2] - first[1e-3], np.log10(30), atol=1e-3),
      "plain SGD: update:data = η · grad:data at every step (the first steps differ by exactly log10 30 between "
      "η = 0.03 and η = 0.001)")
small, mid, large = (ratio_runs[lr] for lr in LRS)
claim(small["log10 update:data"].max() < -3.5 and small["val_acc"] < 0.3,
      "η = 0.001: every update is < 10^-3.5 of its weights, and 3 epochs teach the network (almost) nothing")
claim(-3.5 < np.median(mid["log10 update:data"]) < -2.0 and mid["val_acc"] > 0.6, "η = 0.03: near the rule, learns")
claim(np.median(large["log10 update:data"]) > -2.0 and large["val_acc"] > 0.85, "η = 1: far above the rule, and best")

# %% [markdown]
# The ratio is a **diagnostic, not a target**. It flags the run that cannot learn: at η = 0.001 each step
# changes the weights by about $10^{-4}$ of their size, and three epochs achieve nothing. But on this small
# problem the best of the three runs, η = 1, takes steps of a few percent of the weights, well above the rule
# of thumb. The $10^{-3}$ is a heuristic, not a law; what transfers is the habit of *looking* at the ratio,
# per layer, and asking whether some layers learn far slower than others.
#
# ## 5. The learning-rate range test
#
# Instead of guessing η, run a short test that raises it during a short run and watch the loss.
# {cite:t}`smith2017cyclical` raised η *linearly* and read off where the accuracy starts to rise and where it falls
# apart; `train.lr_range_test` follows the version popularised by fastai's `lr_find`: it raises η *exponentially*
# from $10^{-5}$ to 10 in 100 steps, one mini-batch per value, smooths the loss, stops when it blows up, and
# suggests **a tenth of the learning rate at the minimum of the smoothed loss** (at the minimum the run is already
# at the edge of stability). It puts the model and optimizer back as they were, so the test costs 100 steps and changes
# nothing. Here: the fixed tanh network with SGD and momentum 0.9; then three epochs of training at the
# suggested rate, and at 10× and 100× it.

# %%
model = net("tanh", "normal", std=1 / np.sqrt(64))
optimizer = optim.SGD(model.parameters(), lr=1e-5, momentum=0.9)
finder = train.lr_range_test(model, split, optimizer, start_lr=1e-5, end_lr=10.0, num_steps=100, batch_size=50)
lr_at_min = finder.lrs[int(np.argmin(finder.losses))]
print(f"tested {len(finder.lrs)} rates up to {finder.lrs[-1]:.3g} (stopped early: {finder.diverged}); "
      f"smoothed loss lowest at η = {lr_at_min:.3g}; suggested η = {finder.suggested_lr:.3g}")

trials = {}
for factor in (1, 10, 100):
    model = net("tanh", "normal", std=1 / np.sqrt(64))
    lr = factor * finder.suggested_lr
    history = train.train(model, split, optim.SGD(model.parameters(), lr=lr, momentum=0.9), epochs=3,
                          batch_size=50, progress=False)
    trials[factor] = history.val_acc[-1]
    print(f"η = {factor:>3d} × suggested = {lr:.3g}: validation accuracy after 3 epochs {history.val_acc[-1]:.3f}")

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.semilogx(finder.lrs, finder.raw_losses, color="0.75", label="mini-batch loss")
ax.semilogx(finder.lrs, finder.losses, color=plots.color_for("momentum"), label="smoothed loss")
ax.axvline(lr_at_min, color="0.4", linestyle=":", label=f"minimum, η = {lr_at_min:.2g}")
ax.axvline(finder.suggested_lr, color="red", linestyle="--", label=f"suggested, η = {finder.suggested_lr:.2g}")
ax.set_title("LR range test: SGD with momentum 0.9 on the digits")
ax.set_xlabel("learning rate η (log scale)")
ax.set_ylabel("cross-entropy loss")
ax.set_ylim(0, 2.5 * finder.losses[0])  # the blow-up at the end would squash the rest of the curve
ax.legend()
plt.show()

# %%
claim(finder.diverged, "the test ran until the loss blew up")
claim(np.isclose(finder.suggested_lr, lr_at_min / 10), "the default rule: a tenth of the minimum")
claim(trials[1] > 0.9, "training at the suggested η works: > 90 % after 3 epochs")
claim(trials[1] > trials[10] + 0.2 and trials[1] > trials[100] + 0.2, "10× or 100× larger does much worse")

# %% [markdown]
# ## 6. When training explodes: the NaN guard
#
# Train the network with the ×50 block of section 3 with plain SGD at η = 0.1. The gradients of the other
# blocks are ~50× too large (section 3), the first steps throw the weights far away, and a few steps later
# the numbers overflow. `gradcourse.train.train` checks the loss and the gradient norm at every step, and the
# moment either stops being finite it raises `TrainingDiverged` with a message that says **where** — the step,
# the epoch, the first layer with a non-finite activation or gradient (or, if only the *norm* overflows, the
# layer with the largest gradient) — and **what to try**. The finite part of the run is kept on the exception.

# %%
model = net("relu", "kaiming_uniform")
with torch.no_grad():
    model.blocks[BROKEN].linear.weight.mul_(50.0)
weight_norms_before = {n: p.norm().item() for n, p in model.named_parameters() if n.endswith("weight")}
try:
    train.train(model, split, optim.SGD(model.parameters(), lr=0.1), epochs=3, batch_size=50,
                progress=False)
    error = None
except train.TrainingDiverged as err:
    error = err
    print(err)

# %%
claim(error is not None, "the ×50 network diverges at η = 0.1")
message = str(error)
layer_names = {name for name, _ in model.named_modules() if name} | {n for n, _ in model.named_parameters()}
named = [name for name in layer_names if repr(name) in message]
print(f"step {error.step}, epoch {error.epoch}; layers named in the message: {sorted(named)}")
claim(f"step {error.step}" in message and error.step >= 1, "the message names the step")
claim(named, "the message names a layer")
claim(error.history.steps == error.step - 1, "the finite steps before the failure are kept on the exception")

# %% [markdown]
# The layer the message names is where the numbers overflowed *at that moment*; it is not the diagnosis of
# section 3. By then three enormous steps (the loss went from about 125 to about $2\cdot 10^8$) have changed
# every weight matrix by orders of magnitude, so the whole network has exploded. The guard answers "when, and
# where did it overflow?"; the diagnostics of section 3, run on the network *before* training, answer "which
# layer was broken?".

# %%
growth_of_weights = {n: model.get_parameter(n).norm().item() / before for n, before in weight_norms_before.items()}
print("weight norm at the failure / before training:", {n: f"{g:.1e}" for n, g in growth_of_weights.items()})
print("losses of the finite steps:", [f"{v:.3g}" for v in error.history.loss])
claim(min(growth_of_weights.values()) > 100, "by the time of the overflow every weight matrix has grown > 100×")

# %% [markdown]
# The message's advice can be checked too. Gradient clipping (`clip_norm=1.0`, [3.8](../03_algorithms/08_clipping.ipynb))
# stops the divergence; only repairing the layer makes the network train as well as the healthy one.

# %%
outcomes = {}
for label, scale, clip_norm in (("×50, clipped", 50.0, 1.0), ("repaired", 1.0, None)):
    model = net("relu", "kaiming_uniform")
    with torch.no_grad():
        model.blocks[BROKEN].linear.weight.mul_(scale)
    history = train.train(model, split, optim.SGD(model.parameters(), lr=0.1), epochs=3, batch_size=50,
                          clip_norm=clip_norm, progress=False)
    outcomes[label] = history.val_acc[-1]
print({k: round(v, 3) for k, v in outcomes.items()})
claim(outcomes["×50, clipped"] > 0.3, "clipping prevents the divergence: the network learns something")
claim(outcomes["repaired"] > outcomes["×50, clipped"] + 0.1, "but only repairing the layer restores normal training")

# %% [markdown]
# ## What we learned
#
# - **Saturation** shows in the activation histograms (mass at ±1) and in the gradient histograms (most
#   $\partial\ell/\partial z$ near 0). Scaling the weights by $1/\sqrt{n_{\text{in}}}$ brought it from over 50 % to
#   under 10 % in every layer.
# - **Dead ReLUs** output 0 for every example and receive exactly zero gradient; nothing revives them. The
#   `dead` share finds them at once.
# - **One exploding layer** is found by the **forward gain**, not by the gradient norm: every *other* layer's
#   gradient explodes, while the broken layer's own gradient is unchanged and its grad:data ratio is the
#   smallest in the network.
# - The **update:data ratio** tells how fast each layer is actually learning. Far below $10^{-3}$ means
#   (almost) nothing happens; the rule of thumb is a guide, not a target.
# - The **LR range test** picks a working learning rate in 100 steps; 10× above its suggestion is much worse.
# - When training explodes, `TrainingDiverged` says at which step and in which layer, and keeps the history.
#   Clipping stops the explosion; fixing the broken layer cures it.
