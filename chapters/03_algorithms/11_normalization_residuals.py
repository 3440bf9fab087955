# %% [markdown]
# # 3.11 Normalization and residual connections
#
# **How much of the gradient flow do batch normalization, layer normalization and residual connections restore in
# a deep network whose gradients vanish — and what do other proposed remedies (wider layers, Dropout, weight decay)
# do?** Initialization ([3.9](09_initialization.ipynb)) chooses the per-layer factors at step 0, for one activation.
# Two architectural changes act at every step, whatever the weights have become: **normalization** rescales each
# layer's pre-activations to a fixed mean and spread, and a **residual connection** adds an identity path around
# each block, $h^{(l)} = h^{(l-1)} + f(h^{(l-1)})$. The patient is the network of
# [1.1](../01_background/01_why_depth_is_hard.ipynb): 20 sigmoid layers, where the first layer's gradient is about
# $10^{-12}$ of the last one's even with Xavier initialization.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gradcourse import data, diagnostics, nets, optim, plots, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

rng = seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## What the three layers compute
#
# For a batch of pre-activations $z \in \mathbb{R}^{B\times n}$ ($B$ examples, $n$ units):
#
# - **Batch normalization** (批量归一化) {cite:p}`ioffe2015batch` standardizes each **unit over the batch**:
#   $\hat z_{bj} = (z_{bj} - \bar z_j)/\sqrt{s_j^2 + \varepsilon}$ with $\bar z_j, s_j^2$ the mean and (biased)
#   variance of column $j$, then applies a learned per-unit scale and shift. At evaluation time it uses running
#   averages of $\bar z_j, s_j^2$ instead. [3.10](10_batchnorm_from_scratch.ipynb) builds it from scratch, backward
#   pass included.
# - **Layer normalization** {cite:p}`ba2016layer` standardizes each **example over its units**: the mean and
#   variance of row $b$. It does not depend on the other examples in the batch.
# - A **residual block** {cite:p}`he2016deep` returns $h + f(h)$ instead of $f(h)$. Its Jacobian is
#   $I + \partial f/\partial h$: even when $\partial f/\partial h$ is tiny, the gradient passes through the identity.
#
# Why normalization helps the *backward* pass: standardizing is scale-invariant, $\mathrm{BN}(a z) = \mathrm{BN}(z)$
# for any $a > 0$ (as long as the variance stays well above the small $\varepsilon$). So if the layers below have
# shrunk the signal by a factor $a$, the normalization multiplies it back by $1/a$ — and the chain rule multiplies
# the gradient flowing back through it by the same $1/a$. `nets.mlp(..., norm="batch" | "layer", residual=True)`
# builds these blocks on PyTorch's `nn.BatchNorm1d` and `nn.LayerNorm`; the cell checks the scale invariance.

# %%
z = torch.from_numpy(rng.standard_normal((128, 64)) * 3 + 1).float()
bn = nn.BatchNorm1d(64).train()
upstream = torch.from_numpy(rng.standard_normal((128, 64))).float()
grads_at = {}
for a in (1.0, 1e-2):
    za = (a * z).requires_grad_()
    out = bn(za)
    (out * upstream).sum().backward()
    grads_at[a] = (out.detach(), za.grad)
same_output = (grads_at[1.0][0] - grads_at[1e-2][0]).abs().max().item()
grad_ratio = (grads_at[1e-2][1].norm() / grads_at[1.0][1].norm()).item()
claim(same_output < 0.05 and abs(grad_ratio - 100) < 3,
      f"shrink BN's input 100×: the output moves by at most {same_output:.0e}, the gradient grows {grad_ratio:.1f}×")

# %% [markdown]
# ## Gradient flow in 20 sigmoid layers
#
# Five versions of the same network (64 → 20 sigmoid blocks of 64 units → 10, Xavier initialization, the same
# seed): plain, with batch normalization, with layer normalization, with residual connections, and residual with
# layer normalization. One forward and backward pass on 512 digits; `diagnostics.grad_norms` gives the gradient
# norm of every layer and `plots.grad_norms_by_layer` draws them.

# %%
digits = data.digits(as_tensors=True)
Xb, yb = digits.X_train[:512], digits.y_train[:512]
variants = {
    "plain": {},
    "batch norm": {"norm": "batch"},
    "layer norm": {"norm": "layer"},
    "residual": {"residual": True},
    "residual + layer norm": {"residual": True, "norm": "layer"},
}


def build(seed: int = 0, width: int = 64, **kw) -> nets.MLP:
    """The 20-layer sigmoid network (Xavier init), with the options `kw` of `nets.mlp`."""
    return nets.mlp(64, 10, depth=20, width=width, activation="sigmoid", init="xavier_uniform", seed=seed, **kw)


def layer_grad_norms(model: nn.Module) -> np.ndarray:
    """‖∂ℓ/∂θ‖ of each hidden block's Linear layer after one forward/backward pass on (Xb, yb)."""
    model.train()
    model.zero_grad()
    F.cross_entropy(model(Xb), yb).backward()
    norms = diagnostics.grad_norms(model)
    return np.array([norms[f"blocks.{i}.linear"] for i in range(len(model.blocks))])


flow = {name: layer_grad_norms(build(**kw)) for name, kw in variants.items()}
ratios = {name: n[0] / n[-1] for name, n in flow.items()}
plots.grad_norms_by_layer(flow, title="20 sigmoid layers at initialization: gradient norm per layer",
                          ylabel="‖∂ℓ/∂θ_l‖₂ (log scale)")
plt.show()
print(f"{'network':22s} {'first / last layer':>19s} {'improvement':>12s}")
for name, r in ratios.items():
    print(f"{name:22s} {r:19.1e} {r / ratios['plain']:12.0e}")
claim(ratios["plain"] < 1e-9, f"plain: the first layer gets {ratios['plain']:.0e} of the last layer's gradient")
claim(min(ratios["batch norm"], 10 * ratios["residual"]) > 0.1 and ratios["residual"] > 1e10 * ratios["plain"],
      f"batch norm and residual connections restore it to order 1 ({ratios['batch norm']:.2f}, "
      f"{ratios['residual']:.2f})")
claim(1e3 * ratios["plain"] < ratios["layer norm"] < 1e-4,
      f"layer norm helps by orders of magnitude ({ratios['layer norm']:.0e}), but far less than batch norm")

# %% [markdown]
# Batch normalization and residual connections lift the first layer's share by eleven to twelve orders of
# magnitude, to order 1. Layer normalization helps by only about four — why?
#
# Sigmoid outputs are not centred: they sit around 0.5. The next layer's pre-activation then contains a part
# $0.5\sum_j W_{ij}$ that is **the same for every example**, and after a few layers it is almost all there is.
# Batch normalization subtracts each unit's mean over the batch, which removes exactly that part. Layer
# normalization subtracts one number per example (its mean over units) and divides by its spread over units —
# and that spread is dominated by the example-independent offsets, which differ from unit to unit. So LayerNorm
# leaves the tiny example-dependent part tiny, and the network's output barely depends on its input. The cell
# splits the variance across units of each example's pre-activation into the two parts.

# %%
def example_dependent_share(model, block):
    """Share of the per-example variance (across units) of block `block`'s pre-activation that differs between
    examples; the rest is an offset common to all examples."""
    captured = []

    def keep(module, inputs, output):
        captured.append(output.detach())

    handle = model.blocks[block].linear.register_forward_hook(keep)
    model(Xb)
    handle.remove()
    z = captured[0]
    return ((z - z.mean(0)).var(1).mean() / z.var(1).mean()).item()


shares = {name: example_dependent_share(build(**variants[name]), 19) for name in ("plain", "batch norm", "layer norm")}
print("example-dependent share of the variance at block 20:", {k: f"{v:.1e}" for k, v in shares.items()})
claim(max(shares["layer norm"], shares["plain"]) < 1e-6 < 0.05 < shares["batch norm"],
      "without BN the input's influence is washed out; batch norm keeps the example-dependent part")

# %% [markdown]
# With tanh, whose outputs are centred, there is no common offset, and layer normalization restores the flow as
# well as batch normalization. The cell uses PyTorch's default initialization, under which 20 plain tanh layers
# do vanish (the tanh gain 5/3, derived in [3.9](09_initialization.ipynb#gains), would
# keep them healthy without any normalization).

# %%
tanh_ratios = {}
for name in ("plain", "batch norm", "layer norm"):
    n = layer_grad_norms(nets.mlp(64, 10, depth=20, width=64, activation="tanh", init="default", seed=0,
                                  **variants[name]))
    tanh_ratios[name] = n[0] / n[-1]
print("20 tanh layers, torch's default init, first/last:", {k: f"{v:.1e}" for k, v in tanh_ratios.items()})
claim(tanh_ratios["plain"] < 1e-2 < 0.3 < min(tanh_ratios["layer norm"], tanh_ratios["batch norm"]),
      "plain tanh (default init) vanishes; with centred units layer norm restores the flow as batch norm does")

# %% [markdown]
# Transformers combine layer normalization with residual connections; where the normalization sits in the block
# decides how their gradients flow ([5.4](../05_trends/04_transformers.ipynb)).
#
# ## Do they train?
#
# Gradient norms at initialization are a diagnosis; training is the test. Each variant trains on the digits for
# 5 epochs with `optim.Adam` ($\eta = 10^{-3}$). Adam rescales every parameter's step by its own
# gradient size ([3.5](05_adam_family.ipynb)), so small gradients alone would not stop it; what it cannot undo is
# the collapse measured above, where the part of the signal that depends on the input is $10^{-14}$ of the rest.

# %%
trained = {}
for name in ("plain", "batch norm", "layer norm", "residual"):
    model = build(**variants[name])
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    trained[name] = train.train(model, digits, optimizer, epochs=5, progress=False, seed=0)

fig, ax = plt.subplots(figsize=(6.5, 4))
for name, h in trained.items():
    ax.semilogy(np.arange(1, len(h.train_loss) + 1), h.train_loss, marker="o", label=name,
                linestyle="--" if name == "layer norm" else "-")
ax.set(title="20 sigmoid layers on the digits, Adam (plain and layer norm overlap)", xlabel="epoch",
       ylabel="training loss (log scale)")
ax.set_xticks(range(1, 6))
ax.legend()
plt.show()
for name, h in trained.items():
    print(f"{name:12s}: final training loss {h.train_loss[-1]:.3f}, validation accuracy {h.val_acc[-1]:.3f}")
acc = {name: h.val_acc[-1] for name, h in trained.items()}
claim(max(acc["plain"], acc["layer norm"]) < 0.2,
      f"plain and layer norm stay at chance ({acc['plain']:.0%}, {acc['layer norm']:.0%} validation accuracy)")
claim(min(acc["batch norm"], acc["residual"]) > 0.7,
      f"batch norm and residual learn: {acc['batch norm']:.0%} and {acc['residual']:.0%} after 5 epochs")

# %% [markdown]
# Exactly as the gradient norms predicted. (The residual network starts at a high loss because each block *adds* a sigmoid output of about 0.5 per unit, so the signal grows with depth;
# it recovers within an epoch.)
#
# ## Does a wider network help?
#
# ```{admonition} Common misconception
# :class: warning
# 「使用更广的网络……可以有效地解决梯度消失问题」 (A5 §1.4.2: "using a wider network can effectively solve the vanishing-gradient problem"). **In fact** fan-in-scaled initialization makes each layer's gain independent of the width, and $\sigma' \le 1/4$ at every width ([claim 84 in 6.2](../06_faq/02_claims_checked.ipynb#claim-84)).
# ```
#
# Width makes the per-layer factor *less random*, not larger. The cell sweeps the width from 16 to 512 at depth 20,
# three seeds each.

# %%
widths = [16, 32, 64, 128, 256, 512]
width_ratios = np.array([[(lambda n: n[0] / n[-1])(layer_grad_norms(build(seed=s, width=w))) for s in range(3)]
                         for w in widths])

fig, ax = plt.subplots(figsize=(6.5, 4))
for s in range(3):
    ax.loglog(widths, width_ratios[:, s], "o", color="#0072B2", alpha=0.7, label="plain (3 seeds per width)" if s == 0 else None)
ax.axhline(ratios["batch norm"], color="#D55E00", linestyle="--", label="batch norm, width 64")
ax.set(title="Width does not cure vanishing gradients (20 sigmoid layers)", xlabel="width (units per layer, log)",
       ylabel="‖g(first layer)‖ / ‖g(last layer)‖ (log)", ylim=(1e-14, 10))
ax.set_xticks(widths, [str(w) for w in widths])
ax.xaxis.set_minor_formatter(plt.NullFormatter())
ax.legend()
plt.show()
for w, r in zip(widths, width_ratios, strict=True):
    print(f"width {w:3d}: first/last = " + ", ".join(f"{v:.1e}" for v in r))
claim(np.all(width_ratios < 1e-10) and width_ratios[-1].mean() < 10 * width_ratios[0].mean(),
      f"at every width from 16 to 512 the first layer gets < 1e-10 of the last one's gradient (largest "
      f"{width_ratios.max():.0e}); 32× wider does not even gain a factor of 10")

# %% [markdown]
# At every width the ratio is about $10^{-12}$; the wider networks are, if anything, slightly worse. The one thing
# width changes is the spread between seeds, which narrows as the random fluctuations average out.
#
# ## Batch normalization is a normalization; regularization is something else
#
# ```{admonition} Common misconception
# :class: warning
# 「使用批量正则化：通过增加正则化项来减少模型的复杂性……使梯度在传播过程中保持稳定」 (A5 §2.3: "use batch *regularization*: add a regularization term to reduce the model's complexity … so that the gradient stays stable"). **In fact** 批量正则化 is not a standard term. Read as the regularization A5 describes, it does nothing for the flow; read as batch normalization (批量归一化) — a *normalization*, with no penalty term — it is the layer that restored the flow above ([claim 85 in 6.2](../06_faq/02_claims_checked.ipynb#claim-85)).
# ```
#
# What A5 describes instead, a *regularization term* such as weight decay $\tfrac{\lambda_{\rm wd}}{2}\lVert\theta\rVert^2$,
# belongs with Dropout {cite:p}`srivastava2014dropout` among the remedies for **overfitting**, and A2 §1 also lists
# regularization against vanishing and exploding gradients
# ([claim 31 in 6.2](../06_faq/02_claims_checked.ipynb#claim-31)). Dropout keeps the expected per-layer factor (its
# $1/(1-p)$ rescaling is built for that); weight decay pulls the weights towards zero, which *lowers* the per-layer
# gain. The two cells measure both.

# %%
dropout_ratios = {}
for p in (0.1, 0.3, 0.5):
    model = build()
    for block in model.blocks:  # Dropout after every block's activation (the library's mlp has no dropout option)
        block.act = nn.Sequential(block.act, nn.Dropout(p))
    torch.manual_seed(0)  # the dropout masks
    n = layer_grad_norms(model)
    dropout_ratios[p] = n[0] / n[-1]
print("first/last gradient ratio with Dropout:", {p: f"{r:.1e}" for p, r in dropout_ratios.items()},
      f"(without: {ratios['plain']:.1e}, batch norm: {ratios['batch norm']:.1e})")
claim(all(r < 1e-8 for r in dropout_ratios.values()),
      f"with Dropout the first layer still gets < 1e-8 of the last one's gradient (largest {max(dropout_ratios.values()):.0e})")

# %% [markdown]
# Dropout leaves the ratio below $10^{-9}$ (with $p = 0.5$ it even rises a little: the $1/(1-p)$ rescaling adds
# some variance to every layer's factor, but nothing like the twelve orders of magnitude that are missing).
#
# Weight decay acts on every weight, $\theta \leftarrow \theta - \eta(g + \lambda_{\rm wd}\theta)$. In a layer
# whose gradient has vanished, $g \approx 0$, so decay is the *only* force on it: its weights shrink by exactly
# $(1-\eta\lambda_{\rm wd})$ per step, its gain falls, and the next layers down receive even less. We train the plain
# network with `gradcourse.optim.SGD` ($\eta = 0.1$) for three epochs without and with `weight_decay=0.05`.

# %%
decay_runs = {}
for wd in (0.0, 0.05):
    model = build()
    W1_before = model.blocks[0].linear.weight.detach().clone()
    optimizer = optim.SGD(model.parameters(), lr=0.1, weight_decay=wd)
    history = train.train(model, digits, optimizer, epochs=3, progress=False, seed=0)
    n = layer_grad_norms(model)
    shrink = (model.blocks[0].linear.weight.detach().norm() / W1_before.norm()).item()
    decay_runs[wd] = (n[0] / n[-1], shrink, (1 - 0.1 * wd) ** history.steps)
    print(f"weight_decay = {wd}: after {history.steps} steps first/last = {decay_runs[wd][0]:.1e}; ‖W₁‖ shrank to "
          f"{shrink:.4f} of its start ((1 − ηλ_wd)^steps = {decay_runs[wd][2]:.4f})")
claim(abs(decay_runs[0.05][1] - decay_runs[0.05][2]) < 1e-4,
      f"the vanishing first layer shrank to {decay_runs[0.05][1]:.4f} = (1 − ηλ_wd)^t: its gradient played no part")
claim(decay_runs[0.05][0] < 0.1 * decay_runs[0.0][0],
      f"weight decay made the first/last ratio {decay_runs[0.0][0] / decay_runs[0.05][0]:.0f}× worse, not better")

# %% [markdown]
# Weight decay does have a use against
# *exploding* gradients: smaller weights mean smaller per-layer factors, so it can keep a network away from the
# explosive regime. Against vanishing gradients it is the wrong tool.
#
# ## Which one when
#
# - **Batch normalization** needs batch statistics: it works best with batches of dozens of examples or more, behaves
#   differently in training and evaluation (running averages), and couples the examples of a batch. It is the
#   default in convolutional networks for images.
# - **Layer normalization** uses one example at a time, so it works with any batch size, in recurrent networks and
#   at inference without running averages; transformers use it. As
#   measured above, it cannot remove an offset that all examples share.
# - **Residual connections** change no statistics at all; they give the gradient an identity path. Very deep
#   networks combine them with a normalization inside each block, and need their blocks' outputs to start small,
#   or the signal grows with depth ([4.3](../04_code/03_case_study_digits.ipynb) measures that growth).
#
# ## What we learned
#
# - Batch normalization standardizes each unit over the batch, layer normalization each example over its units;
#   both are scale-invariant, so they undo any shrinking of the signal below them — forward and backward. A
#   residual block $h + f(h)$ has the Jacobian $I + \partial f/\partial h$, an identity path for the gradient.
# - In 20 sigmoid layers, batch normalization and residual connections raised the first layer's share of the
#   gradient from $10^{-12}$ to order 1, and those networks trained; the plain network did not learn at all, even
#   with Adam.
# - Layer normalization helped much less here, because sigmoid outputs are not centred: it cannot remove an
#   offset that is the same for all examples. With centred activations (tanh) it worked as well as BN.
# - Width does not cure vanishing gradients: from 16 to 512 units the ratio stays near $10^{-12}$.
# - A5's 批量正则化 helps only if it means batch normalization (批量归一化), a normalization. Regularization — Dropout, weight decay —
#   targets overfitting: Dropout left the vanishing as it was, and weight decay made it worse.
