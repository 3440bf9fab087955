# %% [markdown]
# # 1.2 A first experiment: a deep network that does not learn, and the same network made to learn
#
# Does a deep network that passes almost no gradient to its first layers really fail to learn — and can the
# *same* network be made to learn? [Chapter 1.1](01_why_depth_is_hard.ipynb) predicted the vanishing gradient
# from one inequality. Here we train such networks on a real task and watch the prediction come true — and
# then watch three of the remedies from the history make the same 20-layer network learn.
#
# **The task.** scikit-learn's handwritten digits: 1,797 images of 8×8 pixels, ten classes (chance level is
# 10 %), split into 1,347 training and 450 validation images (`gradcourse.data.digits`).
#
# **The networks.** Fully connected, 64 units per hidden layer, sigmoid units, PyTorch's default
# initialization (`gradcourse.nets.mlp`): one with 2 hidden layers, one with 20.
#
# **The training.** Identical for every network: Adam with learning rate $\eta = 2\cdot10^{-3}$, mini-batches
# of 64, 12 epochs, the same seed (`gradcourse.train.train`).

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from gradcourse import data, diagnostics, nets, optim, plots, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

split = data.digits(as_tensors=True)
LR, EPOCHS, BATCH, WIDTH = 2e-3, 12, 64, 64


def build(depth, **options):
    """A fresh MLP 64 → depth × WIDTH → 10; options: activation, init, norm, residual."""
    return nets.mlp(64, 10, depth=depth, width=WIDTH, seed=0, **{"activation": "sigmoid", **options})


def fit(model, lr=LR):
    """Train with Adam (the course's own, a drop-in for torch.optim.Adam); return the History."""
    return train.train(model, split, optim.Adam(model.parameters(), lr=lr), epochs=EPOCHS, batch_size=BATCH,
                       progress=False, record_grad_norms=False, seed=0)


print(f"{len(split.X_train)} training and {len(split.X_val)} validation images, {split.X_train.shape[1]} pixels each")

# %% [markdown]
# ## Shallow trains, deep stalls

# %%
histories = {
    "2 layers, sigmoid": fit(build(2)),
    "20 layers, sigmoid": fit(build(20)),
}
for name, h in histories.items():
    print(f"{name:>20}: validation accuracy {h.val_acc[-1]:.3f} after {h.epochs} epochs "
          f"(training loss {h.train_loss[-1]:.3f})")

claim(histories["2 layers, sigmoid"].val_acc[-1] > 0.85 and histories["20 layers, sigmoid"].val_acc[-1] < 0.2,
      f"the 2-layer sigmoid network learns the digits ({histories['2 layers, sigmoid'].val_acc[-1]:.1%}); the "
      f"20-layer one stays near chance ({histories['20 layers, sigmoid'].val_acc[-1]:.1%})")

# %% [markdown]
# The shallow network recognises most digits; the deep one is no better than guessing, and its training loss
# sits at $\ln 10 \approx 2.30$, the loss of a uniform guess over ten classes. It has *more* capacity than the
# shallow network, so this is not a question of what the network can represent. It is a question of what
# gradient descent can reach.
#
# ## Why: the gradient per layer
#
# Chapter 1.1 measured a factor of about 0.14 per sigmoid layer. `gradcourse.diagnostics.grad_norms` reads
# the gradient norm of every layer after one backward pass on 512 training images, at initialization.

# %%
def hidden_grad_norms(model, n=512):
    """‖∂ℓ/∂W^(l)‖ of each hidden block's Linear layer (l = 1 is next to the input), at the current weights."""
    model.train()
    model.zero_grad()
    F.cross_entropy(model(split.X_train[:n]), split.y_train[:n]).backward()
    norms = diagnostics.grad_norms(model, by="parameter")
    return np.array([norms[f"blocks.{i}.linear.weight"] for i in range(len(model.blocks))])


deep_norms = hidden_grad_norms(build(20))
shallow_norms = hidden_grad_norms(build(2))
deep_ratio = deep_norms[0] / deep_norms[-1]
claim(deep_ratio < 1e-12, f"20 layers: ‖g₁‖ = {deep_norms[0]:.1e}, ‖g₂₀‖ = {deep_norms[-1]:.1e}, ratio {deep_ratio:.1e}")
claim(shallow_norms[0] / shallow_norms[-1] > 0.1,
      f"2 layers: both get gradients of similar size (ratio {shallow_norms[0] / shallow_norms[-1]:.2f})")

# %% [markdown]
# Sixteen orders of magnitude between the first and the last hidden layer. Two more measurements complete
# the picture.
#
# **Adam cannot rescue it.** Adam divides each gradient entry by a running root-mean-square of that entry,
# so one might hope it evens out the sizes. But its denominator is $\sqrt{\hat v_t} + \varepsilon$ with
# $\varepsilon = 10^{-8}$, and the first layer's gradient entries are far below $\varepsilon$: there Adam's
# step is about $\eta\, g/\varepsilon$, i.e. practically zero (more in
# [3.5 the Adam family](../03_algorithms/05_adam_family.ipynb)).
#
# **The forward pass has lost the input, too.** The same product of layer Jacobians, transposed, is the
# Jacobian of the network's output with respect to its input. When it is $10^{-16}$, the output hardly
# depends on the input at all: after twenty contracting sigmoid layers every image produces, to float32
# precision, the same last hidden vector. So the last layers, which do get gradients, have nothing to work
# with.

# %%
deep = build(20)
deep.zero_grad()
F.cross_entropy(deep(split.X_train[:512]), split.y_train[:512]).backward()
largest_first_layer_entry = deep.blocks[0].linear.weight.grad.abs().max().item()
claim(largest_first_layer_entry < 1e-12,
      f"the largest first-layer gradient entry, {largest_first_layer_entry:.1e}, is far below Adam's ε = 1e-8")


def spread_of_last_hidden_layer(model, n=512):
    """Standard deviation over examples of the last hidden layer's output, averaged over its units."""
    with torch.no_grad():
        h = split.X_train[:n]
        for block in model.blocks:
            h = block(h)
    return h.std(dim=0).mean().item()


spread_2, spread_20 = spread_of_last_hidden_layer(build(2)), spread_of_last_hidden_layer(build(20))
claim(spread_2 > 1e-3 and spread_20 < 1e-6,
      f"spread of the last hidden layer over 512 images: 2 layers {spread_2:.1e}, 20 layers {spread_20:.1e} — "
      "every input gives the same hidden vector")

# %% [markdown]
# Nor does a larger learning rate help: [1.1](01_why_depth_is_hard.ipynb) showed why for plain gradient descent
# (every layer's step grows by the same factor, [claim 83 in 6.2](../06_faq/02_claims_checked.ipynb#claim-83));
# here is the training run with Adam and a ten times larger learning rate.

# %%
histories["20 layers, sigmoid, η × 10"] = fit(build(20), lr=10 * LR)
claim(histories["20 layers, sigmoid, η × 10"].val_acc[-1] < 0.2,
      f"η = {10 * LR:g} leaves it at chance: {histories['20 layers, sigmoid, η × 10'].val_acc[-1]:.1%}")

# %% [markdown]
# ## The same deep network, made to learn
#
# Now three changes from the history in chapter 1.1, each applied to the 20-layer network alone, with the
# optimizer, learning rate, data and epochs unchanged:
#
# 1. **ReLU units with He initialization** {cite:p}`nair2010rectified,he2015delving`: ReLU′ is exactly 1 where a
#    unit is active, and weights of variance $2/n_{\mathrm{in}}$ keep the size of signals and gradients constant
#    from layer to layer.
# 2. **Batch normalization** {cite:p}`ioffe2015batch`, sigmoid units kept: each unit's pre-activation is
#    standardized over the mini-batch before the sigmoid.
# 3. **Residual connections** {cite:p}`he2016deep`, sigmoid units kept: each block computes $h + \sigma(Wh + b)$,
#    whose Jacobian $I + \partial\sigma(Wh+b)/\partial h$ always contains the identity.

# %%
fixes = {
    "20 layers, ReLU + He init": dict(activation="relu", init="kaiming_normal"),
    "20 layers, sigmoid + batch norm": dict(norm="batch"),
    "20 layers, sigmoid + residual": dict(residual=True),
}
fix_ratios = {}
for name, options in fixes.items():
    norms = hidden_grad_norms(build(20, **options))
    fix_ratios[name] = norms[0] / norms[-1]
    histories[name] = fit(build(20, **options))

print(f"{'network':>33} | first/last gradient at init | validation accuracy")
for name, h in histories.items():
    ratio = fix_ratios.get(name, deep_ratio if name.startswith("20") else shallow_norms[0] / shallow_norms[-1])
    print(f"{name:>33} | {ratio:27.1e} | {h.val_acc[-1]:.3f}")

claim(all(r > 1e-2 for r in fix_ratios.values()),
      "each fix keeps the first layer's gradient within 100× of the last: "
      + ", ".join(f"{r:.2f}" for r in fix_ratios.values()))
bn_last3 = np.mean(histories["20 layers, sigmoid + batch norm"].val_acc[-3:])
claim(histories["20 layers, ReLU + He init"].val_acc[-1] > 0.85 and bn_last3 > 0.6
      and histories["20 layers, sigmoid + residual"].val_acc[-1] > 0.85,
      f"each fix trains the 20-layer net: ReLU + He {histories['20 layers, ReLU + He init'].val_acc[-1]:.1%}, "
      f"batch norm {bn_last3:.1%} (mean of the last 3 epochs), "
      f"residual {histories['20 layers, sigmoid + residual'].val_acc[-1]:.1%}")

# %%
fig, ax = plt.subplots(figsize=(7, 4.2))
for name, h in histories.items():
    ax.plot(h.val_epoch, h.val_acc, marker=".", label=name)
ax.axhline(0.1, color="0.5", linestyle=":", label="chance (10 %)")
ax.set_ylim(0, 1)
ax.set_title("Digits, Adam η = 2e-3: validation accuracy during training")
ax.set_xlabel("epoch")
ax.set_ylabel("validation accuracy")
ax.legend(fontsize="small", loc="lower right", bbox_to_anchor=(1.0, 0.14))
plt.show()

# %% [markdown]
# The batch-normalized network's validation accuracy jumps around from epoch to epoch: in evaluation mode
# batch normalization uses *running averages* of the batch statistics, which lag behind weights that are
# still changing quickly. That is why its check above averages the last three epochs.
#
# Not every normalization rescues this network equally. *Layer* normalization {cite:p}`ba2016layer` in the same
# place standardizes across the units of one example instead of each unit across the batch. The cell measures
# both things a rescue could mean — the gradient ratio at initialization, and training.

# %%
layer_norm_ratio = (lambda n: n[0] / n[-1])(hidden_grad_norms(build(20, norm="layer")))
histories["20 layers, sigmoid + layer norm"] = fit(build(20, norm="layer"))
ln_acc = histories["20 layers, sigmoid + layer norm"].val_acc[-1]
print(f"20 sigmoid layers with layer norm: first/last gradient {layer_norm_ratio:.1e} (plain: {deep_ratio:.1e}); "
      f"validation accuracy after {EPOCHS} epochs {ln_acc:.1%}")
claim(deep_ratio * 1e4 < layer_norm_ratio < 1e-4,
      f"layer norm lifts the first/last gradient ratio from {deep_ratio:.1e} to {layer_norm_ratio:.1e} — many orders "
      "of magnitude, yet the first layer still gets less than 1e-4 of the last one's gradient")
claim(ln_acc < 0.2, f"and the layer-normalized network does not train: {ln_acc:.1%} validation accuracy, chance level")

# %% [markdown]
# So what layer norm rescues is partial: the product no longer collapses to $10^{-16}$, but it still vanishes
# across twenty layers, far more than under batch norm, ReLU + He or residual connections (all above $10^{-2}$).
# And the training run stays at chance: here the partial rescue of the gradient is not enough to train. The
# spread across the units of one
# example is dominated by a part that is the same for every input, so standardizing it does not restore the
# per-unit signal the way batch statistics do. Normalization layers are the subject of
# [3.11](../03_algorithms/11_normalization_residuals.ipynb).

# %% [markdown]
# ## Where each fix is explained
#
# | What made the 20-layer network train | Why it works | Chapter |
# |---|---|---|
# | ReLU units | the activation's factor is 1 on active units instead of at most 1/4 | [2.2 vanishing and exploding](../02_concepts/02_vanishing_exploding.ipynb) |
# | He initialization | weight variance $2/n_{\mathrm{in}}$ keeps each layer's gain near 1 for ReLU | [3.9 initialization](../03_algorithms/09_initialization.ipynb) |
# | batch normalization | rescales each layer's pre-activations, so the product cannot drift | [3.11 normalization and residuals](../03_algorithms/11_normalization_residuals.ipynb) |
# | residual connections | the Jacobian $I + \partial f/\partial h$ keeps an identity path | [3.11 normalization and residuals](../03_algorithms/11_normalization_residuals.ipynb) |
# | (not needed here) gradient clipping | caps the step when the product *explodes* | [3.8 clipping](../03_algorithms/08_clipping.ipynb) |
# | (did not help) Adam, larger learning rate | scales steps, not the product; powerless below ε | [3.5 the Adam family](../03_algorithms/05_adam_family.ipynb), [2.3 the learning rate](../02_concepts/03_learning_rate.ipynb) |
#
# Diagnosing a network that will not train — reading per-layer gradient norms, saturation and update sizes
# as we did here — is the subject of [4.4](../04_code/04_diagnosing_a_network.ipynb).

# %% [markdown]
# ## What we learned
#
# - With the same data, optimizer, learning rate and number of epochs, a 2-layer sigmoid network reaches
#   about 90 % validation accuracy and a 20-layer one stays at chance.
# - At initialization the 20-layer network's first layer receives $10^{-16}$ of the last hidden layer's
#   gradient, far below Adam's ε, and its forward pass maps every image to the same hidden vector: the
#   network is stuck, and a larger learning rate does not unstick it.
# - ReLU units with He initialization, batch normalization, or residual connections each keep the
#   first/last gradient ratio within two orders of magnitude of 1, and each makes the same 20-layer network
#   learn; layer normalization lifts the ratio by many orders of magnitude, but not out of vanishing, and the
#   network still does not train.
#
# **Exercises:** [exercises/student/01_background](../../exercises/student/01_background.ipynb), exercise 1.3 *which deep networks have vanishing
# gradients?* — predict, then run.
